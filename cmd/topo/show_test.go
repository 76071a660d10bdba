package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCLIShow: topo show prints a saved plan exactly as topo plan printed
// it, in each format, reading nothing else.
func TestCLIShow(t *testing.T) {
	file := contoso(t)
	topo(t, cliOpts{}, "publish", "--auto-approve", file).wantCode(t, exitOK)
	drainFE05(t, file) // a change and a note
	planFile := filepath.Join(t.TempDir(), "plan.json")
	planned := topo(t, cliOpts{}, "plan", "--out", planFile, file).wantCode(t, exitOK)
	saved, err := os.ReadFile(planFile)
	if err != nil {
		t.Fatal(err)
	}
	norm := func(s string) string { return clock.ReplaceAllString(s, "HH:MM UTC") }

	t.Run("text", func(t *testing.T) {
		r := topo(t, cliOpts{}, "show", planFile).wantCode(t, exitOK)
		if diff := cmp.Diff(norm(planned.stdout), norm(r.stdout)); diff != "" {
			t.Errorf("show differs from plan (-plan +show):\n%s", diff)
		}
		if !strings.Contains(r.stdout, "fe05 (10.0.1.15) is draining") {
			t.Errorf("no note:\n%s", r.stdout)
		}
	})
	t.Run("markdown", func(t *testing.T) {
		want := topo(t, cliOpts{}, "plan", "-o", "markdown", file).wantCode(t, exitOK)
		r := topo(t, cliOpts{}, "show", "-o", "markdown", planFile).wantCode(t, exitOK)
		if diff := cmp.Diff(norm(want.stdout), norm(r.stdout)); diff != "" {
			t.Errorf("(-plan +show):\n%s", diff)
		}
	})
	t.Run("json is the saved plan", func(t *testing.T) {
		r := topo(t, cliOpts{}, "show", "-o", "json", planFile).wantCode(t, exitOK)
		if diff := cmp.Diff(string(saved), r.stdout); diff != "" {
			t.Errorf("(-saved +show):\n%s", diff)
		}
	})
	t.Run("without the topology or its zones", func(t *testing.T) {
		alone := filepath.Join(t.TempDir(), "plan.json")
		os.WriteFile(alone, saved, 0o600)
		os.Remove(file)
		os.RemoveAll(filepath.Join(filepath.Dir(file), "zones"))
		r := topo(t, cliOpts{}, "show", alone).wantCode(t, exitOK)
		if diff := cmp.Diff(norm(planned.stdout), norm(r.stdout)); diff != "" {
			t.Errorf("(-plan +show):\n%s", diff)
		}
	})
}

func TestCLIShowRefuses(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(src), 0o644)
		return p
	}
	topology := contoso(t)
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"a topology", []string{"show", topology}, "is a topology, not a saved plan: show what it would change with: topo plan " + topology},
		{"neither", []string{"show", write("notes.txt", "{not json")}, "is not a saved plan: make one with: topo plan --out"},
		{"another format version", []string{"show", write("v2.json", `{"format_version": 2, "kind": "topo-plan", "zones": []}`)}, "format version 2"},
		{"a missing file", []string{"show", filepath.Join(dir, "nope.json")}, "no such file"},
		{"no PLANFILE", []string{"show"}, "accepts 1 arg(s), received 0"},
		{"-o zone", []string{"show", "-o", "zone", topology}, `unknown output format "zone": this command offers text, json, markdown`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := topo(t, cliOpts{}, tc.args...).wantCode(t, exitError)
			if !strings.Contains(r.stderr, tc.stderr) || r.stdout != "" {
				t.Errorf("stderr lacks %q (stdout %q):\n%s", tc.stderr, r.stdout, r.stderr)
			}
		})
	}
}

// TestCLIPlanFileWhereATopologyBelongs: every command that reads a
// topology, handed a saved plan, says so and points at topo show.
func TestCLIPlanFileWhereATopologyBelongs(t *testing.T) {
	file := contoso(t)
	planFile := savedPlan(t, file)
	for _, args := range [][]string{
		{"plan", "-o", "markdown", planFile},
		{"validate", planFile},
		{"compile", planFile},
		{"graph", planFile},
		{"verify", planFile},
		{"drain", "fe05.contoso.com", planFile},
		{"fmt", "--check", planFile},
	} {
		t.Run(args[0], func(t *testing.T) {
			before, _ := os.ReadFile(planFile)
			r := topo(t, cliOpts{}, args...).wantCode(t, exitError)
			for _, want := range []string{"Error: A saved plan, not a topology", "Print the plan with: topo show", "topo publish"} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			if strings.Contains(r.stderr, "Argument or block definition required") {
				t.Errorf("an HCL parse error for a plan file:\n%s", r.stderr)
			}
			if after, _ := os.ReadFile(planFile); !bytes.Equal(before, after) {
				t.Errorf("the plan file changed")
			}
		})
	}
	t.Run("validate -o json", func(t *testing.T) {
		r := topo(t, cliOpts{}, "validate", "-o", "json", planFile).wantCode(t, exitError)
		if !strings.Contains(r.stdout, `"summary": "A saved plan, not a topology"`) {
			t.Errorf("stdout:\n%s", r.stdout)
		}
	})
}
