package main

import (
	"fmt"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/spf13/cobra"

	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

type showOptions struct {
	io       *IO
	file     string
	output   string
	maxBytes int
}

func newShowCmd(io *IO) *cobra.Command {
	o := &showOptions{io: io}
	c := &cobra.Command{
		Use:   "show PLANFILE",
		Short: "Print a saved plan as text, JSON or Markdown",
		Long: `Print a plan saved by 'topo plan --out PLANFILE' as topo plan printed it: the
changes per zone, the notes on servers that drain, go offline or leave, and the
totals. Nothing is read but PLANFILE: neither the topology nor DNS, so a
reviewer can read a plan a CI job saved. Whether DNS changed since is what
'topo publish PLANFILE' checks before applying it.

Output: -o text (default), -o json (the plan document itself), -o markdown
(for a pull-request comment).

Exit status: 0, 1 when PLANFILE is not a plan topo can read.`,
		Example: `  topo plan --out plan.json && topo show plan.json
  topo show -o markdown plan.json > plan.md
  topo show -o json plan.json | jq '.zones[] | {zone, view, changes: (.changes | length)}'`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeFile(nil, "json"),
		RunE: func(c *cobra.Command, args []string) error {
			o.file = args[0]
			return showRun(o)
		},
	}
	addOutputFlag(c, &o.output, "text", "json", "markdown")
	c.Flags().IntVar(&o.maxBytes, "max-bytes", defaultMaxBytes, "summarise a text or Markdown plan longer than `N` bytes to fit (0: never); -o json keeps the whole plan")
	return c
}

func showRun(o *showOptions) error {
	data, err := os.ReadFile(o.file)
	if err != nil {
		return fmt.Errorf("read %q: %w", o.file, unwrapPath(err))
	}
	if !publish.IsPlan(data) {
		if _, diags := hclParse(data, o.file); !diags.HasErrors() {
			return &codeError{code: exitError, err: fmt.Errorf("%s is a topology, not a saved plan: show what it would change with: topo plan %s", o.file, o.file)}
		}
		return &codeError{code: exitError, err: fmt.Errorf("%s is not a saved plan: make one with: topo plan --out %s", o.file, o.file)}
	}
	p, err := publish.Unmarshal(data)
	if err != nil {
		return fmt.Errorf("read plan %q: %w", o.file, err)
	}
	if o.maxBytes < 0 || (o.maxBytes > 0 && o.maxBytes < publish.MinMaxBytes) {
		return fmt.Errorf("--max-bytes %d: give 0 (never summarise) or at least %d", o.maxBytes, publish.MinMaxBytes)
	}
	return writePlan(o.io, o.output, p, o.maxBytes, "topo show -o json "+o.file)
}

// hclParse parses src as HCL syntax, after the bounds every parse needs.
func hclParse(src []byte, name string) (*hcl.File, hcl.Diagnostics) {
	if diags := topology.CheckSource(src, name); diags.HasErrors() {
		return nil, diags
	}
	return hclsyntax.ParseConfig(src, name, hcl.InitialPos)
}
