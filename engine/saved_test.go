package engine_test

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/zonefile"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// structuredZone is what zone a.test holds besides topo's records: its
// name server inside the zone, a delegation with glue, and somebody's A.
func structuredZone() []providers.RRset {
	return []providers.RRset{
		rs("a.test", "SOA", 3600, "ns1.a.test. hostmaster.a.test. 1 3600 600 86400 300"),
		rs("a.test", "NS", 3600, "ns1.a.test."),
		rs("ns1.a.test", "A", 3600, "192.0.2.53"),
		rs("sub.a.test", "NS", 3600, "ns.sub.a.test."),
		rs("ns.sub.a.test", "A", 3600, "192.0.2.54"),
		rs("other.a.test", "A", 600, "192.0.2.1"),
	}
}

// seed puts sets into a memory provider's zone.
func (e *env) seed(ref, zone string, sets ...providers.RRset) {
	e.t.Helper()
	if _, err := e.mem(ref).SetRecords(context.Background(), zone+".", mustRecords(e.t, zone, sets...)); err != nil {
		e.t.Fatal(err)
	}
}

// resave is what a person (or a tool) who edits a saved plan does: read
// it, change it, write it again with a checksum that matches, as anyone
// can compute one. What is left to catch the edit is the re-derivation.
func resave(t *testing.T, p *publish.Plan, edit func(*publish.Plan)) *publish.Plan {
	t.Helper()
	data, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var q publish.Plan
	if err := json.Unmarshal(data, &q); err != nil {
		t.Fatal(err)
	}
	edit(&q)
	if data, err = q.Marshal(); err != nil {
		t.Fatal(err)
	}
	out, err := publish.Unmarshal(data)
	if err != nil {
		t.Fatalf("the edited plan, with its checksum made again, is refused as a file: %v", err)
	}
	return out
}

func TestPublishKeepsZoneStructure(t *testing.T) {
	for _, mode := range []topology.Ownership{topology.OwnershipExclusive, topology.OwnershipShared} {
		t.Run(string(mode), func(t *testing.T) {
			e := newEnv(t)
			e.seed("memory.a", "a.test", structuredZone()...)
			zr := poolZone("a.test", "memory.a", 3)
			zr.Ownership = mode
			d := &topology.Desired{Topology: "t", Zones: []*topology.ZoneRecords{zr}}
			l, p := e.plan(d)
			if _, err := l.Publish(context.Background(), p, engine.PublishOptions{}); err != nil {
				t.Fatal(err)
			}
			got := providers.Index(e.read("memory.a", "a.test"))
			keep := structuredZone()
			if mode == topology.OwnershipExclusive {
				keep = keep[:len(keep)-1] // other.a.test A is topo's in an exclusive zone
				if _, ok := got[providers.Key{Name: "other.a.test", Type: "A"}]; ok {
					t.Errorf("exclusive: other.a.test A was not deleted")
				}
			}
			for _, s := range keep {
				if g, ok := got[s.Key()]; !ok || !g.Equal(s) {
					t.Errorf("%s: %v, want %v", s.Key(), g, s)
				}
			}
			if ps := publish.CheckZone("a.test", e.read("memory.a", "a.test")); len(ps) > 0 {
				t.Errorf("the zone after publishing: %v", ps)
			}
			if _, again := e.plan(d); again.HasChanges() {
				t.Errorf("not converged: %+v", again.Counts())
			}
		})
	}
}

