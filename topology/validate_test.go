package topology_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/topology"
)

// validationCase is a small topology that breaks rules, and every
// diagnostic it must produce, in source order.
type validationCase struct {
	name string
	src  string
	env  map[string]string
	want []diag
}

func runValidation(t *testing.T, cases []validationCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := topology.Options{}
			if tc.env != nil {
				opts.LookupEnv = envOf(tc.env)
			}
			d, parsed, compiled := runSplit(t, tc.src, opts)
			got := reduce(append(parsed, compiled...))
			if diff := cmp.Diff(tc.want, matchDetails(tc.want, got)); diff != "" {
				t.Errorf("diagnostics mismatch (-want +got):\n%s\nsource:\n%s", diff, lines(tc.src))
			}
			if compiled.HasErrors() != (d == nil) {
				t.Errorf("Compile returned desired=%v with errors=%v; want a result exactly when it finds no error", d != nil, compiled.HasErrors())
			}
		})
	}
}

// edge is one Edge pool (no web services needed) with one server:
//
//	6  fqdn = poolFQDN      (6:12)
//	8  fqdn = serverFQDN    (8:14)
//	9  ip   = ip            (9:14)
func edge(poolFQDN, serverFQDN, ip string) string {
	return fmt.Sprintf(`name = "t"
zone "contoso.com" {}
site "s" {
  pool "p" {
    role = "edge"
    fqdn = %q
    server "a" {
      fqdn = %q
      ip   = %q
    }
  }
}
`, poolFQDN, serverFQDN, ip)
}

func server(fqdn string) string { return edge("pool.contoso.com", fqdn, "10.0.0.1") }

func TestValidateFQDN(t *testing.T) {
	label63 := strings.Repeat("a", 63)
	long254 := label63 + "." + label63 + "." + label63 + "." + strings.Repeat("d", 50) + ".contoso.com"
	runValidation(t, []validationCase{
		{"underscore", server("fe_01.contoso.com"), nil, []diag{
			errAt("Invalid FQDN", "8:14", `The server FQDN "fe_01.contoso.com" is not a valid FQDN: it contains an underscore (position 3)`),
		}},
		{"non-ASCII", server("bücher.contoso.com"), nil, []diag{
			errAt("Invalid FQDN", "8:14", "it contains a non-ASCII character"),
		}},
		{"label longer than 63", server(label63 + "a.contoso.com"), nil, []diag{
			errAt("Invalid FQDN", "8:14", "is 64 characters long; a label has at most 63"),
		}},
		{"longer than 253", server(long254), nil, []diag{
			errAt("Invalid FQDN", "8:14", "it is 254 characters long; a domain name has at most 253"),
		}},
		{"single label", server("fe01"), nil, []diag{
			errAt("Invalid FQDN", "8:14", "it is a single-label name"),
		}},
		{"single label with trailing dot", server("fe01."), nil, []diag{
			errAt("Invalid FQDN", "8:14", "it is a single-label name"),
		}},
		{"empty label", server("fe01..contoso.com"), nil, []diag{
			errAt("Invalid FQDN", "8:14", "it has an empty label"),
		}},
		{"leading dot", server(".fe01.contoso.com"), nil, []diag{
			errAt("Invalid FQDN", "8:14", "it has an empty label"),
		}},
		{"empty", server(""), nil, []diag{
			errAt("Invalid FQDN", "8:14", "it is empty"),
		}},
		{"leading hyphen", server("-fe01.contoso.com"), nil, []diag{
			errAt("Invalid FQDN", "8:14", `its label "-fe01" starts or ends with a hyphen`),
		}},
		{"trailing hyphen", server("fe01-.contoso.com"), nil, []diag{
			errAt("Invalid FQDN", "8:14", `its label "fe01-" starts or ends with a hyphen`),
		}},
		{"space", server("fe 01.contoso.com"), nil, []diag{
			errAt("Invalid FQDN", "8:14", `it contains ' ' (position 3)`),
		}},
		{"wildcard", server("*.contoso.com"), nil, []diag{
			errAt("Invalid FQDN", "8:14", `it contains '*' (position 1)`),
		}},
		{"pool FQDN", edge("pool_01.contoso.com", "fe01.contoso.com", "10.0.0.1"), nil, []diag{
			errAt("Invalid FQDN", "6:12", `The pool FQDN "pool_01.contoso.com" is not a valid FQDN: it contains an underscore`),
		}},
	})
}

func TestValidateValidNames(t *testing.T) {
	label63 := strings.Repeat("a", 63)
	exactly253 := label63 + "." + label63 + "." + label63 + "." + strings.Repeat("d", 49) + ".contoso.com"
	for _, tc := range []struct{ name, src string }{
		{"label of 63", server(label63 + ".contoso.com")},
		{"253 characters", server(exactly253)},
		{"trailing dot and capitals", server("FE01.Contoso.COM.")},
		{"inner hyphens and digits", server("fe-01-2.contoso.com")},
		{"IPv6", edge("pool.contoso.com", "fe01.contoso.com", "2001:db8::11")},
		{"IPv4-mapped IPv6", edge("pool.contoso.com", "fe01.contoso.com", "::ffff:10.0.0.1")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := run(t, tc.src, topology.Options{})
			if len(diags) != 0 {
				t.Errorf("want no diagnostics, got %v\nsource:\n%s", reduce(diags), lines(tc.src))
			}
		})
	}
}

