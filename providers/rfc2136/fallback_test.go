package rfc2136

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
)

// transferServer is a DNS server on loopback, over TCP, authoritative for
// fake.test with one A record at www, answering every zone transfer as
// axfr says.
func transferServer(t *testing.T, axfr func(w dns.ResponseWriter, q *dns.Msg)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	soa, _ := dns.NewRR("fake.test. 300 IN SOA ns.fake.test. hostmaster.fake.test. 1 3600 600 86400 300")
	ns, _ := dns.NewRR("fake.test. 300 IN NS ns.fake.test.")
	www, _ := dns.NewRR("www.fake.test. 300 IN A 192.0.2.80")
	h := dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		if q.Question[0].Qtype == dns.TypeAXFR {
			axfr(w, q)
			return
		}
		r := new(dns.Msg)
		r.SetReply(q)
		r.Authoritative = true
		qq := q.Question[0]
		switch {
		case qq.Name == "fake.test." && qq.Qtype == dns.TypeSOA:
			r.Answer = []dns.RR{soa}
		case qq.Name == "fake.test." && qq.Qtype == dns.TypeNS:
			r.Answer = []dns.RR{ns}
		case qq.Name == "www.fake.test." && qq.Qtype == dns.TypeA:
			r.Answer = []dns.RR{www}
		case qq.Name == "www.fake.test.":
			r.Ns = []dns.RR{soa}
		default:
			r.Rcode = dns.RcodeNameError
			r.Ns = []dns.RR{soa}
		}
		_ = w.WriteMsg(r)
	})
	srv := &dns.Server{Listener: l, Handler: h}
	go func() { _ = srv.ActivateAndServe() }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	return l.Addr().String()
}

// TestTransferRefusedFallback: a transfer refused in any of the ways
// servers refuse one is read by names instead, and the read says why; a
// transfer that is answered is the whole zone.
func TestTransferRefusedFallback(t *testing.T) {
	reply := func(rcode int, rrs ...string) func(w dns.ResponseWriter, q *dns.Msg) {
		return func(w dns.ResponseWriter, q *dns.Msg) {
			r := new(dns.Msg)
			r.SetRcode(q, rcode)
			for _, s := range rrs {
				rr, err := dns.NewRR(s)
				if err != nil {
					panic(err)
				}
				r.Answer = append(r.Answer, rr)
			}
			_ = w.WriteMsg(r)
		}
	}
	const soa = "fake.test. 300 IN SOA ns.fake.test. hostmaster.fake.test. 1 3600 600 86400 300"
	for _, tc := range []struct {
		name   string
		axfr   func(w dns.ResponseWriter, q *dns.Msg)
		read   string // the provider's Read
		detail string // "" means the transfer was used
		want   []string
	}{
		{name: "REFUSED", axfr: reply(dns.RcodeRefused), detail: "REFUSED"},
		{name: "NOTAUTH", axfr: reply(dns.RcodeNotAuth), detail: "NOTAUTH"},
		{name: "NOERROR without records (Samba)", axfr: reply(dns.RcodeSuccess), detail: "NOERROR without the zone's SOA"},
		{name: "NOERROR not starting with the SOA", axfr: reply(dns.RcodeSuccess, "x.fake.test. 300 IN A 192.0.2.1"), detail: "NOERROR without the zone's SOA"},
		{name: "read = names does not ask for a transfer", axfr: func(dns.ResponseWriter, *dns.Msg) { panic("transfer asked") }, read: ReadNames},
		{name: "a transfer answered is the whole zone", axfr: reply(dns.RcodeSuccess, soa, "other.fake.test. 300 IN A 192.0.2.99", soa)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Provider{Server: transferServer(t, tc.axfr), Auth: AuthNone, Read: tc.read, Timeout: 5 * time.Second}
			p.SetNames("fake.test.", []string{"www.fake.test", "_topo.www.fake.test", "gone.fake.test"})
			recs, err := p.GetRecords(context.Background(), "fake.test.")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range providers.GroupRecords("fake.test", recs) {
				got = append(got, s.Key().String())
			}
			scope := p.ReadScope("fake.test.")
			want := providers.ReadScope{Names: true, Count: 4, Reason: providers.ReasonTransferRefused, Detail: tc.detail, Server: p.Server}
			wantKeys := []string{"fake.test NS", "fake.test SOA", "www.fake.test A"}
			switch {
			case tc.read == ReadNames:
				want.Reason = providers.ReasonConfigured
			case tc.detail == "":
				want = providers.ReadScope{Server: p.Server}
				wantKeys = []string{"fake.test SOA", "other.fake.test A"}
			}
			if diff := cmp.Diff(want, scope); diff != "" {
				t.Errorf("read scope (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantKeys, got); diff != "" {
				t.Errorf("records read (-want +got):\n%s", diff)
			}
			if w := p.WriteServer("fake.test."); (w != "") != scope.Names || !strings.Contains(p.Server, w) {
				t.Errorf("WriteServer = %q after a read by names %t", w, scope.Names)
			}
		})
	}
}
