package publish

import (
	"strings"

	"github.com/topo-dns/topo/providers"
)

// Ownership modes a zone declares.
const (
	// Shared zones hold records of other tools and people: topo owns only
	// the names it marked with an ownership record.
	Shared = "shared"
	// Exclusive zones belong to topo entirely, except SOA and NS.
	Exclusive = "exclusive"
)

// MarkerPrefix is the label of the ownership TXT record topo writes beside
// each name it manages in a shared zone: "_topo.pool01.contoso.com".
const MarkerPrefix = "_topo."

// Adoption policies a zone declares (adopt = "...").
const (
	// AdoptIdentical (the default) adopts an RRset topo does not own when
	// it is exactly what the topology wants.
	AdoptIdentical = "identical"
	// AdoptNever makes such an RRset a conflict, as any other.
	AdoptNever = "never"
)

// Owner identifies who may change what in a zone.
type Owner struct {
	// Mode is Shared or Exclusive.
	Mode string
	// Topology is the topology's name, written into markers.
	Topology string
	// Adopt is AdoptIdentical or AdoptNever; empty means AdoptIdentical.
	Adopt string
}

// MarkerName returns the name of the marker for name.
func MarkerName(name string) string { return MarkerPrefix + name }

// MarkerValue returns the TXT text marking a name as owned by topology.
func MarkerValue(topology string) string { return "heritage=topo,topology=" + topology }

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
	if o.Mode == Exclusive {
		return s
	}
	want := MarkerValue(o.Topology)
	for k, rs := range current {
		if k.Type != "TXT" || !strings.HasPrefix(k.Name, MarkerPrefix) {
			continue
		}
		if len(rs.Values) == 1 && rs.Values[0] == want {
			s.names[strings.TrimPrefix(k.Name, MarkerPrefix)] = true
		}
	}
	return s
}

// owns reports whether topo may change or delete the RRset k.
func (s ownedSet) owns(k providers.Key) bool {
	if neverOwned[k.Type] {
		return false
	}
	if s.owner.Mode == Exclusive {
		return true
	}
	if k.Type == "TXT" && strings.HasPrefix(k.Name, MarkerPrefix) {
		return s.names[strings.TrimPrefix(k.Name, MarkerPrefix)]
	}
	return managedTypes[k.Type] && s.names[k.Name]
}

// isMarker reports whether k is an ownership marker.
func isMarker(k providers.Key) bool {
	return k.Type == "TXT" && strings.HasPrefix(k.Name, MarkerPrefix)
}