func TestValidateIP(t *testing.T) {
	ip := func(s string) string { return edge("pool.contoso.com", "fe01.contoso.com", s) }
	runValidation(t, []validationCase{
		{"octet out of range", ip("10.0.0.256"), nil, []diag{
			errAt("Invalid IP address", "9:14", `The server ip "10.0.0.256" is not an IPv4 or IPv6 address.`),
		}},
		{"three octets", ip("10.0.0"), nil, []diag{
			errAt("Invalid IP address", "9:14", "is not an IPv4 or IPv6 address"),
		}},
		{"hostname", ip("fe01.contoso.com"), nil, []diag{
			errAt("Invalid IP address", "9:14", "is not an IPv4 or IPv6 address"),
		}},
		{"IPv6 with zone", ip("fe80::1%eth0"), nil, []diag{
			errAt("Invalid IP address", "9:14", "is not an IPv4 or IPv6 address"),
		}},
		{"empty", ip(""), nil, []diag{
			errAt("Invalid IP address", "9:14", "is not an IPv4 or IPv6 address"),
		}},
		{"unspecified", ip("0.0.0.0"), nil, []diag{
			errAt("Invalid IP address", "9:14", `The server ip "0.0.0.0" cannot be a host's address.`),
		}},
		{"IPv6 unspecified", ip("::"), nil, []diag{
			errAt("Invalid IP address", "9:14", "cannot be a host's address"),
		}},
		{"multicast", ip("224.0.0.1"), nil, []diag{
			errAt("Invalid IP address", "9:14", "cannot be a host's address"),
		}},
	})
}

// twoSites declares site "a" (pool "p", server s1.contoso.com at 10.0.0.1)
// and a second site with one pool and one server:
//
//	13  site site2 {              (label at 13:6)
//	16    fqdn = "q.contoso.com"  (16:12)
//	18    fqdn = fqdn2            (18:14)
//	19    ip   = ip2              (19:14)
func twoSites(site2, pool2, fqdn2, ip2 string) string {
	return fmt.Sprintf(`name = "t"
zone "contoso.com" {}
site "a" {
  pool "p" {
    role = "edge"
    fqdn = "p.contoso.com"
    server "s1" {
      fqdn = "s1.contoso.com"
      ip   = "10.0.0.1"
    }
  }
}
site %q {
  pool %q {
    role = "edge"
    fqdn = "q.contoso.com"
    server "s2" {
      fqdn = %q
      ip   = %q
    }
  }
}
`, site2, pool2, fqdn2, ip2)
}

// twoServers is one Edge pool "p" (FQDN p.contoso.com) with server "s1"
// (s1.contoso.com, 10.0.0.1) and a second server:
//
//	11  server name2 {    (label at 11:12)
//	12    fqdn = fqdn2    (12:14)
//	13    ip   = ip2      (13:14)
func twoServers(name2, fqdn2, ip2 string) string {
	return fmt.Sprintf(`name = "t"
zone "contoso.com" {}
site "s" {
  pool "p" {
    role = "edge"
    fqdn = "p.contoso.com"
    server "s1" {
      fqdn = "s1.contoso.com"
      ip   = "10.0.0.1"
    }
    server %q {
      fqdn = %q
      ip   = %q
    }
  }
}
`, name2, fqdn2, ip2)
}

// twoFrontends is two Front End pools with DNS load balancing, p and q, in
// one site:
//
//	 7  internal_fqdn = "web.contoso.com"   (p, 7:23)
//	10  external_fqdn = "ext.contoso.com"   (p, 10:23)
//	20  internal_fqdn = webInt2             (q, 20:23)
//	23  external_fqdn = webExt2             (q, 23:23)
func twoFrontends(webInt2, webExt2 string) string {
	return fmt.Sprintf(`name = "t"
zone "contoso.com" {}
site "s" {
  pool "p" {
    fqdn = "p.contoso.com"
    web_services {
      internal_fqdn = "web.contoso.com"
      internal_vip  = "10.0.0.100"
      external_proxy_ip = "203.0.113.1"
      external_fqdn = "ext.contoso.com"
    }
    server "s1" {
      fqdn = "s1.contoso.com"
      ip   = "10.0.0.1"
    }
  }
  pool "q" {
    fqdn = "q.contoso.com"
    web_services {
      internal_fqdn = %q
      internal_vip  = "10.0.0.200"
      external_proxy_ip = "203.0.113.2"
      external_fqdn = %q
    }
    server "s2" {
      fqdn = "s2.contoso.com"
      ip   = "10.0.0.2"
    }
  }
}
`, webInt2, webExt2)
}

