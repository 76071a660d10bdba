package publish_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/publish"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name.golden, or rewrites it with
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./publish -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); if intended, run go test ./publish -update:\n%s", path, diff)
	}
}

// publishedAt fixes the clock for "takes full effect by" lines.
var publishedAt = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// edgePlan is a hand-made plan with what rendering must handle: values
// Markdown would misread, a create without sources, a TTL change, a
// chunked zone and a zone without changes.
func edgePlan() *publish.Plan {
	txtBefore := rs("_sip._tls.contoso.com", "TXT", 300, "a|b", "keep <me>")
	txtAfter := rs("_sip._tls.contoso.com", "TXT", 60, "keep <me>", "`tick`")
	gone := rs("old.contoso.com", "AAAA", 600, "2001:db8::1")
	m := marker("old.contoso.com", "contoso")
	newA := rs("new.contoso.com", "A", 300, "192.0.2.10")
	return &publish.Plan{
		FormatVersion: publish.FormatVersion, Kind: publish.PlanKind, Topology: "contoso",
		Zones: []publish.ZonePlan{
			{Zone: "contoso.com", View: "external", Provider: "zonefile.default", Fingerprint: "f0", Changes: []publish.Change{}},
			{
				Zone: "contoso.com", View: "internal", Provider: "rfc2136.corp", Fingerprint: "f1", Owned: 3, Chunks: 3,
				Changes: []publish.Change{
					{Action: publish.Update, Name: txtAfter.Name, Type: "TXT", Before: &txtBefore, After: &txtAfter, Sources: []string{"site.a|b.pool.p"}},
					{Action: publish.Create, Name: newA.Name, Type: "A", After: &newA, Sources: []string{"site.s.pool.p.server.`x`", "b", "c", "d", "e"}},
					{Action: publish.Delete, Name: gone.Name, Type: "AAAA", Before: &gone},
					{Action: publish.Delete, Name: m.Name, Type: "TXT", Before: &m, Marker: true},
				},
			},
		},
	}
}

func TestWriteTextGolden(t *testing.T) {
	tests := []struct {
		name string
		plan *publish.Plan
		opts publish.TextOptions
	}{
		{"plan.txt", samplePlan(t), publish.TextOptions{Now: publishedAt}},
		{"plan_color.txt", samplePlan(t), publish.TextOptions{Color: true, Now: publishedAt}},
		{"plan_no_clock.txt", samplePlan(t), publish.TextOptions{}},
		{"edge.txt", edgePlan(), publish.TextOptions{}},
		{"empty.txt", emptyPlan(), publish.TextOptions{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := publish.WriteText(&b, tt.plan, tt.opts); err != nil {
				t.Fatal(err)
			}
			if !tt.opts.Color && strings.Contains(b.String(), "\x1b[") {
				t.Errorf("color codes without Color")
			}
			if tt.opts.Color && !strings.Contains(b.String(), "\x1b[") {
				t.Errorf("no color codes with Color")
			}
			golden(t, tt.name, b.Bytes())
		})
	}
}

func TestWriteMarkdownGolden(t *testing.T) {
	tests := []struct {
		name string
		plan *publish.Plan
	}{
		{"plan.md", samplePlan(t)},
		{"edge.md", edgePlan()},
		{"empty.md", emptyPlan()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := publish.WriteMarkdown(&b, tt.plan); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, b.Bytes())
			checkMarkdownTables(t, b.String())
		})
	}
}

// checkMarkdownTables requires every table row to have its header's
// number of cells: an unescaped | in a value would add one.
func checkMarkdownTables(t *testing.T, md string) {
	t.Helper()
	want := 0
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			want = 0
			continue
		}
		cells := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") - 1
		if want == 0 {
			want = cells
		}
		if cells != want {
			t.Errorf("table row with %d cells, want %d: %s", cells, want, line)
		}
	}
}

func emptyPlan() *publish.Plan {
	return &publish.Plan{
		FormatVersion: publish.FormatVersion, Kind: publish.PlanKind, Topology: "contoso",
		Zones: []publish.ZonePlan{{Zone: "contoso.com", View: "internal", Provider: "zonefile.default", Changes: []publish.Change{}}},
	}
}

func TestRenderDoesNotListMarkers(t *testing.T) {
	p := edgePlan()
	var text, md bytes.Buffer
	publish.WriteText(&text, p, publish.TextOptions{})
	publish.WriteMarkdown(&md, p)
	for _, out := range []string{text.String(), md.String()} {
		if strings.Contains(out, "_topo.old") {
			t.Errorf("an ownership marker is listed:\n%s", out)
		}
		// Counted apart from the record sets (issue 12 item 5).
		if !strings.Contains(out, "1 to create, 1 to update, 1 to delete, plus 1 ownership marker to delete") {
			t.Errorf("markers are not counted apart:\n%s", out)
		}
	}
}

// Values that only differ in TTL still show as kept values.
func TestWriteTextTTLChange(t *testing.T) {
	b, a := rs("pool.contoso.com", "A", 300, "10.0.0.1"), rs("pool.contoso.com", "A", 60, "10.0.0.1")
	p := &publish.Plan{Zones: []publish.ZonePlan{{Zone: "contoso.com", View: "internal", Provider: "p", Changes: []publish.Change{
		{Action: publish.Update, Name: a.Name, Type: "A", Before: &b, After: &a, Sources: []string{"site.s.pool.p"}},
	}}}}
	var out bytes.Buffer
	publish.WriteText(&out, p, publish.TextOptions{})
	want := "  ~ pool.contoso.com A TTL 300 -> 60\n        10.0.0.1\n      from site.s.pool.p\n"
	if !strings.Contains(out.String(), want) {
		t.Errorf("TTL change not shown as %q:\n%s", want, out.String())
	}
}

// Values are shown in number order, and changes in DNS canonical order
// (by label from the right), whatever order the RRset holds them in.
func TestRenderOrder(t *testing.T) {
	b := rs("pool.contoso.com", "A", 300, "10.0.0.10", "10.0.0.9")
	a := rs("pool.contoso.com", "A", 300, "10.0.0.10", "10.0.0.2", "10.0.0.9")
	p := &publish.Plan{Zones: []publish.ZonePlan{{Zone: "contoso.com", View: "internal", Provider: "p", Changes: []publish.Change{
		{Action: publish.Update, Name: a.Name, Type: "A", Before: &b, After: &a, Sources: []string{"site.s.pool.p"}},
	}}}}
	var out bytes.Buffer
	publish.WriteText(&out, p, publish.TextOptions{})
	want := "      + 10.0.0.2\n        10.0.0.9\n        10.0.0.10\n"
	if !strings.Contains(out.String(), want) {
		t.Errorf("values not in number order %q:\n%s", want, out.String())
	}
	var md bytes.Buffer
	publish.WriteMarkdown(&md, p)
	if want := "+ 10.0.0.2<br>10.0.0.9<br>10.0.0.10"; !strings.Contains(md.String(), want) {
		t.Errorf("Markdown values not in number order %q:\n%s", want, md.String())
	}
}
