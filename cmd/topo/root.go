package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// globalOptions are the flags every command shares (--no-color lives in
// IO, which makes the colour decisions).
type globalOptions struct {
	output string
}

// run is the whole program: parse args, run the command, map the outcome
// to an exit code.
func run(args []string, io *IO) int {
	root := newRootCmd(io)
	root.SetArgs(args)
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	err := root.ExecuteContext(io.Context)
	return exitCode(err, io)
}

func newRootCmd(io *IO) *cobra.Command {
	g := &globalOptions{}
	root := &cobra.Command{
		Use:   "topo",
		Short: "Keep a Lync / Skype for Business topology and its DNS in step",
		Long: `topo reads a topology file (HCL) naming sites, pools, front-end servers and web
services, validates it against the product's rules, compiles it into the DNS
records DNS load balancing needs, and plans and publishes them through DNS
providers.`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.PersistentFlags().StringVarP(&g.output, "output", "o", "text", "output format (text, json; some commands: markdown, zone)")
	root.PersistentFlags().BoolVar(&io.NoColor, "no-color", false, "never color output (NO_COLOR does the same)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &codeError{code: exitError, err: fmt.Errorf("%v (see '%s --help')", err, c.CommandPath())}
	})
	root.AddCommand(
		newValidateCmd(io, g),
		newCompileCmd(io, g),
		newPlanCmd(io, g),
		newPublishCmd(io, g),
		newFmtCmd(io, g),
		newGraphCmd(io, g),
		newDrainCmd(io, g),
		newResumeCmd(io, g),
		newOfflineCmd(io, g),
		newVerifyCmd(io, g),
		newImportCmd(io, g),
	)
	addVersion(root, io, g)
	return root
}

// checkOutput refuses an output format the command does not offer.
func checkOutput(got string, allowed ...string) error {
	for _, a := range allowed {
		if got == a {
			return nil
		}
	}
	return &codeError{code: exitError, err: fmt.Errorf("unknown output format %q: this command offers %v", got, allowed)}
}

// fileArg returns the topology file argument, defaulting to topology.hcl.
func fileArg(args []string) string {
	if len(args) > 0 {
		return args[0]
	}
	return "topology.hcl"
}
