package rfc2136

import (
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers"
)

// BenchmarkPublishOneChange times topo publish of one change (a server
// drained) at 1,000 pools x 12 servers against a real BIND, beside the
// floor: one TSIG-signed AXFR of the zone and one signed UPDATE replacing
// the changed RRset, sent with miekg/dns.
//
//	go test -run '^$' -bench PublishOneChange -benchtime 5x ./providers/rfc2136
func BenchmarkPublishOneChange(b *testing.B) {
	const zone = "bench.test"
	bd, p := startBIND(b, zone)
	key, alg := dns.Fqdn(bd.KeyName), dns.Fqdn(bd.KeyAlgorithm)
	secret := map[string]string{key: bd.KeySecret}
	floor := func(b *testing.B, set providers.RRset) {
		q := new(dns.Msg)
		q.SetAxfr(zone + ".")
		q.SetTsig(key, alg, 300, time.Now().Unix())
		tr := &dns.Transfer{TsigSecret: secret}
		envs, err := tr.In(q, bd.Addr)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for e := range envs {
			if e.Error != nil {
				b.Fatal(e.Error)
			}
			n += len(e.RR)
		}
		if n < 25000 {
			b.Fatalf("AXFR: %d records", n)
		}
		u := new(dns.Msg)
		u.SetUpdate(zone + ".")
		name := dns.Fqdn(set.Name)
		u.RemoveRRset([]dns.RR{&dns.ANY{Hdr: dns.RR_Header{Name: name, Rrtype: dns.TypeA, Class: dns.ClassANY}}})
		for _, v := range set.Values {
			rr, err := dns.NewRR(name + " 300 IN A " + v)
			if err != nil {
				b.Fatal(err)
			}
			u.Insert([]dns.RR{rr})
		}
		u.SetTsig(key, alg, 300, time.Now().Unix())
		c := &dns.Client{Net: "tcp", TsigSecret: secret, Timeout: 10 * time.Second}
		r, _, err := c.Exchange(u, bd.Addr)
		if err != nil || r.Rcode != dns.RcodeSuccess {
			b.Fatalf("UPDATE: %v %v", err, r)
		}
	}
	enginetest.BenchmarkPublishOneChange(b, p, zone, 1000, floor)
}