func TestValidateDuplicates(t *testing.T) {
	runValidation(t, []validationCase{
		{"server FQDN across sites", twoSites("b", "q", "S1.Contoso.com.", "10.0.0.2"), nil, []diag{
			errAt("Duplicate FQDN", "18:14", `"S1.Contoso.com." is already used by server s1 at t.hcl:8:14.`),
		}},
		{"server FQDN in one pool", twoServers("s2", "s1.contoso.com", "10.0.0.2"), nil, []diag{
			errAt("Duplicate FQDN", "12:14", "already used by server s1 at t.hcl:8:14"),
		}},
		{"server IP across sites", twoSites("b", "q", "s2.contoso.com", "10.0.0.1"), nil, []diag{
			errAt("Duplicate IP address", "19:14", "10.0.0.1 is already the address of server s1 at t.hcl:9:14."),
		}},
		{"server IP in one pool", twoServers("s2", "s2.contoso.com", "10.0.0.1"), nil, []diag{
			errAt("Duplicate IP address", "13:14", "10.0.0.1 is already the address of server s1"),
		}},
		{"IPv6 written two ways", strings.Replace(twoServers("s2", "s2.contoso.com", "2001:DB8:0::1"), "10.0.0.1", "2001:db8::1", 1), nil, []diag{
			errAt("Duplicate IP address", "13:14", "2001:db8::1 is already the address of server s1"),
		}},
		{"IPv4-mapped IPv6 and IPv4", twoServers("s2", "s2.contoso.com", "::ffff:10.0.0.1"), nil, []diag{
			errAt("Duplicate IP address", "13:14", "10.0.0.1 is already the address of server s1"),
		}},
		{"pool FQDN equals a server FQDN", twoServers("s2", "p.contoso.com", "10.0.0.2"), nil, []diag{
			errAt("Duplicate FQDN", "12:14", `"p.contoso.com" is already used by pool p at t.hcl:6:12.`),
		}},
		{"pool FQDN equals a server FQDN in another site", twoSites("b", "q", "p.contoso.com", "10.0.0.2"), nil, []diag{
			errAt("Duplicate FQDN", "18:14", "already used by pool p at t.hcl:6:12"),
		}},
		{"internal web FQDN across pools", twoFrontends("web.contoso.com", "ext2.contoso.com"), nil, []diag{
			errAt("Duplicate FQDN", "20:23", `"web.contoso.com" is already used by internal web services of pool p at t.hcl:7:23.`),
		}},
		{"external web FQDN across pools", twoFrontends("web2.contoso.com", "ext.contoso.com"), nil, []diag{
			errAt("Duplicate FQDN", "23:23", "already used by external web services of pool p at t.hcl:10:23"),
		}},
		{"internal web FQDN equals another pool's external", twoFrontends("ext.contoso.com", "ext2.contoso.com"), nil, []diag{
			errAt("Duplicate FQDN", "20:23", "already used by external web services of pool p"),
		}},
		{"web FQDN equals a server FQDN", twoFrontends("s1.contoso.com", "ext2.contoso.com"), nil, []diag{
			errAt("Duplicate FQDN", "20:23", "already used by server s1 at t.hcl:13:14"),
		}},
		{"web FQDN equals another pool's FQDN", twoFrontends("web2.contoso.com", "p.contoso.com"), nil, []diag{
			errAt("Duplicate FQDN", "23:23", "already used by pool p at t.hcl:5:12"),
		}},
		{"site", twoSites("a", "q", "s2.contoso.com", "10.0.0.2"), nil, []diag{
			errAt("Duplicate site", "13:6", `Site "a" is already declared at t.hcl:3:1.`),
		}},
		{"pool", `name = "t"
zone "contoso.com" {}
site "s" {
  pool "p" {
    role = "edge"
    fqdn = "p.contoso.com"
    server "s1" {
      fqdn = "s1.contoso.com"
      ip   = "10.0.0.1"
    }
  }
  pool "p" {
    role = "edge"
    fqdn = "q.contoso.com"
    server "s2" {
      fqdn = "s2.contoso.com"
      ip   = "10.0.0.2"
    }
  }
}
`, nil, []diag{
			errAt("Duplicate pool", "12:8", `Site "s" already has a pool "p", declared at t.hcl:4:3.`),
		}},
		{"server", twoServers("s1", "s2.contoso.com", "10.0.0.2"), nil, []diag{
			errAt("Duplicate server", "11:12", `Pool "p" already has a server "s1", declared at t.hcl:7:5.`),
		}},
		{"provider", `name = "t"
provider "zonefile" "a" {}
provider "zonefile" "a" {
  directory = "elsewhere"
}
`, nil, []diag{
			errAt("Duplicate provider", "3:1", `A provider "zonefile.a" is already declared at t.hcl:2:1;`),
		}},
	})
}

// TestValidateSameNamesInOtherScopes: pool and server names are scoped to
// their site and pool; only FQDNs and addresses are global.
func TestValidateSameNamesInOtherScopes(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"pool name in two sites", twoSites("b", "p", "s2.contoso.com", "10.0.0.2")},
		{"server name in two sites", strings.Replace(twoSites("b", "q", "s2.contoso.com", "10.0.0.2"), `server "s2"`, `server "s1"`, 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, diags := run(t, tc.src, topology.Options{}); len(diags) != 0 {
				t.Errorf("want no diagnostics, got %v", reduce(diags))
			}
		})
	}
}

