package engine

import (
	"context"
	"fmt"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/topology"
)

// ZoneRead is one zone as its provider holds it, for callers that read
// zones without a topology to plan (topo import).
type ZoneRead struct {
	Zone   *topology.ZoneRecords
	RRsets []providers.RRset
	// Scope is what the read covered when the provider read the zone
	// name by name (a server refusing the transfer); nil for the whole
	// zone.
	Scope *providers.ReadScope
}

// ReadZones reads each zone through the provider set opened for it. A
// provider that reads by names is first given names(zone) when names is
// not nil; otherwise it reads what it reads, and Scope says so.
func ReadZones(ctx context.Context, set *providers.Set, zones []*topology.ZoneRecords, names func(zone string) []string) ([]ZoneRead, error) {
	out := make([]ZoneRead, 0, len(zones))
	for _, zr := range zones {
		prov, err := set.Get(zr.Provider, string(zr.View))
		if err != nil {
			return nil, fmt.Errorf("zone %s (%s): %w", zr.Zone, zr.View, err)
		}
		if names != nil {
			setNames(prov, zr.Zone, names(zr.Zone))
		}
		sets, err := ReadZone(ctx, prov, zr.Zone)
		if err != nil {
			return nil, fmt.Errorf("read zone %s (%s) from %s: %w", zr.Zone, zr.View, zr.Provider, err)
		}
		out = append(out, ZoneRead{Zone: zr, RRsets: sets, Scope: readScope(prov, zr.Zone)})
	}
	return out, nil
}
