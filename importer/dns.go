package importer

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/topology"
)

// Zone is one zone in one view as its provider holds it: what
// InferFromDNS and FillFromDNS read.
type Zone struct {
	// Name is the zone ("contoso.com"), View topology.ViewInternal,
	// ViewExternal or ViewBoth.
	Name string
	View topology.View
	// TTL is the zone block's TTL (its ttl, or topo's default): the TTL
	// topo gives the records of a pool that sets none, and of SIP domains.
	TTL uint32
	// RRsets are the zone's contents, normalized and sorted as
	// providers.GroupRecords returns them.
	RRsets []providers.RRset
	// Block is the zone block in the zones file, where diagnostics about
	// the zone point.
	Block hcl.Range
}

// ID names the zone and view: "contoso.com (internal)".
func (z *Zone) ID() string { return z.Name + " (" + string(z.View) + ")" }

// where is how comments place a record: "in zone contoso.com, internal view".
func (z *Zone) where() string { return "in zone " + z.Name + ", " + string(z.View) + " view" }

func (z *Zone) covers(view topology.View) bool {
	return z.View == topology.ViewBoth || z.View == view
}

// addrName is a name with address records in one view.
type addrName struct {
	name  string
	addrs []netip.Addr // A and AAAA values, sorted
	// ttl is the lowest TTL of its A and AAAA RRsets.
	ttl  uint32
	zone *Zone
}

// dnsView indexes the zones serving one view (internal or external) for
// inference.
type dnsView struct {
	view topology.View
	// names are the names with A or AAAA records.
	names map[string]*addrName
	// single are, by address, the names whose only address it is.
	single map[netip.Addr][]string
	// sets are every RRset of the view's zones.
	sets map[providers.Key]providers.RRset
	// zoneOf is the zone holding each name.
	zoneOf map[string]*Zone
	// used says what explains a name (a pool's server, a web services
	// FQDN, ...): it is no longer a candidate for anything else.
	used map[string]string
	// zones are the zones serving the view.
	zones []*Zone
}

// dnsIndex is both views.
type dnsIndex struct {
	zones    []*Zone
	internal *dnsView
	external *dnsView
	// markers are the topology names of the ownership markers found, with
	// how many names carry each.
	markers map[string]int
	// explained are the RRsets topo's topology will want, by zone: what
	// is left over is reported as not imported.
	explained map[*Zone]map[providers.Key]bool
}

func newIndex(zones []Zone) *dnsIndex {
	ix := &dnsIndex{markers: map[string]int{}, explained: map[*Zone]map[providers.Key]bool{}}
	for i := range zones {
		ix.zones = append(ix.zones, &zones[i])
	}
	ix.internal = ix.view(topology.ViewInternal)
	ix.external = ix.view(topology.ViewExternal)
	for _, z := range ix.zones {
		for _, s := range z.RRsets {
			if s.Type != "TXT" || !strings.HasPrefix(s.Name, markerPrefix) {
				continue
			}
			for _, v := range s.Values {
				if t, ok := strings.CutPrefix(v, "heritage=topo,topology="); ok && t != "" {
					ix.markers[t]++
				}
			}
		}
	}
	return ix
}

// markerPrefix is the label of topo's ownership markers (publish.MarkerPrefix).
const markerPrefix = "_topo."

func (ix *dnsIndex) view(view topology.View) *dnsView {
	v := &dnsView{
		view:   view,
		names:  map[string]*addrName{},
		single: map[netip.Addr][]string{},
		sets:   map[providers.Key]providers.RRset{},
		zoneOf: map[string]*Zone{},
		used:   map[string]string{},
	}
	for _, z := range ix.zones {
		if !z.covers(view) {
			continue
		}
		v.zones = append(v.zones, z)
		for _, s := range z.RRsets {
			if _, dup := v.sets[s.Key()]; dup {
				continue
			}
			v.sets[s.Key()] = s
			if _, ok := v.zoneOf[s.Name]; !ok {
				v.zoneOf[s.Name] = z
			}
			if (s.Type != "A" && s.Type != "AAAA") || strings.HasPrefix(s.Name, "_") {
				continue
			}
			n := v.names[s.Name]
			if n == nil {
				n = &addrName{name: s.Name, ttl: s.TTL, zone: z}
				v.names[s.Name] = n
			}
			n.ttl = min(n.ttl, s.TTL)
			for _, val := range s.Values {
				if a, err := netip.ParseAddr(val); err == nil {
					n.addrs = append(n.addrs, a.Unmap())
				}
			}
		}
	}
	for _, n := range v.names {
		slices.SortFunc(n.addrs, func(a, b netip.Addr) int { return a.Compare(b) })
		n.addrs = slices.Compact(n.addrs)
		if len(n.addrs) == 1 {
			v.single[n.addrs[0]] = append(v.single[n.addrs[0]], n.name)
		}
	}
	for a := range v.single {
		slices.SortFunc(v.single[a], compareNames)
	}
	return v
}