// savedPlan publishes a 3-server pool into a.test beside structuredZone,
// then plans a fourth server: the plan a test edits.
func savedPlan(t *testing.T, servers int) (*env, *topology.Desired, *publish.Plan) {
	e := newEnv(t)
	e.seed("memory.a", "a.test", structuredZone()...)
	first := &topology.Desired{Topology: "t", Zones: []*topology.ZoneRecords{poolZone("a.test", "memory.a", servers)}}
	l, p := e.plan(first)
	if _, err := l.Publish(context.Background(), p, engine.PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	d := &topology.Desired{Topology: "t", Zones: []*topology.ZoneRecords{poolZone("a.test", "memory.a", servers+1)}}
	_, p = e.plan(d)
	return e, d, p
}

func TestPublishVerifiesSavedPlan(t *testing.T) {
	del := func(s providers.RRset) func(*publish.Plan) {
		return func(p *publish.Plan) {
			z := &p.Zones[0]
			z.Changes = append([]publish.Change{{Action: publish.Delete, Name: s.Name, Type: s.Type, Before: &s}}, z.Changes...)
		}
	}
	tests := []struct {
		name string
		// servers in the pool published first (the plan adds one).
		servers int
		edit    func(*publish.Plan)
		// want is what the refusal says; is the error it wraps.
		want []string
		is   error
	}{
		{
			name:    "an edited plan deletes an unowned A",
			servers: 3,
			edit:    del(rs("other.a.test", "A", 600, "192.0.2.1")),
			want:    []string{"zone a.test (both), other.a.test A", "the plan file says delete (TTL 600: 192.0.2.1)", "topo derives no change"},
			is:      engine.ErrPlanMismatch,
		},
		{
			name:    "an edited plan deletes a delegation",
			servers: 3,
			edit:    del(rs("sub.a.test", "NS", 3600, "ns.sub.a.test.")),
			want:    []string{"sub.a.test NS", "delete (TTL 3600: ns.sub.a.test.)", "no change"},
			is:      engine.ErrPlanMismatch,
		},
		{
			name:    "an edited plan deletes the name server's address",
			servers: 3,
			edit:    del(rs("ns1.a.test", "A", 3600, "192.0.2.53")),
			want:    []string{"ns1.a.test A", "no change"},
			is:      engine.ErrPlanMismatch,
		},
		{
			name:    "an edited plan writes another address",
			servers: 3,
			edit: func(p *publish.Plan) {
				for i, c := range p.Zones[0].Changes {
					if c.Name == "pool.a.test" {
						p.Zones[0].Changes[i].After.Values = []string{"192.0.2.66"}
					}
				}
			},
			want: []string{"pool.a.test A", "update (TTL 300: 10.0.0.11 10.0.0.12 10.0.0.13 -> TTL 300: 192.0.2.66)", "update (TTL 300: 10.0.0.11 10.0.0.12 10.0.0.13 -> TTL 300: 10.0.0.11 10.0.0.12 10.0.0.13 10.0.0.14)"},
			is:   engine.ErrPlanMismatch,
		},
		{
			name:    "an edited plan drops a change",
			servers: 3,
			edit:    func(p *publish.Plan) { p.Zones[0].Changes = p.Zones[0].Changes[1:] },
			want:    []string{"the plan file says no change", "topo derives create"},
			is:      engine.ErrPlanMismatch,
		},
		{
			name:    "a path-escaping view",
			servers: 3,
			edit:    func(p *publish.Plan) { p.Zones[0].View = "x/../../../escaped" },
			want:    []string{`view "x/../../../escaped"`, "a view is internal, external or both", "edited"},
			is:      engine.ErrPlanMismatch,
		},
		{
			name:    "a zone the topology does not declare",
			servers: 3,
			edit:    func(p *publish.Plan) { p.Zones[0].Zone = "b.test" },
			want:    []string{`zone "b.test"`, "zone 1 of the topology is a.test (both)"},
			is:      engine.ErrPlanMismatch,
		},
		{
			name:    "a zone name with a path",
			servers: 3,
			edit:    func(p *publish.Plan) { p.Zones[0].Zone = "../../a.test" },
			want:    []string{`zone "../../a.test"`, "not a zone name"},
			is:      engine.ErrPlanMismatch,
		},
		{
			name:    "another ownership mode",
			servers: 3,
			edit:    func(p *publish.Plan) { p.Zones[0].Ownership = "exclusive" },
			want:    []string{`ownership "exclusive"`, `"shared"`},
			is:      engine.ErrPlanMismatch,
		},
		{
			name:    "a zone the topology declares left out",
			servers: 3,
			edit:    func(p *publish.Plan) { p.Zones = p.Zones[:0] },
			want:    []string{"the topology declares it, the plan does not list it"},
			is:      engine.ErrPlanMismatch,
		},
		{
			// 11 servers published, 5 deleted of 23 owned would pass at 30%;
			// the plan deletes 6 of 12 addresses: over the topology's limit.
			name:    "max_change raised in the file",
			servers: 11,
			edit: func(p *publish.Plan) {
				p.Zones[0].MaxChange = 1
				for i := 1; i <= 6; i++ {
					s := rs(sprintf("fe%d.a.test", i), "A", 300, sprintf("10.0.0.%d", 10+i))
					p.Zones[0].Changes = append(p.Zones[0].Changes, publish.Change{Action: publish.Delete, Name: s.Name, Type: "A", Before: &s})
				}
			},
			want: []string{"refusing a mass change", "limit 30%"},
		},
		{
			name:    "owned raised in the file",
			servers: 11,
			edit: func(p *publish.Plan) {
				p.Zones[0].Owned = 1000
			},
			want: []string{"owned", "the plan file says 1000, topo derives 12"},
			is:   engine.ErrPlanMismatch,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, d, p := savedPlan(t, tt.servers)
			before := e.read("memory.a", "a.test")
			edited := resave(t, p, tt.edit)
			l := e.load(d)
			_, err := l.Publish(context.Background(), edited, engine.PublishOptions{})
			if err == nil {
				t.Fatal("the edited plan was published")
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("the refusal does not say %q:\n%v", s, err)
				}
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(err, %v) is false: %v", tt.is, err)
			}
			if diff := cmp.Diff(before, e.read("memory.a", "a.test")); diff != "" {
				t.Errorf("a refused publish changed the zone (-before +after):\n%s", diff)
			}
			// The plan as made is published.
			if tt.is == engine.ErrPlanMismatch {
				if _, err := e.load(d).Publish(context.Background(), p, engine.PublishOptions{}); err != nil {
					t.Errorf("the plan as topo made it: %v", err)
				}
			}
		})
	}
}

