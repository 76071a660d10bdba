package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/topo-dns/topo/importer"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/topology"
)

// newImportCmd is `topo import`: a parent whose subcommands each write a
// topology from what a deployment already has (today: a topology file of
// Microsoft's tools).
func newImportCmd(io *IO) *cobra.Command {
	c := &cobra.Command{
		Use:   "import",
		Short: "Write a topology from what a deployment already has",
		Long: `Write a topo topology from what an existing deployment already has, so
adopting topo does not start from an empty file. The first plan of what
they write adopts the records DNS already holds as topo wants them.

  topo import topology FILE [--dns ZONES.hcl]
                       from a Topology Builder document (.tbxml) or a
                       published topology (Get-CsTopology -AsXml); with
                       --dns, addresses and server states from live zones
  topo import dns ZONES.hcl
                       from the records of live zones alone`,
		Example: `  topo import topology topology.xml --out topology.hcl
  topo import dns zones.hcl --out topology.hcl`,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return &codeError{code: exitError, err: fmt.Errorf("say what to import: topo import topology FILE or topo import dns ZONES.hcl (see 'topo import --help')")}
			}
			return &codeError{code: exitError, err: fmt.Errorf("unknown import source %q: topo import topology FILE or topo import dns ZONES.hcl (see 'topo import --help')", args[0])}
		},
	}
	c.AddCommand(newImportTopologyCmd(io), newImportDNSCmd(io))
	return c
}

type importTopologyOptions struct {
	io    *IO
	file  string
	out   string
	force bool
	dns   string
	// output is a hidden -o, there only to point whoever types it at --out.
	output string
}

func newImportTopologyCmd(io *IO) *cobra.Command {
	o := &importTopologyOptions{io: io}
	c := &cobra.Command{
		Use:   "topology FILE",
		Short: "Write a topology from a Topology Builder document or a published topology",
		Long: `Read a Topology Builder document (.tbxml) or a published topology
(Get-CsTopology -AsXml, Publish-CsTopology -FileName), in UTF-8 or UTF-16, and
write the topo topology it describes: its sites, pools (Front End, Director,
Edge, Mediation) and servers in OrdinalInCluster order, web services FQDNs,
Edge external FQDNs with each server's external and NAT public addresses,
Office Online Server farms, SIP domains (with their Edge pool, and for a
domain no pool is in, an SRV target in a matching internal zone) and simple
URLs, and a zone per DNS domain the names live in (published as zone files
until you name a provider). Each block has a comment naming the XML element
it comes from.

What the file does not hold is written as "TODO" with a comment saying what
goes there: addresses given as 0.0.0.0 ("all addresses"), the load balancers'
and Office Online Server farms' VIPs, the reverse proxy's address, a missing
internal web services override. topo validate lists each. An Edge pool whose
services share FQDNs or interfaces in a way the language has no form for is
written as comments. Warnings on stderr say both, and name every element topo
does not model (SQL and file stores, branch sites, ...).

With --dns ZONES.hcl (provider and zone blocks, as for topo import dns) the
zones are read and the two sources combined: addresses the file gives as
0.0.0.0 come from the servers' own records, the web services VIPs from their
FQDNs' records, a pool FQDN at one address that is no server's means a
hardware load balancer (vip), and a server missing from its pool FQDN's
records is written draining (its own record is there) or offline (no record
at all). Every disagreement between the file and DNS is a warning. The
topology then uses ZONES.hcl's provider and zone blocks, as written there.

The topology goes to stdout, or with --out FILE to FILE; an existing FILE is
refused unless --force. (import writes HCL only: it has no -o/--output format.)

Exit status: 0 written (warnings and TODOs allowed), 1 error: the file is not
a topology (not XML, another XML document, truncated), names an unknown
product version, or has no pools.`,
		Example: `  # On a Front End server, export the published topology:
  #   (Get-CsTopology -AsXml).ToString() > topology.xml
  topo import topology topology.xml --out topology.hcl
  topo validate topology.hcl          # lists the TODOs left to fill in

  # A Topology Builder document, to stdout:
  topo import topology contoso.tbxml > topology.hcl

  # With the addresses and states DNS holds, beside zones.hcl:
  topo import topology contoso.tbxml --dns zones.hcl --out topology.hcl`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeFile(nil, "tbxml", "xml"),
		RunE: func(c *cobra.Command, args []string) error {
			o.file = args[0]
			return importTopologyRun(o)
		},
	}
	c.Flags().StringVar(&o.out, "out", "", "write the topology to `FILE` instead of stdout")
	c.Flags().BoolVar(&o.force, "force", false, "with --out, replace an existing file")
	c.Flags().StringVar(&o.dns, "dns", "", "read the zones of `ZONES.hcl` and take addresses, VIPs and server states from them")
	c.Flags().StringVarP(&o.output, "output", "o", "", "")
	if err := c.Flags().MarkHidden("output"); err != nil {
		panic(err) // a programming error: the flag was just added
	}
	return c
}

