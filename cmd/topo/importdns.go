package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/importer"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

type importDNSOptions struct {
	io            *IO
	file          string
	output        string
	out           string
	force         bool
	sitePerSubnet bool
}

func newImportDNSCmd(io *IO) *cobra.Command {
	o := &importDNSOptions{io: io}
	c := &cobra.Command{
		Use:   "dns ZONES.hcl",
		Short: "Write a topology from what live zones hold",
		Long: `Read the zones ZONES.hcl names through their providers and write the topology
their records show. ZONES.hcl holds only provider and zone blocks, written
exactly as in a topology (credentials through env(); a zone without provider
is a zone file beside ZONES.hcl); the topology written starts with them, as
written, comments kept.

What is inferred: a pool is a name whose addresses are exactly those of two
or more other names (its servers, each with that one address), as DNS load
balancing publishes it; a name like the pool's servers (fe12 beside fe01..fe11)
whose own record exists but which is not in the pool's records is draining;
web services FQDNs (a name with one address that says web, matched to the
pool its name points at, or at lyncdiscoverinternal's address); SIP domains
from their _sipinternaltls._tcp SRV, with sip., lyncdiscover and the meet,
dialin and admin names. Where DNS is ambiguous (a name matching two pools, a
server in two pools), a warning and a comment say so and nothing is guessed.
What DNS cannot show is said in comments: sites (one site "imported", or one
per /24 with --site-per-subnet), the product, server order. A pool behind a
hardware load balancer looks like any host in DNS: import it from Topology
Builder with 'topo import topology FILE --dns ZONES.hcl'.

The first plan of the topology adopts every record set it wants that DNS
already holds exactly (action adopt: only topo's ownership markers are
written); the last line on stderr says what that plan will do.

The topology goes to stdout, or with --out FILE to FILE (refused when it
exists, unless --force). Write it beside ZONES.hcl: relative paths (the zone
file provider's zones/ directory) are read from the topology's directory.

Exit status: 0 written (warnings and TODOs allowed), 1 error: ZONES.hcl is
invalid, a zone cannot be read, or no zone holds a pool.`,
		Example: `  # zones.hcl: the provider and zone blocks of the deployment, for example
  #   provider "rfc2136" "corp" { server = "10.0.0.53:53" ... tsig_secret = env("TOPO_TSIG_SECRET") }
  #   zone "contoso.com" { view = "internal"  provider = "rfc2136.corp" }
  topo import dns zones.hcl --out topology.hcl
  topo plan topology.hcl        # adopts what DNS holds: only ownership markers are written`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.file = args[0]
			return importDNSRun(o)
		},
	}
	c.Flags().StringVar(&o.out, "out", "", "write the topology to `FILE` instead of stdout")
	c.Flags().BoolVar(&o.force, "force", false, "with --out, replace an existing file")
	c.Flags().BoolVar(&o.sitePerSubnet, "site-per-subnet", false, "one site per /24 subnet of the pools' servers instead of one site \"imported\"")
	c.Flags().StringVarP(&o.output, "output", "o", "", "")
	if err := c.Flags().MarkHidden("output"); err != nil {
		panic(err) // a programming error: the flag was just added
	}
	return c
}

func importDNSRun(o *importDNSOptions) error {
	if err := checkImportOutput(o.output, o.out, o.force); err != nil {
		return err
	}
	zf, zones, err := readZonesFile(o.io, o.file, nil)
	if err != nil {
		return err
	}
	m, diags := importer.InferFromDNS(zones, importer.InferOptions{SitePerSubnet: o.sitePerSubnet})
	printDiagnostics(o.io, zf.Files, diags)
	if m == nil {
		fmt.Fprintf(o.io.Err, "Nothing was imported from %s.\n", o.file)
		return withCode(exitError)
	}
	m.DNS = &importer.DNSSource{Filename: o.file, HCL: zf.Source, Zones: zones}
	out, wd := importer.WriteHCL(m)
	printDiagnostics(o.io, zf.Files, wd)
	dest, err := writeImport(o.io, o.out, o.force, out)
	if err != nil {
		return err
	}
	warnElsewhere(o.io, o.file, o.out)
	var pools, servers int
	for _, s := range m.Sites {
		pools += len(s.Pools)
		for _, p := range s.Pools {
			servers += len(p.Servers)
		}
	}
	fmt.Fprintf(o.io.Err, "Imported %s and %s from %s in %s to %s. %s\n",
		count(pools, "pool"), count(servers, "server"), count(len(zones), "zone"), o.file, dest, firstPlan(out, zones, dest))
	return nil
}

// checkImportOutput refuses -o used for a file, and --force without --out.
func checkImportOutput(output, out string, force bool) error {
	if output != "" {
		if strings.ContainsAny(output, "./\\") {
			return &codeError{code: exitError, err: fmt.Errorf("import has no -o: write the topology to a file with --out %s", output)}
		}
		return &codeError{code: exitError, err: fmt.Errorf("import writes HCL only and has no -o/--output format; the topology goes to stdout, or to a file with --out FILE")}
	}
	if force && out == "" {
		return &codeError{code: exitError, err: fmt.Errorf("--force replaces the file --out names; without --out the topology goes to stdout")}
	}
	if out != "" && !force {
		if _, err := os.Stat(out); err == nil {
			return &codeError{code: exitError, err: fmt.Errorf("%s exists: topo import does not overwrite it; use --force to replace it, or --out another file", out)}
		}
	}
	return nil
}

