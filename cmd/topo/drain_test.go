package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIDrainResumeOffline edits the example in place through the
// commands, and checks refusals leave the file byte-identical.
func TestCLIDrainResumeOffline(t *testing.T) {
	file := contoso(t)
	read := func() string {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	topo(t, cliOpts{}, "publish", "--auto-approve", file).wantCode(t, exitOK)

	// fe01 names a server in pool01 and one in pool02: ambiguous.
	before := read()
	r := topo(t, cliOpts{}, "drain", "fe01", file).wantCode(t, exitError)
	for _, want := range []string{`"fe01" names 2 servers`, "site.redmond.pool.pool01.server.fe01 (fe01.contoso.com, active)", "site.dublin.pool.pool02.server.fe01 (dub-fe01.contoso.com, active)"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("ambiguous drain: stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	topo(t, cliOpts{}, "drain", "nosuch", file).wantCode(t, exitError)
	if read() != before {
		t.Fatal("a refused drain changed the file")
	}

	// By FQDN: the plan shows fe05 leaving the pool FQDN only.
	r = topo(t, cliOpts{}, "drain", "fe05.contoso.com", file).wantCode(t, exitOK)
	if !strings.Contains(r.stdout, "active -> draining") {
		t.Errorf("drain output: %s", r.stdout)
	}
	if !strings.Contains(read(), "# patching: leaves pool01.contoso.com, keeps its own name") {
		t.Error("drain lost a comment elsewhere in the file")
	}
	r = topo(t, cliOpts{}, "plan", "--detailed-exitcode", file).wantCode(t, exitChanges)
	if !strings.Contains(r.stdout, "- 10.0.1.15") || !strings.Contains(r.stdout, "[draining] fe05 (10.0.1.15) is draining") || strings.Contains(r.stdout, "fe05.contoso.com A") {
		t.Errorf("plan after drain:\n%s", r.stdout)
	}
	topo(t, cliOpts{}, "drain", "-f", file, "fe05.contoso.com").wantCode(t, exitOK) // already so; -f, the older form

	// Dublin's pool of 3 needs 2 active: the second one out is refused.
	topo(t, cliOpts{}, "offline", "dub-fe01.contoso.com", file).wantCode(t, exitOK)
	before = read()
	r = topo(t, cliOpts{}, "drain", "dub-fe02.contoso.com", file).wantCode(t, exitError)
	if !strings.Contains(r.stderr, "needs 2 of its 3 servers running to keep quorum") {
		t.Errorf("quorum refusal: %s", r.stderr)
	}
	if read() != before {
		t.Fatal("a refused drain changed the file")
	}
	r = topo(t, cliOpts{}, "plan", file).wantCode(t, exitOK)
	if !strings.Contains(r.stdout, "[offline] fe01 (10.0.2.11) is offline") {
		t.Errorf("plan after offline:\n%s", r.stdout)
	}

	// Resume both: the file is back to what was published.
	topo(t, cliOpts{}, "resume", "site.dublin.pool.pool02.server.fe01", file).wantCode(t, exitOK)
	topo(t, cliOpts{}, "resume", "-f", file, "fe05.contoso.com").wantCode(t, exitOK)
	topo(t, cliOpts{}, "plan", "--detailed-exitcode", file).wantCode(t, exitOK)
}

// TestCLIStateFileArgument: drain, resume and offline take the topology
// as FILE after SERVER, topology.hcl by default, or -f FILE; two different
// files are refused, and none of them has -o.
func TestCLIStateFileArgument(t *testing.T) {
	tests := []struct {
		name    string
		args    func(file string) []string
		code    int
		stderr  string
		changed bool
	}{
		{"FILE after SERVER", func(f string) []string { return []string{"drain", "fe05.contoso.com", f} }, exitOK, "", true},
		{"the default topology.hcl", func(string) []string { return []string{"drain", "fe05.contoso.com"} }, exitOK, "", true},
		{"-f FILE", func(f string) []string { return []string{"offline", "-f", f, "fe05.contoso.com"} }, exitOK, "", true},
		{"-f and the same FILE", func(f string) []string { return []string{"drain", "-f", f, "fe05.contoso.com", f} }, exitOK, "", true},
		{"-f and another FILE", func(f string) []string { return []string{"drain", "-f", "other.hcl", "fe05.contoso.com", f} }, exitError, "two topology files", false},
		{"a third argument", func(f string) []string { return []string{"resume", "fe05.contoso.com", f, f} }, exitError, "accepts between 1 and 2 arg(s)", false},
		{"-o json is no flag of drain", func(f string) []string { return []string{"drain", "-o", "json", "fe05.contoso.com", f} }, exitError, "unknown shorthand flag: 'o'", false},
		{"a saved plan as FILE", func(f string) []string { return []string{"drain", "fe05.contoso.com", savedPlan(t, f)} }, exitError, "Print the plan with: topo show", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := contoso(t)
			t.Chdir(filepath.Dir(file))
			before, _ := os.ReadFile(file)
			r := topo(t, cliOpts{}, tc.args(file)...).wantCode(t, tc.code)
			if !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, r.stderr)
			}
			after, _ := os.ReadFile(file)
			if changed := string(after) != string(before); changed != tc.changed {
				t.Errorf("file changed = %v, want %v", changed, tc.changed)
			}
		})
	}
}

// savedPlan saves a plan of the topology file beside it and returns its
// path.
func savedPlan(t *testing.T, file string) string {
	t.Helper()
	plan := filepath.Join(filepath.Dir(file), "plan.json")
	topo(t, cliOpts{}, "plan", "--out", plan, file).wantCode(t, exitOK)
	return plan
}
