package rfc2136

import (
	"context"
	"fmt"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
)

// transfer reads the whole zone with AXFR over TCP, signed when there is a
// key. It returns each record once: the SOA that closes the transfer is
// left out.
func (p *Provider) transfer(ctx context.Context, zone string) ([]dns.RR, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	zf := providers.ZoneFQDN(zone)
	ctx, cancel := context.WithTimeout(ctx, p.timeout())
	defer cancel()
	c, err := p.dial(ctx)
	if err != nil {
		return nil, err
	}
	defer c.close()
	q := new(dns.Msg)
	q.SetAxfr(zf)
	if err := c.send(q); err != nil {
		return nil, err
	}
	var out []dns.RR
	for first := true; ; first = false {
		r, err := c.recv()
		if err != nil {
			return nil, err
		}
		if r.Id != q.Id {
			return nil, fmt.Errorf("answer from %s has ID %d, want %d", p.Server, r.Id, q.Id)
		}
		if err := p.answerError("transfer", zone, r); err != nil {
			return nil, err
		}
		if first && (len(r.Answer) == 0 || r.Answer[0].Header().Rrtype != dns.TypeSOA) {
			return nil, fmt.Errorf("server %s did not start the transfer of zone %q with its SOA record", p.Server, zone)
		}
		for i, rr := range r.Answer {
			if rr.Header().Rrtype == dns.TypeSOA && !(first && i == 0) {
				return out, nil
			}
			out = append(out, rr)
		}
	}
}

// GetRecords implements libdns.RecordGetter with a zone transfer. It
// returns every record, SOA and NS included.
func (p *Provider) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	rrs, err := p.transfer(ctx, zone)
	if err != nil {
		return nil, fmt.Errorf("rfc2136: read zone %q: %w", zone, err)
	}
	zf := providers.ZoneFQDN(zone)
	out := make([]libdns.Record, len(rrs))
	for i, rr := range rrs {
		out[i] = providers.FromDNS(zf, rr)
	}
	return out, nil
}

// readRRsets reads the zone as RRsets.
func (p *Provider) readRRsets(ctx context.Context, zone string) ([]providers.RRset, error) {
	recs, err := p.GetRecords(ctx, zone)
	if err != nil {
		return nil, err
	}
	return providers.GroupRecords(zone, recs), nil
}
