package engine_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/zonefile"
	"github.com/topo-dns/topo/publish"
)

// readCounter counts a provider's zone reads.
type readCounter struct {
	providers.Provider
	reads atomic.Int64
}

func (c *readCounter) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	c.reads.Add(1)
	return c.Provider.GetRecords(ctx, zone)
}

func (c *readCounter) ApplyEdits(ctx context.Context, zone string, edits []providers.Edit, opts providers.ApplyOptions) (int, error) {
	return c.Provider.(providers.EditApplier).ApplyEdits(ctx, zone, edits, opts)
}

// zonefileLoaded is a 1,000-pool-style topology on a zone file provider
// in dir.
func zonefileLoaded(tb testing.TB, pools int, prov providers.Provider) *engine.Loaded {
	d := enginetest.MustCompile(tb, enginetest.BigTopology("bench.test", pools))
	return engine.FromDesired(publish.Source{Desired: d}, func(string, string) (providers.Provider, error) { return prov, nil })
}

// BenchmarkZonefile1000Pools times, for 1,000 pools x 12 servers (about
// 25,000 records) on the zone file provider: a plan and publish into an
// empty zone, and a no-change plan of the result.
func BenchmarkZonefile1000Pools(b *testing.B) {
	ctx := context.Background()
	b.Run("plan+publish/empty", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			l := zonefileLoaded(b, 1000, zonefile.New(b.TempDir()).ForView("internal"))
			b.StartTimer()
			p, err := l.Plan(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := l.Publish(ctx, p, engine.PublishOptions{ReusePlanReads: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("plan/no-change", func(b *testing.B) {
		l := zonefileLoaded(b, 1000, zonefile.New(b.TempDir()).ForView("internal"))
		p, _ := l.Plan(ctx)
		if _, err := l.Publish(ctx, p, engine.PublishOptions{ReusePlanReads: true}); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			p, err := l.Plan(ctx)
			if err != nil || p.HasChanges() {
				b.Fatalf("no-change plan: %v %v", err, p.Counts())
			}
		}
	})
}

// TestSecondPlanReadsEachZoneOnce checks the request budget of a no-change
// plan: one read per zone, nothing else.
func TestSecondPlanReadsEachZoneOnce(t *testing.T) {
	ctx := context.Background()
	cp := &readCounter{Provider: zonefile.New(t.TempDir()).ForView("internal")}
	l := zonefileLoaded(t, 50, cp)
	p, err := l.Plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Publish(ctx, p, engine.PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	cp.reads.Store(0)
	again, err := l.Plan(ctx)
	if err != nil || again.HasChanges() {
		t.Fatalf("second plan: %v, %+v", err, again.Counts())
	}
	if got := cp.reads.Load(); got != int64(len(l.Desired.Zones)) {
		t.Fatalf("a no-change plan read zones %d times, want once per zone (%d)", got, len(l.Desired.Zones))
	}
}
