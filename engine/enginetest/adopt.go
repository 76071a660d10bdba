package enginetest

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/providertest"
	"github.com/topo-dns/topo/publish"
)

// AdoptCase is one deployment the adoption acceptance test (issue 10)
// publishes, strips of topo's ownership markers and imports back.
type AdoptCase struct {
	// Name names the subtest.
	Name string
	// Topology is the path of the deployment's topology file, from the
	// repository root; its zone blocks are pointed at the backend.
	Topology string
	// XML, when set, is the path (from the repository root) of the
	// Topology Builder document or published topology the deployment is
	// imported from, with --dns; empty: topo import dns.
	XML string
	// NotImported are the record sets ("name TYPE") the import cannot see
	// and leaves alone: a pool behind a hardware load balancer, from DNS
	// alone.
	NotImported []string
}

// AdoptCases are the acceptance test's deployments: each example, and the
// importer's fixtures through the Topology Builder path.
var AdoptCases = []AdoptCase{
	{Name: "contoso", Topology: "examples/contoso/topology.hcl"},
	{Name: "fabrikam", Topology: "examples/fabrikam/topology.hcl", NotImported: []string{
		// A pool behind a hardware load balancer looks like any host in DNS.
		"ams-leg01.fabrikam.com A", "ams-leg02.fabrikam.com A", "ams-leg03.fabrikam.com A", "legacy.fabrikam.com A",
	}},
	{Name: "builder-edge-nat.tbxml", Topology: "importer/testdata/builder-edge-nat.deployed.hcl", XML: "importer/testdata/builder-edge-nat.tbxml"},
	{Name: "published-enterprise.xml", Topology: "importer/testdata/published-enterprise.deployed.hcl", XML: "importer/testdata/published-enterprise.xml"},
}

// ZoneView is a zone in one view.
type ZoneView struct{ Zone, View string }

// AdoptBackend is where the acceptance test publishes.
type AdoptBackend struct {
	// Setup starts what serves zones (nothing for zone files) and returns
	// the provider blocks to declare, the provider reference each zone's
	// block names ("" for the embedded zone file provider) and the
	// environment topo needs (credentials).
	Setup func(t *testing.T, zones []ZoneView) (blocks string, ref func(ZoneView) string, env []string)
	// Registry is the provider kinds the test reads and edits zones with
	// (builtin.Registry(), which providertest cannot import: the providers
	// import it in their tests).
	Registry providers.Registry
}

// RunAdoption is the acceptance test of issue 10, run through the topo
// binary for each case: publish the deployment, delete every ownership
// marker (as if the records had been typed by hand), topo import the zones
// (dns, or topology --dns), and plan the imported topology: every change
// is an adoption, one for each record set the deployment published (but
// those the case says the import cannot see), carrying its marker;
// publishing it changes no record but adds the markers; the next plan is
// empty.
func RunAdoption(t *testing.T, backend AdoptBackend, cases []AdoptCase) {
	bin := providertest.TopoBinary(t)
	root := repoRoot(t)
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(root, tc.Topology))
			if err != nil {
				t.Fatal(err)
			}
			f, diags := hclwrite.ParseConfig(src, tc.Topology, hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			var zones []ZoneView
			for _, b := range f.Body().Blocks() {
				if b.Type() == "zone" {
					zones = append(zones, ZoneView{b.Labels()[0], blockView(b)})
				}
			}
			blocks, ref, env := backend.Setup(t, zones)
			env = append(env, "NO_COLOR=1")

			// The deployment and its zones file, pointed at the backend.
			zonesFile := hclwrite.NewEmptyFile()
			for _, b := range f.Body().Blocks() {
				if b.Type() != "zone" {
					continue
				}
				if r := ref(ZoneView{b.Labels()[0], blockView(b)}); r != "" {
					b.Body().SetAttributeValue("provider", cty.StringVal(r))
				}
				zonesFile.Body().AppendBlock(b)
				zonesFile.Body().AppendNewline()
			}
			dir := t.TempDir()
			deployed := filepath.Join(dir, "deployed.hcl")
			zonesPath := filepath.Join(dir, "zones.hcl")
			imported := filepath.Join(dir, "topology.hcl")
			writeFile(t, deployed, []byte(blocks+"\n"+string(hclwrite.Format(f.Bytes()))))
			writeFile(t, zonesPath, []byte(blocks+"\n"+string(hclwrite.Format(zonesFile.Bytes()))))
			run := func(step string, want int, args ...string) (string, string) {
				t.Helper()
				out, errOut, code := providertest.RunTopo(t, bin, env, args...)
				if code != want {
					t.Fatalf("%s: topo %s: exit %d, want %d\n--- stdout\n%s\n--- stderr\n%s", step, strings.Join(args, " "), code, want, out, errOut)
				}
				return out, errOut
			}

			run("publish the deployment", 0, "publish", "--auto-approve", deployed)
			held := stripMarkers(t, backend.Registry, deployed, env)

			args := []string{"import", "dns", zonesPath, "--out", imported}
			if tc.XML != "" {
				args = []string{"import", "topology", filepath.Join(root, tc.XML), "--dns", zonesPath, "--out", imported}
			}
			_, errOut := run("import", 0, args...)
			if !strings.Contains(errOut, "changes no record: topo plan") {
				t.Errorf("the import's summary does not say the first plan changes no record:\n%s", errOut)
			}
			for _, k := range tc.NotImported {
				if !strings.Contains(errOut, k) {
					t.Errorf("the import does not list %s as not imported:\n%s", k, errOut)
				}
			}

			out, _ := run("plan -o json", 0, "plan", "-o", "json", imported)
			var plan struct {
				Zones []struct {
					Ownership string `json:"ownership"`
					Changes   []struct {
						Action      string           `json:"action"`
						Name        string           `json:"name"`
						Type        string           `json:"type"`
						AdoptMarker *providers.RRset `json:"adopt_marker"`
					} `json:"changes"`
				} `json:"zones"`
			}
			if err := json.Unmarshal([]byte(out), &plan); err != nil {
				t.Fatalf("plan -o json: %v\n%s", err, out)
			}
			var adopted, want []string
			for _, z := range plan.Zones {
				for _, c := range z.Changes {
					if c.Action != string(publish.Adopt) {
						t.Errorf("the first plan %ss %s %s: every change must be an adoption", c.Action, c.Name, c.Type)
					}
					adopted = append(adopted, c.Name+" "+c.Type)
				}
			}
			for _, sets := range held {
				for _, s := range sets {
					if (s.Type != "SOA" && s.Type != "NS") && !slices.Contains(tc.NotImported, s.Key().String()) {
						want = append(want, s.Key().String())
					}
				}
			}
			slices.Sort(adopted)
			slices.Sort(want)
			if diff := cmp.Diff(want, adopted); diff != "" {
				t.Errorf("the first plan should adopt every record set the deployment published (-want +got):\n%s", diff)
			}

			run("publish the import", 0, "publish", "--auto-approve", imported)
			after := readZones(t, backend.Registry, deployed, env)
			for zv, sets := range after {
				var records, markers []string
				for _, s := range sets {
					if isMarkerSet(s) {
						markers = append(markers, strings.TrimPrefix(s.Name, publish.MarkerPrefix))
					} else if s.Type != "SOA" {
						records = append(records, rrsetString(s))
					}
				}
				var before []string
				for _, s := range held[zv] {
					if s.Type != "SOA" {
						before = append(before, rrsetString(s))
					}
				}
				if diff := cmp.Diff(before, records); diff != "" {
					t.Errorf("zone %v: publishing the adoptions changed records (-before +after):\n%s", zv, diff)
				}
				for _, s := range held[zv] {
					if (s.Type != "SOA" && s.Type != "NS") && !slices.Contains(tc.NotImported, s.Key().String()) && !slices.Contains(markers, s.Name) {
						t.Errorf("zone %v: %s has no ownership marker after publishing", zv, s.Key())
					}
				}
			}
			run("plan after publishing", 0, "plan", "--detailed-exitcode", imported)
		})
	}
}

