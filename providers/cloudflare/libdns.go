package cloudflare

import (
	"context"

	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
)

var (
	_ libdns.RecordGetter  = (*Provider)(nil)
	_ libdns.RecordSetter  = (*Provider)(nil)
	_ libdns.RecordDeleter = (*Provider)(nil)
)

// GetRecords implements libdns.RecordGetter: every record of the zone,
// typed (libdns.Address, libdns.SRV, ...; libdns.RR for other types), named
// relative to the zone, automatic TTLs as AutoTTL.
func (p *Provider) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	_, _, recs, err := p.read(ctx, zone)
	if err != nil {
		return nil, err
	}
	out := make([]libdns.Record, 0, len(recs))
	for _, r := range recs {
		out = append(out, providers.Typed(r.rr))
	}
	return out, nil
}

// SetRecords implements libdns.RecordSetter: each (name, type) in recs
// ends up holding exactly the given records, through the same batches as
// ApplyEdits (atomic per batch, one batch for up to batch_size operations).
func (p *Provider) SetRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	sets := providers.GroupRecords(zone, recs)
	edits := make([]providers.Edit, 0, len(sets))
	for i := range sets {
		edits = append(edits, providers.Edit{After: &sets[i]})
	}
	if err := p.checkProxied(zone, edits); err != nil {
		return nil, err
	}
	id, name, cur, err := p.read(ctx, zone)
	if err != nil {
		return nil, err
	}
	chunks, err := p.plan(name, index(cur), edits)
	if err != nil {
		return nil, err
	}
	if _, err := p.write(ctx, id, name, chunks, len(edits), nil); err != nil {
		return nil, err
	}
	return recs, nil
}

// DeleteRecords implements libdns.RecordDeleter with libdns's matching
// rules ([providers.DeleteMatcher]). Up to batch_size deletions are one
// transaction.
func (p *Provider) DeleteRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	match, err := providers.NewDeleteMatcher(zone, recs)
	if err != nil {
		return nil, err
	}
	id, name, cur, err := p.read(ctx, zone)
	if err != nil {
		return nil, err
	}
	var deleted []libdns.Record
	var chunks []chunk
	for _, r := range cur {
		if !match.Match(r.key.Name, r.key.Type, r.ttl, r.value) {
			continue
		}
		if len(chunks) == 0 || chunks[len(chunks)-1].body.ops() == p.batchSize {
			chunks = append(chunks, chunk{})
		}
		c := &chunks[len(chunks)-1]
		c.body.Deletes = append(c.body.Deletes, wireID{ID: r.id})
		c.edits++
		deleted = append(deleted, providers.Typed(r.rr))
	}
	if _, err := p.write(ctx, id, name, chunks, len(deleted), nil); err != nil {
		return nil, err
	}
	return deleted, nil
}
