package rfc2136

import (
	"fmt"
	"testing"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
	"github.com/topo-dns/topo/providers/providertest"
)

// seed replaces RRsets with the real nsupdate, as another client would.
func seed(t *testing.T, b *dnstest.BIND, zone string, sets []providers.RRset) {
	t.Helper()
	var lines []string
	for _, s := range sets {
		lines = append(lines, fmt.Sprintf("update delete %s. %s", s.Name, s.Type))
		for _, v := range s.Values {
			if s.Type == "TXT" {
				v = providers.QuoteTXT(v)
			}
			lines = append(lines, fmt.Sprintf("update add %s. %d %s %s", s.Name, s.TTL, s.Type, v))
		}
	}
	dnstest.NSUpdate(t, b, zone, lines...)
}

func TestContract(t *testing.T) { enginetest.Run(t, harness) }

// TestLibdnsContract runs the libdns-level contract suite on the same
// harness.
func TestLibdnsContract(t *testing.T) { providertest.RunLibdns(t, harness) }

func harness(t *testing.T) providertest.Harness {
	// The suite seeds an MX whose target in the zone has no address;
	// BIND refuses such an update unless integrity checks are off.
	b := dnstest.StartBIND(t, dnstest.BINDOptions{})
	p := providerFor(b)
	return providertest.Harness{
		Provider: p,
		Zone:     "example.test",
		Seed:     func(t *testing.T, sets []providers.RRset) { seed(t, b, "example.test", sets) },
	}
}
