package importer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/importer"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/zonefile"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// bigTopology is a published topology of pools Front End pools of servers
// servers each, in ten sites, with known addresses.
func bigTopology(pools, servers int) []byte {
	var b strings.Builder
	b.WriteString(`<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008">` + "\n")
	b.WriteString(`<InternalDomains DefaultDomain="contoso.com"><InternalDomain Name="contoso.com"/></InternalDomains>` + "\n<Sites>\n")
	for s := 1; s <= 10; s++ {
		fmt.Fprintf(&b, "<CentralSite SiteId=\"%d\"><Name>Site %d</Name></CentralSite>\n", s, s)
	}
	b.WriteString("</Sites>\n<Clusters>\n")
	for p := 1; p <= pools; p++ {
		fmt.Fprintf(&b, "<Cluster Fqdn=\"pool%d.contoso.com\"><ClusterId SiteId=\"%d\" Number=\"%d\"/>\n", p, p%10+1, p)
		for s := 1; s <= servers; s++ {
			fmt.Fprintf(&b, "<Machine OrdinalInCluster=\"%d\" Fqdn=\"p%ds%d.contoso.com\"><NetInterface InterfaceSide=\"Primary\" InterfaceNumber=\"1\" IPAddress=\"10.%d.%d.%d\"/></Machine>\n", s, p, s, p/250, p%250, s)
		}
		b.WriteString("</Cluster>\n")
	}
	b.WriteString("</Clusters>\n<Services>\n")
	for p := 1; p <= pools; p++ {
		for _, role := range []string{"UserServices", "Registrar", "WebServices"} {
			fmt.Fprintf(&b, "<Service ServiceVersion=\"7\"><ServiceId SiteId=\"%d\" RoleName=\"%s\" Instance=\"%d\"/><InstalledOn><ClusterId SiteId=\"%d\" Number=\"%d\"/></InstalledOn>", p%10+1, role, p, p%10+1, p)
			if role == "WebServices" {
				fmt.Fprintf(&b, `<WebService xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.ServiceRoles.2008"><InternalSettings Host="webint%d.contoso.com"/><ExternalSettings Host="webext%d.contoso.com"/></WebService>`, p, p)
			}
			b.WriteString("</Service>\n")
		}
	}
	b.WriteString("</Services>\n</Topology>\n")
	return []byte(b.String())
}

// BenchmarkImport1000Pools reads and writes a topology of 1,000 Front End
// pools of 12 servers (12,000 servers).
func BenchmarkImport1000Pools(b *testing.B) {
	data := bigTopology(1000, 12)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		m, diags := importer.ReadTopologyXML("big.xml", data)
		if m == nil {
			b.Fatal(diags)
		}
		if out, _ := importer.WriteHCL(m); len(out) == 0 {
			b.Fatal("no HCL")
		}
	}
}

// BenchmarkImportDNS1000Pools times topo import dns's work on the 1,000
// pool workload (enginetest.BigTopology: 1,000 Front End pools of 12
// servers, about 25,000 records) published to a zone file: reading the
// zone through the zone file provider, inferring the topology and writing
// it. Its target is under 2 s an import.
func BenchmarkImportDNS1000Pools(b *testing.B) {
	ctx := context.Background()
	d := enginetest.MustCompile(b, enginetest.BigTopology("bench.test", 1000))
	prov := zonefile.New(b.TempDir()).ForView(string(topology.ViewBoth))
	resolve := func(string, string) (providers.Provider, error) { return prov, nil }
	l := engine.FromDesired(publish.Source{Desired: d}, resolve)
	p, err := l.Plan(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := l.Publish(ctx, p, engine.PublishOptions{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		sets, err := engine.ReadZone(ctx, prov, "bench.test")
		if err != nil {
			b.Fatal(err)
		}
		zones := []importer.Zone{{Name: "bench.test", View: topology.ViewBoth, TTL: 300, RRsets: sets}}
		m, diags := importer.InferFromDNS(zones, importer.InferOptions{})
		if m == nil {
			b.Fatal(diags)
		}
		if n := len(m.Sites[0].Pools); n != 1000 {
			b.Fatalf("%d pools inferred, want 1000", n)
		}
		m.DNS = &importer.DNSSource{Filename: "zones.hcl", HCL: []byte("zone \"bench.test\" {\n  ownership = \"exclusive\"\n}\n"), Zones: zones}
		if out, _ := importer.WriteHCL(m); len(out) == 0 {
			b.Fatal("no HCL")
		}
	}
}
