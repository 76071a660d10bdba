package engine_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/memory"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// env is a set of in-memory providers, by reference.
type env struct {
	t     *testing.T
	provs map[string]providers.Provider
}

func newEnv(t *testing.T) *env {
	return &env{t: t, provs: map[string]providers.Provider{}}
}

// mem returns the memory provider for ref, creating it.
func (e *env) mem(ref string) *memory.Provider {
	if p, ok := e.provs[ref]; ok {
		return p.(*memory.Provider)
	}
	p := &memory.Provider{}
	e.provs[ref] = p
	return p
}

func (e *env) resolve(ref, _ string) (providers.Provider, error) {
	p, ok := e.provs[ref]
	if !ok {
		return e.mem(ref), nil
	}
	return p, nil
}

// load is d with its zones' providers from the env.
func (e *env) load(d *topology.Desired) *engine.Loaded {
	return engine.FromDesired(publish.Source{Desired: d, File: "topology.hcl", SHA256: "0123"}, e.resolve)
}

// plan loads and plans d, failing on an error or a conflict.
func (e *env) plan(d *topology.Desired) (*engine.Loaded, *publish.Plan) {
	e.t.Helper()
	l := e.load(d)
	p, err := l.Plan(context.Background())
	if err != nil {
		e.t.Fatalf("plan: %v", err)
	}
	if !p.Applyable() {
		e.t.Fatalf("plan: %v", p.Err())
	}
	return l, p
}

func (e *env) read(ref, zone string) []providers.RRset {
	e.t.Helper()
	p, _ := e.resolve(ref, "")
	sets, err := engine.ReadZone(context.Background(), p, zone)
	if err != nil {
		e.t.Fatal(err)
	}
	return sets
}

func mustRecords(t *testing.T, zone string, sets ...providers.RRset) []libdns.Record {
	t.Helper()
	var out []libdns.Record
	for _, s := range sets {
		recs, err := s.Records(zone)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, recs...)
	}
	return out
}

// poolZone is a zone holding one pool of n servers, served by provider ref.
func poolZone(zoneName, ref string, n int) *topology.ZoneRecords {
	zr := &topology.ZoneRecords{Zone: zoneName, View: "both", Provider: ref, Ownership: topology.OwnershipShared, TTL: 300}
	for i := 1; i <= n; i++ {
		ip := fmt.Sprintf("10.0.0.%d", 10+i)
		src := fmt.Sprintf("site.s.pool.pool.server.fe%d", i)
		zr.Records = append(zr.Records,
			topology.Record{Name: "pool." + zoneName, Type: "A", TTL: 300, Value: ip, Source: src},
			topology.Record{Name: fmt.Sprintf("fe%d.%s", i, zoneName), Type: "A", TTL: 300, Value: ip, Source: src})
	}
	return zr
}

// twoZones is a topology of two zones, each with a 3-server pool, on two
// providers.
func twoZones() *topology.Desired {
	return &topology.Desired{Topology: "t", Zones: []*topology.ZoneRecords{
		poolZone("a.test", "memory.a", 3),
		poolZone("b.test", "memory.b", 3),
	}}
}

