package rfc2136

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
)

// TestGSSAlgorithms signs with both algorithm names, gss-tsig and Windows
// 2000's gss.microsoft.com, against the GSS-TSIG BIND and Samba: the
// context is negotiated under the name used (BIND refuses messages of
// another algorithm than the TKEY's as of an unknown key), every message
// carries it, and replies verify, Samba's included (it names gss-tsig in
// its replies whatever it signed with).
func TestGSSAlgorithms(t *testing.T) {
	g := startGSS(t)
	s := dnstest.StartSamba(t)
	servers := []struct {
		name, zone string
		provider   func() *Provider
		layout     macLayout
	}{
		{"BIND", "example.test", g.password, layoutRFC8945},
		{"Samba", s.Zone, func() *Provider { return sambaProvider(s) }, layoutNoLength},
	}
	for _, srv := range servers {
		for _, alg := range []string{GSSTSIG, GSSMicrosoft} {
			t.Run(srv.name+"/"+strings.TrimSuffix(alg, "."), func(t *testing.T) {
				ctx := context.Background()
				p := srv.provider()
				p.GSSAlgorithm = alg
				name := "alg-" + strings.ReplaceAll(strings.TrimSuffix(alg, "."), ".", "-") + "." + srv.zone
				set := rrset(name, "A", 300, "192.0.2.77")
				if _, err := p.ApplyEdits(ctx, srv.zone+".", []providers.Edit{{After: set}}, providers.ApplyOptions{}); err != nil {
					t.Fatalf("update signed %s: %v", alg, err)
				}
				if p.gss.alg != alg || p.gss.layout != srv.layout {
					t.Errorf("context of algorithm %s, replies checked in the %s layout; want %s and %s", p.gss.alg, p.gss.layout, alg, srv.layout)
				}
				p.SetNames(srv.zone+".", []string{name})
				recs, err := p.GetRecords(ctx, srv.zone+".")
				if err != nil {
					t.Fatalf("read signed %s: %v", alg, err)
				}
				if diff := cmp.Diff(*set, providers.Index(providers.GroupRecords(srv.zone, recs))[set.Key()]); diff != "" {
					t.Errorf("read back (-want +got):\n%s", diff)
				}
				if err := p.Close(); err != nil {
					t.Fatalf("close: %v", err)
				}
			})
		}
	}
}

func TestRenameTKEY(t *testing.T) {
	tkey := func(alg string) []byte {
		m := new(dns.Msg)
		m.SetQuestion("k.example.", dns.TypeTKEY)
		m.Id = 1
		m.Extra = []dns.RR{&dns.TKEY{Hdr: dns.RR_Header{Name: "k.example.", Rrtype: dns.TypeTKEY, Class: dns.ClassANY}, Algorithm: alg, Mode: 3, Key: "0102", KeySize: 2}}
		b, err := m.Pack()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	soa := new(dns.Msg)
	soa.SetQuestion("example.", dns.TypeSOA)
	plain, _ := soa.Pack()
	for _, tc := range []struct {
		name string
		in   []byte
		want []byte
	}{
		{"a TKEY of the one name is renamed", tkey(GSSTSIG), tkey(GSSMicrosoft)},
		{"a TKEY of another name is left", tkey("hmac-sha256."), tkey("hmac-sha256.")},
		{"a message without TKEY is passed on as it came", plain, plain},
		{"what does not parse is passed on as it came", []byte{1, 2, 3}, []byte{1, 2, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, renameTKEY(tc.in, GSSTSIG, GSSMicrosoft)); diff != "" {
				t.Errorf("renameTKEY (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWithAlgorithm(t *testing.T) {
	vars := func(alg string) []byte {
		b := make([]byte, 512)
		n, _ := dns.PackDomainName("key.example.", b, 0, nil, false)
		b = append(b[:n], 0, 255, 0, 0, 0, 0)
		m := make([]byte, 256)
		k, _ := dns.PackDomainName(alg, m, 0, nil, false)
		b = append(b, m[:k]...)
		return append(b, 0, 0, 0x65, 0x4a, 0x4b, 0x4c, 1, 44, 0, 0, 0, 0)
	}
	msg := []byte("request MAC and message ")
	got, err := withAlgorithm(append(msg, vars(GSSTSIG)...), &dns.TSIG{Algorithm: GSSTSIG}, GSSMicrosoft)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(append(msg, vars(GSSMicrosoft)...), got); diff != "" {
		t.Errorf("withAlgorithm (-want +got):\n%s", diff)
	}
	if _, err := withAlgorithm([]byte("short"), &dns.TSIG{Algorithm: GSSTSIG}, GSSMicrosoft); err == nil {
		t.Error("data without the TSIG variables: no error")
	}
}
