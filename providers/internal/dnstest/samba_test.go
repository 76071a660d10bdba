package dnstest

import (
	"os"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func TestMain(m *testing.M) {
	code := m.Run()
	RemoveSambaTemplate()
	os.Exit(code)
}

func TestStartSamba(t *testing.T) {
	s := StartSamba(t)
	m := new(dns.Msg)
	m.SetQuestion(s.Zone+".", dns.TypeNS)
	c := &dns.Client{Net: "tcp", Timeout: 2 * time.Second}
	r, _, err := c.Exchange(m, s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Answer) != 1 || r.Answer[0].(*dns.NS).Ns != s.Host+"." {
		t.Fatalf("%s NS: want %s, got %v", s.Zone, s.Host, r.Answer)
	}
	// An unsigned update is refused: the zone takes secure updates only.
	u := new(dns.Msg)
	u.SetUpdate(s.Zone + ".")
	rr, _ := dns.NewRR("x." + s.Zone + ". 300 A 192.0.2.1")
	u.Insert([]dns.RR{rr})
	r, _, err = c.Exchange(u, s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	if r.Rcode != dns.RcodeRefused {
		t.Errorf("unsigned update: %s, want REFUSED", dns.RcodeToString[r.Rcode])
	}
	// A zone transfer is not allowed: NOERROR without the zone's SOA.
	tr := &dns.Transfer{}
	q := new(dns.Msg)
	q.SetAxfr(s.Zone + ".")
	ch, err := tr.In(q, s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	for env := range ch {
		t.Logf("AXFR envelope: err %v, %d records: %v", env.Error, len(env.RR), env.RR)
	}
}
