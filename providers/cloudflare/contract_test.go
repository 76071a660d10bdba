package cloudflare

import (
	"fmt"
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

// TestOpaqueRecords runs the contracts for records of every type topo
// does not own on the same harness: the libdns calls, then plan and
// publish beside them.
func TestOpaqueRecords(t *testing.T) {
	t.Run("libdns", func(t *testing.T) { providertest.RunOpaque(t, harness) })
	t.Run("publish", func(t *testing.T) { enginetest.RunOpaque(t, harness) })
}

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
		Unsupported: unsupportedKinds,
	}
}

// unsupportedKinds are the kinds of providertest.OpaqueKinds the
// Cloudflare API cannot hold: its record types are a fixed list
// (cloudflare-go v6's dns.RecordResponseType, which cftest accepts), with
// no RFC 3597 types, RRSIG, HINFO or DNAME.
var unsupportedKinds = func() map[string]string {
	const why = "the Cloudflare API v4 (cloudflare-go v6.10.0's dns.RecordResponseType; cftest takes the same list) has no %s records"
	return map[string]string{
		"type unknown to libdns (RFC 3597)":  fmt.Sprintf(why, "TYPE65300"),
		"type 65534 (RFC 3597, private use)": fmt.Sprintf(why, "TYPE65534"),
		"RRSIG":                              fmt.Sprintf(why, "RRSIG"),
		"HINFO":                              fmt.Sprintf(why, "HINFO"),
		"DNAME":                              fmt.Sprintf(why, "DNAME"),
	}
}()
