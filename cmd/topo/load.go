package main

import (
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
