package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// PublishOptions tune Publish.
type PublishOptions struct {
	// AllowMassChange skips the mass-change guard for this run.
	AllowMassChange bool
	// Progress, when not nil, is called with done 0 as each zone's apply
	// starts, then after each chunk a provider applies with the chunks done
	// and their total.
	Progress func(zone publish.ZonePlan, done, total int)
	// ReusePlanReads lets Publish take what this Loaded's last Plan read as
	// the read just before writing, instead of reading each zone again,
	// for the zones whose fingerprint in p matches that read. Set it only
	// when nothing ran between Plan and Publish (no person took time to
	// review the plan, as with --auto-approve); leave it false when p was
	// shown for confirmation. A saved plan is always read again.
	ReusePlanReads bool
}

// ZoneResult is what Publish did to one zone.
type ZoneResult struct {
	// Zone and View name the zone as the plan does.
	Zone string `json:"zone"`
	View string `json:"view"`
	// Applied of Total changes were applied; a prefix of the plan's.
	Applied int `json:"applied"`
	Total   int `json:"total"`
	// Error is why the zone's apply stopped; empty when it did not.
	Error string `json:"error,omitempty"`
}

// Result reports what Publish did, zone by zone, in plan order, for the
// zones the plan changes. Zones after a failed one are listed with nothing
// applied.
type Result struct {
	// Zones are the zones the plan changes, in plan order; never nil.
	Zones []ZoneResult `json:"zones"`
}

// Applied counts the changes applied across zones.
func (r *Result) Applied() int {
	n := 0
	for _, z := range r.Zones {
		n += z.Applied
	}
	return n
}

// ErrStale is wrapped by errors that refuse a plan made against zones or a
// topology file that changed since.
var ErrStale = errors.New("stale plan")

// StaleError refuses a plan whose zones changed since it was made.
type StaleError struct {
	// Zones name each changed zone: "contoso.com (internal)".
	Zones []string
}

// Error says which zones changed and what to do.
func (e *StaleError) Error() string {
	return fmt.Sprintf("the plan is stale: zone %s changed since the plan was made; make a new plan and review it", strings.Join(e.Zones, ", "))
}

// Unwrap makes errors.Is(err, ErrStale) true.
func (e *StaleError) Unwrap() error { return ErrStale }

// TopologyChangedError refuses a plan made from another version of the
// topology file.
type TopologyChangedError struct {
	// File is the topology file as the plan names it.
	File string
}

// Error says which file changed and what to do.
func (e *TopologyChangedError) Error() string {
	return fmt.Sprintf("the plan is stale: the topology file %s changed since the plan was made; make a new plan and review it", e.File)
}

// Unwrap makes errors.Is(err, ErrStale) true.
func (e *TopologyChangedError) Unwrap() error { return ErrStale }

// ApplyError reports a publish that stopped part way, with what was and was
// not applied. Publishing the topology again converges: a fresh plan holds
// exactly what is left.
type ApplyError struct {
	// Result is what was applied, zone by zone.
	Result *Result
	// Zone names the zone that failed: "contoso.com (internal)".
	Zone string
	// Err is the provider's error.
	Err error
}

// Error lists every zone with what was applied, and what to do.
func (e *ApplyError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "publish stopped at zone %s: %v", e.Zone, e.Err)
	for _, z := range e.Result.Zones {
		state := "applied"
		switch {
		case z.Error != "":
			state = "FAILED"
		case z.Applied < z.Total:
			state = "not applied"
		}
		fmt.Fprintf(&b, "\n  %s (%s): %d of %d changes applied (%s)", z.Zone, z.View, z.Applied, z.Total, state)
	}
	b.WriteString("\nNothing was lost: run the same publish again (plan afresh) to apply what is left.")
	return b.String()
}

// Unwrap returns the provider's error.
func (e *ApplyError) Unwrap() error { return e.Err }

// NotConvergedError reports a publish whose proof failed: a fresh plan of
// the zones written still has changes.
type NotConvergedError struct {
	// Counts are the changes a fresh plan still has.
	Counts publish.Counts
	// Conflicts is how many records now collide with ones topo does not own.
	Conflicts int
}

