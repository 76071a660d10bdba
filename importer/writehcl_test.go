package importer_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/topo-dns/topo/importer"
	"github.com/topo-dns/topo/topology"
)

// edgeTopology is a published topology with a Standard Edition server and
// one Edge pool (cluster 2) per entry of edges, each entry the Edge
// service's external ports and the pool's machines.
func edgeTopology(edges ...[2]string) string {
	var clusters, services strings.Builder
	for i, e := range edges {
		n := i + 2
		fmt.Fprintf(&clusters, `<Cluster Fqdn="edge%d.contoso.com"><ClusterId SiteId="1" Number="%d"/>%s</Cluster>`+"\n", n, n, e[1])
		fmt.Fprintf(&services, `<Service ServiceVersion="7"><ServiceId SiteId="1" RoleName="EdgeServer" Instance="%d"/><InstalledOn><ClusterId SiteId="1" Number="%d"/></InstalledOn><Ports xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.ServiceRoles.2008">%s</Ports></Service>`+"\n", n, n, e[0])
	}
	return `<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008">
<InternalDomains DefaultDomain="contoso.com"><InternalDomain Name="contoso.com"/></InternalDomains>
<Sites><CentralSite SiteId="1"><Name>A</Name></CentralSite></Sites>
<Clusters>
<Cluster Fqdn="se01.contoso.com" IsSingleMachineOnly="true"><ClusterId SiteId="1" Number="1"/><Machine OrdinalInCluster="1"><NetInterface InterfaceSide="Primary" InterfaceNumber="1" IPAddress="10.0.0.10"/></Machine></Cluster>
` + clusters.String() + `</Clusters>
<Services>
<Service ServiceVersion="7"><ServiceId SiteId="1" RoleName="Registrar" Instance="1"/><InstalledOn><ClusterId SiteId="1" Number="1"/></InstalledOn></Service>
` + services.String() + `</Services>
</Topology>
`
}

// port is an Edge service's external port.
func port(owner string, iface, number int, fqdn string) string {
	return fmt.Sprintf(`<Port Owner="urn:component:%s" InterfaceSide="External" InterfaceNumber="%d" Port="%d" ConfiguredFqdn="%s"/>`, owner, iface, number, fqdn)
}