// zones declares only zones, each as `zone "<name>" { view = "<view>" }`:
// zone k (from 0) starts at line 2+3k.
func zones(nameViews ...string) string {
	var b strings.Builder
	b.WriteString("name = \"t\"\n")
	for i := 0; i+1 < len(nameViews); i += 2 {
		fmt.Fprintf(&b, "zone %q {\n  view = %q\n}\n", nameViews[i], nameViews[i+1])
	}
	return b.String()
}

func TestValidateZones(t *testing.T) {
	runValidation(t, []validationCase{
		{"both twice", zones("contoso.com", "both", "contoso.com", "both"), nil, []diag{
			errAt("Duplicate zone", "5:1", `Zone "contoso.com" already serves the internal view (declared at t.hcl:2:1).`),
		}},
		{"internal twice", zones("contoso.com", "internal", "contoso.com", "internal"), nil, []diag{
			errAt("Duplicate zone", "5:1", "already serves the internal view"),
		}},
		{"both then internal", zones("contoso.com", "both", "contoso.com", "internal"), nil, []diag{
			errAt("Duplicate zone", "5:1", "already serves the internal view (declared at t.hcl:2:1)"),
		}},
		{"internal then both", zones("contoso.com", "internal", "contoso.com", "both"), nil, []diag{
			errAt("Duplicate zone", "5:1", "already serves the internal view (declared at t.hcl:2:1)"),
		}},
		{"external then both", zones("contoso.com", "external", "contoso.com", "both"), nil, []diag{
			errAt("Duplicate zone", "5:1", "already serves the external view (declared at t.hcl:2:1)"),
		}},
		{"case and trailing dot", zones("Contoso.COM.", "internal", "contoso.com", "internal"), nil, []diag{
			errAt("Duplicate zone", "5:1", "already serves the internal view"),
		}},
		{"three views, third duplicates", zones("contoso.com", "internal", "contoso.com", "external", "contoso.com", "both"), nil, []diag{
			errAt("Duplicate zone", "8:1", "already serves the internal view (declared at t.hcl:2:1)"),
		}},
		{"invalid zone name", zones("contoso_com.", "both"), nil, []diag{
			errAt("Invalid zone name", "2:6", `The zone name "contoso_com." is not a valid domain name: it contains an underscore`),
		}},
		{"empty zone name", zones("", "both"), nil, []diag{
			errAt("Invalid zone name", "2:6", "it is empty"),
		}},
	})
	for _, tc := range []struct{ name, src string }{
		{"internal and external", zones("contoso.com", "internal", "contoso.com", "external")},
		{"single-label zone", zones("com", "both")},
		{"nested zones", zones("contoso.com", "both", "lync.contoso.com", "both")},
	} {
		t.Run("valid/"+tc.name, func(t *testing.T) {
			if _, diags := run(t, tc.src, topology.Options{}); len(diags) != 0 {
				t.Errorf("want no diagnostics, got %v", reduce(diags))
			}
		})
	}
}

// frontend is a Front End pool p (FQDN p.contoso.com, line 5) whose
// pool-level attributes and web_services body are given; one server.
func frontend(poolAttrs, webServices string) string {
	ws := ""
	if webServices != "-" {
		ws = "    web_services {\n" + webServices + "    }\n"
	}
	return `name = "t"
zone "contoso.com" {}
site "s" {
  pool "p" {
    fqdn = "p.contoso.com"
` + poolAttrs + ws + `    server "s1" {
      fqdn = "s1.contoso.com"
      ip   = "10.0.0.1"
    }
  }
}
`
}

const (
	wsIntFQDN = "      internal_fqdn = \"web.contoso.com\"\n"
	wsIntVIP  = "      internal_vip  = \"10.0.0.100\"\n"
	wsExtFQDN = "      external_fqdn = \"ext.contoso.com\"\n"
	wsExtVIP  = "      external_proxy_ip = \"203.0.113.1\"\n"
)

