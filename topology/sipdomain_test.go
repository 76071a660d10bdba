package topology_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/topology"
)

// sipDomain is a topology with internal and external contoso.com zones, a
// Front End pool (pool.contoso.com, web VIP 10.0.0.100, servers 10.0.0.1
// and .2), a hardware-balanced Director (dir.contoso.com, VIP 10.0.1.100)
// and an Edge pool (edge.contoso.com), then the sip_domain block given,
// which starts on line 48:
//
//	48  sip_domain "<domain>" {   (label 48:12)
//	49    <first attribute>       (value at 49:<col>)
func sipDomain(domain string, attrs ...string) string {
	s := `name = "t"
zone "contoso.com" { view = "internal" }
zone "contoso.com" { view = "external" }
site "s" {
  pool "p" {
    fqdn = "pool.contoso.com"
    web_services {
      internal_fqdn = "web.contoso.com"
      internal_vip  = "10.0.0.100"
    }
    server "a" {
      fqdn = "a.contoso.com"
      ip   = "10.0.0.1"
    }
    server "b" {
      fqdn = "b.contoso.com"
      ip   = "10.0.0.2"
    }
    server "c" {
      fqdn  = "c.contoso.com"
      ip    = "10.0.0.3"
      state = "draining"
    }
  }
  pool "d" {
    role           = "director"
    fqdn           = "dir.contoso.com"
    load_balancing = "hardware"
    vip            = "10.0.1.100"
    server "d1" {
      fqdn = "d1.contoso.com"
      ip   = "10.0.1.1"
    }
  }
  pool "e" {
    role = "edge"
    fqdn = "edge.contoso.com"
    server "e1" {
      fqdn = "e1.contoso.com"
      ip   = "10.0.2.1"
    }
  }
}




`
	s += fmt.Sprintf("sip_domain %q {\n", domain)
	for _, a := range attrs {
		s += "  " + a + "\n"
	}
	return s + "}\n"
}

