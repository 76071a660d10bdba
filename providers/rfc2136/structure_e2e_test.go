package rfc2136_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers/internal/dnstest"
	"github.com/topo-dns/topo/providers/providertest"
)

// query asks the server one question, as dig +norec would.
func query(t *testing.T, server, name string, typ uint16) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), typ)
	m.RecursionDesired = false
	c := &dns.Client{Net: "tcp", Timeout: 3 * time.Second}
	r, _, err := c.ExchangeContext(context.Background(), m, server)
	if err != nil {
		t.Fatalf("query %s: %v", name, err)
	}
	return r
}

// rrStrings prints records as "name TYPE data", without TTL and class,
// sorted.
func rrStrings(rrs []dns.RR) []string {
	var out []string
	for _, rr := range rrs {
		f := strings.Fields(rr.String()) // name TTL class type data...
		out = append(out, strings.Join(append([]string{f[0], f[3]}, f[4:]...), " "))
	}
	slices.Sort(out)
	return out
}

// TestExclusiveZoneOnBIND is the reproducer of issue 13 against a real
// BIND: a zone declared exclusive whose name server's address lives in the
// zone, with a delegation and its glue. topo once deleted both addresses
// through RFC 2136. The zone's structure stays, BIND still serves it, and
// it loads again after a restart (zone file and journal).
func TestExclusiveZoneOnBIND(t *testing.T) {
	b := dnstest.StartBIND(t, dnstest.BINDOptions{Zones: []string{"contoso.com"}})
	dnstest.NSUpdate(t, b, "contoso.com",
		"update add ns1.contoso.com. 300 A 127.0.0.53",
		"update add contoso.com. 300 NS ns1.contoso.com.",
		"update add ns.sub.contoso.com. 300 A 127.0.0.54",
		"update add sub.contoso.com. 300 NS ns.sub.contoso.com.",
		"update add other.contoso.com. 300 A 10.9.9.9",
	)
	path := contosoOnBIND(t, b)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(src), "provider = \"rfc2136.corp\"", "provider = \"rfc2136.corp\"\n  ownership = \"exclusive\"", 1)
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := providertest.TopoBinary(t)
	env := []string{"TOPO_TSIG_SECRET=" + b.KeySecret, "NO_COLOR=1"}

	out, errOut, code := providertest.RunTopo(t, bin, env, "publish", "--auto-approve", path)
	if code != 0 {
		t.Fatalf("publish: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"keeps 1 record set(s) of addresses of the zone's own name servers",
		"keeps 1 record set(s) of glue: addresses of delegated name servers",
		"keeps 1 record set(s) at or below a delegation point",
		"- other.contoso.com A",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("publish output does not say %q:\n%s", want, out)
		}
	}

	check := func(when string) {
		t.Helper()
		if got := rrStrings(query(t, b.Addr, "ns1.contoso.com", dns.TypeA).Answer); !slices.Equal(got, []string{"ns1.contoso.com. A 127.0.0.53"}) {
			t.Errorf("%s: ns1.contoso.com A = %v", when, got)
		}
		// A referral: the delegation's NS in the authority section, its
		// glue in the additional section.
		r := query(t, b.Addr, "www.sub.contoso.com", dns.TypeA)
		if got := rrStrings(r.Ns); !slices.Equal(got, []string{"sub.contoso.com. NS ns.sub.contoso.com."}) {
			t.Errorf("%s: referral for sub.contoso.com: authority %v", when, got)
		}
		var glue []dns.RR
		for _, rr := range r.Extra {
			if rr.Header().Rrtype == dns.TypeA {
				glue = append(glue, rr)
			}
		}
		if got := rrStrings(glue); !slices.Equal(got, []string{"ns.sub.contoso.com. A 127.0.0.54"}) {
			t.Errorf("%s: referral for sub.contoso.com: glue %v", when, got)
		}
		if got := query(t, b.Addr, "other.contoso.com", dns.TypeA); len(got.Answer) != 0 || got.Rcode != dns.RcodeNameError {
			t.Errorf("%s: other.contoso.com, topo's in an exclusive zone, is still there: %v", when, got.Answer)
		}
		if got := ask(t, b.Addr, "fe01.contoso.com", dns.TypeA); !slices.Equal(got, []string{"10.0.1.11"}) {
			t.Errorf("%s: fe01.contoso.com A = %v", when, got)
		}
	}
	check("after publishing")
	// Restart: BIND loads the zone file and replays its journal; a zone
	// that does not load answers no SOA, and Restart fails the test.
	b.Restart()
	check("after a restart")
	if strings.Contains(b.Output(), "has no address records") {
		t.Errorf("BIND says a name server has no address:\n%s", b.Output())
	}

	if _, errOut, code := providertest.RunTopo(t, bin, env, "plan", "--detailed-exitcode", path); code != 0 {
		t.Errorf("plan after publish: exit %d\n%s", code, errOut)
	}
}
