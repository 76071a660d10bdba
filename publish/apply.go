package publish

import (
	"context"
	"fmt"
	"strings"

	"github.com/topo-dns/topo/providers"
)

// ApplyOptions tune Apply.
type ApplyOptions struct {
	// AllowMassChange skips the mass-change guard for this run.
	AllowMassChange bool
	// Progress, when not nil, is called after each chunk a provider applies.
	Progress func(zone ZonePlan, done, total int)
}

// ZoneResult is what Apply did to one zone.
type ZoneResult struct {
	Zone    string `json:"zone"`
	View    string `json:"view"`
	Applied int    `json:"applied"`
	Total   int    `json:"total"`
	Error   string `json:"error,omitempty"`
}

// Result reports what Apply did, zone by zone, in plan order. Zones after
// a failed one are listed with nothing applied.
type Result struct {
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

// ApplyError reports a publish that stopped part way, with what was and was
// not applied. Publishing the topology again converges: a fresh plan holds
// exactly what is left.
type ApplyError struct {
	Result *Result
	Zone   string
	Err    error
}

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

func (e *ApplyError) Unwrap() error { return e.Err }

// StaleError refuses a plan whose zones changed since it was made.
type StaleError struct {
	Zones []string
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("the plan is stale: zone %s changed since the plan was made; make a new plan and review it", strings.Join(e.Zones, ", "))
}

func (e *StaleError) Unwrap() error { return ErrStale }

// Apply publishes a plan: it refuses a mass change (unless allowed), re-reads
// every zone the plan changes and refuses the whole plan when any of them
// changed since planning, then applies each zone's changes through its
// provider, atomically where the provider can.
func Apply(ctx context.Context, p *Plan, resolve Resolver, opts ApplyOptions) (*Result, error) {
	if !opts.AllowMassChange {
		if err := CheckGuard(p); err != nil {
			return nil, err
		}
	}
	res := &Result{}
	type target struct {
		zp   ZonePlan
		prov providers.Provider
		cur  map[providers.Key]providers.RRset
	}
	var targets []target
	var stale []string
	for _, z := range p.Zones {
		if len(z.Changes) == 0 {
			continue
		}
		prov, err := resolve(z.Provider, z.View)
		if err != nil {
			return nil, fmt.Errorf("zone %s: %w", z.ID(), err)
		}
		if z.ReadNames != nil {
			// The fingerprint covers the names the plan read: read them again.
			setNames(prov, z.Zone, z.ReadNames)
		}
		current, err := ReadZone(ctx, prov, z.Zone)
		if err != nil {
			return nil, fmt.Errorf("read zone %s from %s: %w", z.ID(), z.Provider, err)
		}
		if Fingerprint(current) != z.Fingerprint {
			stale = append(stale, z.ID())
			continue
		}
		targets = append(targets, target{zp: z, prov: prov, cur: providers.Index(current)})
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
		}
		n, err := applyZone(ctx, t.prov, t.zp, t.cur, progress)
		res.Zones[i].Applied = n
		if err != nil {
			res.Zones[i].Error = err.Error()
			return res, &ApplyError{Result: res, Zone: t.zp.ID(), Err: err}
		}
	}
	return res, nil
}

// applyZone applies a zone's changes and returns how many of them were
// applied.
func applyZone(ctx context.Context, prov providers.Provider, z ZonePlan, current map[providers.Key]providers.RRset, progress func(int, int)) (int, error) {
	es, ends := edits(z.Changes)
	n, err := applyEdits(ctx, prov, z, current, es, progress)
	applied := 0
	for applied < len(ends) && ends[applied] <= n {
		applied++
	}
	return applied, err
}

// applyEdits applies a zone's edits and returns how many were applied.
func applyEdits(ctx context.Context, prov providers.Provider, z ZonePlan, current map[providers.Key]providers.RRset, es []providers.Edit, progress func(int, int)) (int, error) {
	if len(es) == 0 {
		// Adoptions without a marker to write: nothing to send.
		return 0, ctx.Err()
	}
	zone := providers.ZoneFQDN(z.Zone)
	if a, ok := prov.(providers.EditApplier); ok {
		return a.ApplyEdits(ctx, zone, es, providers.ApplyOptions{Progress: progress})
	}
	// A provider with only the libdns calls: check every precondition on
	// the fresh read, then write RRset by RRset.
	if err := providers.CheckPreconditions(z.Zone, current, es); err != nil {
		return 0, err
	}
	for i, e := range es {
		if err := ctx.Err(); err != nil {
			return i, err
		}
		var err error
		if e.After == nil {
			rs, cerr := e.Before.Records(z.Zone)
			if cerr != nil {
				return i, cerr
			}
			_, err = prov.DeleteRecords(ctx, zone, rs)
		} else {
			rs, cerr := e.After.Records(z.Zone)
			if cerr != nil {
				return i, cerr
			}
			_, err = prov.SetRecords(ctx, zone, rs)
		}
		if err != nil {
			return i, err
		}
		if progress != nil {
			progress(i+1, len(es))
		}
	}
	return len(es), nil
}
