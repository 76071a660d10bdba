package main

import (
	"cmp"
	"slices"

	"github.com/hashicorp/hcl/v2"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/topology"
)

// loaded is a topology read, validated, compiled and with its providers
// opened (not contacted).
type loaded struct {
	topo    *topology.Topology
	desired *topology.Desired
	provs   *providers.Set
	diags   hcl.Diagnostics
}

// load reads path and runs every check: the language, the product's rules,
// the provider blocks. It returns every diagnostic; desired is nil when any
// is an error.
func load(io *IO, path string) *loaded {
	l := &loaded{}
	t, diags := topology.Load(path, topology.Options{LookupEnv: io.LookupEnv})
	l.topo = t
	l.diags = diags
	if t == nil || t.File == nil {
		return l
	}
	desired, ds := topology.Compile(t.File)
	l.diags = append(l.diags, ds...)
	set, ds := providers.Open(io.Registry, t)
	l.diags = append(l.diags, ds...)
	l.provs = set
	sortDiagnostics(l.diags)
	if !l.diags.HasErrors() {
		l.desired = desired
	}
	return l
}

// files returns the sources diagnostics may quote.
func (l *loaded) files() map[string]*hcl.File {
	if l.topo == nil {
		return nil
	}
	return l.topo.Files
}

// sortDiagnostics orders diagnostics by file and position, so output is
// the same on every run (hcl reports some in map order).
func sortDiagnostics(diags hcl.Diagnostics) {
	pos := func(d *hcl.Diagnostic) (string, int) {
		if d.Subject == nil {
			return "", -1
		}
		return d.Subject.Filename, d.Subject.Start.Byte
	}
	slices.SortStableFunc(diags, func(a, b *hcl.Diagnostic) int {
		af, ab := pos(a)
		bf, bb := pos(b)
		return cmp.Or(cmp.Compare(af, bf), cmp.Compare(ab, bb))
	})
}
