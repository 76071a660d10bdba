package importer_test

import (
	"bytes"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/topo-dns/topo/importer"
	"github.com/topo-dns/topo/topology"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// imported is a file read and written, with every diagnostic on the way.
type imported struct {
	model *importer.Model
	hcl   []byte
	read  hcl.Diagnostics
	write hcl.Diagnostics
}

func importFile(t *testing.T, path string) imported {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, diags := importer.ReadTopologyXML(filepath.Base(path), data)
	if diags.HasErrors() || m == nil {
		t.Fatalf("ReadTopologyXML(%s): %v", path, diags)
	}
	out, wd := importer.WriteHCL(m)
	return imported{model: m, hcl: out, read: diags, write: wd}
}

// summaries are the diagnostics' summaries, for exact comparison.
func summaries(diags hcl.Diagnostics) []string {
	out := []string{}
	for _, d := range diags {
		out = append(out, d.Summary)
	}
	return out
}

// validated is what topo validate reports on the HCL, each diagnostic as
// its summary and the source line it points at, so the want reads like the
// file and survives comments moving lines.
func validated(t *testing.T, src []byte) []string {
	t.Helper()
	tp, diags := topology.Parse(src, "topology.hcl", topology.Options{LookupEnv: func(string) (string, bool) { return "", false }})
	if diags.HasErrors() {
		t.Fatalf("the written HCL does not decode: %v\n%s", diags, src)
	}
	diags = append(diags, tp.Validate()...)
	lines := strings.Split(string(src), "\n")
	out := []string{}
	for _, d := range diags {
		at := ""
		if d.Subject != nil && d.Subject.Start.Line <= len(lines) {
			at = strings.TrimSpace(lines[d.Subject.Start.Line-1])
		}
		sev := "error"
		if d.Severity == hcl.DiagWarning {
			sev = "warning"
		}
		out = append(out, fmt.Sprintf("%s: %s: %s", sev, d.Summary, at))
	}
	return out
}

// fill writes a value into every TODO the importer left, as an operator
// would: addresses, VIPs, the override in the pool's domain. What topo
// validate reports after that is what the importer got wrong.
func fill(t *testing.T, src []byte) []byte {
	t.Helper()
	f, diags := hclwrite.ParseConfig(src, "topology.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	n := 0
	var walk func(b *hclwrite.Body, poolFQDN string)
	walk = func(b *hclwrite.Body, poolFQDN string) {
		if a := b.GetAttribute("fqdn"); a != nil && poolFQDN == "" {
			poolFQDN = strings.Trim(strings.TrimSpace(string(a.Expr().BuildTokens(nil).Bytes())), `"`)
		}
		// In name order: the values are numbered.
		attrs := b.Attributes()
		for _, name := range slices.Sorted(maps.Keys(attrs)) {
			a := attrs[name]
			if strings.TrimSpace(string(a.Expr().BuildTokens(nil).Bytes())) != `"`+importer.TODO+`"` {
				continue
			}
			n++
			var v string
			switch name {
			case "ip":
				v = fmt.Sprintf("10.250.%d.%d", n/200, n%200+1)
			case "internal_vip":
				v = fmt.Sprintf("10.251.%d.%d", n/200, n%200+1)
			case "external_proxy_ip":
				v = fmt.Sprintf("198.51.100.%d", n%200+1)
			case "internal_fqdn":
				_, domain, _ := strings.Cut(poolFQDN, ".")
				v = fmt.Sprintf("webint-filled%d.%s", n, domain)
			case "vip":
				v = fmt.Sprintf("10.253.%d.%d", n/200, n%200+1)
			case "access_ip", "webconf_ip", "av_ip":
				v = fmt.Sprintf("192.0.2.%d", n%200+1)
			case "access_public_ip", "webconf_public_ip", "av_public_ip":
				v = fmt.Sprintf("198.18.%d.%d", n/200, n%200+1)
			case "access_fqdn", "webconf_fqdn", "av_fqdn", "fqdn":
				_, domain, _ := strings.Cut(poolFQDN, ".")
				v = fmt.Sprintf("%s-filled%d.%s", strings.TrimSuffix(name, "_fqdn"), n, domain)
			default:
				t.Fatalf("a TODO in attribute %q, which fill does not know", name)
			}
			b.SetAttributeValue(name, cty.StringVal(v))
		}
		for _, blk := range b.Blocks() {
			p := poolFQDN
			if blk.Type() == "pool" {
				p = ""
			}
			walk(blk.Body(), p)
		}
	}
	walk(f.Body(), "")
	if n == 0 {
		return src
	}
	return f.Bytes()
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./importer -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); if intended, go test ./importer -update:\n%s", path, diff)
	}
}

