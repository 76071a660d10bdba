package publish_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

func TestDiffAdopts(t *testing.T) {
	pool := "pool01." + zone
	fe := "fe01." + zone
	poolA := rs(pool, "A", 300, "10.0.1.11", "10.0.1.12")
	feA := rs(fe, "A", 300, "10.0.1.11")
	feAAAA := rs(fe, "AAAA", 300, "2001:db8::11")
	never := publish.Owner{Mode: topology.OwnershipShared, Topology: "contoso", Adopt: topology.AdoptNever}

	tests := []struct {
		name      string
		desired   publish.ZoneWant
		current   []providers.RRset
		owner     publish.Owner
		want      []publish.Change
		conflicts []publish.Conflict
	}{
		{
			name:    "an identical record set topo does not own is adopted, carrying its name's marker",
			desired: desired(poolA, marker(pool, "contoso")),
			current: current(poolA),
			owner:   shared,
			want: []publish.Change{
				{Action: publish.Adopt, Name: pool, Type: "A", Before: ptr(poolA), After: ptr(poolA), Sources: []string{"src.pool01"}, AdoptMarker: ptr(marker(pool, "contoso"))},
			},
		},
		{
			name:    "two adopted record sets at a name: the first carries the one marker",
			desired: desired(feA, feAAAA, marker(fe, "contoso")),
			current: current(feA, feAAAA),
			owner:   shared,
			want: []publish.Change{
				{Action: publish.Adopt, Name: fe, Type: "A", Before: ptr(feA), After: ptr(feA), Sources: []string{"src.fe01"}, AdoptMarker: ptr(marker(fe, "contoso"))},
				{Action: publish.Adopt, Name: fe, Type: "AAAA", Before: ptr(feAAAA), After: ptr(feAAAA), Sources: []string{"src.fe01"}},
			},
		},
		{
			name:    "an adoption beside a create: the marker is a create of its own",
			desired: desired(feA, feAAAA, marker(fe, "contoso")),
			current: current(feA),
			owner:   shared,
			want: []publish.Change{
				{Action: publish.Adopt, Name: fe, Type: "A", Before: ptr(feA), After: ptr(feA), Sources: []string{"src.fe01"}},
				{Action: publish.Create, Name: fe, Type: "AAAA", After: ptr(feAAAA), Sources: []string{"src.fe01"}},
				{Action: publish.Create, Name: "_topo." + fe, Type: "TXT", After: ptr(marker(fe, "contoso")), Marker: true},
			},
		},
		{
			name:    "exclusive: topo owns it already, nothing to adopt or write",
			desired: desired(poolA),
			current: current(poolA),
			owner:   exclusive,
		},
		{
			name:    "a record set owned already is no change",
			desired: desired(poolA, marker(pool, "contoso")),
			current: current(poolA, marker(pool, "contoso")),
			owner:   shared,
		},
		{
			name:    "adopt = never: an identical record set is a conflict",
			desired: desired(poolA, marker(pool, "contoso")),
			current: current(poolA),
			owner:   never,
			want: []publish.Change{
				{Action: publish.Create, Name: "_topo." + pool, Type: "TXT", After: ptr(marker(pool, "contoso")), Marker: true},
			},
			conflicts: []publish.Conflict{{Zone: zone, Want: poolA, Sources: []string{"src.pool01"}, Have: poolA, Why: publish.AdoptRefused}},
		},
		{
			name:    "another topology's marker: not adopted",
			desired: desired(poolA, marker(pool, "contoso")),
			current: current(poolA, marker(pool, "fabrikam")),
			owner:   shared,
			conflicts: []publish.Conflict{
				{Zone: zone, Want: marker(pool, "contoso"), Have: marker(pool, "fabrikam")},
				{Zone: zone, Want: poolA, Sources: []string{"src.pool01"}, Have: poolA, Why: publish.MarkedByOther},
			},
		},
		{
			name:    "a different TTL is not identical: a conflict, as before",
			desired: desired(poolA, marker(pool, "contoso")),
			current: current(rs(pool, "A", 3600, "10.0.1.11", "10.0.1.12")),
			owner:   shared,
			want: []publish.Change{
				{Action: publish.Create, Name: "_topo." + pool, Type: "TXT", After: ptr(marker(pool, "contoso")), Marker: true},
			},
			conflicts: []publish.Conflict{{Zone: zone, Want: poolA, Sources: []string{"src.pool01"}, Have: rs(pool, "A", 3600, "10.0.1.11", "10.0.1.12")}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, conflicts, owned := publish.Diff(zone, tt.desired, tt.current, tt.owner)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			sortConflicts(conflicts)
			sortConflicts(tt.conflicts)
			if diff := cmp.Diff(tt.conflicts, conflicts); diff != "" {
				t.Errorf("conflicts (-want +got):\n%s", diff)
			}
			if tt.owner.Mode == topology.OwnershipShared && tt.conflicts == nil && len(tt.want) > 0 && owned != 0 {
				t.Errorf("owned = %d: an adopted record set is not owned until its marker is written", owned)
			}
			for _, c := range conflicts {
				if c.Why != "" && !strings.Contains(c.String(), "exactly") {
					t.Errorf("an identical record set's conflict does not say so: %s", c)
				}
			}
		})
	}
}

