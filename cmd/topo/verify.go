package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/miekg/dns"
	"github.com/spf13/cobra"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

type verifyOptions struct {
	io      *IO
	g       *globalOptions
	file    string
	server  string
	timeout time.Duration
}

func newVerifyCmd(io *IO, g *globalOptions) *cobra.Command {
	o := &verifyOptions{io: io, g: g}
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
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.file = fileArg(args)
			return verifyRun(o)
		},
	}
	c.Flags().StringVar(&o.server, "server", "", "ask this DNS server (`HOST:PORT`) for every zone")
	c.Flags().DurationVar(&o.timeout, "timeout", 5*time.Second, "timeout of each DNS query")
	return c
}

func verifyRun(o *verifyOptions) error {
	if err := checkOutput(o.g.output, "text", "json"); err != nil {
		return err
	}
	l := load(o.io, o.file)
	printDiagnostics(o.io, o.g, l.Files(), l.Diags)
	if l.Desired == nil {
		return withCode(exitError)
	}
	ask := func(ctx context.Context, zr *topology.ZoneRecords, name, typ string) ([]string, error) {
		server := o.server
		if server == "" {
			p, err := l.Providers.Get(zr.Provider, string(zr.View))
			if err != nil {
				return nil, err
			}
			a, ok := p.(providers.Authoritative)
			if !ok {
				return nil, fmt.Errorf("zone %s (%s): provider %s has no DNS server topo can ask; pass --server HOST:PORT", zr.Zone, zr.View, zr.Provider)
			}
			server = a.NameServer()
		}
		return query(ctx, server, name, typ, o.timeout)
	}
	checks, err := publish.Verify(o.io.Context, l.Desired, ask)
	if err != nil {
		return err
	}
	bad := 0
	for _, c := range checks {
		if !c.OK {
			bad++
		}
	}
	if o.g.output == "json" {
		out := struct {
			FormatVersion int             `json:"format_version"`
			Match         bool            `json:"match"`
			Differ        int             `json:"differ"`
			Checks        []publish.Check `json:"checks"`
		}{1, bad == 0, bad, checks}
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintf(o.io.Out, "%s\n", b)
	} else {
		for _, c := range checks {
			mark := "ok  "
			if !c.OK {
				mark = "DIFF"
			}
			fmt.Fprintf(o.io.Out, "%s %s %s: want [%s] got [%s]  (%s)\n", mark, c.Name, c.Type, strings.Join(c.Want, " "), strings.Join(c.Got, " "), c.Why)
		}
		if bad == 0 {
			fmt.Fprintf(o.io.Out, "DNS matches the topology (%d answers checked).\n", len(checks))
		} else {
			fmt.Fprintf(o.io.Out, "%d of %d answers differ from the topology. Within the TTL after a publish this is expected; otherwise run topo plan.\n", bad, len(checks))
		}
	}
	if bad > 0 {
		return withCode(exitChanges)
	}
	return nil
}

// query asks server for name/typ without recursion, over UDP with a TCP
// retry when the answer is truncated, and returns the answer's data.
func query(ctx context.Context, server, name, typ string, timeout time.Duration) ([]string, error) {
	if _, _, err := net.SplitHostPort(server); err != nil {
		server = net.JoinHostPort(server, "53")
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), dns.StringToType[typ])
	m.RecursionDesired = false
	c := &dns.Client{Timeout: timeout}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	r, _, err := c.ExchangeContext(ctx, m, server)
	if err == nil && r.Truncated {
		c.Net = "tcp"
		r, _, err = c.ExchangeContext(ctx, m, server)
	}
	if err != nil {
		return nil, fmt.Errorf("ask %s for %s %s: %w", server, name, typ, err)
	}
	switch r.Rcode {
	case dns.RcodeSuccess, dns.RcodeNameError:
	default:
		return nil, fmt.Errorf("ask %s for %s %s: %s", server, name, typ, dns.RcodeToString[r.Rcode])
	}
	var out []string
	for _, rr := range r.Answer {
		switch a := rr.(type) {
		case *dns.A:
			if typ == "A" {
				out = append(out, a.A.String())
			}
		case *dns.AAAA:
			if typ == "AAAA" {
				out = append(out, a.AAAA.String())
			}
		}
	}
	return out, nil
}