func TestValidateLoadBalancing(t *testing.T) {
	runValidation(t, []validationCase{
		{"DNS without web_services", frontend("", "-"), nil, []diag{
			errAt("DNS load balancing needs a web services override", "4:3", `Pool "p" uses DNS load balancing, so its FQDN "p.contoso.com" resolves to the servers' own addresses.`),
		}},
		{"director with DNS without web_services", frontend("    role = \"director\"\n", "-"), nil, []diag{
			errAt("DNS load balancing needs a web services override", "4:3", ""),
		}},
		{"DNS without internal_fqdn", frontend("", wsIntVIP), nil, []diag{
			errAt("Missing internal web services override", "6:5", `the internal web services FQDN must be overridden with a name different from the pool FQDN "p.contoso.com"`),
		}},
		{"DNS with internal_fqdn equal to the pool FQDN", frontend("", "      internal_fqdn = \"P.contoso.com.\"\n"+wsIntVIP), nil, []diag{
			errAt("Web services FQDN equals the pool FQDN", "7:23", "your Front End pool and internal web farm cannot have the same FQDN"),
		}},
		{"DNS without internal_vip", frontend("", wsIntFQDN), nil, []diag{
			errAt("Missing internal web services VIP", "6:5", "Set internal_vip."),
		}},
		{"DNS with empty web_services", frontend("", ""), nil, []diag{
			errAt("Missing internal web services VIP", "6:5", ""),
			errAt("Missing internal web services override", "6:5", ""),
		}},
		{"DNS with a pool vip", frontend("    vip = \"10.0.0.99\"\n", wsIntFQDN+wsIntVIP), nil, []diag{
			errAt("VIP with DNS load balancing", "6:11", "a pool vip is not used"),
		}},
		{"hardware without vip", frontend("    load_balancing = \"hardware\"\n", "-"), nil, []diag{
			errAt("Hardware load balancing needs a VIP", "4:3", `the pool FQDN "p.contoso.com" resolves to the load balancer's virtual IP`),
		}},
		{"hardware with an invalid vip", frontend("    load_balancing = \"hardware\"\n    vip = \"10.0.0\"\n", "-"), nil, []diag{
			errAt("Invalid IP address", "7:11", `The pool vip "10.0.0" is not an IPv4 or IPv6 address.`),
		}},
		{"hardware with an override but no internal_vip", frontend("    load_balancing = \"hardware\"\n    vip = \"10.0.0.99\"\n", wsIntFQDN), nil, []diag{
			errAt("Missing internal web services VIP", "8:5", ""),
		}},
		// issue 9 item 6: the external FQDN's public address is the reverse
		// proxy's (external_proxy_ip); external_vip is the inside HLB VIP.
		{"external_fqdn without external_proxy_ip", frontend("", wsIntFQDN+wsIntVIP+wsExtFQDN), nil, []diag{
			errAt("Missing reverse proxy address", "9:23", "Set external_proxy_ip."),
		}},
		{"external_vip as written before external_proxy_ip", frontend("", wsIntFQDN+wsIntVIP+wsExtFQDN+"      external_vip  = \"203.0.113.1\"\n"), nil, []diag{
			errAt("External web services without a reverse proxy address", "10:23", `if 203.0.113.1 is the reverse proxy's public address, rename external_vip to external_proxy_ip.`),
		}},
		{"external_proxy_ip without external_fqdn", frontend("", wsIntFQDN+wsIntVIP+wsExtVIP), nil, []diag{
			errAt("Missing external web services FQDN", "9:27", "Set external_fqdn."),
		}},
		{"external_vip without external_fqdn", frontend("", wsIntFQDN+wsIntVIP+"      external_vip = \"10.0.0.120\"\n"), nil, []diag{
			errAt("Missing external web services FQDN", "9:22", "external_vip is the inside address of the external web services FQDN. Set external_fqdn."),
		}},
		{"invalid web VIPs", frontend("", wsIntFQDN+"      internal_vip = \"10.0.0.1000\"\n"+wsExtFQDN+"      external_proxy_ip = \"ff02::1\"\n      external_vip = \"10.0.0\"\n"), nil, []diag{
			errAt("Invalid IP address", "8:22", `The internal web services VIP "10.0.0.1000" is not an IPv4 or IPv6 address.`),
			errAt("Invalid IP address", "10:27", `The reverse proxy address "ff02::1" cannot be a host's address.`),
			errAt("Invalid IP address", "11:22", `The external web services VIP "10.0.0" is not an IPv4 or IPv6 address.`),
		}},
		{"private reverse proxy address", frontend("", wsIntFQDN+wsIntVIP+wsExtFQDN+"      external_proxy_ip = \"192.168.21.120\"\n"), nil, []diag{
			warnAt("Private address in the external view", "10:27", `"ext.contoso.com" would resolve on the Internet to 192.168.21.120, a private address (RFC 1918, IPv6 unique local, loopback or link-local) that no client outside can reach. external_proxy_ip is the reverse proxy's public address; the hardware load balancer's VIP inside belongs in external_vip`),
		}},
		{"ULA reverse proxy address", frontend("", wsIntFQDN+wsIntVIP+wsExtFQDN+"      external_proxy_ip = \"fd00::1\"\n"), nil, []diag{
			warnAt("Private address in the external view", "10:27", `to fd00::1, a private address`),
		}},
		{"invalid web FQDNs", frontend("", "      internal_fqdn = \"web_int.contoso.com\"\n"+wsIntVIP+"      external_fqdn = \"ext\"\n"+wsExtVIP), nil, []diag{
			errAt("Invalid FQDN", "7:23", `The internal web services FQDN "web_int.contoso.com" is not a valid FQDN`),
			errAt("Invalid FQDN", "9:23", `The external web services FQDN "ext" is not a valid FQDN: it is a single-label name`),
		}},
	})
	for _, tc := range []struct{ name, src string }{
		{"DNS with override", frontend("", wsIntFQDN+wsIntVIP+wsExtFQDN+wsExtVIP)},
		{"hardware without web_services", frontend("    load_balancing = \"hardware\"\n    vip = \"10.0.0.99\"\n", "-")},
		{"hardware with internal_fqdn equal to the pool FQDN", frontend("    load_balancing = \"hardware\"\n    vip = \"10.0.0.99\"\n", "      internal_fqdn = \"p.contoso.com\"\n"+wsIntVIP)},
		{"edge with DNS needs no override", frontend("    role = \"edge\"\n", "-")},
		{"mediation with DNS needs no override", frontend("    role = \"mediation\"\n", "-")},
	} {
		t.Run("valid/"+tc.name, func(t *testing.T) {
			if _, diags := run(t, tc.src, topology.Options{}); len(diags) != 0 {
				t.Errorf("want no diagnostics, got %v\nsource:\n%s", reduce(diags), lines(tc.src))
			}
		})
	}
}