func importTopologyRun(o *importTopologyOptions) error {
	if err := checkImportOutput(o.output, o.out, o.force); err != nil {
		return err
	}
	data, err := os.ReadFile(o.file)
	if err != nil {
		return fmt.Errorf("read %q: %w", o.file, unwrapPath(err))
	}
	// Diagnostics quote the XML, unless it is UTF-16 (their lines are of
	// the UTF-8 text the reader made of it).
	files := map[string]*hcl.File{}
	if !bytes.HasPrefix(data, []byte{0xff, 0xfe}) && !bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		files[o.file] = &hcl.File{Bytes: data}
	}
	m, diags := importer.ReadTopologyXML(o.file, data)
	printDiagnostics(o.io, files, diags)
	if m == nil {
		fmt.Fprintf(o.io.Err, "%s was not imported.\n", o.file)
		return withCode(exitError)
	}
	var zones []importer.Zone
	if o.dns != "" {
		zf, zs, err := readZonesFile(o.io, o.dns, func(zone string) []string { return importer.Names(m, zone) })
		if err != nil {
			return err
		}
		zones = zs
		for k, f := range zf.Files {
			files[k] = f
		}
		printDiagnostics(o.io, files, importer.FillFromDNS(m, zones))
		m.DNS = &importer.DNSSource{Filename: o.dns, HCL: zf.Source, Zones: zones}
	}
	out, wd := importer.WriteHCL(m)
	printDiagnostics(o.io, files, wd)

	dest, err := writeImport(o.io, o.out, o.force, out)
	if err != nil {
		return err
	}
	if o.dns != "" {
		warnElsewhere(o.io, o.dns, o.out)
	}
	summary := importSummary(m, out, o.file, dest)
	if o.dns != "" && !strings.Contains(summary, "TODO") {
		summary = strings.TrimSuffix(summary, " It validates: topo plan shows what it would publish.") + " " + firstPlan(out, zones, dest)
	}
	fmt.Fprintln(o.io.Err, summary)
	return nil
}

// writeNew writes data to path: atomically replacing it with force, and
// only when it does not exist without (a file created since the check
// before the import is still not overwritten).
func writeNew(path string, data []byte, force bool) error {
	if force {
		return providers.WriteFileAtomic(path, data, 0o644)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return &codeError{code: exitError, err: fmt.Errorf("%s exists: topo import does not overwrite it; use --force to replace it", path)}
	}
	if err != nil {
		return fmt.Errorf("write %q: %w", path, unwrapPath(err))
	}
	_, werr := f.Write(data)
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(path)
		return fmt.Errorf("write %q: %w", path, werr)
	}
	return nil
}

// importSummary is the last line on stderr: what was imported, and what
// topo validate will say of it.
func importSummary(m *importer.Model, out []byte, file, dest string) string {
	var pools, servers int
	for _, s := range m.Sites {
		pools += len(s.Pools)
		for _, p := range s.Pools {
			servers += len(p.Servers)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Imported %s, %s and %s from %s (%s) to %s.",
		count(len(m.Sites), "site"), count(pools, "pool"), count(servers, "server"), file, m.Form, dest)
	name := dest
	if dest == "stdout" {
		name = "the topology"
	}
	todos, others := validateImport(out)
	switch {
	case todos == 0 && others == 0:
		fmt.Fprintf(&b, " It validates: topo plan shows what it would publish.")
	case others == 0:
		fmt.Fprintf(&b, " Fill in its %s, then run topo validate on %s.", count(todos, "TODO"), name)
	default:
		fmt.Fprintf(&b, " Fill in its %s; topo validate on %s also reports %s today's language cannot hold (see the warnings above).", count(todos, "TODO"), name, count(others, "error"))
	}
	return b.String()
}

// validateImport counts what topo validate reports on the written HCL: the
// TODOs, and the other errors.
func validateImport(src []byte) (todos, others int) {
	t, diags := topology.Parse(src, "import.hcl", topology.Options{LookupEnv: func(string) (string, bool) { return "", false }})
	if t == nil || t.File == nil {
		return 0, len(diags.Errs())
	}
	return countTODOs(src, append(diags, t.Validate()...))
}

// countTODOs counts the errors of diags on src that point at a TODO, and
// the others.
func countTODOs(src []byte, diags hcl.Diagnostics) (todos, others int) {
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		if r := d.Subject; r != nil && r.End.Byte <= len(src) && string(src[r.Start.Byte:r.End.Byte]) == `"`+importer.TODO+`"` {
			todos++
		} else {
			others++
		}
	}
	return todos, others
}

func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
