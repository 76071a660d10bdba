package main

import (
	"fmt"
	"strings"
)

// unifiedDiff returns the changes from a to b as a unified diff (3 lines
// of context, as diff -u and git print it) headed "--- a/NAME" and
// "+++ b/NAME"; empty when a and b are the same.
func unifiedDiff(name string, a, b []byte) string {
	x, y := splitLines(string(a)), splitLines(string(b))
	ops := diffLines(x, y)
	const context = 3
	var out strings.Builder
	// Hunks: runs of changes with up to 2*context equal lines between them.
	i := 0
	for i < len(ops) {
		for i < len(ops) && ops[i].kind == ' ' {
			i++
		}
		if i == len(ops) {
			break
		}
		start := max(i-context, 0)
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*context {
				end = min(end+context, len(ops))
				break
			}
			end = run
		}
		if out.Len() == 0 {
			fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", name, name)
		}
		writeHunk(&out, ops[start:end])
		i = end
	}
	return out.String()
}

// writeHunk prints one hunk: its header and lines. A last line without a
// newline is marked as diff does.
func writeHunk(out *strings.Builder, ops []diffOp) {
	aStart, bStart := ops[0].a, ops[0].b
	var aLen, bLen int
	for _, op := range ops {
		if op.kind != '+' {
			aLen++
		}
		if op.kind != '-' {
			bLen++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(aStart, aLen), hunkRange(bStart, bLen))
	for _, op := range ops {
		out.WriteByte(op.kind)
		out.WriteString(op.line)
		if !strings.HasSuffix(op.line, "\n") {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// hunkRange is a hunk header's "start,length" (1-based; an empty range
// starts at the line before it).
func hunkRange(start, n int) string {
	if n == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if n == 1 {
		return fmt.Sprint(start + 1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

// splitLines splits s after each newline; the last line may lack one.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// diffOp is one line of an edit script: kept (' '), deleted from a ('-')
// or inserted from b ('+'); a and b are the 0-based positions in each
// before it.
type diffOp struct {
	kind byte
	line string
	a, b int
}

// maxEdits bounds the search for a shortest edit script: past it, the
// differing middle is replaced whole (a correct, longer diff).
const maxEdits = 1000

// diffLines returns an edit script from x to y: the common prefix and
// suffix kept, and between them a shortest script (Myers' O(ND)
// algorithm) while it has at most maxEdits edits.
func diffLines(x, y []string) []diffOp {
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	var ops []diffOp
	for i := range pre {
		ops = append(ops, diffOp{' ', x[i], i, i})
	}
	ops = append(ops, myers(x[pre:len(x)-suf], y[pre:len(y)-suf], pre, pre)...)
	for k := range suf {
		i, j := len(x)-suf+k, len(y)-suf+k
		ops = append(ops, diffOp{' ', x[i], i, j})
	}
	return ops
}

// myers is the edit script from x to y, whose lines start at offsets ox
// and oy of the whole files.
func myers(x, y []string, ox, oy int) []diffOp {
	n, m := len(x), len(y)
	limit := min(n+m, maxEdits)
	// v[k+off] is the furthest x reached on diagonal k; trace keeps v as
	// it was before each round d, to walk the path back.
	off := limit + 1
	v := make([]int, 2*limit+3)
	var trace [][]int
	found := -1
	for d := 0; d <= limit && found < 0; d++ {
		trace = append(trace, append([]int(nil), v[off-d-1:off+d+2]...))
		for k := -d; k <= d; k += 2 {
			var i int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				i = v[off+k+1] // down: insert y
			} else {
				i = v[off+k-1] + 1 // right: delete x
			}
			j := i - k
			for i < n && j < m && x[i] == y[j] {
				i++
				j++
			}
			v[off+k] = i
			if i >= n && j >= m {
				found = d
				break
			}
		}
	}
	if found < 0 {
		// Too different to search: delete all of x, insert all of y.
		ops := make([]diffOp, 0, n+m)
		for i, l := range x {
			ops = append(ops, diffOp{'-', l, ox + i, oy})
		}
		for j, l := range y {
			ops = append(ops, diffOp{'+', l, ox + n, oy + j})
		}
		return ops
	}
	// Walk back from (n, m): each round d ends in a snake (equal lines)
	// after one edit from the end point of round d-1 on a neighbouring
	// diagonal.
	var rev []diffOp
	i, j := n, m
	for d := found; d > 0; d-- {
		prev := trace[d] // v before round d: diagonals -d-1..d+1
		at := func(k int) int { return prev[k+d+1] }
		k := i - j
		pk := k - 1
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			pk = k + 1
		}
		pi := at(pk)
		pj := pi - pk
		for i > pi && j > pj {
			i--
			j--
			rev = append(rev, diffOp{' ', x[i], ox + i, oy + j})
		}
		if i == pi {
			j--
			rev = append(rev, diffOp{'+', y[j], ox + i, oy + j})
		} else {
			i--
			rev = append(rev, diffOp{'-', x[i], ox + i, oy + j})
		}
	}
	for i > 0 {
		i--
		j--
		rev = append(rev, diffOp{' ', x[i], ox + i, oy + j})
	}
	ops := make([]diffOp, len(rev))
	for k, op := range rev {
		ops[len(rev)-1-k] = op
	}
	return ops
}