func TestValidatePoolSize(t *testing.T) {
	active := func(n int) []topology.State { return repeat(topology.StateActive, n) }
	runValidation(t, []validationCase{
		{"sfb2015 13 servers", frontendPool("sfb2015", active(13)...), nil, []diag{
			warnAt("More Front End servers than supported", "5:3", `Pool "p" has 13 servers; sfb2015 supports at most 12 Front End servers per pool.`),
		}},
		{"lync2013 13 servers", frontendPool("lync2013", active(13)...), nil, []diag{
			warnAt("More Front End servers than supported", "5:3", "lync2013 supports at most 12"),
		}},
		{"sfb2015 20 servers", frontendPool("sfb2015", active(20)...), nil, []diag{
			warnAt("More Front End servers than supported", "5:3", "Pool \"p\" has 20 servers"),
		}},
		{"sfb2015 21 servers", frontendPool("sfb2015", active(21)...), nil, []diag{
			errAt("Too many Front End servers", "5:3", "Topology Builder accepts at most 20 Front End servers in a pool, and sfb2015 supports 12."),
		}},
		{"lync2013 21 servers", frontendPool("lync2013", active(21)...), nil, []diag{
			errAt("Too many Front End servers", "5:3", "lync2013 supports 12"),
		}},
		{"sfb2019 17 servers", frontendPool("sfb2019", active(17)...), nil, []diag{
			warnAt("More Front End servers than supported", "5:3", "sfb2019 supports at most 16"),
		}},
		{"sfb2019 21 servers", frontendPool("sfb2019", active(21)...), nil, []diag{
			errAt("Too many Front End servers", "5:3", "sfb2019 supports 16"),
		}},
		{"lync2010 11 servers", frontendPool("lync2010", active(11)...), nil, []diag{
			warnAt("More Front End servers than commonly advised", "5:3", "Microsoft does not state a limit"),
		}},
		{"lync2010 21 servers", frontendPool("lync2010", active(21)...), nil, []diag{
			errAt("Too many Front End servers", "5:3", ""),
		}},
		{"two servers", frontendPool("sfb2015", active(2)...), nil, []diag{
			warnAt("Two-server Front End pool", "5:3", "not recommended"),
		}},
		{"two servers lync2013", frontendPool("lync2013", active(2)...), nil, []diag{
			warnAt("Two-server Front End pool", "5:3", ""),
		}},
		{"two servers sfb2019", frontendPool("sfb2019", active(2)...), nil, []diag{
			errAt("Two-server Front End pool", "5:3", "Skype for Business Server 2019 refuses to publish"),
		}},
		{"no servers", frontendPool("sfb2015"), nil, []diag{
			errAt("Pool without servers", "5:3", `Pool "p" has no server blocks`),
		}},
	})
	for _, tc := range []struct {
		product string
		n       int
	}{
		{"sfb2015", 1}, {"sfb2015", 3}, {"sfb2015", 12}, {"lync2013", 12},
		{"sfb2019", 1}, {"sfb2019", 3}, {"sfb2019", 16}, {"lync2010", 10},
	} {
		t.Run(fmt.Sprintf("valid/%s %d servers", tc.product, tc.n), func(t *testing.T) {
			if _, diags := run(t, frontendPool(tc.product, active(tc.n)...), topology.Options{}); len(diags) != 0 {
				t.Errorf("want no diagnostics, got %v", reduce(diags))
			}
		})
	}
	// Only Front End pools have the Front End limits.
	t.Run("valid/director of 21 servers", func(t *testing.T) {
		src := strings.Replace(frontendPool("sfb2015", active(21)...), `fqdn = "pool.contoso.com"`, "role = \"director\"\n    fqdn = \"pool.contoso.com\"", 1)
		if _, diags := run(t, src, topology.Options{}); len(diags) != 0 {
			t.Errorf("want no diagnostics, got %v", reduce(diags))
		}
	})
}

