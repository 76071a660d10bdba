package rfc2136

import (
	"context"
	"fmt"
	"testing"

	"github.com/libdns/libdns"

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

// TestOpaqueRecords runs the contracts for records of every type topo
// does not own on the same harness: the libdns calls, then plan and
// publish beside them.
func TestOpaqueRecords(t *testing.T) {
	t.Run("libdns", func(t *testing.T) { providertest.RunOpaque(t, harness) })
	t.Run("publish", func(t *testing.T) { enginetest.RunOpaque(t, harness) })
}

// TestOpaqueRecordsReadByNames plans and publishes beside records of
// every type topo does not own with a provider that reads by names, the
// zone compared before and after by a zone transfer.
func TestOpaqueRecordsReadByNames(t *testing.T) {
	enginetest.RunOpaque(t, func(t *testing.T) enginetest.Harness {
		b := dnstest.StartBIND(t, dnstest.BINDOptions{})
		h := harnessFor(b)
		h.Provider.(*Provider).Read = ReadNames
		axfr := providerFor(b)
		h.Inspect = func(t *testing.T) []libdns.Record {
			recs, err := axfr.GetRecords(context.Background(), "example.test.")
			if err != nil {
				t.Fatalf("zone transfer: %v", err)
			}
			return recs
		}
		return h
	})
}

func harness(t *testing.T) providertest.Harness {
	// The suite seeds an MX whose target in the zone has no address;
	// BIND refuses such an update unless integrity checks are off.
	return harnessFor(dnstest.StartBIND(t, dnstest.BINDOptions{}))
}

func harnessFor(b *dnstest.BIND) providertest.Harness {
	p := providerFor(b)
	return providertest.Harness{
		Provider: p,
		Zone:     "example.test",
		Seed:     func(t *testing.T, sets []providers.RRset) { seed(t, b, "example.test", sets) },
		Unsupported: map[string]string{
			"type 65534 (RFC 3597, private use)": b.Version() + " keeps type 65534 for its own signing state (sig-signing-type) and drops it from an UPDATE without an error",
			"DNSKEY":                             b.Version() + " signs the zone when an UPDATE adds a DNSKEY at the apex, and refuses it (SERVFAIL) without the private key",
		},
	}
}
