package topology_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/topology"
)

// edgeTopology is an Edge pool e (internal FQDN edgepool-int.contoso.com)
// in split internal and external contoso.com zones, with the pool-level
// attributes, the pool's edge block body ("-" for none) and the servers
// given (each a full server block).
func edgeTopology(poolAttrs, edgeBody string, servers ...string) string {
	var b strings.Builder
	b.WriteString(`name = "t"
zone "contoso.com" { view = "internal" }
zone "contoso.com" { view = "external" }
site "s" {
  pool "e" {
    role = "edge"
    fqdn = "edgepool-int.contoso.com"
`)
	b.WriteString(poolAttrs)
	if edgeBody != "-" {
		b.WriteString("    edge {\n" + edgeBody + "    }\n")
	}
	for _, s := range servers {
		b.WriteString(s)
	}
	b.WriteString("  }\n}\n")
	return b.String()
}

// edgeServer is an Edge server block: name n, internal address
// 172.25.33.1n, and its edge block body ("-" for none).
func edgeServer(n int, state, edgeBody string) string {
	s := fmt.Sprintf("    server \"e%d\" {\n      fqdn = \"e%d.contoso.com\"\n      ip   = \"172.25.33.%d\"\n", n, n, 10+n)
	if state != "" {
		s += fmt.Sprintf("      state = %q\n", state)
	}
	if edgeBody != "-" {
		s += "      edge {\n" + edgeBody + "      }\n"
	}
	return s + "    }\n"
}

// threeIPs is the edge block of Edge server n with one public address per
// service, as the Edge environment tables number them (131.107.155.1n,
// .2n, .3n), and NAT's public address for each when nat is set (the
// private side 10.45.16.1n, ...).
func threeIPs(n int, nat bool) string {
	if nat {
		return fmt.Sprintf("        access_ip         = \"10.45.16.1%d\"\n        access_public_ip  = \"131.107.155.1%d\"\n        webconf_ip        = \"10.45.16.2%d\"\n        webconf_public_ip = \"131.107.155.2%d\"\n        av_ip             = \"10.45.16.3%d\"\n        av_public_ip      = \"131.107.155.3%d\"\n", n, n, n, n, n, n)
	}
	return fmt.Sprintf("        access_ip  = \"131.107.155.1%d\"\n        webconf_ip = \"131.107.155.2%d\"\n        av_ip      = \"131.107.155.3%d\"\n", n, n, n)
}

const threeFQDNs = "      access_fqdn  = \"sip.contoso.com\"\n      webconf_fqdn = \"webcon.contoso.com\"\n      av_fqdn      = \"av.contoso.com\"\n"

// posOf is where needle first starts in src, as line:col: tests name the
// attribute value a diagnostic must point at by its text.
func posOf(t *testing.T, src, needle string) string {
	t.Helper()
	i := strings.Index(src, needle)
	if i < 0 {
		t.Fatalf("%q is not in the source", needle)
	}
	line := 1 + strings.Count(src[:i], "\n")
	col := i - strings.LastIndex(src[:i], "\n")
	return fmt.Sprintf("%d:%d", line, col)
}