func TestValidateQuorum(t *testing.T) {
	a, d, o := topology.StateActive, topology.StateDraining, topology.StateOffline
	runValidation(t, []validationCase{
		{"one server draining", frontendPool("sfb2015", d), nil, []diag{
			warnAt("Pool without an active server", stateAt(0), `Pool "p" has one server and it is draining: the pool takes no new connections.`),
		}},
		{"one server offline", frontendPool("sfb2015", o), nil, []diag{
			warnAt("Pool without an active server", stateAt(0), "it is offline"),
		}},
		{"2 servers, none active", frontendPool("sfb2015", d, o), nil, []diag{
			warnAt("Two-server Front End pool", "5:3", ""),
			errAt("Pool below quorum", stateAt(0), `Pool "p" has 2 servers, so at least 1 of its 2 servers must be running for the pool to work; only 0 of them would be active. Not active: s01 (draining), s02 (offline).`),
		}},
		{"3 servers, 1 active", frontendPool("sfb2015", a, d, d), nil, []diag{
			errAt("Pool below quorum", stateAt(1), "at least 2 of its 3 servers must be running"),
		}},
		{"4 servers, 1 active", frontendPool("sfb2015", d, a, o, d), nil, []diag{
			errAt("Pool below quorum", stateAt(0), "at least 2 of its 4 servers must be running for the pool to work; only 1 of them would be active. Not active: s01 (draining), s03 (offline), s04 (draining)."),
		}},
		{"5 servers, 2 active", frontendPool("sfb2015", a, a, d, d, d), nil, []diag{
			errAt("Pool below quorum", stateAt(2), "at least 3 of its 5 servers"),
		}},
		{"6 servers, 2 active", frontendPool("sfb2015", a, d, a, d, d, d), nil, []diag{
			errAt("Pool below quorum", stateAt(1), "at least 3 of its 6 servers"),
		}},
		{"7 servers, 3 active", frontendPool("sfb2015", join(repeat(a, 3), repeat(d, 4))...), nil, []diag{
			errAt("Pool below quorum", stateAt(3), "at least 4 of its 7 servers"),
		}},
		{"8 servers, first 4 draining", frontendPool("sfb2015", join(repeat(d, 4), repeat(a, 4))...), nil, []diag{
			errAt("Pool below quorum", stateAt(0), "at least 4 of its first 7 servers (topology order) must be running for the pool to work; only 3 of them would be active. Not active: s01 (draining), s02 (draining), s03 (draining), s04 (draining)."),
		}},
		{"9 servers, 3 of the first 7 active", frontendPool("sfb2015", join(repeat(a, 3), repeat(o, 4), repeat(a, 2))...), nil, []diag{
			errAt("Pool below quorum", stateAt(3), "at least 4 of its first 7 servers"),
		}},
		{"10 servers, 4 of the first 9 active", frontendPool("sfb2015", join(repeat(d, 5), repeat(a, 5))...), nil, []diag{
			errAt("Pool below quorum", stateAt(0), "at least 5 of its first 9 servers (topology order) must be running for the pool to work; only 4 of them would be active."),
		}},
		{"12 servers, 4 of the first 9 active", frontendPool("sfb2015", join(repeat(a, 4), repeat(d, 5), repeat(a, 3))...), nil, []diag{
			errAt("Pool below quorum", stateAt(4), "at least 5 of its first 9 servers"),
		}},
		{"13 servers sfb2019, 6 of the first 12 active", frontendPool("sfb2019", join(repeat(a, 6), repeat(d, 6), repeat(a, 1))...), nil, []diag{
			errAt("Pool below quorum", stateAt(6), "at least 7 of its first 12 servers (topology order)"),
		}},
		{"16 servers sfb2019, 6 of the first 12 active", frontendPool("sfb2019", join(repeat(o, 6), repeat(a, 10))...), nil, []diag{
			errAt("Pool below quorum", stateAt(0), "at least 7 of its first 12 servers"),
		}},
		// issue 9 item 11: an sfb2019 pool of 12 obeys both rows.
		{"12 servers sfb2019, 5 of the first 9 but 6 of the first 12 active", frontendPool("sfb2019", join(repeat(d, 4), repeat(a, 5), repeat(d, 2), repeat(a, 1))...), nil, []diag{
			errAt("Pool below quorum", stateAt(0), `Pool "p" has 12 servers, so at least 5 of its first 9 servers and 7 of its first 12 servers (topology order) must be running for the pool to work; only 6 of its first 12 would be active. Not active: s01 (draining), s02 (draining), s03 (draining), s04 (draining), s10 (draining), s11 (draining). Draining`),
		}},
		{"12 servers sfb2019, 4 of the first 9 active", frontendPool("sfb2019", join(repeat(d, 5), repeat(a, 7))...), nil, []diag{
			errAt("Pool below quorum", stateAt(0), "only 4 of its first 9 would be active. Not active: s01 (draining), s02 (draining), s03 (draining), s04 (draining), s05 (draining)."),
		}},
		// Lync Server 2010 has no pool quorum: a note when nothing runs.
		{"lync2010, no server active", frontendPool("lync2010", d, o, d), nil, []diag{
			warnAt("Pool without an active server", stateAt(0), `Pool "p" has no active server: it takes no new connections. (Lync Server 2010 has no pool quorum`),
		}},
		{"points at the first explicit non-active state", strings.Replace(frontendPool("sfb2015", a, d, d), `state = "active"`, `state = "active" # explicit`, 1), nil, []diag{
			errAt("Pool below quorum", stateAt(1), ""),
		}},
	})

	passing := []struct {
		name    string
		product string
		states  []topology.State
	}{
		{"1 active", "sfb2015", []topology.State{a}},
		{"2 servers, 1 active", "sfb2015", []topology.State{d, a}},
		{"3 servers, 2 active", "sfb2015", []topology.State{a, d, a}},
		{"4 servers, 2 active", "sfb2015", []topology.State{o, a, d, a}},
		{"5 servers, 3 active", "sfb2015", []topology.State{a, d, a, d, a}},
		{"6 servers, 3 active", "sfb2015", []topology.State{d, d, d, a, a, a}},
		{"7 servers, 4 active", "sfb2015", join(repeat(d, 3), repeat(a, 4))},
		{"8 servers, 4 of the first 7 active", "sfb2015", join(repeat(d, 3), repeat(a, 4), repeat(d, 1))},
		{"9 servers, 4 of the first 7 active", "sfb2015", join(repeat(a, 4), repeat(d, 5))},
		{"10 servers, 5 of the first 9 active", "sfb2015", join(repeat(a, 5), repeat(d, 5))},
		{"10 servers, 5 of the first 9 active, spread", "sfb2015", []topology.State{d, a, d, a, d, a, d, a, a, d}},
		{"12 servers, 5 of the first 9 active", "sfb2015", join(repeat(d, 4), repeat(a, 5), repeat(o, 3))},
		{"13 servers sfb2019, 7 of the first 12 active", "sfb2019", join(repeat(d, 5), repeat(a, 7), repeat(o, 1))},
		{"16 servers sfb2019, 7 of the first 12 active", "sfb2019", join(repeat(a, 7), repeat(d, 9))},
		{"12 servers sfb2015, 5 of the first 9 and 6 of the first 12 active", "sfb2015", join(repeat(d, 4), repeat(a, 5), repeat(d, 2), repeat(a, 1))},
		{"12 servers sfb2019, both rows hold", "sfb2019", join(repeat(d, 2), repeat(a, 7), repeat(d, 3))},
		{"lync2010, 1 of 10 active", "lync2010", join(repeat(d, 9), repeat(a, 1))},
		{"lync2010, 2 servers, 1 active", "lync2010", []topology.State{o, a}},
	}
	for _, tc := range passing {
		t.Run("valid/"+tc.name, func(t *testing.T) {
			_, diags := run(t, frontendPool(tc.product, tc.states...), topology.Options{})
			var got []diag
			for _, g := range reduce(diags) {
				if g.Summary != "Two-server Front End pool" {
					got = append(got, g)
				}
			}
			if len(got) != 0 {
				t.Errorf("want no quorum diagnostics, got %v", got)
			}
		})
	}
}

