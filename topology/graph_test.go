package topology_test

import (
	"bytes"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/topology"
)

// update rewrites the package's golden files under testdata/, as every
// package's -update does:
//
//	go test ./... -update
var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// graphCases are the topologies drawn by the golden tests: the example
// deployment, and one with every state, a hardware load balancer, IPv6 and
// names that need escaping.
var graphCases = []struct{ name, path string }{
	{"contoso", filepath.Join("..", "examples", "contoso", "topology.hcl")},
	{"lifecycle", filepath.Join("testdata", "graph", "lifecycle.hcl")},
	{"edge", filepath.Join("testdata", "graph", "edge.hcl")},
	{"reference", filepath.Join("..", "examples", "reference", "topology.hcl")},
	{"northwind", filepath.Join("..", "examples", "northwind", "topology.hcl")},
}

var graphFormats = []struct {
	ext   string
	write func(io.Writer, *topology.File, *topology.Desired) error
}{
	{"mmd", topology.WriteMermaid},
	{"dot", topology.WriteDOT},
}

func graphCompile(t *testing.T, path string) (*topology.File, *topology.Desired) {
	t.Helper()
	tp, diags := topology.Load(path, topology.Options{LookupEnv: func(string) (string, bool) { return "", false }})
	if diags.HasErrors() {
		t.Fatalf("load %s: %v", path, diags)
	}
	d, diags := topology.Compile(tp.File)
	if diags.HasErrors() {
		t.Fatalf("compile %s: %v", path, diags)
	}
	return tp.File, d
}

func graphRender(t *testing.T, write func(io.Writer, *topology.File, *topology.Desired) error, f *topology.File, d *topology.Desired) string {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b, f, d); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestGraphGolden(t *testing.T) {
	for _, c := range graphCases {
		f, d := graphCompile(t, c.path)
		for _, format := range graphFormats {
			t.Run(c.name+"."+format.ext, func(t *testing.T) {
				got := graphRender(t, format.write, f, d)
				if again := graphRender(t, format.write, f, d); again != got {
					t.Fatalf("output differs between two runs on the same input")
				}
				golden := filepath.Join("testdata", "graph", c.name+"."+format.ext+".golden")
				if *update {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./topology -run Graph -update)", err)
				}
				if diff := cmp.Diff(string(want), got); diff != "" {
					t.Errorf("%s mismatch (-want +got):\n%s", golden, diff)
				}
			})
		}
	}
}

// TestGraphMermaidSyntax checks what keeps a Mermaid flowchart parseable
// without running Mermaid: plain IDs, every label quoted with no raw quote
// inside, balanced subgraphs, known statements only.
func TestGraphMermaidSyntax(t *testing.T) {
	for _, c := range graphCases {
		t.Run(c.name, func(t *testing.T) {
			f, d := graphCompile(t, c.path)
			checkMermaid(t, graphRender(t, topology.WriteMermaid, f, d))
		})
	}
}

var mermaidStatements = func() []*regexp.Regexp {
	id := `[A-Za-z][A-Za-z0-9_]*`
	str := `"[^"]*"`
	return []*regexp.Regexp{
		regexp.MustCompile(`^flowchart LR$`),
		regexp.MustCompile(`^  %% .*$`),
		regexp.MustCompile(`^  subgraph ` + id + ` \[` + str + `\]$`),
		regexp.MustCompile(`^  end$`),
		regexp.MustCompile(`^ {2,4}` + id + `(\[|\(|\{\{|\[\()` + str + `(\]|\)|\}\}|\)\])$`),
		regexp.MustCompile(`^  ` + id + ` (-->|-\.->|-\.-|==>)(\|` + str + `\|)? ` + id + `$`),
		regexp.MustCompile(`^  linkStyle [0-9]+(,[0-9]+)* [a-z-]+:[^;]+$`),
		regexp.MustCompile(`^  classDef [a-z]+ [a-z-]+:[^;]+$`),
		regexp.MustCompile(`^  class ` + id + `(,` + id + `)* [a-z]+$`),
	}
}()

// checkMermaid requires every line of a flowchart to be a statement the
// writer should emit, and subgraphs to be balanced.
func checkMermaid(t *testing.T, out string) {
	t.Helper()
	depth := 0
lines:
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "  subgraph "):
			depth++
		case line == "  end":
			depth--
		}
		for _, re := range mermaidStatements {
			if re.MatchString(line) {
				continue lines
			}
		}
		t.Errorf("line %d is not a statement this writer should emit: %q", i+1, line)
	}
	if depth != 0 {
		t.Errorf("unbalanced subgraph/end: depth %d at the end", depth)
	}
}

