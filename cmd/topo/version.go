package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/topo-dns/topo/internal/version"
)

// versionFormatVersion versions the JSON `topo version -o json` prints.
const versionFormatVersion = 1

type versionOptions struct {
	io     *IO
	output string
}

func newVersionCmd(io *IO) *cobra.Command {
	o := &versionOptions{io: io}
	c := &cobra.Command{
		Use:   "version",
		Short: "Print topo's version, revision, Go version and platform",
		Long: `Print the version of this topo binary (the release it comes from, or the
module version of a build from a checkout), the VCS revision and commit time
it was built from, the Go toolchain and the platform. 'topo --version' prints
the same text.

Output: -o text (default), -o json.

Exit status: 0.`,
		Example: `  topo version
  topo version -o json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error { return versionRun(o) },
	}
	addOutputFlag(c, &o.output, "text", "json")
	return c
}

func versionRun(o *versionOptions) error {
	in := version.Get()
	if o.output == "json" {
		out := struct {
			FormatVersion int `json:"format_version"`
			version.Info
		}{versionFormatVersion, in}
		b, _ := json.MarshalIndent(out, "", "  ")
		_, err := fmt.Fprintf(o.io.Out, "%s\n", b)
		return err
	}
	_, err := fmt.Fprint(o.io.Out, in.String())
	return err
}

// addVersion gives root the version command and the --version flag, which
// prints the same text.
func addVersion(root *cobra.Command, io *IO) {
	in := version.Get()
	root.Version = in.Version
	// The template is text/template: keep any brace in the version literal.
	root.SetVersionTemplate(`{{printf "%s" ` + fmt.Sprintf("%q", in.String()) + `}}`)
	// Declared here so cobra adds no -v shorthand and the help says more.
	root.Flags().Bool("version", false, "print topo's version, revision, Go version and platform (as 'topo version')")
	root.AddCommand(newVersionCmd(io))
}
