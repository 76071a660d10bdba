package main

import (
	"fmt"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/topology"
)

type stateOptions struct {
	io     *IO
	file   string
	server string
	state  topology.State
	// fileFlag is -f/--file, the older way to name the file.
	fileFlag string
}

// newStateCmd builds drain, resume and offline: the same edit with a
// different target state.
func newStateCmd(io *IO, g *globalOptions, use string, state topology.State, short, long, example string) *cobra.Command {
	o := &stateOptions{io: io, state: state}
	c := &cobra.Command{
		Use:   use + " SERVER [FILE]",
		Short: short,
		Long: long + `

SERVER is a server's name, FQDN or topology path (site.S.pool.P.server.N); a
name two pools share is refused with both candidates listed. FILE is the
topology, by default topology.hcl (-f FILE, the older form, works too). It is
edited in place, keeping comments and formatting; review the DNS change with
'topo plan' and apply it with 'topo publish'. A change that would take a Front
End pool below quorum is refused.

The shell completes SERVER with the servers of topology.hcl (or the -f file)
that are not already in the target state.

Exit status: 0 changed (or already so), 1 error or refused.`,
		Example: example,
		Args:    cobra.RangeArgs(1, 2),
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if len(args) == 0 {
				file := o.fileFlag
				if file == "" {
					file = "topology.hcl"
				}
				return completeServers(io, g, file, state, toComplete)
			}
			if len(args) == 1 {
				return completeFile(g, "hcl")(c, nil, toComplete)
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			o.server = args[0]
			switch {
			case len(args) == 2 && o.fileFlag != "" && o.fileFlag != args[1]:
				return &codeError{code: exitError, err: fmt.Errorf("two topology files: %s and -f %s; name one (topo %s SERVER FILE)", args[1], o.fileFlag, use)}
			case len(args) == 2:
				o.file = args[1]
			case o.fileFlag != "":
				o.file = o.fileFlag
			default:
				o.file = "topology.hcl"
			}
			return stateRun(o)
		},
	}
	c.Flags().StringVarP(&o.fileFlag, "file", "f", "", "the topology `FILE` to edit (as the FILE argument)")
	if err := c.Flags().MarkHidden("file"); err != nil {
		panic(err) // a programming error: the flag was just added
	}
	if err := c.RegisterFlagCompletionFunc("file", completeFile(g, "hcl")); err != nil {
		panic(err)
	}
	return c
}

func newDrainCmd(io *IO, g *globalOptions) *cobra.Command {
	return newStateCmd(io, g, "drain", topology.StateDraining,
		"Drain a server: take it out of the pool FQDN, keep its own record",
		`Mark a server draining. In DNS it leaves the pool FQDN's records, so no new
client is sent to it, but keeps its own A record for existing sessions and
server-to-server traffic. Then stop its services gracefully
(Stop-CsWindowsService -Graceful) once the TTL has passed.`,
		`  topo drain fe03.contoso.com                       # topology.hcl in the working directory
  topo drain site.redmond.pool.pool01.server.fe03 dns/topology.hcl
  topo drain fe03.contoso.com && topo plan --out plan.json`)
}

func newResumeCmd(io *IO, g *globalOptions) *cobra.Command {
	return newStateCmd(io, g, "resume", topology.StateActive,
		"Return a drained or offline server to service",
		`Mark a server active again: its address returns to the pool FQDN and its own
record is restored.`,
		`  topo resume fe03.contoso.com
  topo resume dub-fe01.contoso.com dns/topology.hcl`)
}

func newOfflineCmd(io *IO, g *globalOptions) *cobra.Command {
	return newStateCmd(io, g, "offline", topology.StateOffline,
		"Take a server out of DNS completely",
		`Mark a server offline: both its pool FQDN entry and its own A record go. To
block a server completely it is not sufficient to remove it from the pool FQDN;
its own record must go too.`,
		`  topo offline fe03.contoso.com
  topo offline site.dublin.pool.pool02.server.fe01 dns/topology.hcl`)
}

func stateRun(o *stateOptions) error {
	src, err := os.ReadFile(o.file)
	if err != nil {
		return fmt.Errorf("read %q: %w", o.file, unwrapPath(err))
	}
	if d := planFileDiag(o.file, src); d != nil {
		printDiagnostics(o.io, nil, hcl.Diagnostics{d})
		return withCode(exitError)
	}
	t, diags := topology.Parse(src, o.file, topology.Options{LookupEnv: o.io.LookupEnv})
	if diags.HasErrors() {
		printDiagnostics(o.io, t.Files, diags)
		return withCode(exitError)
	}
	ref, err := topology.FindServer(t.File, o.server)
	if err != nil {
		return err
	}
	if ref.State == o.state {
		fmt.Fprintf(o.io.Out, "%s is already %s; nothing to change.\n", ref.Path(), o.state)
		return nil
	}
	out, err := topology.SetServerState(src, o.file, t.File, ref, o.state)
	if err != nil {
		return err
	}
	// The edited file must still be a topology; report what validation says.
	nt, diags := topology.Parse(out, o.file, topology.Options{LookupEnv: o.io.LookupEnv})
	if !diags.HasErrors() {
		diags = append(diags, nt.Validate()...)
	}
	if diags.HasErrors() {
		printDiagnostics(o.io, nt.Files, diags)
		return &codeError{code: exitError, err: fmt.Errorf("not changing %s: the edited topology would be invalid", o.file)}
	}
	if err := providers.WriteFileAtomic(o.file, out, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(o.io.Out, "%s (%s): %s -> %s in %s.\nReview the DNS change with: topo plan %s\n", ref.Path(), ref.FQDN, ref.State, o.state, o.file, o.file)
	return nil
}
