package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/topology"
)

type compileOptions struct {
	io     *IO
	file   string
	output string
}

func newCompileCmd(io *IO, g *globalOptions) *cobra.Command {
	o := &compileOptions{io: io}
	c := &cobra.Command{
		Use:   "compile [FILE]",
		Short: "Print the records and web services override a topology compiles to",
		Long: `Print what the topology compiles to, without contacting any provider: the
records of each zone and view (one A/AAAA per active server at the pool FQDN,
one per server not offline at its own FQDN, the web services FQDNs at their
VIPs) and each pool's web services FQDNs.

Output: -o text (default), -o json, -o zone (master file text per zone).

Exit status: 0, 1 when the topology is invalid.`,
		Example: `  topo compile                           # topology.hcl in the working directory
  topo compile -o zone > contoso.zones   # master file text, one section per zone and view
  topo compile -o json dns/topology.hcl | jq '.zones[].records | length'`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeFile(g, "hcl"),
		RunE: func(c *cobra.Command, args []string) error {
			o.file = fileArg(args)
			return compileRun(o)
		},
	}
	addOutputFlag(c, &o.output, "text", "json", "zone")
	return c
}

func compileRun(o *compileOptions) error {
	l := load(o.io, o.file)
	printDiagnostics(o.io, l.Files(), l.Diags)
	if l.Desired == nil {
		return withCode(exitError)
	}
	var b strings.Builder
	switch o.output {
	case "json":
		return writeJSON(o.io.Out, compileDoc{compileFormatVersion, l.Desired})
	case "zone":
		if err := engine.WriteZoneText(&b, l.Desired); err != nil {
			return err
		}
	default:
		writeCompileText(&b, l.Desired)
	}
	_, err := fmt.Fprint(o.io.Out, b.String())
	return err
}

// compileDoc is compile -o json: the compiled topology and its version.
type compileDoc struct {
	FormatVersion int `json:"format_version"`
	*topology.Desired
}

func writeCompileText(b *strings.Builder, d *topology.Desired) {
	fmt.Fprintf(b, "topology %s (%s)\n", d.Topology, d.Product)
	for _, z := range d.Zones {
		fmt.Fprintf(b, "\nzone %s (%s) via %s, %d record%s\n", z.Zone, z.View, z.Provider, len(z.Records), plural1(len(z.Records)))
		for _, r := range z.Records {
			fmt.Fprintf(b, "  %-40s %-4s %6d  %-39s  %s\n", r.Name, r.Type, r.TTL, r.Value, r.Source)
		}
	}
	if len(d.WebServices) > 0 {
		b.WriteString("\nweb services\n")
		for _, w := range d.WebServices {
			kind := "default (pool FQDN)"
			if w.Override {
				kind = "override"
			}
			fmt.Fprintf(b, "  %s: internal %s [%s]", w.Pool, w.InternalFQDN, kind)
			if w.InternalVIP.IsValid() {
				fmt.Fprintf(b, " -> %s", w.InternalVIP)
			}
			if w.ExternalFQDN != "" {
				fmt.Fprintf(b, "; external %s -> %s", w.ExternalFQDN, w.ExternalProxyIP)
			}
			b.WriteByte('\n')
		}
	}
}
