// Package memory is an in-memory DNS provider: the reference implementation
// of the provider contract, used by tests and by the contract suite as the
// baseline every real provider is compared with.
//
// Every method is atomic: ApplyEdits checks all preconditions first and then
// applies all edits under one lock, or none.
package memory

import (
	"context"
	"maps"
	"slices"
	"sync"

	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
)

// Provider keeps zones in memory. The zero value is ready to use and serves
// every zone, starting empty.
type Provider struct {
	mu    sync.Mutex
	zones map[string]map[providers.Key]providers.RRset

	// FailApply, when not nil, is called before each ApplyEdits; an error it
	// returns fails the apply with nothing changed. Tests use it to inject
	// faults.
	FailApply func(zone string, edits []providers.Edit) error
}

var (
	_ providers.Provider    = (*Provider)(nil)
	_ providers.EditApplier = (*Provider)(nil)
	_ libdns.RecordGetter   = (*Provider)(nil)
	_ libdns.RecordSetter   = (*Provider)(nil)
	_ libdns.RecordDeleter  = (*Provider)(nil)
	_ libdns.RecordAppender = (*Provider)(nil)
)

func (p *Provider) zone(zone string) map[providers.Key]providers.RRset {
	z := providers.CanonicalName(zone)
	if p.zones == nil {
		p.zones = map[string]map[providers.Key]providers.RRset{}
	}
	m, ok := p.zones[z]
	if !ok {
		m = map[providers.Key]providers.RRset{}
		p.zones[z] = m
	}
	return m
}

// RRsets returns a copy of the zone's RRsets, sorted.
func (p *Provider) RRsets(zone string) []providers.RRset {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []providers.RRset
	for _, s := range p.zone(zone) {
		out = append(out, s.Clone())
	}
	providers.SortRRsets(out)
	return out
}

// GetRecords implements libdns.RecordGetter.
func (p *Provider) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return providers.Flatten(zone, p.RRsets(zone)), nil
}

// SetRecords implements libdns.RecordSetter: each (name, type) in recs is
// replaced by exactly the given records.
func (p *Provider) SetRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	return p.put(ctx, zone, recs, false)
}

// AppendRecords implements libdns.RecordAppender: the records join those
// of their RRset, which takes their TTL.
func (p *Provider) AppendRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	return p.put(ctx, zone, recs, true)
}

// put stores the RRsets of recs, in place of what the zone holds or, with
// add, together with it.
func (p *Provider) put(ctx context.Context, zone string, recs []libdns.Record, add bool) ([]libdns.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	z := p.zone(zone)
	for _, s := range providers.GroupRecords(zone, recs) {
		if cur, ok := z[s.Key()]; ok && add {
			s.Values = slices.Concat(cur.Values, s.Values)
			s.Normalize()
		}
		z[s.Key()] = s
	}
	return recs, nil
}

// DeleteRecords implements libdns.RecordDeleter with libdns's matching
// rules ([providers.DeleteMatcher]).
func (p *Provider) DeleteRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	match, err := providers.NewDeleteMatcher(zone, recs)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	z := p.zone(zone)
	edits, deleted := match.Edits(slices.Collect(maps.Values(z)))
	providers.ApplyToIndex(z, edits)
	providers.SortRRsets(deleted)
	return providers.Flatten(zone, deleted), nil
}

// ApplyEdits implements providers.EditApplier atomically: it checks the
// preconditions on the zone itself under the same lock as the write, so it
// ignores opts.Current.
func (p *Provider) ApplyEdits(ctx context.Context, zone string, edits []providers.Edit, opts providers.ApplyOptions) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if p.FailApply != nil {
		if err := p.FailApply(zone, edits); err != nil {
			return 0, err
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	z := p.zone(zone)
	if err := providers.CheckPreconditions(zone, z, edits); err != nil {
		return 0, err
	}
	providers.ApplyToIndex(z, edits)
	if opts.Progress != nil {
		opts.Progress(1, 1)
	}
	return len(edits), nil
}
