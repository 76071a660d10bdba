package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUnifiedDiff(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want string
	}{
		{"same", "a\nb\n", "a\nb\n", ""},
		{"both empty", "", "", ""},
		{"one line changed", "a\nb\nc\n", "a\nB\nc\n", "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{"insert into empty", "", "x\n", "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+x\n"},
		{"delete all", "x\ny\n", "", "--- a/f\n+++ b/f\n@@ -1,2 +0,0 @@\n-x\n-y\n"},
		{"insert at the start", "b\nc\n", "a\nb\nc\n", "--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n+a\n b\n c\n"},
		{"no newline at the end", "a\nb", "a\nc", "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"},
		{"newline added at the end", "a\nb", "a\nb\n", "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"},
		{
			"two hunks, context 3",
			"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
			"1\nTWO\n3\n4\n5\n6\n7\n8\n9\n10\nELEVEN\n12\n",
			"--- a/f\n+++ b/f\n@@ -1,5 +1,5 @@\n 1\n-2\n+TWO\n 3\n 4\n 5\n@@ -8,5 +8,5 @@\n 8\n 9\n 10\n-11\n+ELEVEN\n 12\n",
		},
		{
			"changes 6 lines apart share a hunk",
			"1\n2\n3\n4\n5\n6\n7\n8\n9\n",
			"1\nX\n3\n4\n5\n6\n7\nY\n9\n",
			"--- a/f\n+++ b/f\n@@ -1,9 +1,9 @@\n 1\n-2\n+X\n 3\n 4\n 5\n 6\n 7\n-8\n+Y\n 9\n",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := unifiedDiff("f", []byte(tc.a), []byte(tc.b))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if tc.want != "" {
				if back := applyUnified(t, tc.a, got); back != tc.b {
					t.Errorf("patch(a, diff) = %q, want %q", back, tc.b)
				}
			}
		})
	}
}

// TestUnifiedDiffMinimal: the edit script is a shortest one (the lines
// removed plus the lines added is len(a)+len(b)-2*LCS), and past maxEdits
// the diff is still correct.
func TestUnifiedDiffMinimal(t *testing.T) {
	a := strings.Split("a b c a b b a", " ")
	b := strings.Split("c b a b a c", " ")
	ops := diffLines(a, b)
	edits := 0
	for _, op := range ops {
		if op.kind != ' ' {
			edits++
		}
	}
	if edits != 5 { // Myers's own example: the shortest script has 5 edits
		t.Errorf("%d edits, want 5: %v", edits, ops)
	}

	var x, y strings.Builder
	for i := range 3 * maxEdits {
		fmt.Fprintf(&x, "line %d\n", i)
		fmt.Fprintf(&y, "line %d changed\n", i)
	}
	d := unifiedDiff("big", []byte(x.String()), []byte(y.String()))
	if back := applyUnified(t, x.String(), d); back != y.String() {
		t.Errorf("the diff past maxEdits does not patch a into b")
	}
}

var hunkHeader = regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$`)

// applyUnified applies a unified diff to a, checking every context and
// removed line against a, as patch does.
func applyUnified(t *testing.T, a, diff string) string {
	t.Helper()
	src := splitLines(a)
	lines := splitLines(diff)
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "--- ") || !strings.HasPrefix(lines[1], "+++ ") {
		t.Fatalf("no header:\n%s", diff)
	}
	var out []string
	next := 0 // the next line of src to copy
	for i := 2; i < len(lines); {
		m := hunkHeader.FindStringSubmatch(strings.TrimSuffix(lines[i], "\n"))
		if m == nil {
			t.Fatalf("line %d is no hunk header: %q", i+1, lines[i])
		}
		start, _ := strconv.Atoi(m[1])
		n := 1
		if m[2] != "" {
			n, _ = strconv.Atoi(m[2])
		}
		if n > 0 {
			start-- // 1-based, except for an empty range
		}
		if start < next {
			t.Fatalf("hunk at %d overlaps the previous one", start)
		}
		out = append(out, src[next:start]...)
		next = start
		i++
		for i < len(lines) && !strings.HasPrefix(lines[i], "@@") {
			l := lines[i]
			i++
			body := l[1:]
			if i < len(lines) && lines[i] == "\\ No newline at end of file\n" {
				body = strings.TrimSuffix(body, "\n")
				i++
			}
			switch l[0] {
			case ' ', '-':
				if next >= len(src) || src[next] != body {
					t.Fatalf("context or removed line %q does not match a's line %d %q", body, next+1, src[min(next, len(src)-1)])
				}
				next++
				if l[0] == ' ' {
					out = append(out, body)
				}
			case '+':
				out = append(out, body)
			default:
				t.Fatalf("bad diff line %q", l)
			}
		}
	}
	out = append(out, src[next:]...)
	return strings.Join(out, "")
}

// FuzzUnifiedDiff: for any two texts, the diff patches the first into the
// second, and is empty exactly when they are equal.
func FuzzUnifiedDiff(f *testing.F) {
	f.Fuzz(func(t *testing.T, a, b string) {
		d := unifiedDiff("f", []byte(a), []byte(b))
		if (d == "") != (a == b) {
			t.Fatalf("diff %q of %q and %q", d, a, b)
		}
		if d != "" {
			if got := applyUnified(t, a, d); got != b {
				t.Fatalf("patch(%q, diff) = %q, want %q\n%s", a, got, b, d)
			}
		}
	})
}
