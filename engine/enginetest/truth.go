package enginetest

import (
	"context"
	"errors"
	"testing"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// RequireTruth checks the report of a publish that failed part way
// against what the zones hold, read through truth (a provider that reaches
// the server directly, not through the fault that broke the publish): a
// change reported applied holds its After, one not applied its Before, and
// exactly wantUnknown are unknown. It returns the failed zone's result.
func RequireTruth(t testing.TB, p *publish.Plan, res *engine.Result, err error, truth providers.Provider, wantUnknown int) engine.ZoneResult {
	t.Helper()
	var ae *engine.ApplyError
	if !errors.As(err, &ae) {
		t.Fatalf("want an *engine.ApplyError, got %v", err)
	}
	if res == nil || ae.Result != res {
		t.Fatalf("the error's result is not the one returned")
	}
	var failed engine.ZoneResult
	i := 0
	for _, zp := range p.Zones {
		if len(zp.Changes) == 0 {
			continue
		}
		if i >= len(res.Zones) {
			t.Fatalf("zone %s is missing from the result", zp.ID())
		}
		zr := res.Zones[i]
		i++
		if zr.Zone != zp.Zone || zr.View != zp.View || zr.Total != len(zp.Changes) {
			t.Fatalf("result %d is %+v, want zone %s with %d changes", i, zr, zp.ID(), len(zp.Changes))
		}
		if zr.Applied+zr.NotApplied+zr.Unknown != zr.Total {
			t.Errorf("zone %s: %d applied + %d not applied + %d unknown is not %d", zp.ID(), zr.Applied, zr.NotApplied, zr.Unknown, zr.Total)
		}
		sets, rerr := engine.ReadZone(context.Background(), truth, zp.Zone)
		if rerr != nil {
			t.Fatalf("read zone %s to check the report: %v", zp.ID(), rerr)
		}
		now := providers.Index(sets)
		outcome := func(j int) engine.Outcome {
			switch {
			case zr.Error != "":
				return zr.Changes[j].Outcome
			case zr.Applied == zr.Total:
				return engine.Applied
			case zr.NotApplied == zr.Total:
				return engine.NotApplied
			}
			t.Fatalf("zone %s did not fail, yet is neither applied whole nor untouched: %+v", zp.ID(), zr)
			return ""
		}
		if zr.Error != "" {
			failed = zr
			if len(zr.Changes) != len(zp.Changes) {
				t.Fatalf("zone %s failed with %d outcomes for %d changes", zp.ID(), len(zr.Changes), len(zp.Changes))
			}
			if zr.Unknown != wantUnknown {
				t.Errorf("zone %s: %d unknown, want %d", zp.ID(), zr.Unknown, wantUnknown)
			}
		}
		for j, c := range zp.Changes {
			have, exists := now[c.Key()]
			holds := func(want *providers.RRset) bool {
				if want == nil {
					return !exists
				}
				return exists && have.Equal(*want)
			}
			switch o := outcome(j); {
			case o == engine.Applied && !holds(c.After),
				o == engine.NotApplied && !holds(c.Before):
				t.Errorf("zone %s: %s %s reported %s, but the server holds %v (exists %v); before %v, after %v", zp.ID(), c.Name, c.Type, o, have.Values, exists, c.Before, c.After)
			case o == engine.Unknown && zr.ReadError == "" && (holds(c.After) || holds(c.Before)):
				t.Errorf("zone %s: %s %s reported unknown, but the zone read again showed it", zp.ID(), c.Name, c.Type)
			}
		}
	}
	if failed.Error == "" {
		t.Fatalf("no zone of the result failed: %+v", res)
	}
	return failed
}

// Converge publishes a fresh plan of d through prov (the only provider of
// its zones) and requires a plan after it to be empty: what a re-run of a
// failed publish does.
func Converge(t testing.TB, d *topology.Desired, prov providers.Provider) {
	t.Helper()
	ctx := context.Background()
	resolve := func(string, string) (providers.Provider, error) { return prov, nil }
	l := engine.FromDesired(publish.Source{Desired: d, File: "topology.hcl"}, resolve)
	p, err := l.Plan(ctx)
	if err != nil || !p.Applyable() {
		t.Fatalf("plan again: %v %v", err, p.Err())
	}
	if _, err := l.Publish(ctx, p, engine.PublishOptions{AllowMassChange: true}); err != nil {
		t.Fatalf("publish again: %v", err)
	}
	last, err := engine.FromDesired(publish.Source{Desired: d, File: "topology.hcl"}, resolve).Plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if last.HasChanges() {
		t.Fatalf("not converged: a plan after publishing again has %+v", last.Counts())
	}
}
