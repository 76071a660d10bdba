package topology_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/topology"
)

// standard is a site with one pool p (FQDN se.contoso.com) whose
// pool-level attributes and server body are given:
//
//	4  pool "p" {           (4:3)
//	5  <pool attributes, one a line, from line 5>
//	   server "se" {        (the line after them, column 5)
//	     <server body>
func standard(poolAttrs, serverBody string) string {
	return `name = "t"
zone "contoso.com" {}
site "s" {
  pool "p" {
    fqdn = "se.contoso.com"
` + poolAttrs + `    server "se" {
` + serverBody + `    }
  }
}
`
}

const seIP = "      ip = \"10.0.5.10\"\n"

// TestValidateStandalone: issue 9 item 2. A Standard Edition server, and a
// Director (or Mediation or Edge server) deployed alone, is its own pool:
// one server, the pool FQDN its FQDN, no load balancer, no internal web
// services override, no quorum.
func TestValidateStandalone(t *testing.T) {
	ed := "    edition = \"standard\"\n"
	runValidation(t, []validationCase{
		{"standard edition of two servers", strings.Replace(standard(ed, seIP), "  }\n}\n", "    server \"se2\" {\n      fqdn = \"se2.contoso.com\"\n      ip   = \"10.0.5.11\"\n    }\n  }\n}\n", 1), nil, []diag{
			errAt("Standard Edition pool of several servers", "6:15", `A Standard Edition server is its own pool: pool "p" needs exactly one server block, and has 2.`),
		}},
		{"standard edition server with an FQDN of its own", standard(ed, "      fqdn = \"se01.contoso.com\"\n"+seIP), nil, []diag{
			errAt("Standard Edition server with an FQDN of its own", "8:14", `its FQDN is the pool FQDN "se.contoso.com". Leave fqdn out of server "se", or write the pool FQDN.`),
		}},
		{"standard edition with an override", standard(ed+"    web_services {\n      internal_fqdn = \"web.contoso.com\"\n    }\n", seIP), nil, []diag{
			errAt("Web services override on a single server", "8:23", `The internal web services FQDN of Standard Edition server "p" cannot be overridden`),
		}},
		{"standard edition with an internal VIP", standard(ed+"    web_services {\n      internal_vip = \"10.0.5.100\"\n    }\n", seIP), nil, []diag{
			errAt("Internal web services VIP on a single server", "8:22", `answer on the server's own address (its ip); there is no load balancer VIP. Remove internal_vip.`),
		}},
		{"standard edition behind a load balancer", standard(ed+"    load_balancing = \"hardware\"\n    vip = \"10.0.5.100\"\n", seIP), nil, []diag{
			errAt("Load balancer for a single server", "7:22", `Standard Edition server "p" is one server that is its own pool`),
			errAt("VIP on a single server", "8:11", "Remove vip."),
		}},
		{"enterprise pool named like its one server", standard("", seIP), nil, []diag{
			errAt("Enterprise Edition pool named like its server", "6:5", `set edition = "standard" on the pool, or give server "se" an FQDN of its own.`),
		}},
		{"enterprise pool whose server writes the pool FQDN", standard("", "      fqdn = \"se.contoso.com\"\n"+seIP), nil, []diag{
			errAt("Enterprise Edition pool named like its server", "7:14", ""),
		}},
		{"edition on a Director", standard("    role    = \"director\"\n"+ed, seIP), nil, []diag{
			errAt("Edition on a pool that is not a Front End pool", "7:15", `pool "p" is a director pool. A director deployed as one server is a pool of one server whose fqdn is the pool FQDN (or left out).`),
		}},
		{"edition misspelt", standard("    edition = \"standart\"\n", seIP), nil, []diag{
			errAt(`Invalid edition "standart"`, "6:15", `edition must be one of "enterprise" or "standard". Did you mean "standard"?`),
		}},
		{"single Director with an override", standard("    role = \"director\"\n    web_services {\n      internal_fqdn = \"dirweb.contoso.com\"\n      internal_vip  = \"10.0.5.100\"\n    }\n", seIP), nil, []diag{
			errAt("Web services override on a single server", "8:23", `pool "p", a Director deployed as a single server,`),
			errAt("Internal web services VIP on a single server", "9:23", ""),
		}},
		{"single Director's server FQDN elsewhere in the topology", strings.Replace(standard("    role = \"director\"\n", seIP), "  }\n}\n", "  }\n  pool \"q\" {\n    role = \"edge\"\n    fqdn = \"q.contoso.com\"\n    server \"x\" {\n      fqdn = \"se.contoso.com\"\n      ip   = \"10.0.6.1\"\n    }\n  }\n}\n", 1), nil, []diag{
			errAt("Duplicate FQDN", "15:14", `"se.contoso.com" is already used by pool p at t.hcl:5:12.`),
		}},
	})
	for _, tc := range []struct{ name, src string }{
		{"standard edition, fqdn left out", standard(ed, seIP)},
		{"standard edition, fqdn written as the pool's", standard(ed, "      fqdn = \"SE.contoso.com.\"\n"+seIP)},
		{"standard edition draining: no quorum", standard(ed, seIP+"      state = \"draining\"\n")},
		{"standard edition with external web services", standard(ed+"    web_services {\n      internal_fqdn     = \"se.contoso.com\"\n      external_fqdn     = \"se-ext.contoso.com\"\n      external_proxy_ip = \"203.0.113.50\"\n    }\n", seIP)},
		{"single Director, no override needed", standard("    role = \"director\"\n", seIP)},
		{"single Mediation server", standard("    role = \"mediation\"\n", seIP)},
		{"single Edge server", standard("    role = \"edge\"\n", seIP)},
		{"enterprise pool of one server with its own FQDN", standard("    web_services {\n      internal_fqdn = \"web.contoso.com\"\n      internal_vip  = \"10.0.5.100\"\n    }\n", "      fqdn = \"fe01.contoso.com\"\n"+seIP)},
	} {
		t.Run("valid/"+tc.name, func(t *testing.T) {
			if _, diags := run(t, tc.src, topology.Options{}); len(diags) != 0 {
				t.Errorf("want no diagnostics, got %v\nsource:\n%s", reduce(diags), lines(tc.src))
			}
		})
	}
}

