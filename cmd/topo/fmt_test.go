package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	canonical = "name = \"a\"\n\nsite \"s\" {\n  pool \"p\" {\n    fqdn = \"p.contoso.com\"\n  }\n}\n"
	offLayout = "name = \"a\"\n\nsite \"s\" {\n pool \"p\" {\n fqdn =   \"p.contoso.com\"\n  }\n}\n"
)

// fmtTree writes files (path: contents) under a new directory and returns
// it.
func fmtTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			got[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return got
}

func TestCLIFmtTargets(t *testing.T) {
	tree := map[string]string{
		"topology.hcl":          offLayout,
		"ok.hcl":                canonical,
		"notes.txt":             offLayout, // not *.hcl: left alone in a directory
		"site/b.hcl":            offLayout,
		"site/deeper/c.hcl":     offLayout,
		".hidden/d.hcl":         offLayout,
		"site/.cache/e.hcl":     offLayout,
		"explicit/name.topo":    offLayout,
		"explicit/canonical.hc": canonical,
	}
	tests := []struct {
		name      string
		args      []string
		code      int
		stdout    []string // the files listed, in order (relative to the tree)
		formatted []string // the files rewritten
	}{
		{"no target: topology.hcl", []string{}, exitOK, []string{"topology.hcl"}, []string{"topology.hcl"}},
		{"a directory: its *.hcl", []string{"."}, exitOK, []string{"topology.hcl"}, []string{"topology.hcl"}},
		{"a directory, recursive", []string{"--recursive", "."}, exitOK,
			[]string{"site/b.hcl", "site/deeper/c.hcl", "topology.hcl"},
			[]string{"site/b.hcl", "site/deeper/c.hcl", "topology.hcl"}},
		{"-R, a subdirectory", []string{"-R", "site"}, exitOK, []string{"site/b.hcl", "site/deeper/c.hcl"}, []string{"site/b.hcl", "site/deeper/c.hcl"}},
		{"a file by any name", []string{"explicit/name.topo", "explicit/canonical.hc"}, exitOK, []string{"explicit/name.topo"}, []string{"explicit/name.topo"}},
		{"--check lists and writes nothing", []string{"--check", "-R", "."}, exitFormat, []string{"site/b.hcl", "site/deeper/c.hcl", "topology.hcl"}, nil},
		{"--check of canonical files", []string{"--check", "ok.hcl"}, exitOK, nil, nil},
		{"a missing target, the others still done", []string{"nope", "topology.hcl"}, exitError, []string{"topology.hcl"}, []string{"topology.hcl"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := fmtTree(t, tree)
			t.Chdir(dir)
			r := topo(t, cliOpts{}, append([]string{"fmt"}, tc.args...)...).wantCode(t, tc.code)
			var listed []string
			for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
				if l != "" {
					listed = append(listed, filepath.ToSlash(l))
				}
			}
			if diff := cmp.Diff(tc.stdout, listed); diff != "" {
				t.Errorf("files listed (-want +got):\n%s\nstderr: %s", diff, r.stderr)
			}
			want := map[string]string{}
			for k, v := range tree {
				want[k] = v
			}
			for _, f := range tc.formatted {
				want[f] = canonical
			}
			if diff := cmp.Diff(want, readTree(t, dir)); diff != "" {
				t.Errorf("the tree after fmt (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCLIFmtDiff(t *testing.T) {
	wantDiff := "topology.hcl\n--- a/topology.hcl\n+++ b/topology.hcl\n@@ -1,7 +1,7 @@\n name = \"a\"\n \n site \"s\" {\n- pool \"p\" {\n- fqdn =   \"p.contoso.com\"\n+  pool \"p\" {\n+    fqdn = \"p.contoso.com\"\n   }\n }\n"
	t.Run("--check --diff", func(t *testing.T) {
		t.Chdir(fmtTree(t, map[string]string{"topology.hcl": offLayout}))
		r := topo(t, cliOpts{}, "fmt", "--check", "--diff").wantCode(t, exitFormat)
		if diff := cmp.Diff(wantDiff, r.stdout); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		if b, _ := os.ReadFile("topology.hcl"); string(b) != offLayout {
			t.Errorf("--check --diff wrote the file")
		}
	})
	t.Run("--diff writes too", func(t *testing.T) {
		t.Chdir(fmtTree(t, map[string]string{"topology.hcl": offLayout}))
		r := topo(t, cliOpts{}, "fmt", "--diff").wantCode(t, exitOK)
		if diff := cmp.Diff(wantDiff, r.stdout); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		if b, _ := os.ReadFile("topology.hcl"); string(b) != canonical {
			t.Errorf("--diff did not format the file")
		}
	})
	t.Run("the example is canonical", func(t *testing.T) {
		r := topo(t, cliOpts{}, "fmt", "--check", "--diff", filepath.Join("..", "..", "examples")).wantCode(t, exitOK)
		if r.stdout != "" {
			t.Errorf("stdout: %s", r.stdout)
		}
	})
}

func TestCLIFmtStdin(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stdin  string
		code   int
		stdout string
	}{
		{"formats to stdout", []string{"fmt", "-"}, offLayout, exitOK, canonical},
		{"canonical stays", []string{"fmt", "-"}, canonical, exitOK, canonical},
		{"--check", []string{"fmt", "--check", "-"}, offLayout, exitFormat, ""},
		{"--diff", []string{"fmt", "--diff", "-"}, "a=1\n", exitOK, "--- a/<stdin>\n+++ b/<stdin>\n@@ -1 +1 @@\n-a=1\n+a = 1\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := topo(t, cliOpts{stdin: tc.stdin}, tc.args...).wantCode(t, tc.code)
			if diff := cmp.Diff(tc.stdout, r.stdout); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestCLIFmtRefuses: a file that does not parse, nests too deep or is a
// saved plan is reported with its position and left as it is; the other
// files are still formatted.
func TestCLIFmtRefuses(t *testing.T) {
	deep := "x = " + strings.Repeat("[", 100000) + "\n"
	tests := []struct {
		name, src string
		stderr    []string
	}{
		{"does not parse", "name = \"x\"\nsite \"a\" {\n", []string{"bad.hcl:2:"}},
		{"nests too deep", deep, []string{"Error: Nesting too deep", "bad.hcl:1:"}},
		{"a saved plan", `{"format_version": 1, "kind": "topo-plan", "zones": []}`, []string{"Error: A saved plan, not a topology", "topo show bad.hcl"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := fmtTree(t, map[string]string{"bad.hcl": tc.src, "good.hcl": offLayout})
			t.Chdir(dir)
			r := topo(t, cliOpts{}, "fmt", ".").wantCode(t, exitError)
			for _, s := range tc.stderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%.2000s", s, r.stderr)
				}
			}
			if len(r.stderr) > 4000 {
				t.Errorf("stderr is %d bytes", len(r.stderr))
			}
			got := readTree(t, dir)
			if got["bad.hcl"] != tc.src || got["good.hcl"] != canonical {
				t.Errorf("bad.hcl changed %v, good.hcl formatted %v", got["bad.hcl"] != tc.src, got["good.hcl"] == canonical)
			}
		})
	}
}
