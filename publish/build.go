package publish

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/topology"
)

// Resolver returns the provider that serves a zone in a view, by the
// provider reference the zone names ("rfc2136.corp").
type Resolver func(providerRef, view string) (providers.Provider, error)

// Source is what a plan is made from.
type Source struct {
	// Desired is the compiled topology.
	Desired *topology.Desired
	// File and SHA256 identify the topology file.
	File   string
	SHA256 string
}

// Make reads every zone of the topology once from its provider and diffs it
// with what the topology wants. Conflicts with records topo does not own
// fail the plan with a *ConflictError listing all of them.
func Make(ctx context.Context, src Source, resolve Resolver) (*Plan, error) {
	p := &Plan{
		FormatVersion:  FormatVersion,
		Kind:           PlanKind,
		Topology:       src.Desired.Topology,
		TopologyFile:   src.File,
		TopologySHA256: src.SHA256,
		Zones:          []ZonePlan{},
	}
	var conflicts []Conflict
	for _, zr := range src.Desired.Zones {
		prov, err := resolve(zr.Provider, zr.View)
		if err != nil {
			return nil, fmt.Errorf("zone %s (%s): %w", zr.Zone, zr.View, err)
		}
		want := DesiredFor(zr, src.Desired.Topology)
		names := ManagedNames(zr, want, src.Desired)
		setNames(prov, zr.Zone, names)
		current, err := ReadZone(ctx, prov, zr.Zone)
		if err != nil {
			return nil, fmt.Errorf("read zone %s (%s) from %s: %w", zr.Zone, zr.View, zr.Provider, err)
		}
		changes, cs, owned := Diff(zr.Zone, want, current, Owner{Mode: zr.Ownership, Topology: src.Desired.Topology, Adopt: zr.Adopt})
		conflicts = append(conflicts, cs...)
		zp := ZonePlan{
			Zone:        zr.Zone,
			View:        zr.View,
			Provider:    zr.Provider,
			Ownership:   zr.Ownership,
			Fingerprint: Fingerprint(current),
			Owned:       owned,
			MaxChange:   zr.MaxChange,
			Changes:     changes,
		}
		if scope := readScope(prov, zr.Zone); scope != nil {
			zp.ReadScope, zp.ReadNames = scope, names
		}
		if zp.Changes == nil {
			zp.Changes = []Change{}
		}
		if ch, ok := prov.(providers.Chunker); ok && len(changes) > 0 {
			if es, _ := edits(changes); len(es) > 0 {
				zp.Chunks = ch.Chunks(providers.ZoneFQDN(zr.Zone), es)
			}
		}
		p.Zones = append(p.Zones, zp)
	}
	Explain(p, src.Desired)
	if len(conflicts) > 0 {
		return p, &ConflictError{Conflicts: conflicts}
	}
	return p, nil
}

// ReadZone reads a zone's records as RRsets.
func ReadZone(ctx context.Context, prov providers.Provider, zone string) ([]providers.RRset, error) {
	recs, err := prov.GetRecords(ctx, providers.ZoneFQDN(zone))
	if err != nil {
		return nil, err
	}
	return providers.GroupRecords(zone, recs), nil
}

// Fingerprint hashes a zone's RRsets (SOA excluded: its serial moves with
// every write) so publish can tell whether the zone changed since planning.
func Fingerprint(sets []providers.RRset) string {
	h := sha256.New()
	for _, s := range sets {
		if s.Type == "SOA" {
			continue
		}
		h.Write([]byte(s.Name))
		h.Write([]byte{0})
		h.Write([]byte(s.Type))
		h.Write([]byte{0})
		h.Write([]byte(strconv.FormatUint(uint64(s.TTL), 10)))
		for _, v := range s.Values {
			h.Write([]byte{0})
			h.Write([]byte(v))
		}
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// edits returns the provider edits of a zone's changes, in order, and for
// each change how many edits make it and those before it: change i is
// applied once ends[i] edits are (an adopt carrying no marker makes none).
func edits(changes []Change) (out []providers.Edit, ends []int) {
	out = make([]providers.Edit, 0, len(changes))
	ends = make([]int, len(changes))
	for i, c := range changes {
		out = append(out, c.Edits()...)
		ends[i] = len(out)
	}
	return out, ends
}

// ErrStale is wrapped by errors that refuse a plan made against zones that
// changed since.
var ErrStale = errors.New("stale plan")
