package topology_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/topology"
)

// pairs is three Front End pools, a (site one), b (site two) and c (site
// two), plus a Standard Edition server se (site two) and a Director d
// (site one), with the backup_pool attributes given per pool ("" for
// none).
func pairs(a, b, c, se string) string {
	attr := func(v string) string {
		if v == "" {
			return ""
		}
		return "    backup_pool = \"" + v + "\"\n"
	}
	pool := func(name, attrs string, n int) string {
		return `  pool "` + name + `" {
    fqdn = "` + name + `.contoso.com"
` + attrs + `    web_services {
      internal_fqdn = "web-` + name + `.contoso.com"
      internal_vip  = "10.0.` + string(rune('0'+n)) + `.100"
    }
    server "` + name + `1" {
      fqdn = "` + name + `1.contoso.com"
      ip   = "10.0.` + string(rune('0'+n)) + `.1"
    }
  }
`
	}
	return `name = "t"
zone "contoso.com" {}
site "one" {
` + pool("a", attr(a), 1) + `  pool "d" {
    role = "director"
    fqdn = "d.contoso.com"
    server "d1" {
      ip = "10.0.9.1"
    }
  }
}
site "two" {
` + pool("b", attr(b), 2) + pool("c", attr(c), 3) + `  pool "se" {
    edition = "standard"
    fqdn    = "se.contoso.com"
` + attr(se) + `    server "se" {
      ip = "10.0.4.1"
    }
  }
}
`
}

