package providers

import (
	"fmt"
	"slices"
	"sort"

	"github.com/hashicorp/hcl/v2"

	"github.com/topo-dns/topo/internal/suggest"
)

// Set is the providers a topology declares, opened, by reference
// ("rfc2136.corp").
type Set struct {
	byRef map[string]Provider
	reg   Registry
	dir   string
}

// DefaultKind is the kind of the embedded default provider, and DefaultRef
// the reference a zone without a provider uses.
const (
	DefaultKind = "zonefile"
	DefaultRef  = DefaultKind + ".default"
)

// Block is one `provider "<kind>" "<name>" { ... }` block as a
// configuration language hands it over: plain data, its body not decoded.
type Block struct {
	Kind, Name string
	// Body is decoded by the kind's Open.
	Body hcl.Body
	// DefRange is the block's header, where diagnostics about the block
	// as a whole point.
	DefRange hcl.Range
}

// Ref is how zones refer to the block: "<kind>.<name>".
func (b Block) Ref() string { return b.Kind + "." + b.Name }

// Config is what Open decodes provider blocks with.
type Config struct {
	Blocks []Block
	// EvalContext is the context the bodies' attributes are evaluated in
	// (the env() function).
	EvalContext *hcl.EvalContext
	// BaseDir is the directory relative paths in provider blocks are
	// resolved from: the topology file's.
	BaseDir string
}

// Open decodes every provider block with the registry's kinds, checks
// their attributes (credentials must come through env()), and returns them
// without contacting any service. Every problem comes back at once.
func Open(reg Registry, cfg Config) (*Set, hcl.Diagnostics) {
	s := &Set{byRef: map[string]Provider{}, reg: reg, dir: cfg.BaseDir}
	var diags hcl.Diagnostics
	for _, b := range cfg.Blocks {
		kind, ok := reg[b.Kind]
		if !ok {
			d := &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unknown provider kind",
				Detail:   fmt.Sprintf("There is no provider kind %q. Known kinds: %s.", b.Kind, joinQuoted(reg.Kinds())),
				Subject:  b.DefRange.Ptr(),
			}
			if s := suggest.Closest(b.Kind, reg.Kinds()); s != "" {
				d.Detail += fmt.Sprintf(" Did you mean %q?", s)
			}
			diags = append(diags, d)
			continue
		}
		ds := literalSecrets(b, kind)
		p, more := kind.Open(b.Body, cfg.EvalContext, OpenEnv{BaseDir: cfg.BaseDir, Name: b.Name})
		if p != nil && !more.HasErrors() {
			s.byRef[b.Ref()] = p
		}
		ds = append(ds, more...)
		redactBlock(b.Body, cfg.EvalContext, kind.Secrets, ds)
		diags = append(diags, ds...)
	}
	return s, dropEchoes(diags)
}

// dropEchoes removes the "value must be known" error gohcl adds after a
// failed function call at the same place: the call's own error says why.
func dropEchoes(diags hcl.Diagnostics) hcl.Diagnostics {
	failed := map[hcl.Range]bool{}
	for _, d := range diags {
		if d.Summary == "Error in function call" && d.Subject != nil {
			failed[*d.Subject] = true
		}
	}
	if len(failed) == 0 {
		return diags
	}
	out := diags[:0:0]
	for _, d := range diags {
		if d.Summary == "Unsuitable value type" && d.Subject != nil && failed[*d.Subject] {
			continue
		}
		out = append(out, d)
	}
	return out
}

// literalSecrets warns about a credential written into the file instead of
// coming from the environment through env(): in an attribute the kind
// marks secret, or in one whose name is a likely misspelling of such
// (SecretName), which the kind will refuse as unknown.
func literalSecrets(b Block, kind Kind) hcl.Diagnostics {
	if len(kind.Secrets) == 0 {
		return nil
	}
	attrs, _ := b.Body.JustAttributes()
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	sort.Strings(names)
	var diags hcl.Diagnostics
	for _, name := range names {
		a := attrs[name]
		if !SecretName(name, kind.Secrets) || len(a.Expr.Variables()) > 0 || callsFunction(a.Expr) {
			continue
		}
		detail := fmt.Sprintf("%s is a credential; anyone who can read this file or its history can use it. Write %s = env(\"VARIABLE\") and set the variable in the environment (a CI secret).", name, name)
		if !slices.Contains(kind.Secrets, name) {
			detail = fmt.Sprintf("%s looks like a credential (%s). Anyone who can read this file or its history can use what it holds: remove it from the file, and set the credential with env(\"VARIABLE\") and the variable in the environment (a CI secret).", name, joinQuoted(closeSecrets(name, kind.Secrets)))
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Secret written into the topology file",
			Detail:   detail,
			Subject:  a.Expr.Range().Ptr(),
			// Quoting the line would print the secret itself.
			Extra: NoSnippet{},
		})
	}
	return diags
}

// closeSecrets are the secret names name may be a misspelling of.
func closeSecrets(name string, secrets []string) []string {
	var out []string
	for _, s := range secrets {
		if SecretName(name, []string{s}) {
			out = append(out, s)
		}
	}
	return out
}

// NoSnippet in a diagnostic's Extra asks printers not to quote the source
// line: it holds a secret. Read it with hcl.DiagnosticExtra[NoSnippet].
// Wrapped is the Extra the diagnostic had before, still found by
// hcl.DiagnosticExtra.
type NoSnippet struct {
	Wrapped any
}

// UnwrapDiagnosticExtra implements hcl.DiagnosticExtraUnwrapper.
func (n NoSnippet) UnwrapDiagnosticExtra() any { return n.Wrapped }

// callsFunction reports whether an expression is (or contains) a function
// call, such as env("X").
func callsFunction(e hcl.Expression) bool {
	_, static := e.Value(nil)
	// An expression that cannot evaluate without a context calls a function
	// or refers to a variable; a literal evaluates on its own.
	return static.HasErrors()
}

// Get returns the provider a zone refers to, for the zone's view. The
// default zonefile provider exists without a block.
func (s *Set) Get(ref, view string) (Provider, error) {
	p, err := s.provider(ref)
	if err != nil {
		return nil, err
	}
	if v, ok := p.(Viewer); ok {
		return v.ForView(view), nil
	}
	return p, nil
}

// provider returns the provider a reference names, opening the default on
// first use.
func (s *Set) provider(ref string) (Provider, error) {
	if p, ok := s.byRef[ref]; ok {
		return p, nil
	}
	if ref != DefaultRef {
		return nil, fmt.Errorf("provider %q is not declared", ref)
	}
	k, ok := s.reg[DefaultKind]
	if !ok {
		return nil, fmt.Errorf("provider kind %q is not registered", DefaultKind)
	}
	p, diags := k.Open(hcl.EmptyBody(), nil, OpenEnv{BaseDir: s.dir, Name: "default"})
	if diags.HasErrors() {
		return nil, diags
	}
	s.byRef[ref] = p
	return p, nil
}

func joinQuoted(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%q", x)
	}
	return out
}
