package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// printDiagnostics writes diagnostics for people on stderr, with source
// snippets, and as GitHub workflow commands when GITHUB_ACTIONS=true.
func printDiagnostics(s *IO, g *globalOptions, files map[string]*hcl.File, diags hcl.Diagnostics) {
	if len(diags) == 0 {
		return
	}
	color := !g.noColor && s.getenv("NO_COLOR") == "" && s.getenv("TERM") != "dumb" && s.OutTTY
	wr := hcl.NewDiagnosticTextWriter(s.Err, files, 100, color)
	wr.WriteDiagnostics(diags)
	if s.getenv("GITHUB_ACTIONS") == "true" {
		writeAnnotations(s.Out, diags)
	}
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
