package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/topo-dns/topo/topology"
)

type stateOptions struct {
	io     *IO
	g      *globalOptions
	file   string
	server string
	state  topology.State
}

// newStateCmd builds drain, resume and offline: the same edit with a
// different target state.
func newStateCmd(io *IO, g *globalOptions, use string, state topology.State, short, long string) *cobra.Command {
	o := &stateOptions{io: io, g: g, state: state}
	c := &cobra.Command{
		Use:   use + " SERVER",
		Short: short,
		Long: long + `

SERVER is a server's name, FQDN or topology path (site.S.pool.P.server.N). The
topology file is edited in place, keeping comments and formatting; review the
DNS change with 'topo plan' and apply it with 'topo publish'. A change that
would take a Front End pool below quorum is refused.

Exit status: 0 changed (or already so), 1 error or refused.`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.server = args[0]
			return stateRun(o)
		},
	}
	c.Flags().StringVarP(&o.file, "file", "f", "topology.hcl", "the topology `FILE` to edit")
	return c
}

func newDrainCmd(io *IO, g *globalOptions) *cobra.Command {
	return newStateCmd(io, g, "drain", topology.StateDraining,
		"Drain a server: take it out of the pool FQDN, keep its own record",
		`Mark a server draining. In DNS it leaves the pool FQDN's records, so no new
client is sent to it, but keeps its own A record for existing sessions and
server-to-server traffic. Then stop its services gracefully
(Stop-CsWindowsService -Graceful) once the TTL has passed.`)
}

func newResumeCmd(io *IO, g *globalOptions) *cobra.Command {
	return newStateCmd(io, g, "resume", topology.StateActive,
		"Return a drained or offline server to service",
		`Mark a server active again: its address returns to the pool FQDN and its own
record is restored.`)
}

func newOfflineCmd(io *IO, g *globalOptions) *cobra.Command {
	return newStateCmd(io, g, "offline", topology.StateOffline,
		"Take a server out of DNS completely",
		`Mark a server offline: both its pool FQDN entry and its own A record go. To
block a server completely it is not sufficient to remove it from the pool FQDN;
its own record must go too.`)
}

func stateRun(o *stateOptions) error {
	src, err := os.ReadFile(o.file)
	if err != nil {
		return fmt.Errorf("read %q: %w", o.file, unwrapPath(err))
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
	if err := writeFileAtomic(o.file, out); err != nil {
		return err
	}
	fmt.Fprintf(o.io.Out, "%s (%s): %s -> %s in %s.\nReview the DNS change with: topo plan %s\n", ref.Path(), ref.FQDN, ref.State, o.state, o.file, o.file)
	return nil
}
