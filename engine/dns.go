package engine

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/miekg/dns"
)

// query asks server for name/typ without recursion, over UDP with a TCP
// retry when the answer is truncated, and returns the answer's addresses.
func query(ctx context.Context, server, name, typ string, timeout time.Duration) ([]string, error) {
	if _, _, err := net.SplitHostPort(server); err != nil {
		server = net.JoinHostPort(server, "53")
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), dns.StringToType[typ])
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
		return nil, fmt.Errorf("ask %s for %s %s: %w", server, name, typ, err)
	}
	switch r.Rcode {
	case dns.RcodeSuccess, dns.RcodeNameError:
	default:
		return nil, fmt.Errorf("ask %s for %s %s: %s", server, name, typ, dns.RcodeToString[r.Rcode])
	}
	var out []string
	for _, rr := range r.Answer {
		switch a := rr.(type) {
		case *dns.A:
			if typ == "A" {
				out = append(out, a.A.String())
			}
		case *dns.AAAA:
			if typ == "AAAA" {
				out = append(out, a.AAAA.String())
			}
		}
	}
	return out, nil
}