// TestGraphShows pins what the picture must say about each kind of node,
// independent of layout details the golden files also fix.
func TestGraphShows(t *testing.T) {
	f, d := graphCompile(t, graphCases[1].path)
	mmd := graphRender(t, topology.WriteMermaid, f, d)
	dot := graphRender(t, topology.WriteDOT, f, d)
	for _, tc := range []struct {
		name, out, want string
	}{
		{"mermaid escapes a site name", mmd, `subgraph site_hq_main_1_co ["site hq #quot;main#quot; #lt;#35;1#gt; #amp; co"]`},
		{"dot escapes a site name", dot, `label="site hq \"main\" <#1> & co";`},
		{"mermaid draining edge is dashed", mmd, `pool_hq_main_1_co_pool_a -.->|"draining"| srv_hq_main_1_co_pool_a_fe_3`},
		{"mermaid offline edge is dotted", mmd, `pool_hq_main_1_co_pool_a -.-|"offline"| srv_hq_main_1_co_pool_a_fe_4`},
		{"dot offline server struck through", dot, `<B><S>fe-4</S></B>`},
		{"dot draining server dashed", dot, `srv_hq_main_1_co_pool_a_fe_3 [shape=box, style="rounded,filled,dashed,bold"`},
		{"hardware LB VIP", mmd, `pool_branch_med -->|"hardware LB"| hlb_branch_med`},
		{"HLB pool FQDN lands in zone", mmd, `pool_branch_med ==>|"A"| zone_fabrikam_com_both`},
		{"pool FQDN counts active servers of both families", mmd, `pool_hq_main_1_co_pool_a ==>|"2 A, AAAA"| zone_fabrikam_com_both`},
		{"draining server keeps its own record", mmd, `srv_hq_main_1_co_pool_a_fe_3 ==>|"A"| zone_fabrikam_com_both`},
		{"external web FQDN in the external zone", mmd, `webext_hq_main_1_co_pool_a ==>|"A"| zone_edge_fabrikam_com_external`},
	} {
		if !strings.Contains(tc.out, tc.want) {
			t.Errorf("%s: output lacks %q", tc.name, tc.want)
		}
	}
	// An offline server has no record, so no edge into a zone.
	for _, out := range []string{mmd, dot} {
		if regexp.MustCompile(`srv_\w+_fe_4 (==>|->)`).MatchString(out) {
			t.Errorf("offline server fe-4 has an edge out of it:\n%s", out)
		}
	}
}

// TestGraphOtherNames: a record whose name no pool, server or web node
// stands for (SRV records, say) still lands in its zone, drawn beside the
// pool its source names.
// TestGraphEdge: an Edge pool's external interface is drawn, one node a
// service, with its records in the external zone; each server shows its
// external addresses.
func TestGraphEdge(t *testing.T) {
	f, d := graphCompile(t, graphCases[2].path)
	mmd := graphRender(t, topology.WriteMermaid, f, d)
	for _, tc := range []struct{ name, want string }{
		{"Access Edge node", `edgeext_perimeter_dns_access{{"Access Edge (external)<br>sip.contoso.com<br>DNS load balancing: one address a server"}}`},
		{"A/V Edge node behind a hardware load balancer", `edgeext_perimeter_hlb_av{{"A/V Edge (external)<br>av2.contoso.com<br>VIP 131.107.156.30"}}`},
		{"pool to its external interface", `pool_perimeter_dns -->|"external"| edgeext_perimeter_dns_webconf`},
		{"DNS load balancing: one record per active server", `edgeext_perimeter_dns_access ==>|"A"| zone_contoso_com_external`},
		{"hardware load balancing: the VIP's record", `edgeext_perimeter_hlb_access ==>|"A"| zone_contoso_com_external`},
		{"server lines show NAT", `access 10.45.16.10 (NAT 131.107.155.10)`},
		{"server lines without NAT", `av 131.107.156.31`},
	} {
		if !strings.Contains(mmd, tc.want) {
			t.Errorf("%s: output lacks %q", tc.name, tc.want)
		}
	}
}

