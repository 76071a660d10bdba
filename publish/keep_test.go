package publish_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// structured is a zone whose name server lives in the zone (ns1 A) and
// that delegates sub to ns.sub, with glue, signed: the records no
// ownership mode gives topo.
func structured(extra ...providers.RRset) []providers.RRset {
	out := append([]providers.RRset{
		rs(zone, "SOA", 3600, "ns1.contoso.com. hostmaster.contoso.com. 1 3600 600 1209600 300"),
		rs(zone, "NS", 3600, "ns1.contoso.com.", "ns2.example.net."),
		rs(zone, "DNSKEY", 3600, "257 3 13 AAAA"),
		rs("ns1."+zone, "A", 3600, "192.0.2.53"),
		rs("ns1."+zone, "AAAA", 3600, "2001:db8::53"),
		rs("sub."+zone, "NS", 3600, "ns.sub.contoso.com.", "ns3.contoso.com."),
		rs("sub."+zone, "DS", 3600, "1 13 2 AAAA"),
		rs("ns.sub."+zone, "A", 3600, "192.0.2.54"),
		rs("ns3."+zone, "A", 3600, "192.0.2.55"),
		rs("old."+zone, "A", 300, "192.0.2.1"),
	}, extra...)
	providers.SortRRsets(out)
	return out
}

func TestDiffKeepsZoneStructure(t *testing.T) {
	pool := "pool01." + zone
	poolA := rs(pool, "A", 300, "10.0.1.11")
	wantKept := []publish.KeptRRset{
		{Name: zone, Type: "DNSKEY", Reason: publish.KeepDNSSEC},
		{Name: zone, Type: "NS", Reason: publish.KeepApex},
		{Name: zone, Type: "SOA", Reason: publish.KeepApex},
		{Name: "ns.sub." + zone, Type: "A", Reason: publish.KeepGlue},
		{Name: "ns1." + zone, Type: "A", Reason: publish.KeepNameServer},
		{Name: "ns1." + zone, Type: "AAAA", Reason: publish.KeepNameServer},
		{Name: "ns3." + zone, Type: "A", Reason: publish.KeepGlue},
		{Name: "sub." + zone, Type: "DS", Reason: publish.KeepDelegation},
		{Name: "sub." + zone, Type: "NS", Reason: publish.KeepDelegation},
	}
	tests := []struct {
		name     string
		mode     topology.Ownership
		current  []providers.RRset
		want     []publish.Change
		wantKept []publish.KeptRRset
		owned    int
	}{
		{
			// The reproducer of issue 13: exclusive ownership deleted ns1 A
			// and the glue ns.sub A.
			name:    "exclusive: only the unstructured record goes",
			mode:    topology.OwnershipExclusive,
			current: structured(),
			want: []publish.Change{
				{Action: publish.Delete, Name: "old." + zone, Type: "A", Before: ptr(rs("old."+zone, "A", 300, "192.0.2.1"))},
				{Action: publish.Create, Name: pool, Type: "A", After: ptr(poolA), Sources: []string{"src.pool01"}},
			},
			wantKept: wantKept,
			owned:    1,
		},
		{
			name: "shared: a marker on a name server's name does not give topo its address",
			mode: topology.OwnershipShared,
			current: structured(
				marker("ns1."+zone, "contoso"), marker("ns.sub."+zone, "contoso"),
				poolA, marker(pool, "contoso")),
			want: []publish.Change{
				{Action: publish.Delete, Name: "_topo.ns1." + zone, Type: "TXT", Before: ptr(marker("ns1."+zone, "contoso")), Marker: true},
			},
			wantKept: []publish.KeptRRset{
				{Name: "_topo.ns.sub." + zone, Type: "TXT", Reason: publish.KeepDelegation},
				{Name: "ns.sub." + zone, Type: "A", Reason: publish.KeepGlue},
				{Name: "ns1." + zone, Type: "A", Reason: publish.KeepNameServer},
				{Name: "ns1." + zone, Type: "AAAA", Reason: publish.KeepNameServer},
			},
			owned: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zr := &topology.ZoneRecords{Zone: zone, View: "internal", Provider: "memory.a", Ownership: tt.mode, TTL: 300,
				Records: []topology.Record{{Name: pool, Type: "A", TTL: 300, Value: "10.0.1.11", Source: "src.pool01"}}}
			want := publish.WantFor(zr, "contoso")
			zp, conflicts := publish.DiffZone(zr, "contoso", want, tt.current)
			if len(conflicts) > 0 {
				t.Fatalf("conflicts: %v", conflicts)
			}
			var changes []publish.Change
			for _, c := range zp.Changes {
				if !c.Marker || c.Action == publish.Delete {
					changes = append(changes, c)
				}
			}
			if diff := cmp.Diff(tt.want, changes); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantKept, zp.Kept); diff != "" {
				t.Errorf("kept (-want +got):\n%s", diff)
			}
			if zp.Owned != tt.owned {
				t.Errorf("owned = %d, want %d", zp.Owned, tt.owned)
			}
			// Nothing the plan does breaks the zone.
			idx := providers.Index(tt.current)
			providers.ApplyToIndex(idx, zp.Edits())
			if ps := publish.NewProblems(zone, tt.current, sortedSets(idx)); len(ps) > 0 {
				t.Errorf("the zone after the plan has problems: %v", ps)
			}
		})
	}
}

func sortedSets(idx map[providers.Key]providers.RRset) []providers.RRset {
	out := make([]providers.RRset, 0, len(idx))
	for _, s := range idx {
		out = append(out, s)
	}
	providers.SortRRsets(out)
	return out
}

