package enginetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// server is one server of the suite's pool: its name suffix and state.
type server struct {
	n     int
	state topology.State
}

// topologyHCL writes the suite's topology: one Front End pool in zone with
// the given servers, and its web services override.
func topologyHCL(zone string, servers []server, extra string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name = \"suite\"\nproduct = \"sfb2015\"\nzone %q {\n  ttl = 300\n}\n", zone)
	if len(servers) == 0 {
		return b.String()
	}
	fmt.Fprintf(&b, "site \"s1\" {\n  pool \"pool01\" {\n    fqdn = \"pool01.%s\"\n", zone)
	fmt.Fprintf(&b, "    web_services {\n      internal_fqdn = \"webint.%s\"\n      internal_vip = \"10.9.0.100\"\n    }\n", zone)
	for _, s := range servers {
		fmt.Fprintf(&b, "    server \"fe%02d\" {\n      fqdn = \"fe%02d.%s\"\n      ip = \"10.9.0.%d\"\n      state = %q\n    }\n", s.n, s.n, zone, 10+s.n, s.state)
	}
	b.WriteString(extra)
	b.WriteString("  }\n}\n")
	return b.String()
}

func active(ns ...int) []server {
	out := make([]server, len(ns))
	for i, n := range ns {
		out[i] = server{n: n, state: topology.StateActive}
	}
	return out
}

// run is the suite's view of one provider.
type run struct {
	t    *testing.T
	h    Harness
	ctx  context.Context
	seed []providers.RRset
}

func (r *run) resolve(string, string) (providers.Provider, error) { return r.h.Provider, nil }

func (r *run) desired(hcl string) *topology.Desired {
	r.t.Helper()
	top, diags := topology.Parse([]byte(hcl), "suite.hcl", topology.Options{})
	if diags.HasErrors() {
		r.t.Fatalf("suite topology does not parse: %v", diags)
	}
	d, diags := topology.Compile(top.File)
	if diags.HasErrors() {
		r.t.Fatalf("suite topology does not compile: %v\n%s", diags, hcl)
	}
	return d
}

func (r *run) load(hcl string) *engine.Loaded {
	r.t.Helper()
	return engine.FromDesired(publish.Source{Desired: r.desired(hcl), File: "suite.hcl"}, r.resolve)
}

func (r *run) plan(hcl string) (*publish.Plan, error) {
	r.t.Helper()
	p, err := r.load(hcl).Plan(r.ctx)
	if err != nil {
		return nil, err
	}
	return p, p.Err()
}

// publish plans and applies hcl, then requires a fresh plan to be empty and
// the zone to hold what the topology wants and the seeded records.
func (r *run) publish(step, hcl string, allowMass bool) *publish.Plan {
	r.t.Helper()
	p, err := r.plan(hcl)
	if err != nil {
		r.t.Fatalf("%s: plan: %v", step, err)
	}
	if _, err := r.load(hcl).Publish(r.ctx, p, engine.PublishOptions{AllowMassChange: allowMass}); err != nil {
		r.t.Fatalf("%s: apply: %v", step, err)
	}
	again, err := r.plan(hcl)
	if err != nil {
		r.t.Fatalf("%s: re-plan: %v", step, err)
	}
	if again.HasChanges() {
		var b strings.Builder
		publish.WriteText(&b, again, publish.TextOptions{})
		r.t.Fatalf("%s: a fresh plan after publish is not empty:\n%s", step, b.String())
	}
	r.checkZone(step, hcl)
	return p
}

// read reads the zone as publish does. A provider that reads by names
// (providers.NameReader) is told to read the seeded names and names.
func (r *run) read(names ...string) ([]providers.RRset, error) {
	if nr, ok := r.h.Provider.(providers.NameReader); ok {
		for _, s := range r.seed {
			names = append(names, s.Name)
		}
		nr.SetNames(providers.ZoneFQDN(r.h.Zone), names)
	}
	return engine.ReadZone(r.ctx, r.h.Provider, r.h.Zone)
}

// checkZone reads the zone and compares the RRsets topo wants, and the
// seeded ones, with what the provider holds.
func (r *run) checkZone(step, hcl string) {
	r.t.Helper()
	d := r.desired(hcl)
	var want []providers.RRset
	var names []string
	for _, zr := range d.Zones {
		w := publish.WantFor(zr, d.Topology)
		want = append(want, w.RRsets...)
		names = append(names, publish.ManagedNames(zr, w, d)...)
	}
	want = append(want, r.seed...)
	cur, err := r.read(names...)
	if err != nil {
		r.t.Fatalf("%s: read back: %v", step, err)
	}
	idx := providers.Index(cur)
	var got []providers.RRset
	for _, w := range want {
		if c, ok := idx[w.Key()]; ok {
			got = append(got, c)
		}
	}
	providers.SortRRsets(want)
	providers.SortRRsets(got)
	if diff := cmp.Diff(want, got); diff != "" {
		r.t.Fatalf("%s: zone does not hold what was published and seeded (-want +got):\n%s", step, diff)
	}
	// Nothing topo-owned beyond what the topology wants.
	wantIdx := providers.Index(want)
	for _, c := range cur {
		if publish.IsMarker(c.Key()) {
			if _, ok := wantIdx[c.Key()]; !ok {
				r.t.Fatalf("%s: stale ownership marker left behind: %s", step, c.Key())
			}
		}
	}
}

