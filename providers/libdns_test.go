package providers

import (
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/libdns/libdns"
)

func TestDeleteMatcher(t *testing.T) {
	const zone = "contoso.com."
	// The zone's records, as a provider holds them.
	type rec struct {
		name, typ string
		ttl       uint32
		data      string
	}
	zoneRecs := []rec{
		{"contoso.com", "SOA", 3600, "ns1.contoso.com. hostmaster.contoso.com. 1 3600 600 1209600 300"},
		{"contoso.com", "NS", 3600, "ns1.contoso.com."},
		{"pool01.contoso.com", "A", 300, "10.0.0.1"},
		{"pool01.contoso.com", "A", 300, "10.0.0.2"},
		{"pool01.contoso.com", "AAAA", 300, "2001:db8::1"},
		{"pool01.contoso.com", "TXT", 60, `say "hi"`},
		{"www.contoso.com", "CNAME", 300, "web.contoso.com."},
		{"_sip._tls.contoso.com", "SRV", 300, "0 0 443 sip.contoso.com."},
	}
	for _, tc := range []struct {
		name string
		del  []libdns.Record
		want []int // indexes into zoneRecs that match
	}{
		{"name and type", []libdns.Record{libdns.RR{Name: "pool01", Type: "A"}}, []int{2, 3}},
		{"type in lower case", []libdns.Record{libdns.RR{Name: "pool01", Type: "a"}}, []int{2, 3}},
		{"name in other case, absolute", []libdns.Record{libdns.RR{Name: "POOL01.Contoso.COM.", Type: "AAAA"}}, []int{4}},
		{"name only: every type", []libdns.Record{libdns.RR{Name: "pool01"}}, []int{2, 3, 4, 5}},
		{"one value", []libdns.Record{libdns.Address{Name: "pool01", IP: netip.MustParseAddr("10.0.0.2")}}, []int{3}},
		{"value in another form", []libdns.Record{libdns.RR{Name: "pool01", Type: "A", Data: "::ffff:10.0.0.1"}}, []int{2}},
		{"value without type", []libdns.Record{libdns.RR{Name: "pool01", Data: "2001:DB8::1"}}, []int{4}},
		{"TTL given and equal", []libdns.Record{libdns.RR{Name: "pool01", Type: "TXT", TTL: time.Minute}}, []int{5}},
		{"TTL given and different", []libdns.Record{libdns.RR{Name: "pool01", Type: "TXT", TTL: time.Hour}}, nil},
		{"TXT text with quotes", []libdns.Record{libdns.TXT{Name: "pool01", Text: `say "hi"`}}, []int{5}},
		{"TXT text differs", []libdns.Record{libdns.TXT{Name: "pool01", Text: `say hi`}}, nil},
		{"CNAME target in other case, no dot", []libdns.Record{libdns.CNAME{Name: "www", Target: "Web.Contoso.com"}}, []int{6}},
		{"SRV", []libdns.Record{libdns.SRV{Service: "sip", Transport: "tls", Name: "@", Target: "sip.contoso.com.", Port: 443}}, []int{7}},
		{"SRV of another port", []libdns.Record{libdns.SRV{Service: "sip", Transport: "tls", Name: "@", Target: "sip.contoso.com.", Port: 5061}}, nil},
		{"apex: the SOA never matches", []libdns.Record{libdns.RR{Name: "@"}}, []int{1}},
		{"SOA by type", []libdns.Record{libdns.RR{Name: "@", Type: "SOA"}}, nil},
		{"other name", []libdns.Record{libdns.RR{Name: "pool02", Type: "A"}}, nil},
		{"several", []libdns.Record{libdns.RR{Name: "www"}, libdns.RR{Name: "pool01", Type: "AAAA"}}, []int{4, 6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := NewDeleteMatcher(zone, tc.del)
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for i, r := range zoneRecs {
				if m.Match(r.name, r.typ, r.ttl, r.data) {
					got = append(got, i)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("matching records (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDeleteMatcherWantsAName(t *testing.T) {
	_, err := NewDeleteMatcher("contoso.com.", []libdns.Record{libdns.RR{Type: "A", Data: "10.0.0.1"}})
	if err == nil {
		t.Fatal("a record without a name: want an error")
	}
}

func TestDeleteMatcherEdits(t *testing.T) {
	m, err := NewDeleteMatcher("contoso.com", []libdns.Record{
		libdns.RR{Name: "pool01", Type: "A", Data: "10.0.0.2"},
		libdns.RR{Name: "old", Type: "TXT"},
	})
	if err != nil {
		t.Fatal(err)
	}
	pool := RRset{Name: "pool01.contoso.com", Type: "A", TTL: 300, Values: []string{"10.0.0.1", "10.0.0.2", "10.0.0.3"}}
	old := RRset{Name: "old.contoso.com", Type: "TXT", TTL: 60, Values: []string{"a", "b"}}
	other := RRset{Name: "other.contoso.com", Type: "A", TTL: 300, Values: []string{"10.0.0.2"}}
	edits, deleted := m.Edits([]RRset{pool, other, old})
	left := RRset{Name: pool.Name, Type: "A", TTL: 300, Values: []string{"10.0.0.1", "10.0.0.3"}}
	wantEdits := []Edit{{Before: &pool, After: &left}, {Before: &old}}
	if diff := cmp.Diff(wantEdits, edits); diff != "" {
		t.Errorf("edits (-want +got):\n%s", diff)
	}
	wantDeleted := []RRset{{Name: pool.Name, Type: "A", TTL: 300, Values: []string{"10.0.0.2"}}, old}
	if diff := cmp.Diff(wantDeleted, deleted); diff != "" {
		t.Errorf("deleted (-want +got):\n%s", diff)
	}
}

func TestFlatten(t *testing.T) {
	sets := []RRset{
		{Name: "contoso.com", Type: "TXT", TTL: 300, Values: []string{"a"}},
		{Name: "pool01.contoso.com", Type: "A", TTL: 60, Values: []string{"10.0.0.1", "10.0.0.2"}},
		// libdns types SRV records only at _service._proto names.
		{Name: "odd.contoso.com", Type: "SRV", TTL: 60, Values: []string{"0 0 443 sip.contoso.com."}},
		{Name: "x.contoso.com", Type: "LOC", TTL: 60, Values: []string{"51 30 12.748 N 0 7 39.611 W 0.00m"}},
	}
	want := []libdns.Record{
		libdns.TXT{Name: "@", TTL: 300 * time.Second, Text: "a"},
		libdns.Address{Name: "pool01", TTL: time.Minute, IP: netip.MustParseAddr("10.0.0.1")},
		libdns.Address{Name: "pool01", TTL: time.Minute, IP: netip.MustParseAddr("10.0.0.2")},
		libdns.RR{Name: "odd", TTL: time.Minute, Type: "SRV", Data: "0 0 443 sip.contoso.com."},
		libdns.RR{Name: "x", TTL: time.Minute, Type: "LOC", Data: "51 30 12.748 N 0 7 39.611 W 0.00m"},
	}
	if diff := cmp.Diff(want, Flatten("contoso.com.", sets), cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
		t.Errorf("Flatten (-want +got):\n%s", diff)
	}
	if _, err := sets[2].Records("contoso.com"); err == nil {
		t.Error("Records of an SRV libdns cannot type: want an error")
	}
	if _, err := sets[3].Records("contoso.com"); err != nil {
		t.Errorf("Records of a type libdns keeps as RR: %v", err)
	}
}

func TestRelativeName(t *testing.T) {
	for _, tc := range []struct{ name, zone, want string }{
		{"contoso.com", "contoso.com.", "@"},
		{"Contoso.COM.", "contoso.com", "@"},
		{"Pool01.contoso.com", "CONTOSO.com.", "pool01"},
		{"a.b.contoso.com.", "contoso.com.", "a.b"},
	} {
		if got := RelativeName(tc.name, tc.zone); got != tc.want {
			t.Errorf("RelativeName(%q, %q) = %q, want %q", tc.name, tc.zone, got, tc.want)
		}
	}
}
