package topology_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/topology"
)

var mermaidEdge = regexp.MustCompile(`(?m)^  \S+ (-->|-\.->|-\.-|==>)`)

func focused(t *testing.T, f *topology.File, d *topology.Desired, fo topology.Focus) (string, topology.Focused) {
	t.Helper()
	var b bytes.Buffer
	res, err := topology.WriteMermaidFocused(&b, f, d, fo)
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if _, err := topology.WriteMermaidFocused(&again, f, d, fo); err != nil || again.String() != b.String() {
		t.Fatalf("two runs on the same input differ (%v)", err)
	}
	if b.Len() > 0 {
		checkMermaid(t, b.String())
	}
	return b.String(), res
}

// TestGraphFocused: a plan's graph draws only the pools the plan touches,
// and fits Mermaid's limits by collapsing active servers, then by drawing
// the first pools only.
func TestGraphFocused(t *testing.T) {
	contoso, contosoD := graphCompile(t, graphCases[0].path)
	life, lifeD := graphCompile(t, graphCases[1].path)
	names := func(n ...string) map[string]bool {
		m := map[string]bool{}
		for _, s := range n {
			m[s] = true
		}
		return m
	}
	for _, tc := range []struct {
		name     string
		f        *topology.File
		d        *topology.Desired
		focus    topology.Focus
		want     topology.Focused
		has, not []string
	}{
		{"one pool touched: only it and its zone", contoso, contosoD, topology.Focus{Names: names("pool02.contoso.com")},
			topology.Focused{Groups: 1, Shown: 1},
			[]string{`pool_dublin_pool02["pool02`, `srv_dublin_pool02_fe01(`, "zone_contoso_com_internal", "topology contoso (sfb2015), what the plan changes"},
			[]string{"pool_redmond_pool01", "dir01", "site_redmond"}},
		{"a server's own name touches its pool", contoso, contosoD, topology.Focus{Names: names("fe12.contoso.com")},
			topology.Focused{Groups: 1, Shown: 1},
			[]string{"pool_redmond_pool01", `srv_redmond_pool01_fe12(`},
			[]string{"pool_dublin_pool02", "dir01"}},
		{"a name outside the topology touches nothing", contoso, contosoD, topology.Focus{Names: names("gone.contoso.com")},
			topology.Focused{}, nil, []string{"flowchart"}},
		{"nil names draw every pool", contoso, contosoD, topology.Focus{},
			topology.Focused{Groups: 3, Shown: 3},
			[]string{"pool_redmond_pool01", "pool_redmond_dir01", "pool_dublin_pool02"}, nil},
		{"too large: active servers as one node, draining and offline apart", life, lifeD, topology.Focus{MaxText: 3600},
			topology.Focused{Groups: 2, Shown: 2, Collapsed: true},
			[]string{`"3 active servers"`, `srv_hq_main_1_co_pool_a_fe_3(`, `srv_hq_main_1_co_pool_a_fe_4(`, `==>|"2 A, AAAA"|`},
			[]string{`srv_hq_main_1_co_pool_a_fe_1(`}},
		{"too many edges: the first pools only", contoso, contosoD, topology.Focus{MaxEdges: 20},
			topology.Focused{Groups: 3, Shown: 2, Collapsed: true},
			[]string{"pool_redmond_pool01", "pool_redmond_dir01", `"and 1 more pool this plan changes, not drawn"`},
			[]string{"pool_dublin_pool02"}},
		{"nothing fits: nothing written", contoso, contosoD, topology.Focus{MaxText: 100},
			topology.Focused{Groups: 3}, nil, []string{"flowchart"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, res := focused(t, tc.f, tc.d, tc.focus)
			if diff := cmp.Diff(tc.want, res); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			for _, s := range tc.has {
				if !strings.Contains(out, s) {
					t.Errorf("lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(out, s) {
					t.Errorf("has %q:\n%s", s, out)
				}
			}
			max, maxEdges := tc.focus.MaxText, tc.focus.MaxEdges
			if max == 0 {
				max = topology.MermaidMaxText
			}
			if maxEdges == 0 {
				maxEdges = topology.MermaidMaxEdges
			}
			if len(out) > max || len(mermaidEdge.FindAllString(out, -1)) > maxEdges {
				t.Errorf("%d bytes and %d edges, over %d and %d", len(out), len(mermaidEdge.FindAllString(out, -1)), max, maxEdges)
			}
		})
	}
}

// TestGraphFocusedBig: the 1,000-pool topology, all of it touched (its
// first plan), fits Mermaid's limits; today's whole graph is 50 times too
// large.
func TestGraphFocusedBig(t *testing.T) {
	src := enginetest.BigTopology("bench.test", 1000)
	top, diags := topology.Parse([]byte(src), "bench.hcl", topology.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	d, diags := topology.Compile(top.File)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	out, res := focused(t, top.File, d, topology.Focus{})
	edges := len(mermaidEdge.FindAllString(out, -1))
	if len(out) > topology.MermaidMaxText || edges > topology.MermaidMaxEdges {
		t.Errorf("%d bytes and %d edges, over Mermaid's %d and %d", len(out), edges, topology.MermaidMaxText, topology.MermaidMaxEdges)
	}
	if res.Groups != 1000 || res.Shown == 0 || res.Shown >= 1000 || !res.Collapsed {
		t.Errorf("result %+v, want 1000 groups, some shown, collapsed", res)
	}
	if want := "more pools this plan changes, not drawn"; !strings.Contains(out, want) {
		t.Errorf("does not say how many pools are left out (%q)", want)
	}
	t.Logf("%d of %d pools drawn: %d bytes, %d edges", res.Shown, res.Groups, len(out), edges)
}
