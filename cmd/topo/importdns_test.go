package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/builtin"
	"github.com/topo-dns/topo/providers/memory"
)

// contosoZones is examples/contoso's zone blocks as a zones file, with
// the comments an operator would keep.
const contosoZones = `# Contoso's zones: zone files beside this file.
zone "contoso.com" {
  view = "internal" # the AD-integrated zone
  ttl  = 300
}

zone "contoso.com" {
  view = "external"
  ttl  = 300
}
`

// handTyped publishes examples/contoso into a fresh directory, deletes
// every ownership marker from its zone files, as if the records had been
// typed by hand, and writes zones.hcl beside them.
func handTyped(t *testing.T) (dir string) {
	t.Helper()
	file := contoso(t)
	topo(t, cliOpts{}, "publish", "--auto-approve", file).wantCode(t, 0)
	for _, z := range zonePaths(file) {
		data, err := os.ReadFile(z)
		if err != nil {
			t.Fatal(err)
		}
		var kept []string
		for _, l := range strings.SplitAfter(string(data), "\n") {
			if !strings.HasPrefix(l, "_topo.") {
				kept = append(kept, l)
			}
		}
		if err := os.WriteFile(z, []byte(strings.Join(kept, "")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir = filepath.Dir(file)
	if err := os.WriteFile(filepath.Join(dir, "zones.hcl"), []byte(contosoZones), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Remove(file)
	return dir
}

// planActions are the actions of `topo plan -o json` of file.
func planActions(t *testing.T, file string) map[string]int {
	t.Helper()
	r := topo(t, cliOpts{}, "plan", "-o", "json", file).wantCode(t, 0)
	var p struct {
		Zones []struct {
			Changes []struct {
				Action string `json:"action"`
			} `json:"changes"`
		} `json:"zones"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &p); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, z := range p.Zones {
		for _, c := range z.Changes {
			got[c.Action]++
		}
	}
	return got
}

func TestCLIImportDNS(t *testing.T) {
	dir := handTyped(t)
	zones := filepath.Join(dir, "zones.hcl")
	out := filepath.Join(dir, "topology.hcl")
	r := topo(t, cliOpts{}, "import", "dns", zones, "--out", out).wantCode(t, 0)
	if r.stdout != "" {
		t.Errorf("stdout with --out: %q", r.stdout)
	}
	want := "Imported 3 pools and 17 servers from 2 zones in " + zones + " to " + out + ". Its first plan adopts 26 record sets and changes no record: topo plan " + out + " shows it.\n"
	if !strings.HasSuffix(r.stderr, want) {
		t.Errorf("stderr does not end with %q:\n%s", want, r.stderr)
	}
	for _, s := range []string{"Warning: Draining servers inferred", "fe12.contoso.com (pool01.contoso.com)"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
		}
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// The zone blocks as the operator wrote them, comments kept.
	if !bytes.Contains(got, []byte(contosoZones)) {
		t.Errorf("the topology does not hold zones.hcl as written:\n%s", got)
	}
	topo(t, cliOpts{}, "validate", out).wantCode(t, 0)

	// The acceptance test of issue 10: the first plan only adopts.
	if a := planActions(t, out); a["adopt"] != 26 || len(a) != 1 {
		t.Fatalf("the first plan's actions: %v, want 26 adoptions and nothing else", a)
	}
	before := zoneFiles(t, dir)
	pr := topo(t, cliOpts{}, "plan", out).wantCode(t, 0)
	for _, s := range []string{"  = pool01.contoso.com A TTL 300\n", "0 to create, 0 to update, 0 to delete, 26 to adopt", "(23 ownership marker record set(s) created)"} {
		if !strings.Contains(pr.stdout, s) {
			t.Errorf("the text plan lacks %q:\n%s", s, pr.stdout)
		}
	}
	// A saved plan of adoptions loads and publishes.
	saved := filepath.Join(dir, "plan.json")
	topo(t, cliOpts{}, "plan", "--out", saved, out).wantCode(t, 0)
	if r := topo(t, cliOpts{}, "publish", "--auto-approve", saved).wantCode(t, 0); !strings.Contains(r.stdout, "Published 26 changes in 2 zones") {
		t.Errorf("publish of the saved plan:\n%s", r.stdout)
	}
	after := zoneFiles(t, dir)
	for name, b := range before {
		var kept []string
		for _, l := range strings.SplitAfter(after[name], "\n") {
			if !strings.HasPrefix(l, "_topo.") && !strings.Contains(l, "\tSOA\t") {
				kept = append(kept, l)
			}
		}
		if got, want := strings.Join(kept, ""), dropSOA(b); got != want {
			t.Errorf("%s: adopting changed a record besides the markers:\n--- before\n%s--- after\n%s", name, want, got)
		}
	}
	topo(t, cliOpts{}, "plan", "--detailed-exitcode", out).wantCode(t, 0)

	t.Run("to stdout", func(t *testing.T) {
		r := topo(t, cliOpts{}, "import", "dns", zones).wantCode(t, 0)
		if !strings.HasPrefix(r.stdout, "# Imported by topo import dns from zones.hcl") || !strings.Contains(r.stderr, " to stdout. ") {
			t.Errorf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		}
	})
	t.Run("never over an existing file", func(t *testing.T) {
		r := topo(t, cliOpts{}, "import", "dns", zones, "--out", out).wantCode(t, 1)
		if !strings.Contains(r.stderr, "exists: topo import does not overwrite it; use --force") {
			t.Errorf("stderr: %s", r.stderr)
		}
	})
	t.Run("written away from zones.hcl: a note", func(t *testing.T) {
		elsewhere := filepath.Join(t.TempDir(), "topology.hcl")
		r := topo(t, cliOpts{}, "import", "dns", zones, "--out", elsewhere).wantCode(t, 0)
		if !strings.Contains(r.stderr, "Note: "+elsewhere+" is not beside "+zones) {
			t.Errorf("stderr: %s", r.stderr)
		}
	})
	t.Run("one site per subnet", func(t *testing.T) {
		r := topo(t, cliOpts{}, "import", "dns", zones, "--site-per-subnet").wantCode(t, 0)
		for _, s := range []string{`site "subnet-10-0-1-0"`, `site "subnet-10-0-2-0"`} {
			if !strings.Contains(r.stdout, s) {
				t.Errorf("stdout lacks %s", s)
			}
		}
	})
}

func zoneFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	paths, _ := filepath.Glob(filepath.Join(dir, "zones", "*.zone"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = string(b)
	}
	return out
}

func dropSOA(s string) string {
	var kept []string
	for _, l := range strings.SplitAfter(s, "\n") {
		if !strings.Contains(l, "\tSOA\t") {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "")
}

func TestCLIImportDNSRefuses(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := write("empty.hcl", "zone \"contoso.com\" {\n  view = \"internal\"\n}\n")
	os.MkdirAll(filepath.Join(dir, "zones"), 0o755)
	write("zones/contoso.com.internal.zone", "$ORIGIN contoso.com.\n@ 3600 IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ 3600 IN NS ns1\nns1 300 IN A 192.0.2.53\nwww 300 IN A 192.0.2.80\n")
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want []string
	}{
		{"a zone with no pools", []string{empty}, nil, []string{"Error: No pools in the zones", "empty.hcl:1:1", "None of contoso.com (internal) holds a pool", "Nothing was imported from"}},
		{"a site block", []string{write("site.hcl", "zone \"contoso.com\" {\n}\n\nsite \"s\" {\n}\n")}, nil, []string{"Error: Not a provider or zone block", "site.hcl:4:1", "4 | site \"s\" {"}},
		{"a name", []string{write("name.hcl", "name = \"contoso\"\nzone \"contoso.com\" {\n}\n")}, nil, []string{"Error: Not a provider or zone block", "name.hcl:1:1"}},
		{"no zone", []string{write("none.hcl", "# nothing yet\n")}, nil, []string{"Error: No zone blocks"}},
		{"an unset credential", []string{write("cred.hcl", "provider \"rfc2136\" \"corp\" {\n  server      = \"127.0.0.1:53\"\n  tsig_key    = \"k.\"\n  tsig_secret = env(\"TOPO_TSIG_SECRET\")\n}\nzone \"contoso.com\" {\n  provider = \"rfc2136.corp\"\n}\n")}, nil, []string{`environment variable "TOPO_TSIG_SECRET" is not set`, "cred.hcl:4:"}},
		{"a missing file", []string{filepath.Join(dir, "nope.hcl")}, nil, []string{"read \"" + filepath.Join(dir, "nope.hcl") + "\": no such file or directory"}},
		{"-o used for a file", []string{empty, "-o", "topology.hcl"}, nil, []string{"write the topology to a file with --out topology.hcl"}},
		{"--force without --out", []string{empty, "--force"}, nil, []string{"--force replaces the file --out names"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := topo(t, cliOpts{env: tc.env}, append([]string{"import", "dns"}, tc.args...)...).wantCode(t, 1)
			for _, s := range tc.want {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
			if r.stdout != "" {
				t.Errorf("stdout: %q", r.stdout)
			}
		})
	}
}

// namesProvider is a memory provider that reads by names, as rfc2136 does
// when the server refuses the zone transfer, and keeps the names it was
// given.
type namesProvider struct {
	*memory.Provider
	names map[string][]string
}

func (p *namesProvider) SetNames(zone string, names []string) { p.names[zone] = names }
func (p *namesProvider) ReadScope(zone string) providers.ReadScope {
	return providers.ReadScope{Names: true, Reason: providers.ReasonTransferRefused, Detail: "REFUSED", Server: "192.0.2.53:53", Count: len(p.names[zone])}
}

// TestCLIImportByNames: a zone read name by name cannot show its pools;
// topo import dns says what to do, and topo import topology --dns reads the
// names the file gives.
func TestCLIImportByNames(t *testing.T) {
	// The zone: the records builder-edge-nat.tbxml's deployment publishes,
	// without markers.
	deployed := enginetest.MustCompile(t, mustRead(t, filepath.Join("..", "..", "importer", "testdata", "builder-edge-nat.deployed.hcl")))
	mem := &memory.Provider{}
	for _, zr := range deployed.Zones {
		if zr.View != "internal" {
			continue
		}
		for _, r := range zr.Records {
			s := providers.RRset{Name: r.Name, Type: r.Type, TTL: r.TTL, Values: []string{r.Value}}
			recs, err := s.Records(zr.Zone)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := mem.AppendRecords(context.Background(), "contoso.com.", recs); err != nil {
				t.Fatal(err)
			}
		}
	}
	np := &namesProvider{Provider: mem, names: map[string][]string{}}
	reg := builtin.Registry()
	reg["windows"] = providers.Kind{Open: func(hcl.Body, *hcl.EvalContext, providers.OpenEnv) (providers.Provider, hcl.Diagnostics) {
		return np, nil
	}}
	dir := t.TempDir()
	zones := filepath.Join(dir, "zones.hcl")
	os.WriteFile(zones, []byte("provider \"windows\" \"dc\" {\n}\n\nzone \"contoso.com\" {\n  view     = \"internal\"\n  provider = \"windows.dc\"\n}\n"), 0o644)

	r := topo(t, cliOpts{registry: reg}, "import", "dns", zones).wantCode(t, 1)
	if !regexp.MustCompile(`zone contoso\.com \(internal\): windows\.dc reads it name by name, as the server refused the zone transfer \(REFUSED\), and topo import dns needs every record of the zone .* topo import topology FILE --dns `).MatchString(r.stderr) {
		t.Errorf("stderr: %s", r.stderr)
	}

	r = topo(t, cliOpts{registry: reg}, "import", "topology", importFixture, "--dns", zones).wantCode(t, 0)
	names := np.names["contoso.com."]
	for _, n := range []string{"pool01.contoso.com", "_topo.pool01.contoso.com", "fe03.contoso.com", "webint01.contoso.com", "sip.contoso.com", "oos.contoso.com", "webcon.contoso.com"} {
		if !slices.Contains(names, n) {
			t.Errorf("the provider was not asked for %s: %v", n, names)
		}
	}
	for _, s := range []string{`internal_vip = "10.0.1.100"`, `state = "draining"`, `vip = "10.0.1.50"`, "provider = \"windows.dc\""} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("the topology lacks %s:\n%s", s, r.stdout)
		}
	}
	// webext01 and the Office Online Server farm's public address live in
	// the external view, which zones.hcl does not name: their addresses
	// stay TODO, and a zone file is declared for them.
	for _, s := range []string{"Warning: Web services FQDN not in DNS", "Warning: Office Online Server FQDN not in DNS", "Fill in its 2 TODOs"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
		}
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// BenchmarkImportDNSCommand1000Pools times the whole command on the
// 1,000-pool workload (enginetest.BigTopology) published to zone files:
// reading zones.hcl, the zone through the zone file provider, inferring,
// writing the topology and working out its first plan. The workload's web
// services FQDNs (w0, w1...) do not read as such, so its import has TODOs
// and no first plan; "web-names" names them webint0, webint1..., and the
// import is complete: its first plan is compiled and diffed too.
func BenchmarkImportDNSCommand1000Pools(b *testing.B) {
	for _, tc := range []struct{ name, old, new string }{
		{"workload", "", ""},
		{"web-names", `internal_fqdn = "w`, `internal_fqdn = "webint`},
	} {
		b.Run(tc.name, func(b *testing.B) {
			src := enginetest.BigTopology("bench.test", 1000)
			if tc.old != "" {
				src = strings.ReplaceAll(src, tc.old, tc.new)
			}
			dir := b.TempDir()
			file := filepath.Join(dir, "topology.hcl")
			if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
				b.Fatal(err)
			}
			topoRun := func(args ...string) string {
				var o, e bytes.Buffer
				io := &IO{In: strings.NewReader(""), Out: &o, Err: &e, LookupEnv: func(string) (string, bool) { return "", false }, Registry: builtin.Registry(), Context: context.Background()}
				if code := run(args, io); code != 0 {
					b.Fatalf("topo %v: exit %d\n%s", args, code, e.String())
				}
				return e.String()
			}
			topoRun("publish", "--auto-approve", file)
			zones := filepath.Join(dir, "zones.hcl")
			os.WriteFile(zones, []byte("zone \"bench.test\" {\n  ownership = \"exclusive\"\n}\n"), 0o644)
			out := filepath.Join(dir, "imported.hcl")
			for b.Loop() {
				stderr := topoRun("import", "dns", zones, "--out", out, "--force")
				if tc.old != "" && !strings.Contains(stderr, "Its first plan adopts 0 record sets and changes no record") {
					b.Fatalf("the import is not complete:\n%s", stderr[max(0, len(stderr)-2000):])
				}
			}
		})
	}
}