// edgeMachine is an Edge server: its internal address, and per external
// interface "address" or "address/nat".
func edgeMachine(fqdn, internal string, external ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<Machine Fqdn="%s"><NetInterface InterfaceSide="Internal" InterfaceNumber="1" IPAddress="%s"/>`, fqdn, internal)
	for i, x := range external {
		addr, nat, _ := strings.Cut(x, "/")
		if nat != "" {
			nat = fmt.Sprintf(` ConfiguredIPAddress="%s"`, nat)
		}
		fmt.Fprintf(&b, `<NetInterface InterfaceSide="External" InterfaceNumber="%d" IPAddress="%s"%s/>`, i+1, addr, nat)
	}
	return b.String() + "</Machine>"
}

var (
	threePorts = port("AccessEdge", 1, 5061, "sip.contoso.com") + port("DataEdge", 2, 443, "webcon.contoso.com") + port("MediaRelayEdge", 3, 443, "av.contoso.com")
	onePort    = port("AccessEdge", 1, 5061, "access.contoso.com") + port("DataEdge", 1, 444, "access.contoso.com") + port("MediaRelayEdge", 1, 443, "access.contoso.com")
)

// TestEdgeLayouts: how WriteHCL writes an Edge pool's external side for
// each shape Topology Builder can give it, what is left as TODO, and where
// the language has no form for it (comments and a warning). Every import
// validates but for its TODOs, and once they are filled in compiles to the
// records the Edge pool's external side needs.
func TestEdgeLayouts(t *testing.T) {
	tests := []struct {
		name  string
		edges [][2]string
		// warnings are WriteHCL's, but for "DNS load balancing assumed".
		warnings []string
		// detail is in the warnings' details.
		detail string
		// has are lines the HCL must hold (spacing aside), hasNot what it
		// must not.
		has, hasNot []string
		validate    []string
		// records are the filled-in topology's external records of the
		// Edge pools and the SIP domain.
		records []string
	}{
		{
			name: "three FQDNs, public addresses",
			edges: [][2]string{{threePorts, edgeMachine("e1.contoso.com", "10.1.0.1", "198.51.100.1", "198.51.100.2", "198.51.100.3") +
				edgeMachine("e2.contoso.com", "10.1.0.2", "198.51.100.11", "198.51.100.12", "198.51.100.13")}},
			warnings: []string{},
			has:      []string{`access_fqdn  = "sip.contoso.com"`, `webconf_fqdn = "webcon.contoso.com"`, `av_fqdn      = "av.contoso.com"`, `access_ip  = "198.51.100.1"`, `edge_pool = "edge2.contoso.com"`},
			hasNot:   []string{"access_public_ip"},
			validate: []string{},
			records: []string{
				"_sip._tls.contoso.com SRV 0 0 443 sip.contoso.com.", "_sipfederationtls._tcp.contoso.com SRV 0 0 5061 sip.contoso.com.",
				"av.contoso.com A 198.51.100.13", "av.contoso.com A 198.51.100.3",
				"sip.contoso.com A 198.51.100.1", "sip.contoso.com A 198.51.100.11",
				"webcon.contoso.com A 198.51.100.12", "webcon.contoso.com A 198.51.100.2",
			},
		},
		{
			name:     "one FQDN and address for the three, behind NAT",
			edges:    [][2]string{{onePort, edgeMachine("e1.contoso.com", "10.1.0.1", "172.20.0.1/203.0.113.1") + edgeMachine("e2.contoso.com", "10.1.0.2", "172.20.0.2/203.0.113.2")}},
			warnings: []string{},
			has:      []string{`access_fqdn = "access.contoso.com"`, `access_ip        = "172.20.0.1"`, `access_public_ip = "203.0.113.1"`},
			hasNot:   []string{"webconf_fqdn", "av_fqdn", "webconf_ip"},
			validate: []string{},
			records: []string{
				"_sip._tls.contoso.com SRV 0 0 443 access.contoso.com.", "_sipfederationtls._tcp.contoso.com SRV 0 0 5061 access.contoso.com.",
				"access.contoso.com A 203.0.113.1", "access.contoso.com A 203.0.113.2",
				"sip.contoso.com A 203.0.113.1", "sip.contoso.com A 203.0.113.2",
			},
		},
		{
			name:     "NAT on some interfaces only",
			edges:    [][2]string{{onePort, edgeMachine("e1.contoso.com", "10.1.0.1", "172.20.0.1/203.0.113.1") + edgeMachine("e2.contoso.com", "10.1.0.2", "172.20.0.2")}},
			warnings: []string{"1 value to fill in"},
			validate: []string{`error: Invalid IP address: access_public_ip = "TODO"`},
			records: []string{
				"_sip._tls.contoso.com SRV 0 0 443 access.contoso.com.", "_sipfederationtls._tcp.contoso.com SRV 0 0 5061 access.contoso.com.",
				"access.contoso.com A 198.18.0.2", "access.contoso.com A 203.0.113.1",
				"sip.contoso.com A 198.18.0.2", "sip.contoso.com A 203.0.113.1",
			},
		},
		{
			name: "all addresses, a missing interface, a missing FQDN",
			edges: [][2]string{{port("AccessEdge", 1, 5061, "sip.contoso.com") + port("DataEdge", 2, 443, "") + port("MediaRelayEdge", 3, 443, "av.contoso.com"),
				edgeMachine("e1.contoso.com", "10.1.0.1", "0.0.0.0", "198.51.100.2", "198.51.100.3") + edgeMachine("e2.contoso.com", "10.1.0.2", "198.51.100.11", "198.51.100.12")}},
			warnings: []string{"3 values to fill in"},
			validate: []string{
				`error: Invalid FQDN: webconf_fqdn = "TODO"`,
				`error: Invalid IP address: access_ip = "TODO"`,
				`error: Invalid IP address: av_ip = "TODO"`,
			},
			records: []string{
				"_sip._tls.contoso.com SRV 0 0 443 sip.contoso.com.", "_sipfederationtls._tcp.contoso.com SRV 0 0 5061 sip.contoso.com.",
				"av.contoso.com A 192.0.2.4", "av.contoso.com A 198.51.100.3",
				"sip.contoso.com A 192.0.2.3", "sip.contoso.com A 198.51.100.11",
				"webconf-filled1.contoso.com A 198.51.100.12", "webconf-filled1.contoso.com A 198.51.100.2",
			},
		},
		{
			name:     "one FQDN on several interfaces",
			edges:    [][2]string{{port("AccessEdge", 1, 5061, "sip.contoso.com") + port("DataEdge", 2, 444, "sip.contoso.com") + port("MediaRelayEdge", 1, 443, "sip.contoso.com"), edgeMachine("e1.contoso.com", "10.1.0.1", "198.51.100.1", "198.51.100.2")}},
			warnings: []string{"Edge external interfaces written as comments"},
			detail:   "as its services share one FQDN but listen on different external interfaces (1 and 2), and topo's language gives services that share an FQDN one address per server",
			has:      []string{"#   A/V Edge: sip.contoso.com, port 443 on external interface 1 (line 10)", "# external interface 2: 198.51.100.2 (line 6)"},
			hasNot:   []string{"edge {", "edge_pool"},
			validate: []string{},
		},
		{
			name:     "FQDNs of their own on one interface",
			edges:    [][2]string{{port("AccessEdge", 1, 5061, "sip.contoso.com") + port("DataEdge", 1, 444, "webcon.contoso.com") + port("MediaRelayEdge", 2, 443, "av.contoso.com"), edgeMachine("e1.contoso.com", "10.1.0.1", "198.51.100.1", "198.51.100.2")}},
			warnings: []string{"Edge external interfaces written as comments"},
			detail:   "as the Access Edge and the Web Conferencing Edge have FQDNs of their own but listen on one external interface (1)",
			has:      []string{"#   Web Conferencing Edge: webcon.contoso.com, port 444 on external interface 1 (line 10)"},
			hasNot:   []string{"edge {"},
			validate: []string{},
		},
		{
			name:     "two services share an FQDN, the third has its own",
			edges:    [][2]string{{port("AccessEdge", 1, 5061, "sip.contoso.com") + port("DataEdge", 2, 444, "sip.contoso.com") + port("MediaRelayEdge", 3, 443, "av.contoso.com"), edgeMachine("e1.contoso.com", "10.1.0.1", "198.51.100.1", "198.51.100.2", "198.51.100.3")}},
			warnings: []string{"Edge external interfaces written as comments"},
			detail:   "as two of its services share an FQDN and the third has its own (sip.contoso.com, av.contoso.com)",
			hasNot:   []string{"edge {"},
			validate: []string{},
		},
		{
			name: "two Edge pools",
			edges: [][2]string{
				{onePort, edgeMachine("e1.contoso.com", "10.1.0.1", "198.51.100.1")},
				{port("AccessEdge", 1, 5061, "access2.contoso.com"), edgeMachine("e2.contoso.com", "10.1.0.2", "198.51.100.2")},
			},
			warnings: []string{"SIP domain Edge pool chosen"},
			has:      []string{`edge_pool = "edge2.contoso.com"`},
			validate: []string{},
			records: []string{
				"_sip._tls.contoso.com SRV 0 0 443 access.contoso.com.", "_sipfederationtls._tcp.contoso.com SRV 0 0 5061 access.contoso.com.",
				"access.contoso.com A 198.51.100.1", "access2.contoso.com A 198.51.100.2", "sip.contoso.com A 198.51.100.1",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, diags := importer.ReadTopologyXML("in.xml", []byte(edgeTopology(tc.edges...)))
			if m == nil {
				t.Fatal(diags)
			}
			out, wd := importer.WriteHCL(m)
			var warnings []string
			for _, s := range summaries(wd) {
				if s != "DNS load balancing assumed" {
					warnings = append(warnings, s)
				}
			}
			if diff := cmp.Diff(tc.warnings, warnings, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("warnings (-want +got):\n%s\n%s", diff, wd)
			}
			var details strings.Builder
			for _, d := range wd {
				details.WriteString(d.Detail + "\n")
			}
			if !strings.Contains(details.String(), tc.detail) {
				t.Errorf("the warnings do not say %q:\n%s", tc.detail, details.String())
			}
			lines := map[string]bool{}
			for _, l := range strings.Split(string(out), "\n") {
				lines[strings.Join(strings.Fields(l), " ")] = true
			}
			for _, l := range tc.has {
				if !lines[strings.Join(strings.Fields(l), " ")] {
					t.Errorf("the HCL lacks the line %q:\n%s", l, out)
				}
			}
			for _, l := range tc.hasNot {
				if strings.Contains(string(out), l) {
					t.Errorf("the HCL has %q:\n%s", l, out)
				}
			}
			if diff := cmp.Diff(tc.validate, validated(t, out)); diff != "" {
				t.Errorf("topo validate on the import (-want +got):\n%s\n%s", diff, out)
			}
			filled := fill(t, out)
			if diff := cmp.Diff([]string{}, validated(t, filled)); diff != "" {
				t.Fatalf("topo validate with the TODOs filled in (-want +got):\n%s\n%s", diff, filled)
			}
			tp, _ := topology.Parse(filled, "topology.hcl", topology.Options{})
			d, diags := topology.Compile(tp.File)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			var got []string
			for _, z := range d.Zones {
				if z.View != topology.ViewExternal {
					continue
				}
				for _, r := range z.Records {
					got = append(got, fmt.Sprintf("%s %s %s", r.Name, r.Type, r.Value))
				}
			}
			if diff := cmp.Diff(tc.records, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("external records (-want +got):\n%s\n%s", diff, filled)
			}
		})
	}
}
