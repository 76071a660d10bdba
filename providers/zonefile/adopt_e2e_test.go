package zonefile_test

import (
	"testing"

	"github.com/topo-dns/topo/providers/builtin"
	"github.com/topo-dns/topo/providers/providertest"
)

// TestAdoptionAcceptance is issue 10's acceptance test on the embedded
// zone file provider, through the topo binary: each example deployment and
// each importer fixture's, published, its ownership markers deleted,
// imported back (topo import dns, or topo import topology --dns): the
// first plan only adopts, every record set; the next, after publishing, is
// empty.
func TestAdoptionAcceptance(t *testing.T) {
	providertest.RunAdoption(t, providertest.AdoptBackend{
		Registry: builtin.Registry(),
		Setup: func(t *testing.T, _ []providertest.ZoneView) (string, func(providertest.ZoneView) string, []string) {
			return "", func(providertest.ZoneView) string { return "" }, nil
		},
	}, providertest.AdoptCases)
}
