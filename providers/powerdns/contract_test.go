package powerdns

import (
	"testing"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
)

// TestContract runs the shared provider suite against a real PowerDNS,
// seeding "another client's" records straight through its API.
func TestContract(t *testing.T) {
	enginetest.Run(t, func(t *testing.T) enginetest.Harness {
		pd := server(t, dnstest.PowerDNSOptions{})
		p, _ := newProvider(t, pd.URL, pd.APIKey, nil)
		return enginetest.Harness{
			Provider: p,
			Zone:     testZone,
			Seed:     func(t *testing.T, sets []providers.RRset) { seed(t, pd, sets...) },
		}
	})
}
