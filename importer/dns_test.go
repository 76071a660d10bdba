package importer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/topo-dns/topo/importer"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// testZone builds a zone from lines "name TYPE TTL value...", names
// relative to the zone ("@" for the apex); every zone has its SOA and NS.
func testZone(t *testing.T, name string, view topology.View, ttl uint32, lines ...string) importer.Zone {
	t.Helper()
	z := importer.Zone{Name: name, View: view, TTL: ttl}
	lines = append([]string{"@ SOA 3600 ns1." + name + ". hostmaster." + name + ". 1 3600 600 1209600 300", "@ NS 3600 ns1." + name + "."}, lines...)
	idx := map[providers.Key]int{}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) < 4 {
			t.Fatalf("zone line %q: want name TYPE TTL value", l)
		}
		n := f[0] + "." + name
		if f[0] == "@" {
			n = name
		}
		ttl, err := strconv.ParseUint(f[2], 10, 32)
		if err != nil {
			t.Fatal(err)
		}
		s := providers.RRset{Name: n, Type: f[1], TTL: uint32(ttl)}
		if f[1] == "SRV" || f[1] == "SOA" || f[1] == "TXT" {
			s.Values = []string{strings.Join(f[3:], " ")}
		} else {
			s.Values = f[3:]
		}
		s.Normalize()
		if i, ok := idx[s.Key()]; ok {
			z.RRsets[i].Values = append(z.RRsets[i].Values, s.Values...)
			z.RRsets[i].Normalize()
			continue
		}
		idx[s.Key()] = len(z.RRsets)
		z.RRsets = append(z.RRsets, s)
	}
	providers.SortRRsets(z.RRsets)
	return z
}

// published are the zones a topology publishes, without topo's ownership
// markers: the records as if typed by hand.
func published(t *testing.T, src []byte, filename string) []importer.Zone {
	t.Helper()
	tp, diags := topology.Parse(src, filename, topology.Options{LookupEnv: func(n string) (string, bool) { return "x", true }})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	d, diags := topology.Compile(tp.File)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var zones []importer.Zone
	for _, zr := range d.Zones {
		z := testZone(t, zr.Zone, zr.View, zr.TTL)
		for _, s := range publish.WantFor(zr, d.Topology).RRsets {
			if !publish.IsMarker(s.Key()) {
				z.RRsets = append(z.RRsets, s)
			}
		}
		providers.SortRRsets(z.RRsets)
		zones = append(zones, z)
	}
	return zones
}

// firstPlan diffs the topology src against zones as publish would, and
// returns the changes' "action name TYPE" and the conflicts.
func firstPlan(t *testing.T, src []byte, zones []importer.Zone) (changes, conflicts []string) {
	t.Helper()
	tp, diags := topology.Parse(src, "topology.hcl", topology.Options{LookupEnv: func(string) (string, bool) { return "x", true }})
	if diags.HasErrors() {
		t.Fatalf("the import does not parse: %v\n%s", diags, src)
	}
	d, diags := topology.Compile(tp.File)
	if diags.HasErrors() {
		t.Fatalf("the import does not validate: %v\n%s", diags.Errs(), src)
	}
	for _, zr := range d.Zones {
		var cur []providers.RRset
		for _, z := range zones {
			if z.Name == zr.Zone && z.View == zr.View {
				cur = z.RRsets
			}
		}
		zp, conf := publish.DiffZone(zr, d.Topology, publish.WantFor(zr, d.Topology), cur)
		cs := zp.Changes
		for _, c := range cs {
			changes = append(changes, fmt.Sprintf("%s %s", c.Action, c.Key()))
		}
		for _, c := range conf {
			conflicts = append(conflicts, c.Want.Key().String())
		}
	}
	return changes, conflicts
}

// inferred runs InferFromDNS and WriteHCL as topo import dns does.
func inferred(t *testing.T, zones []importer.Zone, opts importer.InferOptions) (*importer.Model, []byte, hcl.Diagnostics) {
	t.Helper()
	m, diags := importer.InferFromDNS(zones, opts)
	if m == nil {
		return nil, nil, diags
	}
	var zb strings.Builder
	for _, z := range zones {
		fmt.Fprintf(&zb, "zone %q {\n  view = %q\n  ttl  = %d\n}\n", z.Name, z.View, z.TTL)
	}
	m.DNS = &importer.DNSSource{Filename: "zones.hcl", HCL: []byte(zb.String()), Zones: zones}
	out, wd := importer.WriteHCL(m)
	return m, out, append(diags, wd...)
}

