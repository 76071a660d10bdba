package enginetest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/libdns/libdns"

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

// Floor is the least a client can do to make the change topo makes in
// BenchmarkPublishOneChange, without topo: read the zone once, whole, and
// write set (the changed RRset's new contents) in one request.
type Floor func(b *testing.B, set providers.RRset)

// BenchmarkPublishOneChange times `topo publish --auto-approve` of one
// change (a server drained) in a zone holding BigTopology(zone, pools),
// against floor making the same size of change (the server back), in the
// same iteration so that load from other processes weighs on both alike.
// "engine" times Plan and Publish of the loaded topology (read, diff,
// write, the proof re-plan), "load+engine" adds loading the topology file
// as the command does. The metrics are the mean of each side and their
// ratio, and the reads one publish makes: whole zones and single RRsets.
func BenchmarkPublishOneChange(b *testing.B, prov providers.Provider, zone string, pools int, floor Floor) {
	ctx := context.Background()
	counter := &readCounter{Provider: prov}
	var counted providers.Provider = counter
	if _, ok := prov.(providers.RRsetReader); ok {
		counted = &rrsetReadCounter{counter}
	}
	resolve := func(string, string) (providers.Provider, error) { return counted, nil }
	src := BigTopology(zone, pools)
	full := engine.FromDesired(publish.Source{Desired: MustCompile(b, src)}, resolve)
	p, err := full.Plan(ctx)
	if err != nil || !p.Applyable() {
		b.Fatalf("plan: %v %v", err, p.Err())
	}
	if _, err := full.Publish(ctx, p, engine.PublishOptions{AllowMassChange: true, ReusePlanReads: true}); err != nil {
		b.Fatal(err)
	}
	// One server of pool p0 draining: the pool FQDN's RRset loses it.
	drained := strings.Replace(src, "ip   = \"10.0.0.1\"\n", "ip   = \"10.0.0.1\"\n      state = \"draining\"\n", 1)
	if drained == src {
		b.Fatal("BigTopology changed: cannot find server s0 of pool p0")
	}
	var poolSet providers.RRset
	for _, s := range publish.WantFor(full.Desired.Zones[0], full.Desired.Topology).RRsets {
		if s.Name == "p0."+zone && s.Type == "A" {
			poolSet = s
		}
	}
	path := filepath.Join(b.TempDir(), "topology.hcl")
	withProvider := strings.Replace(drained, "zone \""+zone+"\" {\n", "provider \"bench\" \"p\" {}\nzone \""+zone+"\" {\n  provider = \"bench.p\"\n", 1)
	if err := os.WriteFile(path, []byte(withProvider), 0o644); err != nil {
		b.Fatal(err)
	}
	reg := providers.Registry{"bench": providers.Kind{Open: func(hcl.Body, *hcl.EvalContext, providers.OpenEnv) (providers.Provider, hcl.Diagnostics) {
		return counted, nil
	}}}

	run := func(b *testing.B, load func(b *testing.B) *engine.Loaded) {
		var topoT, floorT time.Duration
		reads, keyReads := int64(0), int64(0)
		for range b.N {
			counter.reads.Store(0)
			counter.keyReads.Store(0)
			t0 := time.Now()
			l := load(b)
			p, err := l.Plan(ctx)
			if err != nil || !p.Applyable() {
				b.Fatalf("plan: %v %v", err, p.Err())
			}
			if c := p.Counts(); c != (publish.Counts{Update: 1}) {
				b.Fatalf("want one change, got %+v", c)
			}
			if _, err := l.Publish(ctx, p, engine.PublishOptions{ReusePlanReads: true}); err != nil {
				b.Fatal(err)
			}
			topoT += time.Since(t0)
			reads += counter.reads.Load()
			keyReads += counter.keyReads.Load()
			t0 = time.Now()
			floor(b, poolSet)
			floorT += time.Since(t0)
		}
		n := float64(max(b.N, 1))
		b.ReportMetric(float64(reads)/n, "zone-reads/publish")
		b.ReportMetric(float64(keyReads)/n, "rrset-reads/publish")
		b.ReportMetric(float64(topoT.Nanoseconds())/n, "topo-ns/op")
		b.ReportMetric(float64(floorT.Nanoseconds())/n, "floor-ns/op")
		b.ReportMetric(float64(topoT)/float64(floorT), "topo/floor")
	}
	b.Run("engine", func(b *testing.B) {
		l := engine.FromDesired(publish.Source{Desired: MustCompile(b, drained)}, resolve)
		run(b, func(*testing.B) *engine.Loaded { return l })
	})
	b.Run("load+engine", func(b *testing.B) {
		run(b, func(b *testing.B) *engine.Loaded {
			l := engine.Load(path, engine.LoadOptions{Registry: reg})
			if l.Desired == nil {
				b.Fatalf("load: %v", l.Diags)
			}
			return l
		})
	})
}

// readCounter counts a provider's zone reads, whole (reads) and RRset by
// RRset (keyReads, through rrsetReadCounter).
type readCounter struct {
	providers.Provider
	reads, keyReads atomic.Int64
}

// rrsetReadCounter is a readCounter for a provider that reads single
// RRsets.
type rrsetReadCounter struct{ *readCounter }

func (c *rrsetReadCounter) ReadRRsets(ctx context.Context, zone string, keys []providers.Key) ([]providers.RRset, error) {
	c.keyReads.Add(int64(len(keys)))
	return c.Provider.(providers.RRsetReader).ReadRRsets(ctx, zone, keys)
}

func (c *readCounter) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	c.reads.Add(1)
	return c.Provider.GetRecords(ctx, zone)
}

func (c *readCounter) ApplyEdits(ctx context.Context, zone string, edits []providers.Edit, opts providers.ApplyOptions) (int, error) {
	return c.Provider.(providers.EditApplier).ApplyEdits(ctx, zone, edits, opts)
}

func (c *readCounter) Chunks(zone string, edits []providers.Edit) int {
	if ch, ok := c.Provider.(providers.Chunker); ok {
		return ch.Chunks(zone, edits)
	}
	return 1
}
