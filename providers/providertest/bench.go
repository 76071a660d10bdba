package providertest

import (
	"context"
	"testing"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
)

// BenchmarkPublish times topo's whole path (plan: read and diff; publish:
// check, apply and the proof re-plan) for BigTopology(zone, pools) against prov:
// "publish/empty" plans and publishes into an empty zone (emptied again,
// untimed, between iterations), "plan/no-change" plans the published zone.
func BenchmarkPublish(b *testing.B, prov providers.Provider, zone string, pools int) {
	ctx := context.Background()
	full := MustCompile(b, BigTopology(zone, pools))
	empty := MustCompile(b, BigTopology(zone, 0))
	resolve := func(string, string) (providers.Provider, error) { return prov, nil }
	publishAll := func(b *testing.B, d publish.Source) *publish.Plan {
		l := engine.FromDesired(d, resolve)
		p, err := l.Plan(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := l.Publish(ctx, p, engine.PublishOptions{AllowMassChange: true, ReusePlanReads: true}); err != nil {
			b.Fatal(err)
		}
		return p
	}
	b.Run("publish/empty", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			publishAll(b, publish.Source{Desired: empty})
			b.StartTimer()
			p := publishAll(b, publish.Source{Desired: full})
			b.ReportMetric(float64(p.Counts().Create), "rrsets/op")
		}
	})
	b.Run("plan/no-change", func(b *testing.B) {
		publishAll(b, publish.Source{Desired: full})
		for b.Loop() {
			p, err := engine.FromDesired(publish.Source{Desired: full}, resolve).Plan(ctx)
			if err != nil || p.HasChanges() {
				b.Fatalf("no-change plan: %v %+v", err, p.Counts())
			}
		}
	})
}
