package publish

import (
	"fmt"
	"slices"
	"strings"

	"github.com/topo-dns/topo/providers"
)

// KeepReason says why topo keeps an RRset whatever the zone's ownership
// mode: these records hold the zone together, and a zone without them no
// longer loads or resolves. The plan's JSON keeps the reason; the text and
// Markdown views count the RRsets kept for each.
type KeepReason string

// The reasons an RRset is never topo's.
const (
	// KeepApex: the SOA and NS RRsets of the zone apex.
	KeepApex KeepReason = "apex"
	// KeepDelegation: the NS RRset of a delegation point (NS below the
	// apex), and every record at or below it that is not an address.
	KeepDelegation KeepReason = "delegation"
	// KeepGlue: an address (A, AAAA) at or below a delegation point, or of
	// a name server a delegation names inside the zone.
	KeepGlue KeepReason = "glue"
	// KeepNameServer: an address (A, AAAA) of one of the zone's own name
	// servers (a target of the apex NS RRset inside the zone).
	KeepNameServer KeepReason = "name-server-address"
	// KeepDNSSEC: DNSKEY, RRSIG, NSEC, NSEC3, NSEC3PARAM, DS, CDS, CDNSKEY.
	KeepDNSSEC KeepReason = "dnssec"
)

// KeepReasons are every reason, in the order the views print them.
var KeepReasons = []KeepReason{KeepApex, KeepDelegation, KeepGlue, KeepNameServer, KeepDNSSEC}

// Describe is what the views say about count RRsets kept for the reason.
func (r KeepReason) Describe(count int) string {
	what := map[KeepReason]string{
		KeepApex:       "at the zone apex (SOA, NS)",
		KeepDelegation: "at or below a delegation point (NS below the apex)",
		KeepGlue:       "of glue: addresses of delegated name servers",
		KeepNameServer: "of addresses of the zone's own name servers",
		KeepDNSSEC:     "of DNSSEC records",
	}[r]
	if what == "" {
		what = "(" + string(r) + ")"
	}
	return fmt.Sprintf("keeps %d record set(s) %s", count, what)
}

// KeptRRset is an RRset topo's ownership mode would cover but that topo
// keeps as it is, and why.
type KeptRRset struct {
	// Name and Type are the RRset's.
	Name string `json:"name"`
	Type string `json:"type"`
	// Reason is why topo keeps it.
	Reason KeepReason `json:"reason"`
}

// KeptCount is how many RRsets a zone plan keeps for one reason.
type KeptCount struct {
	Reason KeepReason
	Count  int
}

// KeptCounts tallies the zone's kept RRsets by reason, in KeepReasons
// order, leaving out reasons with none.
func (z ZonePlan) KeptCounts() []KeptCount {
	n := map[KeepReason]int{}
	for _, k := range z.Kept {
		n[k.Reason]++
	}
	var out []KeptCount
	for _, r := range KeepReasons {
		if n[r] > 0 {
			out = append(out, KeptCount{Reason: r, Count: n[r]})
			delete(n, r)
		}
	}
	// Reasons this topo does not know (a plan from another version).
	var other []KeptCount
	for r, c := range n {
		other = append(other, KeptCount{Reason: r, Count: c})
	}
	slices.SortFunc(other, func(a, b KeptCount) int { return strings.Compare(string(a.Reason), string(b.Reason)) })
	return append(out, other...)
}

// dnssecTypes are the DNSSEC record types.
var dnssecTypes = map[string]bool{
	"DNSKEY": true, "RRSIG": true, "NSEC": true, "NSEC3": true, "NSEC3PARAM": true, "DS": true, "CDS": true, "CDNSKEY": true,
}

func isAddress(typ string) bool { return typ == "A" || typ == "AAAA" }

// shape is what a zone's structure says about its names: where the apex
// is, which names are delegated, and which names the NS RRsets point at.
type shape struct {
	apex string
	// cuts are the delegation points: names below the apex with NS.
	cuts map[string]bool
	// servers are the in-zone targets of NS RRsets, each with the NS RRset
	// that names it (the apex's first).
	servers map[string]providers.Key
}

