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
	c, err := p.dial(ctx, zf)
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
		if err := p.tsigError(r); err != nil {
			return nil, err
		}
		if first && (r.Rcode == dns.RcodeRefused || r.Rcode == dns.RcodeNotAuth) {
			return nil, &transferRefused{detail: rcodeName(r.Rcode)}
		}
		if err := p.answerError("transfer", zone, r); err != nil {
			return nil, err
		}
		if first && (len(r.Answer) == 0 || r.Answer[0].Header().Rrtype != dns.TypeSOA) {
			// Samba answers NOERROR without records: not allowed.
			return nil, &transferRefused{detail: rcodeName(r.Rcode) + " without the zone's SOA"}
		}
		for i, rr := range r.Answer {
			if rr.Header().Rrtype == dns.TypeSOA && !(first && i == 0) {
				return out, nil
			}
			out = append(out, rr)
		}
	}
}

// GetRecords implements libdns.RecordGetter with a zone transfer: every
// record, SOA and NS included. When the provider reads by names, or the
// server refuses the transfer, it returns the apex SOA and NS and the
// records at the names given to SetNames; ReadScope then says so.
func (p *Provider) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	rrs, scope, err := p.zoneRRs(ctx, zone, nil)
	if err != nil {
		return nil, fmt.Errorf("rfc2136: read zone %q: %w", zone, err)
	}
	p.setScope(zone, scope)
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
