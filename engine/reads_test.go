package engine_test

import (
	"context"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/memory"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// counting is a memory provider that counts zone reads and keeps what
// each ApplyEdits was handed as the zone read just before.
type counting struct {
	*memory.Provider
	mu      sync.Mutex
	reads   int
	current [][]providers.RRset
}

var _ providers.EditApplier = (*counting)(nil)

func (c *counting) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	c.mu.Lock()
	c.reads++
	c.mu.Unlock()
	return c.Provider.GetRecords(ctx, zone)
}

func (c *counting) ApplyEdits(ctx context.Context, zone string, edits []providers.Edit, opts providers.ApplyOptions) (int, error) {
	c.mu.Lock()
	c.current = append(c.current, opts.Current)
	c.mu.Unlock()
	return c.Provider.ApplyEdits(ctx, zone, edits, opts)
}

func (c *counting) reset() (reads int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	reads, c.reads, c.current = c.reads, 0, nil
	return reads
}

// keyed is counting that can also read single RRsets, and counts the
// RRsets so read.
type keyed struct {
	*counting
	keyReads int
}

var _ providers.RRsetReader = (*keyed)(nil)

func (k *keyed) ReadRRsets(_ context.Context, zone string, keys []providers.Key) ([]providers.RRset, error) {
	k.mu.Lock()
	k.keyReads += len(keys)
	k.mu.Unlock()
	idx := providers.Index(k.RRsets(zone))
	var out []providers.RRset
	for _, key := range keys {
		if s, ok := idx[key]; ok {
			out = append(out, s)
		}
	}
	providers.SortRRsets(out)
	return out, nil
}

// TestReadsPerPublish pins how often a publish reads each zone: once to
// plan, once just before writing (the plan's own read when nothing ran in
// between), once after writing as proof, never twice back to back; a zone
// without changes is read only to plan, and not at all for a saved plan.
func TestReadsPerPublish(t *testing.T) {
	tests := []struct {
		name string
		// publish plans (or, saved, round-trips the plan through JSON and a
		// second Loaded) and publishes; reader gives zone a's provider
		// providers.RRsetReader.
		saved, reuse, reader bool
		// wantA and wantB are the whole-zone reads of the zone that changes
		// and of the one that does not; wantKeys the RRsets of zone a read
		// one by one.
		wantA, wantB, wantKeys int
	}{
		{name: "fresh plan published at once", reuse: true, wantA: 2, wantB: 1},
		{name: "fresh plan published after review", wantA: 3, wantB: 1},
		{name: "saved plan", saved: true, reuse: true, wantA: 2, wantB: 0},
		{name: "fresh plan published at once, written RRsets read back", reuse: true, reader: true, wantA: 1, wantB: 1, wantKeys: 3},
		{name: "fresh plan published after review, written RRsets read back", reader: true, wantA: 2, wantB: 1, wantKeys: 3},
		{name: "saved plan, written RRsets read back", saved: true, reuse: true, reader: true, wantA: 1, wantB: 0, wantKeys: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := &counting{Provider: &memory.Provider{}}, &counting{Provider: &memory.Provider{}}
			var provA providers.Provider = a
			ka := &keyed{counting: a}
			if tt.reader {
				provA = ka
			}
			resolve := func(ref, _ string) (providers.Provider, error) {
				if ref == "memory.a" {
					return provA, nil
				}
				return b, nil
			}
			src := func(d *topology.Desired) publish.Source {
				return publish.Source{Desired: d, File: "topology.hcl", SHA256: "0123"}
			}
			ctx := context.Background()
			first := engine.FromDesired(src(twoZones()), resolve)
			p, err := first.Plan(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := first.Publish(ctx, p, engine.PublishOptions{ReusePlanReads: true}); err != nil {
				t.Fatal(err)
			}
			a.reset()
			b.reset()
			ka.keyReads = 0

			// One more server in zone a's pool; zone b stays as it is.
			d := twoZones()
			d.Zones[0] = poolZone("a.test", "memory.a", 4)
			l := engine.FromDesired(src(d), resolve)
			p, err = l.Plan(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if tt.saved {
				data, err := p.Marshal()
				if err != nil {
					t.Fatal(err)
				}
				if p, err = publish.Unmarshal(data); err != nil {
					t.Fatal(err)
				}
				a.reset()
				b.reset()
				l = engine.FromDesired(src(d), resolve)
			}
			planRead := providers.Index(a.RRsets("a.test"))
			if _, err := l.Publish(ctx, p, engine.PublishOptions{ReusePlanReads: tt.reuse}); err != nil {
				t.Fatal(err)
			}
			if len(a.current) != 1 {
				t.Fatalf("zone a applied %d times, want once", len(a.current))
			}
			if diff := cmp.Diff(planRead, providers.Index(a.current[0])); diff != "" {
				t.Errorf("ApplyOptions.Current is not the zone as read just before writing (-want +got):\n%s", diff)
			}
			if len(b.current) != 0 {
				t.Errorf("zone b, without changes, was applied")
			}
			if got := a.reset(); got != tt.wantA {
				t.Errorf("zone a (changed) read %d times, want %d", got, tt.wantA)
			}
			if got := b.reset(); got != tt.wantB {
				t.Errorf("zone b (unchanged) read %d times, want %d", got, tt.wantB)
			}
			if ka.keyReads != tt.wantKeys {
				t.Errorf("zone a: %d RRsets read back one by one, want %d (the pool, the new server, its marker)", ka.keyReads, tt.wantKeys)
			}
		})
	}
}
