package publish_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

const zone = "contoso.com"

// rs builds a normalized RRset.
func rs(name, typ string, ttl uint32, values ...string) providers.RRset {
	s := providers.RRset{Name: name, Type: typ, TTL: ttl, Values: append([]string(nil), values...)}
	s.Normalize()
	return s
}

// ptr returns a pointer to a copy of s.
func ptr(s providers.RRset) *providers.RRset { return &s }

// marker is topology's ownership marker for name.
func marker(name, topology string) providers.RRset {
	return rs(publish.MarkerName(name), "TXT", 300, publish.MarkerValue(topology))
}

// apex is what every zone holds before topo touches it.
var apex = []providers.RRset{
	rs(zone, "SOA", 3600, "ns1.contoso.com. hostmaster.contoso.com. 1 3600 600 1209600 300"),
	rs(zone, "NS", 3600, "ns1.contoso.com."),
}

// desired builds a ZoneWant from RRsets, each with one source named after
// its name.
func desired(sets ...providers.RRset) publish.ZoneWant {
	d := publish.ZoneWant{Sources: map[providers.Key][]string{}}
	for _, s := range sets {
		d.RRsets = append(d.RRsets, s)
		if !publish.IsMarker(s.Key()) {
			d.Sources[s.Key()] = []string{"src." + strings.TrimSuffix(s.Name, "."+zone)}
		}
	}
	providers.SortRRsets(d.RRsets)
	return d
}

func current(sets ...providers.RRset) []providers.RRset {
	out := append(append([]providers.RRset(nil), apex...), sets...)
	providers.SortRRsets(out)
	return out
}

var (
	shared    = publish.Owner{Mode: topology.OwnershipShared, Topology: "contoso"}
	exclusive = publish.Owner{Mode: topology.OwnershipExclusive, Topology: "contoso"}
)