// TestGraphPairsAndFarms: a disaster recovery pair is one dashed edge
// between the two pools, an Office Online Server farm a node with its
// records.
func TestGraphPairsAndFarms(t *testing.T) {
	f, d := graphCompile(t, graphCases[4].path)
	mmd := graphRender(t, topology.WriteMermaid, f, d)
	dot := graphRender(t, topology.WriteDOT, f, d)
	for _, tc := range []struct{ name, out, want string }{
		{"mermaid pair", mmd, `pool_seattle_pool01 -.-|"backup pool"| pool_denver_pool02`},
		{"dot pair both ways", dot, `pool_seattle_pool01 -> pool_denver_pool02 [label="backup pool", style=dashed, dir=both`},
		{"Standard Edition server", mmd, `pool_portland_se01["se01<br>pdx-se01.northwind.com<br>Standard Edition server`},
	} {
		if !strings.Contains(tc.out, tc.want) {
			t.Errorf("%s: output lacks %q", tc.name, tc.want)
		}
	}
	if n := strings.Count(mmd, `"backup pool"`); n != 1 {
		t.Errorf("%d pairing edges, want 1", n)
	}
	f, d = graphCompile(t, graphCases[3].path)
	mmd = graphRender(t, topology.WriteMermaid, f, d)
	for _, want := range []string{
		`oos_redmond_owa{{"Office Online Server owa<br>owa.contoso.com<br>VIP 192.168.1.5<br>external owa.contoso.com via reverse proxy 131.107.155.1"}}`,
		`oos_redmond_owa ==>|"A"| zone_contoso_com_external`,
		`oos_redmond_owa ==>|"A"| zone_contoso_com_internal`,
	} {
		if !strings.Contains(mmd, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

func TestGraphOtherNames(t *testing.T) {
	f, d := graphCompile(t, graphCases[1].path)
	for _, z := range d.Zones {
		if z.Zone == "fabrikam.com" {
			z.Records = append(z.Records, topology.Record{Name: "_sipinternaltls._tcp.fabrikam.com", Type: "SRV", Source: "site.branch.pool.med.sip"})
		}
	}
	mmd := graphRender(t, topology.WriteMermaid, f, d)
	for _, want := range []string{
		"    name_sipinternaltls_tcp_fabrikam_com[\"_sipinternaltls._tcp.fabrikam.com\"]\n  end\n  subgraph zones",
		"  pool_branch_med --> name_sipinternaltls_tcp_fabrikam_com\n",
		"  name_sipinternaltls_tcp_fabrikam_com ==>|\"SRV\"| zone_fabrikam_com_both\n",
	} {
		if !strings.Contains(mmd, want) {
			t.Errorf("output lacks %q:\n%s", want, mmd)
		}
	}
}

func TestGraphWithoutDesired(t *testing.T) {
	f, _ := graphCompile(t, graphCases[0].path)
	for _, format := range graphFormats {
		out := graphRender(t, format.write, f, nil)
		if strings.Contains(out, "zone_") {
			t.Errorf("%s without a compiled topology still draws zones:\n%s", format.ext, out)
		}
	}
	if err := topology.WriteMermaid(io.Discard, nil, nil); err == nil {
		t.Error("WriteMermaid(nil file) succeeded")
	}
}

// TestGraphDOTRenders feeds the DOT to Graphviz, which .ci/run installs:
// under CI=true a missing dot is a failure, elsewhere the test skips.
func TestGraphDOTRenders(t *testing.T) {
	dotPath, err := exec.LookPath("dot")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("Graphviz dot is not installed (apt-get install graphviz); CI=true: a missing tool is a failure")
		}
		t.Skip("Graphviz dot not on PATH (apt-get install graphviz)")
	}
	for _, c := range graphCases {
		t.Run(c.name, func(t *testing.T) {
			f, d := graphCompile(t, c.path)
			cmd := exec.Command(dotPath, "-Tsvg")
			cmd.Stdin = strings.NewReader(graphRender(t, topology.WriteDOT, f, d))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			svg, err := cmd.Output()
			if err != nil || stderr.Len() > 0 {
				t.Fatalf("dot -Tsvg: %v\n%s", err, stderr.String())
			}
			if !bytes.Contains(svg, []byte("<svg")) {
				t.Fatalf("dot -Tsvg printed no SVG")
			}
		})
	}
}
