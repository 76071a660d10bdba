package importer_test

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/topo-dns/topo/importer"
)

// filled reads an XML fixture, fills it from zones and writes it, as topo
// import topology FILE --dns does.
func filled(t *testing.T, file string, zones []importer.Zone) (*importer.Model, []byte, hcl.Diagnostics) {
	t.Helper()
	return filledWith(t, file, zones, nil)
}

// filledWith is filled with the model changed by change (if not nil)
// before it is filled: what a file lacking a value reads as.
func filledWith(t *testing.T, file string, zones []importer.Zone, change func(*importer.Model)) (*importer.Model, []byte, hcl.Diagnostics) {
	t.Helper()
	im := importFile(t, filepath.Join("testdata", file))
	m := im.model
	if change != nil {
		change(m)
	}
	diags := importer.FillFromDNS(m, zones)
	// zones.hcl declares the zones the deployment publishes.
	var zb []string
	for _, view := range []string{"internal", "both", "external"} {
		for _, z := range zones {
			if string(z.View) == view {
				zb = append(zb, fmt.Sprintf("zone %q {\n  view = %q\n}\n", z.Name, z.View))
			}
		}
	}
	m.DNS = &importer.DNSSource{Filename: "zones.hcl", HCL: []byte(strings.Join(zb, "\n")), Zones: zones}
	out, wd := importer.WriteHCL(m)
	return m, out, append(diags, wd...)
}

// deployed are the zones of a fixture's deployment (testdata/*.deployed.hcl)
// as published, without topo's ownership markers.
func deployed(t *testing.T, file string) []importer.Zone {
	t.Helper()
	path := filepath.Join("testdata", strings.TrimSuffix(file, filepath.Ext(file))+".deployed.hcl")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return published(t, src, path)
}