// sortedNames returns the view's address names in name order.
func (v *dnsView) sortedNames() []*addrName {
	out := make([]*addrName, 0, len(v.names))
	for _, n := range v.names {
		out = append(out, n)
	}
	slices.SortFunc(out, func(a, b *addrName) int { return compareNames(a.name, b.name) })
	return out
}

// use marks name as explained by what, with its address RRsets (or the
// given types) as records the topology will want.
func (ix *dnsIndex) use(v *dnsView, name, what string, types ...string) {
	v.used[name] = what
	if len(types) == 0 {
		types = []string{"A", "AAAA"}
	}
	z := v.zoneOf[name]
	if z == nil {
		return
	}
	for _, t := range types {
		k := providers.Key{Name: name, Type: t}
		if _, ok := v.sets[k]; !ok {
			continue
		}
		if ix.explained[z] == nil {
			ix.explained[z] = map[providers.Key]bool{}
		}
		ix.explained[z][k] = true
	}
}

// free reports whether name is an address name nothing explains yet.
func (v *dnsView) free(name string) bool {
	_, used := v.used[name]
	_, ok := v.names[name]
	return ok && !used
}

// singleAddr is the one address of name, if it has exactly one.
func (v *dnsView) singleAddr(name string) (netip.Addr, bool) {
	n := v.names[name]
	if n == nil || len(n.addrs) != 1 {
		return netip.Addr{}, false
	}
	return n.addrs[0], true
}

// zoneTTL is the TTL topo gives records at name that set none: its zone's.
func (v *dnsView) zoneTTL(name string) uint32 {
	if z := zoneFor(v, name); z != nil {
		return z.TTL
	}
	return topology.DefaultTTL
}

// zoneFor is the zone of the view holding name, or the longest one that
// contains it.
func zoneFor(v *dnsView, name string) *Zone {
	if z, ok := v.zoneOf[name]; ok {
		return z
	}
	var best *Zone
	for _, z := range v.zones {
		if (name == z.Name || strings.HasSuffix(name, "."+z.Name)) && (best == nil || len(z.Name) > len(best.Name)) {
			best = z
		}
	}
	return best
}

// source describes a name's address records for comments:
// `pool01.contoso.com A 10.0.1.11, 10.0.1.12` in zone contoso.com (internal).
func (v *dnsView) source(name string) Source {
	n := v.names[name]
	if n == nil {
		return Source{Element: name}
	}
	return Source{Element: name + " " + addrList(n.addrs, 4), Where: n.zone.where()}
}

