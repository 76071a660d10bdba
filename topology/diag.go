package topology

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/topo-dns/topo/internal/suggest"
)

// collector gathers diagnostics; rules never stop at the first problem.
type collector struct {
	diags hcl.Diagnostics
}

func (c *collector) errorf(rng hcl.Range, summary, format string, args ...any) {
	c.add(hcl.DiagError, rng, summary, fmt.Sprintf(format, args...))
}

func (c *collector) warnf(rng hcl.Range, summary, format string, args ...any) {
	c.add(hcl.DiagWarning, rng, summary, fmt.Sprintf(format, args...))
}

func (c *collector) add(sev hcl.DiagnosticSeverity, rng hcl.Range, summary, detail string) {
	d := &hcl.Diagnostic{Severity: sev, Summary: summary, Detail: detail}
	if rng.Filename != "" || rng.Start.Line != 0 {
		r := rng
		d.Subject = &r
	}
	c.diags = append(c.diags, d)
}

// oneOf checks an enumeration value and suggests the nearest allowed one.
func oneOf[T ~string](c *collector, v *T, rng hcl.Range, what string, allowed []T) bool {
	if v == nil {
		return true
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		if *v == a {
			return true
		}
		names[i] = string(a)
	}
	detail := fmt.Sprintf("%s must be one of %s.", what, quoteList(names))
	if s := suggest.Closest(string(*v), names); s != "" {
		detail += fmt.Sprintf(" Did you mean %q?", s)
	}
	c.add(hcl.DiagError, rng, fmt.Sprintf("Invalid %s %q", what, *v), detail)
	return false
}

func quoteList[T ~string](xs []T) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// at formats a range as file:line:col, for details that point at a second
// place.
func at(r hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}
