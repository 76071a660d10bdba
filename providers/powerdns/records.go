package powerdns

import (
	"context"
	"fmt"
	"slices"

	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
)

// GetRecords implements libdns.RecordGetter with one GET of the zone. It
// returns every enabled record, SOA and NS included.
func (p *Provider) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	sets, err := p.readZone(ctx, zone)
	if err != nil {
		return nil, err
	}
	return providers.Flatten(zone, sets), nil
}

// SetRecords implements libdns.RecordSetter: each (name, type) in recs is
// replaced by exactly the given records, in one PATCH per chunk and no
// read. Like ApplyEdits it is atomic per chunk.
func (p *Provider) SetRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	sets := providers.GroupRecords(zone, recs)
	edits := make([]providers.Edit, len(sets))
	for i := range sets {
		edits[i] = providers.Edit{After: &sets[i]}
	}
	if err := p.write(ctx, zone, edits); err != nil {
		return nil, err
	}
	return providers.Flatten(zone, sets), nil
}

// AppendRecords implements libdns.RecordAppender: it reads the zone and
// replaces each RRset in recs with its current records plus the new ones.
// A change made by another client between the read and the write is lost.
func (p *Provider) AppendRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	current, err := p.readZone(ctx, zone)
	if err != nil {
		return nil, err
	}
	index := providers.Index(current)
	add := providers.GroupRecords(zone, recs)
	edits := make([]providers.Edit, 0, len(add))
	for _, s := range add {
		if cur, ok := index[s.Key()]; ok {
			s.Values = append(slices.Clone(cur.Values), s.Values...)
			s.Normalize()
		}
		edits = append(edits, providers.Edit{After: &s})
	}
	if err := p.write(ctx, zone, edits); err != nil {
		return nil, err
	}
	return providers.Flatten(zone, add), nil
}

// DeleteRecords implements libdns.RecordDeleter with libdns's matching
// rules ([providers.DeleteMatcher]): it reads the zone, then rewrites or
// deletes each RRset that loses records. A change made by another client
// between the read and the write is lost.
func (p *Provider) DeleteRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	match, err := providers.NewDeleteMatcher(zone, recs)
	if err != nil {
		return nil, err
	}
	current, err := p.readZone(ctx, zone)
	if err != nil {
		return nil, err
	}
	// In the order PowerDNS lists the RRsets, so the PATCH is deterministic.
	edits, deleted := match.Edits(current)
	if err := p.write(ctx, zone, edits); err != nil {
		return nil, err
	}
	return providers.Flatten(zone, deleted), nil
}

// write sends edits without checking their preconditions.
func (p *Provider) write(ctx context.Context, zone string, edits []providers.Edit) error {
	if len(edits) == 0 {
		return nil
	}
	chunks, err := p.chunk(zone, edits)
	if err != nil {
		return fmt.Errorf("write zone %q: %w", providers.CanonicalName(zone), err)
	}
	_, err = p.send(ctx, zone, chunks, providers.ApplyOptions{})
	return err
}