// TestInferExamples is the acceptance test without servers: each
// example deployment's zones, as published and with every ownership
// marker deleted, imported back: the first plan adopts every record set
// it wants and changes nothing. A pool behind a hardware load balancer is
// invisible in DNS, and said so.
func TestInferExamples(t *testing.T) {
	tests := []struct {
		example string
		// notImported are the record sets the import must list as not
		// imported, and the first plan leaves alone.
		notImported []string
	}{
		{example: "contoso"},
		{example: "fabrikam", notImported: []string{"ams-leg01.fabrikam.com A", "ams-leg02.fabrikam.com A", "ams-leg03.fabrikam.com A", "legacy.fabrikam.com A"}},
	}
	for _, tc := range tests {
		t.Run(tc.example, func(t *testing.T) {
			path := filepath.Join("..", "examples", tc.example, "topology.hcl")
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			zones := published(t, src, path)
			m, out, diags := inferred(t, zones, importer.InferOptions{})
			if m == nil {
				t.Fatalf("no model: %v", diags)
			}
			golden(t, "dns-"+tc.example+".golden", out)
			golden(t, "dns-"+tc.example+".warnings.golden", warningsText(diags))
			changes, conflicts := firstPlan(t, out, zones)
			if len(conflicts) > 0 {
				t.Errorf("the first plan has conflicts: %v", conflicts)
			}
			var want []string
			for _, z := range zones {
				for _, s := range z.RRsets {
					if s.Type != "SOA" && s.Type != "NS" && !slices.Contains(tc.notImported, s.Key().String()) {
						want = append(want, "adopt "+s.Key().String())
					}
				}
			}
			slices.Sort(want)
			slices.Sort(changes)
			if diff := cmp.Diff(want, changes); diff != "" {
				t.Errorf("the first plan should adopt every record set and do nothing else (-want +got):\n%s", diff)
			}
			var listed []string
			for _, d := range diags {
				if d.Summary == "Records not imported" {
					for _, k := range tc.notImported {
						if strings.Contains(d.Detail, k) {
							listed = append(listed, k)
						}
					}
				}
			}
			if diff := cmp.Diff(tc.notImported, listed); diff != "" {
				t.Errorf("the records DNS cannot explain are not all listed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInferFromDNS(t *testing.T) {
	const z = "contoso.com"
	in := topology.ViewInternal
	// pool is a three-server pool with its web services override.
	pool := []string{
		"pool01 A 300 10.0.1.11 10.0.1.12 10.0.1.13",
		"fe01 A 300 10.0.1.11", "fe02 A 300 10.0.1.12", "fe03 A 300 10.0.1.13",
		"webint01 A 300 10.0.1.100",
	}
	with := func(extra ...string) []string { return append(slices.Clone(pool), extra...) }
	tests := []struct {
		name  string
		zones func(t *testing.T) []importer.Zone
		opts  importer.InferOptions
		// shape is the model; warnings the summaries beyond the
		// "Inferred from DNS" one; conflicts what the first plan would
		// stop at.
		shape     []string
		warnings  []string
		conflicts []string
		err       string
	}{
		{
			name:  "a pool, its servers and its override",
			zones: func(t *testing.T) []importer.Zone { return []importer.Zone{testZone(t, z, in, 300, pool...)} },
			shape: []string{
				"site imported: frontend pool01.contoso.com dns ttl=0 web[webint01.contoso.com 10.0.1.100 | invalid IP]",
				"  fe01.contoso.com 10.0.1.11", "  fe02.contoso.com 10.0.1.12", "  fe03.contoso.com 10.0.1.13",
			},
		},
		{
			name: "no pool: an error",
			zones: func(t *testing.T) []importer.Zone {
				return []importer.Zone{testZone(t, z, in, 300, "www A 300 192.0.2.1", "mail A 300 192.0.2.2")}
			},
			err: "No pools in the zones",
		},
		{
			name: "an Active Directory zone's apex and DomainDnsZones hold the domain controllers: no pool",
			zones: func(t *testing.T) []importer.Zone {
				return []importer.Zone{testZone(t, z, in, 300, "@ A 600 10.0.0.1 10.0.0.2", "domaindnszones A 600 10.0.0.1 10.0.0.2", "dc01 A 600 10.0.0.1", "dc02 A 600 10.0.0.2")}
			},
			err: "No pools in the zones",
		},
		{
			name: "a draining server: its own record, not in the pool's, named like the servers",
			zones: func(t *testing.T) []importer.Zone {
				return []importer.Zone{testZone(t, z, in, 300, with("fe04 A 300 10.0.1.14", "www A 300 10.0.1.15")...)}
			},
			shape: []string{
				"site imported: frontend pool01.contoso.com dns ttl=0 web[webint01.contoso.com 10.0.1.100 | invalid IP]",
				"  fe01.contoso.com 10.0.1.11", "  fe02.contoso.com 10.0.1.12", "  fe03.contoso.com 10.0.1.13", "  fe04.contoso.com 10.0.1.14 draining",
			},
			warnings: []string{"Draining servers inferred", "Records not imported"},
		},
		{
			name: "a name like the servers of two pools is not taken",
			zones: func(t *testing.T) []importer.Zone {
				return []importer.Zone{testZone(t, z, in, 300, with(
					"pool02 A 300 10.0.2.11 10.0.2.12", "fe21 A 300 10.0.2.11", "fe22 A 300 10.0.2.12", "webint02 A 300 10.0.2.100",
					"fe99 A 300 10.0.9.99")...)}
			},
			shape: []string{
				"site imported: frontend pool01.contoso.com dns ttl=0 web[webint01.contoso.com 10.0.1.100 | invalid IP]",
				"  fe01.contoso.com 10.0.1.11", "  fe02.contoso.com 10.0.1.12", "  fe03.contoso.com 10.0.1.13",
				"site imported: frontend pool02.contoso.com dns ttl=0 web[webint02.contoso.com 10.0.2.100 | invalid IP]",
				"  fe21.contoso.com 10.0.2.11", "  fe22.contoso.com 10.0.2.12",
			},
			warnings: []string{"Ambiguous draining server not imported", "Records not imported"},
		},
		{
			name: "a second name with some of a pool's servers is ambiguous, not a pool",
			zones: func(t *testing.T) []importer.Zone {
				return []importer.Zone{testZone(t, z, in, 300, with("lyncpool A 300 10.0.1.11 10.0.1.12")...)}
			},
			shape: []string{
				"site imported: frontend pool01.contoso.com dns ttl=0 web[webint01.contoso.com 10.0.1.100 | invalid IP]",
				"  fe01.contoso.com 10.0.1.11", "  fe02.contoso.com 10.0.1.12", "  fe03.contoso.com 10.0.1.13",
			},
			warnings: []string{"Ambiguous pool not imported", "Records not imported"},
		},
		{
			name: "an address of the pool no name has alone: a server whose FQDN is TODO",
			zones: func(t *testing.T) []importer.Zone {
				return []importer.Zone{testZone(t, z, in, 300, "pool01 A 300 10.0.1.11 10.0.1.12 10.0.1.13", "fe01 A 300 10.0.1.11", "fe02 A 300 10.0.1.12", "webint01 A 300 10.0.1.100")}
			},
			shape: []string{
				"site imported: frontend pool01.contoso.com dns ttl=0 web[webint01.contoso.com 10.0.1.100 | invalid IP]",
				"  fe01.contoso.com 10.0.1.11", "  fe02.contoso.com 10.0.1.12", "  TODO 10.0.1.13",
			},
			warnings: []string{"Server without its own record", "1 value to fill in"},
		},
		{
			name: "two names with one server's address: the one named like the others",
			zones: func(t *testing.T) []importer.Zone {
				return []importer.Zone{testZone(t, z, in, 300, with("printer A 300 10.0.1.13")...)}
			},
			shape: []string{
				"site imported: frontend pool01.contoso.com dns ttl=0 web[webint01.contoso.com 10.0.1.100 | invalid IP]",
				"  fe01.contoso.com 10.0.1.11", "  fe02.contoso.com 10.0.1.12", "  fe03.contoso.com 10.0.1.13",
			},
			warnings: []string{"Ambiguous server", "Records not imported"},
		},
		{
			name: "a web services FQDN that fits two pools is not taken",
			zones: func(t *testing.T) []importer.Zone {
				return []importer.Zone{testZone(t, z, in, 300,
					"pool01 A 300 10.0.1.11 10.0.1.12", "fe01 A 300 10.0.1.11", "fe02 A 300 10.0.1.12",
					"pool02 A 300 10.0.2.11 10.0.2.12", "fe21 A 300 10.0.2.11", "fe22 A 300 10.0.2.12",
					"web A 300 10.0.9.100")}
			},
			shape: []string{
				"site imported: frontend pool01.contoso.com dns ttl=0",
				"  fe01.contoso.com 10.0.1.11", "  fe02.contoso.com 10.0.1.12",
				"site imported: frontend pool02.contoso.com dns ttl=0",
				"  fe21.contoso.com 10.0.2.11", "  fe22.contoso.com 10.0.2.12",
			},
			warnings: []string{"Ambiguous web services FQDN not imported", "Records not imported", "4 values to fill in"},
		},
		{
			name: "the pool's TTL from its records; a record of another TTL is said to conflict",
			zones: func(t *testing.T) []importer.Zone {
				return []importer.Zone{testZone(t, z, in, 300, "pool01 A 60 10.0.1.11 10.0.1.12 10.0.1.13", "fe01 A 60 10.0.1.11", "fe02 A 60 10.0.1.12", "fe03 A 3600 10.0.1.13", "webint01 A 60 10.0.1.100")}
			},
			shape: []string{
				"site imported: frontend pool01.contoso.com dns ttl=60 web[webint01.contoso.com 10.0.1.100 | invalid IP]",
				"  fe01.contoso.com 10.0.1.11", "  fe02.contoso.com 10.0.1.12", "  fe03.contoso.com 10.0.1.13",
			},
			warnings:  []string{"TTLs differ within a pool"},
			conflicts: []string{"fe03.contoso.com A"},
		},
		{
			name: "a SIP domain: its SRV, sip., lyncdiscoverinternal and simple URLs inside, the Access Edge and reverse proxy outside",
			zones: func(t *testing.T) []importer.Zone {
				return []importer.Zone{
					testZone(t, z, in, 300, with(
						"_sipinternaltls._tcp SRV 300 0 0 5061 pool01.contoso.com.", "sip A 300 10.0.1.11 10.0.1.12 10.0.1.13",
						"lyncdiscoverinternal A 300 10.0.1.100", "meet A 300 10.0.1.100", "dialin A 300 10.0.1.100")...),
					testZone(t, z, topology.ViewExternal, 300,
						"sip A 300 203.0.113.5", "_sip._tls SRV 300 0 0 443 sip.contoso.com.", "_sipfederationtls._tcp SRV 300 0 0 5061 sip.contoso.com.",
						"lyncdiscover A 300 203.0.113.50", "meet A 300 203.0.113.50", "dialin A 300 203.0.113.50", "webext01 A 300 203.0.113.10"),
				}
			},
			shape: []string{
				"site imported: frontend pool01.contoso.com dns ttl=0 web[webint01.contoso.com 10.0.1.100 | webext01.contoso.com 203.0.113.10]",
				"  fe01.contoso.com 10.0.1.11", "  fe02.contoso.com 10.0.1.12", "  fe03.contoso.com 10.0.1.13",
				"sip contoso.com pool=pool01.contoso.com edge=203.0.113.5 rp=203.0.113.50",
				"  Meet https://meet.contoso.com", "  Dialin https://dialin.contoso.com",
			},
		},
		{
			name: "an SRV topo would not write as it is: the SIP domain is not imported",
			zones: func(t *testing.T) []importer.Zone {
				return []importer.Zone{testZone(t, z, in, 300, with("_sipinternaltls._tcp SRV 300 10 50 5061 pool01.contoso.com.", "sip A 300 10.0.1.11 10.0.1.12 10.0.1.13")...)}
			},
			shape: []string{
				"site imported: frontend pool01.contoso.com dns ttl=0 web[webint01.contoso.com 10.0.1.100 | invalid IP]",
				"  fe01.contoso.com 10.0.1.11", "  fe02.contoso.com 10.0.1.12", "  fe03.contoso.com 10.0.1.13",
			},
			warnings: []string{"SIP domain not imported", "Records not imported"},
		},
		{
			name: "lyncdiscoverinternal as a CNAME: the SIP domain is not imported",
			zones: func(t *testing.T) []importer.Zone {
				return []importer.Zone{testZone(t, z, in, 300, with("_sipinternaltls._tcp SRV 300 0 0 5061 pool01.contoso.com.", "sip A 300 10.0.1.11 10.0.1.12 10.0.1.13", "lyncdiscoverinternal CNAME 300 webint01.contoso.com.")...)}
			},
			shape: []string{
				"site imported: frontend pool01.contoso.com dns ttl=0 web[webint01.contoso.com 10.0.1.100 | invalid IP]",
				"  fe01.contoso.com 10.0.1.11", "  fe02.contoso.com 10.0.1.12", "  fe03.contoso.com 10.0.1.13",
			},
			warnings: []string{"SIP domain record differs", "Records not imported"},
		},
		{
			name: "the topology's name from topo's ownership markers",
			zones: func(t *testing.T) []importer.Zone {
				return []importer.Zone{testZone(t, z, in, 300, with(`_topo.fe01 TXT 300 heritage=topo,topology=northwind`)...)}
			},
			shape: []string{
				"name northwind",
				"site imported: frontend pool01.contoso.com dns ttl=0 web[webint01.contoso.com 10.0.1.100 | invalid IP]",
				"  fe01.contoso.com 10.0.1.11", "  fe02.contoso.com 10.0.1.12", "  fe03.contoso.com 10.0.1.13",
			},
		},
		{
			name: "roles from the pools' names; a Director's web services by name",
			zones: func(t *testing.T) []importer.Zone {
				return []importer.Zone{testZone(t, z, in, 300, with(
					"dir01 A 300 10.0.1.211 10.0.1.212", "dir01-srv A 300 10.0.1.211", "dir02-srv A 300 10.0.1.212", "webdir01 A 300 10.0.1.200",
					"edge-int A 300 172.16.0.11 172.16.0.12", "edge01 A 300 172.16.0.11", "edge02 A 300 172.16.0.12")...)}
			},
			shape: []string{
				"site imported: director dir01.contoso.com dns ttl=0 web[webdir01.contoso.com 10.0.1.200 | invalid IP]",
				"  dir01-srv.contoso.com 10.0.1.211", "  dir02-srv.contoso.com 10.0.1.212",
				"site imported: edge edge-int.contoso.com dns ttl=0",
				"  edge01.contoso.com 172.16.0.11", "  edge02.contoso.com 172.16.0.12",
				"site imported: frontend pool01.contoso.com dns ttl=0 web[webint01.contoso.com 10.0.1.100 | invalid IP]",
				"  fe01.contoso.com 10.0.1.11", "  fe02.contoso.com 10.0.1.12", "  fe03.contoso.com 10.0.1.13",
			},
		},
		{
			name: "one zone for both views: the external web services FQDN by its name",
			zones: func(t *testing.T) []importer.Zone {
				return []importer.Zone{testZone(t, z, topology.ViewBoth, 300, with("webext01 A 300 203.0.113.10")...)}
			},
			shape: []string{
				"site imported: frontend pool01.contoso.com dns ttl=0 web[webint01.contoso.com 10.0.1.100 | webext01.contoso.com 203.0.113.10]",
				"  fe01.contoso.com 10.0.1.11", "  fe02.contoso.com 10.0.1.12", "  fe03.contoso.com 10.0.1.13",
			},
		},
		{
			name: "one site per subnet",
			zones: func(t *testing.T) []importer.Zone {
				return []importer.Zone{testZone(t, z, in, 300, with("pool02 A 300 10.0.2.11 10.0.2.12", "fe21 A 300 10.0.2.11", "fe22 A 300 10.0.2.12", "webint02 A 300 10.0.2.100")...)}
			},
			opts: importer.InferOptions{SitePerSubnet: true},
			shape: []string{
				"site subnet-10-0-1-0: frontend pool01.contoso.com dns ttl=0 web[webint01.contoso.com 10.0.1.100 | invalid IP]",
				"  fe01.contoso.com 10.0.1.11", "  fe02.contoso.com 10.0.1.12", "  fe03.contoso.com 10.0.1.13",
				"site subnet-10-0-2-0: frontend pool02.contoso.com dns ttl=0 web[webint02.contoso.com 10.0.2.100 | invalid IP]",
				"  fe21.contoso.com 10.0.2.11", "  fe22.contoso.com 10.0.2.12",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			zones := tc.zones(t)
			m, out, diags := inferred(t, zones, tc.opts)
			if tc.err != "" {
				if m != nil || !diags.HasErrors() || diags.Errs()[0].(*hcl.Diagnostic).Summary != tc.err {
					t.Fatalf("want the error %q, got model %v and %v", tc.err, m != nil, diags)
				}
				return
			}
			if m == nil {
				t.Fatalf("no model: %v", diags)
			}
			if diff := cmp.Diff(tc.shape, dnsShape(m)); diff != "" {
				t.Errorf("model (-want +got):\n%s\n%s", diff, out)
			}
			var got []string
			for _, d := range diags {
				if d.Severity == hcl.DiagError {
					t.Errorf("error: %v", d)
				}
				if d.Summary != "Inferred from DNS" {
					got = append(got, d.Summary)
				}
			}
			if diff := cmp.Diff(tc.warnings, got, cmpEmpty); diff != "" {
				t.Errorf("warnings (-want +got):\n%s\n%v", diff, diags)
			}
			if strings.Contains(string(out), `"`+importer.TODO+`"`) {
				return // the first plan needs the TODOs filled in
			}
			_, conflicts := firstPlan(t, out, zones)
			if diff := cmp.Diff(tc.conflicts, conflicts, cmpEmpty); diff != "" {
				t.Errorf("the first plan's conflicts (-want +got):\n%s", diff)
			}
		})
	}
}

// cmpEmpty treats nil and empty slices alike.
var cmpEmpty = cmp.Comparer(func(a, b []string) bool { return slices.Equal(a, b) })

// dnsShape is what TestInferFromDNS asserts of a model.
func dnsShape(m *importer.Model) []string {
	var out []string
	if m.Name != "" && !strings.Contains(m.NameNote, "no topo ownership markers") {
		out = append(out, "name "+m.Name)
	}
	for _, s := range m.Sites {
		for _, p := range s.Pools {
			line := fmt.Sprintf("site %s: %s %s %s ttl=%d", s.Name, p.Role, p.FQDN, p.LoadBalancing, p.TTL)
			if p.VIP.IsValid() {
				line += " vip=" + p.VIP.String()
			}
			if ws := p.WebServices; ws != nil {
				line += fmt.Sprintf(" web[%s %v | %s %v]", ws.InternalHost, ws.InternalVIP, ws.ExternalHost, ws.ExternalVIP)
				line = strings.ReplaceAll(line, "[ invalid IP", "[invalid IP")
				line = strings.ReplaceAll(line, "|  invalid IP", "| invalid IP")
			}
			out = append(out, line)
			for _, sv := range p.Servers {
				l := fmt.Sprintf("  %s %s", sv.FQDN, sv.Address)
				if sv.State != "" {
					l += " " + string(sv.State)
				}
				out = append(out, l)
			}
		}
	}
	for _, d := range m.SIPDomains {
		line := fmt.Sprintf("sip %s pool=%s", d.Name, d.Pool)
		if d.AccessEdgeIP.IsValid() {
			line += " edge=" + d.AccessEdgeIP.String()
		}
		if d.ReverseProxyIP.IsValid() {
			line += " rp=" + d.ReverseProxyIP.String()
		}
		out = append(out, line)
		for _, u := range m.SimpleURLs {
			if u.Domain == d.Name {
				out = append(out, "  "+u.Component+" "+u.Active)
			}
		}
	}
	return out
}
