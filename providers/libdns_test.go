package providers

import (
	"fmt"
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
	for _, s := range sets {
		got, err := s.Records("contoso.com")
		if err != nil {
			t.Errorf("Records of %s %s: %v", s.Name, s.Type, err)
		}
		if diff := cmp.Diff(Flatten("contoso.com.", []RRset{s}), got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
			t.Errorf("Records of %s %s is not Flatten's (-want +got):\n%s", s.Name, s.Type, diff)
		}
	}
}

// TestTyped: libdns's types for the types topo writes (and MX, NS), and
// only when they give the record back exactly; libdns.RR for the rest.
func TestTyped(t *testing.T) {
	for _, tc := range []struct {
		name string
		rr   libdns.RR
		want string // the type Typed returns
	}{
		{"A", libdns.RR{Name: "pool01", Type: "A", Data: "10.0.0.1"}, "libdns.Address"},
		{"AAAA", libdns.RR{Name: "pool01", Type: "AAAA", Data: "2001:db8::1"}, "libdns.Address"},
		{"AAAA in upper case", libdns.RR{Name: "pool01", Type: "AAAA", Data: "2001:DB8::1"}, "libdns.RR"},
		{"A holding an IPv4-mapped IPv6 address", libdns.RR{Name: "pool01", Type: "A", Data: "::ffff:10.0.0.1"}, "libdns.RR"},
		{"TXT", libdns.RR{Name: "t", Type: "TXT", Data: `say "hi"`}, "libdns.TXT"},
		{"CNAME", libdns.RR{Name: "www", Type: "CNAME", Data: "web.contoso.com."}, "libdns.CNAME"},
		{"MX", libdns.RR{Name: "@", Type: "MX", Data: "10 mx.contoso.com."}, "libdns.MX"},
		{"NS", libdns.RR{Name: "@", Type: "NS", Data: "ns1.contoso.com."}, "libdns.NS"},
		{"SRV", libdns.RR{Name: "_sip._tls", Type: "SRV", Data: "0 0 443 sip.contoso.com."}, "libdns.SRV"},
		{"SRV below a name", libdns.RR{Name: "_sip._tls.eu", Type: "SRV", Data: "0 0 443 sip.contoso.com."}, "libdns.SRV"},
		{"SRV at one label", libdns.RR{Name: "sipsrv", Type: "SRV", Data: "0 0 443 sip.contoso.com."}, "libdns.RR"},
		// libdns would read it as _sip._tcp, and write it back there.
		{"SRV at two labels without underscores", libdns.RR{Name: "sip.tcp", Type: "SRV", Data: "0 0 443 sip.contoso.com."}, "libdns.RR"},
		{"SRV with extra spaces", libdns.RR{Name: "_sip._tls", Type: "SRV", Data: "0  0 443 sip.contoso.com."}, "libdns.RR"},
		{"SVCB", libdns.RR{Name: "svc", Type: "SVCB", Data: "1 . alpn=h2"}, "libdns.RR"},
		// libdns keeps SvcParams in a map: RR() would print them in any order.
		{"HTTPS with several SvcParams", libdns.RR{Name: "www", Type: "HTTPS", Data: "1 . alpn=h2,h3 port=8443 ipv4hint=192.0.2.1"}, "libdns.RR"},
		{"CAA", libdns.RR{Name: "@", Type: "CAA", Data: `0 issue "letsencrypt.org"`}, "libdns.RR"},
		{"unknown type", libdns.RR{Name: "u", Type: "TYPE65534", Data: `\# 4 0a000001`}, "libdns.RR"},
		{"type in lower case", libdns.RR{Name: "pool01", Type: "a", Data: "10.0.0.1"}, "libdns.RR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Typed(tc.rr)
			if typ := fmt.Sprintf("%T", got); typ != tc.want {
				t.Errorf("Typed(%v) is a %s, want %s", tc.rr, typ, tc.want)
			}
			for range 10 {
				if rr := got.RR(); rr != tc.rr {
					t.Fatalf("Typed(%v).RR() = %v: not the record read", tc.rr, rr)
				}
			}
		})
	}
}

func TestRecordsChecksData(t *testing.T) {
	for _, tc := range []struct {
		typ, data string
		bad       bool
	}{
		{"A", "10.0.0.1", false},
		{"A", "::ffff:10.0.0.1", false},
		{"A", "2001:db8::1", true},
		{"A", "pool01", true},
		{"AAAA", "2001:db8::1", false},
		{"AAAA", "10.0.0.1", true},
		{"CNAME", "web.contoso.com.", false},
		{"CNAME", "", true},
		{"SRV", "0 5 5061 sip.contoso.com.", false},
		{"SRV", "0 5 port sip.contoso.com.", true},
		{"SRV", "0 5 70000 sip.contoso.com.", true},
		{"SRV", "5061 sip.contoso.com.", true},
		{"MX", "10 mx.contoso.com.", false},
		{"MX", "mx.contoso.com.", true},
		{"TXT", "", false},
		// Not checked: topo does not write them.
		{"SVCB", "1 . alpn=h2", false},
		{"TYPE65534", `\# 4 0a000001`, false},
		{"CAA", "anything", false},
	} {
		t.Run(tc.typ+" "+tc.data, func(t *testing.T) {
			s := RRset{Name: "x.contoso.com", Type: tc.typ, TTL: 60, Values: []string{tc.data}}
			_, err := s.Records("contoso.com")
			if (err != nil) != tc.bad {
				t.Errorf("Records: %v, want an error: %t", err, tc.bad)
			}
		})
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

// FuzzTyped: whatever a server holds, Typed gives back exactly the record
// read.
func FuzzTyped(f *testing.F) {
	for _, s := range []struct{ name, typ, data string }{
		{"_sip._tls", "SRV", "0 0 443 sip.contoso.com."},
		{"sip.tcp", "SRV", "0 0 443 sip.contoso.com."},
		{"www", "HTTPS", "1 . alpn=h2,h3 port=8443"},
		{"pool01", "A", "::ffff:10.0.0.1"},
		{"@", "CAA", `0 issue "letsencrypt.org"`},
		{"m", "MX", "10 mx.contoso.com."},
	} {
		f.Add(s.name, s.typ, s.data)
	}
	f.Fuzz(func(t *testing.T, name, typ, data string) {
		rr := libdns.RR{Name: name, TTL: time.Minute, Type: typ, Data: data}
		if got := Typed(rr).RR(); got != rr {
			t.Fatalf("Typed(%v).RR() = %v", rr, got)
		}
	})
}
