package importer_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/topo-dns/topo/importer"
	"github.com/topo-dns/topo/providers"
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

// fuzzZones reads FuzzInferFromDNS's input: one record set a line,
// "VIEW NAME TYPE TTL VALUE...", VIEW i (internal), e (external) or b
// (both), names relative to the zone contoso.com.
func fuzzZones(data []byte) []importer.Zone {
	views := map[string]topology.View{"i": topology.ViewInternal, "e": topology.ViewExternal, "b": topology.ViewBoth}
	byView := map[topology.View]*importer.Zone{}
	var order []topology.View
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 5 {
			continue
		}
		view, ok := views[f[0]]
		if !ok {
			continue
		}
		ttl, err := strconv.ParseUint(f[3], 10, 32)
		if err != nil {
			continue
		}
		z := byView[view]
		if z == nil {
			z = &importer.Zone{Name: "contoso.com", View: view, TTL: 300}
			byView[view] = z
			order = append(order, view)
		}
		name := f[1] + ".contoso.com"
		if f[1] == "@" {
			name = "contoso.com"
		}
		s := providers.RRset{Name: name, Type: f[2], TTL: uint32(ttl), Values: f[4:]}
		if s.Type == "SRV" || s.Type == "TXT" {
			s.Values = []string{strings.Join(f[4:], " ")}
		}
		s.Normalize()
		merged := false
		for i := range z.RRsets {
			if z.RRsets[i].Key() == s.Key() {
				z.RRsets[i].Values = append(z.RRsets[i].Values, s.Values...)
				z.RRsets[i].Normalize()
				merged = true
			}
		}
		if !merged {
			z.RRsets = append(z.RRsets, s)
		}
	}
	var out []importer.Zone
	for _, v := range order {
		z := byView[v]
		if v == topology.ViewBoth && len(byView) > 1 {
			continue // a zone for both views stands alone
		}
		providers.SortRRsets(z.RRsets)
		out = append(out, *z)
	}
	return out
}

// FuzzInferFromDNS feeds the DNS inference arbitrary record sets: it never
// panics; it returns a model exactly when it reports no error; it never
// invents a name (every pool, server and web services FQDN is a name of
// the zones, or TODO); and a model always writes HCL that parses, is
// canonical and decodes as a topology. The seed corpus is
// testdata/fuzz/FuzzInferFromDNS.
func FuzzInferFromDNS(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		zones := fuzzZones(data)
		m, diags := importer.InferFromDNS(zones, importer.InferOptions{SitePerSubnet: len(data)%2 == 0})
		if (m == nil) != diags.HasErrors() {
			t.Fatalf("model %v with errors=%v: %v", m != nil, diags.HasErrors(), diags)
		}
		for _, d := range diags {
			if d.Summary == "" || d.Detail == "" {
				t.Fatalf("diagnostic without a summary or detail: %#v", d)
			}
		}
		if m == nil {
			return
		}
		names := map[string]bool{importer.TODO: true}
		for _, z := range zones {
			for _, s := range z.RRsets {
				names[s.Name] = true
			}
		}
		for _, s := range m.Sites {
			for _, p := range s.Pools {
				hosts := []string{p.FQDN}
				for _, sv := range p.Servers {
					hosts = append(hosts, sv.FQDN)
				}
				if ws := p.WebServices; ws != nil {
					hosts = append(hosts, ws.InternalHost, ws.ExternalHost)
				}
				for _, h := range hosts {
					if h != "" && !names[h] {
						t.Fatalf("the model names %s, which no zone holds", h)
					}
				}
			}
		}
		m.DNS = &importer.DNSSource{Filename: "zones.hcl", HCL: []byte("zone \"contoso.com\" {\n}\n"), Zones: zones}
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
