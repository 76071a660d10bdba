package enginetest

import (
	"slices"
	"strings"
	"testing"

	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/providertest"
	"github.com/topo-dns/topo/publish"
)

// neverOwned are the kinds of providertest.OpaqueKinds topo never owns,
// in any ownership mode: DNSSEC records.
var neverOwned = map[string]bool{"DNSKEY": true, "RRSIG": true}

// RunOpaque plans and publishes the suite's topology into a zone that holds
// records of every kind of providertest.OpaqueKinds the server stores
// (SVCB, NAPTR, SRV at odd names, RFC 3597 types, ...), some beside the
// records topo writes: no plan fails, every one of those records reads
// back byte for byte as before, and the re-plan is empty. In an exclusive
// zone, which topo owns, the plan does not fail either and each such
// record is deleted (whole) but the DNSSEC records, which stay as they
// were.
// The records are read through Harness.Inspect when set, else through the
// provider (told their names when it reads by names).
func RunOpaque(t *testing.T, newHarness func(t *testing.T) Harness) {
	r := newRun(t, newHarness)
	z := r.h.Zone
	kinds := providertest.SupportedKinds(t, r.h, providertest.OpaqueKinds(z))
	// Two of them also at the pool FQDN, beside the addresses topo writes
	// there.
	for _, k := range slices.Clone(kinds) {
		if k.Set.Type == "HTTPS" || strings.HasPrefix(k.Set.Type, "TYPE") {
			k.Name += " at the pool FQDN"
			k.Set.Name = "pool01." + z
			if !slices.ContainsFunc(kinds, func(o providertest.OpaqueKind) bool { return o.Set.Key() == k.Set.Key() }) {
				kinds = append(kinds, k)
			}
		}
	}
	var sets []providers.RRset
	var names []string
	for _, k := range kinds {
		sets = append(sets, k.Set)
		names = append(names, k.Set.Name)
	}
	r.h.Seed(t, sets)

	// readsWhole reports whether the provider's last read was of the whole
	// zone.
	readsWhole := func() bool {
		nr, ok := r.h.Provider.(providers.NameReader)
		return !ok || !nr.ReadScope(providers.ZoneFQDN(z)).Names
	}
	whole := true // whether get reads the whole zone
	get := func(step string) []libdns.Record {
		t.Helper()
		if r.h.Inspect != nil {
			return r.h.Inspect(t)
		}
		if nr, ok := r.h.Provider.(providers.NameReader); ok {
			nr.SetNames(providers.ZoneFQDN(z), names)
		}
		recs, err := r.h.Provider.GetRecords(r.ctx, providers.ZoneFQDN(z))
		if err != nil {
			t.Fatalf("%s: GetRecords: %v", step, err)
		}
		whole = readsWhole()
		return recs
	}
	before := get("before")
	read := map[providers.Key][]libdns.RR{}
	for _, k := range kinds {
		got := providertest.RRs(z, before, k.Set.Key())
		if len(got) == 0 && whole {
			t.Errorf("seeded %s %s %q; the zone does not hold it. If the server cannot store it, say so (server and version) in Harness.Unsupported", k.Set.Name, k.Set.Type, k.Set.Values)
		}
		read[k.Set.Key()] = got
	}
	same := func(step string, gone func(providers.Key) bool) {
		t.Helper()
		after := get(step)
		for _, k := range kinds {
			key := k.Set.Key()
			got := providertest.RRs(z, after, key)
			if len(got) == 0 && gone != nil && gone(key) {
				continue
			}
			if want := read[key]; !slices.Equal(want, got) {
				t.Errorf("%s: %s (%s) changed:\n  before %v\n  after  %v", step, k.Name, key, want, got)
			}
		}
	}

	servers := active(1, 2, 3)
	hcl := topologyHCL(z, servers, "")
	r.publish("publish beside records topo does not own", hcl, false)
	same("after the first publish", nil)
	servers[1].state = "draining"
	r.publish("drain a server beside records topo does not own", topologyHCL(z, servers, ""), false)
	same("after draining a server", nil)

	// Exclusive: topo owns the zone but its SOA, NS and DNSSEC records.
	excl := strings.Replace(topologyHCL(z, servers, ""), "ttl = 300\n}", "ttl = 300\n  ownership = \"exclusive\"\n}", 1)
	p, err := r.plan(excl)
	if err != nil {
		t.Fatalf("exclusive zone: plan: %v", err)
	}
	planned := readsWhole() // the plan saw every record
	if _, err := r.load(excl).Publish(r.ctx, p, engine.PublishOptions{AllowMassChange: true}); err != nil {
		t.Fatalf("exclusive zone: apply: %v", err)
	}
	again, err := r.plan(excl)
	if err != nil {
		t.Fatalf("exclusive zone: re-plan: %v", err)
	}
	if again.HasChanges() {
		var b strings.Builder
		publish.WriteText(&b, again, publish.TextOptions{})
		t.Fatalf("exclusive zone: a fresh plan after publish is not empty:\n%s", b.String())
	}
	same("after publishing the exclusive zone", func(k providers.Key) bool { return !neverOwned[k.Type] })
	if planned {
		// Topo owns them there: each went, whole, through the provider's
		// delete path for its type.
		after := get("after publishing the exclusive zone")
		for _, k := range kinds {
			if left := providertest.RRs(z, after, k.Set.Key()); len(left) > 0 && !neverOwned[k.Set.Type] {
				t.Errorf("exclusive zone: %s is still there: %v", k.Name, left)
			}
		}
	}
}