// TestFillFromDNS is the acceptance test's Topology Builder path without
// servers: each fixture's deployment published, its markers deleted, the
// fixture imported with its zones: addresses, VIPs, states and load
// balancing come from DNS, and the first plan adopts every record set and
// changes nothing.
func TestFillFromDNS(t *testing.T) {
	tests := []struct {
		file  string
		shape []string
	}{
		{
			file: "builder-edge-nat.tbxml",
			shape: []string{
				"site imported: frontend pool01.contoso.com dns ttl=0 web[webint01.contoso.com 10.0.1.100 | webext01.contoso.com 203.0.113.10]",
				"  fe01.contoso.com 10.0.1.11", "  fe02.contoso.com 10.0.1.12", "  fe03.contoso.com 10.0.1.13 draining",
				"site imported: edge edge01.contoso.com dns ttl=0",
				"  edge01a.contoso.com 172.16.0.11", "  edge01b.contoso.com 172.16.0.12",
				"sip contoso.com pool=pool01.contoso.com",
				"  Meet https://meet.contoso.com",
			},
		},
		{
			file: "published-enterprise.xml",
			shape: []string{
				"site imported: frontend pool01.contoso.com dns ttl=0 web[webint01.contoso.com 10.0.1.100 | webext01.contoso.com 203.0.113.10]",
				"  fe01.contoso.com 10.0.1.11", "  fe02.contoso.com 10.0.1.12", "  fe03.contoso.com 10.0.1.13",
				"site imported: director dir01.contoso.com dns ttl=0 web[webdir01.contoso.com 10.0.1.200 | webextdir.contoso.com 203.0.113.20]",
				"  dir01-srv.contoso.com 10.0.1.211", "  dir02-srv.contoso.com 10.0.1.212",
				"site imported: mediation med01.contoso.com hardware ttl=0 vip=10.0.1.30",
				"  med01-a.contoso.com 10.0.1.31", "  med01-b.contoso.com 10.0.1.32",
				"site imported: frontend pool02.contoso.com dns ttl=0 web[webint02.contoso.com 10.0.2.100 | webext02.contoso.com 203.0.113.30]",
				"  dub-fe01.contoso.com 10.0.2.11 offline", "  dub-fe02.contoso.com 10.0.2.12", "  dub-fe03.contoso.com 10.0.2.13",
				"sip contoso.com pool=pool01.contoso.com edge=198.51.100.10 rp=198.51.100.20",
				"  Meet https://meet.contoso.com",
				"sip fabrikam.com pool=pool01.contoso.com",
				"  Meet https://meet.fabrikam.com",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			zones := deployed(t, tc.file)
			m, out, diags := filled(t, tc.file, zones)
			for _, s := range m.Sites {
				s.Name = "imported" // dnsShape prints site names; the file's are not the point here
			}
			if diff := cmp.Diff(tc.shape, dnsShape(m)); diff != "" {
				t.Errorf("model (-want +got):\n%s", diff)
			}
			base := strings.TrimSuffix(tc.file, filepath.Ext(tc.file))
			golden(t, base+".dns.golden", out)
			golden(t, base+".dns.warnings.golden", warningsText(diags))
			if strings.Contains(string(out), `"`+importer.TODO+`"`) {
				t.Fatalf("TODOs left although DNS holds every value:\n%s", out)
			}
			changes, conflicts := firstPlan(t, out, zones)
			if len(conflicts) > 0 {
				t.Errorf("conflicts: %v", conflicts)
			}
			var want []string
			for _, z := range zones {
				for _, s := range z.RRsets {
					if s.Type != "SOA" && s.Type != "NS" {
						want = append(want, "adopt "+s.Key().String())
					}
				}
			}
			slices.Sort(want)
			slices.Sort(changes)
			if diff := cmp.Diff(want, changes); diff != "" {
				t.Errorf("the first plan should adopt every record set and do nothing else (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFillFromDNSDisagreements: where the file and DNS disagree, the file
// wins and a warning says so.
func TestFillFromDNSDisagreements(t *testing.T) {
	const file = "builder-edge-nat.tbxml"
	edit := func(zones []importer.Zone, name, typ string, values ...string) {
		for i := range zones {
			if zones[i].View != "internal" {
				continue
			}
			sets := zones[i].RRsets[:0]
			for _, s := range zones[i].RRsets {
				if s.Name == name && s.Type == typ {
					if len(values) == 0 {
						continue
					}
					s.Values = values
				}
				sets = append(sets, s)
			}
			zones[i].RRsets = sets
		}
	}
	tests := []struct {
		name     string
		change   func([]importer.Zone)
		warnings []string
		shape    string
	}{
		{
			name:     "a server whose own record holds another address",
			change:   func(zs []importer.Zone) { edit(zs, "fe01.contoso.com", "A", "10.0.1.99") },
			warnings: []string{"Server address differs from DNS"},
		},
		{
			name:     "an address in the pool's records that is no server's",
			change:   func(zs []importer.Zone) { edit(zs, "pool01.contoso.com", "A", "10.0.1.11", "10.0.1.12", "10.0.1.77") },
			warnings: []string{"Pool address of no server"},
		},
		{
			name:     "a server with no record at all is offline",
			change:   func(zs []importer.Zone) { edit(zs, "fe03.contoso.com", "A") },
			warnings: []string{"Server offline in DNS"},
			shape:    "  fe03.contoso.com 10.0.1.13 offline",
		},
		{
			name:     "a pool FQDN with no record",
			change:   func(zs []importer.Zone) { edit(zs, "edge01.contoso.com", "A") },
			warnings: []string{"Pool FQDN not in DNS"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			zones := deployed(t, file)
			tc.change(zones)
			m, _, diags := filled(t, file, zones)
			var got []string
			for _, d := range diags {
				if slices.Contains(tc.warnings, d.Summary) {
					got = append(got, d.Summary)
					if d.Subject == nil || d.Subject.Filename == "" {
						t.Errorf("%q points nowhere", d.Summary)
					}
				}
			}
			if diff := cmp.Diff(tc.warnings, got); diff != "" {
				t.Errorf("warnings (-want +got):\n%s\n%v", diff, diags)
			}
			if tc.shape != "" && !slices.Contains(dnsShape(m), tc.shape) {
				t.Errorf("model lacks %q:\n%s", tc.shape, strings.Join(dnsShape(m), "\n"))
			}
		})
	}
}

// TestNames: a provider reading by names is asked for every name the
// topology gives records, with its marker, in the zone only.
func TestNames(t *testing.T) {
	im := importFile(t, filepath.Join("testdata", "builder-edge-nat.tbxml"))
	got := importer.Names(im.model, "contoso.com")
	for _, want := range []string{"pool01.contoso.com", "_topo.pool01.contoso.com", "fe03.contoso.com", "webint01.contoso.com", "webext01.contoso.com", "_sipinternaltls._tcp.contoso.com", "sip.contoso.com", "lyncdiscoverinternal.contoso.com", "meet.contoso.com", "edge01b.contoso.com"} {
		if !slices.Contains(got, want) {
			t.Errorf("Names lacks %s: %v", want, got)
		}
	}
	if !slices.IsSorted(got) {
		t.Errorf("Names is not sorted: %v", got)
	}
	if n := importer.Names(im.model, "fabrikam.com"); len(n) != 0 {
		t.Errorf("names outside the zone: %v", n)
	}
}

// TestFillFromDNSEdgeAndOfficeOnline: an Edge server's published address
// the file lacks comes from its service's FQDN outside when one address
// is left for one server, and stays TODO when DNS does not say whose; an
// Office Online Server farm's vip and external_proxy_ip come from its
// FQDN inside and outside.
func TestFillFromDNSEdgeAndOfficeOnline(t *testing.T) {
	const file = "builder-edge-nat.tbxml"
	// noNAT forgets the NAT public address of the servers' external
	// interface n, as a file without ConfiguredIPAddress there reads.
	noNAT := func(n int, servers ...string) func(*importer.Model) {
		return func(m *importer.Model) {
			for _, s := range m.Sites {
				for _, p := range s.Pools {
					for _, sv := range p.Servers {
						if !slices.Contains(servers, sv.FQDN) {
							continue
						}
						for i := range sv.External {
							if sv.External[i].Number == n {
								sv.External[i].NAT = netip.Addr{}
							}
						}
					}
				}
			}
		}
	}
	// set replaces the address records of name in view (none: deletes them).
	set := func(view, name string, values ...string) func([]importer.Zone) {
		return func(zones []importer.Zone) {
			for i := range zones {
				if string(zones[i].View) != view {
					continue
				}
				sets := zones[i].RRsets[:0]
				for _, s := range zones[i].RRsets {
					if s.Name == name && s.Type == "A" {
						if len(values) == 0 {
							continue
						}
						s.Values = values
					}
					sets = append(sets, s)
				}
				zones[i].RRsets = sets
			}
		}
	}
	tests := []struct {
		name     string
		model    func(*importer.Model)
		zones    func([]importer.Zone)
		warnings []string
		// want are lines the topology holds; todos how many TODOs.
		want  []string
		todos int
	}{
		{
			name:     "one server's NAT address missing: the address no other server has",
			model:    noNAT(2, "edge01b.contoso.com"),
			warnings: []string{"Edge addresses from DNS"},
			want:     []string{`webconf_public_ip = "203.0.113.22"`, "webconf_public_ip: from DNS, webcon.contoso.com 203.0.113.21, 203.0.113.22 (in zone"},
		},
		{
			name:     "two servers' NAT addresses missing: DNS does not say whose",
			model:    noNAT(3, "edge01a.contoso.com", "edge01b.contoso.com"),
			warnings: []string{"Edge addresses ambiguous in DNS"},
			todos:    2,
		},
		{
			name:     "an Edge FQDN holding another address than the file's",
			zones:    set("external", "av.contoso.com", "203.0.113.31", "203.0.113.99"),
			warnings: []string{"Edge address differs from DNS"},
			want:     []string{`av_public_ip = "203.0.113.32"`},
		},
		{
			name:     "an Edge FQDN missing outside",
			model:    noNAT(1, "edge01a.contoso.com"),
			zones:    set("external", "sip.contoso.com"),
			warnings: []string{"Edge FQDN not in DNS"},
			todos:    1,
		},
		{
			name:     "an Office Online farm with two addresses inside",
			zones:    set("internal", "oos.contoso.com", "10.0.1.50", "10.0.1.51"),
			warnings: []string{"Office Online Server address ambiguous in DNS"},
			want:     []string{`external_proxy_ip = "203.0.113.50"`},
			todos:    1,
		},
		{
			name:     "an Office Online farm not published outside",
			zones:    set("external", "oos.contoso.com"),
			warnings: []string{"Office Online Server FQDN not in DNS"},
			want:     []string{`vip = "10.0.1.50"`, "The public address its FQDN resolves to there (the reverse proxy's); DNS has no address for it outside."},
			todos:    1,
		},
		{
			name: "an internal-only farm published outside",
			model: func(m *importer.Model) {
				m.Sites[0].OfficeOnline[0].External = false
			},
			warnings: []string{"Office Online Server published outside"},
			want:     []string{`external_proxy_ip = "203.0.113.50"`},
		},
	}
	watched := []string{"Edge addresses from DNS", "Edge addresses ambiguous in DNS", "Edge address differs from DNS", "Edge FQDN not in DNS", "Office Online Server address ambiguous in DNS", "Office Online Server FQDN not in DNS", "Office Online Server published outside"}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			zones := deployed(t, file)
			if tc.zones != nil {
				tc.zones(zones)
			}
			_, out, diags := filledWith(t, file, zones, tc.model)
			var got []string
			for _, d := range diags {
				if slices.Contains(watched, d.Summary) {
					got = append(got, d.Summary)
				}
			}
			if diff := cmp.Diff(tc.warnings, got); diff != "" {
				t.Errorf("warnings (-want +got):\n%s\n%v", diff, diags)
			}
			// Comments are wrapped: compare with the line breaks and
			// comment marks taken out.
			flatten := func(s string) string {
				return strings.Join(slices.DeleteFunc(strings.Fields(s), func(f string) bool { return f == "#" }), " ")
			}
			flat := flatten(string(out))
			for _, w := range tc.want {
				if !strings.Contains(flat, flatten(w)) {
					t.Errorf("the topology lacks %q:\n%s", w, out)
				}
			}
			if n := strings.Count(string(out), `= "`+importer.TODO+`"`); n != tc.todos {
				t.Errorf("%d TODOs, want %d:\n%s", n, tc.todos, out)
			}
		})
	}
}
