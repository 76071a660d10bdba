package publish

import (
	"fmt"
	"strings"
)

// Mass-change guard defaults: a publish may update or delete at most
// DefaultMaxChange of a zone's owned RRsets, checked only once a zone holds
// at least GuardMinOwned of them.
const (
	DefaultMaxChange = 0.30
	GuardMinOwned    = 10
)

// GuardViolation is one zone whose plan changes too much of what topo owns.
type GuardViolation struct {
	// Zone names the zone: "contoso.com (internal)".
	Zone string
	// Changed of Owned RRsets would be updated or deleted (markers
	// excluded): Fraction of them, over the zone's Limit.
	Changed  int
	Owned    int
	Fraction float64
	Limit    float64
}

// GuardError refuses a plan that would change too much at once.
type GuardError struct {
	// Violations are every zone over its limit.
	Violations []GuardViolation
}

// Error lists every zone over its limit and how to go ahead anyway.
func (e *GuardError) Error() string {
	var b strings.Builder
	b.WriteString("refusing a mass change:")
	for _, v := range e.Violations {
		fmt.Fprintf(&b, "\n  - zone %s: %d of %d owned record sets would be updated or deleted (%.0f%%, limit %.0f%%)",
			v.Zone, v.Changed, v.Owned, v.Fraction*100, v.Limit*100)
	}
	b.WriteString("\nReview the plan; if it is intended, raise max_change on the zone or publish with --allow-mass-change.")
	return b.String()
}

// CheckGuard returns a *GuardError when a zone's updates and deletes exceed
// its threshold of the RRsets topo owns there.
func CheckGuard(p *Plan) error {
	var vs []GuardViolation
	for _, z := range p.Zones {
		if z.Owned < GuardMinOwned {
			continue
		}
		limit := z.MaxChange
		if limit <= 0 {
			limit = DefaultMaxChange
		}
		changed := 0
		for _, c := range z.Changes {
			if !c.Marker && (c.Action == Update || c.Action == Delete) {
				changed++
			}
		}
		frac := float64(changed) / float64(z.Owned)
		if frac > limit {
			vs = append(vs, GuardViolation{Zone: z.ID(), Changed: changed, Owned: z.Owned, Fraction: frac, Limit: limit})
		}
	}
	if len(vs) > 0 {
		return &GuardError{Violations: vs}
	}
	return nil
}
