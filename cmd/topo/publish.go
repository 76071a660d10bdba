package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/publish"
)

type publishOptions struct {
	io              *IO
	file            string
	output          string
	autoApprove     bool
	allowMassChange bool
}

func newPublishCmd(io *IO, g *globalOptions) *cobra.Command {
	o := &publishOptions{io: io}
	c := &cobra.Command{
		Use:   "publish [FILE | PLANFILE]",
		Short: "Apply the topology's DNS changes",
		Long: `Apply a fresh plan of the topology FILE, or exactly the saved PLANFILE made by
'topo plan --out' (topo tells them apart by content).

Before writing, every zone is read again: a saved plan whose zones changed
since it was made is refused, as is one whose topology file changed, and one
that differs from what topo derives from the topology and those zones (a plan
file edited since topo wrote it; its checksum tells a hand edit or a file cut
short). A plan
that would update or delete more than a zone's max_change (default 30%) of the
records topo owns there is refused unless --allow-mass-change. Without a
terminal to confirm on, --auto-approve is required.

On a terminal topo asks before writing; only "yes" goes ahead, and Ctrl-C at
the question cancels. While a zone is written, stderr shows each zone (and
each chunk of a zone applied in several requests) with the time it took.

Output: -o text (default: the plan, then the result), -o json (the result
only; see README "JSON output").

Exit status: 0 published (or nothing to do), 1 error or refused.`,
		Example: `  topo publish                                # plan topology.hcl afresh, show it, ask for "yes"
  topo plan --out plan.json && topo publish plan.json   # exactly the reviewed plan
  topo publish --auto-approve plan.json       # in CI: no question
  topo publish -o json --auto-approve plan.json > result.json`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeFile(g, "hcl", "json"),
		RunE: func(c *cobra.Command, args []string) error {
			o.file = fileArg(args)
			return publishRun(o)
		},
	}
	c.Flags().BoolVar(&o.autoApprove, "auto-approve", false, "apply without asking for confirmation")
	c.Flags().BoolVar(&o.allowMassChange, "allow-mass-change", false, "apply even when the plan changes more than the zones' max_change")
	addOutputFlag(c, &o.output, "text", "json")
	return c
}

func publishRun(o *publishOptions) error {
	data, err := os.ReadFile(o.file)
	if err != nil {
		return fmt.Errorf("read %q: %w", o.file, unwrapPath(err))
	}
	var l *engine.Loaded
	var p *publish.Plan
	saved := publish.IsPlan(data)
	if saved {
		l, p, err = loadSavedPlan(o, data)
	} else {
		l, p, err = makePlan(o.io, o.file)
	}
	if err != nil {
		return err
	}
	defer done(o.io, l)
	// A plan made from another topology is refused before it is shown; one
	// past the mass-change guard after (so the refusal can be reviewed),
	// and both before anyone is asked to confirm.
	if err := l.Check(p, true); err != nil {
		return err
	}
	if o.output == "text" {
		if err := writePlan(o.io, o.output, p, defaultMaxBytes, "topo plan -o json, or topo plan --out PLANFILE and topo show -o json PLANFILE"); err != nil {
			return err
		}
	}
	if err := l.Check(p, o.allowMassChange); err != nil {
		return err
	}
	if !p.HasChanges() {
		return writePublishResult(o, &engine.Result{Zones: []engine.ZoneResult{}}, nil)
	}
	if !o.autoApprove {
		if err := confirm(o); err != nil {
			return err
		}
	}
	progress := o.io.Progress()
	res, err := l.Publish(o.io.Context, p, engine.PublishOptions{
		AllowMassChange: o.allowMassChange,
		Progress:        progress.Zone,
		// A fresh plan published without a pause for review: its own
		// read is the read just before writing.
		ReusePlanReads: !saved && o.autoApprove,
	})
	progress.End()
	if err != nil {
		var ae *engine.ApplyError
		if errors.As(err, &ae) {
			if werr := writePublishResult(o, ae.Result, err); werr != nil {
				return errors.Join(err, werr)
			}
		}
		return err
	}
	return writePublishResult(o, res, nil)
}

// loadSavedPlan reads a saved plan and the topology it was made from,
// printing the topology's diagnostics.
func loadSavedPlan(o *publishOptions, data []byte) (*engine.Loaded, *publish.Plan, error) {
	l, p, err := engine.LoadPlan(o.file, data, loadOptions(o.io))
	if err != nil {
		return nil, nil, err
	}
	printDiagnostics(o.io, l.Files(), l.Diags)
	if l.Desired == nil {
		return nil, nil, withCode(exitError)
	}
	return l, p, nil
}

func confirm(o *publishOptions) error {
	if !o.io.InTTY {
		return &codeError{code: exitError, err: errors.New("refusing to publish without confirmation: there is no terminal to ask on; review the plan and pass --auto-approve")}
	}
	fmt.Fprint(o.io.Err, "\nApply these changes? Only 'yes' is accepted: ")
	cancelled := &codeError{code: exitError, err: errors.New("publish cancelled; nothing was changed")}
	// The read cannot be interrupted: it runs on its own, and Ctrl-C (the
	// context) answers for it. The process ends soon after either way.
	answer := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(o.io.In).ReadString('\n')
		answer <- line
	}()
	select {
	case <-o.io.Context.Done():
		fmt.Fprintln(o.io.Err)
		return cancelled
	case line := <-answer:
		if strings.TrimSpace(line) != "yes" {
			return cancelled
		}
		return nil
	}
}

// publishDoc is publish -o json. Applied, NotApplied and Unknown count
// the changes of every zone by outcome; after a failure each zone result
// says how its changes were found (read again, or the provider's word)
// and the failed zone lists every change's outcome with its evidence.
type publishDoc struct {
	FormatVersion int                 `json:"format_version"`
	Published     bool                `json:"published"`
	Applied       int                 `json:"applied"`
	NotApplied    int                 `json:"not_applied"`
	Unknown       int                 `json:"unknown"`
	Zones         []engine.ZoneResult `json:"zones"`
	Error         string              `json:"error,omitempty"`
}

func writePublishResult(o *publishOptions, res *engine.Result, failure error) error {
	if o.output == "json" {
		out := publishDoc{FormatVersion: publishFormatVersion, Published: failure == nil, Applied: res.Applied(),
			NotApplied: res.NotApplied(), Unknown: res.Unknown(), Zones: res.Zones}
		if failure != nil {
			out.Error = failure.Error()
		}
		return writeJSON(o.io.Out, out)
	}
	if failure != nil || len(res.Zones) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Published %d change%s in %d zone%s; DNS now matches the topology.\n", res.Applied(), plural1(res.Applied()), len(res.Zones), plural1(len(res.Zones)))
	for _, z := range res.Zones {
		if z.Server != "" {
			fmt.Fprintf(&b, "  zone %s (%s): written to %s and checked there; its other servers get the changes by replication (topo verify --server HOST:PORT asks one)\n", z.Zone, z.View, z.Server)
		}
	}
	_, err := io.WriteString(o.io.Out, b.String())
	return err
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
