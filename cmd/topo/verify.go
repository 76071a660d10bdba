package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/topo-dns/topo/engine"
)

type verifyOptions struct {
	io      *IO
	file    string
	output  string
	server  string
	timeout time.Duration
}

func newVerifyCmd(io *IO, g *globalOptions) *cobra.Command {
	o := &verifyOptions{io: io}
	c := &cobra.Command{
		Use:   "verify [FILE]",
		Short: "Ask the authoritative DNS servers whether they answer what the topology wants",
		Long: `Ask each zone's authoritative server with real DNS queries (no recursion) and
compare the live answers with the compiled topology: each pool FQDN must return
exactly its active servers, draining servers must be absent from it but still
resolve on their own name, offline servers must not resolve, and the web
services FQDNs must point at their VIPs.

The server asked is the provider's own (rfc2136: server; powerdns: dns_server,
by default the API host on port 53) or --server for every zone.

Exit status: 0 DNS matches, 1 error, 2 DNS still differs (for example within
the TTL after a publish, or the change was not published).`,
		Example: `  topo verify                            # topology.hcl, each zone's own server
  topo verify --server 10.0.0.53:53      # ask this server for every zone
  topo verify -o json | jq '.checks[] | select(.ok | not)'`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeFile(g, "hcl"),
		RunE: func(c *cobra.Command, args []string) error {
			o.file = fileArg(args)
			return verifyRun(o)
		},
	}
	c.Flags().StringVar(&o.server, "server", "", "ask this DNS server (`HOST:PORT`) for every zone")
	c.Flags().DurationVar(&o.timeout, "timeout", engine.DefaultQueryTimeout, "timeout of each DNS query")
	addOutputFlag(c, &o.output, "text", "json")
	return c
}

// verifyDoc is verify -o json.
type verifyDoc struct {
	FormatVersion int            `json:"format_version"`
	Match         bool           `json:"match"`
	Differ        int            `json:"differ"`
	Checks        []engine.Check `json:"checks"`
}

func verifyRun(o *verifyOptions) error {
	l := load(o.io, o.file)
	defer done(o.io, l)
	printDiagnostics(o.io, l.Files(), l.Diags)
	if l.Desired == nil {
		return withCode(exitError)
	}
	checks, err := l.Verify(o.io.Context, engine.VerifyOptions{Server: o.server, Timeout: o.timeout})
	if err != nil {
		return err
	}
	bad := 0
	for _, c := range checks {
		if !c.OK {
			bad++
		}
	}
	if o.output == "json" {
		if err := writeJSON(o.io.Out, verifyDoc{verifyFormatVersion, bad == 0, bad, checks}); err != nil {
			return err
		}
	} else {
		var b strings.Builder
		for _, c := range checks {
			mark := "ok  "
			if !c.OK {
				mark = "DIFF"
			}
			fmt.Fprintf(&b, "%s %s %s: want [%s] got [%s]  (%s)\n", mark, c.Name, c.Type, strings.Join(c.Want, " "), strings.Join(c.Got, " "), c.Why)
		}
		if bad == 0 {
			fmt.Fprintf(&b, "DNS matches the topology (%d answers checked).\n", len(checks))
		} else {
			fmt.Fprintf(&b, "%d of %d answers differ from the topology. Within the TTL after a publish this is expected; otherwise run topo plan.\n", bad, len(checks))
		}
		if _, err := io.WriteString(o.io.Out, b.String()); err != nil {
			return err
		}
	}
	if bad > 0 {
		return withCode(exitChanges)
	}
	return nil
}
