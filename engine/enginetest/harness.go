// Package enginetest is the pipeline contract suite every topo provider
// passes: the memory provider, the zone file provider, rfc2136 against a
// real BIND, powerdns against a real PowerDNS and cloudflare against the
// local API server. Each step compiles a topology, plans it, publishes the
// plan through the real apply path, then requires a fresh plan to be empty.
//
// The provider-level contract (the libdns calls alone, no topology) is
// providers/providertest; both take the same Harness.
package enginetest

import "github.com/topo-dns/topo/providers/providertest"

// Harness is one provider under test; see [providertest.Harness].
type Harness = providertest.Harness
