package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

type validateOptions struct {
	io     *IO
	file   string
	output string
}

func newValidateCmd(io *IO, g *globalOptions) *cobra.Command {
	o := &validateOptions{io: io}
	c := &cobra.Command{
		Use:   "validate [FILE]",
		Short: "Check a topology against the language and the product's rules",
		Long: `Check a topology file: its syntax, every Lync / Skype for Business rule topo
knows (FQDNs, pool sizes, quorum, the web services override, zones) and its
provider blocks. Every problem is reported at once, with file:line:col.

Output: -o text (default: diagnostics on stderr, a verdict on stdout), -o json
(every diagnostic with its range, for scripts and editors).

Exit status: 0 valid (warnings allowed), 1 invalid.`,
		Example: `  topo validate                          # topology.hcl in the working directory
  topo validate dns/topology.hcl
  topo validate -o json | jq '.diagnostics[] | .summary'`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeFile(g, "hcl"),
		RunE: func(c *cobra.Command, args []string) error {
			o.file = fileArg(args)
			return validateRun(o)
		},
	}
	addOutputFlag(c, &o.output, "text", "json")
	return c
}

func validateRun(o *validateOptions) error {
	l := load(o.io, o.file)
	errs, warns := countDiags(l.Diags)
	if o.output == "json" {
		if err := writeJSON(o.io.Out, validateDoc{validateFormatVersion, o.file, errs == 0, errs, warns, toDiagJSON(l.Diags)}); err != nil {
			return err
		}
		o.io.annotate(l.Diags)
	} else {
		printDiagnostics(o.io, l.Files(), l.Diags)
		if errs == 0 {
			fmt.Fprintf(o.io.Out, "%s is valid%s.\n", o.file, plural(warns, " with %d warning", "s"))
		} else {
			fmt.Fprintf(o.io.Err, "%s is invalid: %d error%s%s.\n", o.file, errs, plural1(errs), plural(warns, ", %d warning", "s"))
		}
	}
	if errs > 0 {
		return withCode(exitError)
	}
	return nil
}

// validateDoc is validate -o json.
type validateDoc struct {
	FormatVersion int        `json:"format_version"`
	File          string     `json:"file"`
	Valid         bool       `json:"valid"`
	ErrorCount    int        `json:"error_count"`
	WarningCount  int        `json:"warning_count"`
	Diagnostics   []diagJSON `json:"diagnostics"`
}

// plural formats n with format (which has one %d) and suffix when n != 1,
// or nothing when n == 0.
func plural(n int, format, suffix string) string {
	if n == 0 {
		return ""
	}
	s := fmt.Sprintf(format, n)
	if n != 1 {
		s += suffix
	}
	return s
}

func plural1(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
