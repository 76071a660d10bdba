// Package providertest is the provider-level contract suite every topo
// provider passes: the libdns calls (GetRecords, SetRecords, DeleteRecords)
// with the semantics libdns documents, against the memory provider, rfc2136
// on a real BIND, powerdns on a real PowerDNS and cloudflare on the local
// API server. It knows nothing of topologies or plans: the pipeline suite
// (plan, publish, re-plan) is engine/enginetest, which takes the same
// Harness.
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
