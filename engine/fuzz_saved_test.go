package engine_test

import (
	"context"
	"encoding/json"
	"errors"
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

// recorder is a memory provider that keeps every edit it applies.
type recorder struct {
	*memory.Provider
	mu    sync.Mutex
	edits []providers.Edit
}

func (r *recorder) ApplyEdits(ctx context.Context, zone string, edits []providers.Edit, opts providers.ApplyOptions) (int, error) {
	r.mu.Lock()
	r.edits = append(r.edits, edits...)
	r.mu.Unlock()
	return r.Provider.ApplyEdits(ctx, zone, edits, opts)
}

// fuzzWorld is the fixed topology and zone FuzzVerifySavedPlan publishes
// plans against: a.test holding structuredZone and a 3-server pool topo
// published, and a topology that adds a fourth server.
type fuzzWorld struct {
	desired *topology.Desired
	zone    []providers.RRset
}

func newFuzzWorld(tb testing.TB) fuzzWorld {
	m := &memory.Provider{}
	resolve := func(string, string) (providers.Provider, error) { return m, nil }
	if _, err := m.SetRecords(context.Background(), "a.test.", mustRecordsTB(tb, "a.test", structuredZone()...)); err != nil {
		tb.Fatal(err)
	}
	first := &topology.Desired{Topology: "t", Zones: []*topology.ZoneRecords{poolZone("a.test", "memory.a", 3)}}
	l := engine.FromDesired(publish.Source{Desired: first, File: "topology.hcl", SHA256: "0123"}, resolve)
	p, err := l.Plan(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := l.Publish(context.Background(), p, engine.PublishOptions{}); err != nil {
		tb.Fatal(err)
	}
	d := &topology.Desired{Topology: "t", Zones: []*topology.ZoneRecords{poolZone("a.test", "memory.a", 4)}}
	return fuzzWorld{desired: d, zone: m.RRsets("a.test")}
}

// load returns the world's topology on a fresh copy of its zone.
func (w fuzzWorld) load(tb testing.TB) (*engine.Loaded, *recorder) {
	r := &recorder{Provider: &memory.Provider{}}
	if _, err := r.SetRecords(context.Background(), "a.test.", mustRecordsTB(tb, "a.test", w.zone...)); err != nil {
		tb.Fatal(err)
	}
	resolve := func(string, string) (providers.Provider, error) { return r, nil }
	return engine.FromDesired(publish.Source{Desired: w.desired, File: "topology.hcl", SHA256: "0123"}, resolve), r
}

func mustRecordsTB(tb testing.TB, zone string, sets ...providers.RRset) []libdns.Record {
	tb.Helper()
	var out []libdns.Record
	for _, s := range sets {
		recs, err := s.Records(zone)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, recs...)
	}
	return out
}

// FuzzVerifySavedPlan publishes arbitrary plan bytes against a fixed
// topology and zone: whatever the file says, what is applied is exactly
// the plan topo derives from the topology and the zone, and only when the
// file says the same; nothing is applied otherwise.
func FuzzVerifySavedPlan(f *testing.F) {
	w := newFuzzWorld(f)
	l, _ := w.load(f)
	p, err := l.Plan(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	good, err := p.Marshal()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	// The edits of TestPublishVerifiesSavedPlan, with a checksum made
	// again, and a file cut short.
	edit := func(fn func(*publish.Plan)) []byte {
		var q publish.Plan
		if err := json.Unmarshal(good, &q); err != nil {
			f.Fatal(err)
		}
		fn(&q)
		data, err := q.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		return data
	}
	del := func(s providers.RRset) func(*publish.Plan) {
		return func(p *publish.Plan) {
			p.Zones[0].Changes = append([]publish.Change{{Action: publish.Delete, Name: s.Name, Type: s.Type, Before: &s}}, p.Zones[0].Changes...)
		}
	}
	f.Add(edit(del(rs("other.a.test", "A", 600, "192.0.2.1"))))
	f.Add(edit(del(rs("sub.a.test", "NS", 3600, "ns.sub.a.test."))))
	f.Add(edit(func(p *publish.Plan) { p.Zones[0].View = "x/../../../escaped" }))
	f.Add(edit(func(p *publish.Plan) { p.Zones[0].MaxChange = 1 }))
	f.Add(edit(func(p *publish.Plan) { p.Zones[0].Changes = p.Zones[0].Changes[1:] }))
	f.Add(good[:len(good)/2])

	// The plan as made is published, by another Loaded, as a saved one.
	l2, r2 := w.load(f)
	if _, err := l2.Publish(context.Background(), p, engine.PublishOptions{}); err != nil || len(r2.edits) == 0 {
		f.Fatalf("the plan as made: %v, %d edits", err, len(r2.edits))
	}
	derived := p.Zones[0]
	want := providers.Index(w.zone)
	providers.ApplyToIndex(want, derived.Edits())

	f.Fuzz(func(t *testing.T, data []byte) {
		saved, err := publish.Unmarshal(data)
		if errors.Is(err, publish.ErrPlanEdited) {
			// Whoever edits a plan file can make its checksum again: what
			// must hold then is the re-derivation.
			var q publish.Plan
			if json.Unmarshal(data, &q) != nil {
				return
			}
			resealed, merr := q.Marshal()
			if merr != nil {
				return
			}
			saved, err = publish.Unmarshal(resealed)
		}
		if err != nil {
			return
		}
		l, r := w.load(t)
		_, err = l.Publish(context.Background(), saved, engine.PublishOptions{})
		if len(r.edits) == 0 {
			if err == nil && saved.HasChanges() {
				t.Fatalf("published with changes, but nothing was applied")
			}
			if diff := cmp.Diff(w.zone, r.RRsets("a.test")); diff != "" {
				t.Fatalf("nothing applied, yet the zone changed (-want +got):\n%s", diff)
			}
			return
		}
		if err != nil {
			t.Fatalf("applied, then failed: %v", err)
		}
		if diff := cmp.Diff(derived.Edits(), r.edits); diff != "" {
			t.Fatalf("applied edits are not the derived plan's (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(derived.Changes, saved.Zones[0].Changes); diff != "" {
			t.Fatalf("applied a plan file that differs from the derived plan (-derived +file):\n%s", diff)
		}
		if diff := cmp.Diff(want, providers.Index(r.RRsets("a.test"))); diff != "" {
			t.Fatalf("the zone after publishing (-want +got):\n%s", diff)
		}
	})
}
