package engine

import (
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
)

// checkTargets runs the checks on the zones about to be written, as topo
// derived their plans from the zones just read: the mass-change guard
// (unless allowMassChange) on what topo owns now, and that each zone still
// loads once its changes are applied. It runs before the first write, so a
// refusal writes nothing anywhere.
func checkTargets(targets []target, allowMassChange bool) error {
	if !allowMassChange {
		p := &publish.Plan{Zones: make([]publish.ZonePlan, len(targets))}
		for i, t := range targets {
			p.Zones[i] = t.zp
		}
		if err := publish.CheckGuard(p); err != nil {
			return err
		}
	}
	for _, t := range targets {
		if ps := publish.NewProblems(t.zp.Zone, t.current, applied(t.current, t.zp)); len(ps) > 0 {
			return &publish.BrokenZoneError{Zone: t.zp.ID(), Problems: ps}
		}
	}
	return nil
}

// applied is what a zone holds once a zone plan's changes are applied to
// current, in name-then-type order.
func applied(current []providers.RRset, zp publish.ZonePlan) []providers.RRset {
	idx := providers.Index(current)
	providers.ApplyToIndex(idx, zp.Edits())
	out := make([]providers.RRset, 0, len(idx))
	for _, s := range idx {
		out = append(out, s)
	}
	providers.SortRRsets(out)
	return out
}
