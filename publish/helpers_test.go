package publish_test

import (
	"testing"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// zones is what a test's zones hold, by zone name: plans are made against
// it and applied to it with no provider, as engine does with its reads.
type zones map[string][]providers.RRset

// plan diffs d with what the zones hold.
func (z zones) plan(d *topology.Desired) *publish.Plan {
	p := publish.New(publish.Source{Desired: d, File: "topology.hcl", SHA256: "0123"})
	for _, zr := range d.Zones {
		zp, conflicts := publish.DiffZone(zr, d.Topology, publish.WantFor(zr, d.Topology), z[zr.Zone])
		p.Zones = append(p.Zones, zp)
		p.Conflicts = append(p.Conflicts, conflicts...)
	}
	publish.Explain(p, d)
	return p
}

// apply writes a plan's changes into the zones.
func (z zones) apply(p *publish.Plan) {
	for _, zp := range p.Zones {
		idx := providers.Index(z[zp.Zone])
		providers.ApplyToIndex(idx, zp.Edits())
		out := make([]providers.RRset, 0, len(idx))
		for _, s := range idx {
			out = append(out, s)
		}
		providers.SortRRsets(out)
		z[zp.Zone] = out
	}
}

func compileHCL(t *testing.T, src string) *topology.Desired {
	t.Helper()
	top, diags := topology.Parse([]byte(src), "topology.hcl", topology.Options{})
	if diags.HasErrors() {
		t.Fatalf("parse: %v\n%s", diags, src)
	}
	d, diags := topology.Compile(top.File)
	if diags.HasErrors() {
		t.Fatalf("compile: %v\n%s", diags, src)
	}
	return d
}
