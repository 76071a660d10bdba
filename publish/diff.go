package publish

import (
	"fmt"
	"slices"
	"strings"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/topology"
)

// ZoneWant is what topo wants in one zone: RRsets and, per RRset, the
// topology paths that asked for it. It is one compiled zone
// (topology.ZoneRecords) grouped into the RRsets a plan compares.
type ZoneWant struct {
	// RRsets are normalized and sorted by key.
	RRsets []providers.RRset
	// Sources are the topology paths behind each RRset, sorted.
	Sources map[providers.Key][]string
}

// WantFor groups a compiled zone's records into RRsets and adds an
// ownership marker for every name when the zone is shared.
func WantFor(zr *topology.ZoneRecords, topo string) ZoneWant {
	d := ZoneWant{Sources: make(map[providers.Key][]string, len(zr.Records))}
	idx := make(map[providers.Key]int, len(zr.Records))
	for _, r := range zr.Records {
		k := providers.Key{Name: r.Name, Type: r.Type}
		i, ok := idx[k]
		if !ok {
			i = len(d.RRsets)
			idx[k] = i
			d.RRsets = append(d.RRsets, providers.RRset{Name: r.Name, Type: r.Type, TTL: r.TTL})
		} else if r.TTL < d.RRsets[i].TTL {
			d.RRsets[i].TTL = r.TTL
		}
		d.RRsets[i].Values = append(d.RRsets[i].Values, r.Value)
		d.Sources[k] = append(d.Sources[k], r.Source)
	}
	if zr.Ownership != topology.OwnershipExclusive {
		names := make(map[string]bool)
		for _, s := range d.RRsets {
			names[s.Name] = true
		}
		for n := range names {
			d.RRsets = append(d.RRsets, providers.RRset{Name: MarkerName(n), Type: "TXT", TTL: zr.TTL, Values: []string{MarkerValue(topo)}})
		}
	}
	for i := range d.RRsets {
		d.RRsets[i].Normalize()
	}
	for k, src := range d.Sources {
		slices.Sort(src)
		d.Sources[k] = slices.Compact(src)
	}
	providers.SortRRsets(d.RRsets)
	return d
}

// DiffZone plans one compiled zone against current, what its provider
// holds, given want = WantFor(zr, topo): the zone's changes, its
// fingerprint and owned count, and the conflicts that make the plan
// unapplyable. It reads nothing; Chunks is left for the caller, who knows
// the provider.
func DiffZone(zr *topology.ZoneRecords, topo string, want ZoneWant, current []providers.RRset) (ZonePlan, []Conflict) {
	owner := Owner{Mode: zr.Ownership, Topology: topo, Adopt: zr.Adopt}
	changes, conflicts, owned := Diff(zr.Zone, want, current, owner)
	if changes == nil {
		changes = []Change{}
	}
	return ZonePlan{
		Zone:        zr.Zone,
		View:        string(zr.View),
		Provider:    zr.Provider,
		Ownership:   string(zr.Ownership),
		Fingerprint: Fingerprint(current),
		Owned:       owned,
		MaxChange:   zr.MaxChange,
		Changes:     changes,
	}, conflicts
}

// Conflict is a desired RRset that collides with one topo does not own.
type Conflict struct {
	// Zone is the zone's name.
	Zone string `json:"zone"`
	// Want is the RRset the topology wants, Sources the topology paths
	// behind it, and Have what the zone holds instead.
	Want    providers.RRset `json:"want"`
	Sources []string        `json:"sources"`
	Have    providers.RRset `json:"have"`
	// Why says why an RRset identical to the one wanted is not adopted;
	// empty when they differ.
	Why ConflictReason `json:"why,omitempty"`
}

// ConflictReason says why an identical RRset is a conflict, not an
// adoption.
type ConflictReason string

