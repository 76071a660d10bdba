package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// importFixture is an importer test fixture: a Topology Builder document
// with a Front End pool (override set, VIPs missing), an Edge pool behind
// NAT and an Office Online Server farm (its addresses missing).
var importFixture = filepath.Join("..", "..", "importer", "testdata", "builder-edge-nat.tbxml")

func TestCLIImportTopology(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("..", "..", "importer", "testdata", "builder-edge-nat.golden"))
	if err != nil {
		t.Fatal(err)
	}

	t.Run("to stdout", func(t *testing.T) {
		r := topo(t, cliOpts{}, "import", "topology", importFixture).wantCode(t, 0)
		if diff := cmp.Diff(string(want), r.stdout); diff != "" {
			t.Errorf("stdout is not the importer's HCL (-want +got):\n%s", diff)
		}
		for _, s := range []string{
			"Warning: Not imported: 2 elements topo does not model\n  --> " + importFixture + ":67:13",
			"67 |             <Cluster IsSingleMachineOnly=\"true\"",
			"   |             ^^^^^^^^\n",
			"Warning: 4 values to fill in",
			"Imported 1 site, 2 pools and 5 servers from " + importFixture + " (Topology Builder document) to stdout. Fill in its 4 TODOs, then run topo validate on the topology.\n",
		} {
			if !strings.Contains(r.stderr, s) {
				t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
			}
		}
	})

	t.Run("to a file, never over one", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "topology.hcl")
		r := topo(t, cliOpts{}, "import", "topology", importFixture, "--out", out).wantCode(t, 0)
		if r.stdout != "" {
			t.Errorf("stdout with --out: %q", r.stdout)
		}
		if got, _ := os.ReadFile(out); string(got) != string(want) {
			t.Errorf("%s is not the importer's HCL", out)
		}
		if !strings.Contains(r.stderr, "to "+out+". Fill in its 4 TODOs, then run topo validate on "+out+".") {
			t.Errorf("summary:\n%s", r.stderr)
		}
		os.WriteFile(out, []byte("# mine\n"), 0o644)
		r = topo(t, cliOpts{}, "import", "topology", importFixture, "--out", out).wantCode(t, 1)
		if !strings.Contains(r.stderr, "exists: topo import does not overwrite it; use --force") {
			t.Errorf("stderr: %s", r.stderr)
		}
		if got, _ := os.ReadFile(out); string(got) != "# mine\n" {
			t.Errorf("an existing file was overwritten")
		}
		topo(t, cliOpts{}, "import", "topology", importFixture, "--out", out, "--force").wantCode(t, 0)
		if got, _ := os.ReadFile(out); string(got) != string(want) {
			t.Errorf("--force did not replace the file")
		}
	})

	t.Run("the import plans and publishes once its TODOs are filled in", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "topology.hcl")
		topo(t, cliOpts{}, "import", "topology", importFixture, "--out", file).wantCode(t, 0)
		r := topo(t, cliOpts{}, "validate", file).wantCode(t, 1)
		if !strings.Contains(r.stderr, "is invalid: 4 errors") {
			t.Errorf("validate before filling in:\n%s", r.stderr)
		}
		edit(t, file, `internal_vip = "TODO"`, `internal_vip = "10.0.1.100"`)
		// The web services' reverse proxy address, then the Office Online
		// Server farm's (IsExternal="true").
		editEach(t, file, `external_proxy_ip = "TODO"`, `external_proxy_ip = "203.0.113.10"`, `external_proxy_ip = "203.0.113.40"`)
		edit(t, file, `vip = "TODO"`, `vip = "10.0.1.120"`)
		topo(t, cliOpts{}, "validate", file).wantCode(t, 0)
		r = topo(t, cliOpts{}, "plan", "--detailed-exitcode", file).wantCode(t, 2)
		for _, s := range []string{"pool01.contoso.com", "edge01.contoso.com", "webint01.contoso.com", "webext01.contoso.com", "_sipinternaltls._tcp.contoso.com",
			// What issue 9 let the importer write natively: the Edge
			// services' external FQDNs at their NAT public addresses, the
			// SIP domain's Access Edge records, the Office Online farm.
			"sip.contoso.com", "203.0.113.11", "webcon.contoso.com", "203.0.113.21", "av.contoso.com", "203.0.113.31",
			"_sip._tls.contoso.com", "_sipfederationtls._tcp.contoso.com", "oos.contoso.com", "10.0.1.120", "203.0.113.40"} {
			if !strings.Contains(r.stdout, s) {
				t.Errorf("the plan lacks %s:\n%s", s, r.stdout)
			}
		}
		topo(t, cliOpts{}, "publish", "--auto-approve", file).wantCode(t, 0)
		topo(t, cliOpts{}, "plan", "--detailed-exitcode", file).wantCode(t, 0)
	})

	t.Run("a real Topology Builder document", func(t *testing.T) {
		path := filepath.Join("..", "..", "..", "shared", "real-world-topologies", "sfbautomatedlab-contoso.tbxml")
		if _, err := os.Stat(path); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("the real topology files are missing under CI: %v", err)
			}
			t.Skipf("the real topology files are not here (%v)", err)
		}
		r := topo(t, cliOpts{}, "import", "topology", path).wantCode(t, 0)
		if !strings.Contains(r.stderr, "Imported 1 site, 2 pools and 7 servers") || !strings.Contains(r.stderr, "Fill in its 7 TODOs") {
			t.Errorf("summary:\n%s", r.stderr)
		}
	})
}

// editEach replaces the occurrences of old in file, in order, with news:
// one each.
func editEach(t *testing.T, file, old string, news ...string) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(src), old); n != len(news) {
		t.Fatalf("%q occurs %d times in %s, want %d", old, n, file, len(news))
	}
	out := string(src)
	for _, n := range news {
		out = strings.Replace(out, old, n, 1)
	}
	if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCLIImportRefused(t *testing.T) {
	dir := t.TempDir()
	notXML := filepath.Join(dir, "topology.hcl")
	os.WriteFile(notXML, []byte("name = \"contoso\"\n"), 0o644)
	out := filepath.Join(dir, "out.hcl")
	tests := []struct {
		name   string
		args   []string
		stderr []string
	}{
		{"not XML", []string{"import", "topology", notXML, "--out", out},
			[]string{"Error: Not an XML document\n  --> " + notXML + ":1:1", "is not XML: it starts with", notXML + " was not imported."}},
		{"a missing file", []string{"import", "topology", filepath.Join(dir, "nope.tbxml")}, []string{"Error: read \"" + filepath.Join(dir, "nope.tbxml") + "\": no such file or directory"}},
		{"-o as a file name", []string{"import", "topology", importFixture, "-o", "topology.hcl"}, []string{"import has no -o: write the topology to a file with --out topology.hcl"}},
		{"-o json", []string{"import", "topology", importFixture, "-o", "json"}, []string{"import writes HCL only and has no -o/--output format"}},
		{"--force without --out", []string{"import", "topology", importFixture, "--force"}, []string{"--force replaces the file --out names"}},
		{"no file", []string{"import", "topology"}, []string{"accepts 1 arg(s), received 0"}},
		{"nothing to import", []string{"import"}, []string{"say what to import: topo import topology FILE"}},
		{"an unknown source", []string{"import", "ldap"}, []string{`unknown import source "ldap"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := topo(t, cliOpts{}, tc.args...).wantCode(t, 1)
			if r.stdout != "" {
				t.Errorf("stdout: %q", r.stdout)
			}
			for _, s := range tc.stderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("a refused import wrote %s", out)
			}
		})
	}
}