func TestValidateSIPDomain(t *testing.T) {
	pool := `pool = "pool.contoso.com"`
	meet := `meet = "https://meet.contoso.com"`
	runValidation(t, []validationCase{
		{"invalid domain", sipDomain("contoso_com.com", pool), nil, []diag{
			errAt("Invalid SIP domain", "48:12", `The SIP domain "contoso_com.com" is not a valid domain name: it contains an underscore`),
		}},
		{"single-label domain", sipDomain("contoso", pool), nil, []diag{
			errAt("Invalid SIP domain", "48:12", "single-label"),
		}},
		{"duplicate", sipDomain("contoso.com", pool) + "sip_domain \"Contoso.COM\" {\n  pool = \"pool.contoso.com\"\n}\n", nil, []diag{
			errAt("Duplicate SIP domain", "51:12", `SIP domain "Contoso.COM" is already declared at t.hcl:48:1.`),
		}},
		{"unknown pool", sipDomain("contoso.com", `pool = "pool2.contoso.com"`), nil, []diag{
			errAt("Unknown pool", "49:10", `No pool in the topology has the FQDN "pool2.contoso.com".`),
		}},
		{"missing pool", sipDomain("contoso.com"), nil, []diag{
			errAt("Missing required argument", "48:26", `The argument "pool" is required`),
		}},
		{"edge pool", sipDomain("contoso.com", `pool = "edge.contoso.com"`), nil, []diag{
			errAt("Not a registrar pool", "49:10", `Pool "e" is a edge pool; the SIP domain's records point at a Front End or Director pool.`),
		}},
		{"pool outside the domain", replaceOnce(t, sipDomain("fabrikam.com", pool), "}\n\n\n\n\nsip_domain", "}\nzone \"fabrikam.com\" {}\n\n\n\nsip_domain"), nil, []diag{
			errAt("SRV target outside the SIP domain", "49:10", `_sipinternaltls._tcp.fabrikam.com would point at "pool.contoso.com", which is not in fabrikam.com.`),
		}},
		{"invalid Access Edge address", sipDomain("contoso.com", pool, `access_edge_ip = "198.51.100"`), nil, []diag{
			errAt("Invalid IP address", "50:20", `The Access Edge address "198.51.100" is not an IPv4 or IPv6 address.`),
		}},
		{"invalid reverse proxy address", sipDomain("contoso.com", pool, `reverse_proxy_ip = "0.0.0.0"`), nil, []diag{
			errAt("Invalid IP address", "50:22", `The reverse proxy address "0.0.0.0" cannot be a host's address.`),
		}},
		// issue 9 item 6: a private address headed for the Internet.
		{"private Access Edge address", sipDomain("contoso.com", pool, `access_edge_ip = "10.45.16.10"`), nil, []diag{
			warnAt("Private address in the external view", "50:20", `"sip.contoso.com" would resolve on the Internet to 10.45.16.10, a private address (RFC 1918, IPv6 unique local, loopback or link-local) that no client outside can reach. access_edge_ip is the Access Edge service's public address (behind NAT, the NAT's public address).`),
		}},
		{"private reverse proxy address, once per name", sipDomain("contoso.com", pool, `reverse_proxy_ip = "172.16.0.5"`, `meet = "https://meet.contoso.com"`), nil, []diag{
			warnAt("Private address in the external view", "50:22", `"lyncdiscover.contoso.com" would resolve on the Internet to 172.16.0.5`),
			warnAt("Private address in the external view", "50:22", `"meet.contoso.com" would resolve on the Internet to 172.16.0.5`),
		}},
		{"simple URL without scheme", sipDomain("contoso.com", pool, `meet = "meet.contoso.com"`), nil, []diag{
			errAt("Invalid simple URL", "50:10", `The meet simple URL "meet.contoso.com" is not a URL such as "https://meet.contoso.com".`),
		}},
		{"simple URL over http", sipDomain("contoso.com", pool, meet, `dialin = "http://dialin.contoso.com"`), nil, []diag{
			errAt("Simple URL must use https", "51:12", `Simple URLs must start with https:// (the dialin URL is "http://dialin.contoso.com").`),
		}},
		{"simple URL with a port", sipDomain("contoso.com", pool, meet, `admin = "https://admin.contoso.com:8443"`), nil, []diag{
			errAt("Simple URL with a port", "51:11", `the admin URL is "https://admin.contoso.com:8443"`),
		}},
		{"simple URL with a query", sipDomain("contoso.com", pool, `meet = "https://meet.contoso.com/?x=1"`), nil, []diag{
			errAt("Invalid simple URL", "50:10", "may not have a query or fragment"),
		}},
		{"simple URL with an invalid host", sipDomain("contoso.com", pool, `meet = "https://meet_now.contoso.com"`), nil, []diag{
			errAt("Invalid simple URL", "50:10", `The host of the meet simple URL, "meet_now.contoso.com", is not a valid FQDN: it contains an underscore`),
		}},
		{"simple URL naming a pool FQDN", sipDomain("contoso.com", pool, `meet = "https://pool.contoso.com/meet"`), nil, []diag{
			errAt("Simple URL names a pool FQDN", "50:10", `The meet simple URL "https://pool.contoso.com/meet" uses the pool FQDN "pool.contoso.com".`),
		}},
		// issue 9 item 9: a simple URL's host may not be a SIP domain (these
		// cases used https://contoso.com/..., which that rule now refuses).
		{"simple URL a prefix of another", sipDomain("contoso.com", pool, `meet = "https://lync.contoso.com/meet"`, `dialin = "https://lync.contoso.com/meet/dialin"`), nil, []diag{
			errAt("Simple URL is a prefix of another", "51:12", `The dialin simple URL "https://lync.contoso.com/meet/dialin" starts with the meet simple URL "https://lync.contoso.com/meet"`),
		}},
		{"identical simple URLs reported once", sipDomain("contoso.com", pool, `meet = "https://lync.contoso.com/meet"`, `dialin = "https://lync.contoso.com/meet"`), nil, []diag{
			errAt("Simple URL is a prefix of another", "51:12", `The dialin simple URL "https://lync.contoso.com/meet" starts with the meet simple URL "https://lync.contoso.com/meet"`),
		}},
		{"simple URL on the SIP domain", sipDomain("contoso.com", pool, `meet = "https://contoso.com/meet"`), nil, []diag{
			errAt("Simple URL on a SIP domain", "50:10", `The meet simple URL "https://contoso.com/meet" has the SIP domain "contoso.com" as its host. Simple URLs use their own domain name, which must not match any SIP domain: use a name such as meet.contoso.com.`),
		}},
		{"dialin without a meet", sipDomain("contoso.com", pool, `dialin = "https://dialin.contoso.com"`), nil, []diag{
			errAt("Missing Meet simple URL", "48:1", `Each SIP domain has a Meet simple URL of its own once the organisation declares simple URLs: set meet in sip_domain "contoso.com", for example "https://meet.contoso.com".`),
		}},
		{"simple URL host is a server's name", sipDomain("contoso.com", pool, `meet = "https://a.contoso.com/meet"`), nil, []diag{
			errAt("SIP domain record collides with a topology name", "48:1", `SIP domain "contoso.com" needs a record at "a.contoso.com" (sip_domain.contoso.com.simple_url.meet), but that name is already server a's`),
		}},
		{"one zone for both views", replaceOnce(t, sipDomain("contoso.com", pool, `access_edge_ip = "198.51.100.10"`),
			"zone \"contoso.com\" { view = \"internal\" }\nzone \"contoso.com\" { view = \"external\" }\n", "zone \"contoso.com\" {}\n\n"), nil, []diag{
			errAt("Name needs different answers per view", "48:1", `"sip.contoso.com" gets A records in the external view (from sip_domain.contoso.com.access_edge) and in the internal view (from sip_domain.contoso.com.sip_internal), but zone "contoso.com" serves both views with one set of records.`),
		}},
	})
	for _, tc := range []struct{ name, src string }{
		{"path-based simple URLs that are not prefixes", sipDomain("contoso.com", pool, `meet = "https://lync.contoso.com/meet"`, `dialin = "https://lync.contoso.com/dialin"`, `admin = "https://lync.contoso.com/admin"`)},
		{"scheme in capitals", sipDomain("contoso.com", pool, `meet = "HTTPS://meet.contoso.com"`)},
		{"host-based simple URLs", sipDomain("contoso.com", pool, `meet = "https://meet.contoso.com"`, `dialin = "https://dialin.contoso.com/"`)},
		{"director pool", sipDomain("contoso.com", `pool = "dir.contoso.com"`)},
	} {
		t.Run("valid/"+tc.name, func(t *testing.T) {
			if _, diags := run(t, tc.src, topology.Options{}); len(diags) != 0 {
				t.Errorf("want no diagnostics, got %v", reduce(diags))
			}
		})
	}
}

