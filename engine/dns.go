package engine

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
)

// query asks server for name/typ without recursion, over UDP with a TCP
// retry when the answer is truncated, and returns what it said: the RCODE,
// the AA bit, the answer's records of typ (as topo compares record data)
// and the zone of an SOA it gave.
func query(ctx context.Context, server, name, typ string, timeout time.Duration) (Answer, error) {
	if _, _, err := net.SplitHostPort(server); err != nil {
		server = net.JoinHostPort(server, "53")
	}
	qtype, ok := dns.StringToType[typ]
	if !ok {
		return Answer{}, fmt.Errorf("ask %s for %s %s: unknown type", server, name, typ)
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = false
	c := &dns.Client{Timeout: timeout}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	r, _, err := c.ExchangeContext(ctx, m, server)
	if err == nil && r.Truncated {
		c.Net = "tcp"
		r, _, err = c.ExchangeContext(ctx, m, server)
	}
	if err != nil {
		return Answer{}, fmt.Errorf("ask %s for %s %s: %w", server, name, typ, err)
	}
	a := Answer{Server: server, Rcode: dns.RcodeToString[r.Rcode], Authoritative: r.Authoritative}
	if a.Rcode == "" {
		a.Rcode = fmt.Sprintf("RCODE %d", r.Rcode)
	}
	qname := dns.CanonicalName(name)
	for _, rr := range r.Answer {
		h := rr.Header()
		switch {
		case h.Rrtype == dns.TypeSOA:
			a.SOA = providers.CanonicalName(h.Name)
			if qtype != dns.TypeSOA {
				continue
			}
		case h.Rrtype != qtype || !strings.EqualFold(h.Name, qname):
			// A CNAME chain's other records: not what was asked.
			continue
		}
		data := providers.FromDNS(".", rr).RR().Data
		a.Values = append(a.Values, providers.CanonicalData(typ, data))
	}
	if a.SOA == "" {
		for _, rr := range r.Ns {
			if rr.Header().Rrtype == dns.TypeSOA {
				a.SOA = providers.CanonicalName(rr.Header().Name)
			}
		}
	}
	return a, nil
}
