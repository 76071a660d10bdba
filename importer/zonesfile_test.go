package importer_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/importer"
	"github.com/topo-dns/topo/topology"
)

func TestParseZones(t *testing.T) {
	env := topology.Options{LookupEnv: func(n string) (string, bool) { return "secret", n == "TOPO_TSIG_SECRET" }}
	t.Run("provider and zone blocks", func(t *testing.T) {
		src := `# the zones
provider "rfc2136" "corp" {
  server      = "127.0.0.1:53"
  tsig_secret = env("TOPO_TSIG_SECRET")
}

zone "Contoso.com" {
  view     = "internal"
  provider = "rfc2136.corp"
  ttl      = 60
}

zone "contoso.com" {
  view  = "external"
  adopt = "never"
}
`
		zf, diags := importer.ParseZones("zones.hcl", []byte(src), env)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		var got []string
		for _, z := range zf.Zones {
			got = append(got, fmt.Sprintf("%s %s %s %s ttl=%d adopt=%q line %d", z.Zone, z.View, z.Provider, z.Ownership, z.TTL, z.Adopt, z.Block.Start.Line))
		}
		want := []string{
			`contoso.com external zonefile.default shared ttl=300 adopt="never" line 13`,
			`contoso.com internal rfc2136.corp shared ttl=60 adopt="" line 7`,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("zones (-want +got):\n%s", diff)
		}
		if len(zf.File.Providers) != 1 || string(zf.Source) != src {
			t.Errorf("providers %d, source kept: %v", len(zf.File.Providers), string(zf.Source) == src)
		}
	})
	for _, tc := range []struct{ name, src, summary, at string }{
		{"a name attribute", "name = \"contoso\"\nzone \"contoso.com\" {\n}\n", "Not a provider or zone block", "1:1"},
		{"a site block", "zone \"contoso.com\" {\n}\nsite \"s\" {\n}\n", "Not a provider or zone block", "3:1"},
		{"no zone", "# nothing\n", "No zone blocks", "1:1"},
		{"an invalid view", "zone \"contoso.com\" {\n  view = \"inside\"\n}\n", `Invalid view "inside"`, "2:10"},
		{"an unknown provider", "zone \"contoso.com\" {\n  provider = \"rfc2136.corp\"\n}\n", "Unknown provider", "2:14"},
		{"not HCL", "zone {{{\n", "Argument or block definition required", "1:7"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			zf, diags := importer.ParseZones("zones.hcl", []byte(tc.src), env)
			if zf != nil || !diags.HasErrors() {
				t.Fatalf("accepted")
			}
			d := diags.Errs()[0]
			got := fmt.Sprintf("%s at %s", diags[0].Summary, fmt.Sprintf("%d:%d", diags[0].Subject.Start.Line, diags[0].Subject.Start.Column))
			if want := tc.summary + " at " + tc.at; got != want {
				t.Errorf("got %s (%v), want %s", got, d, want)
			}
		})
	}
}