func TestValidateZoneAssignment(t *testing.T) {
	runValidation(t, []validationCase{
		{"pool FQDN outside every zone", edge("pool.fabrikam.com", "fe01.contoso.com", "10.0.0.1"), nil, []diag{
			errAt("Name outside every zone", "6:12", `"pool.fabrikam.com" needs a record in the internal view, but no declared zone of that view contains it. Zones of that view: "contoso.com".`),
		}},
		{"server FQDN outside every zone", server("fe01.contoso.org"), nil, []diag{
			errAt("Name outside every zone", "8:14", `"fe01.contoso.org" needs a record in the internal view`),
		}},
		{"a zone's name is not a suffix of a label", server("fe01.notcontoso.com"), nil, []diag{
			errAt("Name outside every zone", "8:14", `"fe01.notcontoso.com" needs a record`),
		}},
		{"pool FQDN with two active servers is one problem", strings.Replace(twoServers("s2", "s2.contoso.com", "10.0.0.2"), `"p.contoso.com"`, `"p.fabrikam.com"`, 1), nil, []diag{
			errAt("Name outside every zone", "6:12", `"p.fabrikam.com" needs a record in the internal view`),
		}},
		{"external web FQDN with only an internal zone", strings.Replace(frontend("", wsIntFQDN+wsIntVIP+wsExtFQDN+wsExtVIP), `zone "contoso.com" {}`, `zone "contoso.com" { view = "internal" }`, 1), nil, []diag{
			errAt("Name outside every zone", "9:23", `"ext.contoso.com" needs a record in the external view, but no declared zone of that view contains it. No zone serves that view; add a zone block with view = "external" or "both".`),
		}},
		{"internal names with only an external zone", strings.Replace(frontend("", wsIntFQDN+wsIntVIP), `zone "contoso.com" {}`, `zone "contoso.com" { view = "external" }`, 1), nil, []diag{
			errAt("Name outside every zone", "5:12", `"p.contoso.com" needs a record in the internal view`),
			errAt("Name outside every zone", "7:23", `"web.contoso.com" needs a record in the internal view`),
			errAt("Name outside every zone", "11:14", `"s1.contoso.com" needs a record in the internal view`),
		}},
		{"zones of the view are listed", strings.Replace(frontend("", wsIntFQDN+wsIntVIP+wsExtFQDN+wsExtVIP),
			`zone "contoso.com" {}`, `zone "contoso.com" { view = "internal" }`+"\n"+`zone "fabrikam.com" { view = "external" }`, 1), nil, []diag{
			errAt("Name outside every zone", "10:23", `"ext.contoso.com" needs a record in the external view, but no declared zone of that view contains it. Zones of that view: "fabrikam.com".`),
		}},
	})
}
