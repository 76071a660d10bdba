package publish

import (
	"fmt"
	"strings"

	"github.com/topo-dns/topo/providers"
)

// ProblemKind is a reason a zone would not load, or would not resolve.
type ProblemKind string

// The problems CheckZone finds.
const (
	// ProblemNoAddress: a name server inside the zone, named by the apex NS
	// or by a delegation, has no address (A or AAAA).
	ProblemNoAddress ProblemKind = "name-server-without-address"
	// ProblemCNAMEAndOther: a CNAME shares its name with other data.
	ProblemCNAMEAndOther ProblemKind = "cname-and-other-data"
	// ProblemBelowDelegation: a record other than glue lies at or below a
	// delegation point.
	ProblemBelowDelegation ProblemKind = "data-below-delegation"
)

// ZoneProblem is one reason a zone would not load or resolve.
type ZoneProblem struct {
	Kind ProblemKind
	// Name and Type are the RRset the problem is at ("" Type for a name).
	Name string
	Type string
	// By is the RRset that makes it a problem: the NS RRset naming a name
	// server without address, the delegation's NS above a record, a
	// CNAME's other data.
	By providers.Key
}

// String says what is wrong, in DNS terms.
func (p ZoneProblem) String() string {
	switch p.Kind {
	case ProblemNoAddress:
		return fmt.Sprintf("%s, a name server named by %s, would have no address record (A or AAAA)", p.Name, p.By)
	case ProblemCNAMEAndOther:
		return fmt.Sprintf("%s would hold a CNAME beside other data (%s)", p.Name, p.By.Type)
	case ProblemBelowDelegation:
		return fmt.Sprintf("%s %s would be at or below the delegation %s, where only glue addresses belong", p.Name, p.Type, p.By)
	}
	return fmt.Sprintf("%s %s: %s", p.Name, p.Type, p.Kind)
}

// CheckZone lists why a zone holding sets would not load in a
// name server (BIND's named-checkzone refuses it) or would not resolve: a
// name server inside the zone without an address, a CNAME beside other
// data, records other than glue at or below a delegation point. (The apex
// SOA and NS are not checked: some providers do not list them, and topo
// never changes them.) sets are one zone's RRsets, normalized; the problems
// come in name-then-type order of sets.
func CheckZone(zone string, sets []providers.RRset) []ZoneProblem {
	s := shapeOf(zone, sets)
	var out []ZoneProblem
	types := make(map[string][]string, len(sets))
	for _, rs := range sets {
		types[rs.Name] = append(types[rs.Name], rs.Type)
	}
	has := func(name string, ok func(string) bool) bool {
		for _, t := range types[name] {
			if ok(t) {
				return true
			}
		}
		return false
	}
	for _, rs := range sets {
		k := rs.Key()
		if cut := s.cutOf(k.Name); cut != "" {
			atCut := k.Name == cut
			switch {
			case isAddress(k.Type):
			case atCut && (k.Type == "NS" || k.Type == "DS" || k.Type == "RRSIG" || k.Type == "NSEC"):
			default:
				out = append(out, ZoneProblem{Kind: ProblemBelowDelegation, Name: k.Name, Type: k.Type, By: providers.Key{Name: cut, Type: "NS"}})
			}
		}
		if k.Type == "CNAME" {
			for _, t := range types[k.Name] {
				if t != "CNAME" && t != "RRSIG" && t != "NSEC" {
					out = append(out, ZoneProblem{Kind: ProblemCNAMEAndOther, Name: k.Name, Type: "CNAME", By: providers.Key{Name: k.Name, Type: t}})
					break
				}
			}
		}
		if k.Type == "NS" {
			for _, v := range rs.Values {
				t := providers.CanonicalName(v)
				if s.inZone(t) && !has(t, isAddress) {
					out = append(out, ZoneProblem{Kind: ProblemNoAddress, Name: t, By: k})
				}
			}
		}
	}
	return out
}

// NewProblems returns the problems CheckZone finds in after but not in
// before: what a change from before to after breaks. A zone that was
// already broken is not blamed on the change.
func NewProblems(zone string, before, after []providers.RRset) []ZoneProblem {
	was := map[ZoneProblem]bool{}
	for _, p := range CheckZone(zone, before) {
		was[p] = true
	}
	var out []ZoneProblem
	for _, p := range CheckZone(zone, after) {
		if !was[p] {
			out = append(out, p)
		}
	}
	return out
}

// BrokenZoneError refuses a plan that would leave a zone that does not
// load or resolve.
type BrokenZoneError struct {
	// Zone names the zone: "contoso.com (internal)".
	Zone string
	// Problems are what the plan's changes would break.
	Problems []ZoneProblem
}

// Error lists what would break.
func (e *BrokenZoneError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "refusing to publish: zone %s would not load after these changes:", e.Zone)
	for _, p := range e.Problems {
		b.WriteString("\n  - " + p.String())
	}
	b.WriteString("\nNothing was written.")
	return b.String()
}
