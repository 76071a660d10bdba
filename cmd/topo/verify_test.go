package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/engine/enginetest"
)

// verifyZone is what example.test holds once the topology is published.
func verifyZone() []string {
	recs := []string{
		"pool.example.test. 300 IN A 10.0.0.1",
		"pool.example.test. 300 IN A 10.0.0.5",
		"a.example.test. 300 IN A 10.0.0.1",
		"b.example.test. 300 IN A 10.0.0.2",
		"e.example.test. 300 IN A 10.0.0.5",
		"web.example.test. 300 IN A 10.0.0.100",
		"sip.example.test. 300 IN A 10.0.0.1",
		"sip.example.test. 300 IN A 10.0.0.5",
		"lyncdiscoverinternal.example.test. 300 IN CNAME web.example.test.",
		"_sipinternaltls._tcp.example.test. 300 IN SRV 0 0 5061 pool.example.test.",
	}
	for _, n := range []string{"e", "pool", "a", "b", "web", "sip", "lyncdiscoverinternal", "_sipinternaltls._tcp"} {
		recs = append(recs, "_topo."+n+".example.test. 300 IN TXT \"heritage=topo,topology=v\"")
	}
	return recs
}

// TestCLIVerify runs topo verify against a DNS server on loopback: exit 0
// and a summary line alone when DNS matches, every check with --all, the
// differences alone and exit 2 when DNS differs (in each record type),
// exit 1 naming a server that is not authoritative; -o json holds every
// check.
func TestCLIVerify(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "topology.hcl")
	if err := os.WriteFile(file, []byte(enginetest.VerifyTopology), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := enginetest.StartDNSServer(t, []string{"example.test"}, verifyZone()...)
	// The zone differs in each record type: the drain of b not yet
	// published, offline c still answering, the CNAME and the SRV
	// elsewhere, a marker gone.
	var differ []string
	for _, r := range verifyZone() {
		if !strings.HasPrefix(r, "lyncdiscoverinternal.") && !strings.HasPrefix(r, "_sipinternaltls.") && !strings.HasPrefix(r, "_topo.web.") {
			differ = append(differ, r)
		}
	}
	differ = append(differ,
		"pool.example.test. 300 IN A 10.0.0.2",
		"c.example.test. 300 IN AAAA 2001:db8::3",
		"lyncdiscoverinternal.example.test. 300 IN CNAME pool.example.test.",
		"_sipinternaltls._tcp.example.test. 300 IN SRV 0 0 5062 pool.example.test.",
		"_topo._sipinternaltls._tcp.example.test. 300 IN TXT \"heritage=topo,topology=v\"",
	)
	for _, tc := range []struct {
		name    string
		args    []string
		records []string // nil: verifyZone
		set     func(*enginetest.DNSServer)
		code    int
	}{
		{name: "verify_match", code: 0},
		{name: "verify_all", args: []string{"--all"}, code: 0},
		{name: "verify_differ", records: differ, code: 2},
		{name: "verify_differ_all", args: []string{"--all"}, records: differ, code: 2},
		{name: "verify_not_authoritative", set: func(s *enginetest.DNSServer) { s.SetAuthoritative(false) }, code: 1},
		{name: "verify_refused", set: func(s *enginetest.DNSServer) { s.SetRefuse(true) }, code: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs := tc.records
			if recs == nil {
				recs = verifyZone()
			}
			srv.SetZones(t, []string{"example.test"}, recs...)
			srv.SetAuthoritative(true)
			srv.SetRefuse(false)
			if tc.set != nil {
				tc.set(srv)
			}
			args := append([]string{"verify", "--server", srv.Addr}, tc.args...)
			r := topo(t, cliOpts{}, append(args, file)...).wantCode(t, tc.code)
			out := strings.ReplaceAll(r.stdout+r.stderr, srv.Addr, "$SERVER")
			goldenText(t, tc.name+".txt", dir, out)

			// -o json holds every check, whatever --all says.
			if tc.code == 1 {
				return
			}
			r = topo(t, cliOpts{}, append([]string{"verify", "-o", "json", "--server", srv.Addr}, file)...).wantCode(t, tc.code)
			var doc struct {
				Match  bool           `json:"match"`
				Differ int            `json:"differ"`
				Checks []engine.Check `json:"checks"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
				t.Fatalf("verify -o json: %v\n%s", err, r.stdout)
			}
			if len(doc.Checks) != 17 || doc.Match != (tc.code == 0) || (doc.Differ > 0) != (tc.code == 2) {
				t.Errorf("verify -o json: %d checks, match %v, differ %d", len(doc.Checks), doc.Match, doc.Differ)
			}
		})
	}
}
