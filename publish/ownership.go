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
	// the names it marked) or topology.OwnershipExclusive (everything but
	// SOA, NS and DNSSEC records).
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

// neverOwned are types topo never changes, whatever the ownership mode.
var neverOwned = map[string]bool{
	"SOA": true, "NS": true,
	"DNSKEY": true, "RRSIG": true, "DS": true, "NSEC": true, "NSEC3": true, "NSEC3PARAM": true, "CDS": true, "CDNSKEY": true,
}

// ownedSet decides which current RRsets topo owns.
type ownedSet struct {
	owner Owner
	names map[string]bool // shared mode: names with our marker
}

func newOwnedSet(o Owner, current map[providers.Key]providers.RRset) ownedSet {
	s := ownedSet{owner: o, names: map[string]bool{}}
	if o.exclusive() {
		return s
	}
	want := MarkerValue(o.Topology)
	for k, rs := range current {
		name, ok := MarkedName(k)
		if ok && len(rs.Values) == 1 && rs.Values[0] == want {
			s.names[name] = true
		}
	}
	return s
}

// owns reports whether topo may change or delete the RRset k.
func (s ownedSet) owns(k providers.Key) bool {
	if neverOwned[k.Type] {
		return false
	}
	if s.owner.exclusive() {
		return true
	}
	if name, ok := MarkedName(k); ok {
		return s.names[name]
	}
	return managedTypes[k.Type] && s.names[k.Name]
}
