// Package engine is topo's pipeline as a library: load a topology (parse,
// validate, compile, open its providers), plan it against what the
// providers hold, publish a plan with every safety check, and verify DNS.
// The command line only calls it; a program that uses the library gets the
// same safety as the CLI.
//
//	topology.hcl --Load--> Topology -> Desired        (*Loaded)
//	             --Plan--> (read zones) -> Plan       (*publish.Plan)
//	          --Publish--> checks -> Apply -> re-plan (*Result)
//	           --Verify--> DNS queries -> []Check
//
// A saved plan comes back through LoadPlan, which finds and loads the
// topology it was made from.
package engine

import (
	"cmp"
	"slices"

	"github.com/hashicorp/hcl/v2"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// LoadOptions tune Load.
type LoadOptions struct {
	// LookupEnv resolves env("NAME") in the topology. Nil means
	// os.LookupEnv.
	LookupEnv func(string) (string, bool)
	// Registry is the provider kinds a topology may use.
	Registry providers.Registry
}

// Resolver returns the provider that serves a zone in a view, by the
// provider reference the zone names ("rfc2136.corp").
type Resolver func(providerRef, view string) (providers.Provider, error)

// Loaded is a topology read, validated, compiled and with its providers
// opened (not contacted): what Plan, Publish and Verify work on. It
// remembers the zones it read last (to publish without reading them again
// when nothing ran in between), so it is not safe for concurrent use.
type Loaded struct {
	// Topology is nil when the file could not be read; built by FromDesired,
	// it is nil too.
	Topology *topology.Topology
	// Desired is nil when Diags holds an error.
	Desired *topology.Desired
	// Providers are the topology's provider blocks, opened; nil from
	// FromDesired.
	Providers *providers.Set
	// Diags are every diagnostic of the language, the product's rules and
	// the provider blocks, sorted by position.
	Diags hcl.Diagnostics

	// src identifies what plans are made from; resolve finds providers.
	src     publish.Source
	resolve Resolver
	// reads are the zones the last Plan read, by zoneKey.
	reads map[zoneKey]zoneRead
}

// FromDesired returns a Loaded for a topology compiled elsewhere, whose
// zones' providers resolve through resolve: tests and programs that build
// topology.Desired themselves.
func FromDesired(src publish.Source, resolve Resolver) *Loaded {
	return &Loaded{Desired: src.Desired, src: src, resolve: resolve}
}

// Load reads path and runs every check: the language, the product's rules,
// the provider blocks. It returns every diagnostic at once; Desired is nil
// when any is an error.
func Load(path string, opts LoadOptions) *Loaded {
	l := &Loaded{}
	t, diags := topology.Load(path, topology.Options{LookupEnv: opts.LookupEnv})
	l.Topology = t
	l.Diags = diags
	if t == nil || t.File == nil {
		return l
	}
	desired, ds := topology.Compile(t.File)
	l.Diags = append(l.Diags, ds...)
	set, ds := OpenProviders(opts.Registry, t.File, t.EvalContext, t.Dir())
	l.Diags = append(l.Diags, ds...)
	l.Providers = set
	l.resolve = set.Get
	SortDiagnostics(l.Diags)
	if !l.Diags.HasErrors() {
		l.Desired = desired
		l.src = publish.Source{Desired: desired, File: path, SHA256: t.SHA256}
	}
	return l
}

// Close ends the sessions the topology's providers hold open (a
// negotiated GSS-TSIG context), once the caller is done planning,
// publishing and verifying with l. A provider used again later opens a new
// session.
func (l *Loaded) Close() error {
	if l.Providers == nil {
		return nil
	}
	return l.Providers.CloseAll()
}

// Files returns the sources diagnostics may quote.
func (l *Loaded) Files() map[string]*hcl.File {
	if l.Topology == nil {
		return nil
	}
	return l.Topology.Files
}

// OpenProviders opens the provider blocks of f (a topology, or a zones
// file of `topo import dns` holding only provider and zone blocks) without
// contacting any service, and checks its zones' views against them.
// Relative paths in provider blocks are resolved from baseDir.
func OpenProviders(reg providers.Registry, f *topology.File, ectx *hcl.EvalContext, baseDir string) (*providers.Set, hcl.Diagnostics) {
	cfg := providers.Config{EvalContext: ectx, BaseDir: baseDir}
	for _, b := range f.Providers {
		cfg.Blocks = append(cfg.Blocks, providers.Block{Kind: b.Kind, Name: b.Name, Body: b.Body, DefRange: b.DefRange})
	}
	set, diags := providers.Open(reg, cfg)
	return set, append(diags, set.CheckViews(zoneUses(f))...)
}

// zoneUses lists the zones whose view is valid, for the providers' view
// rule (an invalid view has its own diagnostic).
func zoneUses(f *topology.File) []providers.ZoneUse {
	var uses []providers.ZoneUse
	for _, z := range f.Zones {
		switch z.ViewName() {
		case topology.ViewInternal, topology.ViewExternal, topology.ViewBoth:
			uses = append(uses, providers.ZoneUse{Zone: z.Name, View: string(z.ViewName()), Provider: z.ProviderRef(), DefRange: z.DefRange})
		}
	}
	return uses
}

// SortDiagnostics orders diagnostics by file and position, so output is
// the same on every run (hcl reports some in map order).
func SortDiagnostics(diags hcl.Diagnostics) {
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
