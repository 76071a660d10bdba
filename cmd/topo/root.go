package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// globalOptions are the flags every command shares (--no-color lives in
// IO, which makes the colour decisions).
type globalOptions struct {
	// chdir is -C/--chdir: the directory to work in, as if topo had been
	// started there.
	chdir string
}

// run is the whole program: parse args, run the command, map the outcome
// to an exit code.
func run(args []string, io *IO) int {
	root := newRootCmd(io)
	root.SetArgs(args)
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
providers.

Every command that reads a topology takes it as its FILE argument, by default
topology.hcl in the working directory. Commands that print data take
-o/--output with the formats they offer (see each command's help).`,
		Example: `  topo validate                      # topology.hcl in the working directory
  topo plan --out plan.json          # what would change in DNS, saved for review
  topo show plan.json -o markdown    # the saved plan, for a pull request
  topo publish plan.json             # apply exactly that plan
  topo drain fe03.contoso.com        # take a server out of its pool FQDN
  topo -C examples/contoso plan      # work in another directory`,
		SilenceErrors: true,
		SilenceUsage:  true,
		// -C acts before any command reads a file.
		PersistentPreRunE: func(c *cobra.Command, args []string) error {
			if g.chdir == "" {
				return nil
			}
			if err := os.Chdir(g.chdir); err != nil {
				return &codeError{code: exitError, err: fmt.Errorf("-C %s: %w", g.chdir, unwrapPath(err))}
			}
			return nil
		},
	}
	root.PersistentFlags().BoolVar(&io.NoColor, "no-color", false, "never color output (NO_COLOR does the same)")
	root.PersistentFlags().StringVarP(&g.chdir, "chdir", "C", "", "work in `DIR`, as if topo had been started there")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		// pflag's "invalid argument ... for flag" adds nothing to ours.
		if fe := (*formatError)(nil); errors.As(err, &fe) {
			err = fe
		}
		return &codeError{code: exitError, err: fmt.Errorf("%v (see '%s --help')", err, c.CommandPath())}
	})
	root.AddCommand(
		newValidateCmd(io, g),
		newCompileCmd(io, g),
		newPlanCmd(io, g),
		newShowCmd(io),
		newPublishCmd(io, g),
		newFmtCmd(io),
		newGraphCmd(io, g),
		newDrainCmd(io, g),
		newResumeCmd(io, g),
		newOfflineCmd(io, g),
		newVerifyCmd(io, g),
		newImportCmd(io),
	)
	addVersion(root, io)
	// Before addHelpExamples: cobra's completion command keeps the writer
	// it is made with.
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	addHelpExamples(root)
	return root
}

// addHelpExamples makes cobra's own help and completion commands now, to
// give them examples as every topo command has.
func addHelpExamples(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	examples := map[string]string{
		"help": `  topo help plan
  topo help import topology`,
		"completion": `  source <(topo completion bash)                      # bash, this shell only
  topo completion zsh > "${fpath[1]}/_topo"           # zsh, every new shell
  topo completion fish > ~/.config/fish/completions/topo.fish
  topo completion powershell | Out-String | Invoke-Expression`,
		"bash": `  source <(topo completion bash)
  topo completion bash > /etc/bash_completion.d/topo`,
		"zsh":  `  topo completion zsh > "${fpath[1]}/_topo"`,
		"fish": `  topo completion fish > ~/.config/fish/completions/topo.fish`,
		"powershell": `  topo completion powershell | Out-String | Invoke-Expression
  topo completion powershell >> $PROFILE`,
	}
	for _, c := range root.Commands() {
		if c.Name() != "help" && c.Name() != "completion" {
			continue
		}
		c.Example = examples[c.Name()]
		for _, sub := range c.Commands() {
			sub.Example = examples[sub.Name()]
		}
	}
}

// formatValue is the value of a command's -o/--output: one of the formats
// the command offers, checked as the flag is parsed.
type formatValue struct {
	p       *string
	formats []string
}

func (f *formatValue) String() string { return *f.p }
func (f *formatValue) Type() string   { return "format" }

func (f *formatValue) Set(s string) error {
	for _, a := range f.formats {
		if s == a {
			*f.p = s
			return nil
		}
	}
	return &formatError{value: s, formats: f.formats}
}

// formatError is an -o value the command does not offer.
type formatError struct {
	value   string
	formats []string
}

func (e *formatError) Error() string {
	return fmt.Sprintf("unknown output format %q: this command offers %s", e.value, strings.Join(e.formats, ", "))
}

// addOutputFlag gives c an -o/--output flag taking one of formats (the
// first is the default), completed by the shell.
func addOutputFlag(c *cobra.Command, p *string, formats ...string) {
	*p = formats[0]
	c.Flags().VarP(&formatValue{p: p, formats: formats}, "output", "o", "output format: "+strings.Join(formats, ", "))
	if err := c.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(formats, cobra.ShellCompDirectiveNoFileComp)); err != nil {
		panic(err) // a programming error: the flag was just added
	}
}

// fileArg returns the topology file argument, defaulting to topology.hcl.
func fileArg(args []string) string {
	if len(args) > 0 {
		return args[0]
	}
	return "topology.hcl"
}
