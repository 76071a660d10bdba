package cloudflare

import (
	"testing"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/cloudflare/cftest"
	"github.com/topo-dns/topo/providers/providertest"
)

// TestContract runs the contract suite against the provider on a local
// Cloudflare API server, records seeded through the server directly as
// another API client would create them.
func TestContract(t *testing.T) { enginetest.Run(t, harness) }

// TestLibdnsContract runs the libdns-level contract suite on the same
// harness.
func TestLibdnsContract(t *testing.T) { providertest.RunLibdns(t, harness) }

func harness(t *testing.T) providertest.Harness {
	const zone = "example.test"
	srv := cftest.New(t, cftest.Options{})
	srv.AddZone(zone)
	p, err := New(Config{APIToken: srv.Token(), BaseURL: srv.URL()})
	if err != nil {
		t.Fatal(err)
	}
	return providertest.Harness{
		Provider: p,
		Zone:     zone,
		Seed: func(t *testing.T, sets []providers.RRset) {
			seed(t, srv, zone, sets)
		},
	}
}
