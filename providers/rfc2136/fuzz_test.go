package rfc2136

import (
	"testing"

	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
)

// FuzzDNSMessage feeds arbitrary bytes as a DNS message (what an AXFR or
// UPDATE answer carries): unpacking and turning every record into libdns
// records never panics, and a record topo can write back packs again.
func FuzzDNSMessage(f *testing.F) {
	m := new(dns.Msg)
	m.SetQuestion("contoso.com.", dns.TypeAXFR)
	for _, s := range []string{
		"contoso.com. 3600 IN SOA ns. host. 1 2 3 4 5",
		"pool01.contoso.com. 300 IN A 10.0.0.1",
		"_sip._tls.contoso.com. 300 IN SRV 0 0 443 sip.contoso.com.",
		`t.contoso.com. 300 IN TXT "a\"b" "c\\d" "\255"`,
		"c.contoso.com. 300 IN CAA 0 issue \"ca.example\"",
		"v6.contoso.com. 300 IN AAAA 2001:db8::1",
	} {
		rr, err := dns.NewRR(s)
		if err != nil {
			f.Fatal(err)
		}
		m.Answer = append(m.Answer, rr)
	}
	packed, err := m.Pack()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(packed)
	f.Add([]byte{0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var msg dns.Msg
		if msg.Unpack(data) != nil {
			return
		}
		for _, rr := range msg.Answer {
			rec := providers.FromDNS("contoso.com.", rr)
			r := rec.RR()
			if r.Type == "" {
				continue
			}
			back, err := providers.DNSRR("x.contoso.com", r.Type, 300, r.Data)
			if err != nil || back == nil {
				continue
			}
			buf := make([]byte, dns.MaxMsgSize)
			if _, err := dns.PackRR(back, buf, 0, nil, false); err != nil {
				t.Logf("%s %q does not pack again: %v", r.Type, r.Data, err)
			}
		}
	})
}
