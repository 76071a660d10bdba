package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// zoneKey names one zone of one view through one provider: what a read is
// remembered by.
type zoneKey struct{ zone, view, provider string }

func keyOf(z publish.ZonePlan) zoneKey { return zoneKey{z.Zone, z.View, z.Provider} }

// zoneRead is a zone as read, and its fingerprint.
type zoneRead struct {
	rrsets      []providers.RRset
	fingerprint string
}

// ErrInvalid is returned by Plan, Publish and Verify on a Loaded whose
// topology has errors (its Diags say which).
var ErrInvalid = errors.New("the topology has errors")

// ReadZone reads a zone's records from prov as RRsets.
func ReadZone(ctx context.Context, prov providers.Provider, zone string) ([]providers.RRset, error) {
	recs, err := prov.GetRecords(ctx, providers.ZoneFQDN(zone))
	if err != nil {
		return nil, err
	}
	return providers.GroupRecords(zone, recs), nil
}

// Plan reads every zone of the topology once from its provider and diffs
// it with what the topology wants. Records that collide with ones topo
// does not own are the plan's Conflicts: check Applyable before saving or
// publishing it. The error is for what kept the plan from being made: a
// provider that cannot be found or read.
func (l *Loaded) Plan(ctx context.Context) (*publish.Plan, error) {
	if l.Desired == nil {
		return nil, ErrInvalid
	}
	l.reads = map[zoneKey]zoneRead{}
	return l.plan(ctx, l.Desired.Zones)
}

// plan reads and diffs zones, remembering each read. What a zone wants is
// worked out while the zone is being read, except from a provider that
// reads by names: it is told first which names to read.
func (l *Loaded) plan(ctx context.Context, zones []*topology.ZoneRecords) (*publish.Plan, error) {
	p := publish.New(l.src)
	for _, zr := range zones {
		prov, err := l.resolve(zr.Provider, string(zr.View))
		if err != nil {
			return nil, fmt.Errorf("zone %s (%s): %w", zr.Zone, zr.View, err)
		}
		wantc := make(chan publish.ZoneWant, 1)
		var names []string
		if _, byNames := prov.(providers.NameReader); byNames {
			want := publish.WantFor(zr, l.Desired.Topology)
			names = publish.ManagedNames(zr, want, l.Desired)
			setNames(prov, zr.Zone, names)
			wantc <- want
		} else {
			go func() { wantc <- publish.WantFor(zr, l.Desired.Topology) }()
		}
		current, err := ReadZone(ctx, prov, zr.Zone)
		want := <-wantc
		if err != nil {
			return nil, fmt.Errorf("read zone %s (%s) from %s: %w", zr.Zone, zr.View, zr.Provider, err)
		}
		zp, conflicts := publish.DiffZone(zr, l.Desired.Topology, want, current)
		if scope := readScope(prov, zr.Zone); scope != nil {
			zp.ReadScope, zp.ReadNames = scope, names
		}
		if ch, ok := prov.(providers.Chunker); ok && len(zp.Changes) > 0 {
			zp.Chunks = ch.Chunks(providers.ZoneFQDN(zr.Zone), zp.Edits())
		}
		p.Zones = append(p.Zones, zp)
		p.Conflicts = append(p.Conflicts, conflicts...)
		if l.reads != nil {
			l.reads[keyOf(zp)] = zoneRead{current, zp.Fingerprint}
		}
	}
	publish.Explain(p, l.Desired)
	return p, nil
}

// setNames tells a provider that reads by names which names to read.
func setNames(prov providers.Provider, zone string, names []string) {
	if nr, ok := prov.(providers.NameReader); ok {
		nr.SetNames(providers.ZoneFQDN(zone), names)
	}
}

// readScope is what the provider's last read of zone covered, nil when it
// read the whole zone.
func readScope(prov providers.Provider, zone string) *providers.ReadScope {
	nr, ok := prov.(providers.NameReader)
	if !ok {
		return nil
	}
	s := nr.ReadScope(providers.ZoneFQDN(zone))
	if !s.Names {
		return nil
	}
	return &s
}