// Error says what is left to change.
func (e *NotConvergedError) Error() string {
	return fmt.Sprintf("published, but a fresh plan still shows %d to create, %d to update, %d to delete (%d conflicts): the provider did not store what was sent",
		e.Counts.Create, e.Counts.Update, e.Counts.Delete, e.Conflicts)
}

// Check runs the checks that need no zone read, so a caller can refuse a
// plan before asking anyone to confirm it: the plan is applyable, it was
// made from this topology file as it is now, and it passes the
// mass-change guard unless allowMassChange. Publish runs it again.
func (l *Loaded) Check(p *publish.Plan, allowMassChange bool) error {
	if l.Desired == nil {
		return ErrInvalid
	}
	if err := p.Err(); err != nil {
		return err
	}
	if p.TopologySHA256 != l.src.SHA256 {
		return &TopologyChangedError{File: p.TopologyFile}
	}
	if !allowMassChange {
		return publish.CheckGuard(p)
	}
	return nil
}

// target is one zone Publish writes.
type target struct {
	zp      publish.ZonePlan
	prov    providers.Provider
	current []providers.RRset
}

// Publish applies p exactly: it runs Check, reads every zone p changes
// just before writing (or takes the plan's own read, see ReusePlanReads)
// and refuses the whole plan with a *StaleError when any of them changed
// since planning, applies each zone's changes through its provider
// (atomically where the provider can), then plans those zones again and
// returns a *NotConvergedError unless nothing is left to change. Each zone
// is read at most once before writing and once after (only the RRsets
// written, from a provider that can read them alone).
//
// A publish that fails part way returns the Result so far and an
// *ApplyError saying what was and was not applied.
func (l *Loaded) Publish(ctx context.Context, p *publish.Plan, opts PublishOptions) (*Result, error) {
	if err := l.Check(p, opts.AllowMassChange); err != nil {
		return nil, err
	}
	reads := l.reads
	l.reads = nil // about to be stale, whatever happens
	if !opts.ReusePlanReads {
		reads = nil
	}
	res := &Result{Zones: []ZoneResult{}}
	var targets []target
	var stale []string
	for _, z := range p.Zones {
		if len(z.Changes) == 0 {
			continue
		}
		prov, err := l.resolve(z.Provider, z.View)
		if err != nil {
			return nil, fmt.Errorf("zone %s: %w", z.ID(), err)
		}
		read, ok := reads[keyOf(z)]
		current, fp := read.rrsets, read.fingerprint
		if !ok || fp != z.Fingerprint {
			if z.ReadNames != nil {
				// The fingerprint covers the names the plan read: read them again.
				setNames(prov, z.Zone, z.ReadNames)
			}
			if current, err = ReadZone(ctx, prov, z.Zone); err != nil {
				return nil, fmt.Errorf("read zone %s from %s: %w", z.ID(), z.Provider, err)
			}
			fp = publish.Fingerprint(current)
		}
		if fp != z.Fingerprint {
			stale = append(stale, z.ID())
			continue
		}
		targets = append(targets, target{zp: z, prov: prov, current: current})
		res.Zones = append(res.Zones, ZoneResult{Zone: z.Zone, View: z.View, Total: len(z.Changes)})
	}
	if len(stale) > 0 {
		return nil, &StaleError{Zones: stale}
	}
	for i, t := range targets {
		var progress func(done, total int)
		if opts.Progress != nil {
			zp := t.zp
			progress = func(done, total int) { opts.Progress(zp, done, total) }
			opts.Progress(zp, 0, max(zp.Chunks, 1))
		}
		n, err := applyZone(ctx, t, progress)
		res.Zones[i].Applied = n
		if err != nil {
			res.Zones[i].Error = err.Error()
			return res, &ApplyError{Result: res, Zone: t.zp.ID(), Err: err}
		}
	}
	if err := l.prove(ctx, targets); err != nil {
		return res, err
	}
	return res, nil
}

// maxReadBack is the most RRsets Publish reads back one by one after
// writing, from a provider that can (providers.RRsetReader); a zone with
// more changes is read again whole.
const maxReadBack = 32

