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

// TestOpaqueRecords runs the contracts for records of every type topo
// does not own on the same harness: the libdns calls, then plan and
// publish beside them.
func TestOpaqueRecords(t *testing.T) {
	t.Run("libdns", func(t *testing.T) { providertest.RunOpaque(t, harness) })
	t.Run("publish", func(t *testing.T) { enginetest.RunOpaque(t, harness) })
}

func harness(t *testing.T) providertest.Harness {
	pd := server(t, dnstest.PowerDNSOptions{})
	p, _ := newProvider(t, pd.URL, pd.APIKey, nil)
	return providertest.Harness{
		Provider: p,
		Zone:     testZone,
		Seed:     func(t *testing.T, sets []providers.RRset) { seed(t, pd, sets...) },
		Unsupported: map[string]string{
			"DNSKEY below the apex": pd.Version(t) + " takes a DNSKEY only at the apex (422 \"only allowed at apex\")",
		},
	}
}
