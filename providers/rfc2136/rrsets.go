package rfc2136

import (
	"context"
	"fmt"
	"strings"

	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
)

var _ providers.RRsetReader = (*Provider)(nil)

// ReadRRsets implements providers.RRsetReader with one query per key, over
// one TCP connection and signed like every other request, as a zone is read
// by names: the primary answers from the zone as it holds it, updates
// included.
func (p *Provider) ReadRRsets(ctx context.Context, zone string, keys []providers.Key) ([]providers.RRset, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	zf := providers.ZoneFQDN(zone)
	r := &nameReader{p: p, ctx: ctx, zone: zone}
	defer r.close()
	var recs []libdns.Record
	for _, k := range keys {
		typ, ok := providers.DNSType(strings.ToUpper(k.Type))
		if !ok {
			return nil, fmt.Errorf("rfc2136: read %s in zone %q: unknown type", k, zone)
		}
		rrs, _, err := r.ask(providers.ZoneFQDN(k.Name), typ)
		if err != nil {
			return nil, fmt.Errorf("rfc2136: %w", err)
		}
		for _, rr := range rrs {
			recs = append(recs, providers.FromDNS(zf, rr))
		}
	}
	return providers.GroupRecords(zone, recs), nil
}