// warningsText renders diagnostics for a golden file.
func warningsText(diags hcl.Diagnostics) []byte {
	var b bytes.Buffer
	for _, d := range diags {
		sev := "Error"
		if d.Severity == hcl.DiagWarning {
			sev = "Warning"
		}
		fmt.Fprintf(&b, "%s: %s\n", sev, d.Summary)
		if d.Subject != nil {
			fmt.Fprintf(&b, "  --> %s:%d:%d\n", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
		}
		fmt.Fprintf(&b, "%s\n\n", d.Detail)
	}
	return b.Bytes()
}

// shape is what a test asserts of a model: per pool, its role and its
// servers in order, and each server's address (or how it is missing).
func shape(m *importer.Model) []string {
	var out []string
	for _, s := range m.Sites {
		for _, p := range s.Pools {
			line := fmt.Sprintf("site %s %q: %s %s", s.ID, s.Name, p.Role, p.FQDN)
			if p.SingleMachine {
				line += " (single machine)"
			}
			if p.CollocatedMediation {
				line += " (+mediation)"
			}
			if ws := p.WebServices; ws != nil {
				line += fmt.Sprintf(" web[internal=%q external=%q]", ws.InternalHost, ws.ExternalHost)
			}
			out = append(out, line)
			for _, e := range p.EdgeExternal {
				out = append(out, fmt.Sprintf("  edge %s %s if%d ports %v", e.Service, e.FQDN, e.Interface, e.Ports))
			}
			for _, sv := range p.Servers {
				addr := string(sv.AddressKind)
				if sv.AddressKind != importer.AddressMissing {
					addr = sv.Address.String()
				}
				line := fmt.Sprintf("  %d %s %s", sv.Ordinal, sv.FQDN, addr)
				for _, x := range sv.External {
					line += fmt.Sprintf(" ext%d=%v", x.Number, x.Address)
					if x.NAT.IsValid() {
						line += "/nat=" + x.NAT.String()
					}
				}
				out = append(out, line)
			}
		}
		for _, o := range s.OfficeOnline {
			out = append(out, fmt.Sprintf("site %s: office online %s %s external=%v machines=%v", s.ID, o.FQDN, o.DiscoveryURL, o.External, o.Machines))
		}
	}
	return out
}

// newRecords are the compiled records of what issue 9 added to the
// language and the importer now writes (Edge external interfaces, Office
// Online Server, the SIP domains' SRV and Access Edge records), each as
// "view zone: name type value (source)".
func newRecords(d *topology.Desired) []string {
	var out []string
	for _, z := range d.Zones {
		for _, r := range z.Records {
			for _, s := range []string{".edge.", "office_online_server", ".sipinternaltls", ".sip_internal", ".sip_tls", ".sipfederationtls", ".access_edge"} {
				if strings.Contains(r.Source, s) {
					out = append(out, fmt.Sprintf("%s %s: %s %s %s (%s)", z.View, z.Zone, r.Name, r.Type, r.Value, r.Source))
					break
				}
			}
		}
	}
	return out
}

// TestFixtures imports each fixture written for the cases the real files
// lack: the model, the HCL (golden, canonical), the warnings (golden), what
// topo validate says of the HCL (only the TODOs), what it says once every
// TODO is filled in (nothing), and the records the filled-in topology
// compiles to for what issue 9 added to the language.
func TestFixtures(t *testing.T) {
	tests := []struct {
		file       string
		form       importer.Form
		product    string
		sipDomains []string
		shape      []string
		// validate is topo validate's report on the HCL as written.
		validate []string
		// filled is its report once every TODO is filled in.
		filled []string
		// records are newRecords of the filled-in topology.
		records []string
	}{
		{
			file:       "published-enterprise.xml",
			form:       importer.FormPublished,
			product:    "sfb2015",
			sipDomains: []string{"contoso.com", "fabrikam.com"},
			shape: []string{
				`site 1 "Redmond": frontend pool01.contoso.com web[internal="webint01.contoso.com" external="webext01.contoso.com"]`,
				"  1 fe01.contoso.com 10.0.1.11",
				"  2 fe02.contoso.com 10.0.1.12",
				"  3 fe03.contoso.com 10.0.1.13",
				`site 1 "Redmond": director dir01.contoso.com web[internal="webdir01.contoso.com" external="webextdir.contoso.com"]`,
				"  1 dir01-srv.contoso.com 10.0.1.211",
				"  2 dir02-srv.contoso.com 10.0.1.212",
				`site 1 "Redmond": mediation med01.contoso.com`,
				"  1 med01-a.contoso.com 10.0.1.31",
				"  2 med01-b.contoso.com 10.0.1.32",
				`site 2 "Dublin Campus": frontend pool02.contoso.com web[internal="" external="webext02.contoso.com"]`,
				"  1 dub-fe01.contoso.com 10.0.2.11",
				"  2 dub-fe02.contoso.com 0.0.0.0",
				"  3 dub-fe03.contoso.com missing",
			},
			validate: []string{
				`error: Invalid IP address: internal_vip = "TODO"`,
				`error: Invalid IP address: external_proxy_ip = "TODO"`,
				`error: Invalid IP address: internal_vip = "TODO"`,
				`error: Invalid IP address: external_proxy_ip = "TODO"`,
				`error: Invalid FQDN: internal_fqdn = "TODO"`,
				`error: Invalid IP address: internal_vip = "TODO"`,
				`error: Invalid IP address: external_proxy_ip = "TODO"`,
				`error: Invalid IP address: ip = "TODO"`,
				`error: Invalid IP address: ip = "TODO"`,
			},
			filled: []string{},
			// fabrikam.com, with no pool inside it: a matching internal
			// zone, its SRV record to sip.fabrikam.com.
			records: []string{
				"internal contoso.com: _sipinternaltls._tcp.contoso.com SRV 0 0 5061 pool01.contoso.com. (sip_domain.contoso.com.sipinternaltls)",
				"internal contoso.com: sip.contoso.com A 10.0.1.11 (sip_domain.contoso.com.sip_internal)",
				"internal contoso.com: sip.contoso.com A 10.0.1.12 (sip_domain.contoso.com.sip_internal)",
				"internal contoso.com: sip.contoso.com A 10.0.1.13 (sip_domain.contoso.com.sip_internal)",
				"internal fabrikam.com: _sipinternaltls._tcp.fabrikam.com SRV 0 0 5061 sip.fabrikam.com. (sip_domain.fabrikam.com.sipinternaltls)",
				"internal fabrikam.com: sip.fabrikam.com A 10.0.1.11 (sip_domain.fabrikam.com.sip_internal)",
				"internal fabrikam.com: sip.fabrikam.com A 10.0.1.12 (sip_domain.fabrikam.com.sip_internal)",
				"internal fabrikam.com: sip.fabrikam.com A 10.0.1.13 (sip_domain.fabrikam.com.sip_internal)",
			},
		},
		{
			file:       "builder-edge-nat.tbxml",
			form:       importer.FormBuilder,
			product:    "sfb2019",
			sipDomains: []string{"contoso.com"},
			shape: []string{
				`site 1 "Redmond": frontend pool01.contoso.com (+mediation) web[internal="webint01.contoso.com" external="webext01.contoso.com"]`,
				"  1 fe01.contoso.com 10.0.1.11",
				"  2 fe02.contoso.com 10.0.1.12",
				"  3 fe03.contoso.com 10.0.1.13",
				`site 1 "Redmond": edge edge01.contoso.com`,
				"  edge AccessEdge sip.contoso.com if1 ports [443 5061]",
				"  edge DataEdge webcon.contoso.com if2 ports [443]",
				"  edge MediaRelayEdge av.contoso.com if3 ports [443 3478]",
				"  1 edge01a.contoso.com 172.16.0.11 ext1=10.20.0.11/nat=203.0.113.11 ext2=10.20.0.21/nat=203.0.113.21 ext3=10.20.0.31/nat=203.0.113.31",
				"  2 edge01b.contoso.com 172.16.0.12 ext1=10.20.0.12/nat=203.0.113.12 ext2=10.20.0.22/nat=203.0.113.22 ext3=10.20.0.32/nat=203.0.113.32",
				"site 1: office online oos.contoso.com https://oos.contoso.com/hosting/discovery/ external=true machines=[oos01.contoso.com oos02.contoso.com]",
			},
			validate: []string{
				`error: Invalid IP address: internal_vip = "TODO"`,
				`error: Invalid IP address: external_proxy_ip = "TODO"`,
				`error: Invalid IP address: vip = "TODO"`,
				`error: Invalid IP address: external_proxy_ip = "TODO"`,
			},
			filled: []string{},
			// The Edge services' FQDNs at the servers' NAT public
			// addresses; the Office Online Server farm (IsExternal) inside
			// and out; the SIP domain's SRV records to the Access Edge.
			records: []string{
				"external contoso.com: _sip._tls.contoso.com SRV 0 0 443 sip.contoso.com. (sip_domain.contoso.com.sip_tls)",
				"external contoso.com: _sipfederationtls._tcp.contoso.com SRV 0 0 5061 sip.contoso.com. (sip_domain.contoso.com.sipfederationtls)",
				"external contoso.com: av.contoso.com A 203.0.113.31 (site.redmond.pool.edge01.server.edge01a.edge.av)",
				"external contoso.com: av.contoso.com A 203.0.113.32 (site.redmond.pool.edge01.server.edge01b.edge.av)",
				"external contoso.com: oos.contoso.com A 198.51.100.4 (site.redmond.office_online_server.oos.external)",
				"external contoso.com: sip.contoso.com A 203.0.113.11 (site.redmond.pool.edge01.server.edge01a.edge.access)",
				"external contoso.com: sip.contoso.com A 203.0.113.12 (site.redmond.pool.edge01.server.edge01b.edge.access)",
				"external contoso.com: webcon.contoso.com A 203.0.113.21 (site.redmond.pool.edge01.server.edge01a.edge.webconf)",
				"external contoso.com: webcon.contoso.com A 203.0.113.22 (site.redmond.pool.edge01.server.edge01b.edge.webconf)",
				"internal contoso.com: _sipinternaltls._tcp.contoso.com SRV 0 0 5061 pool01.contoso.com. (sip_domain.contoso.com.sipinternaltls)",
				"internal contoso.com: oos.contoso.com A 10.253.0.5 (site.redmond.office_online_server.oos)",
				"internal contoso.com: sip.contoso.com A 10.0.1.11 (sip_domain.contoso.com.sip_internal)",
				"internal contoso.com: sip.contoso.com A 10.0.1.12 (sip_domain.contoso.com.sip_internal)",
				"internal contoso.com: sip.contoso.com A 10.0.1.13 (sip_domain.contoso.com.sip_internal)",
			},
		},
		{
			file:       "builder-standard.tbxml",
			form:       importer.FormBuilder,
			product:    "lync2013",
			sipDomains: []string{"fabrikam.com", "fabrikam.net"},
			shape: []string{
				`site 1 "Head Office": frontend se01.fabrikam.com (single machine) web[internal="" external="webext.fabrikam.com"]`,
				"  1 se01.fabrikam.com 10.1.0.5",
			},
			// A Standard Edition server is its own pool (edition =
			// "standard"): no override, no server FQDN of its own.
			validate: []string{
				`error: Invalid IP address: external_proxy_ip = "TODO"`,
			},
			// fabrikam.net, with no pool inside it: a matching internal
			// zone, its SRV record to sip.fabrikam.net.
			records: []string{
				"internal fabrikam.com: _sipinternaltls._tcp.fabrikam.com SRV 0 0 5061 se01.fabrikam.com. (sip_domain.fabrikam.com.sipinternaltls)",
				"internal fabrikam.com: sip.fabrikam.com A 10.1.0.5 (sip_domain.fabrikam.com.sip_internal)",
				"internal fabrikam.net: _sipinternaltls._tcp.fabrikam.net SRV 0 0 5061 sip.fabrikam.net. (sip_domain.fabrikam.net.sipinternaltls)",
				"internal fabrikam.net: sip.fabrikam.net A 10.1.0.5 (sip_domain.fabrikam.net.sip_internal)",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			im := importFile(t, filepath.Join("testdata", tc.file))
			m := im.model
			if m.Form != tc.form || m.Product != tc.product {
				t.Errorf("form %q product %q, want %q %q", m.Form, m.Product, tc.form, tc.product)
			}
			var sip []string
			for _, d := range m.SIPDomains {
				sip = append(sip, d.Name)
			}
			if diff := cmp.Diff(tc.sipDomains, sip); diff != "" {
				t.Errorf("SIP domains (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.shape, shape(m)); diff != "" {
				t.Errorf("model (-want +got):\n%s", diff)
			}
			base := strings.TrimSuffix(tc.file, filepath.Ext(tc.file))
			golden(t, base+".golden", im.hcl)
			golden(t, base+".warnings.golden", warningsText(append(im.read, im.write...)))
			if got := hclwrite.Format(im.hcl); !bytes.Equal(got, im.hcl) {
				t.Errorf("the HCL is not in topo fmt's canonical layout:\n%s", cmp.Diff(string(im.hcl), string(got)))
			}
			if diff := cmp.Diff(tc.validate, validated(t, im.hcl)); diff != "" {
				t.Errorf("topo validate on the import (-want +got):\n%s", diff)
			}
			filled := fill(t, im.hcl)
			if diff := cmp.Diff(tc.filled, validated(t, filled), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("topo validate with every TODO filled in (-want +got):\n%s\n%s", diff, filled)
			}
			if len(tc.filled) == 0 {
				tp, _ := topology.Parse(filled, "topology.hcl", topology.Options{})
				d, diags := topology.Compile(tp.File)
				if diags.HasErrors() {
					t.Fatalf("the filled-in topology does not compile: %v", diags)
				}
				if diff := cmp.Diff(tc.records, newRecords(d), cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("the Edge, Office Online Server and SIP domain records (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestUTF16 reads a published topology saved as UTF-16, as Windows
// PowerShell's > writes Get-CsTopology -AsXml, to the same model as UTF-8.
func TestUTF16(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "published-enterprise.xml"))
	if err != nil {
		t.Fatal(err)
	}
	want, diags := importer.ReadTopologyXML("t.xml", src)
	if want == nil {
		t.Fatal(diags)
	}
	decl := bytes.Replace(src, []byte(`encoding="utf-8"`), []byte(`encoding="utf-16"`), 1)
	units := utf16.Encode([]rune(string(decl)))
	for _, tc := range []struct {
		name string
		bom  []byte
		put  func(b []byte, u uint16)
	}{
		{"little endian", []byte{0xff, 0xfe}, func(b []byte, u uint16) { b[0], b[1] = byte(u), byte(u>>8) }},
		{"big endian", []byte{0xfe, 0xff}, func(b []byte, u uint16) { b[0], b[1] = byte(u>>8), byte(u) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := append([]byte{}, tc.bom...)
			for _, u := range units {
				var b [2]byte
				tc.put(b[:], u)
				data = append(data, b[:]...)
			}
			got, diags := importer.ReadTopologyXML("t.xml", data)
			if got == nil {
				t.Fatal(diags)
			}
			// The byte offsets differ by the declaration's two extra bytes
			// ("utf-16" for "utf-8"); what the model says does not.
			gotHCL, _ := importer.WriteHCL(got)
			wantHCL, _ := importer.WriteHCL(want)
			if diff := cmp.Diff(string(wantHCL), string(gotHCL)); diff != "" {
				t.Errorf("UTF-16 import differs (-utf8 +utf16):\n%s", diff)
			}
		})
	}
}

// TestBadInput: what is not a topology gets one clear error saying what it
// is, where, and what topo reads.
func TestBadInput(t *testing.T) {
	enterprise, err := os.ReadFile(filepath.Join("testdata", "published-enterprise.xml"))
	if err != nil {
		t.Fatal(err)
	}
	cut := func(line int) string {
		lines := strings.SplitAfter(string(enterprise), "\n")
		return strings.Join(lines[:line-1], "")
	}
	published := func(body string) string {
		return `<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008">` + "\n" + body + "\n</Topology>\n"
	}
	fe := `<Sites><CentralSite SiteId="1"><Name>A</Name></CentralSite></Sites>
<Clusters><Cluster Fqdn="pool01.contoso.com"><ClusterId SiteId="1" Number="1"/>
<Machine OrdinalInCluster="1" Fqdn="fe01.contoso.com"><NetInterface InterfaceSide="Primary" InterfaceNumber="1" IPAddress="%s"/></Machine>
</Cluster></Clusters>
<Services><Service ServiceVersion="%s"><ServiceId SiteId="1" RoleName="Registrar" Instance="1"/><InstalledOn><ClusterId SiteId="1" Number="1"/></InstalledOn></Service></Services>`
	tests := []struct {
		name    string
		src     string
		summary string
		line    int
		detail  []string
	}{
		{"empty", "", "Empty topology file", 1, []string{"in.xml is empty", "Topology Builder document (.tbxml"}},
		{"only whitespace", " \n\t\n", "Empty topology file", 1, nil},
		{"not XML", "name    = \"contoso\"\nproduct = \"sfb2015\"\n", "Not an XML document", 1, []string{`it starts with "name    = \"contoso\""`, "Get-CsTopology -AsXml"}},
		{"binary", "\x00\x01\x02PK\x03\x04", "Not an XML document", 1, []string{"in.xml is not XML"}},
		{"broken XML", "<Topology <<<", "XML syntax error", 1, []string{"in.xml line 1"}},
		{"no element", "<?xml version=\"1.0\"?>\n<!-- nothing -->\n", "Not an XML document", 1, []string{"holds no XML element"}},
		{"another XML", "<?xml version=\"1.0\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n<modelVersion>4.0.0</modelVersion>\n</project>\n",
			"Not a Lync or Skype for Business topology", 2, []string{`The root element is <project> in namespace "http://maven.apache.org/POM/4.0.0"`, `<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008">`}},
		{"another XML, broken too", "<html><body><p>unclosed", "Not a Lync or Skype for Business topology", 1, []string{"<html> in namespace none"}},
		{"wrong namespace", "<Topology xmlns=\"urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2010\"></Topology>", "Wrong XML namespace", 1, []string{`"urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2010"`}},
		{"no namespace", "<TopologyBuilder><NewTopology/></TopologyBuilder>", "Wrong XML namespace", 1, []string{"<TopologyBuilder> is in namespace none"}},
		{"truncated between elements", cut(60), "Truncated topology file", 59, []string{"ends at line 59 with 4 element(s) still open", "<Machine> (line 59) in <Cluster> (line 57) in <Clusters> (line 41) in <Topology> (line 7)"}},
		{"truncated inside a tag", cut(60)[:len(cut(60))-40], "Truncated topology file", 59, []string{"ends at line 59", "<Cluster> (line 57) in <Clusters> (line 41) in <Topology> (line 7)"}},
		{"mismatched end tag", published("<Sites></Clusters>"), "XML syntax error", 2, []string{"element <Sites> closed by </Clusters>"}},
		{"unsupported encoding", "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<Topology xmlns=\"urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008\"/>", "Cannot read the XML", 1, []string{`declares encoding "iso-8859-1"`}},
		{"odd UTF-16", "\xff\xfe<\x00T", "Not a topology document", 1, []string{"odd number of bytes"}},
		{"no NewTopology", "<TopologyBuilder xmlns=\"urn:schema:Microsoft.Rtc.Management.Deploy.TopologyBuilder.2008\">\n</TopologyBuilder>", "No NewTopology in the Topology Builder document", 1, nil},
		{"empty NewTopology", "<TopologyBuilder xmlns=\"urn:schema:Microsoft.Rtc.Management.Deploy.TopologyBuilder.2008\">\n<NewTopology/>\n</TopologyBuilder>", "Empty NewTopology", 2, nil},
		{"unknown version", published(fmt.Sprintf(fe, "10.0.1.11", "9")), "Unknown product version", 6, []string{`Pool "pool01.contoso.com" runs ServiceVersion="9"`, "7 (Skype for Business Server 2015)"}},
		{"no version number", published(fmt.Sprintf(fe, "10.0.1.11", "2015")), "Unknown product version", 6, []string{`ServiceVersion="2015"`}},
		{"no pools", published(`<Sites><CentralSite SiteId="1"><Name>A</Name></CentralSite></Sites>
<Clusters><Cluster Fqdn="sql01.contoso.com"><ClusterId SiteId="1" Number="1"/><Machine OrdinalInCluster="1" Fqdn="sql01.contoso.com"/></Cluster></Clusters>
<Services><Service ServiceVersion="7"><ServiceId SiteId="1" RoleName="UserStore" Instance="1"/><InstalledOn><SqlInstanceId Name=""><ClusterId SiteId="1" Number="1"/></SqlInstanceId></InstalledOn></Service></Services>`),
			"No pools in the topology", 1, []string{"no Front End, Director, Edge or Mediation pool", "sql01.contoso.com (UserStore)"}},
		{"nothing at all", published(""), "No pools in the topology", 1, []string{"It has no cluster at all"}},
		{"bad address", published(fmt.Sprintf(fe, "10.0.1.300", "7")), "Invalid IP address", 4, []string{`NetInterface IPAddress="10.0.1.300" at line 4`}},
		{"bad ordinal", published(strings.Replace(fmt.Sprintf(fe, "10.0.1.11", "7"), `OrdinalInCluster="1"`, `OrdinalInCluster="first"`, 1)), "Invalid OrdinalInCluster", 4, []string{`OrdinalInCluster="first"`}},
		{"cluster without ClusterId", published(`<Clusters><Cluster Fqdn="pool01.contoso.com"/></Clusters>`), "Cluster without ClusterId", 2, nil},
		{"machine without FQDN", published(strings.Replace(fmt.Sprintf(fe, "10.0.1.11", "7"), `</Machine>`, `</Machine><Machine OrdinalInCluster="2"/>`, 1)), "Machine without an FQDN", 4, []string{"Machine 2 of pool \"pool01.contoso.com\""}},
		{"too deep", published(strings.Repeat("<a>", 300) + strings.Repeat("</a>", 300)), "XML nested too deeply", 2, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, diags := importer.ReadTopologyXML("in.xml", []byte(tc.src))
			if m != nil {
				t.Fatalf("a model from bad input; diagnostics: %v", diags)
			}
			errs := diags.Errs()
			if len(errs) != 1 {
				t.Fatalf("want one error, got %d: %v", len(errs), diags)
			}
			var d *hcl.Diagnostic
			for _, x := range diags {
				if x.Severity == hcl.DiagError {
					d = x
				}
			}
			if d.Summary != tc.summary {
				t.Errorf("summary %q, want %q (detail: %s)", d.Summary, tc.summary, d.Detail)
			}
			if d.Subject == nil || d.Subject.Filename != "in.xml" || d.Subject.Start.Line != tc.line {
				t.Errorf("subject %v, want in.xml line %d", d.Subject, tc.line)
			}
			for _, s := range tc.detail {
				if !strings.Contains(d.Detail, s) {
					t.Errorf("detail lacks %q:\n%s", s, d.Detail)
				}
			}
		})
	}
}

// TestWarnings: what the reader imports with a warning, and nothing else.
func TestWarnings(t *testing.T) {
	const head = `<Topology xmlns="urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008">
<Sites><CentralSite SiteId="1"><Name>A</Name></CentralSite></Sites>
`
	const services = `<Services><Service ServiceVersion="%s"><ServiceId SiteId="1" RoleName="Registrar" Instance="1"/><InstalledOn><ClusterId SiteId="1" Number="1"/></InstalledOn></Service></Services>
`
	cluster := func(machines string) string {
		return `<Clusters><Cluster Fqdn="pool01.contoso.com"><ClusterId SiteId="1" Number="1"/>` + machines + "</Cluster></Clusters>\n"
	}
	two := `<Machine OrdinalInCluster="1" Fqdn="fe01.contoso.com"/><Machine OrdinalInCluster="1" Fqdn="fe02.contoso.com"/>`
	tests := []struct {
		name    string
		src     string
		want    []string
		servers []string
	}{
		{"an element topo does not know", head + cluster(`<Machine OrdinalInCluster="1" Fqdn="fe01.contoso.com"/>`) + fmt.Sprintf(services, "7") + "<HostingProviders><HostingProvider Name=\"x\"/></HostingProviders>\n</Topology>",
			[]string{"Not imported: 1 element topo does not model"}, []string{"fe01.contoso.com"}},
		{"two machines at one ordinal", head + cluster(two) + fmt.Sprintf(services, "7") + "</Topology>",
			[]string{"Two machines with one OrdinalInCluster"}, []string{"fe01.contoso.com", "fe02.contoso.com"}},
		{"ordinals only on some machines", head + cluster(`<Machine Fqdn="fe02.contoso.com"/><Machine OrdinalInCluster="1" Fqdn="fe01.contoso.com"/>`) + fmt.Sprintf(services, "7") + "</Topology>",
			[]string{}, []string{"fe02.contoso.com", "fe01.contoso.com"}},
		{"no version", head + cluster(`<Machine OrdinalInCluster="1" Fqdn="fe01.contoso.com"/>`) + `<Services><Service><ServiceId SiteId="1" RoleName="Registrar" Instance="1"/><InstalledOn><ClusterId SiteId="1" Number="1"/></InstalledOn></Service></Services>` + "\n</Topology>",
			[]string{"No product version"}, []string{"fe01.contoso.com"}},
		{"a service on no cluster", head + cluster(`<Machine OrdinalInCluster="1" Fqdn="fe01.contoso.com"/>`) + `<Services><Service ServiceVersion="7"><ServiceId SiteId="1" RoleName="Registrar" Instance="1"/><InstalledOn><ClusterId SiteId="1" Number="1"/></InstalledOn></Service><Service ServiceVersion="7"><ServiceId SiteId="1" RoleName="FileStore" Instance="1"/><InstalledOn><ClusterId SiteId="1" Number="9"/></InstalledOn></Service></Services>` + "\n</Topology>",
			[]string{"Not imported: 1 element topo does not model"}, []string{"fe01.contoso.com"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, diags := importer.ReadTopologyXML("in.xml", []byte(tc.src))
			if m == nil {
				t.Fatal(diags)
			}
			if diff := cmp.Diff(tc.want, summaries(diags)); diff != "" {
				t.Errorf("warnings (-want +got):\n%s\n%v", diff, diags)
			}
			var got []string
			for _, s := range m.Sites[0].Pools[0].Servers {
				got = append(got, s.FQDN)
			}
			if diff := cmp.Diff(tc.servers, got); diff != "" {
				t.Errorf("servers (-want +got):\n%s", diff)
			}
		})
	}
}

// realTopologies is ../shared/real-world-topologies from the repository
// root: public files without a licence, read there, never copied here.
func realTopologies(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "real-world-topologies")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the real topology files are missing under CI: %v", err)
		}
		t.Skipf("the real topology files are not here (%v); they live in ../shared/real-world-topologies", err)
	}
	return dir
}

// TestRealTopologies imports the three real files Microsoft's tools wrote:
// each reads, keeps its machines in OrdinalInCluster order, and writes HCL
// that topo validate accepts but for the TODOs (and warnings on what the
// file itself holds: the lab's private NAT addresses), and that once they
// are filled in compiles to the Edge, Office Online Server and SIP domain
// records the file describes.
func TestRealTopologies(t *testing.T) {
	dir := realTopologies(t)
	tests := []struct {
		file      string
		form      importer.Form
		product   string
		sites     int
		servers   map[string][]string
		offices   int
		warnings  []string
		validate  []string
		remaining []string
		// records are newRecords of the filled-in topology.
		records []string
	}{
		{
			file:    "alvinchen1-otc.tbxml",
			form:    importer.FormBuilder,
			product: "sfb2019",
			sites:   1,
			servers: map[string][]string{"OCT-EXH-002.otc.lab": {"OCT-EXH-002.otc.lab"}},
			warnings: []string{
				"External web services FQDN is the pool FQDN",
				"1 value to fill in",
			},
			validate: []string{
				`error: Invalid IP address: ip = "TODO"`,
			},
			records: []string{
				"internal otc.lab: _sipinternaltls._tcp.otc.lab SRV 0 0 5061 oct-exh-002.otc.lab. (sip_domain.otc.lab.sipinternaltls)",
				"internal otc.lab: sip.otc.lab A 10.250.0.2 (sip_domain.otc.lab.sip_internal)",
			},
		},
		{
			file:    "rlevchenko-defaulttopology.xml",
			form:    importer.FormPublished,
			product: "sfb2015",
			sites:   1,
			servers: map[string][]string{"poolfe.tenant.rlevchenko.com": {"SKYPE-FE-01.tenant.rlevchenko.com"}},
			offices: 1,
			warnings: []string{
				"Not imported: 2 elements topo does not model",
				"External web services FQDN is the pool FQDN",
				"4 values to fill in",
				"DNS load balancing assumed",
			},
			validate: []string{
				`error: Invalid FQDN: internal_fqdn = "TODO"`,
				`error: Invalid IP address: internal_vip = "TODO"`,
				`error: Invalid IP address: ip = "TODO"`,
				`error: Invalid IP address: vip = "TODO"`,
			},
			remaining: []string{},
			// The Office Online Server farm, internal only (IsExternal="false").
			records: []string{
				"internal tenant.rlevchenko.com: _sipinternaltls._tcp.tenant.rlevchenko.com SRV 0 0 5061 poolfe.tenant.rlevchenko.com. (sip_domain.tenant.rlevchenko.com.sipinternaltls)",
				"internal tenant.rlevchenko.com: sip.tenant.rlevchenko.com A 10.250.0.4 (sip_domain.tenant.rlevchenko.com.sip_internal)",
				"internal tenant.rlevchenko.com: srv-owa-01.tenant.rlevchenko.com A 10.253.0.5 (site.tenant.office_online_server.srv-owa-01)",
			},
		},
		{
			file:    "sfbautomatedlab-contoso.tbxml",
			form:    importer.FormBuilder,
			product: "sfb2015",
			sites:   1,
			servers: map[string][]string{
				"frontendpool.contoso.com": {"xfrontend1.contoso.com", "xfrontend2.contoso.com", "xfrontend3.contoso.com", "xfrontend4.contoso.com"},
				"edgepool.contoso.com":     {"xedge1.contoso.com", "xedge2.contoso.com", "xedge3.contoso.com"},
			},
			offices: 1,
			warnings: []string{
				"Not imported: 3 elements topo does not model",
				"External web services FQDN is the pool FQDN",
				"7 values to fill in",
				"DNS load balancing assumed",
			},
			// The lab's NAT "public" addresses (ConfiguredIPAddress) are
			// private: topo validate says so of the Edge FQDN and of the
			// SIP domain's external sip. name, before and after the TODOs
			// are filled in.
			validate: []string{
				`error: Invalid FQDN: internal_fqdn = "TODO"`,
				`error: Invalid IP address: internal_vip = "TODO"`,
				`error: Invalid IP address: ip = "TODO"`,
				`error: Invalid IP address: ip = "TODO"`,
				`error: Invalid IP address: ip = "TODO"`,
				`error: Invalid IP address: ip = "TODO"`,
				`error: Invalid IP address: vip = "TODO"`,
				`warning: Private address in the external view: access_public_ip = "10.0.0.2"`,
				`warning: Private address in the external view: access_public_ip = "10.0.0.4"`,
				`warning: Private address in the external view: access_public_ip = "10.0.0.6"`,
				`warning: Private address in the external view: sip_domain "contoso.com" {`,
				`warning: Private address in the external view: sip_domain "contoso.com" {`,
				`warning: Private address in the external view: sip_domain "contoso.com" {`,
			},
			remaining: []string{
				`warning: Private address in the external view: access_public_ip = "10.0.0.2"`,
				`warning: Private address in the external view: access_public_ip = "10.0.0.4"`,
				`warning: Private address in the external view: access_public_ip = "10.0.0.6"`,
				`warning: Private address in the external view: sip_domain "contoso.com" {`,
				`warning: Private address in the external view: sip_domain "contoso.com" {`,
				`warning: Private address in the external view: sip_domain "contoso.com" {`,
			},
			// One FQDN for the three Edge services, each server's NAT
			// address from ConfiguredIPAddress; the SIP domain's Access Edge
			// records; the internal-only Office Online Server farm.
			records: []string{
				"external contoso.com: _sip._tls.contoso.com SRV 0 0 443 externaledge.contoso.com. (sip_domain.contoso.com.sip_tls)",
				"external contoso.com: _sipfederationtls._tcp.contoso.com SRV 0 0 5061 externaledge.contoso.com. (sip_domain.contoso.com.sipfederationtls)",
				"external contoso.com: externaledge.contoso.com A 10.0.0.2 (site.contoso.pool.edgepool.server.xedge1.edge.access)",
				"external contoso.com: externaledge.contoso.com A 10.0.0.4 (site.contoso.pool.edgepool.server.xedge2.edge.access)",
				"external contoso.com: externaledge.contoso.com A 10.0.0.6 (site.contoso.pool.edgepool.server.xedge3.edge.access)",
				"external contoso.com: sip.contoso.com A 10.0.0.2 (sip_domain.contoso.com.access_edge)",
				"external contoso.com: sip.contoso.com A 10.0.0.4 (sip_domain.contoso.com.access_edge)",
				"external contoso.com: sip.contoso.com A 10.0.0.6 (sip_domain.contoso.com.access_edge)",
				"internal contoso.com: _sipinternaltls._tcp.contoso.com SRV 0 0 5061 frontendpool.contoso.com. (sip_domain.contoso.com.sipinternaltls)",
				"internal contoso.com: sip.contoso.com A 10.250.0.4 (sip_domain.contoso.com.sip_internal)",
				"internal contoso.com: sip.contoso.com A 10.250.0.5 (sip_domain.contoso.com.sip_internal)",
				"internal contoso.com: sip.contoso.com A 10.250.0.6 (sip_domain.contoso.com.sip_internal)",
				"internal contoso.com: sip.contoso.com A 10.250.0.7 (sip_domain.contoso.com.sip_internal)",
				"internal contoso.com: xoffice1.contoso.com A 10.253.0.8 (site.contoso.office_online_server.xoffice1)",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			im := importFile(t, filepath.Join(dir, tc.file))
			m := im.model
			if m.Form != tc.form || m.Product != tc.product || len(m.Sites) != tc.sites {
				t.Errorf("form %q product %q sites %d, want %q %q %d", m.Form, m.Product, len(m.Sites), tc.form, tc.product, tc.sites)
			}
			got := map[string][]string{}
			offices := 0
			for _, s := range m.Sites {
				offices += len(s.OfficeOnline)
				for _, p := range s.Pools {
					for i, sv := range p.Servers {
						got[p.FQDN] = append(got[p.FQDN], sv.FQDN)
						if sv.Ordinal != i+1 {
							t.Errorf("server %s of %s has ordinal %d at position %d", sv.FQDN, p.FQDN, sv.Ordinal, i+1)
						}
					}
				}
			}
			if diff := cmp.Diff(tc.servers, got); diff != "" {
				t.Errorf("pools and servers in order (-want +got):\n%s", diff)
			}
			if offices != tc.offices {
				t.Errorf("%d Office Online Server farms, want %d", offices, tc.offices)
			}
			if diff := cmp.Diff(tc.warnings, summaries(append(im.read, im.write...))); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			if got := hclwrite.Format(im.hcl); !bytes.Equal(got, im.hcl) {
				t.Errorf("the HCL is not canonical")
			}
			if diff := cmp.Diff(tc.validate, validated(t, im.hcl)); diff != "" {
				t.Errorf("topo validate on the import (-want +got):\n%s\n%s", diff, im.hcl)
			}
			filled := fill(t, im.hcl)
			if diff := cmp.Diff(tc.remaining, validated(t, filled), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("topo validate with the TODOs filled in (-want +got):\n%s", diff)
			}
			tp, _ := topology.Parse(filled, "topology.hcl", topology.Options{})
			d, diags := topology.Compile(tp.File)
			if diags.HasErrors() {
				t.Fatalf("the filled-in topology does not compile: %v", diags)
			}
			if diff := cmp.Diff(tc.records, newRecords(d), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("the Edge, Office Online Server and SIP domain records (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPackageBoundary: the importer reads files and record sets and writes
// the language; it knows the record model (providers.RRset) but no
// provider, and no publishing.
func TestPackageBoundary(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			for _, banned := range []string{"github.com/topo-dns/topo/providers/", "github.com/topo-dns/topo/publish"} {
				if path == banned || strings.HasPrefix(path, banned) {
					t.Errorf("%s imports %s", name, path)
				}
			}
		}
	}
}
