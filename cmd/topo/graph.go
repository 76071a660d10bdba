package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/topo-dns/topo/topology"
)

type graphOptions struct {
	io     *IO
	file   string
	output string
}

func newGraphCmd(io *IO, g *globalOptions) *cobra.Command {
	o := &graphOptions{io: io}
	c := &cobra.Command{
		Use:   "graph [FILE]",
		Short: "Draw the topology: sites, pools, servers, VIPs and the zones their records land in",
		Long: `Draw the topology as a graph, without contacting any provider: each site with
its pools, their servers (solid when active, dashed orange when draining, grey
when offline) and VIPs (internal and external web services, the hardware load
balancer's), and an edge from each name to the zone and view its records land
in.

Output: -o mermaid (default; paste it into a "` + "```mermaid" + `" block in Markdown) or
-o dot (Graphviz: topo graph -o dot | dot -Tsvg > topology.svg).

Exit status: 0, 1 when the topology is invalid.`,
		Example: `  topo graph > topology.mmd             # Mermaid, of topology.hcl
  topo graph -o dot | dot -Tsvg > topology.svg
  topo graph -o dot dns/topology.hcl > topology.dot`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeFile(g, "hcl"),
		RunE: func(c *cobra.Command, args []string) error {
			o.file = fileArg(args)
			return graphRun(o)
		},
	}
	addOutputFlag(c, &o.output, "mermaid", "dot")
	return c
}

func graphRun(o *graphOptions) error {
	l := load(o.io, o.file)
	printDiagnostics(o.io, l.Files(), l.Diags)
	if l.Desired == nil {
		return withCode(exitError)
	}
	var b strings.Builder
	write := topology.WriteMermaid
	if o.output == "dot" {
		write = topology.WriteDOT
	}
	if err := write(&b, l.Topology.File, l.Desired); err != nil {
		return err
	}
	_, err := fmt.Fprint(o.io.Out, b.String())
	return err
}
