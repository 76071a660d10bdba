// Package providertest is the contract suite every topo provider passes:
// the memory provider, the zone file provider, rfc2136 against a real BIND,
// powerdns against a real PowerDNS and cloudflare against the local API
// server. Each step publishes a topology through the real plan and apply
// path, then requires a fresh plan to be empty.
package providertest

import (
	"testing"

	"github.com/topo-dns/topo/providers"
)

// Harness is one provider under test, serving Zone, which starts out holding
// nothing but what the server itself needs (SOA, NS).
type Harness struct {
	// Provider is the provider under test.
	Provider providers.Provider
	// Zone is the zone it serves, without the trailing dot: "example.test".
	Zone string
	// Seed writes RRsets into the zone as another client would (nsupdate for
	// BIND, a direct API call for PowerDNS), bypassing the provider under
	// test. Records seeded this way are not topo's and must survive.
	Seed func(t *testing.T, sets []providers.RRset)
}