// prove plans the zones just written again: each must have nothing left
// to change. A zone is read again whole and diffed with the topology, or,
// from a provider that can read single RRsets and for few changes, only
// the RRsets written are read back and each must hold what the change
// wrote. That is the same proof: the plan changed nothing else, and what
// topo owns elsewhere in the zone is as it was read just before writing.
func (l *Loaded) prove(ctx context.Context, targets []target) error {
	var left publish.Counts
	conflicts := 0
	for _, t := range targets {
		fail := func(err error) error {
			return fmt.Errorf("published, but the check that DNS now matches failed: read zone %s from %s: %w", t.zp.ID(), t.zp.Provider, err)
		}
		if rr, ok := t.prov.(providers.RRsetReader); ok && len(t.zp.Changes) <= maxReadBack {
			c, err := readBack(ctx, rr, t.zp)
			if err != nil {
				return fail(err)
			}
			left = plus(left, c)
			continue
		}
		zr := l.zoneRecords(t.zp)
		if zr == nil {
			return fmt.Errorf("published, but zone %s is not in the topology to check it against", t.zp.ID())
		}
		if t.zp.ReadNames != nil {
			setNames(t.prov, t.zp.Zone, t.zp.ReadNames)
		}
		current, err := ReadZone(ctx, t.prov, t.zp.Zone)
		if err != nil {
			return fail(err)
		}
		zp, cs := publish.DiffZone(zr, l.Desired.Topology, publish.WantFor(zr, l.Desired.Topology), current)
		left = plus(left, zp.Counts())
		conflicts += len(cs)
	}
	if left.Total() > 0 || conflicts > 0 {
		return &NotConvergedError{Counts: left, Conflicts: conflicts}
	}
	return nil
}

func plus(a, b publish.Counts) publish.Counts {
	return publish.Counts{Create: a.Create + b.Create, Update: a.Update + b.Update, Delete: a.Delete + b.Delete, Adopt: a.Adopt + b.Adopt}
}

// readBack reads the RRsets a zone plan changed and counts the changes a
// re-plan would still make to them.
func readBack(ctx context.Context, rr providers.RRsetReader, z publish.ZonePlan) (publish.Counts, error) {
	keys := make([]providers.Key, 0, len(z.Changes))
	for _, c := range z.Changes {
		keys = append(keys, c.Key())
		if c.AdoptMarker != nil {
			keys = append(keys, c.AdoptMarker.Key())
		}
	}
	fresh, err := rr.ReadRRsets(ctx, providers.ZoneFQDN(z.Zone), keys)
	if err != nil {
		return publish.Counts{}, err
	}
	got := providers.Index(fresh)
	var left publish.Counts
	for _, c := range z.Changes {
		have, exists := got[c.Key()]
		switch {
		case c.After == nil && exists:
			left.Delete++
		case c.After != nil && !exists:
			left.Create++
		case c.After != nil && !have.Equal(*c.After):
			left.Update++
		}
		if m := c.AdoptMarker; m != nil {
			if have, ok := got[m.Key()]; !ok || !have.Equal(*m) {
				left.Adopt++
			}
		}
	}
	return left, nil
}

// zoneRecords finds the compiled zone a zone plan was made from.
func (l *Loaded) zoneRecords(z publish.ZonePlan) *topology.ZoneRecords {
	for _, zr := range l.Desired.Zones {
		if zr.Zone == z.Zone && string(zr.View) == z.View && zr.Provider == z.Provider {
			return zr
		}
	}
	return nil
}

// applyZone writes one zone's changes through providers.ApplyEdits, handing
// the provider the zone as just read: in one call to a provider that
// applies edits as a unit, RRset by RRset through the libdns calls after
// checking every precondition on that read otherwise.
func applyZone(ctx context.Context, t target, progress func(int, int)) (int, error) {
	current := t.current
	if current == nil {
		current = []providers.RRset{} // read, and empty: not "unknown"
	}
	es := t.zp.Edits()
	if len(es) == 0 {
		// Only adoptions that write no marker: nothing to send.
		return len(t.zp.Changes), ctx.Err()
	}
	n, err := providers.ApplyEdits(ctx, t.prov, t.zp.Zone, es, providers.ApplyOptions{Progress: progress, Current: current})
	return t.zp.ChangesApplied(n), err
}