// TestValidateEdge: issue 9 item 1, every rule of an Edge pool's external
// interface.
func TestValidateEdge(t *testing.T) {
	hw := "    load_balancing = \"hardware\"\n    vip            = \"172.25.33.100\"\n"
	vips := "      access_vip   = \"131.107.155.100\"\n      webconf_vip  = \"131.107.155.101\"\n      av_vip       = \"131.107.155.102\"\n"
	type tc struct {
		name string
		src  string
		want func(src string) []diag
	}
	cases := []tc{
		{"webconf without av", edgeTopology("", "      access_fqdn  = \"sip.contoso.com\"\n      webconf_fqdn = \"webcon.contoso.com\"\n", edgeServer(1, "", "        access_ip  = \"131.107.155.11\"\n        webconf_ip = \"131.107.155.21\"\n")), func(src string) []diag {
			return []diag{errAt("Web Conferencing and A/V Edge FQDNs go together", posOf(t, src, `"webcon.contoso.com"`), "Set av_fqdn too, or remove webconf_fqdn.")}
		}},
		{"server addresses without the Access Edge FQDN", edgeTopology("", "-", edgeServer(1, "", "        access_ip = \"131.107.155.11\"\n")), func(src string) []diag {
			return []diag{errAt("Missing Access Edge FQDN", "5:3", `Pool "e" describes its external interface but not the FQDN`)}
		}},
		{"Web Conferencing address without its FQDN", edgeTopology("", "      access_fqdn = \"sip.contoso.com\"\n", edgeServer(1, "", "        access_ip  = \"131.107.155.11\"\n        webconf_ip = \"131.107.155.21\"\n")), func(src string) []diag {
			return []diag{errAt("Edge address without its FQDN", posOf(t, src, `"131.107.155.21"`), "share the Access Edge FQDN and access_ip")}
		}},
		{"missing A/V address with DNS load balancing", edgeTopology("", threeFQDNs, edgeServer(1, "", "        access_ip  = \"131.107.155.11\"\n        webconf_ip = \"131.107.155.21\"\n")), func(src string) []diag {
			return []diag{errAt("Missing Edge address", posOf(t, src, "edge {\n        access_ip"), `the A/V Edge FQDN "av.contoso.com" has one address record per Edge server: set av_ip in the edge block of server "e1".`)}
		}},
		{"missing edge block on a server", edgeTopology("", "      access_fqdn = \"sip.contoso.com\"\n", edgeServer(1, "", "        access_ip = \"131.107.155.11\"\n"), edgeServer(2, "", "-")), func(src string) []diag {
			return []diag{errAt("Missing Edge address", posOf(t, src, `server "e2"`), "set access_ip")}
		}},
		{"VIP with DNS load balancing", edgeTopology("", threeFQDNs+"      access_vip   = \"131.107.155.100\"\n", edgeServer(1, "", threeIPs(1, false))), func(src string) []diag {
			return []diag{errAt("VIP with DNS load balancing", posOf(t, src, `"131.107.155.100"`), "access_vip is a hardware load balancer's")}
		}},
		{"hardware load balancing without the VIPs", edgeTopology(hw, threeFQDNs+"      external_load_balancing = \"hardware\"\n", edgeServer(1, "", threeIPs(1, false)), edgeServer(2, "", threeIPs(2, false))), func(src string) []diag {
			return []diag{
				errAt("Hardware load balancing needs the Edge VIP", posOf(t, src, `"sip.contoso.com"`), `the Access Edge FQDN "sip.contoso.com" resolves to the load balancer's VIP`),
				errAt("Hardware load balancing needs the Edge VIP", posOf(t, src, `"webcon.contoso.com"`), "Set webconf_vip"),
				errAt("Hardware load balancing needs the Edge VIP", posOf(t, src, `"av.contoso.com"`), "Set av_vip"),
			}
		}},
		{"NAT with hardware load balancing", edgeTopology(hw, threeFQDNs+vips, edgeServer(1, "", threeIPs(1, true)), edgeServer(2, "", threeIPs(2, false))), func(src string) []diag {
			return []diag{
				errAt("NAT with hardware load balancing", posOf(t, src, `"131.107.155.11"`), "NAT is supported on a scaled consolidated Edge only with DNS load balancing"),
				errAt("NAT with hardware load balancing", posOf(t, src, `"131.107.155.21"`), ""),
				errAt("NAT with hardware load balancing", posOf(t, src, `"131.107.155.31"`), ""),
			}
		}},
		{"NAT on some interfaces only", edgeTopology("", threeFQDNs, edgeServer(1, "", threeIPs(1, true)), edgeServer(2, "", threeIPs(2, false))), func(src string) []diag {
			return []diag{errAt("NAT on some Edge interfaces only", posOf(t, src, `"131.107.155.12"`), `Pool "e" has external interfaces behind NAT (t.hcl:`)}
		}},
		{"NAT public address without the interface address", edgeTopology("", "      access_fqdn = \"sip.contoso.com\"\n", edgeServer(1, "", "        access_public_ip = \"131.107.155.11\"\n")), func(src string) []diag {
			return []diag{errAt("NAT public address without the interface address", posOf(t, src, `"131.107.155.11"`), "set access_ip, the address the interface itself has")}
		}},
		{"two interfaces with one address", edgeTopology("", "      access_fqdn = \"sip.contoso.com\"\n", edgeServer(1, "", "        access_ip = \"131.107.155.11\"\n"), edgeServer(2, "", "        access_ip = \"131.107.155.11\"\n")), func(src string) []diag {
			return []diag{errAt("Duplicate IP address", posOf(t, src, "\"131.107.155.11\"\n      }\n    }\n  }"), "131.107.155.11 is already the address of server e1's Access Edge address at t.hcl:")}
		}},
		{"an external address equal to a server's internal one", edgeTopology("", "      access_fqdn = \"sip.contoso.com\"\n", edgeServer(1, "", "        access_ip = \"172.25.33.11\"\n")), func(src string) []diag {
			return []diag{errAt("Duplicate IP address", posOf(t, src, "\"172.25.33.11\"\n      }"), "already the address of server e1")}
		}},
		{"private address without NAT", edgeTopology("", "      access_fqdn = \"sip.contoso.com\"\n", edgeServer(1, "", "        access_ip = \"10.45.16.11\"\n")), func(src string) []diag {
			return []diag{warnAt("Private address in the external view", posOf(t, src, `"10.45.16.11"`), `"sip.contoso.com" would resolve on the Internet to 10.45.16.11, a private address (RFC 1918, IPv6 unique local, loopback or link-local) that no client outside can reach. Behind NAT, set access_public_ip to the public address NAT maps to it.`)}
		}},
		{"private hardware load balancer VIP", edgeTopology(hw, "      access_fqdn = \"sip.contoso.com\"\n      access_vip  = \"172.25.34.100\"\n", edgeServer(1, "", "        access_ip = \"131.107.155.11\"\n"), edgeServer(2, "", "        access_ip = \"131.107.155.12\"\n")), func(src string) []diag {
			return []diag{warnAt("Private address in the external view", posOf(t, src, `"172.25.34.100"`), "access_vip is the external load balancer's public VIP")}
		}},
		{"Access Edge FQDN taken by a server", edgeTopology("", "      access_fqdn = \"E1.contoso.com\"\n", edgeServer(1, "", "        access_ip = \"131.107.155.11\"\n")), func(src string) []diag {
			return []diag{errAt("Duplicate FQDN", posOf(t, src, `"E1.contoso.com"`), `"E1.contoso.com" is already used by server e1 at t.hcl:`)}
		}},
		{"invalid Access Edge FQDN", edgeTopology("", "      access_fqdn = \"sip_contoso.com\"\n", edgeServer(1, "", "        access_ip = \"131.107.155.11\"\n")), func(src string) []diag {
			return []diag{errAt("Invalid FQDN", posOf(t, src, `"sip_contoso.com"`), `The Access Edge FQDN "sip_contoso.com" is not a valid FQDN`)}
		}},
		{"edge block on a Front End server", strings.Replace(frontend("", wsIntFQDN+wsIntVIP), "      ip   = \"10.0.0.1\"\n", "      ip   = \"10.0.0.1\"\n      edge {\n        access_ip = \"131.107.155.11\"\n      }\n", 1), func(src string) []diag {
			return []diag{errAt("Edge interfaces on a server outside an Edge pool", posOf(t, src, "edge {"), `Server "s1" is in pool "p", a frontend pool`)}
		}},
		{"13 Edge servers", edgeTopology("", "-", edgeServers(13)...), func(string) []diag {
			return []diag{warnAt("More Edge servers than supported", "5:3", `Pool "e" has 13 Edge servers; a single Edge pool supports up to 12.`)}
		}},
		{"21 Edge servers", edgeTopology("", "-", edgeServers(21)...), func(string) []diag {
			return []diag{errAt("Too many Edge servers", "5:3", "Topology Builder accepts at most 20 in an Edge pool, and 12 are supported")}
		}},
	}
	var vcs []validationCase
	for _, c := range cases {
		vcs = append(vcs, validationCase{name: c.name, src: c.src, want: c.want(c.src)})
	}
	runValidation(t, vcs)

	for _, c := range []struct{ name, src string }{
		{"internal side only", edgeTopology("", "-", edgeServer(1, "", "-"), edgeServer(2, "", "-"))},
		{"three addresses per server", edgeTopology("", threeFQDNs, edgeServer(1, "", threeIPs(1, false)), edgeServer(2, "", threeIPs(2, false)))},
		{"NAT on every interface", edgeTopology("", threeFQDNs, edgeServer(1, "", threeIPs(1, true)), edgeServer(2, "", threeIPs(2, true)))},
		{"one address for all three services", edgeTopology("", "      access_fqdn = \"sip.contoso.com\"\n", edgeServer(1, "", "        access_ip = \"131.107.155.11\"\n"), edgeServer(2, "", "        access_ip = \"131.107.155.12\"\n"))},
		{"hardware load balancing", edgeTopology("    load_balancing = \"hardware\"\n    vip            = \"172.25.33.100\"\n", threeFQDNs+vips+"      external_load_balancing = \"hardware\"\n", edgeServer(1, "", threeIPs(1, false)), edgeServer(2, "", threeIPs(2, false)))},
		{"a single Edge server behind NAT", edgeTopology("", "      access_fqdn = \"sip.contoso.com\"\n", strings.Replace(edgeServer(1, "", "        access_ip        = \"10.45.16.11\"\n        access_public_ip = \"131.107.155.11\"\n"), "      fqdn = \"e1.contoso.com\"\n", "", 1))},
		{"12 Edge servers", edgeTopology("", "-", edgeServers(12)...)},
	} {
		t.Run("valid/"+c.name, func(t *testing.T) {
			if _, diags := run(t, c.src, topology.Options{}); len(diags) != 0 {
				t.Errorf("want no diagnostics, got %v\nsource:\n%s", reduce(diags), lines(c.src))
			}
		})
	}
}