// addrList prints up to max addresses, then how many more.
func addrList(addrs []netip.Addr, max int) string {
	var b strings.Builder
	for i, a := range addrs {
		if i == max {
			fmt.Fprintf(&b, " and %d more", len(addrs)-max)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(a.String())
	}
	return b.String()
}

// firstLabel and parent split a name at its first dot.
func firstLabel(name string) string { l, _, _ := strings.Cut(name, "."); return l }
func parent(name string) string     { _, p, _ := strings.Cut(name, "."); return p }

// stem is a name's first label with every run of digits written as '#':
// fe01 and fe12 share the stem fe#, dub-fe01 has dub-fe#. Servers of one
// pool share a stem, which is how a draining server (no longer in the
// pool FQDN's records) is told to belong to its pool.
func stem(name string) string {
	label := firstLabel(name)
	var b strings.Builder
	digits := false
	for _, r := range label {
		if r >= '0' && r <= '9' {
			if !digits {
				b.WriteByte('#')
			}
			digits = true
			continue
		}
		digits = false
		b.WriteRune(r)
	}
	return b.String() + "." + parent(name)
}

// tokens splits a name's first label into runs of letters and of digits,
// numbers without leading zeros: pool01 -> [pool 1], dir01-srv -> [dir 1
// srv].
func tokens(name string) []string {
	var out []string
	var cur strings.Builder
	kind := 0 // 1 letters, 2 digits
	flush := func() {
		if cur.Len() == 0 {
			return
		}
		t := cur.String()
		if kind == 2 {
			t = strings.TrimLeft(t, "0")
			if t == "" {
				t = "0"
			}
		}
		out = append(out, t)
		cur.Reset()
	}
	for _, r := range firstLabel(name) {
		k := 0
		switch {
		case r >= '0' && r <= '9':
			k = 2
		case r >= 'a' && r <= 'z':
			k = 1
		}
		if k != kind {
			flush()
			kind = k
		}
		if k != 0 {
			cur.WriteRune(r)
		}
	}
	flush()
	return out
}

// webWords are the words web services FQDNs are made of besides the pool
// they serve: webint01, web-ext, lyncweb, webpool02.
var webWords = []string{"internal", "external", "services", "web", "int", "ext", "svc", "pool", "lync", "sfb", "skype"}

// webResidue is what a web services FQDN's first label says of its pool
// once the web words are taken off: webint01 -> [1], webdir01 -> [dir 1],
// web-int -> [].
func webResidue(name string) []string {
	var out []string
	for _, t := range tokens(name) {
		for changed := true; changed && t != ""; {
			changed = false
			for _, w := range webWords {
				if r, ok := strings.CutPrefix(t, w); ok {
					t, changed = r, true
				} else if r, ok := strings.CutSuffix(t, w); ok {
					t, changed = r, true
				}
			}
		}
		if t != "" {
			out = append(out, t)
		}
	}
	return out
}

// isWebName reports whether a name reads as a web services FQDN.
func isWebName(name string) bool { return strings.Contains(firstLabel(name), "web") }

// isExternalWebName reports whether a web services FQDN says it is the
// external one (in a zone serving both views, the only way to tell).
func isExternalWebName(name string) bool {
	for _, t := range tokens(name) {
		if strings.Contains(t, "ext") {
			return true
		}
	}
	return false
}

// residueMatches reports whether every token of residue is a token of
// the pool's name.
func residueMatches(residue []string, pool string) bool {
	pt := tokens(pool)
	for _, r := range residue {
		if !slices.Contains(pt, r) {
			return false
		}
	}
	return true
}

// roleFromName reads a pool's role from its name: an edge, director or
// mediation pool usually says so; anything else is a Front End pool.
func roleFromName(name string) (role topology.Role, why string) {
	for _, t := range tokens(name) {
		switch {
		case strings.Contains(t, "edge"):
			return topology.RoleEdge, fmt.Sprintf("its name says edge (%q)", t)
		case t == "dir" || strings.HasPrefix(t, "director"):
			return topology.RoleDirector, fmt.Sprintf("its name says director (%q)", t)
		case t == "med" || strings.HasPrefix(t, "mediation"):
			return topology.RoleMediation, fmt.Sprintf("its name says mediation (%q)", t)
		}
	}
	return topology.RoleFrontend, "DNS does not say a pool's role, and its name says neither edge, director nor mediation"
}

// adNames are the first labels Active Directory gives names of its own in
// an AD-integrated zone: their addresses are the domain controllers', so
// they look like pools.
var adNames = []string{"domaindnszones", "forestdnszones", "gc"}

// notPoolName reports names never taken for a pool: a zone apex (in an
// AD-integrated zone it holds every domain controller's address) and
// Active Directory's own names.
func (ix *dnsIndex) notPoolName(name string) bool {
	for _, z := range ix.zones {
		if name == z.Name {
			return true
		}
	}
	return slices.Contains(adNames, firstLabel(name)) || strings.Contains(name, "._msdcs.")
}

// compareNames orders names so that numbers in them sort as numbers:
// fe2 before fe10.
func compareNames(a, b string) int {
	for a != "" && b != "" {
		da, db := digitPrefix(a), digitPrefix(b)
		if da != "" && db != "" {
			na, _ := strconv.ParseUint(strings.TrimLeft(da, "0"), 10, 64)
			nb, _ := strconv.ParseUint(strings.TrimLeft(db, "0"), 10, 64)
			if c := cmp.Compare(na, nb); c != 0 {
				return c
			}
			if c := cmp.Compare(len(da), len(db)); c != 0 {
				return c
			}
			a, b = a[len(da):], b[len(db):]
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

func digitPrefix(s string) string {
	i := 0
	for i < len(s) && i < 18 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}
