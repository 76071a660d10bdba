package enginetest

import (
	"context"
	"testing"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
)

// BenchmarkPublish times topo's whole path (plan: read and diff; publish:
// re-read, check and apply) for BigTopology(zone, pools) against prov:
// "publish/empty" plans and publishes into an empty zone (emptied again,
// untimed, between iterations), "plan/no-change" plans the published zone.
func BenchmarkPublish(b *testing.B, prov providers.Provider, zone string, pools int) {
	ctx := context.Background()
	full := MustCompile(b, BigTopology(zone, pools))
	empty := MustCompile(b, BigTopology(zone, 0))
	resolve := func(string, string) (providers.Provider, error) { return prov, nil }
	publishAll := func(b *testing.B, d publish.Source) *publish.Plan {
		p, err := publish.Make(ctx, d, resolve)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := publish.Apply(ctx, p, resolve, publish.ApplyOptions{AllowMassChange: true}); err != nil {
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
			p, err := publish.Make(ctx, publish.Source{Desired: full}, resolve)
			if err != nil || p.HasChanges() {
				b.Fatalf("no-change plan: %v %+v", err, p.Counts())
			}
		}
	})
}