// TestCompileSIPDomain: the records a SIP domain adds, in each view.
func TestCompileSIPDomain(t *testing.T) {
	type rec struct{ View, Name, Type, Value string }
	sipRecords := func(d *topology.Desired) []rec {
		var out []rec
		for _, z := range d.Zones {
			for _, r := range z.Records {
				if len(r.Source) > 10 && r.Source[:10] == "sip_domain" {
					out = append(out, rec{string(z.View), r.Name, r.Type, r.Value})
				}
			}
		}
		return out
	}
	for _, tc := range []struct {
		name string
		src  string
		want []rec
	}{
		{"DNS load balanced Front End pool", sipDomain("contoso.com", `pool = "pool.contoso.com"`,
			`access_edge_ip = "198.51.100.10"`, `reverse_proxy_ip = "198.51.100.20"`,
			`meet = "https://meet.contoso.com"`, `dialin = "https://lync.contoso.com/dialin"`, `admin = "https://admin.contoso.com"`), []rec{
			{"external", "_sip._tls.contoso.com", "SRV", "0 0 443 sip.contoso.com."},
			{"external", "_sipfederationtls._tcp.contoso.com", "SRV", "0 0 5061 sip.contoso.com."},
			{"external", "lync.contoso.com", "A", "198.51.100.20"},
			{"external", "lyncdiscover.contoso.com", "A", "198.51.100.20"},
			{"external", "meet.contoso.com", "A", "198.51.100.20"},
			{"external", "sip.contoso.com", "A", "198.51.100.10"},
			// The SRV to the pool; sip. to its active servers (not the
			// draining one); lyncdiscoverinternal and the simple URLs
			// to the internal web VIP. Admin stays inside.
			{"internal", "_sipinternaltls._tcp.contoso.com", "SRV", "0 0 5061 pool.contoso.com."},
			{"internal", "admin.contoso.com", "A", "10.0.0.100"},
			{"internal", "lync.contoso.com", "A", "10.0.0.100"},
			{"internal", "lyncdiscoverinternal.contoso.com", "A", "10.0.0.100"},
			{"internal", "meet.contoso.com", "A", "10.0.0.100"},
			{"internal", "sip.contoso.com", "A", "10.0.0.1"},
			{"internal", "sip.contoso.com", "A", "10.0.0.2"},
		}},
		// issue 9 item 4: without web_services, a hardware-balanced pool's
		// web services answer on its VIP, and lyncdiscoverinternal with them.
		{"hardware load balanced Director", sipDomain("contoso.com", `pool = "dir.contoso.com"`), []rec{
			{"internal", "_sipinternaltls._tcp.contoso.com", "SRV", "0 0 5061 dir.contoso.com."},
			{"internal", "lyncdiscoverinternal.contoso.com", "A", "10.0.1.100"},
			{"internal", "sip.contoso.com", "A", "10.0.1.100"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, diags := run(t, tc.src, topology.Options{})
			if len(diags) != 0 {
				t.Fatalf("want no diagnostics, got %v", reduce(diags))
			}
			if diff := cmp.Diff(tc.want, sipRecords(d)); diff != "" {
				t.Errorf("sip_domain records (-want +got):\n%s", diff)
			}
		})
	}
}
