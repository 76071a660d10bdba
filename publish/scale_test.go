package publish_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// prCommentBytes is the default bound of the CLI's Markdown: under GitHub's
// 65,536 characters for a pull-request comment.
const prCommentBytes = 60000

// bigFirstPlan is the first plan of the 1,000-pool workload (12 servers a
// pool: 14,000 record sets, 26,000 records, into an empty zone) and what it was made
// from, built once.
var bigFirstPlan = sync.OnceValues(func() (*publish.Plan, *topology.File) {
	src := enginetest.BigTopology("bench.test", 1000)
	top, diags := topology.Parse([]byte(src), "topology.hcl", topology.Options{})
	if diags.HasErrors() {
		panic(diags.Error())
	}
	d, diags := topology.Compile(top.File)
	if diags.HasErrors() {
		panic(diags.Error())
	}
	return zones{}.plan(d), top.File
})

const fullPlanHint = "the saved plan plan.json (topo plan --out plan.json), or topo plan -o json"

// TestBigPlanGolden: the big workload's first plan, summarised to fit a
// pull-request comment, as text, Markdown and Markdown with its graph.
func TestBigPlanGolden(t *testing.T) {
	p, f := bigFirstPlan()
	d := compileOf(t, f)
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"big.txt", func(b *bytes.Buffer) error {
			return publish.WriteText(b, p, publish.TextOptions{MaxBytes: prCommentBytes, FullPlan: fullPlanHint})
		}},
		{"big.md", func(b *bytes.Buffer) error {
			return publish.WriteMarkdownWith(b, p, publish.MarkdownOptions{MaxBytes: prCommentBytes, FullPlan: fullPlanHint})
		}},
		{"big_graph.md", func(b *bytes.Buffer) error {
			return publish.WriteMarkdownWith(b, p, publish.MarkdownOptions{MaxBytes: prCommentBytes, FullPlan: fullPlanHint, Topology: f, Desired: d})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			if b.Len() > prCommentBytes {
				t.Errorf("%d bytes, over the bound of %d", b.Len(), prCommentBytes)
			}
			out := b.String()
			for _, want := range []string{
				"This plan is too large to show in full (14,000 record set changes in 1 zone and 1,000 notes)",
				"The full plan: " + fullPlanHint,
				"12 servers join p0.bench.test: s0 (10.0.0.1), s1 (10.0.0.2),",
				"more notes",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("lacks %q", want)
				}
			}
			if strings.Contains(out, "[joining] s0 (") || strings.Contains(out, "**joining** s0 (") {
				t.Errorf("a server joining is a note of its own, not one of its pool's")
			}
			if strings.HasSuffix(tc.name, ".md") {
				checkMarkdownTables(t, out)
			}
			golden(t, tc.name, b.Bytes())
		})
	}
}

var mermaidBlock = regexp.MustCompile("(?s)```mermaid\n(.*?)```\n")

// TestMarkdownBounded: whatever the bound, the Markdown (graph included)
// and the text stay under it, measured in bytes; the graph stays under
// Mermaid's limit; a bound the plan fits in changes nothing.
func TestMarkdownBounded(t *testing.T) {
	p, f := bigFirstPlan()
	d := compileOf(t, f)
	small := samplePlan(t)
	var full bytes.Buffer
	if err := publish.WriteMarkdown(&full, small); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		plan  *publish.Plan
		max   int
		graph bool
		// mermaid is set when the graph must be drawn.
		mermaid bool
	}{
		{"the least bound", p, publish.MinMaxBytes, true, false},
		{"10 kB", p, 10000, true, true},
		{"a pull-request comment", p, prCommentBytes, true, true},
		{"a pull-request comment, no graph", p, prCommentBytes, false, false},
		{"a step summary", p, 1 << 20, true, true},
		{"below the least bound: the least bound", p, 100, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := publish.MarkdownOptions{MaxBytes: tc.max, FullPlan: fullPlanHint}
			if tc.graph {
				opts.Topology, opts.Desired = f, d
			}
			var b bytes.Buffer
			if err := publish.WriteMarkdownWith(&b, tc.plan, opts); err != nil {
				t.Fatal(err)
			}
			limit := max(tc.max, publish.MinMaxBytes)
			if b.Len() > limit {
				t.Errorf("Markdown of %d bytes, over the bound of %d", b.Len(), limit)
			}
			checkMarkdownTables(t, b.String())
			m := mermaidBlock.FindStringSubmatch(b.String())
			if tc.mermaid && m == nil {
				t.Errorf("no graph:\n%s", b.String()[max(0, b.Len()-2000):])
			}
			if m != nil && len(m[1]) > topology.MermaidMaxText {
				t.Errorf("the graph is %d bytes, over Mermaid's %d", len(m[1]), topology.MermaidMaxText)
			}
			var text bytes.Buffer
			if err := publish.WriteText(&text, tc.plan, publish.TextOptions{MaxBytes: tc.max, Color: true}); err != nil {
				t.Fatal(err)
			}
			if text.Len() > limit {
				t.Errorf("text of %d bytes, over the bound of %d", text.Len(), limit)
			}
		})
	}
	t.Run("a plan that fits is shown whole", func(t *testing.T) {
		var b bytes.Buffer
		if err := publish.WriteMarkdownWith(&b, small, publish.MarkdownOptions{MaxBytes: prCommentBytes}); err != nil {
			t.Fatal(err)
		}
		if b.String() != full.String() {
			t.Errorf("bounded Markdown of a small plan differs from the whole")
		}
	})
}

func compileOf(t *testing.T, f *topology.File) *topology.Desired {
	t.Helper()
	d, diags := topology.Compile(f)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return d
}

// TestBoundedManyQuietZones: a plan over its bound only because it lists
// many zones without changes is summarised by counting them, and then
// lists all of its one change.
func TestBoundedManyQuietZones(t *testing.T) {
	p := &publish.Plan{FormatVersion: publish.FormatVersion, Kind: publish.PlanKind, Topology: "contoso"}
	for i := range 300 {
		p.Zones = append(p.Zones, publish.ZonePlan{Zone: fmt.Sprintf("z%d.contoso.com", i), View: "internal", Provider: "zonefile.default", Changes: []publish.Change{}})
	}
	a := rs("new.z0.contoso.com", "A", 300, "10.0.0.1")
	p.Zones[0].Changes = []publish.Change{{Action: publish.Create, Name: a.Name, Type: "A", After: &a, Sources: []string{"site.s.pool.p"}}}
	var b bytes.Buffer
	if err := publish.WriteText(&b, p, publish.TextOptions{MaxBytes: publish.MinMaxBytes}); err != nil {
		t.Fatal(err)
	}
	if b.Len() > publish.MinMaxBytes {
		t.Errorf("%d bytes, over %d", b.Len(), publish.MinMaxBytes)
	}
	for _, want := range []string{"299 zones without changes", "+ new.z0.contoso.com A TTL 300", "Plan: 1 to create"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("lacks %q:\n%s", want, b.String())
		}
	}
}