// writeImport writes the topology to stdout or out, and says where.
func writeImport(s *IO, out string, force bool, data []byte) (string, error) {
	if out == "" {
		if _, err := s.Out.Write(data); err != nil {
			return "", fmt.Errorf("write the topology: %w", err)
		}
		return "stdout", nil
	}
	return out, writeNew(out, data, force)
}

// warnElsewhere says when the topology is written away from the zones
// file: relative paths in its provider blocks then mean something else.
func warnElsewhere(s *IO, zonesFile, out string) {
	if out == "" {
		return
	}
	a, err1 := filepath.Abs(filepath.Dir(zonesFile))
	b, err2 := filepath.Abs(filepath.Dir(out))
	if err1 == nil && err2 == nil && a != b {
		fmt.Fprintf(s.Err, "Note: %s is not beside %s. Relative paths in its provider blocks (the zone file provider's zones/ directory among them) are read from %s now: move it beside %s, or make them absolute.\n", out, zonesFile, b, zonesFile)
	}
}

// readZonesFile parses a zones file, opens its providers and reads every
// zone. names, when not nil, lists per zone the names a provider that
// reads by names queries (a server refusing the zone transfer).
func readZonesFile(s *IO, path string, names func(zone string) []string) (*importer.ZonesFile, []importer.Zone, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read %q: %w", path, unwrapPath(err))
	}
	zf, diags := importer.ParseZones(path, src, topology.Options{LookupEnv: s.LookupEnv})
	files := map[string]*hcl.File{path: {Bytes: src}}
	if diags.HasErrors() {
		printDiagnostics(s, files, diags)
		return nil, nil, withCode(exitError)
	}
	set, ds := engine.OpenProviders(s.Registry, zf.File, zf.EvalContext, filepath.Dir(path))
	diags = append(diags, ds...)
	printDiagnostics(s, files, diags)
	if diags.HasErrors() {
		return nil, nil, withCode(exitError)
	}
	records := make([]*topology.ZoneRecords, len(zf.Zones))
	for i, zb := range zf.Zones {
		records[i] = zb.ZoneRecords
	}
	reads, err := engine.ReadZones(s.Context, set, records, names)
	if err != nil {
		return nil, nil, err
	}
	var zones []importer.Zone
	for i, r := range reads {
		zr := r.Zone
		if scope := r.Scope; scope != nil && names == nil {
			why := "it is configured to (read = \"names\")"
			if scope.Reason == providers.ReasonTransferRefused {
				why = "the server refused the zone transfer (" + scope.Detail + ")"
			}
			return nil, nil, &codeError{code: exitError, err: fmt.Errorf("zone %s (%s): %s reads it name by name, as %s, and topo import dns needs every record of the zone to find its pools: allow this host the zone transfer, or import the topology file with topo import topology FILE --dns %s, which reads the names the file gives", zr.Zone, zr.View, zr.Provider, why, path)}
		}
		zones = append(zones, importer.Zone{Name: zr.Zone, View: zr.View, TTL: zr.TTL, RRsets: r.RRsets, Block: zf.Zones[i].Block})
	}
	return zf, zones, nil
}

// firstPlan says what the first plan of the written topology will do, as
// publish would diff it against the zones just read: how many record sets
// it adopts and creates, and the conflicts that would stop it.
func firstPlan(out []byte, zones []importer.Zone, dest string) string {
	name := dest
	if dest == "stdout" {
		name = "the topology"
	}
	tp, diags := topology.Parse(out, "topology.hcl", topology.Options{LookupEnv: func(string) (string, bool) { return "", false }})
	var d *topology.Desired
	if !diags.HasErrors() && tp.File != nil {
		var ds hcl.Diagnostics
		d, ds = topology.Compile(tp.File)
		diags = append(diags, ds...)
	}
	if d == nil {
		todos, others := countTODOs(out, diags)
		if others == 0 {
			return fmt.Sprintf("Fill in its %s, then run topo validate and topo plan on %s.", count(todos, "TODO"), name)
		}
		return fmt.Sprintf("Fill in its %s; topo validate on %s also reports %s (see the warnings above).", count(todos, "TODO"), name, count(others, "error"))
	}
	var c publish.Counts
	var conflicts []publish.Conflict
	for _, zr := range d.Zones {
		var current []providers.RRset
		for _, z := range zones {
			if z.Name == zr.Zone && z.View == zr.View {
				current = z.RRsets
			}
		}
		zp, cs := publish.DiffZone(zr, d.Topology, publish.WantFor(zr, d.Topology), current)
		for _, ch := range zp.Changes {
			switch ch.Action {
			case publish.Create:
				if !ch.Marker {
					c.Create++
				}
			case publish.Update:
				c.Update++
			case publish.Delete:
				c.Delete++
			case publish.Adopt:
				c.Adopt++
			}
		}
		conflicts = append(conflicts, cs...)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Its first plan adopts %s", count(c.Adopt, "record set"))
	var others []string
	for _, x := range []struct {
		n    int
		verb string
	}{{c.Create, "creates"}, {c.Update, "updates"}, {c.Delete, "deletes"}} {
		if x.n > 0 {
			others = append(others, fmt.Sprintf("%s %d", x.verb, x.n))
		}
	}
	if len(others) == 0 {
		b.WriteString(" and changes no record")
	} else {
		b.WriteString(", " + strings.Join(others, ", "))
	}
	if len(conflicts) > 0 {
		var names []string
		for _, x := range conflicts {
			names = append(names, x.Want.Name+" "+x.Want.Type)
		}
		fmt.Fprintf(&b, "; it stops at %s with records topo does not own: %s", count(len(conflicts), "conflict"), strings.Join(names, ", "))
	}
	fmt.Fprintf(&b, ": topo plan %s shows it.", name)
	return b.String()
}