// Run runs the contract suite against the provider newHarness returns. Each
// subtest gets a fresh harness.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Run("lifecycle", func(t *testing.T) {
		r := newRun(t, newHarness)
		z := r.h.Zone
		servers := active(1, 2, 3)
		p := r.publish("create a pool", topologyHCL(z, servers, ""), false)
		if c := p.Counts(); c.Create == 0 || c.Update+c.Delete != 0 {
			t.Fatalf("create a pool: want only creates, got %+v", c)
		}

		servers = active(1, 2, 3, 4)
		p = r.publish("add a server", topologyHCL(z, servers, ""), false)
		wantKeys(t, "add a server", p, map[string]publish.Action{
			"pool01." + z + " A":       publish.Update,
			"fe04." + z + " A":         publish.Create,
			"_topo.fe04." + z + " TXT": publish.Create,
		})

		servers[1].state = topology.StateDraining
		p = r.publish("drain a server", topologyHCL(z, servers, ""), false)
		wantKeys(t, "drain a server", p, map[string]publish.Action{
			"pool01." + z + " A": publish.Update,
		})
		if got := changeOf(p, "pool01."+z, "A").After.Values; slices.Contains(got, "10.9.0.12") {
			t.Fatalf("drain: draining server still in the pool FQDN's records: %v", got)
		}

		servers[1].state = topology.StateOffline
		p = r.publish("take a server offline", topologyHCL(z, servers, ""), false)
		wantKeys(t, "take a server offline", p, map[string]publish.Action{
			"fe02." + z + " A":         publish.Delete,
			"_topo.fe02." + z + " TXT": publish.Delete,
		})

		servers = slices.Delete(servers, 1, 2)
		p = r.publish("remove a server", topologyHCL(z, servers, ""), false)
		if p.HasChanges() {
			t.Fatalf("remove an offline server: it had no records left, want no changes, got %+v", p.Counts())
		}
		servers = servers[:2]
		r.publish("remove an active server", topologyHCL(z, servers, ""), false)

		r.publish("remove everything", topologyHCL(z, nil, ""), true)
	})

	t.Run("collision with a record topo does not own", func(t *testing.T) {
		r := newRun(t, newHarness)
		z := r.h.Zone
		hcl := strings.Replace(topologyHCL(z, active(1, 2, 3), ""), "webint."+z, "other."+z, 1)
		_, err := r.plan(hcl)
		var ce *publish.ConflictError
		if !errors.As(err, &ce) {
			t.Fatalf("plan wanting a name another client owns: want a *publish.ConflictError, got %v", err)
		}
		if !strings.Contains(err.Error(), "other."+z) || !strings.Contains(err.Error(), "web_services.internal") {
			t.Fatalf("conflict error should name both the record and its source: %v", err)
		}
		r.checkZone("after a refused plan", topologyHCL(z, nil, ""))
	})

	t.Run("concurrent change between plan and publish", func(t *testing.T) {
		r := newRun(t, newHarness)
		z := r.h.Zone
		r.publish("create a pool", topologyHCL(z, active(1, 2, 3), ""), false)
		p, err := r.plan(topologyHCL(z, active(1, 2, 3, 4), ""))
		if err != nil {
			t.Fatal(err)
		}
		// Another client changes an RRset topo owns after the plan was made.
		intruder := providers.RRset{Name: "pool01." + z, Type: "A", TTL: 300, Values: []string{"10.9.0.11", "10.9.0.12", "10.9.0.13", "192.0.2.99"}}
		r.h.Seed(t, []providers.RRset{intruder})
		_, err = r.load(topologyHCL(z, active(1, 2, 3, 4), "")).Publish(r.ctx, p, engine.PublishOptions{})
		if !errors.Is(err, engine.ErrStale) {
			t.Fatalf("publish after a concurrent change: want a stale plan refusal, got %v", err)
		}
		cur, err := r.read(intruder.Name)
		if err != nil {
			t.Fatal(err)
		}
		if got := providers.Index(cur)[intruder.Key()]; !got.Equal(intruder) {
			t.Fatalf("the concurrent change was overwritten: %v", got)
		}
		// The provider's own precondition check, below publish's staleness
		// check, refuses too.
		if a, ok := r.h.Provider.(providers.EditApplier); ok {
			ch := changeOf(p, "pool01."+z, "A")
			_, err := a.ApplyEdits(r.ctx, providers.ZoneFQDN(z), []providers.Edit{ch.Edit()}, providers.ApplyOptions{})
			if !errors.Is(err, providers.ErrConflict) {
				t.Fatalf("ApplyEdits with a stale precondition: want providers.ErrConflict, got %v", err)
			}
			cur, _ := r.read(intruder.Name)
			if got := providers.Index(cur)[intruder.Key()]; !got.Equal(intruder) {
				t.Fatalf("ApplyEdits overwrote a concurrent change: %v", got)
			}
		}
	})

	t.Run("RRsets read one by one", func(t *testing.T) { readRRsets(t, newHarness) })

	t.Run("libdns calls", func(t *testing.T) {
		r := newRun(t, newHarness)
		z := providers.ZoneFQDN(r.h.Zone)
		set := providers.RRset{Name: "libdns." + r.h.Zone, Type: "AAAA", TTL: 120, Values: []string{"2001:db8::1", "2001:db8::2"}}
		recs, err := set.Records(r.h.Zone)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.h.Provider.SetRecords(r.ctx, z, recs); err != nil {
			t.Fatalf("SetRecords: %v", err)
		}
		cur, _ := r.read(set.Name)
		if diff := cmp.Diff(set, providers.Index(cur)[set.Key()]); diff != "" {
			t.Fatalf("SetRecords then GetRecords (-want +got):\n%s", diff)
		}
		one := providers.RRset{Name: set.Name, Type: "AAAA", TTL: 120, Values: []string{"2001:db8::1"}}
		del, _ := one.Records(r.h.Zone)
		if _, err := r.h.Provider.DeleteRecords(r.ctx, z, del); err != nil {
			t.Fatalf("DeleteRecords: %v", err)
		}
		cur, _ = r.read(set.Name)
		want := providers.RRset{Name: set.Name, Type: "AAAA", TTL: 120, Values: []string{"2001:db8::2"}}
		if diff := cmp.Diff(want, providers.Index(cur)[set.Key()]); diff != "" {
			t.Fatalf("DeleteRecords of one value (-want +got):\n%s", diff)
		}
		r.checkZone("libdns calls", topologyHCL(r.h.Zone, nil, ""))
	})
}

