// Package providertest is the provider-level contract suite every topo
// provider passes: the libdns calls (GetRecords, SetRecords, DeleteRecords)
// with the semantics libdns documents, against the memory provider, rfc2136
// on a real BIND, powerdns on a real PowerDNS and cloudflare on the local
// API server. RunOpaque holds them to records of every type topo does not
// own (OpaqueKinds: SVCB, NAPTR, RFC 3597 types, ...). It knows nothing of
// topologies or plans: the pipeline suite (plan, publish, re-plan) is
// engine/enginetest, which takes the same Harness.
package providertest

import (
	"testing"

	"github.com/libdns/libdns"

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
	// Unsupported names the kinds of [OpaqueKinds] (by OpaqueKind.Name)
	// the server cannot store, each with why, naming the server and its
	// version ("PowerDNS Authoritative 4.7.3 takes a DNSKEY only at the
	// apex"). The suites skip those kinds with that message; a kind the
	// server should hold and does not is a failure.
	Unsupported map[string]string
	// Inspect, when set, reads the whole zone around the provider under
	// test, as another client would (a zone transfer): the suites compare
	// records topo does not own through it, for a provider that does not
	// read them all itself (rfc2136 reading by names).
	Inspect func(t *testing.T) []libdns.Record
}