func TestPublishConverges(t *testing.T) {
	e := newEnv(t)
	d := twoZones()
	l, p := e.plan(d)
	if c := p.Counts(); c != (publish.Counts{Create: 16}) {
		t.Fatalf("counts of a fresh plan: %+v", c)
	}
	var progress []string
	res, err := l.Publish(context.Background(), p, engine.PublishOptions{
		Progress: func(z publish.ZonePlan, done, total int) {
			progress = append(progress, fmt.Sprintf("%s %d/%d", z.Zone, done, total))
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &engine.Result{Zones: []engine.ZoneResult{
		{Zone: "a.test", View: "both", Applied: 8, Total: 8},
		{Zone: "b.test", View: "both", Applied: 8, Total: 8},
	}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a.test 0/1", "a.test 1/1", "b.test 0/1", "b.test 1/1"}, progress); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
	if _, again := e.plan(d); again.HasChanges() {
		t.Fatalf("plan after publish is not empty: %+v", again.Counts())
	}
}

func TestPublishRefusesStalePlan(t *testing.T) {
	// Somebody else writes into zone b between plan and publish, at a name
	// the plan creates.
	intruder := rs("pool.b.test", "A", 600, "192.0.2.1")
	t.Run("read again before writing", func(t *testing.T) {
		e := newEnv(t)
		l, p := e.plan(twoZones())
		if _, err := e.mem("memory.b").SetRecords(context.Background(), "b.test.", mustRecords(t, "b.test", intruder)); err != nil {
			t.Fatal(err)
		}
		res, err := l.Publish(context.Background(), p, engine.PublishOptions{})
		var se *engine.StaleError
		if !errors.As(err, &se) {
			t.Fatalf("want a *engine.StaleError, got %v (result %+v)", err, res)
		}
		if !errors.Is(err, engine.ErrStale) {
			t.Errorf("errors.Is(err, ErrStale) is false for %v", err)
		}
		if diff := cmp.Diff([]string{"b.test (both)"}, se.Zones); diff != "" {
			t.Errorf("stale zones (-want +got):\n%s", diff)
		}
		if !strings.Contains(err.Error(), "b.test (both)") || !strings.Contains(err.Error(), "stale") {
			t.Errorf("message does not name the zone: %v", err)
		}
		// Nothing was applied anywhere, not even to the zone that did not change.
		if got := e.read("memory.a", "a.test"); len(got) != 0 {
			t.Errorf("zone a was written despite the refusal: %v", got)
		}
		if diff := cmp.Diff([]providers.RRset{intruder}, e.read("memory.b", "b.test")); diff != "" {
			t.Errorf("zone b (-want +got):\n%s", diff)
		}
	})
	t.Run("the plan's own read", func(t *testing.T) {
		// With ReusePlanReads the provider's precondition check, on what it
		// holds, is what refuses: the changed RRset is never overwritten.
		e := newEnv(t)
		l, p := e.plan(twoZones())
		if _, err := e.mem("memory.b").SetRecords(context.Background(), "b.test.", mustRecords(t, "b.test", intruder)); err != nil {
			t.Fatal(err)
		}
		_, err := l.Publish(context.Background(), p, engine.PublishOptions{ReusePlanReads: true})
		var ae *engine.ApplyError
		if !errors.As(err, &ae) || !errors.Is(err, providers.ErrConflict) || ae.Zone != "b.test (both)" {
			t.Fatalf("want an *engine.ApplyError at zone b wrapping providers.ErrConflict, got %v", err)
		}
		if got := providers.Index(e.read("memory.b", "b.test"))[intruder.Key()]; !got.Equal(intruder) {
			t.Errorf("the concurrent change was overwritten: %v", got)
		}
	})
}

// A saved plan without fingerprints is never taken as matching: its zones
// are read and it is refused as stale.
func TestPublishRefusesPlanWithoutFingerprint(t *testing.T) {
	e := newEnv(t)
	_, p := e.plan(twoZones())
	for i := range p.Zones {
		p.Zones[i].Fingerprint = ""
	}
	_, err := e.load(twoZones()).Publish(context.Background(), p, engine.PublishOptions{ReusePlanReads: true})
	if !errors.Is(err, engine.ErrStale) {
		t.Fatalf("want a stale plan refusal, got %v", err)
	}
	if got := e.read("memory.a", "a.test"); len(got) != 0 {
		t.Errorf("zone a was written: %v", got)
	}
}

func TestPublishRefusesAnotherTopology(t *testing.T) {
	e := newEnv(t)
	_, p := e.plan(twoZones())
	other := engine.FromDesired(publish.Source{Desired: twoZones(), File: "topology.hcl", SHA256: "4567"}, e.resolve)
	_, err := other.Publish(context.Background(), p, engine.PublishOptions{})
	var tc *engine.TopologyChangedError
	if !errors.As(err, &tc) || !errors.Is(err, engine.ErrStale) {
		t.Fatalf("want a *engine.TopologyChangedError, got %v", err)
	}
	if !strings.Contains(err.Error(), "topology file topology.hcl changed") {
		t.Errorf("message: %v", err)
	}
	if got := e.read("memory.a", "a.test"); len(got) != 0 {
		t.Errorf("zone a was written despite the refusal: %v", got)
	}
}

// A plan carries its conflicts, across zones, and is not applyable.
func TestPlanCarriesConflicts(t *testing.T) {
	e := newEnv(t)
	e.mem("memory.a").SetRecords(t.Context(), "a.test.", mustRecords(t, "a.test", rs("pool.a.test", "A", 300, "192.0.2.1")))
	e.mem("memory.b").SetRecords(t.Context(), "b.test.", mustRecords(t, "b.test", rs("fe1.b.test", "A", 300, "192.0.2.2")))
	l := e.load(twoZones())
	p, err := l.Plan(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if p.Applyable() {
		t.Fatal("a plan with conflicts is applyable")
	}
	var ce *publish.ConflictError
	if !errors.As(p.Err(), &ce) {
		t.Fatalf("want a *publish.ConflictError, got %v", p.Err())
	}
	var held []string
	for _, c := range ce.Conflicts {
		held = append(held, c.Have.Values[0])
	}
	if diff := cmp.Diff([]string{"192.0.2.1", "192.0.2.2"}, held); diff != "" {
		t.Fatalf("conflicts (-want +got):\n%s", diff)
	}
	if _, err := l.Publish(t.Context(), p, engine.PublishOptions{}); !errors.As(err, &ce) {
		t.Fatalf("publish of a plan with conflicts: want a *publish.ConflictError, got %v", err)
	}
	if len(e.read("memory.a", "a.test")) != 1 || len(e.read("memory.b", "b.test")) != 1 {
		t.Errorf("a plan with conflicts was applied")
	}
}

func TestPublishPartialFailureReportsAndConverges(t *testing.T) {
	e := newEnv(t)
	d := twoZones()
	fault := errors.New("injected: server went away")
	failing := true
	e.mem("memory.b").FailApply = func(string, []providers.Edit) error {
		if failing {
			return fault
		}
		return nil
	}
	l, p := e.plan(d)
	res, err := l.Publish(context.Background(), p, engine.PublishOptions{})
	var ae *engine.ApplyError
	if !errors.As(err, &ae) {
		t.Fatalf("want a *engine.ApplyError, got %v", err)
	}
	if !errors.Is(err, fault) {
		t.Errorf("the provider's error is not wrapped: %v", err)
	}
	want := &engine.Result{Zones: []engine.ZoneResult{
		{Zone: "a.test", View: "both", Applied: 8, Total: 8},
		{Zone: "b.test", View: "both", Applied: 0, Total: 8, Error: fault.Error()},
	}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, ae.Result); diff != "" {
		t.Errorf("error's result (-want +got):\n%s", diff)
	}
	if ae.Zone != "b.test (both)" {
		t.Errorf("failed zone = %q", ae.Zone)
	}
	for _, s := range []string{"a.test (both): 8 of 8 changes applied", "b.test (both): 0 of 8 changes applied (FAILED)", "again"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error does not say %q:\n%v", s, err)
		}
	}

	// Publishing again converges: the fresh plan holds exactly what is left.
	failing = false
	l, again := e.plan(d)
	if c := again.Zones[0].Counts(); c.Total() != 0 {
		t.Errorf("zone a after the partial publish: %+v, want no changes", c)
	}
	if c := again.Zones[1].Counts(); c != (publish.Counts{Create: 8}) {
		t.Errorf("zone b after the partial publish: %+v, want its 8 creates", c)
	}
	if _, err := l.Publish(context.Background(), again, engine.PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, last := e.plan(d); last.HasChanges() {
		t.Fatalf("not converged: %+v", last.Counts())
	}
}

// A provider that stores something else than what was sent fails the
// proof: the re-plan after writing is not empty, whether the zone is read
// again whole or only the RRsets written.
func TestPublishProvesConvergence(t *testing.T) {
	for _, reader := range []bool{false, true} {
		t.Run(fmt.Sprintf("RRsetReader=%v", reader), func(t *testing.T) {
			e := newEnv(t)
			d := &topology.Desired{Topology: "t", Zones: []*topology.ZoneRecords{poolZone("a.test", "memory.a", 3)}}
			var p providers.Provider = &lossy{Provider: &memory.Provider{}}
			if reader {
				p = &lossyReader{lossy: p.(*lossy)}
			}
			e.provs["memory.a"] = p
			l, plan := e.plan(d)
			_, err := l.Publish(context.Background(), plan, engine.PublishOptions{})
			var nc *engine.NotConvergedError
			if !errors.As(err, &nc) {
				t.Fatalf("want a *engine.NotConvergedError, got %v", err)
			}
			if nc.Counts.Create != 1 || !strings.Contains(err.Error(), "did not store what was sent") {
				t.Errorf("error: %v (%+v)", err, nc.Counts)
			}
		})
	}
}

// lossy drops the first RRset of every apply.
type lossy struct{ *memory.Provider }

func (l *lossy) ApplyEdits(ctx context.Context, zone string, edits []providers.Edit, opts providers.ApplyOptions) (int, error) {
	n, err := l.Provider.ApplyEdits(ctx, zone, edits[1:], opts)
	return n + 1, err
}

// lossyReader is lossy that reads single RRsets back.
type lossyReader struct{ *lossy }

func (l *lossyReader) ReadRRsets(_ context.Context, zone string, keys []providers.Key) ([]providers.RRset, error) {
	idx := providers.Index(l.RRsets(zone))
	var out []providers.RRset
	for _, k := range keys {
		if s, ok := idx[k]; ok {
			out = append(out, s)
		}
	}
	return out, nil
}

// libdnsOnly hides a provider's ApplyEdits, so publish writes RRset by
// RRset, and fails the call number failAt (1-based) once.
type libdnsOnly struct {
	p      *memory.Provider
	calls  int
	failAt int
}

func (l *libdnsOnly) fail() error {
	l.calls++
	if l.calls == l.failAt {
		return errors.New("injected: HTTP 500")
	}
	return nil
}

func (l *libdnsOnly) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	return l.p.GetRecords(ctx, zone)
}

func (l *libdnsOnly) SetRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	if err := l.fail(); err != nil {
		return nil, err
	}
	return l.p.SetRecords(ctx, zone, recs)
}

func (l *libdnsOnly) DeleteRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	if err := l.fail(); err != nil {
		return nil, err
	}
	return l.p.DeleteRecords(ctx, zone, recs)
}

func TestPublishWithoutEditApplier(t *testing.T) {
	e := newEnv(t)
	lp := &libdnsOnly{p: &memory.Provider{}, failAt: 3}
	e.provs["memory.a"] = lp
	d := &topology.Desired{Topology: "t", Zones: []*topology.ZoneRecords{poolZone("a.test", "memory.a", 3)}}

	l, p := e.plan(d)
	res, err := l.Publish(context.Background(), p, engine.PublishOptions{})
	var ae *engine.ApplyError
	if !errors.As(err, &ae) {
		t.Fatalf("want a *engine.ApplyError, got %v", err)
	}
	if res.Zones[0].Applied != 2 || res.Zones[0].Total != 8 {
		t.Errorf("result: %+v, want 2 of 8 applied", res.Zones[0])
	}
	// The two RRsets applied are in the zone; a fresh plan has the rest.
	l, again := e.plan(d)
	if c := again.Counts(); c != (publish.Counts{Create: 6}) {
		t.Errorf("fresh plan after a failure at the third write: %+v, want 6 creates", c)
	}
	if _, err := l.Publish(context.Background(), again, engine.PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, last := e.plan(d); last.HasChanges() {
		t.Fatalf("not converged: %+v", last.Counts())
	}

	// A change somebody made since the plan is refused before any write.
	d2 := &topology.Desired{Topology: "t", Zones: []*topology.ZoneRecords{poolZone("a.test", "memory.a", 2)}}
	l2, p2 := e.plan(d2)
	if _, err := lp.p.SetRecords(context.Background(), "a.test.", mustRecords(t, "a.test", rs("x.a.test", "A", 60, "192.0.2.9"))); err != nil {
		t.Fatal(err)
	}
	lp.calls, lp.failAt = 0, 0
	if _, err := l2.Publish(context.Background(), p2, engine.PublishOptions{}); !errors.Is(err, engine.ErrStale) {
		t.Fatalf("want a stale plan refusal, got %v", err)
	}
	if lp.calls != 0 {
		t.Errorf("%d writes were made through the provider, want none", lp.calls)
	}
}

func TestPublishHonoursCancellation(t *testing.T) {
	e := newEnv(t)
	d := twoZones()
	l, p := e.plan(d)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := l.Publish(ctx, p, engine.PublishOptions{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if got := e.read("memory.a", "a.test"); len(got) != 0 {
		t.Errorf("a cancelled publish wrote: %v", got)
	}
}

func TestPublishResolverError(t *testing.T) {
	e := newEnv(t)
	_, p := e.plan(twoZones())
	boom := errors.New("provider \"memory.b\" is not declared")
	resolve := func(ref, view string) (providers.Provider, error) {
		if ref == "memory.b" {
			return nil, boom
		}
		return e.resolve(ref, view)
	}
	l := engine.FromDesired(publish.Source{Desired: twoZones(), File: "topology.hcl", SHA256: "0123"}, resolve)
	if _, err := l.Publish(context.Background(), p, engine.PublishOptions{}); !errors.Is(err, boom) {
		t.Fatalf("want the resolver's error, got %v", err)
	}
	if got := e.read("memory.a", "a.test"); len(got) != 0 {
		t.Errorf("zone a was written although zone b could not be resolved: %v", got)
	}
}

// The mass-change guard refuses before anything is read or written, and
// AllowMassChange lets the same plan through.
func TestPublishGuard(t *testing.T) {
	e := newEnv(t)
	big := &topology.Desired{Topology: "t", Zones: []*topology.ZoneRecords{poolZone("a.test", "memory.a", 12)}}
	l, p := e.plan(big)
	if _, err := l.Publish(context.Background(), p, engine.PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	small := &topology.Desired{Topology: "t", Zones: []*topology.ZoneRecords{poolZone("a.test", "memory.a", 2)}}
	l, p = e.plan(small)
	before := e.read("memory.a", "a.test")
	_, err := l.Publish(context.Background(), p, engine.PublishOptions{})
	var ge *publish.GuardError
	if !errors.As(err, &ge) {
		t.Fatalf("want a *publish.GuardError, got %v", err)
	}
	if diff := cmp.Diff(before, e.read("memory.a", "a.test")); diff != "" {
		t.Errorf("a refused publish changed the zone (-before +after):\n%s", diff)
	}
	if _, err := l.Publish(context.Background(), p, engine.PublishOptions{AllowMassChange: true}); err != nil {
		t.Fatalf("with AllowMassChange: %v", err)
	}
	if _, again := e.plan(small); again.HasChanges() {
		t.Fatalf("not converged: %+v", again.Counts())
	}
}