const (
	// AdoptRefused: the zone says adopt = "never".
	AdoptRefused ConflictReason = "adopt-never"
	// MarkedByOther: the name carries another topology's ownership marker
	// (or a marker topo cannot read as its own).
	MarkedByOther ConflictReason = "marked-by-other"
)

// String names both RRsets and the sources of the wanted one.
func (c Conflict) String() string {
	if c.Why != "" {
		why := "the zone says adopt = \"never\""
		if c.Why == MarkedByOther {
			why = "the name carries an ownership marker that is not this topology's"
		}
		return fmt.Sprintf("zone %q: %s %s is wanted by %s (%s) and the zone already holds exactly that, but topo does not own it and does not adopt it: %s",
			c.Zone, c.Want.Name, c.Want.Type, strings.Join(c.Sources, ", "), strings.Join(c.Want.Values, " "), why)
	}
	return fmt.Sprintf("zone %q: %s %s is wanted by %s (%s) but the zone already holds %s %s (%s), which topo does not own",
		c.Zone, c.Want.Name, c.Want.Type, strings.Join(c.Sources, ", "), strings.Join(c.Want.Values, " "),
		c.Have.Name, c.Have.Type, strings.Join(c.Have.Values, " "))
}

// ConflictError lists every collision a plan found.
type ConflictError struct {
	// Conflicts are every collision, across zones.
	Conflicts []Conflict
}

// Error lists every collision and what to do about them.
func (e *ConflictError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d desired record set(s) collide with records topo does not own:", len(e.Conflicts))
	for _, c := range e.Conflicts {
		b.WriteString("\n  - " + c.String())
	}
	b.WriteString("\nRemove or rename the existing records, hand them to topo by declaring the zone ownership = \"exclusive\", or change the topology (a record set exactly as the topology wants it is adopted unless the zone says adopt = \"never\").")
	return b.String()
}

// Diff compares desired with current for one zone. It changes only RRsets
// topo owns, returns one change per RRset in name-then-type order, and a
// conflict for every desired RRset that would overwrite one it does not own.
// It also returns how many RRsets topo owned (markers excluded).
//
// A desired RRset exactly equal (name, type, TTL, values) to one topo does
// not own is adopted, unless owner.Adopt is topology.AdoptNever or the name carries
// another ownership marker: the change writes nothing but, in a shared
// zone, the name's marker, which the first adopt of a name carries when the
// topology creates nothing else there.
func Diff(zone string, desired ZoneWant, current []providers.RRset, owner Owner) (changes []Change, conflicts []Conflict, owned int) {
	cur := providers.Index(current)
	own := newOwnedSet(owner, cur)
	adopt := owner.Adopt != topology.AdoptNever
	want := providers.Index(desired.RRsets)
	for _, w := range desired.RRsets {
		k := w.Key()
		c, exists := cur[k]
		after := w.Clone()
		switch {
		case !exists:
			// A CNAME cannot live beside other data, and other data cannot
			// live beside a CNAME.
			if other, clash := cnameClash(cur, k); clash && !own.owns(other.Key()) {
				conflicts = append(conflicts, Conflict{Zone: zone, Want: after, Sources: desired.Sources[k], Have: other})
				continue
			}
			changes = append(changes, Change{Action: Create, Name: k.Name, Type: k.Type, After: &after, Sources: desired.Sources[k], Marker: IsMarker(k)})
		case c.Equal(w) && own.owns(k):
		case c.Equal(w):
			why := AdoptRefused
			if adopt {
				why = foreignMarker(cur, k)
			}
			if why != "" {
				conflicts = append(conflicts, Conflict{Zone: zone, Want: after, Sources: desired.Sources[k], Have: c.Clone(), Why: why})
				continue
			}
			before := c.Clone()
			changes = append(changes, Change{Action: Adopt, Name: k.Name, Type: k.Type, Before: &before, After: &after, Sources: desired.Sources[k]})
		case own.owns(k):
			before := c.Clone()
			changes = append(changes, Change{Action: Update, Name: k.Name, Type: k.Type, Before: &before, After: &after, Sources: desired.Sources[k], Marker: IsMarker(k)})
		default:
			conflicts = append(conflicts, Conflict{Zone: zone, Want: after, Sources: desired.Sources[k], Have: c.Clone()})
		}
	}
	for _, c := range current {
		k := c.Key()
		if !own.owns(k) {
			continue
		}
		if !IsMarker(k) {
			owned++
		}
		if _, ok := want[k]; ok {
			continue
		}
		before := c.Clone()
		changes = append(changes, Change{Action: Delete, Name: k.Name, Type: k.Type, Before: &before, Marker: IsMarker(k)})
	}
	// Within a name, deletes go first: an RFC 2136 server ignores an A added
	// while a CNAME it replaces is still there.
	slices.SortFunc(changes, func(a, b Change) int {
		if c := strings.Compare(baseName(a.Key()), baseName(b.Key())); c != 0 {
			return c
		}
		if (a.Action == Delete) != (b.Action == Delete) {
			if a.Action == Delete {
				return -1
			}
			return 1
		}
		return compareChangeKeys(a.Key(), b.Key())
	})
	return foldAdoptMarkers(changes), conflicts, owned
}

