package publish

import (
	"strings"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/topology"
)

// MarkerPrefix is the label of the ownership TXT record topo writes beside
// each name it manages in a shared zone: "_topo.pool01.contoso.com".
const MarkerPrefix = "_topo."

// Owner identifies who may change what in a zone.
type Owner struct {
	// Mode is the zone's ownership: topology.OwnershipShared (topo owns
	// the names it marked) or topology.OwnershipExclusive (everything).
	// In both, what the zone's structure holds is never topo's (see
	// KeepReason).
	Mode topology.Ownership
	// Topology is the topology's name, written into markers.
	Topology string
	// Adopt is the zone's adoption policy; empty means
	// topology.AdoptIdentical.
	Adopt topology.Adopt
}

// exclusive reports whether the zone belongs to topo entirely.
func (o Owner) exclusive() bool { return o.Mode == topology.OwnershipExclusive }

// MarkerName returns the name of the marker for name.
func MarkerName(name string) string { return MarkerPrefix + name }

// MarkerValue returns the TXT text marking a name as owned by topology.
func MarkerValue(topology string) string { return "heritage=topo,topology=" + topology }

// MarkedName returns the name an ownership marker k stands beside
// ("pool01.contoso.com" for "_topo.pool01.contoso.com" TXT), and whether k
// is a marker at all. It is the one place that tells markers apart.
func MarkedName(k providers.Key) (string, bool) {
	if k.Type != "TXT" {
		return "", false
	}
	return strings.CutPrefix(k.Name, MarkerPrefix)
}

// IsMarker reports whether k is an ownership marker.
func IsMarker(k providers.Key) bool {
	_, ok := MarkedName(k)
	return ok
}

// managedTypes are the types topo writes at the names it owns. Other types
// at an owned name (an MX somebody added) stay untouched.
var managedTypes = map[string]bool{"A": true, "AAAA": true, "CNAME": true, "SRV": true}

// ownedSet decides which current RRsets topo owns.
type ownedSet struct {
	owner Owner
	names map[string]bool // shared mode: names with our marker
	shape shape
}

func newOwnedSet(o Owner, zone string, current []providers.RRset, cur map[providers.Key]providers.RRset) ownedSet {
	s := ownedSet{owner: o, names: map[string]bool{}, shape: shapeOf(zone, current)}
	if o.exclusive() {
		return s
	}
	want := MarkerValue(o.Topology)
	for k, rs := range cur {
		name, ok := MarkedName(k)
		if ok && len(rs.Values) == 1 && rs.Values[0] == want {
			s.names[name] = true
		}
	}
	return s
}

// covers reports whether the zone's ownership mode gives topo the RRset k:
// every RRset of an exclusive zone, the managed types and markers of the
// names topo marked in a shared one.
func (s ownedSet) covers(k providers.Key) bool {
	if s.owner.exclusive() {
		return true
	}
	if name, ok := MarkedName(k); ok {
		return s.names[name]
	}
	if IsIndex(k) {
		// A name index is owned through the marker beside it.
		return s.names[k.Name]
	}
	return managedTypes[k.Type] && s.names[k.Name]
}

// owns reports whether topo may change or delete the RRset k: its
// ownership mode covers k and the zone's structure does not hold it (see
// KeepReason).
func (s ownedSet) owns(k providers.Key) bool {
	return s.covers(k) && s.shape.keep(k) == ""
}
