package providers

import (
	"sort"

	"github.com/hashicorp/hcl/v2"
)

// Kind is one kind of provider ("zonefile", "rfc2136", ...): how to turn a
// `provider "<kind>" "<name>"` block into a configured Provider.
type Kind struct {
	// Open decodes the block's body (attributes already allowed to call
	// env()) and returns the provider. It checks the configuration and
	// reports problems as diagnostics with source ranges; it must not contact
	// the service.
	Open func(body hcl.Body, ectx *hcl.EvalContext, env OpenEnv) (Provider, hcl.Diagnostics)
	// Secrets names the attributes that hold credentials. They must be set
	// through env(); a literal value there is a warning. Open keeps their
	// values, and those of attributes named within edit distance 2 of them
	// (a misspelling), out of every diagnostic of the block, and marks
	// every diagnostic on them NoSnippet (see SecretName, redactBlock).
	Secrets []string
}

// OpenEnv is what a provider may know of where it is configured.
type OpenEnv struct {
	// BaseDir is the directory of the topology file; relative paths in a
	// provider block are relative to it.
	BaseDir string
	// Name is the provider block's name label.
	Name string
}

// Viewer is implemented by providers that keep DNS views apart themselves
// (the zone file provider writes one file per view). ForView returns the
// provider for one view: "internal", "external" or "both".
type Viewer interface {
	ForView(view string) Provider
}

// Registry maps provider kinds to their implementations. It is an explicit
// value, built by the caller; topo has no global registry.
type Registry map[string]Kind

// Kinds returns the registered kind names, sorted.
func (r Registry) Kinds() []string {
	ks := make([]string, 0, len(r))
	for k := range r {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
