package engine_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/publish"
)

// verifyRecords is what the zone of enginetest.VerifyTopology holds once published.
func verifyRecords() []string {
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

// TestVerifyOverDNS asks a DNS server on loopback with real queries.
func TestVerifyOverDNS(t *testing.T) {
	d := enginetest.MustCompile(t, enginetest.VerifyTopology)
	l := engine.FromDesired(publish.Source{Desired: d}, nil)
	srv := enginetest.StartDNSServer(t, []string{"example.test"}, verifyRecords()...)
	verify := func() ([]engine.Check, error) {
		return l.Verify(context.Background(), engine.VerifyOptions{Server: srv.Addr, Timeout: 2 * time.Second})
	}
	checks, err := verify()
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	types := map[string]int{}
	for _, c := range checks {
		types[c.Type]++
		if !c.OK {
			bad = append(bad, c.Name+" "+c.Type)
		}
	}
	if len(bad) > 0 {
		t.Errorf("checks that differ from a zone holding what the topology wants: %v\n%+v", bad, checks)
	}
	if diff := cmp.Diff(map[string]int{"A": 6, "AAAA": 1, "CNAME": 1, "SRV": 1, "TXT": 8}, types); diff != "" {
		t.Errorf("checks by type (-want +got):\n%s", diff)
	}

	t.Run("an answer over 512 bytes is asked again over TCP", func(t *testing.T) {
		recs := verifyRecords()
		for i := range 40 {
			recs = append(recs, fmt.Sprintf("pool.example.test. 300 IN A 10.1.0.%d", i+1))
		}
		srv.SetZones(t, []string{"example.test"}, recs...)
		defer srv.SetZones(t, []string{"example.test"}, verifyRecords()...)
		checks, err := verify()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range checks {
			if c.Name == "pool.example.test" && len(c.Got) != 42 {
				t.Errorf("pool.example.test: got %d addresses, want all 42", len(c.Got))
			}
		}
	})

	for _, tc := range []struct {
		name string
		set  func()
		want string
	}{
		{"no AA bit", func() { srv.SetAuthoritative(false) }, "without the AA bit"},
		{"REFUSED", func() { srv.SetRefuse(true) }, "(REFUSED): it does not serve the zone"},
		{"the parent zone only", func() { srv.SetZones(t, []string{"test"}) }, "it answers from zone test, not example.test (NXDOMAIN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.set()
			defer func() {
				srv.SetAuthoritative(true)
				srv.SetRefuse(false)
				srv.SetZones(t, []string{"example.test"}, verifyRecords()...)
			}()
			asked := srv.Asked()
			_, err := verify()
			var ne *engine.NotAuthoritativeError
			if !errors.As(err, &ne) || !strings.Contains(err.Error(), "server "+srv.Addr+" is not authoritative for zone example.test (internal): ") || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want server %s named not authoritative (%s), got %v", srv.Addr, tc.want, err)
			}
			if n := srv.Asked() - asked; n != 1 {
				t.Errorf("%d queries, want the SOA query alone", n)
			}
		})
	}
}
