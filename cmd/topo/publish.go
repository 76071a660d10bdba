package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/publish"
)

type publishOptions struct {
	io              *IO
	g               *globalOptions
	file            string
	autoApprove     bool
	allowMassChange bool
}

func newPublishCmd(io *IO, g *globalOptions) *cobra.Command {
	o := &publishOptions{io: io, g: g}
	c := &cobra.Command{
		Use:   "publish [FILE | PLANFILE]",
		Short: "Apply the topology's DNS changes",
		Long: `Apply a fresh plan of the topology FILE, or exactly the saved PLANFILE made by
'topo plan --out' (topo tells them apart by content).

Before writing, every zone is read again: a saved plan whose zones changed
since it was made is refused, as is one whose topology file changed. A plan
that would update or delete more than a zone's max_change (default 30%) of the
records topo owns there is refused unless --allow-mass-change. Without a
terminal to confirm on, --auto-approve is required.

Exit status: 0 published (or nothing to do), 1 error or refused.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.file = fileArg(args)
			return publishRun(o)
		},
	}
	c.Flags().BoolVar(&o.autoApprove, "auto-approve", false, "apply without asking for confirmation")
	c.Flags().BoolVar(&o.allowMassChange, "allow-mass-change", false, "apply even when the plan changes more than the zones' max_change")
	return c
}

func publishRun(o *publishOptions) error {
	if err := checkOutput(o.g.output, "text", "json"); err != nil {
		return err
	}
	data, err := os.ReadFile(o.file)
	if err != nil {
		return fmt.Errorf("read %q: %w", o.file, unwrapPath(err))
	}
	var l *engine.Loaded
	var p *publish.Plan
	fromSaved := publish.IsPlan(data)
	if fromSaved {
		l, p, err = loadSavedPlan(o, data)
	} else {
		l, p, err = makePlan(o.io, o.g, o.file)
	}
	if err != nil {
		return err
	}
	if o.g.output == "text" {
		if err := writePlan(o.io, o.g, p); err != nil {
			return err
		}
	}
	if !p.HasChanges() {
		return writePublishResult(o, &publish.Result{Zones: []publish.ZoneResult{}}, nil)
	}
	if !o.autoApprove {
		if err := confirm(o); err != nil {
			return err
		}
	}
	res, err := publish.Apply(o.io.Context, p, l.Providers.Get, publish.ApplyOptions{
		AllowMassChange: o.allowMassChange,
		Progress:        progressPrinter(o.io),
	})
	if err != nil {
		var ae *publish.ApplyError
		if errors.As(err, &ae) {
			writePublishResult(o, ae.Result, err)
		}
		return err
	}
	// Prove convergence: a fresh plan must now be empty.
	again, err := publish.Make(o.io.Context, publish.Source{Desired: l.Desired, File: o.file, SHA256: l.Topology.SHA256}, l.Providers.Get)
	if err != nil {
		return fmt.Errorf("published, but the check that DNS now matches failed: %w", err)
	}
	if again.HasChanges() {
		return fmt.Errorf("published, but a fresh plan still shows %s: the provider did not store what was sent", strings.TrimSpace(fmt.Sprint(again.Counts())))
	}
	return writePublishResult(o, res, nil)
}

// loadSavedPlan reads a saved plan and the topology it was made from,
// refusing a plan of another format or a changed topology.
func loadSavedPlan(o *publishOptions, data []byte) (*engine.Loaded, *publish.Plan, error) {
	p, err := publish.Unmarshal(data)
	if err != nil {
		return nil, nil, fmt.Errorf("read plan %q: %w", o.file, err)
	}
	// The topology path is as given to plan; from elsewhere, look beside
	// the plan file too.
	topoPath := p.TopologyFile
	if _, err := os.Stat(topoPath); err != nil && !filepath.IsAbs(topoPath) {
		if alt := filepath.Join(filepath.Dir(o.file), topoPath); fileExists(alt) {
			topoPath = alt
		}
	}
	l := load(o.io, topoPath)
	printDiagnostics(o.io, o.g, l.Files(), l.Diags)
	if l.Desired == nil {
		return nil, nil, withCode(exitError)
	}
	if l.Topology.SHA256 != p.TopologySHA256 {
		return nil, nil, fmt.Errorf("the plan is stale: the topology file %s changed since the plan was made; make a new plan and review it", p.TopologyFile)
	}
	return l, p, nil
}

func confirm(o *publishOptions) error {
	if !o.io.InTTY {
		return &codeError{code: exitError, err: errors.New("refusing to publish without confirmation: there is no terminal to ask on; review the plan and pass --auto-approve")}
	}
	fmt.Fprint(o.io.Err, "\nApply these changes? Only 'yes' is accepted: ")
	line, _ := bufio.NewReader(o.io.In).ReadString('\n')
	if strings.TrimSpace(line) != "yes" {
		return &codeError{code: exitError, err: errors.New("publish cancelled; nothing was changed")}
	}
	return nil
}

// progressPrinter shows chunk progress: rewritten in place on a terminal,
// one line per chunk otherwise (CI logs), and only for multi-chunk zones.
func progressPrinter(s *IO) func(publish.ZonePlan, int, int) {
	return func(z publish.ZonePlan, done, total int) {
		if total <= 1 {
			return
		}
		if s.ErrTTY {
			fmt.Fprintf(s.Err, "\rzone %s: chunk %d/%d", z.ID(), done, total)
			if done == total {
				fmt.Fprintln(s.Err)
			}
			return
		}
		fmt.Fprintf(s.Err, "zone %s: applied chunk %d/%d\n", z.ID(), done, total)
	}
}

func writePublishResult(o *publishOptions, res *publish.Result, failure error) error {
	if o.g.output == "json" {
		out := struct {
			FormatVersion int                  `json:"format_version"`
			Published     bool                 `json:"published"`
			Applied       int                  `json:"applied"`
			Zones         []publish.ZoneResult `json:"zones"`
			Error         string               `json:"error,omitempty"`
		}{FormatVersion: publish.FormatVersion, Published: failure == nil, Applied: res.Applied(), Zones: res.Zones}
		if failure != nil {
			out.Error = failure.Error()
		}
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintf(o.io.Out, "%s\n", b)
		return nil
	}
	if failure != nil {
		return nil
	}
	if len(res.Zones) == 0 {
		return nil
	}
	fmt.Fprintf(o.io.Out, "Published %d change%s in %d zone%s; DNS now matches the topology.\n", res.Applied(), plural1(res.Applied()), len(res.Zones), plural1(len(res.Zones)))
	return nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