// foreignMarker reports, for a desired RRset at a name topo does not own,
// whether the name carries an ownership marker that is not ours (another
// topology's): such records are not adopted.
func foreignMarker(cur map[providers.Key]providers.RRset, k providers.Key) ConflictReason {
	if IsMarker(k) {
		return ""
	}
	if _, ok := cur[providers.Key{Name: MarkerName(k.Name), Type: "TXT"}]; ok {
		return MarkedByOther
	}
	return ""
}

// foldAdoptMarkers moves the marker create of a name where the topology
// only adopts into the first adopt of that name, so that adopting a
// deployment shows as adoptions only.
func foldAdoptMarkers(changes []Change) []Change {
	adopts := map[string]bool{}
	creates := map[string]bool{}
	for _, c := range changes {
		switch {
		case c.Marker:
		case c.Action == Adopt:
			adopts[c.Name] = true
		default:
			creates[c.Name] = true
		}
	}
	if len(adopts) == 0 {
		return changes
	}
	out := make([]Change, 0, len(changes))
	first := map[string]int{} // name: index in out of its first adopt
	for _, c := range changes {
		if c.Action == Adopt {
			if _, ok := first[c.Name]; !ok {
				first[c.Name] = len(out)
			}
		}
		if name := baseName(c.Key()); c.Marker && c.Action == Create && adopts[name] && !creates[name] {
			if i, ok := first[name]; ok {
				out[i].AdoptMarker = c.After
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// cnameClash finds an existing RRset that cannot coexist with a new RRset k:
// a CNAME at k's name, or any data at the name of a new CNAME.
func cnameClash(cur map[providers.Key]providers.RRset, k providers.Key) (providers.RRset, bool) {
	if k.Type != "CNAME" {
		c, ok := cur[providers.Key{Name: k.Name, Type: "CNAME"}]
		return c, ok
	}
	for ck, c := range cur {
		if ck.Name == k.Name && ck.Type != "CNAME" && !neverOwned[ck.Type] {
			return c, true
		}
	}
	return providers.RRset{}, false
}

// baseName is the name a change is about: a marker's owner name.
func baseName(k providers.Key) string {
	if n, ok := MarkedName(k); ok {
		return n
	}
	return k.Name
}

// compareChangeKeys orders changes by the name they are about, an
// ownership marker right after the records of its name.
func compareChangeKeys(a, b providers.Key) int {
	_, am := MarkedName(a)
	_, bm := MarkedName(b)
	if c := strings.Compare(baseName(a), baseName(b)); c != 0 {
		return c
	}
	if am != bm {
		if am {
			return 1
		}
		return -1
	}
	return strings.Compare(a.Type, b.Type)
}
