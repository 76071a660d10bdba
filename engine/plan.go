package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"

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
			var want publish.ZoneWant
			want, names = l.want(prov, zr)
			setNames(prov, zr.Zone, names)
			wantc <- want
		} else {
			go func() { wantc <- publish.WantFor(zr, l.Desired.Topology) }()
		}
		current, err := ReadZone(ctx, prov, zr.Zone)
		want := <-wantc
		var index *publish.NameIndex
		scope := readScope(prov, zr.Zone)
		if err == nil && scope != nil {
			current, names, index, err = l.readIndexed(ctx, prov, zr, names, current)
			want = publish.WithIndex(want, zr, l.Desired.Topology)
		}
		if err != nil {
			return nil, fmt.Errorf("read zone %s (%s) from %s: %w", zr.Zone, zr.View, zr.Provider, err)
		}
		zp, conflicts := l.derive(prov, zr, want, current, names, index)
		p.Zones = append(p.Zones, zp)
		p.Conflicts = append(p.Conflicts, conflicts...)
		if l.reads != nil {
			l.reads[keyOf(zp)] = zoneRead{current, zp.Fingerprint}
		}
	}
	publish.Explain(p, l.Desired)
	return p, nil
}

// want is what a compiled zone wants, and the names a provider that
// reads by names is to read for it (nil for other providers).
func (l *Loaded) want(prov providers.Provider, zr *topology.ZoneRecords) (publish.ZoneWant, []string) {
	want := publish.WantFor(zr, l.Desired.Topology)
	if _, byNames := prov.(providers.NameReader); !byNames {
		return want, nil
	}
	return want, publish.ManagedNames(zr, want, l.Desired)
}

// derive plans one zone from what it wants and what was read from prov
// (names, when it reads by names): Plan and Publish make a zone plan the
// same way.
func (l *Loaded) derive(prov providers.Provider, zr *topology.ZoneRecords, want publish.ZoneWant, current []providers.RRset, names []string, index *publish.NameIndex) (publish.ZonePlan, []publish.Conflict) {
	zp, conflicts := publish.DiffZone(zr, l.Desired.Topology, want, current)
	if scope := readScope(prov, zr.Zone); scope != nil {
		zp.ReadScope, zp.ReadNames, zp.NameIndex = scope, names, index
	}
	zp.Server = writeServer(prov, zr.Zone)
	if ch, ok := prov.(providers.Chunker); ok && len(zp.Changes) > 0 {
		zp.Chunks = ch.Chunks(providers.ZoneFQDN(zr.Zone), zp.Edits())
	}
	return zp, conflicts
}

// maxIndexReads bounds how often a zone read by names is read again for
// the names its index lists: a second read is the rule (the index named
// names the topology no longer has), a third only when the index changed
// between the two.
const maxIndexReads = 3

// readIndexed completes a read by names: when the zone's name index lists
// names the read did not cover (names removed from the topology), the zone
// is read again with those names too, so their records are seen, owned and
// deleted. It returns the read, every name read, and what the index said.
func (l *Loaded) readIndexed(ctx context.Context, prov providers.Provider, zr *topology.ZoneRecords, names []string, current []providers.RRset) ([]providers.RRset, []string, *publish.NameIndex, error) {
	topo := l.Desired.Topology
	index := &publish.NameIndex{Name: publish.IndexName(topo, zr.Zone)}
	asked := map[string]bool{}
	for _, n := range names {
		asked[n] = true
	}
	for range maxIndexReads {
		index.Found = publish.IndexFound(current, zr.Zone, topo)
		var extra []string
		for _, n := range publish.IndexedNames(current, zr.Zone, topo) {
			if !asked[n] {
				extra = append(extra, n)
			}
		}
		if len(extra) == 0 {
			break
		}
		for _, n := range extra {
			asked[n] = true
			index.Gone = append(index.Gone, n)
			names = append(names, n)
			if m := publish.MarkerName(n); !asked[m] {
				asked[m] = true
				names = append(names, m)
			}
		}
		slices.Sort(names)
		setNames(prov, zr.Zone, names)
		var err error
		if current, err = ReadZone(ctx, prov, zr.Zone); err != nil {
			return nil, nil, nil, err
		}
	}
	slices.Sort(index.Gone)
	return current, names, index, nil
}

// writeServer is the one server of a replicated zone the provider reads
// and writes (providers.Replicated), "" when it names none.
func writeServer(prov providers.Provider, zone string) string {
	if r, ok := prov.(providers.Replicated); ok {
		return r.WriteServer(providers.ZoneFQDN(zone))
	}
	return ""
}

// wantFor is what a zone read as scope says should hold: the topology's
// records, and the name index when the zone was read by names.
func wantFor(zr *topology.ZoneRecords, topo string, scope *providers.ReadScope) publish.ZoneWant {
	want := publish.WantFor(zr, topo)
	if scope != nil {
		want = publish.WithIndex(want, zr, topo)
	}
	return want
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