// TestValidatePairing: issue 9 item 10, backup_pool.
func TestValidatePairing(t *testing.T) {
	type tc struct {
		name string
		src  string
		want func(src string) []diag
	}
	cases := []tc{
		{"unknown backup pool", pairs("x.contoso.com", "", "", ""), func(src string) []diag {
			return []diag{errAt("Unknown pool", posOf(t, src, `"x.contoso.com"`), "backup_pool names the FQDN of the Front End pool this one is paired with")}
		}},
		{"paired with itself", pairs("a.contoso.com", "", "", ""), func(src string) []diag {
			return []diag{errAt("Pool paired with itself", posOf(t, src, `"a.contoso.com"`+"\n    web"), "")}
		}},
		{"paired with a Director", pairs("d.contoso.com", "", "", ""), func(src string) []diag {
			return []diag{errAt("Backup pool is not a Front End pool", posOf(t, src, `"d.contoso.com"`+"\n"), `Pool "d" is a director pool`)}
		}},
		{"paired in one site", pairs("", "c.contoso.com", "", ""), func(src string) []diag {
			return []diag{warnAt("Backup pool in the same site", posOf(t, src, `"c.contoso.com"`+"\n"), `Pool "b" and its backup pool "c" are both in site "two": a disaster that takes the site takes both.`)}
		}},
		{"editions differ", pairs("se.contoso.com", "", "", ""), func(src string) []diag {
			return []diag{warnAt("Pools of different editions paired", posOf(t, src, `"se.contoso.com"`+"\n    web"), `Pool "a" is an Enterprise Edition pool and pool "se" is a Standard Edition server.`)}
		}},
		{"two pools name one backup", strings.Replace(pairs("b.contoso.com", "", "", ""), "  pool \"d\" {\n    role", "  pool \"e\" {\n    fqdn = \"e.contoso.com\"\n    backup_pool = \"b.contoso.com\"\n    web_services {\n      internal_fqdn = \"web-e.contoso.com\"\n      internal_vip  = \"10.0.5.100\"\n    }\n    server \"e1\" {\n      fqdn = \"e1.contoso.com\"\n      ip   = \"10.0.5.1\"\n    }\n  }\n  pool \"d\" {\n    role", 1), func(src string) []diag {
			return []diag{errAt("Pool paired twice", posOf(t, src, "\"b.contoso.com\"\n    web_services {\n      internal_fqdn = \"web-e"), `Pool "b" is already the backup pool of pool "a" (t.hcl:`)}
		}},
		{"pairs that disagree", pairs("b.contoso.com", "c.contoso.com", "", ""), func(src string) []diag {
			return []diag{
				warnAt("Backup pool in the same site", posOf(t, src, `"c.contoso.com"`+"\n"), ""),
				errAt("Pool paired twice", posOf(t, src, `"c.contoso.com"`+"\n"), `Pool "b" is already paired with pool "a"`),
			}
		}},
		{"backup pool on a Director", strings.Replace(pairs("", "", "", ""), "    role = \"director\"\n", "    role = \"director\"\n    backup_pool = \"b.contoso.com\"\n", 1), func(src string) []diag {
			return []diag{errAt("Backup pool on a pool that is not a Front End pool", posOf(t, src, `"b.contoso.com"`+"\n    fqdn"), "Pool \"d\" is a director pool")}
		}},
	}
	var vcs []validationCase
	for _, c := range cases {
		vcs = append(vcs, validationCase{name: c.name, src: c.src, want: c.want(c.src)})
	}
	runValidation(t, vcs)

	for _, c := range []struct {
		name string
		src  string
		want []topology.Pairing
	}{
		{"one side names the other", pairs("b.contoso.com", "", "", ""), []topology.Pairing{{Pool: "site.one.pool.a", PoolFQDN: "a.contoso.com", Backup: "site.two.pool.b", BackupFQDN: "b.contoso.com"}}},
		{"both sides name each other", pairs("b.contoso.com", "a.contoso.com", "", ""), []topology.Pairing{{Pool: "site.one.pool.a", PoolFQDN: "a.contoso.com", Backup: "site.two.pool.b", BackupFQDN: "b.contoso.com"}}},
		{"named from the other side", pairs("", "a.contoso.com", "", ""), []topology.Pairing{{Pool: "site.one.pool.a", PoolFQDN: "a.contoso.com", Backup: "site.two.pool.b", BackupFQDN: "b.contoso.com"}}},
		{"none", pairs("", "", "", ""), nil},
	} {
		t.Run("valid/"+c.name, func(t *testing.T) {
			d, diags := run(t, c.src, topology.Options{})
			if len(diags) != 0 {
				t.Fatalf("want no diagnostics, got %v\n%s", reduce(diags), lines(c.src))
			}
			if diff := cmp.Diff(c.want, d.Pairings); diff != "" {
				t.Errorf("pairings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOfficeOnline: issue 9 item 7, an Office Web Apps / Office Online
// Server farm: its VIP inside, the reverse proxy outside.
func TestOfficeOnline(t *testing.T) {
	farm := func(body string) string {
		return `name = "t"
zone "contoso.com" { view = "internal" }
zone "contoso.com" { view = "external" }
site "s" {
  office_online_server "owa" {
` + body + `  }
}
`
	}
	const path = "site.s.office_online_server.owa"
	for _, c := range []struct {
		name string
		body string
		want []placedRecord
	}{
		{"internal and external", "    fqdn              = \"owa.contoso.com\"\n    vip               = \"192.168.1.5\"\n    external_proxy_ip = \"131.107.155.1\"\n", []placedRecord{
			{"external", "owa.contoso.com", "A", "131.107.155.1", path + ".external"},
			{"internal", "owa.contoso.com", "A", "192.168.1.5", path},
		}},
		{"internal only", "    fqdn = \"owa.contoso.com\"\n    vip  = \"192.168.1.5\"\n", []placedRecord{
			{"internal", "owa.contoso.com", "A", "192.168.1.5", path},
		}},
		{"an external name of its own", "    fqdn              = \"owa-int.contoso.com\"\n    vip               = \"192.168.1.5\"\n    external_fqdn     = \"owa.contoso.com\"\n    external_proxy_ip = \"131.107.155.1\"\n", []placedRecord{
			{"external", "owa.contoso.com", "A", "131.107.155.1", path + ".external"},
			{"internal", "owa-int.contoso.com", "A", "192.168.1.5", path},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := farm(c.body)
			d, diags := run(t, src, topology.Options{})
			if len(diags) != 0 {
				t.Fatalf("want no diagnostics, got %v\n%s", reduce(diags), lines(src))
			}
			if diff := cmp.Diff(c.want, placedRecords(d)); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
		})
	}
	type tc struct {
		name, body string
		want       func(src string) []diag
	}
	var vcs []validationCase
	for _, c := range []tc{
		{"external FQDN without the reverse proxy", "    fqdn          = \"owa-int.contoso.com\"\n    vip           = \"192.168.1.5\"\n    external_fqdn = \"owa.contoso.com\"\n", func(src string) []diag {
			return []diag{errAt("Missing reverse proxy address", posOf(t, src, `"owa.contoso.com"`), "Set external_proxy_ip.")}
		}},
		{"private reverse proxy address", "    fqdn              = \"owa.contoso.com\"\n    vip               = \"192.168.1.5\"\n    external_proxy_ip = \"192.168.1.6\"\n", func(src string) []diag {
			return []diag{warnAt("Private address in the external view", posOf(t, src, `"192.168.1.6"`), "the farm's VIP inside is vip.")}
		}},
		{"invalid VIP", "    fqdn = \"owa.contoso.com\"\n    vip  = \"192.168.1\"\n", func(src string) []diag {
			return []diag{errAt("Invalid IP address", posOf(t, src, `"192.168.1"`), `The Office Online Server VIP "192.168.1" is not an IPv4 or IPv6 address.`)}
		}},
		{"missing vip", "    fqdn = \"owa.contoso.com\"\n", func(src string) []diag {
			return []diag{errAt("Missing required argument", posOf(t, src, "{\n    fqdn"), `The argument "vip" is required`)}
		}},
	} {
		src := farm(c.body)
		vcs = append(vcs, validationCase{name: c.name, src: src, want: c.want(src)})
	}
	runValidation(t, vcs)
}