func blockView(b *hclwrite.Block) string {
	a := b.Body().GetAttribute("view")
	if a == nil {
		return "both"
	}
	return strings.Trim(strings.TrimSpace(string(a.Expr().BuildTokens(nil).Bytes())), `"`)
}

func rrsetString(s providers.RRset) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// readZones reads every zone of the topology at path through its
// providers, as topo does.
func readZones(t *testing.T, reg providers.Registry, path string, env []string) map[ZoneView][]providers.RRset {
	t.Helper()
	l := load(t, reg, path, env)
	out := map[ZoneView][]providers.RRset{}
	for _, zr := range l.Desired.Zones {
		prov, err := l.Providers.Get(zr.Provider, string(zr.View))
		if err != nil {
			t.Fatal(err)
		}
		sets, err := engine.ReadZone(context.Background(), prov, zr.Zone)
		if err != nil {
			t.Fatalf("read zone %s (%s): %v", zr.Zone, zr.View, err)
		}
		out[ZoneView{zr.Zone, string(zr.View)}] = sets
	}
	return out
}

// isMarkerSet reports an ownership marker of topo's.
func isMarkerSet(s providers.RRset) bool {
	return publish.IsMarker(s.Key())
}

// load loads the topology at path with env added to the environment.
func load(t *testing.T, reg providers.Registry, path string, env []string) *engine.Loaded {
	t.Helper()
	lookup := func(name string) (string, bool) {
		for _, e := range env {
			if k, v, ok := strings.Cut(e, "="); ok && k == name {
				return v, true
			}
		}
		return os.LookupEnv(name)
	}
	l := engine.Load(path, engine.LoadOptions{LookupEnv: lookup, Registry: reg})
	if l.Desired == nil {
		t.Fatalf("load %s: %v", path, l.Diags)
	}
	return l
}

// stripMarkers deletes every ownership marker from the zones of the
// topology at path through its providers, as an operator's hand would,
// and returns what the zones hold then.
func stripMarkers(t *testing.T, reg providers.Registry, path string, env []string) map[ZoneView][]providers.RRset {
	t.Helper()
	l := load(t, reg, path, env)
	ctx := context.Background()
	for _, zr := range l.Desired.Zones {
		prov, err := l.Providers.Get(zr.Provider, string(zr.View))
		if err != nil {
			t.Fatal(err)
		}
		sets, err := engine.ReadZone(ctx, prov, zr.Zone)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, s := range sets {
			if !isMarkerSet(s) {
				continue
			}
			recs, err := s.Records(zr.Zone)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := prov.DeleteRecords(ctx, providers.ZoneFQDN(zr.Zone), recs); err != nil {
				t.Fatalf("delete %s: %v", s.Key(), err)
			}
			n++
		}
		if n == 0 && len(zr.Records) > 0 {
			t.Fatalf("zone %s (%s) held no ownership marker after publishing", zr.Zone, zr.View)
		}
	}
	held := readZones(t, reg, path, env)
	for zv, sets := range held {
		for _, s := range sets {
			if isMarkerSet(s) {
				t.Fatalf("zone %v still holds %s", zv, s.Key())
			}
		}
	}
	return held
}

// repoRoot is the directory of the module's go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}
