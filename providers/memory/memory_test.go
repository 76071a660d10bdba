package memory_test

import (
	"context"
	"testing"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/memory"
	"github.com/topo-dns/topo/providers/providertest"
)

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
	p := &memory.Provider{}
	return providertest.Harness{
		Provider: p,
		Zone:     "example.test",
		Seed: func(t *testing.T, sets []providers.RRset) {
			for _, s := range sets {
				recs, err := s.Records("example.test")
				if err != nil {
					t.Fatal(err)
				}
				if _, err := p.SetRecords(context.Background(), "example.test.", recs); err != nil {
					t.Fatal(err)
				}
			}
		},
	}
}
