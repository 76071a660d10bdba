package powerdns

import (
	"testing"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
	"github.com/topo-dns/topo/providers/providertest"
)

// TestContract runs the shared provider suite against a real PowerDNS,
// seeding "another client's" records straight through its API.
func TestContract(t *testing.T) { enginetest.Run(t, harness) }

// TestLibdnsContract runs the libdns-level contract suite on the same
// harness.
func TestLibdnsContract(t *testing.T) { providertest.RunLibdns(t, harness) }

func harness(t *testing.T) providertest.Harness {
	pd := server(t, dnstest.PowerDNSOptions{})
	p, _ := newProvider(t, pd.URL, pd.APIKey, nil)
	return providertest.Harness{
		Provider: p,
		Zone:     testZone,
		Seed:     func(t *testing.T, sets []providers.RRset) { seed(t, pd, sets...) },
	}
}
