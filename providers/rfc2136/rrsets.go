package rfc2136

import (
	"context"
	"fmt"
	"strings"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
)

var _ providers.RRsetReader = (*Provider)(nil)

// ReadRRsets implements providers.RRsetReader with one query per key to
// the server, over TCP and signed like every other request: the primary
// answers from the zone as it holds it, updates included.
func (p *Provider) ReadRRsets(ctx context.Context, zone string, keys []providers.Key) ([]providers.RRset, error) {
	zf := providers.ZoneFQDN(zone)
	var recs []libdns.Record
	for _, k := range keys {
		typ, ok := dns.StringToType[strings.ToUpper(k.Type)]
		if !ok {
			return nil, fmt.Errorf("rfc2136: read %s in zone %q: unknown type", k, zone)
		}
		q := new(dns.Msg)
		q.SetQuestion(dns.Fqdn(k.Name), typ)
		q.RecursionDesired = false
		r, err := p.exchange(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("rfc2136: read %s in zone %q: %w", k, zone, err)
		}
		if r.Rcode != dns.RcodeNameError {
			if err := p.answerError("query", zone, r); err != nil {
				return nil, err
			}
		}
		if r.Rcode == dns.RcodeSuccess && !r.Authoritative {
			return nil, fmt.Errorf("rfc2136: read %s: server %s does not answer authoritatively for zone %q", k, p.Server, zone)
		}
		for _, rr := range r.Answer {
			// Only the RRset asked for: not a CNAME the server followed.
			if h := rr.Header(); h.Rrtype == typ && providers.CanonicalName(h.Name) == k.Name {
				recs = append(recs, fromRR(zf, rr))
			}
		}
	}
	return providers.GroupRecords(zone, recs), nil
}