// placedRecord is a compiled record with its zone's view, for tests that
// check what lands where.
type placedRecord struct{ View, Name, Type, Value, Source string }

func placedRecords(d *topology.Desired) []placedRecord {
	var out []placedRecord
	for _, z := range d.Zones {
		for _, r := range z.Records {
			out = append(out, placedRecord{string(z.View), r.Name, r.Type, r.Value, r.Source})
		}
	}
	return out
}

// TestCompileStandalone: a standalone server has one name, the pool's, and
// its records follow its state; its web services and discovery records
// answer on its own address.
func TestCompileStandalone(t *testing.T) {
	const srv = "site.s.pool.p.server.se"
	sip := "sip_domain \"contoso.com\" {\n  pool = \"se.contoso.com\"\n  meet = \"https://meet.contoso.com\"\n}\n"
	for _, tc := range []struct {
		name string
		src  string
		want []placedRecord
	}{
		{"standard edition", standard("    edition = \"standard\"\n", seIP), []placedRecord{
			{"both", "se.contoso.com", "A", "10.0.5.10", srv},
		}},
		{"standard edition draining keeps its one name", standard("    edition = \"standard\"\n", seIP+"      state = \"draining\"\n"), []placedRecord{
			{"both", "se.contoso.com", "A", "10.0.5.10", srv},
		}},
		{"standard edition offline has none", standard("    edition = \"standard\"\n", seIP+"      state = \"offline\"\n"), nil},
		{"single Director", standard("    role = \"director\"\n", seIP), []placedRecord{
			{"both", "se.contoso.com", "A", "10.0.5.10", srv},
		}},
		{"standard edition registering a SIP domain", strings.Replace(standard("    edition = \"standard\"\n", seIP), `zone "contoso.com" {}`, "zone \"contoso.com\" {}\n"+sip, 1), []placedRecord{
			{"both", "_sipinternaltls._tcp.contoso.com", "SRV", "0 0 5061 se.contoso.com.", "sip_domain.contoso.com.sipinternaltls"},
			// dns.md: lyncdiscoverinternal resolves to "a regular IP for a
			// Standard edition server or a Standalone Director server".
			{"both", "lyncdiscoverinternal.contoso.com", "A", "10.0.5.10", "sip_domain.contoso.com.lyncdiscoverinternal"},
			{"both", "meet.contoso.com", "A", "10.0.5.10", "sip_domain.contoso.com.simple_url.meet"},
			{"both", "se.contoso.com", "A", "10.0.5.10", srv},
			{"both", "sip.contoso.com", "A", "10.0.5.10", "sip_domain.contoso.com.sip_internal"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, diags := run(t, tc.src, topology.Options{})
			if len(diags) != 0 {
				t.Fatalf("want no diagnostics, got %v\n%s", reduce(diags), lines(tc.src))
			}
			if diff := cmp.Diff(tc.want, placedRecords(d)); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			want := []topology.ServerInfo{{Path: srv, Name: "se", FQDN: "se.contoso.com", IP: mustAddr("10.0.5.10"), State: d.Servers[0].State, Pool: "site.s.pool.p", PoolFQDN: "se.contoso.com", Role: d.Servers[0].Role, PoolSize: 1}}
			if diff := cmp.Diff(want, d.Servers, equateAddr); diff != "" {
				t.Errorf("servers (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCompileWebAddresses: issue 9 items 4 and 6. The external web FQDN
// resolves to the reverse proxy outside and, when external_vip is set, to
// the HLB VIP inside; a hardware-balanced pool without an override serves
// lyncdiscoverinternal and the internal simple URLs from its VIP.
func TestCompileWebAddresses(t *testing.T) {
	split := "zone \"contoso.com\" { view = \"internal\" }\nzone \"contoso.com\" { view = \"external\" }"
	sip := "sip_domain \"contoso.com\" {\n  pool             = \"p.contoso.com\"\n  reverse_proxy_ip = \"203.0.113.80\"\n  meet             = \"https://meet.contoso.com\"\n  dialin           = \"https://dialin.contoso.com\"\n  admin            = \"https://admin.contoso.com\"\n}\n"
	const pool = "site.s.pool.p"
	for _, tc := range []struct {
		name string
		src  string
		want []placedRecord
	}{
		{"external web FQDN in both views", strings.Replace(frontend("", wsIntFQDN+wsIntVIP+wsExtFQDN+wsExtVIP+"      external_vip = \"10.0.0.120\"\n"), `zone "contoso.com" {}`, split, 1), []placedRecord{
			{"external", "ext.contoso.com", "A", "203.0.113.1", pool + ".web_services.external"},
			{"internal", "ext.contoso.com", "A", "10.0.0.120", pool + ".web_services.external_vip"},
			{"internal", "p.contoso.com", "A", "10.0.0.1", pool + ".server.s1"},
			{"internal", "s1.contoso.com", "A", "10.0.0.1", pool + ".server.s1"},
			{"internal", "web.contoso.com", "A", "10.0.0.100", pool + ".web_services.internal"},
		}},
		{"hardware-balanced pool without web_services", strings.Replace(frontend("    load_balancing = \"hardware\"\n    vip = \"10.0.0.99\"\n", "-"), `zone "contoso.com" {}`, split+"\n"+sip, 1), []placedRecord{
			{"external", "dialin.contoso.com", "A", "203.0.113.80", "sip_domain.contoso.com.simple_url.dialin"},
			{"external", "lyncdiscover.contoso.com", "A", "203.0.113.80", "sip_domain.contoso.com.lyncdiscover"},
			{"external", "meet.contoso.com", "A", "203.0.113.80", "sip_domain.contoso.com.simple_url.meet"},
			{"internal", "_sipinternaltls._tcp.contoso.com", "SRV", "0 0 5061 p.contoso.com.", "sip_domain.contoso.com.sipinternaltls"},
			{"internal", "admin.contoso.com", "A", "10.0.0.99", "sip_domain.contoso.com.simple_url.admin"},
			{"internal", "dialin.contoso.com", "A", "10.0.0.99", "sip_domain.contoso.com.simple_url.dialin"},
			{"internal", "lyncdiscoverinternal.contoso.com", "A", "10.0.0.99", "sip_domain.contoso.com.lyncdiscoverinternal"},
			{"internal", "meet.contoso.com", "A", "10.0.0.99", "sip_domain.contoso.com.simple_url.meet"},
			{"internal", "p.contoso.com", "A", "10.0.0.99", pool},
			{"internal", "s1.contoso.com", "A", "10.0.0.1", pool + ".server.s1"},
			{"internal", "sip.contoso.com", "A", "10.0.0.99", "sip_domain.contoso.com.sip_internal"},
		}},
		{"hardware-balanced pool with its own web VIP", strings.Replace(frontend("    load_balancing = \"hardware\"\n    vip = \"10.0.0.99\"\n", wsIntFQDN+wsIntVIP), `zone "contoso.com" {}`, split+"\n"+sip, 1), []placedRecord{
			{"external", "dialin.contoso.com", "A", "203.0.113.80", "sip_domain.contoso.com.simple_url.dialin"},
			{"external", "lyncdiscover.contoso.com", "A", "203.0.113.80", "sip_domain.contoso.com.lyncdiscover"},
			{"external", "meet.contoso.com", "A", "203.0.113.80", "sip_domain.contoso.com.simple_url.meet"},
			{"internal", "_sipinternaltls._tcp.contoso.com", "SRV", "0 0 5061 p.contoso.com.", "sip_domain.contoso.com.sipinternaltls"},
			{"internal", "admin.contoso.com", "A", "10.0.0.100", "sip_domain.contoso.com.simple_url.admin"},
			{"internal", "dialin.contoso.com", "A", "10.0.0.100", "sip_domain.contoso.com.simple_url.dialin"},
			{"internal", "lyncdiscoverinternal.contoso.com", "A", "10.0.0.100", "sip_domain.contoso.com.lyncdiscoverinternal"},
			{"internal", "meet.contoso.com", "A", "10.0.0.100", "sip_domain.contoso.com.simple_url.meet"},
			{"internal", "p.contoso.com", "A", "10.0.0.99", pool},
			{"internal", "s1.contoso.com", "A", "10.0.0.1", pool + ".server.s1"},
			{"internal", "sip.contoso.com", "A", "10.0.0.99", "sip_domain.contoso.com.sip_internal"},
			{"internal", "web.contoso.com", "A", "10.0.0.100", pool + ".web_services.internal"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, diags := run(t, tc.src, topology.Options{})
			if len(diags) != 0 {
				t.Fatalf("want no diagnostics, got %v\n%s", reduce(diags), lines(tc.src))
			}
			if diff := cmp.Diff(tc.want, placedRecords(d)); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
		})
	}
}
