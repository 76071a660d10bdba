package rfc2136

import (
	"context"
	"fmt"

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
					if apexNS, err = c.DNSRRs(); err != nil {
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
	return providers.Flatten(zone, sets), nil
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
		if _, err := ownerName(zf, s.Name); err != nil {
			return nil, fmt.Errorf("rfc2136: append records to zone %q: %w", zone, err)
		}
		c := change{key: s.Key()}
		var err error
		if c.update, err = s.DNSRRs(); err != nil {
			return nil, fmt.Errorf("rfc2136: append records to zone %q: %w", zone, err)
		}
		c.measure()
		changes[i] = c
	}
	if err := p.sendChanges(ctx, zone, changes); err != nil {
		return nil, err
	}
	return providers.Flatten(zone, sets), nil
}

// DeleteRecords implements libdns.RecordDeleter with libdns's matching
// rules ([providers.DeleteMatcher]): it reads the zone to find the records
// that match one of recs, deletes them in as few UPDATE messages as fit,
// and returns them. The SOA record is never deleted.
func (p *Provider) DeleteRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	match, err := providers.NewDeleteMatcher(zone, recs)
	if err != nil {
		return nil, fmt.Errorf("rfc2136: %w", err)
	}
	current, _, err := p.zoneRRs(ctx, zone, recordNames(zone, recs))
	if err != nil {
		return nil, fmt.Errorf("rfc2136: read zone %q: %w", zone, err)
	}
	zf := providers.ZoneFQDN(zone)
	var changes []change
	var deleted []libdns.Record
	for _, rr := range current {
		k := providers.DNSKey(rr)
		if !match.Match(k.Name, k.Type, rr.Header().Ttl, providers.DNSData(rr)) {
			continue
		}
		d := dns.Copy(rr)
		d.Header().Class, d.Header().Ttl = dns.ClassNONE, 0
		c := change{key: k, update: []dns.RR{d}}
		c.measure()
		changes = append(changes, c)
		deleted = append(deleted, providers.FromDNS(zf, rr))
	}
	if err := p.sendChanges(ctx, zone, changes); err != nil {
		return nil, err
	}
	return deleted, nil
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
