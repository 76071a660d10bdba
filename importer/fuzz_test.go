package importer_test

import (
	"bytes"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/topo-dns/topo/importer"
	"github.com/topo-dns/topo/topology"
)

// FuzzReadTopologyXML feeds the reader any bytes: it never panics; it
// returns a model exactly when it reports no error; every diagnostic points
// into the file; and a model always writes HCL that parses, is canonical and
// decodes as a topology (validation may still find TODOs). The seed corpus
// is testdata/fuzz/FuzzReadTopologyXML.
func FuzzReadTopologyXML(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		m, diags := importer.ReadTopologyXML("fuzz.xml", data)
		if (m == nil) != diags.HasErrors() {
			t.Fatalf("model %v with errors=%v: %v", m != nil, diags.HasErrors(), diags)
		}
		for _, d := range diags {
			if d.Summary == "" || d.Subject == nil || d.Subject.Filename != "fuzz.xml" || d.Subject.Start.Line < 1 {
				t.Fatalf("diagnostic without a summary or a place in the file: %#v", d)
			}
		}
		if m == nil {
			return
		}
		out, wd := importer.WriteHCL(m)
		for _, d := range wd {
			if d.Severity != hcl.DiagWarning {
				t.Fatalf("WriteHCL reported an error: %v", d)
			}
		}
		if _, ds := hclsyntax.ParseConfig(out, "topology.hcl", hcl.InitialPos); ds.HasErrors() {
			t.Fatalf("the HCL does not parse: %v\n%s", ds, out)
		}
		if got := hclwrite.Format(out); !bytes.Equal(got, out) {
			t.Fatalf("the HCL is not canonical:\n%s", out)
		}
		tp, ds := topology.Parse(out, "topology.hcl", topology.Options{LookupEnv: func(string) (string, bool) { return "", false }})
		if ds.HasErrors() {
			t.Fatalf("the HCL does not decode as a topology: %v\n%s", ds, out)
		}
		tp.Validate()
	})
}
