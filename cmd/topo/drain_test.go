package main

import (
	"os"
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
	r := topo(t, cliOpts{}, "drain", "-f", file, "fe01").wantCode(t, exitError)
	for _, want := range []string{`"fe01" names 2 servers`, "site.redmond.pool.pool01.server.fe01 (fe01.contoso.com, active)", "site.dublin.pool.pool02.server.fe01 (dub-fe01.contoso.com, active)"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("ambiguous drain: stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	topo(t, cliOpts{}, "drain", "-f", file, "nosuch").wantCode(t, exitError)
	if read() != before {
		t.Fatal("a refused drain changed the file")
	}

	// By FQDN: the plan shows fe05 leaving the pool FQDN only.
	r = topo(t, cliOpts{}, "drain", "-f", file, "fe05.contoso.com").wantCode(t, exitOK)
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
	topo(t, cliOpts{}, "drain", "-f", file, "fe05.contoso.com").wantCode(t, exitOK) // already so

	// Dublin's pool of 3 needs 2 active: the second one out is refused.
	topo(t, cliOpts{}, "offline", "-f", file, "dub-fe01.contoso.com").wantCode(t, exitOK)
	before = read()
	r = topo(t, cliOpts{}, "drain", "-f", file, "dub-fe02.contoso.com").wantCode(t, exitError)
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
	topo(t, cliOpts{}, "resume", "-f", file, "site.dublin.pool.pool02.server.fe01").wantCode(t, exitOK)
	topo(t, cliOpts{}, "resume", "-f", file, "fe05.contoso.com").wantCode(t, exitOK)
	topo(t, cliOpts{}, "plan", "--detailed-exitcode", file).wantCode(t, exitOK)
}
