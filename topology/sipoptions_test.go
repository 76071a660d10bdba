package topology_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/topology"
)

// org is an organisation for the SIP domain tests: split contoso.com and
// fabrikam.com zones, a Front End pool (pool.contoso.com; internal web
// services web.contoso.com on 10.0.0.100, external webext.contoso.com
// behind the reverse proxy 203.0.113.20), an Edge pool
// (edgepool-int.contoso.com, Access Edge access.contoso.com on
// 131.107.155.10 and .11), a hardware-balanced Front End pool without web
// services (hlb.contoso.com, VIP 10.0.3.100), then the extra zones and
// sip_domain blocks given.
func org(product, extra string) string {
	return `name    = "t"
product = "` + product + `"
zone "contoso.com" { view = "internal" }
zone "contoso.com" { view = "external" }
zone "fabrikam.com" { view = "external" }
site "s" {
  pool "p" {
    fqdn = "pool.contoso.com"
    web_services {
      internal_fqdn     = "web.contoso.com"
      internal_vip      = "10.0.0.100"
      external_fqdn     = "webext.contoso.com"
      external_proxy_ip = "203.0.113.20"
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
      fqdn = "c.contoso.com"
      ip   = "10.0.0.3"
    }
  }
  pool "e" {
    role = "edge"
    fqdn = "edgepool-int.contoso.com"
    edge {
      access_fqdn = "access.contoso.com"
    }
    server "e1" {
      fqdn = "e1.contoso.com"
      ip   = "172.25.33.10"
      edge {
        access_ip = "131.107.155.10"
      }
    }
    server "e2" {
      fqdn = "e2.contoso.com"
      ip   = "172.25.33.11"
      edge {
        access_ip = "131.107.155.11"
      }
    }
  }
}
site "t" {
  pool "h" {
    fqdn           = "hlb.contoso.com"
    load_balancing = "hardware"
    vip            = "10.0.3.100"
    server "h1" {
      fqdn = "h1.contoso.com"
      ip   = "10.0.3.1"
    }
  }
}
` + extra
}

// sipOnly keeps the records a sip_domain made.
func sipOnly(d *topology.Desired) []placedRecord {
	var out []placedRecord
	for _, r := range placedRecords(d) {
		if strings.HasPrefix(r.Source, "sip_domain.") {
			out = append(out, r)
		}
	}
	return out
}

