package publish_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/zonefile"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// bigDesired compiles a topology of pools x 12 servers (about 25 records
// per pool) in one internal zone.
func bigDesired(tb testing.TB, pools int) *topology.Desired {
	tb.Helper()
	var b strings.Builder
	b.WriteString("name = \"bench\"\nzone \"bench.test\" {\n  view = \"internal\"\n}\nsite \"s\" {\n")
	for p := range pools {
		fmt.Fprintf(&b, "pool \"p%d\" {\nfqdn = \"p%d.bench.test\"\nweb_services {\ninternal_fqdn = \"w%d.bench.test\"\ninternal_vip = \"10.200.%d.%d\"\n}\n", p, p, p, p/250, p%250)
		for s := range 12 {
			fmt.Fprintf(&b, "server \"s%d\" {\nfqdn = \"s%d-%d.bench.test\"\nip = \"10.%d.%d.%d\"\n}\n", s, p, s, p/250, p%250, s+1)
		}
		b.WriteString("}\n")
	}
	b.WriteString("}\n")
	top, diags := topology.Parse([]byte(b.String()), "bench.hcl", topology.Options{})
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	d, diags := topology.Compile(top.File)
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	return d
}

// countingProvider counts zone reads.
type countingProvider struct {
	providers.Provider
	reads atomic.Int64
}

func (c *countingProvider) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	c.reads.Add(1)
	return c.Provider.GetRecords(ctx, zone)
}

func (c *countingProvider) ApplyEdits(ctx context.Context, zone string, edits []providers.Edit, opts providers.ApplyOptions) (int, error) {
	return c.Provider.(providers.EditApplier).ApplyEdits(ctx, zone, edits, opts)
}

// BenchmarkZonefile1000Pools times, for 1,000 pools x 12 servers (about
// 25,000 records plus ownership markers) on the zone file provider: a plan
// and publish into an empty zone, and a no-change plan of the result.
func BenchmarkZonefile1000Pools(b *testing.B) {
	d := bigDesired(b, 1000)
	ctx := context.Background()
	b.Run("plan+publish/empty", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			prov := zonefile.New(b.TempDir()).ForView("internal")
			resolve := func(string, string) (providers.Provider, error) { return prov, nil }
			b.StartTimer()
			p, err := publish.Make(ctx, publish.Source{Desired: d}, resolve)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := publish.Apply(ctx, p, resolve, publish.ApplyOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("plan/no-change", func(b *testing.B) {
		prov := zonefile.New(b.TempDir()).ForView("internal")
		resolve := func(string, string) (providers.Provider, error) { return prov, nil }
		p, _ := publish.Make(ctx, publish.Source{Desired: d}, resolve)
		if _, err := publish.Apply(ctx, p, resolve, publish.ApplyOptions{}); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			p, err := publish.Make(ctx, publish.Source{Desired: d}, resolve)
			if err != nil || p.HasChanges() {
				b.Fatalf("no-change plan: %v %v", err, p.Counts())
			}
		}
	})
}

// TestSecondPlanReadsEachZoneOnce checks the request budget of a no-change
// plan: one read per zone, nothing else.
func TestSecondPlanReadsEachZoneOnce(t *testing.T) {
	d := bigDesired(t, 50)
	ctx := context.Background()
	cp := &countingProvider{Provider: zonefile.New(t.TempDir()).ForView("internal")}
	resolve := func(string, string) (providers.Provider, error) { return cp, nil }
	p, err := publish.Make(ctx, publish.Source{Desired: d}, resolve)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := publish.Apply(ctx, p, resolve, publish.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	cp.reads.Store(0)
	again, err := publish.Make(ctx, publish.Source{Desired: d}, resolve)
	if err != nil || again.HasChanges() {
		t.Fatalf("second plan: %v, %+v", err, again.Counts())
	}
	if got := cp.reads.Load(); got != int64(len(d.Zones)) {
		t.Fatalf("a no-change plan read zones %d times, want once per zone (%d)", got, len(d.Zones))
	}
}