func TestUnmarshalRefusesBadAdopts(t *testing.T) {
	a := func(vals string) string {
		return `{"name": "pool01.contoso.com", "type": "A", "ttl": 300, "values": [` + vals + `]}`
	}
	m := func(name string) string {
		return `{"name": "` + name + `", "type": "TXT", "ttl": 300, "values": ["heritage=topo,topology=contoso"]}`
	}
	plan := func(change string) string {
		return `{"format_version": 1, "kind": "topo-plan", "topology": "contoso", "zones": [
		  {"zone": "contoso.com", "view": "internal", "provider": "zonefile.default", "fingerprint": "x", "changes": [` + change + `]}]}`
	}
	good := `{"action": "adopt", "name": "pool01.contoso.com", "type": "A", "before": ` + a(`"10.0.0.1"`) + `, "after": ` + a(`"10.0.0.1"`) + `, "adopt_marker": ` + m("_topo.pool01.contoso.com") + `}`
	if _, err := publish.Unmarshal([]byte(plan(good))); err != nil {
		t.Fatalf("a well-formed adopt is refused: %v", err)
	}
	tests := []struct{ name, change string }{
		{"before and after differ", `{"action": "adopt", "name": "pool01.contoso.com", "type": "A", "before": ` + a(`"10.0.0.1"`) + `, "after": ` + a(`"10.0.0.2"`) + `}`},
		{"no before", `{"action": "adopt", "name": "pool01.contoso.com", "type": "A", "after": ` + a(`"10.0.0.1"`) + `}`},
		{"a marker of another name", `{"action": "adopt", "name": "pool01.contoso.com", "type": "A", "before": ` + a(`"10.0.0.1"`) + `, "after": ` + a(`"10.0.0.1"`) + `, "adopt_marker": ` + m("_topo.fe01.contoso.com") + `}`},
		{"a create carrying an adopt_marker", `{"action": "create", "name": "pool01.contoso.com", "type": "A", "after": ` + a(`"10.0.0.1"`) + `, "adopt_marker": ` + m("_topo.pool01.contoso.com") + `}`},
		{"an adopt marked as a marker", `{"action": "adopt", "name": "pool01.contoso.com", "type": "A", "marker": true, "before": ` + a(`"10.0.0.1"`) + `, "after": ` + a(`"10.0.0.1"`) + `}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if p, err := publish.Unmarshal([]byte(plan(tt.change))); err == nil {
				t.Fatalf("accepted: %+v", p)
			}
		})
	}
}

// adoptPlan is a plan adopting a pool and its servers (typed by hand: no
// markers) with one create beside them, for the renderers.
func adoptPlan(t *testing.T) *publish.Plan {
	t.Helper()
	zr := &topology.ZoneRecords{Zone: "a.test", View: "both", Provider: "memory.a", Ownership: topology.OwnershipShared, TTL: 300}
	for i := 1; i <= 3; i++ {
		ip := fmt.Sprintf("10.0.0.%d", 10+i)
		src := fmt.Sprintf("site.s.pool.pool.server.fe%d", i)
		zr.Records = append(zr.Records,
			topology.Record{Name: "pool.a.test", Type: "A", TTL: 300, Value: ip, Source: src},
			topology.Record{Name: fmt.Sprintf("fe%d.a.test", i), Type: "A", TTL: 300, Value: ip, Source: src})
	}
	var current []providers.RRset
	for _, s := range publish.WantFor(zr, "t").RRsets {
		if !publish.IsMarker(s.Key()) {
			current = append(current, s)
		}
	}
	zr.Records = append(zr.Records, topology.Record{Name: "fe4.a.test", Type: "A", TTL: 300, Value: "10.0.0.14", Source: "site.s.pool.pool.server.fe4"})
	p := publish.New(publish.Source{Desired: &topology.Desired{Topology: "t", Zones: []*topology.ZoneRecords{zr}}, File: "topology.hcl"})
	zp, conflicts := publish.DiffZone(zr, "t", publish.WantFor(zr, "t"), current)
	if len(conflicts) > 0 {
		t.Fatal(conflicts)
	}
	p.Zones = append(p.Zones, zp)
	return p
}

func TestRenderAdopts(t *testing.T) {
	p := adoptPlan(t)
	if c := p.Counts(); c != (publish.Counts{Create: 2, Adopt: 4}) {
		t.Fatalf("counts: %+v", c)
	}
	var txt, md bytes.Buffer
	if err := publish.WriteText(&txt, p, publish.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	golden(t, "adopt.txt", txt.Bytes())
	if err := publish.WriteMarkdown(&md, p); err != nil {
		t.Fatal(err)
	}
	golden(t, "adopt.md", md.Bytes())
}

// The mass-change guard counts what changes records: adoptions change
// none, however many there are beside the updates and deletes it counts.
func TestGuardIgnoresAdopts(t *testing.T) {
	for _, tc := range []struct {
		name             string
		updates, deletes int
		refuse           bool
	}{
		{name: "a zone adopting far more than it owns", updates: 1},
		{name: "updates past the limit are refused all the same", updates: 2, deletes: 2, refuse: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := guardPlan(10, 0, tc.updates, tc.deletes, 0)
			for i := range 40 {
				a := rs(fmt.Sprintf("adopted%d.contoso.com", i), "A", 300, "10.0.1.1")
				m := marker(a.Name, "contoso")
				p.Zones[0].Changes = append(p.Zones[0].Changes, publish.Change{Action: publish.Adopt, Name: a.Name, Type: "A", Before: ptr(a), After: ptr(a), AdoptMarker: &m})
			}
			err := publish.CheckGuard(p)
			if (err != nil) != tc.refuse {
				t.Fatalf("CheckGuard = %v, want refused %v", err, tc.refuse)
			}
			var ge *publish.GuardError
			if errors.As(err, &ge) && ge.Violations[0].Changed != tc.updates+tc.deletes {
				t.Errorf("the guard counted %d changes, want %d (adoptions left out)", ge.Violations[0].Changed, tc.updates+tc.deletes)
			}
		})
	}
}
