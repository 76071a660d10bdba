// Package publish is the pure heart of topo's pipeline: it diffs a compiled
// topology with what its zones hold into a Plan, pure data that can be
// printed, saved and applied later exactly as reviewed, and holds the rules
// a plan is checked with (ownership, the mass-change guard, fingerprints)
// and its text and Markdown views. It reads and writes nothing; package
// engine does the reading, applying and verifying around it.
//
//	topology.Desired --WantFor--> ZoneWant --Diff(current)--> ZonePlan ... Plan --Explain--> Notes
package publish

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/topology"
)

// FormatVersion is the version of the plan's JSON form. A saved plan of
// another version is refused.
const FormatVersion = 1

// PlanKind marks a JSON document as a topo plan.
const PlanKind = "topo-plan"

// Action is what a change does to an RRset.
type Action string

// The actions of a plan, and the symbols text plans show them with.
const (
	Create Action = "create"
	Update Action = "update"
	Delete Action = "delete"
	// Adopt takes over an RRset topo does not own that is exactly what
	// the topology wants (name, type, TTL and values): the RRset itself is
	// not written; in a shared zone the change carries the ownership
	// marker that makes the name topo's (AdoptMarker).
	Adopt Action = "adopt"
)

// Symbol returns the one-character mark of the action: + ~ - =.
func (a Action) Symbol() string {
	switch a {
	case Create:
		return "+"
	case Update:
		return "~"
	case Delete:
		return "-"
	case Adopt:
		return "="
	}
	return "?"
}

// Plan is the difference between a topology and what its zones hold.
type Plan struct {
	// FormatVersion is FormatVersion; Kind is PlanKind.
	FormatVersion int    `json:"format_version"`
	Kind          string `json:"kind"`
	// Topology is the topology's name.
	Topology string `json:"topology"`
	// TopologyFile is the path of the topology the plan was made from, and
	// TopologySHA256 its content hash: a saved plan is refused when the file
	// changed since.
	TopologyFile   string `json:"topology_file"`
	TopologySHA256 string `json:"topology_sha256"`
	// Zones are one plan per zone and view, in the topology's order; never
	// nil.
	Zones []ZonePlan `json:"zones"`
	// Notes explain server lifecycle changes (draining, offline, removed).
	Notes []Note `json:"notes,omitempty"`
	// Conflicts are desired RRsets that collide with records topo does not
	// own. A plan with conflicts is not applyable.
	Conflicts []Conflict `json:"conflicts,omitempty"`
}

// Source is what a plan is made from.
type Source struct {
	// Desired is the compiled topology.
	Desired *topology.Desired
	// File is the topology file's path as given, SHA256 its content hash
	// (hex).
	File   string
	SHA256 string
}

// New returns a plan of src with no zones yet: the caller adds one
// ZonePlan per zone read (DiffZone), then calls Explain.
func New(src Source) *Plan {
	return &Plan{
		FormatVersion:  FormatVersion,
		Kind:           PlanKind,
		Topology:       src.Desired.Topology,
		TopologyFile:   src.File,
		TopologySHA256: src.SHA256,
		Zones:          []ZonePlan{},
	}
}

// Applyable reports whether the plan may be published: it has no conflicts.
func (p *Plan) Applyable() bool { return len(p.Conflicts) == 0 }

// Err returns why the plan is not applyable, a *ConflictError listing every
// collision, or nil when it is.
func (p *Plan) Err() error {
	if p.Applyable() {
		return nil
	}
	return &ConflictError{Conflicts: p.Conflicts}
}

// ZonePlan is the plan for one zone in one view.
type ZonePlan struct {
	// Zone is the zone's name ("contoso.com"), View its view (internal,
	// external, both), Provider the provider reference that serves it
	// ("rfc2136.corp") and Ownership its mode (shared, exclusive).
	Zone      string `json:"zone"`
	View      string `json:"view"`
	Provider  string `json:"provider"`
	Ownership string `json:"ownership"`
	// Fingerprint is the SHA-256 of the zone's records as read when
	// planning; publish re-reads and refuses when it differs.
	Fingerprint string `json:"fingerprint"`
	// Owned counts the RRsets topo owned when planning (markers excluded),
	// the base of the mass-change guard.
	Owned int `json:"owned"`
	// MaxChange is the zone's guard threshold; 0 means the default.
	MaxChange float64 `json:"max_change,omitempty"`
	// Chunks is how many requests the provider needs for the changes, when
	// it splits them (0 or 1: one atomic request).
	Chunks int `json:"chunks,omitempty"`
	// Changes are one per RRset, deletes first within a name, each
	// ownership marker right after its name's records; never nil.
	Changes []Change `json:"changes"`
	// ReadScope is set when the zone was read name by name (the server
	// refused the zone transfer, or the provider is configured so):
	// ownership and conflict checks then cover ReadNames only, and publish
	// reads those names again for the staleness check.
	ReadScope *providers.ReadScope `json:"read_scope,omitempty"`
	ReadNames []string             `json:"read_names,omitempty"`
}

// Change is one RRset created, updated or deleted.
type Change struct {
	// Action is what the change does to the RRset.
	Action Action `json:"action"`
	// Name and Type are the RRset's (name absolute, without the trailing
	// dot).
	Name string `json:"name"`
	Type string `json:"type"`
	// Before is what the RRset held when planned; nil for a create.
	Before *providers.RRset `json:"before,omitempty"`
	// After is what it will hold; nil for a delete.
	After *providers.RRset `json:"after,omitempty"`
	// Sources are the topology paths that want the records of After.
	Sources []string `json:"sources,omitempty"`
	// Marker is true for topo's own ownership TXT records.
	Marker bool `json:"marker,omitempty"`
	// AdoptMarker is, on an adopt, the ownership marker the adoption
	// creates at the name. It is nil on the other adopts of the same name
	// (one carries it) and when the name's marker is a create of its own
	// because the topology also creates records there.
	AdoptMarker *providers.RRset `json:"adopt_marker,omitempty"`
}

