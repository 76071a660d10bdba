package providers

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"
)

// TestDNSRRRoundTrip builds each value's wire record, sends it through
// the wire format, and reads its data back.
func TestDNSRRRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		typ, data string
		strings   int // TXT character-strings on the wire
	}{
		{typ: "A", data: "192.0.2.1"},
		{typ: "AAAA", data: "2001:db8::1"},
		{typ: "CNAME", data: "pool01.example.test."},
		{typ: "NS", data: "ns1.example.net."},
		{typ: "MX", data: "10 mail.example.net."},
		{typ: "SRV", data: "0 5 5061 sip.example.test."},
		{typ: "CAA", data: `0 issue "ca.example.net"`},
		{typ: "TXT", data: "plain", strings: 1},
		{typ: "TXT", data: "", strings: 1},
		{typ: "TXT", data: `quote " backslash \ \123 tab	newline` + "\n" + "é", strings: 1},
		{typ: "TXT", data: strings.Repeat("0123456789", 60), strings: 3},
		// Records topo does not own travel as their presentation data.
		{typ: "SVCB", data: `1 . alpn="h2"`},
		{typ: "HTTPS", data: `1 . alpn="h2,h3" port="8443"`},
		{typ: "NAPTR", data: `100 10 "S" "SIP+D2T" "" _sip._tcp.example.test.`},
		{typ: "TYPE65300", data: `\# 4 0a000001`},
		{typ: "TYPE65534", data: `\# 0`},
	} {
		t.Run(tc.typ+" "+tc.data[:min(len(tc.data), 20)], func(t *testing.T) {
			rr, err := DNSRR("x.example.test", tc.typ, 300, tc.data)
			if err != nil {
				t.Fatal(err)
			}
			m := new(dns.Msg)
			m.Answer = []dns.RR{rr}
			wire, err := m.Pack()
			if err != nil {
				t.Fatal(err)
			}
			back := new(dns.Msg)
			if err := back.Unpack(wire); err != nil {
				t.Fatal(err)
			}
			got := back.Answer[0]
			if diff := cmp.Diff(tc.data, DNSData(got)); diff != "" {
				t.Errorf("data (-want +got):\n%s", diff)
			}
			if txt, ok := got.(*dns.TXT); ok && len(txt.Txt) != tc.strings {
				t.Errorf("TXT has %d character-strings, want %d", len(txt.Txt), tc.strings)
			}
		})
	}
}

func TestDNSRRRejectsBadData(t *testing.T) {
	for _, tc := range []struct{ typ, data string }{
		{"A", "2001:db8::1"},
		{"A", "not an address"},
		{"SRV", "0 0 port target."},
		{"NOSUCHTYPE", "x"},
	} {
		if _, err := DNSRR("x.example.test", tc.typ, 300, tc.data); err == nil {
			t.Errorf("DNSRR(%s %q) succeeded", tc.typ, tc.data)
		}
	}
}

func TestDNSType(t *testing.T) {
	for _, tc := range []struct {
		typ  string
		want uint16
		ok   bool
	}{
		{"A", dns.TypeA, true},
		{"SVCB", dns.TypeSVCB, true},
		{"TYPE65534", 65534, true},
		{"TYPE1", dns.TypeA, true},
		{"TYPE", 0, false},
		{"TYPE65536", 0, false},
		{"TYPE0123", 0, false},
		{"TYPE+1", 0, false},
		{"NOSUCH", 0, false},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			got, ok := DNSType(tc.typ)
			if got != tc.want || ok != tc.ok {
				t.Errorf("DNSType(%q) = %d, %t; want %d, %t", tc.typ, got, ok, tc.want, tc.ok)
			}
		})
	}
}
