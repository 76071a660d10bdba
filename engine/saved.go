package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// LoadPlan reads a saved plan, data being the contents of planPath, and
// loads the topology it was made from (see TopologyOf). A plan of another
// format version, or not well formed, is an error. The topology may still
// have errors: check the Loaded's Desired (nil then, its Diags say why)
// before publishing. Publish refuses the plan if the topology file changed
// since it was made.
func LoadPlan(planPath string, data []byte, opts LoadOptions) (*Loaded, *publish.Plan, error) {
	p, err := publish.Unmarshal(data)
	if err != nil {
		return nil, nil, fmt.Errorf("read plan %q: %w", planPath, err)
	}
	return Load(TopologyOf(planPath, p), opts), p, nil
}

// TopologyOf returns the path of the topology file a saved plan was made
// from: its topology_file as given to plan, or, when that is relative and
// does not exist from here, the same path beside the plan file (a plan
// made in another directory, as a CI job does).
func TopologyOf(planPath string, p *publish.Plan) string {
	path := p.TopologyFile
	if _, err := os.Stat(path); err != nil && !filepath.IsAbs(path) {
		if alt := filepath.Join(filepath.Dir(planPath), path); fileExists(alt) {
			return alt
		}
	}
	return path
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// ErrPlanMismatch is wrapped by errors that refuse a plan whose content is
// not what topo derives from the topology and the zones as read now: the
// plan file was edited, or not made from this topology.
var ErrPlanMismatch = errors.New("the plan is not what topo derives")

// PlanZoneError refuses a plan that names a zone the topology does not
// declare, or names one in a form a topology cannot.
type PlanZoneError struct {
	// Zone and View are as the plan names them.
	Zone, View string
	// Reason says what is wrong with them.
	Reason string
}

// Error names the zone and what is wrong.
func (e *PlanZoneError) Error() string {
	return fmt.Sprintf("the plan names zone %q in view %q: %s; the plan file was edited or not made from this topology: make a new plan and review it", e.Zone, e.View, e.Reason)
}

// Unwrap makes errors.Is(err, ErrPlanMismatch) true.
func (e *PlanZoneError) Unwrap() error { return ErrPlanMismatch }

// PlanMismatchError refuses a plan whose zone plan differs from the one
// topo derives from the topology and the zone as just read: the first
// difference found.
type PlanMismatchError struct {
	// Zone names the zone: "contoso.com (internal)".
	Zone string
	// What differs: an RRset ("www.contoso.com A") or a field of the zone
	// plan ("max_change").
	What string
	// File is what the plan file says, Derived what topo derives.
	File, Derived string
}

// Error says where the plan differs and how.
func (e *PlanMismatchError) Error() string {
	return fmt.Sprintf("the plan does not match the topology and the zone: zone %s, %s: the plan file says %s, topo derives %s; the plan file was edited or not made from this topology: make a new plan and review it",
		e.Zone, e.What, e.File, e.Derived)
}

// Unwrap makes errors.Is(err, ErrPlanMismatch) true.
func (e *PlanMismatchError) Unwrap() error { return ErrPlanMismatch }

// checkZones refuses a plan whose zones are not the topology's: each zone
// and view must be named as a topology names them, and the plan must list
// exactly the zones the topology declares, in its order, each with its
// provider and ownership.
func (l *Loaded) checkZones(p *publish.Plan) error {
	for _, z := range p.Zones {
		if why := topology.CheckZoneName(z.Zone); why != "" {
			return &PlanZoneError{Zone: z.Zone, View: z.View, Reason: "that is not a zone name: " + why}
		}
		switch topology.View(z.View) {
		case topology.ViewInternal, topology.ViewExternal, topology.ViewBoth:
		default:
			return &PlanZoneError{Zone: z.Zone, View: z.View, Reason: "a view is internal, external or both"}
		}
	}
	for i, zr := range l.Desired.Zones {
		if i >= len(p.Zones) {
			return &PlanZoneError{Zone: zr.Zone, View: string(zr.View), Reason: "the topology declares it, the plan does not list it"}
		}
		z := p.Zones[i]
		if z.Zone != zr.Zone || z.View != string(zr.View) {
			return &PlanZoneError{Zone: z.Zone, View: z.View, Reason: fmt.Sprintf("zone %d of the topology is %s (%s)", i+1, zr.Zone, zr.View)}
		}
		if z.Provider != zr.Provider || z.Ownership != string(zr.Ownership) {
			return &PlanZoneError{Zone: z.Zone, View: z.View, Reason: fmt.Sprintf("the plan says provider %q and ownership %q, the topology %q and %q", z.Provider, z.Ownership, zr.Provider, zr.Ownership)}
		}
	}
	if n := len(l.Desired.Zones); len(p.Zones) > n {
		z := p.Zones[n]
		return &PlanZoneError{Zone: z.Zone, View: z.View, Reason: "the topology does not declare it"}
	}
	return nil
}

// withTopologyLimits returns p with each zone's mass-change threshold as
// the topology sets it, whatever the plan says; p's zones are the
// topology's (checkZones).
func (l *Loaded) withTopologyLimits(p *publish.Plan) *publish.Plan {
	q := *p
	q.Zones = slices.Clone(p.Zones)
	for i := range q.Zones {
		q.Zones[i].MaxChange = l.Desired.Zones[i].MaxChange
	}
	return &q
}

// rederive reads a zone a plan changes (or takes the read Plan made, when
// its fingerprint is the plan's) and plans it again from the topology. The
// zone is stale (ok false) when the read's fingerprint is not the plan's;
// otherwise the zone plan derived must equal the plan's, and it, not the
// plan's, is what Publish applies. This read is the one before writing: a
// saved plan costs no more reads than a fresh one.
func (l *Loaded) rederive(ctx context.Context, z publish.ZonePlan, reads map[zoneKey]zoneRead) (target, bool, error) {
	zr := l.zoneRecords(z)
	if zr == nil { // Check ran checkZones: not reached
		return target{}, false, &PlanZoneError{Zone: z.Zone, View: z.View, Reason: "the topology does not declare it"}
	}
	prov, err := l.resolve(z.Provider, z.View)
	if err != nil {
		return target{}, false, fmt.Errorf("zone %s: %w", z.ID(), err)
	}
	want, names := l.want(prov, zr)
	read, ok := reads[keyOf(z)]
	current, fp := read.rrsets, read.fingerprint
	var index *publish.NameIndex
	if !ok || fp != z.Fingerprint {
		setNames(prov, zr.Zone, names)
		if current, err = ReadZone(ctx, prov, zr.Zone); err != nil {
			return target{}, false, fmt.Errorf("read zone %s from %s: %w", z.ID(), z.Provider, err)
		}
		if readScope(prov, zr.Zone) != nil {
			// Read by names: the names the zone's index lists too, as Plan
			// read them.
			if current, names, index, err = l.readIndexed(ctx, prov, zr, names, current); err != nil {
				return target{}, false, fmt.Errorf("read zone %s from %s: %w", z.ID(), z.Provider, err)
			}
		}
		fp = publish.Fingerprint(current)
	} else if readScope(prov, zr.Zone) != nil {
		// This Loaded's own Plan read it, index and all.
		names, index = z.ReadNames, z.NameIndex
	}
	if fp != z.Fingerprint {
		return target{}, false, nil
	}
	if readScope(prov, zr.Zone) != nil {
		want = publish.WithIndex(want, zr, l.Desired.Topology)
	}
	derived, conflicts := l.derive(prov, zr, want, current, names, index)
	if err := sameZonePlan(z, derived); err != nil {
		return target{}, false, err
	}
	if len(conflicts) > 0 {
		return target{}, false, &publish.ConflictError{Conflicts: conflicts}
	}
	return target{zp: derived, prov: prov, current: current}, true, nil
}

// sameZonePlan returns a *PlanMismatchError for the first difference
// between a zone plan as a plan holds it and as topo derives it.
func sameZonePlan(file, derived publish.ZonePlan) error {
	mismatch := func(what, f, d string) error {
		return &PlanMismatchError{Zone: file.ID(), What: what, File: f, Derived: d}
	}
	switch {
	case file.Owned != derived.Owned:
		return mismatch("owned", fmt.Sprint(file.Owned), fmt.Sprint(derived.Owned))
	case file.MaxChange != derived.MaxChange:
		return mismatch("max_change", fmt.Sprint(file.MaxChange), fmt.Sprint(derived.MaxChange))
	case !slices.Equal(file.ReadNames, derived.ReadNames):
		return mismatch("read_names", fmt.Sprintf("%d names", len(file.ReadNames)), fmt.Sprintf("%d names", len(derived.ReadNames)))
	}
	for i := 0; i < max(len(file.Changes), len(derived.Changes)); i++ {
		if i < len(file.Changes) && i < len(derived.Changes) && sameChange(file.Changes[i], derived.Changes[i]) {
			continue
		}
		var keys []providers.Key
		if i < len(file.Changes) {
			keys = append(keys, file.Changes[i].Key())
		}
		if i < len(derived.Changes) {
			keys = append(keys, derived.Changes[i].Key())
		}
		for _, k := range keys {
			f, d := changeOf(file.Changes, k), changeOf(derived.Changes, k)
			if f == nil || d == nil || !sameChange(*f, *d) {
				fs, ds := describeChange(f), describeChange(d)
				if fs == ds {
					fs, ds = fs+" from "+sources(f), ds+" from "+sources(d)
				}
				return mismatch(k.String(), fs, ds)
			}
		}
		return mismatch(fmt.Sprintf("change %d", i+1), "the changes in another order", "them in name order")
	}
	if !slices.Equal(file.Kept, derived.Kept) {
		return mismatch("kept", fmt.Sprintf("%d record sets kept", len(file.Kept)), fmt.Sprintf("%d", len(derived.Kept)))
	}
	return nil
}

func sameChange(a, b publish.Change) bool {
	same := func(x, y *providers.RRset) bool { return (x == nil) == (y == nil) && (x == nil || x.Equal(*y)) }
	return a.Action == b.Action && a.Name == b.Name && a.Type == b.Type && a.Marker == b.Marker &&
		same(a.Before, b.Before) && same(a.After, b.After) && slices.Equal(a.Sources, b.Sources)
}

func changeOf(cs []publish.Change, k providers.Key) *publish.Change {
	for i := range cs {
		if cs[i].Key() == k {
			return &cs[i]
		}
	}
	return nil
}

// describeChange says what a change does: "delete (TTL 300: 192.0.2.1)",
// "no change".
func describeChange(c *publish.Change) string {
	if c == nil {
		return "no change"
	}
	set := func(s *providers.RRset) string {
		if s == nil {
			return "nothing"
		}
		return fmt.Sprintf("TTL %d: %s", s.TTL, strings.Join(s.Values, " "))
	}
	switch c.Action {
	case publish.Create:
		return fmt.Sprintf("create (%s)", set(c.After))
	case publish.Delete:
		return fmt.Sprintf("delete (%s)", set(c.Before))
	case publish.Update:
		return fmt.Sprintf("update (%s -> %s)", set(c.Before), set(c.After))
	}
	return fmt.Sprintf("%q", c.Action)
}

func sources(c *publish.Change) string {
	if len(c.Sources) == 0 {
		return "no source"
	}
	return strings.Join(c.Sources, ", ")
}