func TestDiffConflictsWithZoneStructure(t *testing.T) {
	tests := []struct {
		name string
		want providers.RRset
		// have is what the conflict shows in the way.
		have   providers.RRset
		reason publish.KeepReason
		// says is in the conflict's message.
		says string
	}{
		{
			name:   "a different address for the zone's name server",
			want:   rs("ns1."+zone, "A", 300, "10.0.0.1"),
			have:   rs("ns1."+zone, "A", 3600, "192.0.2.53"),
			reason: publish.KeepNameServer,
			says:   "an address of one of the zone's name servers",
		},
		{
			name:   "a new address type for the zone's name server",
			want:   rs("ns1."+zone, "AAAA", 300, "2001:db8::1"),
			have:   rs("ns1."+zone, "AAAA", 3600, "2001:db8::53"),
			reason: publish.KeepNameServer,
			says:   "an address of one of the zone's name servers",
		},
		{
			name:   "a record below a delegation",
			want:   rs("pool.sub."+zone, "A", 300, "10.0.0.1"),
			have:   rs("sub."+zone, "NS", 3600, "ns.sub.contoso.com.", "ns3.contoso.com."),
			reason: publish.KeepGlue,
			says:   "sub.contoso.com NS",
		},
		{
			name:   "a CNAME at a delegation point",
			want:   rs("sub."+zone, "CNAME", 300, "pool01.contoso.com."),
			have:   rs("sub."+zone, "NS", 3600, "ns.sub.contoso.com.", "ns3.contoso.com."),
			reason: publish.KeepDelegation,
			says:   "at or below a delegation point",
		},
		{
			name:   "a CNAME at the name of a delegation's name server",
			want:   rs("ns3."+zone, "CNAME", 300, "pool01.contoso.com."),
			have:   rs("sub."+zone, "NS", 3600, "ns.sub.contoso.com.", "ns3.contoso.com."),
			reason: publish.KeepGlue,
			says:   "glue of a delegation",
		},
	}
	for _, mode := range []topology.Ownership{topology.OwnershipShared, topology.OwnershipExclusive} {
		for _, tt := range tests {
			t.Run(string(mode)+": "+tt.name, func(t *testing.T) {
				owner := publish.Owner{Mode: mode, Topology: "contoso"}
				current := structured()
				if mode == topology.OwnershipShared {
					// Marked as topo's: still not topo's.
					current = structured(marker(tt.want.Name, "contoso"))
				}
				want := []providers.RRset{tt.want}
				if mode == topology.OwnershipShared {
					want = append(want, marker(tt.want.Name, "contoso"))
				}
				changes, conflicts, _ := publish.Diff(zone, desired(want...), current, owner)
				for _, c := range changes {
					if c.Name == tt.want.Name || strings.HasSuffix(c.Name, ".sub."+zone) {
						t.Errorf("change %s %s at a place the zone's structure holds", c.Action, c.Key())
					}
				}
				wantConflicts := []publish.Conflict{{Zone: zone, Want: tt.want, Sources: []string{"src." + strings.TrimSuffix(tt.want.Name, "."+zone)}, Have: tt.have, Reason: tt.reason}}
				if diff := cmp.Diff(wantConflicts, conflicts); diff != "" {
					t.Fatalf("conflicts (-want +got):\n%s", diff)
				}
				msg := (&publish.ConflictError{Conflicts: conflicts}).Error()
				for _, s := range []string{tt.want.Name, tt.says, "never changes in any ownership mode", "never topo's"} {
					if !strings.Contains(msg, s) {
						t.Errorf("conflict error does not say %q:\n%s", s, msg)
					}
				}
			})
		}
	}
}

func TestKeptInViews(t *testing.T) {
	zr := &topology.ZoneRecords{Zone: zone, View: "internal", Provider: "memory.a", Ownership: topology.OwnershipExclusive, TTL: 300,
		Records: []topology.Record{{Name: "pool01." + zone, Type: "A", TTL: 300, Value: "10.0.1.11", Source: "src.pool01"}}}
	d := &topology.Desired{Topology: "contoso", Zones: []*topology.ZoneRecords{zr}}
	p := zones{zone: structured()}.plan(d)
	var text, md bytes.Buffer
	if err := publish.WriteText(&text, p, publish.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := publish.WriteMarkdown(&md, p); err != nil {
		t.Fatal(err)
	}
	lines := []string{
		"keeps 2 record set(s) at the zone apex (SOA, NS)",
		"keeps 2 record set(s) at or below a delegation point (NS below the apex)",
		"keeps 2 record set(s) of glue: addresses of delegated name servers",
		"keeps 2 record set(s) of addresses of the zone's own name servers",
		"keeps 1 record set(s) of DNSSEC records",
	}
	for _, l := range lines {
		if strings.Count(text.String(), l) != 1 {
			t.Errorf("text plan does not say %q once:\n%s", l, text.String())
		}
		if strings.Count(md.String(), l) != 1 {
			t.Errorf("markdown plan does not say %q once:\n%s", l, md.String())
		}
	}
	data, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Zones []struct {
			Kept []map[string]string `json:"kept"`
		} `json:"zones"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Zones) != 1 || len(doc.Zones[0].Kept) != 9 {
		t.Fatalf("JSON kept: %+v", doc.Zones)
	}
	if diff := cmp.Diff(map[string]string{"name": "ns1." + zone, "type": "A", "reason": "name-server-address"}, doc.Zones[0].Kept[4]); diff != "" {
		t.Errorf("JSON kept entry (-want +got):\n%s", diff)
	}
}
