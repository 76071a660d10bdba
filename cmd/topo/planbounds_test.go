package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/publish"
)

// bigTopology writes BigTopology(pools) as topology.hcl in a directory of
// its own (its zone file, once published, beside it).
func bigTopology(t *testing.T, pools int) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "topology.hcl")
	if err := os.WriteFile(file, []byte(enginetest.BigTopology("bench.test", pools)), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestCLIPlanBounded: a large plan printed as text or Markdown fits
// --max-bytes (a pull-request comment by default) and says where the whole
// plan is; --out and -o json keep it whole; the step summary gets what is
// left of GitHub's 1 MiB (issue 12 item 4).
func TestCLIPlanBounded(t *testing.T) {
	const pools = 300
	file := bigTopology(t, pools)
	planFile := filepath.Join(t.TempDir(), "plan.json")
	for _, tc := range []struct {
		name     string
		args     []string
		max      int // 0: no bound
		has, not []string
	}{
		{"text, by default", []string{"plan", file}, defaultMaxBytes,
			[]string{"This plan is too large to show in full (4,200 record set changes in 1 zone and 300 notes)", "The full plan: topo plan -o json, or topo plan --out PLANFILE to save it.", "Plan: 4,200 to create, 0 to update, 0 to delete."}, nil},
		{"Markdown with its graph, the plan saved", []string{"plan", "-o", "markdown", "--graph", "--out", planFile, file}, defaultMaxBytes,
			[]string{"The full plan: the saved plan " + planFile + ", or topo plan -o json.", "```mermaid\nflowchart LR\n", "<details>"}, nil},
		{"a bound of its own", []string{"plan", "-o", "markdown", "--max-bytes", "20000", file}, 20000,
			[]string{"too large to show in full"}, nil},
		{"no bound", []string{"plan", "--max-bytes", "0", file}, 0,
			[]string{"[joining] 12 servers join p299.bench.test"}, []string{"too large"}},
		{"the saved plan shown", []string{"show", planFile}, defaultMaxBytes,
			[]string{"too large to show in full", "The full plan: topo show -o json " + planFile + "."}, nil},
		{"the saved plan shown whole", []string{"show", "-o", "markdown", "--max-bytes", "0", planFile}, 0,
			nil, []string{"too large"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := topo(t, cliOpts{}, tc.args...).wantCode(t, 0)
			if tc.max > 0 && len(r.stdout) > tc.max {
				t.Errorf("%d bytes on stdout, over %d", len(r.stdout), tc.max)
			}
			if tc.max == 0 && len(r.stdout) < defaultMaxBytes {
				t.Errorf("only %d bytes without a bound", len(r.stdout))
			}
			for _, s := range tc.has {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout lacks %q", s)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(r.stdout, s) {
					t.Errorf("stdout has %q", s)
				}
			}
		})
	}
	t.Run("the saved plan is whole", func(t *testing.T) {
		data, err := os.ReadFile(planFile)
		if err != nil {
			t.Fatal(err)
		}
		p, err := publish.Unmarshal(data)
		if err != nil {
			t.Fatal(err)
		}
		if c := p.Counts(); c.Create != pools*14 || len(p.Notes) != pools*12 {
			t.Errorf("saved plan: %+v, %d notes; want %d creates and a note per server", c, len(p.Notes), pools*14)
		}
	})
	t.Run("too small a bound", func(t *testing.T) {
		r := topo(t, cliOpts{}, "plan", "--max-bytes", "100", file).wantCode(t, 1)
		if !strings.Contains(r.stderr, "--max-bytes 100: give 0 (never summarise) or at least 2048") {
			t.Errorf("stderr:\n%s", r.stderr)
		}
	})
	for _, tc := range []struct {
		name     string
		earlier  int // bytes already in the step's summary
		whole    bool
		warnings string
	}{
		{"the step summary holds the whole plan", 100, true, ""},
		{"a step summary nearly full: the plan summarised to what is left", 900 << 10, false, ""},
		{"a full step summary: nothing added", stepSummaryMax - 100, false, "GITHUB_STEP_SUMMARY holds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			summary := filepath.Join(t.TempDir(), "summary.md")
			if err := os.WriteFile(summary, []byte(strings.Repeat("x", tc.earlier-1)+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			r := topo(t, cliOpts{env: map[string]string{"GITHUB_STEP_SUMMARY": summary}}, "plan", "--graph", file).wantCode(t, 0)
			got, _ := os.ReadFile(summary)
			if len(got) > stepSummaryMax {
				t.Errorf("step summary of %d bytes, over GitHub's %d", len(got), stepSummaryMax)
			}
			added := string(got[tc.earlier:])
			if tc.whole && (strings.Contains(added, "too large") || !strings.Contains(added, "```mermaid")) {
				t.Errorf("the step summary does not hold the whole plan and its graph")
			}
			if !tc.whole && tc.warnings == "" && !strings.Contains(added, "too large to show in full") {
				t.Errorf("the step summary is not summarised: %d bytes added", len(added))
			}
			if tc.warnings != "" && (added != "" || !strings.Contains(r.stderr, tc.warnings)) {
				t.Errorf("added %d bytes; stderr:\n%s", len(added), r.stderr)
			}
		})
	}
}

// TestCLIPlanGuard: a plan publish will refuse says so at plan time, and
// --detailed-exitcode still exits 2 (issue 12 item 7).
func TestCLIPlanGuard(t *testing.T) {
	file := bigTopology(t, 20)
	topo(t, cliOpts{}, "publish", "--auto-approve", file).wantCode(t, 0)
	if err := os.WriteFile(file, []byte(enginetest.BigTopology("bench.test", 10)), 0o644); err != nil {
		t.Fatal(err)
	}
	r := topo(t, cliOpts{}, "plan", "--detailed-exitcode", file).wantCode(t, exitChanges)
	for _, s := range []string{
		"Publish will refuse this plan (the mass-change guard):",
		"zone bench.test (both): 140 of 280 owned record sets would be updated or deleted (50%, limit 30%)",
		"publish with --allow-mass-change, or raise max_change on the zone",
	} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("plan text lacks %q:\n%s", s, r.stdout[max(0, len(r.stdout)-1500):])
		}
	}
	r = topo(t, cliOpts{}, "plan", "-o", "markdown", "--detailed-exitcode", file).wantCode(t, exitChanges)
	if !strings.Contains(r.stdout, "> [!WARNING]\n> **Publish will refuse this plan**") {
		t.Errorf("plan Markdown does not warn:\n%s", r.stdout[:min(len(r.stdout), 1500)])
	}
	topo(t, cliOpts{}, "publish", "--auto-approve", file).wantCode(t, 1)
}
