package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/spf13/cobra"
)

type fmtOptions struct {
	io    *IO
	g     *globalOptions
	files []string
	check bool
}

func newFmtCmd(io *IO, g *globalOptions) *cobra.Command {
	o := &fmtOptions{io: io, g: g}
	c := &cobra.Command{
		Use:   "fmt [--check] [FILE...]",
		Short: "Rewrite topology files in canonical format",
		Long: `Rewrite topology files in the canonical HCL layout (indentation, aligned
equals signs). With --check, change nothing and list the files that need it.

Exit status: 0 formatted (or already canonical), 1 error, 3 --check found files
that need formatting.`,
		RunE: func(c *cobra.Command, args []string) error {
			o.files = args
			if len(o.files) == 0 {
				o.files = []string{"topology.hcl"}
			}
			return fmtRun(o)
		},
	}
	c.Flags().BoolVar(&o.check, "check", false, "change nothing; exit 3 if a file needs formatting")
	return c
}

func fmtRun(o *fmtOptions) error {
	needs := 0
	for _, f := range o.files {
		src, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("read %q: %w", f, unwrapPath(err))
		}
		// Refuse to "format" a file that does not parse: hclwrite would keep
		// the broken tokens and hide the problem.
		if _, diags := hclsyntax.ParseConfig(src, f, hcl.InitialPos); diags.HasErrors() {
			printDiagnostics(o.io, nil, diags)
			return withCode(exitError)
		}
		out := hclwrite.Format(src)
		if bytes.Equal(out, src) {
			continue
		}
		needs++
		if o.check {
			fmt.Fprintln(o.io.Out, f)
			continue
		}
		if err := writeFileAtomic(f, out); err != nil {
			return err
		}
		fmt.Fprintln(o.io.Out, f)
	}
	if o.check && needs > 0 {
		verb := "need"
		if needs == 1 {
			verb = "needs"
		}
		fmt.Fprintf(o.io.Err, "%d file%s %s formatting: run topo fmt\n", needs, plural1(needs), verb)
		return withCode(exitFormat)
	}
	return nil
}
