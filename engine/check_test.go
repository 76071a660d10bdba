package engine

import (
	"errors"
	"strings"
	"testing"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
)

// checkTargets is the last check before writing: a zone plan that would
// leave a zone that does not load is refused whatever made it (Diff never
// makes one; this is the check that holds if it ever did).
func TestCheckTargetsRefusesBrokenZones(t *testing.T) {
	set := func(name, typ string, values ...string) providers.RRset {
		s := providers.RRset{Name: name, Type: typ, TTL: 300, Values: values}
		s.Normalize()
		return s
	}
	current := []providers.RRset{
		set("a.test", "SOA", "ns1.a.test. hostmaster.a.test. 1 3600 600 86400 300"),
		set("a.test", "NS", "ns1.a.test."),
		set("ns1.a.test", "A", "192.0.2.53"),
		set("sub.a.test", "NS", "ns.sub.a.test."),
		set("ns.sub.a.test", "A", "192.0.2.54"),
		set("www.a.test", "A", "192.0.2.80"),
	}
	providers.SortRRsets(current)
	idx := providers.Index(current)
	del := func(name, typ string) publish.Change {
		b := idx[providers.Key{Name: name, Type: typ}]
		return publish.Change{Action: publish.Delete, Name: name, Type: typ, Before: &b}
	}
	create := func(s providers.RRset) publish.Change {
		return publish.Change{Action: publish.Create, Name: s.Name, Type: s.Type, After: &s}
	}
	tests := []struct {
		name    string
		changes []publish.Change
		// want is in the refusal; "" when the changes pass.
		want string
	}{
		{name: "a change that keeps the zone whole", changes: []publish.Change{del("www.a.test", "A"), create(set("pool.a.test", "A", "10.0.0.1"))}},
		{name: "the zone's name server loses its address", changes: []publish.Change{del("ns1.a.test", "A")}, want: "ns1.a.test, a name server named by a.test NS, would have no address record"},
		{name: "the delegation loses its glue", changes: []publish.Change{del("ns.sub.a.test", "A")}, want: "ns.sub.a.test, a name server named by sub.a.test NS"},
		{name: "a CNAME beside data", changes: []publish.Change{create(set("www.a.test", "CNAME", "pool.a.test."))}, want: "www.a.test would hold a CNAME beside other data (A)"},
		{name: "a record below the delegation", changes: []publish.Change{create(set("pool.sub.a.test", "TXT", "x"))}, want: "pool.sub.a.test TXT would be at or below the delegation sub.a.test NS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fine := target{zp: publish.ZonePlan{Zone: "b.test", View: "both", Changes: []publish.Change{create(set("x.b.test", "A", "10.0.0.2"))}}}
			bad := target{zp: publish.ZonePlan{Zone: "a.test", View: "internal", Changes: tt.changes}, current: current}
			err := checkTargets([]target{fine, bad}, true)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var be *publish.BrokenZoneError
			if !errors.As(err, &be) || be.Zone != "a.test (internal)" {
				t.Fatalf("want a *publish.BrokenZoneError for a.test (internal), got %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "Nothing was written") {
				t.Errorf("the refusal does not say %q:\n%v", tt.want, err)
			}
		})
	}
}
