package rfc2136

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
)

// SetRecords implements libdns.RecordSetter: each (name, type) in recs ends
// up holding exactly the given records, in one UPDATE message (several past
// 65,535 bytes, each atomic). There are no prerequisites: it overwrites
// whatever the RRsets hold.
func (p *Provider) SetRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	zf := providers.ZoneFQDN(zone)
	sets := providers.GroupRecords(zone, recs)
	// The server ignores an RRset delete of the apex NS: replacing it needs
	// to know which records to delete one by one.
	var apexNS []dns.RR
	for _, s := range sets {
		if s.Type == "NS" && s.Name+"." == zf {
			current, err := p.readRRsets(ctx, zone)
			if err != nil {
				return nil, err
			}
			for _, c := range current {
				if c.Key() == s.Key() {
					if apexNS, err = rrs(zf, c); err != nil {
						return nil, err
					}
				}
			}
		}
	}
	changes := make([]change, len(sets))
	for i, s := range sets {
		c, err := setChange(zf, s, apexNS)
		if err != nil {
			return nil, fmt.Errorf("rfc2136: set records in zone %q: %w", zone, err)
		}
		changes[i] = c
	}
	if err := p.sendChanges(ctx, zone, changes); err != nil {
		return nil, err
	}
	return typed(zone, sets)
}

// AppendRecords implements libdns.RecordAppender: it adds the records,
// leaving those already there (a record already present is not doubled).
func (p *Provider) AppendRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	zf := providers.ZoneFQDN(zone)
	sets := providers.GroupRecords(zone, recs)
	changes := make([]change, len(sets))
	for i, s := range sets {
		name, err := ownerName(zf, s.Name)
		if err != nil {
			return nil, fmt.Errorf("rfc2136: append records to zone %q: %w", zone, err)
		}
		c := change{key: s.Key()}
		if c.update, err = rrs(name, s); err != nil {
			return nil, fmt.Errorf("rfc2136: append records to zone %q: %w", zone, err)
		}
		c.measure()
		changes[i] = c
	}
	if err := p.sendChanges(ctx, zone, changes); err != nil {
		return nil, err
	}
	return typed(zone, sets)
}

// DeleteRecords implements libdns.RecordDeleter: it deletes the records of
// the zone that match one of recs, where an empty type, a zero TTL or empty
// data matches any. It reads the zone to find them and returns those it
// deleted. The SOA record is never deleted.
func (p *Provider) DeleteRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	current, _, err := p.zoneRRs(ctx, zone, recordNames(zone, recs))
	if err != nil {
		return nil, fmt.Errorf("rfc2136: read zone %q: %w", zone, err)
	}
	zf := providers.ZoneFQDN(zone)
	var changes []change
	var deleted []libdns.Record
	for _, rr := range current {
		if rr.Header().Rrtype == dns.TypeSOA || !matchesAny(zf, rr, recs) {
			continue
		}
		d := dns.Copy(rr)
		d.Header().Class, d.Header().Ttl = dns.ClassNONE, 0
		c := change{
			key:    providers.Key{Name: providers.CanonicalName(rr.Header().Name), Type: dns.Type(rr.Header().Rrtype).String()},
			update: []dns.RR{d},
		}
		c.measure()
		changes = append(changes, c)
		deleted = append(deleted, fromRR(zf, rr))
	}
	if err := p.sendChanges(ctx, zone, changes); err != nil {
		return nil, err
	}
	return deleted, nil
}

// matchesAny reports whether rr matches one of recs by libdns's deletion
// rules.
func matchesAny(zone string, rr dns.RR, recs []libdns.Record) bool {
	h := rr.Header()
	typ := dns.Type(h.Rrtype).String()
	for _, r := range recs {
		want := r.RR()
		if !strings.EqualFold(libdns.AbsoluteName(want.Name, zone), h.Name) {
			continue
		}
		if want.Type != "" && !strings.EqualFold(want.Type, typ) {
			continue
		}
		if want.TTL != 0 && uint32(want.TTL/time.Second) != h.Ttl {
			continue
		}
		if want.Data != "" && providers.CanonicalData(typ, want.Data) != providers.CanonicalData(typ, rdata(rr)) {
			continue
		}
		return true
	}
	return false
}

// sendChanges sends changes without prerequisites in as few messages as
// fit.
func (p *Provider) sendChanges(ctx context.Context, zone string, changes []change) error {
	chunks, err := p.split(zone, changes)
	if err != nil {
		return err
	}
	_, err = p.send(ctx, zone, chunks, nil, nil)
	return err
}

func typed(zone string, sets []providers.RRset) ([]libdns.Record, error) {
	var out []libdns.Record
	for _, s := range sets {
		recs, err := s.Records(zone)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
	}
	return out, nil
}
