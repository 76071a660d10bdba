package topology_test

import (
	"cmp"
	"fmt"
	"net/netip"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/topo-dns/topo/topology"
)

// testFile is the name every test topology is parsed as; diagnostics that
// point at a second place quote it.
const testFile = "t.hcl"

// diag is a diagnostic reduced to what a test asserts: severity, summary,
// where it points (line:col of the subject's start, "" without a subject)
// and, when the want sets it, a substring of the detail.
type diag struct {
	Sev     string
	Summary string
	At      string
	Detail  string
}

const (
	sevError   = "error"
	sevWarning = "warning"
)

func errAt(summary, at, detail string) diag  { return diag{sevError, summary, at, detail} }
func warnAt(summary, at, detail string) diag { return diag{sevWarning, summary, at, detail} }

// noEnv is a LookupEnv that knows no variable, so tests never depend on the
// environment they run in.
func noEnv(string) (string, bool) { return "", false }

// envOf returns a LookupEnv that knows exactly vars.
func envOf(vars map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := vars[name]
		return v, ok
	}
}

// run is what `topo validate` does with the language: parse and decode,
// then validate and compile whatever decoded, every diagnostic together.
func run(t testing.TB, src string, opts topology.Options) (*topology.Desired, hcl.Diagnostics) {
	t.Helper()
	d, parsed, compiled := runSplit(t, src, opts)
	return d, append(parsed, compiled...)
}

// runSplit is run with Parse's and Compile's diagnostics apart.
func runSplit(t testing.TB, src string, opts topology.Options) (d *topology.Desired, parsed, compiled hcl.Diagnostics) {
	t.Helper()
	if opts.LookupEnv == nil {
		opts.LookupEnv = noEnv
	}
	tp, parsed := topology.Parse([]byte(src), testFile, opts)
	if tp == nil {
		t.Fatalf("Parse returned a nil topology")
	}
	if tp.File == nil {
		return nil, parsed, nil
	}
	d, compiled = topology.Compile(tp.File)
	return d, parsed, compiled
}

// reduce turns diagnostics into diags, in source order (hcl's decoder
// reports the problems of one block in map order, so the order it returns
// is not stable).
func reduce(diags hcl.Diagnostics) []diag {
	var out []diag
	for _, d := range diags {
		g := diag{Summary: d.Summary, Detail: d.Detail}
		switch d.Severity {
		case hcl.DiagError:
			g.Sev = sevError
		case hcl.DiagWarning:
			g.Sev = sevWarning
		default:
			g.Sev = fmt.Sprint(d.Severity)
		}
		if d.Subject != nil {
			g.At = fmt.Sprintf("%d:%d", d.Subject.Start.Line, d.Subject.Start.Column)
		}
		out = append(out, g)
	}
	slices.SortStableFunc(out, func(a, b diag) int {
		return cmp.Or(comparePos(a.At, b.At), cmp.Compare(a.Summary, b.Summary))
	})
	return out
}

func comparePos(a, b string) int {
	var al, ac, bl, bc int
	fmt.Sscanf(a, "%d:%d", &al, &ac)
	fmt.Sscanf(b, "%d:%d", &bl, &bc)
	return cmp.Or(cmp.Compare(al, bl), cmp.Compare(ac, bc))
}

// matchDetails blanks the details of got where want asks for none, and
// replaces a detail that contains the wanted substring by that substring,
// so cmp.Diff shows the whole detail only where it does not match.
func matchDetails(want, got []diag) []diag {
	out := slices.Clone(got)
	for i := range out {
		if i >= len(want) {
			break
		}
		switch {
		case want[i].Detail == "":
			out[i].Detail = ""
		case strings.Contains(out[i].Detail, want[i].Detail):
			out[i].Detail = want[i].Detail
		}
	}
	return out
}

// lines numbers src for failure messages.
func lines(src string) string {
	var b strings.Builder
	for i, l := range strings.Split(src, "\n") {
		fmt.Fprintf(&b, "%3d  %s\n", i+1, l)
	}
	return b.String()
}

// frontendPool returns a topology with one Front End pool with DNS load
// balancing whose servers have the given states, in order. Its layout is
// fixed so tests can name lines:
//
//	 5  pool "p" {               (the pool's definition: 5:3)
//	11  server "s01" {           (server i, from 0, starts at line 11+5i)
//	14    state = "active"       (its state: line 14+5i, column 15)
func frontendPool(product string, states ...topology.State) string {
	var b strings.Builder
	fmt.Fprintf(&b, `name    = "t"
product = %q
zone "contoso.com" {}
site "s" {
  pool "p" {
    fqdn = "pool.contoso.com"
    web_services {
      internal_fqdn = "web.contoso.com"
      internal_vip  = "10.0.0.250"
    }
`, product)
	for i, st := range states {
		fmt.Fprintf(&b, `    server "s%02d" {
      fqdn  = "s%02d.contoso.com"
      ip    = "10.0.0.%d"
      state = %q
    }
`, i+1, i+1, i+1, st)
	}
	b.WriteString("  }\n}\n")
	return b.String()
}

// stateAt is where frontendPool puts server i's state (from 0).
func stateAt(i int) string { return fmt.Sprintf("%d:15", 14+5*i) }

// repeat returns n copies of s.
func repeat[T any](s T, n int) []T {
	out := make([]T, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// join concatenates groups of states.
func join[T any](groups ...[]T) []T { return slices.Concat(groups...) }

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o644) }

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }
