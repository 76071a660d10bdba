package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/topo-dns/topo/providers"
)

// printDiagnostics writes diagnostics for people on stderr, with source
// snippets, and as GitHub workflow commands when GITHUB_ACTIONS=true.
func printDiagnostics(s *IO, files map[string]*hcl.File, diags hcl.Diagnostics) {
	if len(diags) == 0 {
		return
	}
	writeDiagnosticsText(s.Err, files, diags, s.ColorErr(), s.Registry.SecretNames())
	s.annotate(diags)
}

// writeDiagnosticsText prints each diagnostic as a compiler would: the
// severity and summary, file:line:col, the source line with the range
// underlined, then the detail. A line that may hold a secret is never
// quoted: the diagnostic says so (providers.NoSnippet), or the line sets
// an attribute named like one of secrets or holds a URL with a password
// (providers.SecretLine), whatever the diagnostic is about.
func writeDiagnosticsText(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics, color bool, secrets []string) {
	var b strings.Builder
	for _, d := range diags {
		sev, c := "Error", "\x1b[1;31m"
		if d.Severity == hcl.DiagWarning {
			sev, c = "Warning", "\x1b[1;33m"
		}
		if color {
			fmt.Fprintf(&b, "%s%s\x1b[0m: \x1b[1m%s\x1b[0m\n", c, sev, d.Summary)
		} else {
			fmt.Fprintf(&b, "%s: %s\n", sev, d.Summary)
		}
		if r := d.Subject; r != nil {
			fmt.Fprintf(&b, "  --> %s:%d:%d\n", r.Filename, r.Start.Line, r.Start.Column)
			if _, secret := hcl.DiagnosticExtra[providers.NoSnippet](d); secret {
				b.WriteString("  (source line not shown: it holds a secret)\n")
			} else if f := files[r.Filename]; f != nil {
				writeSnippet(&b, f.Bytes, *r, secrets)
			}
		}
		if d.Detail != "" {
			b.WriteString(wrap(d.Detail, 100))
			b.WriteByte('\n')
		}
		b.WriteByte('\n')
	}
	io.WriteString(w, b.String())
}

// writeSnippet prints the range's first line with a caret underline, or
// says it holds a secret.
func writeSnippet(b *strings.Builder, src []byte, r hcl.Range, secrets []string) {
	lines := strings.Split(string(src), "\n")
	if r.Start.Line < 1 || r.Start.Line > len(lines) {
		return
	}
	line := strings.TrimRight(lines[r.Start.Line-1], "\r")
	if providers.SecretLine(line, secrets) {
		b.WriteString("  (source line not shown: it may hold a secret)\n")
		return
	}
	start := r.Start.Column - 1
	end := len(line)
	if r.End.Line == r.Start.Line && r.End.Column-1 > start && r.End.Column-1 <= len(line) {
		end = r.End.Column - 1
	}
	// A very long line (a minified or hostile file) is cut to a window
	// around the range.
	const longest, window, before = 400, 300, 100
	if len(line) > longest && start >= 0 && start <= len(line) {
		from := max(start-before, 0)
		to := min(from+window, len(line))
		cut := line[from:to]
		shift := 0
		if from > 0 {
			cut = "..." + cut
			shift = 3
		}
		if to < len(line) {
			cut += "..."
		}
		line = cut
		start = start - from + shift
		end = min(end, to) - from + shift
	}
	num := fmt.Sprint(r.Start.Line)
	pad := strings.Repeat(" ", len(num))
	fmt.Fprintf(b, "%s |\n%s | %s\n", pad, num, strings.ReplaceAll(line, "\t", " "))
	if start < 0 || start > len(line) {
		return
	}
	width := max(end-start, 1)
	fmt.Fprintf(b, "%s | %s%s\n", pad, strings.Repeat(" ", start), strings.Repeat("^", width))
}

// wrap folds text at width on spaces.
func wrap(s string, width int) string {
	var b strings.Builder
	for i, para := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		col := 0
		for j, word := range strings.Fields(para) {
			if j > 0 {
				if col+1+len(word) > width {
					b.WriteByte('\n')
					col = 0
				} else {
					b.WriteByte(' ')
					col++
				}
			}
			b.WriteString(word)
			col += len(word)
		}
	}
	return b.String()
}

// writeAnnotations prints diagnostics as GitHub Actions workflow commands,
// so they show on the pull request's diff.
func writeAnnotations(w io.Writer, diags hcl.Diagnostics) {
	for _, d := range diags {
		level := "error"
		if d.Severity == hcl.DiagWarning {
			level = "warning"
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		props := "title=" + escapeProperty("topo: "+d.Summary)
		if d.Subject != nil {
			props = fmt.Sprintf("file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,%s",
				escapeProperty(d.Subject.Filename), d.Subject.Start.Line, d.Subject.Start.Column,
				d.Subject.End.Line, d.Subject.End.Column, props)
		}
		fmt.Fprintf(w, "::%s %s::%s\n", level, props, escapeData(msg))
	}
}

// escapeData and escapeProperty follow the workflow command encoding.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// diagJSON is one diagnostic in validate's JSON output.
type diagJSON struct {
	Severity string     `json:"severity"`
	Summary  string     `json:"summary"`
	Detail   string     `json:"detail,omitempty"`
	Range    *rangeJSON `json:"range,omitempty"`
}

type rangeJSON struct {
	Filename string  `json:"filename"`
	Start    posJSON `json:"start"`
	End      posJSON `json:"end"`
}

type posJSON struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

func toDiagJSON(diags hcl.Diagnostics) []diagJSON {
	out := make([]diagJSON, 0, len(diags))
	for _, d := range diags {
		j := diagJSON{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			j.Severity = "warning"
		}
		if d.Subject != nil {
			r := d.Subject
			j.Range = &rangeJSON{
				Filename: r.Filename,
				Start:    posJSON{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte},
				End:      posJSON{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte},
			}
		}
		out = append(out, j)
	}
	return out
}

func countDiags(diags hcl.Diagnostics) (errs, warns int) {
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			errs++
		} else {
			warns++
		}
	}
	return
}
