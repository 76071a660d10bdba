package engine_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/providers/builtin"
)

// The view rule lives in providers; Load applies it to the topology's
// zones.
func TestLoadViewsThroughOneProvider(t *testing.T) {
	const src = `name = "t"
provider "rfc2136" "corp" {
  server = "127.0.0.1:53"
}
zone "contoso.com" {
  view     = "internal"
  provider = "rfc2136.corp"
}
zone "contoso.com" {
  view     = "external"
  provider = "%s"
}
`
	for _, tc := range []struct {
		second string
		want   string
	}{
		{"rfc2136.corp", "t.hcl:9:1: Two views of a zone through one provider"},
		{"zonefile.default", ""},
	} {
		t.Run(tc.second, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.hcl")
			if err := os.WriteFile(path, []byte(sprintf(src, tc.second)), 0o644); err != nil {
				t.Fatal(err)
			}
			l := engine.Load(path, engine.LoadOptions{Registry: builtin.Registry()})
			var got string
			for _, d := range l.Diags {
				got += filepath.Base(d.Subject.Filename) + ":" + itoa(d.Subject.Start.Line) + ":" + itoa(d.Subject.Start.Column) + ": " + d.Summary
			}
			if got != tc.want {
				t.Errorf("diagnostics:\n got %q\nwant %q", got, tc.want)
			}
			if (l.Desired == nil) != (tc.want != "") {
				t.Errorf("Desired is %v with diagnostics %q", l.Desired, got)
			}
		})
	}
}