// Edit returns the provider edit that makes a create, update or delete.
// An adopt writes only its marker: see Edits.
func (c Change) Edit() providers.Edit {
	return providers.Edit{Before: c.Before, After: c.After}
}

// Edits returns the provider edits that make the change: the RRset's for
// a create, update or delete; for an adopt, the creation of the marker it
// carries, or nothing.
func (c Change) Edits() []providers.Edit {
	if c.Action != Adopt {
		return []providers.Edit{c.Edit()}
	}
	if c.AdoptMarker == nil {
		return nil
	}
	return []providers.Edit{{After: c.AdoptMarker}}
}

// Key returns the change's (name, type).
func (c Change) Key() providers.Key { return providers.Key{Name: c.Name, Type: c.Type} }

// Counts tallies a plan's changes. Adopt counts adoptions apart: they
// change no record.
type Counts struct {
	// Create, Update and Delete count the changes of each action.
	Create int `json:"create"`
	Update int `json:"update"`
	Delete int `json:"delete"`
	Adopt  int `json:"adopt"`
}

// Total is the number of changes.
func (c Counts) Total() int { return c.Create + c.Update + c.Delete + c.Adopt }

func (c *Counts) add(a Action) {
	switch a {
	case Create:
		c.Create++
	case Update:
		c.Update++
	case Delete:
		c.Delete++
	case Adopt:
		c.Adopt++
	}
}

// Counts tallies the zone's changes.
func (z ZonePlan) Counts() Counts {
	var c Counts
	for _, ch := range z.Changes {
		c.add(ch.Action)
	}
	return c
}

// Counts tallies every zone's changes.
func (p *Plan) Counts() Counts {
	var c Counts
	for _, z := range p.Zones {
		for _, ch := range z.Changes {
			c.add(ch.Action)
		}
	}
	return c
}

// HasChanges reports whether applying the plan would change anything.
func (p *Plan) HasChanges() bool { return p.Counts().Total() > 0 }

// ID names the zone and view: "contoso.com (internal)".
func (z ZonePlan) ID() string { return fmt.Sprintf("%s (%s)", z.Zone, z.View) }

// Edits returns the provider edits that make the zone's changes, in order
// (an adopt makes one edit, its marker, or none).
func (z ZonePlan) Edits() []providers.Edit {
	out := make([]providers.Edit, 0, len(z.Changes))
	for _, c := range z.Changes {
		out = append(out, c.Edits()...)
	}
	return out
}

// ChangesApplied returns how many of the zone's changes, a prefix, are
// made once the first n of its Edits are applied.
func (z ZonePlan) ChangesApplied(n int) int {
	done := 0
	for _, c := range z.Changes {
		n -= len(c.Edits())
		if n < 0 {
			break
		}
		done++
	}
	return done
}

// Marshal returns the plan's JSON form, indented, ending in a newline.
func (p *Plan) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ErrNotPlan is returned by Unmarshal for a document that is not a plan.
var ErrNotPlan = errors.New("not a topo plan")

// IsPlan reports whether data looks like a saved plan rather than a
// topology file: a JSON object whose kind is "topo-plan".
func IsPlan(data []byte) bool {
	var probe struct {
		Kind string `json:"kind"`
	}
	return json.Unmarshal(data, &probe) == nil && probe.Kind == PlanKind
}

// Unmarshal reads a saved plan, refusing another format version and
// checking that it is well formed.
func Unmarshal(data []byte) (*Plan, error) {
	var p Plan
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotPlan, err)
	}
	if p.Kind != PlanKind {
		return nil, ErrNotPlan
	}
	if p.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("the plan is of format version %d, this topo reads version %d: make the plan again with this topo", p.FormatVersion, FormatVersion)
	}
	for zi, z := range p.Zones {
		if z.Zone == "" || z.Provider == "" {
			return nil, fmt.Errorf("plan zone %d: zone and provider are required", zi)
		}
		for ci, c := range z.Changes {
			if err := c.check(); err != nil {
				return nil, fmt.Errorf("plan zone %s change %d: %w", z.ID(), ci, err)
			}
		}
	}
	return &p, nil
}

func (c Change) check() error {
	k := c.Key()
	ok := func(s *providers.RRset) bool { return s != nil && s.Key() == k && len(s.Values) > 0 }
	if c.AdoptMarker != nil && c.Action != Adopt {
		return fmt.Errorf("a %s carries no adopt_marker", c.Action)
	}
	switch c.Action {
	case Adopt:
		if !ok(c.Before) || !ok(c.After) || !c.Before.Equal(*c.After) || c.Marker {
			return errors.New("an adopt needs before and after, equal, of the change's name and type, and is not a marker")
		}
		if m := c.AdoptMarker; m != nil && (m.Key() != (providers.Key{Name: MarkerName(c.Name), Type: "TXT"}) || len(m.Values) == 0) {
			return errors.New("an adopt's adopt_marker is the ownership marker TXT of the change's name")
		}
	case Create:
		if c.Before != nil || !ok(c.After) {
			return errors.New("a create needs after and no before, of the change's name and type")
		}
	case Update:
		if !ok(c.Before) || !ok(c.After) {
			return errors.New("an update needs before and after, of the change's name and type")
		}
	case Delete:
		if !ok(c.Before) || c.After != nil {
			return errors.New("a delete needs before and no after, of the change's name and type")
		}
	default:
		return fmt.Errorf("unknown action %q", c.Action)
	}
	return nil
}
