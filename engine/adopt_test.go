package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// adoptZone is poolZone's records already in the zone, typed by hand:
// no ownership markers.
func adoptEnv(t *testing.T) (*env, *topology.Desired) {
	t.Helper()
	e := newEnv(t)
	d := &topology.Desired{Topology: "t", Zones: []*topology.ZoneRecords{poolZone("a.test", "memory.a", 3)}}
	for _, s := range publish.WantFor(d.Zones[0], "t").RRsets {
		if !publish.IsMarker(s.Key()) {
			if _, err := e.mem("memory.a").SetRecords(context.Background(), "a.test.", mustRecords(t, "a.test", s)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return e, d
}

func TestApplyAdoptWritesOnlyMarkers(t *testing.T) {
	e, d := adoptEnv(t)
	before := e.read("memory.a", "a.test")
	l, p := e.plan(d)
	if c := p.Counts(); c != (publish.Counts{Adopt: 4}) {
		t.Fatalf("counts of the adopting plan: %+v, want 4 adoptions (pool and 3 servers) and nothing else", c)
	}
	for _, c := range p.Zones[0].Changes {
		if c.Action != publish.Adopt || c.AdoptMarker == nil {
			t.Errorf("change %s %s: want an adopt carrying its marker", c.Action, c.Key())
		}
	}
	res, err := l.Publish(context.Background(), p, engine.PublishOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&engine.Result{Zones: []engine.ZoneResult{{Zone: "a.test", View: "both", Applied: 4, Total: 4}}}, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	after := e.read("memory.a", "a.test")
	var added []providers.RRset
	held := providers.Index(before)
	for _, s := range after {
		if h, ok := held[s.Key()]; !ok {
			added = append(added, s)
		} else if !h.Equal(s) {
			t.Errorf("adoption changed %s: %v -> %v", s.Key(), h.Values, s.Values)
		}
	}
	if len(added) != 4 {
		t.Errorf("adoption added %d record sets, want the 4 markers: %v", len(added), added)
	}
	for _, s := range added {
		if !publish.IsMarker(s.Key()) {
			t.Errorf("adoption wrote %s, not a marker", s.Key())
		}
	}
	if _, again := e.plan(d); again.HasChanges() {
		t.Fatalf("plan after adopting is not empty: %+v", again.Counts())
	}
}

// A saved adopting plan loads and publishes exactly as a fresh one.
func TestAdoptPlanRoundTrip(t *testing.T) {
	e, d := adoptEnv(t)
	l, p := e.plan(d)
	data, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Zones []struct {
			Changes []map[string]json.RawMessage `json:"changes"`
		} `json:"zones"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	first := doc.Zones[0].Changes[0]
	if string(first["action"]) != `"adopt"` || first["adopt_marker"] == nil || first["before"] == nil || first["after"] == nil {
		t.Errorf("an adopt's JSON: %s", data)
	}
	got, err := publish.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if again, _ := got.Marshal(); !bytes.Equal(data, again) {
		t.Error("marshal, unmarshal, marshal is not byte-identical")
	}
	if _, err := l.Publish(context.Background(), got, engine.PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, again := e.plan(d); again.HasChanges() {
		t.Fatalf("plan after publishing the saved plan: %+v", again.Counts())
	}
}

// An adopted record set changed between plan and publish makes the plan
// stale, as any other change.
func TestAdoptPlanStale(t *testing.T) {
	e, d := adoptEnv(t)
	l, p := e.plan(d)
	if _, err := e.mem("memory.a").SetRecords(context.Background(), "a.test.", mustRecords(t, "a.test", rs("fe1.a.test", "A", 300, "10.0.0.99"))); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Publish(context.Background(), p, engine.PublishOptions{}); !errors.Is(err, engine.ErrStale) {
		t.Fatalf("want a stale plan, got %v", err)
	}
}