// TestCompileSIPDomainOptions: issue 9 items 3, 5, 8 and 9: the Access
// Edge FQDN as SRV target, CNAME forms, the opt-in records, second SIP
// domains, and simple URLs across the organisation.
func TestCompileSIPDomainOptions(t *testing.T) {
	const c = "sip_domain.contoso.com"
	const f = "sip_domain.fabrikam.com"
	for _, tc := range []struct {
		name    string
		product string
		extra   string
		want    []placedRecord
	}{
		// dns.md's perimeter table: the SRVs point at the Access Edge
		// FQDN, sip.<domain> is a CNAME to it.
		{"Edge pool: SRV targets and a CNAME for sip", "sfb2015", `sip_domain "contoso.com" {
  pool      = "pool.contoso.com"
  edge_pool = "edgepool-int.contoso.com"
  cname { sip = true }
}
`, []placedRecord{
			{"external", "_sip._tls.contoso.com", "SRV", "0 0 443 access.contoso.com.", c + ".sip_tls"},
			{"external", "_sipfederationtls._tcp.contoso.com", "SRV", "0 0 5061 access.contoso.com.", c + ".sipfederationtls"},
			{"external", "sip.contoso.com", "CNAME", "access.contoso.com.", c + ".access_edge"},
			{"internal", "_sipinternaltls._tcp.contoso.com", "SRV", "0 0 5061 pool.contoso.com.", c + ".sipinternaltls"},
			{"internal", "lyncdiscoverinternal.contoso.com", "A", "10.0.0.100", c + ".lyncdiscoverinternal"},
			{"internal", "sip.contoso.com", "A", "10.0.0.1", c + ".sip_internal"},
			{"internal", "sip.contoso.com", "A", "10.0.0.2", c + ".sip_internal"},
			{"internal", "sip.contoso.com", "A", "10.0.0.3", c + ".sip_internal"},
		}},
		{"Edge pool: sip. gets the Access Edge addresses", "sfb2015", `sip_domain "contoso.com" {
  pool      = "hlb.contoso.com"
  edge_pool = "edgepool-int.contoso.com"
}
`, []placedRecord{
			{"external", "_sip._tls.contoso.com", "SRV", "0 0 443 access.contoso.com.", c + ".sip_tls"},
			{"external", "_sipfederationtls._tcp.contoso.com", "SRV", "0 0 5061 access.contoso.com.", c + ".sipfederationtls"},
			{"external", "sip.contoso.com", "A", "131.107.155.10", c + ".access_edge"},
			{"external", "sip.contoso.com", "A", "131.107.155.11", c + ".access_edge"},
			{"internal", "_sipinternaltls._tcp.contoso.com", "SRV", "0 0 5061 hlb.contoso.com.", c + ".sipinternaltls"},
			{"internal", "lyncdiscoverinternal.contoso.com", "A", "10.0.3.100", c + ".lyncdiscoverinternal"},
			{"internal", "sip.contoso.com", "A", "10.0.3.100", c + ".sip_internal"},
		}},
		{"CNAME forms", "sfb2015", `sip_domain "contoso.com" {
  pool             = "pool.contoso.com"
  reverse_proxy_ip = "203.0.113.20"
  meet             = "https://meet.contoso.com"
  dialin           = "https://dialin.contoso.com"
  admin            = "https://admin.contoso.com"
  cname {
    lyncdiscover         = true
    lyncdiscoverinternal = true
    meet                 = true
    dialin               = true
    admin                = true
  }
}
`, []placedRecord{
			{"external", "dialin.contoso.com", "CNAME", "webext.contoso.com.", c + ".simple_url.dialin"},
			{"external", "lyncdiscover.contoso.com", "CNAME", "webext.contoso.com.", c + ".lyncdiscover"},
			{"external", "meet.contoso.com", "CNAME", "webext.contoso.com.", c + ".simple_url.meet"},
			{"internal", "_sipinternaltls._tcp.contoso.com", "SRV", "0 0 5061 pool.contoso.com.", c + ".sipinternaltls"},
			{"internal", "admin.contoso.com", "CNAME", "web.contoso.com.", c + ".simple_url.admin"},
			{"internal", "dialin.contoso.com", "CNAME", "web.contoso.com.", c + ".simple_url.dialin"},
			{"internal", "lyncdiscoverinternal.contoso.com", "CNAME", "web.contoso.com.", c + ".lyncdiscoverinternal"},
			{"internal", "meet.contoso.com", "CNAME", "web.contoso.com.", c + ".simple_url.meet"},
			{"internal", "sip.contoso.com", "A", "10.0.0.1", c + ".sip_internal"},
			{"internal", "sip.contoso.com", "A", "10.0.0.2", c + ".sip_internal"},
			{"internal", "sip.contoso.com", "A", "10.0.0.3", c + ".sip_internal"},
		}},
		{"a hardware-balanced pool's CNAMEs point at its pool FQDN", "sfb2015", `sip_domain "contoso.com" {
  pool = "hlb.contoso.com"
  cname { lyncdiscoverinternal = true }
}
`, []placedRecord{
			{"internal", "_sipinternaltls._tcp.contoso.com", "SRV", "0 0 5061 hlb.contoso.com.", c + ".sipinternaltls"},
			{"internal", "lyncdiscoverinternal.contoso.com", "CNAME", "hlb.contoso.com.", c + ".lyncdiscoverinternal"},
			{"internal", "sip.contoso.com", "A", "10.0.3.100", c + ".sip_internal"},
		}},
		{"optional records", "sfb2015", `sip_domain "contoso.com" {
  pool            = "pool.contoso.com"
  edge_pool       = "edgepool-int.contoso.com"
  xmpp_federation = true
  sipinternal     = true
  sipexternal     = true
  ucupdates       = true
  ntp_server      = "time.contoso.com"
}
`, []placedRecord{
			{"external", "_sip._tls.contoso.com", "SRV", "0 0 443 access.contoso.com.", c + ".sip_tls"},
			{"external", "_sipfederationtls._tcp.contoso.com", "SRV", "0 0 5061 access.contoso.com.", c + ".sipfederationtls"},
			{"external", "_xmpp-server._tcp.contoso.com", "SRV", "0 0 5269 access.contoso.com.", c + ".xmpp"},
			{"external", "sip.contoso.com", "A", "131.107.155.10", c + ".access_edge"},
			{"external", "sip.contoso.com", "A", "131.107.155.11", c + ".access_edge"},
			{"external", "sipexternal.contoso.com", "A", "131.107.155.10", c + ".sipexternal"},
			{"external", "sipexternal.contoso.com", "A", "131.107.155.11", c + ".sipexternal"},
			{"internal", "_ntp._udp.contoso.com", "SRV", "0 0 123 time.contoso.com.", c + ".ntp"},
			{"internal", "_sipinternaltls._tcp.contoso.com", "SRV", "0 0 5061 pool.contoso.com.", c + ".sipinternaltls"},
			{"internal", "lyncdiscoverinternal.contoso.com", "A", "10.0.0.100", c + ".lyncdiscoverinternal"},
			{"internal", "sip.contoso.com", "A", "10.0.0.1", c + ".sip_internal"},
			{"internal", "sip.contoso.com", "A", "10.0.0.2", c + ".sip_internal"},
			{"internal", "sip.contoso.com", "A", "10.0.0.3", c + ".sip_internal"},
			{"internal", "sipinternal.contoso.com", "A", "10.0.0.1", c + ".sipinternal"},
			{"internal", "sipinternal.contoso.com", "A", "10.0.0.2", c + ".sipinternal"},
			{"internal", "sipinternal.contoso.com", "A", "10.0.0.3", c + ".sipinternal"},
			{"internal", "ucupdates-r2.contoso.com", "A", "10.0.0.100", c + ".ucupdates"},
		}},
		// advanced-edge-server-dns.md: a pin-point zone for each name.
		{"second SIP domain in pin-point zones", "sfb2015", `zone "_sipinternaltls._tcp.fabrikam.com" { view = "internal" }
zone "sip.fabrikam.com" { view = "internal" }
zone "lyncdiscoverinternal.fabrikam.com" { view = "internal" }
sip_domain "fabrikam.com" {
  pool       = "pool.contoso.com"
  srv_target = "sip.fabrikam.com"
}
`, []placedRecord{
			{"internal", "_sipinternaltls._tcp.fabrikam.com", "SRV", "0 0 5061 sip.fabrikam.com.", f + ".sipinternaltls"},
			{"internal", "lyncdiscoverinternal.fabrikam.com", "A", "10.0.0.100", f + ".lyncdiscoverinternal"},
			{"internal", "sip.fabrikam.com", "A", "10.0.0.1", f + ".sip_internal"},
			{"internal", "sip.fabrikam.com", "A", "10.0.0.2", f + ".sip_internal"},
			{"internal", "sip.fabrikam.com", "A", "10.0.0.3", f + ".sip_internal"},
		}},
		// ... or a matching internal zone with an A record for the pool.
		{"second SIP domain in a matching internal zone", "sfb2015", `zone "fabrikam.com" { view = "internal" }
sip_domain "fabrikam.com" {
  pool       = "pool.contoso.com"
  srv_target = "pool.fabrikam.com"
}
`, []placedRecord{
			{"internal", "_sipinternaltls._tcp.fabrikam.com", "SRV", "0 0 5061 pool.fabrikam.com.", f + ".sipinternaltls"},
			{"internal", "lyncdiscoverinternal.fabrikam.com", "A", "10.0.0.100", f + ".lyncdiscoverinternal"},
			{"internal", "pool.fabrikam.com", "A", "10.0.0.1", f + ".srv_target"},
			{"internal", "pool.fabrikam.com", "A", "10.0.0.2", f + ".srv_target"},
			{"internal", "pool.fabrikam.com", "A", "10.0.0.3", f + ".srv_target"},
			{"internal", "sip.fabrikam.com", "A", "10.0.0.1", f + ".sip_internal"},
			{"internal", "sip.fabrikam.com", "A", "10.0.0.2", f + ".sip_internal"},
			{"internal", "sip.fabrikam.com", "A", "10.0.0.3", f + ".sip_internal"},
		}},
		// simple-urls.md option 3: two SIP domains' Meet URLs on one host,
		// one Dial-in for the organisation.
		{"simple URLs across the organisation", "sfb2015", `zone "fabrikam.com" { view = "internal" }
sip_domain "contoso.com" {
  pool             = "pool.contoso.com"
  reverse_proxy_ip = "203.0.113.20"
  meet             = "https://lync.contoso.com/contoso/meet"
  dialin           = "https://lync.contoso.com/dialin"
}
sip_domain "fabrikam.com" {
  pool             = "pool.contoso.com"
  srv_target       = "pool.fabrikam.com"
  reverse_proxy_ip = "203.0.113.20"
  meet             = "https://lync.contoso.com/fabrikam/meet"
}
`, []placedRecord{
			{"external", "lync.contoso.com", "A", "203.0.113.20", c + ".simple_url.meet"},
			{"external", "lyncdiscover.contoso.com", "A", "203.0.113.20", c + ".lyncdiscover"},
			{"internal", "_sipinternaltls._tcp.contoso.com", "SRV", "0 0 5061 pool.contoso.com.", c + ".sipinternaltls"},
			{"internal", "lync.contoso.com", "A", "10.0.0.100", c + ".simple_url.meet"},
			{"internal", "lyncdiscoverinternal.contoso.com", "A", "10.0.0.100", c + ".lyncdiscoverinternal"},
			{"internal", "sip.contoso.com", "A", "10.0.0.1", c + ".sip_internal"},
			{"internal", "sip.contoso.com", "A", "10.0.0.2", c + ".sip_internal"},
			{"internal", "sip.contoso.com", "A", "10.0.0.3", c + ".sip_internal"},
			{"external", "lyncdiscover.fabrikam.com", "A", "203.0.113.20", f + ".lyncdiscover"},
			{"internal", "_sipinternaltls._tcp.fabrikam.com", "SRV", "0 0 5061 pool.fabrikam.com.", f + ".sipinternaltls"},
			{"internal", "lyncdiscoverinternal.fabrikam.com", "A", "10.0.0.100", f + ".lyncdiscoverinternal"},
			{"internal", "pool.fabrikam.com", "A", "10.0.0.1", f + ".srv_target"},
			{"internal", "pool.fabrikam.com", "A", "10.0.0.2", f + ".srv_target"},
			{"internal", "pool.fabrikam.com", "A", "10.0.0.3", f + ".srv_target"},
			{"internal", "sip.fabrikam.com", "A", "10.0.0.1", f + ".sip_internal"},
			{"internal", "sip.fabrikam.com", "A", "10.0.0.2", f + ".sip_internal"},
			{"internal", "sip.fabrikam.com", "A", "10.0.0.3", f + ".sip_internal"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := org(tc.product, tc.extra)
			d, diags := run(t, src, topology.Options{})
			if len(diags) != 0 {
				t.Fatalf("want no diagnostics, got %v\n%s", reduce(diags), lines(src))
			}
			if diff := cmp.Diff(tc.want, sipOnly(d)); diff != "" {
				t.Errorf("sip_domain records (-want +got):\n%s", diff)
			}
		})
	}
}

// TestValidateSIPDomainOptions: every rule of the same items, with where
// it points.
func TestValidateSIPDomainOptions(t *testing.T) {
	type tc struct {
		name, product, extra string
		want                 func(src string) []diag
	}
	cases := []tc{
		{"XMPP federation on Skype for Business Server 2019", "sfb2019", "sip_domain \"contoso.com\" {\n  pool            = \"pool.contoso.com\"\n  edge_pool       = \"edgepool-int.contoso.com\"\n  xmpp_federation = true\n}\n", func(src string) []diag {
			return []diag{errAt("XMPP federation is gone in Skype for Business Server 2019", posOf(t, src, "true\n}"), "Remove xmpp_federation.")}
		}},
		{"XMPP federation on Lync Server 2010", "lync2010", "sip_domain \"contoso.com\" {\n  pool            = \"pool.contoso.com\"\n  edge_pool       = \"edgepool-int.contoso.com\"\n  xmpp_federation = true\n}\n", func(src string) []diag {
			return []diag{errAt("No XMPP federation through the Edge in Lync Server 2010", posOf(t, src, "true\n}"), "came with Lync Server 2013")}
		}},
		{"XMPP federation without an Access Edge", "lync2013", "sip_domain \"contoso.com\" {\n  pool            = \"pool.contoso.com\"\n  xmpp_federation = true\n}\n", func(src string) []diag {
			return []diag{errAt("XMPP federation without an Access Edge", posOf(t, src, "true\n}"), "set edge_pool (or access_edge_ip)")}
		}},
		{"sipexternal without an Access Edge", "sfb2015", "sip_domain \"contoso.com\" {\n  pool        = \"pool.contoso.com\"\n  sipexternal = true\n}\n", func(src string) []diag {
			return []diag{errAt("sipexternal without an Access Edge", posOf(t, src, "true\n}"), "")}
		}},
		{"edge_pool and access_edge_ip", "sfb2015", "sip_domain \"contoso.com\" {\n  pool           = \"pool.contoso.com\"\n  edge_pool      = \"edgepool-int.contoso.com\"\n  access_edge_ip = \"131.107.155.10\"\n}\n", func(src string) []diag {
			return []diag{errAt("Access Edge given twice", posOf(t, src, `"131.107.155.10"`+"\n}"), "Remove access_edge_ip.")}
		}},
		{"edge_pool naming a Front End pool", "sfb2015", "sip_domain \"contoso.com\" {\n  pool      = \"pool.contoso.com\"\n  edge_pool = \"hlb.contoso.com\"\n}\n", func(src string) []diag {
			return []diag{errAt("Not an Edge pool", posOf(t, src, `"hlb.contoso.com"`+"\n}"), `Pool "h" is a frontend pool`)}
		}},
		{"edge_pool unknown", "sfb2015", "sip_domain \"contoso.com\" {\n  pool      = \"pool.contoso.com\"\n  edge_pool = \"edge9.contoso.com\"\n}\n", func(src string) []diag {
			return []diag{errAt("Unknown pool", posOf(t, src, `"edge9.contoso.com"`), "edge_pool names the internal FQDN of the Edge pool")}
		}},
		{"CNAME to a missing external web FQDN", "sfb2015", "sip_domain \"contoso.com\" {\n  pool = \"hlb.contoso.com\"\n  cname { lyncdiscover = true }\n}\n", func(src string) []diag {
			return []diag{errAt("CNAME without a web services FQDN", posOf(t, src, "true }"), `points at the external web services FQDN of pool "h", which has none: set external_fqdn and external_proxy_ip`)}
		}},
		// issue 9 item 3: the same-domain rule names both patterns.
		{"pool in another domain", "sfb2015", "zone \"fabrikam.com\" { view = \"internal\" }\nsip_domain \"fabrikam.com\" {\n  pool = \"pool.contoso.com\"\n}\n", func(src string) []diag {
			return []diag{errAt("SRV target outside the SIP domain", posOf(t, src, `"pool.contoso.com"`+"\n}"), `For a second SIP domain, use one of Microsoft's two patterns: a pin-point zone (declare zone "_sipinternaltls._tcp.fabrikam.com" and zone "sip.fabrikam.com" with view = "internal", and set srv_target = "sip.fabrikam.com"), or a matching internal zone (declare zone "fabrikam.com" with view = "internal" and set srv_target = "pool.fabrikam.com", an A record for the pool inside fabrikam.com).`)}
		}},
		{"srv_target outside the domain", "sfb2015", "zone \"fabrikam.com\" { view = \"internal\" }\nsip_domain \"fabrikam.com\" {\n  pool       = \"pool.contoso.com\"\n  srv_target = \"pool.contoso.com\"\n}\n", func(src string) []diag {
			return []diag{errAt("SRV target outside the SIP domain", posOf(t, src, `"pool.contoso.com"`+"\n}"), `srv_target "pool.contoso.com" is not in fabrikam.com`)}
		}},
		{"pin-point zone not declared", "sfb2015", "sip_domain \"fabrikam.com\" {\n  pool       = \"pool.contoso.com\"\n  srv_target = \"sip.fabrikam.com\"\n}\n", func(src string) []diag {
			return []diag{
				errAt("Name outside every zone", posOf(t, src, "sip_domain \"fabrikam"), `"_sipinternaltls._tcp.fabrikam.com" needs a record in the internal view`),
				errAt("Name outside every zone", posOf(t, src, "sip_domain \"fabrikam"), `"sip.fabrikam.com" needs a record`),
				errAt("Name outside every zone", posOf(t, src, "sip_domain \"fabrikam"), `"lyncdiscoverinternal.fabrikam.com" needs a record`),
			}
		}},
		// issue 9 item 9: simple URLs across the organisation.
		{"two Dial-in URLs", "sfb2015", "zone \"fabrikam.com\" { view = \"internal\" }\nsip_domain \"contoso.com\" {\n  pool   = \"pool.contoso.com\"\n  meet   = \"https://meet.contoso.com\"\n  dialin = \"https://dialin.contoso.com\"\n}\nsip_domain \"fabrikam.com\" {\n  pool       = \"pool.contoso.com\"\n  srv_target = \"sip.fabrikam.com\"\n  meet       = \"https://meet.fabrikam.com\"\n  dialin     = \"https://dialin.fabrikam.com\"\n}\n", func(src string) []diag {
			return []diag{errAt("Second Dial-in simple URL", posOf(t, src, `"https://dialin.fabrikam.com"`), `The organisation has one Dial-in simple URL, whatever its number of SIP domains; it is declared in sip_domain "contoso.com" at t.hcl:`)}
		}},
		{"two Admin URLs", "sfb2015", "zone \"fabrikam.com\" { view = \"internal\" }\nsip_domain \"contoso.com\" {\n  pool  = \"pool.contoso.com\"\n  meet  = \"https://meet.contoso.com\"\n  admin = \"https://admin.contoso.com\"\n}\nsip_domain \"fabrikam.com\" {\n  pool       = \"pool.contoso.com\"\n  srv_target = \"sip.fabrikam.com\"\n  meet       = \"https://meet.fabrikam.com\"\n  admin      = \"https://admin.fabrikam.com\"\n}\n", func(src string) []diag {
			return []diag{errAt("Second Admin simple URL", posOf(t, src, `"https://admin.fabrikam.com"`), "")}
		}},
		{"a second SIP domain without its Meet URL", "sfb2015", "zone \"fabrikam.com\" { view = \"internal\" }\nsip_domain \"contoso.com\" {\n  pool = \"pool.contoso.com\"\n  meet = \"https://meet.contoso.com\"\n}\nsip_domain \"fabrikam.com\" {\n  pool       = \"pool.contoso.com\"\n  srv_target = \"sip.fabrikam.com\"\n}\n", func(src string) []diag {
			return []diag{errAt("Missing Meet simple URL", posOf(t, src, "sip_domain \"fabrikam"), `set meet in sip_domain "fabrikam.com", for example "https://meet.fabrikam.com".`)}
		}},
		{"one domain's URL a prefix of another's", "sfb2015", "zone \"fabrikam.com\" { view = \"internal\" }\nsip_domain \"contoso.com\" {\n  pool = \"pool.contoso.com\"\n  meet = \"https://lync.contoso.com/meet\"\n}\nsip_domain \"fabrikam.com\" {\n  pool       = \"pool.contoso.com\"\n  srv_target = \"sip.fabrikam.com\"\n  meet       = \"https://lync.contoso.com/meet/fabrikam\"\n}\n", func(src string) []diag {
			return []diag{errAt("Simple URL is a prefix of another", posOf(t, src, `"https://lync.contoso.com/meet/fabrikam"`), `starts with the meet simple URL "https://lync.contoso.com/meet"`)}
		}},
		{"a simple URL on another SIP domain", "sfb2015", "zone \"fabrikam.com\" { view = \"internal\" }\nsip_domain \"contoso.com\" {\n  pool = \"pool.contoso.com\"\n  meet = \"https://fabrikam.com/meet\"\n}\nsip_domain \"fabrikam.com\" {\n  pool       = \"pool.contoso.com\"\n  srv_target = \"sip.fabrikam.com\"\n  meet       = \"https://meet.fabrikam.com\"\n}\n", func(src string) []diag {
			return []diag{errAt("Simple URL on a SIP domain", posOf(t, src, `"https://fabrikam.com/meet"`), `has the SIP domain "fabrikam.com" as its host`)}
		}},
		{"simple URLs on one host, two targets", "sfb2015", "zone \"fabrikam.com\" { view = \"internal\" }\nsip_domain \"contoso.com\" {\n  pool = \"pool.contoso.com\"\n  meet = \"https://lync.contoso.com/contoso\"\n}\nsip_domain \"fabrikam.com\" {\n  pool = \"hlb.contoso.com\"\n  srv_target = \"sip.fabrikam.com\"\n  meet = \"https://lync.contoso.com/fabrikam\"\n}\n", func(src string) []diag {
			return []diag{errAt("Simple URLs on one host disagree", posOf(t, src, `"https://lync.contoso.com/fabrikam"`), "A 10.0.3.100 for one, A 10.0.0.100 for the other")}
		}},
		{"CNAME at a zone apex", "sfb2015", "zone \"sip.fabrikam.com\" { view = \"external\" }\nzone \"fabrikam.com\" { view = \"internal\" }\nsip_domain \"fabrikam.com\" {\n  pool       = \"pool.contoso.com\"\n  srv_target = \"sip.fabrikam.com\"\n  edge_pool  = \"edgepool-int.contoso.com\"\n  cname { sip = true }\n}\n", func(src string) []diag {
			return []diag{errAt("CNAME at a zone apex", posOf(t, src, "sip_domain \"fabrikam"), `"sip.fabrikam.com" would be a CNAME (from sip_domain.fabrikam.com.access_edge), but it is the apex of zone "sip.fabrikam.com"`)}
		}},
	}
	var vcs []validationCase
	for _, c := range cases {
		src := org(c.product, c.extra)
		vcs = append(vcs, validationCase{name: c.name, src: src, want: c.want(src)})
	}
	runValidation(t, vcs)
}

// TestCompileAccessEdgeIsSIP: edge-environmental-requirements.md names the
// Access Edge sip.<domain> itself. Outside, the Edge pool publishes it;
// inside, sip.<domain> is the registrar pool's (split-brain DNS), so the
// two do not collide.
func TestCompileAccessEdgeIsSIP(t *testing.T) {
	const c = "sip_domain.contoso.com"
	src := strings.Replace(org("sfb2015", "sip_domain \"contoso.com\" {\n  pool      = \"hlb.contoso.com\"\n  edge_pool = \"edgepool-int.contoso.com\"\n}\n"), `access_fqdn = "access.contoso.com"`, `access_fqdn = "sip.contoso.com"`, 1)
	d, diags := run(t, src, topology.Options{})
	if len(diags) != 0 {
		t.Fatalf("want no diagnostics, got %v\n%s", reduce(diags), lines(src))
	}
	want := []placedRecord{
		{"external", "_sip._tls.contoso.com", "SRV", "0 0 443 sip.contoso.com.", c + ".sip_tls"},
		{"external", "_sipfederationtls._tcp.contoso.com", "SRV", "0 0 5061 sip.contoso.com.", c + ".sipfederationtls"},
		{"external", "sip.contoso.com", "A", "131.107.155.10", "site.s.pool.e.server.e1.edge.access"},
		{"external", "sip.contoso.com", "A", "131.107.155.11", "site.s.pool.e.server.e2.edge.access"},
		{"internal", "sip.contoso.com", "A", "10.0.3.100", c + ".sip_internal"},
	}
	var got []placedRecord
	for _, r := range placedRecords(d) {
		if r.Name == "sip.contoso.com" || strings.HasPrefix(r.Name, "_sip") && r.View == "external" {
			got = append(got, r)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}
