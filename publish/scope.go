package publish

import (
	"slices"
	"strings"

	"github.com/topo-dns/topo/topology"
)

// ManagedNames are the names of zone a provider that reads by names (a
// providers.NameReader whose server refuses zone transfers) must query
// for a plan: every name the topology wants records at, the names of its
// servers and pools whatever their state (an offline server's records are
// to be deleted), and the ownership marker of each. A name removed from the
// topology altogether is not among them: such a zone's plan cannot see it.
func ManagedNames(zr *topology.ZoneRecords, want ZoneWant, d *topology.Desired) []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		n = strings.TrimSuffix(strings.ToLower(n), ".")
		if n == "" || seen[n] {
			return
		}
		seen[n] = true
		out = append(out, n)
	}
	zone := strings.TrimSuffix(strings.ToLower(zr.Zone), ".")
	inZone := func(n string) bool {
		n = strings.TrimSuffix(strings.ToLower(n), ".")
		return n == zone || strings.HasSuffix(n, "."+zone)
	}
	for _, s := range want.RRsets {
		add(s.Name)
		if !IsMarker(s.Key()) {
			add(MarkerName(s.Name))
		}
	}
	for _, sv := range d.Servers {
		for _, n := range []string{sv.FQDN, sv.PoolFQDN} {
			if n != "" && inZone(n) {
				add(n)
				add(MarkerName(strings.ToLower(n)))
			}
		}
	}
	slices.Sort(out)
	return out
}