// shapeOf reads a zone's shape from its RRsets.
func shapeOf(zone string, sets []providers.RRset) shape {
	s := shape{apex: providers.CanonicalName(zone), cuts: map[string]bool{}, servers: map[string]providers.Key{}}
	for _, rs := range sets {
		if rs.Type == "NS" && rs.Name != s.apex {
			s.cuts[rs.Name] = true
		}
	}
	for _, rs := range sets {
		if rs.Type != "NS" {
			continue
		}
		for _, v := range rs.Values {
			t := providers.CanonicalName(v)
			if !s.inZone(t) {
				continue
			}
			if prev, ok := s.servers[t]; !ok || (rs.Name == s.apex && prev.Name != s.apex) {
				s.servers[t] = rs.Key()
			}
		}
	}
	return s
}

// inZone reports whether name is the apex or below it.
func (s shape) inZone(name string) bool {
	return name == s.apex || strings.HasSuffix(name, "."+s.apex)
}

// cutOf returns the delegation point at or above name, "" when name is not
// delegated.
func (s shape) cutOf(name string) string {
	if len(s.cuts) == 0 {
		return ""
	}
	for n := name; n != s.apex && len(n) > len(s.apex); {
		if s.cuts[n] {
			return n
		}
		i := strings.IndexByte(n, '.')
		if i < 0 {
			break
		}
		n = n[i+1:]
	}
	return ""
}

// keep says why topo must leave an RRset k as it is, "" when nothing
// structural holds it.
func (s shape) keep(k providers.Key) KeepReason {
	if s.cutOf(k.Name) != "" {
		if isAddress(k.Type) {
			return KeepGlue
		}
		return KeepDelegation
	}
	switch {
	case k.Type == "SOA", k.Type == "NS":
		return KeepApex
	case dnssecTypes[k.Type]:
		return KeepDNSSEC
	}
	if ns, ok := s.servers[k.Name]; ok && (isAddress(k.Type) || k.Type == "CNAME") {
		if ns.Name == s.apex {
			return KeepNameServer
		}
		return KeepGlue
	}
	return ""
}

// holder is the RRset that makes a name's records the zone's structure,
// for a conflict to show: the NS RRset of the delegation above it, or the
// NS RRset naming it as a name server.
func (s shape) holder(name string, cur map[providers.Key]providers.RRset) (providers.RRset, bool) {
	if cut := s.cutOf(name); cut != "" {
		rs, ok := cur[providers.Key{Name: cut, Type: "NS"}]
		return rs, ok
	}
	if ns, ok := s.servers[name]; ok {
		rs, ok := cur[ns]
		return rs, ok
	}
	return providers.RRset{}, false
}

// place is what the views call a place the reason holds.
func (r KeepReason) place() string {
	switch r {
	case KeepApex:
		return "part of the zone apex"
	case KeepDelegation:
		return "at or below a delegation point"
	case KeepGlue:
		return "glue of a delegation"
	case KeepNameServer:
		return "an address of one of the zone's name servers"
	case KeepDNSSEC:
		return "a DNSSEC record"
	}
	return string(r)
}

// keptString is String for a conflict with a record the zone's structure
// holds.
func (c Conflict) keptString() string {
	s := fmt.Sprintf("zone %q: %s %s is wanted by %s (%s) but it would be %s",
		c.Zone, c.Want.Name, c.Want.Type, strings.Join(c.Sources, ", "), strings.Join(c.Want.Values, " "), c.Reason.place())
	if c.Have.Name != "" {
		s += fmt.Sprintf(": the zone holds %s %s (%s)", c.Have.Name, c.Have.Type, strings.Join(c.Have.Values, " "))
	}
	return s + ", which topo never changes in any ownership mode"
}

// writeKeptText writes one line per reason the zone keeps RRsets for, each
// between before and after.
func writeKeptText(b *strings.Builder, z ZonePlan, before, after string) {
	for _, c := range z.KeptCounts() {
		b.WriteString(before + c.Reason.Describe(c.Count) + after)
	}
}