func edgeServers(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = edgeServer(i+1, "", "-")
	}
	return out
}

// TestCompileEdge: with DNS load balancing each external FQDN has one A
// record per active Edge server (the NAT public address where given), in
// the external view; with hardware load balancing one per VIP; the
// internal side is the pool FQDN's DNS load balancing as for every pool.
func TestCompileEdge(t *testing.T) {
	const pool = "site.s.pool.e"
	hw := "    load_balancing = \"hardware\"\n    vip            = \"172.25.33.100\"\n"
	vips := "      access_vip   = \"131.107.155.100\"\n      webconf_vip  = \"131.107.155.101\"\n      av_vip       = \"131.107.155.102\"\n      external_load_balancing = \"hardware\"\n"
	internal := func(servers ...int) []placedRecord {
		var out []placedRecord
		for _, n := range servers {
			out = append(out, placedRecord{"internal", fmt.Sprintf("e%d.contoso.com", n), "A", fmt.Sprintf("172.25.33.%d", 10+n), fmt.Sprintf("%s.server.e%d", pool, n)})
		}
		for _, n := range servers {
			out = append(out, placedRecord{"internal", "edgepool-int.contoso.com", "A", fmt.Sprintf("172.25.33.%d", 10+n), fmt.Sprintf("%s.server.e%d", pool, n)})
		}
		return out
	}
	ext := func(name, addr, source string) placedRecord { return placedRecord{"external", name, "A", addr, source} }
	for _, tc := range []struct {
		name string
		src  string
		want []placedRecord
	}{
		{"DNS load balancing, three addresses", edgeTopology("", threeFQDNs, edgeServer(1, "", threeIPs(1, false)), edgeServer(2, "", threeIPs(2, false))), append([]placedRecord{
			ext("av.contoso.com", "131.107.155.31", pool+".server.e1.edge.av"),
			ext("av.contoso.com", "131.107.155.32", pool+".server.e2.edge.av"),
			ext("sip.contoso.com", "131.107.155.11", pool+".server.e1.edge.access"),
			ext("sip.contoso.com", "131.107.155.12", pool+".server.e2.edge.access"),
			ext("webcon.contoso.com", "131.107.155.21", pool+".server.e1.edge.webconf"),
			ext("webcon.contoso.com", "131.107.155.22", pool+".server.e2.edge.webconf"),
		}, internal(1, 2)...)},
		{"DNS load balancing behind NAT: the public addresses", edgeTopology("", threeFQDNs, edgeServer(1, "", threeIPs(1, true)), edgeServer(2, "", threeIPs(2, true))), append([]placedRecord{
			ext("av.contoso.com", "131.107.155.31", pool+".server.e1.edge.av"),
			ext("av.contoso.com", "131.107.155.32", pool+".server.e2.edge.av"),
			ext("sip.contoso.com", "131.107.155.11", pool+".server.e1.edge.access"),
			ext("sip.contoso.com", "131.107.155.12", pool+".server.e2.edge.access"),
			ext("webcon.contoso.com", "131.107.155.21", pool+".server.e1.edge.webconf"),
			ext("webcon.contoso.com", "131.107.155.22", pool+".server.e2.edge.webconf"),
		}, internal(1, 2)...)},
		{"a draining Edge server leaves every pool FQDN", edgeTopology("", "      access_fqdn = \"access.contoso.com\"\n", edgeServer(1, "", "        access_ip = \"131.107.155.11\"\n"), edgeServer(2, "draining", "        access_ip = \"131.107.155.12\"\n")), []placedRecord{
			ext("access.contoso.com", "131.107.155.11", pool+".server.e1.edge.access"),
			{"internal", "e1.contoso.com", "A", "172.25.33.11", pool + ".server.e1"},
			{"internal", "e2.contoso.com", "A", "172.25.33.12", pool + ".server.e2"},
			{"internal", "edgepool-int.contoso.com", "A", "172.25.33.11", pool + ".server.e1"},
		}},
		{"hardware load balancing: one A record per VIP", edgeTopology(hw, threeFQDNs+vips, edgeServer(1, "", threeIPs(1, false)), edgeServer(2, "", threeIPs(2, false))), []placedRecord{
			ext("av.contoso.com", "131.107.155.102", pool+".edge.av"),
			ext("sip.contoso.com", "131.107.155.100", pool+".edge.access"),
			ext("webcon.contoso.com", "131.107.155.101", pool+".edge.webconf"),
			{"internal", "e1.contoso.com", "A", "172.25.33.11", pool + ".server.e1"},
			{"internal", "e2.contoso.com", "A", "172.25.33.12", pool + ".server.e2"},
			{"internal", "edgepool-int.contoso.com", "A", "172.25.33.100", pool},
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