func TestDiff(t *testing.T) {
	pool := "pool01." + zone
	poolA := rs(pool, "A", 300, "10.0.1.11", "10.0.1.12")
	poolMarker := marker(pool, "contoso")
	src := []string{"src.pool01"}

	tests := []struct {
		name    string
		desired publish.ZoneWant
		current []providers.RRset
		owner   publish.Owner
		want    []publish.Change
		owned   int
		// anyOrder compares the changes as a set.
		anyOrder bool
	}{
		{
			name:    "create on an empty zone, the marker right after its name",
			desired: desired(poolA, poolMarker),
			current: current(),
			owner:   shared,
			want: []publish.Change{
				{Action: publish.Create, Name: pool, Type: "A", After: ptr(poolA), Sources: src},
				{Action: publish.Create, Name: "_topo." + pool, Type: "TXT", After: ptr(poolMarker), Marker: true},
			},
		},
		{
			name:    "no-op when the zone holds what is desired",
			desired: desired(poolA, poolMarker),
			current: current(poolA, poolMarker),
			owner:   shared,
			owned:   1,
		},
		{
			name:    "update of an owned RRset's values",
			desired: desired(rs(pool, "A", 300, "10.0.1.11", "10.0.1.13"), poolMarker),
			current: current(poolA, poolMarker),
			owner:   shared,
			owned:   1,
			want: []publish.Change{{
				Action: publish.Update, Name: pool, Type: "A",
				Before: ptr(poolA), After: ptr(rs(pool, "A", 300, "10.0.1.11", "10.0.1.13")), Sources: src,
			}},
		},
		{
			name:    "a TTL-only change is an update",
			desired: desired(rs(pool, "A", 60, "10.0.1.11", "10.0.1.12"), poolMarker),
			current: current(poolA, poolMarker),
			owner:   shared,
			owned:   1,
			want: []publish.Change{{
				Action: publish.Update, Name: pool, Type: "A",
				Before: ptr(poolA), After: ptr(rs(pool, "A", 60, "10.0.1.11", "10.0.1.12")), Sources: src,
			}},
		},
		{
			name:    "delete of an owned name the topology no longer wants, with its marker",
			desired: desired(poolA, poolMarker),
			current: current(poolA, poolMarker, rs("fe02."+zone, "A", 300, "10.0.1.12"), marker("fe02."+zone, "contoso")),
			owner:   shared,
			owned:   2,
			want: []publish.Change{
				{Action: publish.Delete, Name: "fe02." + zone, Type: "A", Before: ptr(rs("fe02."+zone, "A", 300, "10.0.1.12"))},
				{Action: publish.Delete, Name: "_topo.fe02." + zone, Type: "TXT", Before: ptr(marker("fe02."+zone, "contoso")), Marker: true},
			},
		},
		{
			name:    "shared: records at names without our marker are left alone",
			desired: desired(poolA, poolMarker),
			current: current(poolA, poolMarker,
				rs("other."+zone, "A", 600, "192.0.2.1"),
				rs("legacy."+zone, "A", 600, "192.0.2.2"), marker("legacy."+zone, "fabrikam")),
			owner: shared,
			owned: 1,
		},
		{
			name:    "shared: other types at an owned name (MX, TXT) are untouched",
			desired: desired(rs(pool, "A", 300, "10.0.1.11"), poolMarker),
			current: current(poolA, poolMarker,
				rs(pool, "MX", 600, "10 mail.contoso.com."),
				rs(pool, "TXT", 600, "somebody's note")),
			owner: shared,
			owned: 1,
			want: []publish.Change{{
				Action: publish.Update, Name: pool, Type: "A",
				Before: ptr(poolA), After: ptr(rs(pool, "A", 300, "10.0.1.11")), Sources: src,
			}},
		},
		{
			// The order of the two changes is left open: a server that
			// ignores an A added beside a CNAME (RFC 2136) needs the
			// delete first.
			anyOrder: true,
			name:     "shared: an owned CNAME the topology replaces with an A is deleted",
			desired:  desired(poolA, poolMarker),
			current:  current(rs(pool, "CNAME", 300, "old.contoso.com."), poolMarker),
			owner:    shared,
			owned:    1,
			want: []publish.Change{
				{Action: publish.Create, Name: pool, Type: "A", After: ptr(poolA), Sources: src},
				{Action: publish.Delete, Name: pool, Type: "CNAME", Before: ptr(rs(pool, "CNAME", 300, "old.contoso.com."))},
			},
		},
		{
			name:    "exclusive: owns everything but SOA, NS and DNSSEC records, and writes no markers",
			desired: desired(poolA),
			current: current(
				rs(pool, "A", 300, "10.0.1.99"),
				rs(pool, "MX", 600, "10 mail.contoso.com."),
				rs("other."+zone, "A", 600, "192.0.2.1"),
				rs(zone, "DNSKEY", 3600, "257 3 13 AAAA"),
				rs(zone, "RRSIG", 3600, "SOA 13 2 3600 20300101000000 20200101000000 1 contoso.com. AAAA"),
				rs(zone, "NSEC3PARAM", 3600, "1 0 0 -"),
				rs("sub."+zone, "NS", 3600, "ns.sub.contoso.com."),
				rs("sub."+zone, "DS", 3600, "1 13 2 AAAA"),
			),
			owner: exclusive,
			// pool A and MX, other A: never a DNSSEC record (DS included)
			// or the delegation's NS.
			owned: 3,
			want: []publish.Change{
				{Action: publish.Delete, Name: "other." + zone, Type: "A", Before: ptr(rs("other."+zone, "A", 600, "192.0.2.1"))},
				// Deletes first within a name.
				{Action: publish.Delete, Name: pool, Type: "MX", Before: ptr(rs(pool, "MX", 600, "10 mail.contoso.com."))},
				{Action: publish.Update, Name: pool, Type: "A", Before: ptr(rs(pool, "A", 300, "10.0.1.99")), After: ptr(poolA), Sources: src},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, conflicts, owned := publish.Diff(zone, tt.desired, tt.current, tt.owner)
			if len(conflicts) > 0 {
				t.Fatalf("unexpected conflicts: %v", conflicts)
			}
			if tt.anyOrder {
				byAction := func(a, b publish.Change) int {
					return strings.Compare(string(a.Action)+a.Key().String(), string(b.Action)+b.Key().String())
				}
				got = slices.Clone(got)
				slices.SortFunc(got, byAction)
				slices.SortFunc(tt.want, byAction)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			if owned != tt.owned {
				t.Errorf("owned = %d, want %d", owned, tt.owned)
			}
		})
	}
}

func TestDiffConflicts(t *testing.T) {
	pool := "pool01." + zone
	web := "webint01." + zone
	poolA := rs(pool, "A", 300, "10.0.1.11", "10.0.1.12")
	tests := []struct {
		name    string
		desired publish.ZoneWant
		current []providers.RRset
		owner   publish.Owner
		// want: the conflicting keys, wanted and held.
		want []publish.Conflict
	}{
		{
			name:    "a name without a marker is not owned",
			desired: desired(poolA, marker(pool, "contoso")),
			current: current(rs(pool, "A", 600, "192.0.2.7")),
			owner:   shared,
			want: []publish.Conflict{{
				Zone: zone, Want: poolA, Sources: []string{"src.pool01"}, Have: rs(pool, "A", 600, "192.0.2.7"),
			}},
		},
		{
			name:    "a name marked by another topology is not owned",
			desired: desired(poolA, marker(pool, "contoso")),
			current: current(rs(pool, "A", 300, "10.0.9.9"), marker(pool, "fabrikam")),
			owner:   shared,
			want: []publish.Conflict{
				{Zone: zone, Want: marker(pool, "contoso"), Have: marker(pool, "fabrikam")},
				{Zone: zone, Want: poolA, Sources: []string{"src.pool01"}, Have: rs(pool, "A", 300, "10.0.9.9")},
			},
		},
		{
			name:    "an A where somebody's CNAME is",
			desired: desired(rs(web, "A", 300, "10.0.1.100"), marker(web, "contoso")),
			current: current(rs(web, "CNAME", 300, "lb.contoso.com.")),
			owner:   shared,
			want: []publish.Conflict{{
				Zone: zone, Want: rs(web, "A", 300, "10.0.1.100"), Sources: []string{"src.webint01"}, Have: rs(web, "CNAME", 300, "lb.contoso.com."),
			}},
		},
		{
			name:    "a CNAME where somebody's data is",
			desired: desired(rs(web, "CNAME", 300, "lb.contoso.com."), marker(web, "contoso")),
			current: current(rs(web, "A", 300, "10.0.1.100")),
			owner:   shared,
			want: []publish.Conflict{{
				Zone: zone, Want: rs(web, "CNAME", 300, "lb.contoso.com."), Sources: []string{"src.webint01"}, Have: rs(web, "A", 300, "10.0.1.100"),
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changes, got, _ := publish.Diff(zone, tt.desired, tt.current, tt.owner)
			sortConflicts(got)
			sortConflicts(tt.want)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("conflicts (-want +got):\n%s", diff)
			}
			// Nothing that is not ours is ever changed, conflict or not.
			held := providers.Index(tt.current)
			for _, c := range changes {
				if c.Action != publish.Create {
					t.Errorf("change %s %s touches a record topo does not own", c.Action, c.Key())
				}
				if _, exists := held[c.Key()]; exists {
					t.Errorf("create of %s, which the zone already holds", c.Key())
				}
			}
			// The error names what is wanted, why, and what is in the way.
			msg := (&publish.ConflictError{Conflicts: got}).Error()
			for _, c := range got {
				for _, s := range append([]string{c.Want.Name, c.Have.Type}, append(c.Sources, c.Have.Values...)...) {
					if !strings.Contains(msg, s) {
						t.Errorf("conflict error does not mention %q:\n%s", s, msg)
					}
				}
			}
		})
	}
}

func sortConflicts(cs []publish.Conflict) {
	slices.SortFunc(cs, func(a, b publish.Conflict) int { return providers.CompareKeys(a.Want.Key(), b.Want.Key()) })
}

func TestWantForMarkers(t *testing.T) {
	zr := &topology.ZoneRecords{
		Zone: zone, View: "internal", Provider: topology.DefaultProvider, Ownership: topology.OwnershipShared, TTL: 300,
		Records: []topology.Record{
			{Name: "pool01." + zone, Type: "A", TTL: 300, Value: "10.0.1.12", Source: "site.a.pool.p.server.fe02"},
			{Name: "pool01." + zone, Type: "A", TTL: 300, Value: "10.0.1.11", Source: "site.a.pool.p.server.fe01"},
			{Name: "fe01." + zone, Type: "A", TTL: 300, Value: "10.0.1.11", Source: "site.a.pool.p.server.fe01"},
			{Name: "fe01." + zone, Type: "AAAA", TTL: 300, Value: "2001:DB8::11", Source: "site.a.pool.p.server.fe01"},
		},
	}
	t.Run("shared: one marker per name", func(t *testing.T) {
		d := publish.WantFor(zr, "contoso")
		want := []providers.RRset{
			rs("_topo.fe01."+zone, "TXT", 300, "heritage=topo,topology=contoso"),
			rs("_topo.pool01."+zone, "TXT", 300, "heritage=topo,topology=contoso"),
			rs("fe01."+zone, "A", 300, "10.0.1.11"),
			rs("fe01."+zone, "AAAA", 300, "2001:db8::11"),
			rs("pool01."+zone, "A", 300, "10.0.1.11", "10.0.1.12"),
		}
		if diff := cmp.Diff(want, d.RRsets); diff != "" {
			t.Errorf("RRsets (-want +got):\n%s", diff)
		}
		wantSrc := []string{"site.a.pool.p.server.fe01", "site.a.pool.p.server.fe02"}
		if diff := cmp.Diff(wantSrc, d.Sources[providers.Key{Name: "pool01." + zone, Type: "A"}]); diff != "" {
			t.Errorf("sources of the pool (-want +got):\n%s", diff)
		}
	})
	t.Run("exclusive: no markers", func(t *testing.T) {
		ex := *zr
		ex.Ownership = topology.OwnershipExclusive
		for _, s := range publish.WantFor(&ex, "contoso").RRsets {
			if publish.IsMarker(s.Key()) {
				t.Errorf("exclusive zone got a marker: %v", s)
			}
		}
	})
	t.Run("a fresh zone then a second diff is a no-op", func(t *testing.T) {
		d := publish.WantFor(zr, "contoso")
		changes, conflicts, _ := publish.Diff(zone, d, current(), shared)
		if len(conflicts) > 0 {
			t.Fatal(conflicts)
		}
		cur := providers.Index(current())
		for _, c := range changes {
			if c.Action != publish.Create {
				t.Fatalf("fresh zone: %s %s", c.Action, c.Key())
			}
			cur[c.Key()] = *c.After
		}
		var after []providers.RRset
		for _, s := range cur {
			after = append(after, s)
		}
		providers.SortRRsets(after)
		again, conflicts, owned := publish.Diff(zone, d, after, shared)
		if len(again) != 0 || len(conflicts) != 0 {
			t.Fatalf("second diff: %v %v", again, conflicts)
		}
		if owned != 3 {
			t.Errorf("owned = %d, want 3 (markers not counted)", owned)
		}
	})
}
