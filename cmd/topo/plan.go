package main

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

type planOptions struct {
	io               *IO
	file             string
	output           string
	out              string
	detailedExitCode bool
	graph            bool
}

func newPlanCmd(io *IO, g *globalOptions) *cobra.Command {
	o := &planOptions{io: io}
	c := &cobra.Command{
		Use:   "plan [FILE]",
		Short: "Show what publishing the topology would change in DNS",
		Long: `Read every zone the topology names from its provider, compare it with what
the topology compiles to, and print the difference. Only records topo owns are
ever changed; a desired record set the zone already holds exactly (name, type,
TTL and values) but topo does not own is adopted (=): publishing writes only
topo's ownership marker beside it (adopt = "never" on the zone refuses that).
A desired record colliding with one topo does not own is an error.

--out PLANFILE saves the plan (JSON, with a fingerprint of every zone read) for
'topo publish PLANFILE', which applies exactly it or refuses if DNS changed;
'topo show PLANFILE' prints it again in any format.

Output: -o text (default), -o json, -o markdown. With GITHUB_STEP_SUMMARY set,
the Markdown plan is appended to that file.

Exit status: 0 success (with --detailed-exitcode: no changes), 1 error,
2 changes pending (only with --detailed-exitcode).`,
		Example: `  topo plan                              # topology.hcl in the working directory
  topo plan --out plan.json              # save it; review with topo show, apply with topo publish
  topo plan --detailed-exitcode --out plan.json -o markdown > plan.md   # CI: exit 2 on changes
  topo plan -o json dns/topology.hcl | jq '.zones[].changes | length'`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeFile(g, "hcl"),
		RunE: func(c *cobra.Command, args []string) error {
			o.file = fileArg(args)
			return planRun(o)
		},
	}
	c.Flags().StringVar(&o.out, "out", "", "save the plan to `PLANFILE` for a later publish")
	c.Flags().BoolVar(&o.detailedExitCode, "detailed-exitcode", false, "exit 2 when there are changes, 0 when there are none")
	c.Flags().BoolVar(&o.graph, "graph", false, "with -o markdown (and in GITHUB_STEP_SUMMARY), embed a Mermaid graph of the topology")
	addOutputFlag(c, &o.output, "text", "json", "markdown")
	return c
}

// makePlan loads, checks and plans a topology, printing diagnostics. A
// plan with conflicts is an error.
func makePlan(s *IO, file string) (*engine.Loaded, *publish.Plan, error) {
	l := load(s, file)
	printDiagnostics(s, l.Files(), l.Diags)
	if l.Desired == nil {
		return nil, nil, withCode(exitError)
	}
	p, err := l.Plan(s.Context)
	if err == nil {
		err = p.Err()
	}
	if err != nil {
		done(s, l)
		return nil, nil, err
	}
	return l, p, nil
}

func planRun(o *planOptions) error {
	l, p, err := makePlan(o.io, o.file)
	if err != nil {
		return err
	}
	defer done(o.io, l)
	if err := writePlan(o.io, o.output, p); err != nil {
		return err
	}
	var graph []byte
	if o.graph {
		var b bytes.Buffer
		b.WriteString("#### Topology\n\n```mermaid\n")
		if err := topology.WriteMermaid(&b, l.Topology.File, l.Desired); err != nil {
			return err
		}
		b.WriteString("```\n")
		graph = b.Bytes()
		if o.output == "markdown" {
			if _, err := o.io.Out.Write(graph); err != nil {
				return err
			}
		}
	}
	if o.out != "" {
		var data bytes.Buffer
		if err := writeJSON(&data, p); err != nil {
			return err
		}
		if err := os.WriteFile(o.out, data.Bytes(), 0o600); err != nil {
			return fmt.Errorf("save plan: %w", err)
		}
		fmt.Fprintf(o.io.Err, "Saved the plan to %s; apply exactly it with: topo publish %s\n", o.out, o.out)
	}
	if err := appendStepSummary(o.io, p, graph); err != nil {
		return err
	}
	if o.detailedExitCode && p.HasChanges() {
		return withCode(exitChanges)
	}
	return nil
}

// writePlan prints the plan on stdout in the chosen format.
func writePlan(s *IO, format string, p *publish.Plan) error {
	switch format {
	case "json":
		return writeJSON(s.Out, p)
	case "markdown":
		return publish.WriteMarkdown(s.Out, p)
	}
	return publish.WriteText(s.Out, p, publish.TextOptions{Color: s.ColorOut(), Now: time.Now()})
}

// appendStepSummary adds the Markdown plan to GitHub's job summary.
func appendStepSummary(s *IO, p *publish.Plan, extra []byte) error {
	path := s.getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return nil
	}
	var b bytes.Buffer
	if err := publish.WriteMarkdown(&b, p); err != nil {
		return err
	}
	b.Write(extra)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("append to GITHUB_STEP_SUMMARY: %w", err)
	}
	_, err = f.Write(b.Bytes())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("append to GITHUB_STEP_SUMMARY: %w", err)
	}
	return nil
}