// readRRsets checks providers.RRsetReader, when the provider has it,
// against GetRecords: the same RRsets for the keys asked, an absent key
// left out, a CNAME not followed.
func readRRsets(t *testing.T, newHarness func(t *testing.T) Harness) {
	r := newRun(t, newHarness)
	rr, ok := r.h.Provider.(providers.RRsetReader)
	if !ok {
		t.Skip("the provider does not read single RRsets")
	}
	z := r.h.Zone
	r.publish("create a pool", topologyHCL(z, active(1, 2, 3), ""), false)
	alias := providers.RRset{Name: "alias." + z, Type: "CNAME", TTL: 300, Values: []string{"pool01." + z + "."}}
	r.h.Seed(t, []providers.RRset{alias})
	keys := []providers.Key{
		{Name: "pool01." + z, Type: "A"},
		{Name: "_topo.fe02." + z, Type: "TXT"},
		{Name: "other." + z, Type: "TXT"},
		{Name: "absent." + z, Type: "A"},
		{Name: "alias." + z, Type: "A"},
		{Name: "alias." + z, Type: "CNAME"},
	}
	got, err := rr.ReadRRsets(r.ctx, providers.ZoneFQDN(z), keys)
	if err != nil {
		t.Fatalf("ReadRRsets: %v", err)
	}
	var names []string
	for _, k := range keys {
		names = append(names, k.Name)
	}
	cur, err := r.read(names...)
	if err != nil {
		t.Fatal(err)
	}
	idx := providers.Index(cur)
	var want []providers.RRset
	for _, k := range keys {
		if s, ok := idx[k]; ok {
			want = append(want, s)
		}
	}
	providers.SortRRsets(want)
	if len(want) != 4 {
		t.Fatalf("the zone does not hold the 4 RRsets the check expects: %v", want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ReadRRsets against GetRecords (-want +got):\n%s", diff)
	}
}

func newRun(t *testing.T, newHarness func(t *testing.T) Harness) *run {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	h := newHarness(t)
	r := &run{t: t, h: h, ctx: ctx}
	// Records another client owns: topo must never touch them.
	r.seed = []providers.RRset{
		{Name: "other." + h.Zone, Type: "A", TTL: 600, Values: []string{"192.0.2.1"}},
		{Name: "other." + h.Zone, Type: "TXT", TTL: 600, Values: []string{"v=spf1 -all"}},
		{Name: "mail." + h.Zone, Type: "MX", TTL: 600, Values: []string{"10 mx.example.net."}},
	}
	h.Seed(t, r.seed)
	return r
}

func changeOf(p *publish.Plan, name, typ string) publish.Change {
	for _, z := range p.Zones {
		for _, c := range z.Changes {
			if c.Name == name && c.Type == typ {
				return c
			}
		}
	}
	return publish.Change{}
}

// wantKeys requires the plan's changes to be exactly want.
func wantKeys(t *testing.T, step string, p *publish.Plan, want map[string]publish.Action) {
	t.Helper()
	got := map[string]publish.Action{}
	for _, z := range p.Zones {
		for _, c := range z.Changes {
			got[c.Key().String()] = c.Action
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("%s: changes (-want +got):\n%s", step, diff)
	}
}
