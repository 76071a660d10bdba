package zonefile_test

import (
	"testing"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers/builtin"
)

// TestAdoptionAcceptance is issue 10's acceptance test on the embedded
// zone file provider, through the topo binary: each example deployment and
// each importer fixture's, published, its ownership markers deleted,
// imported back (topo import dns, or topo import topology --dns): the
// first plan only adopts, every record set; the next, after publishing, is
// empty.
func TestAdoptionAcceptance(t *testing.T) {
	enginetest.RunAdoption(t, enginetest.AdoptBackend{
		Registry: builtin.Registry(),
		Setup: func(t *testing.T, _ []enginetest.ZoneView) (string, func(enginetest.ZoneView) string, []string) {
			return "", func(enginetest.ZoneView) string { return "" }, nil
		},
	}, enginetest.AdoptCases)
}
