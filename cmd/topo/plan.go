package main

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/publish"
)

type planOptions struct {
	io               *IO
	file             string
	output           string
	out              string
	detailedExitCode bool
	graph            bool
	maxBytes         int
}

// defaultMaxBytes bounds a printed plan by default: a Markdown plan that
// long still fits a GitHub pull-request comment (65,536 characters, whole
// or refused), with room for the comment's own heading.
const defaultMaxBytes = 60000

// stepSummaryMax is GitHub's limit on one step's job summary: 1 MiB, whole
// or refused.
const stepSummaryMax = 1 << 20

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
	c.Flags().BoolVar(&o.graph, "graph", false, "with -o markdown (and in GITHUB_STEP_SUMMARY), embed a Mermaid graph of the pools the plan changes")
	c.Flags().IntVar(&o.maxBytes, "max-bytes", defaultMaxBytes, "summarise a text or Markdown plan longer than `N` bytes to fit (0: never); --out and -o json keep the whole plan")
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
	if o.maxBytes < 0 || (o.maxBytes > 0 && o.maxBytes < publish.MinMaxBytes) {
		return fmt.Errorf("--max-bytes %d: give 0 (never summarise) or at least %d", o.maxBytes, publish.MinMaxBytes)
	}
	l, p, err := makePlan(o.io, o.file)
	if err != nil {
		return err
	}
	defer done(o.io, l)
	switch o.output {
	case "json":
		err = writeJSON(o.io.Out, p)
	case "markdown":
		err = publish.WriteMarkdownWith(o.io.Out, p, o.markdownOptions(l, o.maxBytes))
	default:
		err = publish.WriteText(o.io.Out, p, publish.TextOptions{Color: o.io.ColorOut(), Now: time.Now(), MaxBytes: o.maxBytes, FullPlan: o.fullPlan()})
	}
	if err != nil {
		return err
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
	if err := appendStepSummary(o, l, p); err != nil {
		return err
	}
	if o.detailedExitCode && p.HasChanges() {
		return withCode(exitChanges)
	}
	return nil
}

// writePlan prints the plan on stdout in the chosen format.
// writePlan prints a plan in format, a text or Markdown one summarised
// past maxBytes (0: never) with fullPlan saying where the whole plan is.
func writePlan(s *IO, format string, p *publish.Plan, maxBytes int, fullPlan string) error {
	switch format {
	case "json":
		return writeJSON(s.Out, p)
	case "markdown":
		return publish.WriteMarkdownWith(s.Out, p, publish.MarkdownOptions{MaxBytes: maxBytes, FullPlan: fullPlan})
	}
	return publish.WriteText(s.Out, p, publish.TextOptions{Color: s.ColorOut(), Now: time.Now(), MaxBytes: maxBytes, FullPlan: fullPlan})
}

// fullPlan says where the whole plan is, for a summarised one.
func (o *planOptions) fullPlan() string {
	if o.out != "" {
		return fmt.Sprintf("the saved plan %s, or topo plan -o json", o.out)
	}
	return "topo plan -o json, or topo plan --out PLANFILE to save it"
}

// markdownOptions are the Markdown view's options within max bytes, with
// the graph when asked for.
func (o *planOptions) markdownOptions(l *engine.Loaded, max int) publish.MarkdownOptions {
	opts := publish.MarkdownOptions{MaxBytes: max, FullPlan: o.fullPlan()}
	if o.graph && l.Topology != nil {
		opts.Topology, opts.Desired = l.Topology.File, l.Desired
	}
	return opts
}

// appendStepSummary adds the Markdown plan to GitHub's job summary, within
// what the step's summary has left of GitHub's limit (whatever
// --max-bytes says: a summary over the limit is refused whole).
func appendStepSummary(o *planOptions, l *engine.Loaded, p *publish.Plan) error {
	path := o.io.getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return nil
	}
	room := stepSummaryMax
	if fi, err := os.Stat(path); err == nil {
		room -= int(fi.Size())
	}
	if room < publish.MinMaxBytes {
		fmt.Fprintf(o.io.Err, "GITHUB_STEP_SUMMARY holds %d bytes of GitHub's %d already: the plan is not added to it\n", stepSummaryMax-room, stepSummaryMax)
		return nil
	}
	var b bytes.Buffer
	if err := publish.WriteMarkdownWith(&b, p, o.markdownOptions(l, room)); err != nil {
		return err
	}
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
