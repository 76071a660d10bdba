package publish

import (
	"slices"
	"strings"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/topology"
)

// A zone read by names (see ManagedNames) shows topo only the names it
// asks about, so a name removed from the topology altogether would never
// be asked about again and its records would stay. The name index closes
// that gap: in each zone it reads by names, a topology keeps one TXT RRset
// listing every name it has records at there,
//
//	contoso._topo-index.contoso.com. 300 IN TXT "@ fe01 fe02 pool01 webint"
//	contoso._topo-index.contoso.com. 300 IN TXT "_sipinternaltls._tcp sip"
//
// names relative to the zone ("@" is the apex), separated by spaces, each
// record one character-string of at most 255 bytes. Every read by names
// reads the index first and the names it lists besides those the topology
// wants, so a removed name is read, seen as owned and deleted; the index
// is rewritten in the same publish, as the zone's last change. In a shared
// zone it carries an ownership marker like any name topo owns; each
// topology sharing a zone has its own index (the first label is the
// topology's name). A zone read by a transfer has no index: topo sees every
// name there, and an index left from reading by names is deleted.

// IndexLabel is the label under which topologies keep their name index:
// "<topology>._topo-index.<zone>".
const IndexLabel = "_topo-index"

// IndexSource is what the plan names as the source of the index.
const IndexSource = "the name index (the names topo owns in a zone read by names)"

// indexStringMax is the longest character-string of a TXT record.
const indexStringMax = 255

// IndexName returns the name of topology's name index in zone:
// "contoso._topo-index.contoso.com".
func IndexName(topology, zone string) string {
	return topology + "." + IndexLabel + "." + providers.CanonicalName(zone)
}

// IsIndex reports whether k is the name index of some topology.
func IsIndex(k providers.Key) bool { return k.Type == "TXT" && isIndexName(k.Name) }

func isIndexName(name string) bool {
	_, rest, ok := strings.Cut(name, ".")
	return ok && strings.HasPrefix(rest, IndexLabel+".")
}

// WithIndex returns want with the zone's name index added, listing the
// name of every RRset want holds (markers left out), and in a shared zone
// the index's own ownership marker. A want with no RRsets gets no index:
// the index of a zone topo no longer has records in is deleted.
func WithIndex(want ZoneWant, zr *topology.ZoneRecords, topo string) ZoneWant {
	var names []string
	for _, s := range want.RRsets {
		if !IsMarker(s.Key()) && !IsIndex(s.Key()) {
			names = append(names, s.Name)
		}
	}
	values := IndexValues(zr.Zone, names)
	if len(values) == 0 {
		return want
	}
	out := ZoneWant{RRsets: slices.Clone(want.RRsets), Sources: make(map[providers.Key][]string, len(want.Sources)+1)}
	for k, v := range want.Sources {
		out.Sources[k] = v
	}
	idx := providers.RRset{Name: IndexName(topo, zr.Zone), Type: "TXT", TTL: zr.TTL, Values: values}
	idx.Normalize()
	out.RRsets = append(out.RRsets, idx)
	out.Sources[idx.Key()] = []string{IndexSource}
	if zr.Ownership != topology.OwnershipExclusive {
		m := providers.RRset{Name: MarkerName(idx.Name), Type: "TXT", TTL: zr.TTL, Values: []string{MarkerValue(topo)}}
		m.Normalize()
		out.RRsets = append(out.RRsets, m)
	}
	providers.SortRRsets(out.RRsets)
	return out
}

// IndexValues writes names of zone as the index's TXT values: relative to
// the zone, sorted, each value as many names as fit in 255 bytes.
func IndexValues(zone string, names []string) []string {
	zone = providers.CanonicalName(zone)
	var rel []string
	for _, n := range names {
		n = providers.CanonicalName(n)
		switch {
		case n == zone:
			rel = append(rel, "@")
		case strings.HasSuffix(n, "."+zone):
			rel = append(rel, strings.TrimSuffix(n, "."+zone))
		}
	}
	slices.Sort(rel)
	rel = slices.Compact(rel)
	var values []string
	var b strings.Builder
	for _, r := range rel {
		if b.Len() > 0 && b.Len()+1+len(r) > indexStringMax {
			values = append(values, b.String())
			b.Reset()
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(r)
	}
	if b.Len() > 0 {
		values = append(values, b.String())
	}
	return values
}

// IndexedNames returns the names topology's index in current lists,
// absolute and sorted; none when the zone holds no index. What is not a
// name of the zone (text someone else wrote there) is left out: it is only
// read, never trusted for more.
func IndexedNames(current []providers.RRset, zone, topology string) []string {
	name := IndexName(topology, zone)
	for _, s := range current {
		if s.Name == name && s.Type == "TXT" {
			return ParseIndex(zone, s.Values)
		}
	}
	return nil
}

// IndexFound reports whether current holds topology's index of zone.
func IndexFound(current []providers.RRset, zone, topology string) bool {
	k := providers.Key{Name: IndexName(topology, zone), Type: "TXT"}
	for _, s := range current {
		if s.Key() == k {
			return true
		}
	}
	return false
}

// ParseIndex reads the index's TXT values: the absolute names they list,
// sorted and each once. Words that are not names within the zone are
// skipped.
func ParseIndex(zone string, values []string) []string {
	zone = providers.CanonicalName(zone)
	var out []string
	for _, v := range values {
		for _, w := range strings.Fields(v) {
			n := zone
			if w != "@" {
				if !isRelativeName(w) {
					continue
				}
				n = providers.CanonicalName(w) + "." + zone
			}
			if len(n) > 253 || isIndexName(n) {
				continue
			}
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// isRelativeName reports whether w is a relative domain name topo could
// have written: labels of 1 to 63 letters, digits, hyphens and
// underscores.
func isRelativeName(w string) bool {
	for _, l := range strings.Split(w, ".") {
		if l == "" || len(l) > 63 {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}