// A plan file whose conflicts were taken out is refused: the plan topo
// derives has them.
func TestPublishRefusesPlanWithoutItsConflicts(t *testing.T) {
	e, d, _ := savedPlan(t, 3)
	// Somebody's record where the fourth server goes.
	e.seed("memory.a", "a.test", rs("fe4.a.test", "A", 600, "192.0.2.99"))
	p, err := e.load(d).Plan(context.Background())
	if err != nil || p.Applyable() {
		t.Fatalf("want a plan with a conflict: %v %v", err, p.Conflicts)
	}
	before := e.read("memory.a", "a.test")
	edited := resave(t, p, func(p *publish.Plan) { p.Conflicts = nil })
	_, err = e.load(d).Publish(context.Background(), edited, engine.PublishOptions{})
	var ce *publish.ConflictError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "fe4.a.test A") {
		t.Fatalf("want a *publish.ConflictError naming fe4.a.test A, got %v", err)
	}
	if diff := cmp.Diff(before, e.read("memory.a", "a.test")); diff != "" {
		t.Errorf("a refused publish changed the zone (-before +after):\n%s", diff)
	}
}

// A plan naming a view that escapes the zone directory writes nothing
// anywhere, with the zone file provider that would have taken the path.
func TestPublishRefusesEscapingView(t *testing.T) {
	root := t.TempDir()
	base := filepath.Join(root, "a", "b", "c", "topology")
	prov := zonefile.New(base)
	resolve := func(_, view string) (providers.Provider, error) { return prov.ForView(view), nil }
	src := func(d *topology.Desired) publish.Source {
		return publish.Source{Desired: d, File: "topology.hcl", SHA256: "0123"}
	}
	zr := poolZone("a.test", "zonefile.default", 3)
	zr.View = "internal"
	d := &topology.Desired{Topology: "t", Zones: []*topology.ZoneRecords{zr}}
	l := engine.FromDesired(src(d), resolve)
	p, err := l.Plan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	edited := resave(t, p, func(p *publish.Plan) { p.Zones[0].View = "x/../../../escaped" })
	files := func() []string {
		var out []string
		filepath.WalkDir(root, func(path string, de fs.DirEntry, err error) error {
			if err == nil && !de.IsDir() {
				out = append(out, path)
			}
			return nil
		})
		return out
	}
	before := files()
	_, err = engine.FromDesired(src(d), resolve).Publish(context.Background(), edited, engine.PublishOptions{})
	var ze *engine.PlanZoneError
	if !errors.As(err, &ze) {
		t.Fatalf("want a *engine.PlanZoneError, got %v", err)
	}
	if diff := cmp.Diff(before, files()); diff != "" {
		t.Errorf("files written (-before +after):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(base, "zones", "a.test.internal.zone")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the zone file was written: %v", err)
	}
}

// A plan file cut short or changed by hand is named as such by LoadPlan,
// before the topology is even read.
func TestLoadPlanRefusesEditedFile(t *testing.T) {
	_, _, p := savedPlan(t, 3)
	data, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data string
	}{
		{"truncated", string(data[:len(data)*2/3])},
		{"checksum mismatch", strings.Replace(string(data), `"10.0.0.14"`, `"192.0.2.66"`, 1)},
		{"no checksum", string(data[:strings.Index(string(data), `,
  "checksum"`)]) + "\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.data == string(data) {
				t.Fatal("not edited")
			}
			_, _, err := engine.LoadPlan(filepath.Join(t.TempDir(), "plan.json"), []byte(tt.data), engine.LoadOptions{})
			if !errors.Is(err, publish.ErrPlanEdited) {
				t.Fatalf("want ErrPlanEdited, got %v", err)
			}
			if !strings.Contains(err.Error(), "the plan file was edited or truncated after topo wrote it") {
				t.Errorf("error: %v", err)
			}
		})
	}
}
