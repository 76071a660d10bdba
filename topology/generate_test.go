package topology_test

import (
	"fmt"
	"strings"
)

// generate returns a topology of pools Front End pools with DNS load
// balancing, servers servers each, spread over sites of 10 pools, in an
// internal and an external zone that hold every record: per pool 2*servers
// records (pool FQDN and each server's own) plus two web services records.
// Addresses come from 10.0.0.0/8 and 2001:db8::/32 so any size is unique.
func generate(pools, servers int) []byte {
	var b strings.Builder
	b.Grow(pools * (servers*110 + 500))
	b.WriteString(`name    = "bench"
product = "sfb2019"

zone "contoso.com" {
  view = "internal"
  ttl  = 300
}

zone "contoso.com" {
  view = "external"
  ttl  = 300
}
`)
	for p := range pools {
		if p%10 == 0 {
			if p > 0 {
				b.WriteString("}\n")
			}
			fmt.Fprintf(&b, "\nsite \"site%04d\" {\n", p/10)
		}
		fmt.Fprintf(&b, `  pool "pool%05d" {
    fqdn = "pool%05d.contoso.com"

    web_services {
      internal_fqdn = "webint%05d.contoso.com"
      internal_vip  = "10.%d.%d.250"
      external_fqdn = "webext%05d.contoso.com"
      external_proxy_ip = "2001:db8:%x::fe"
    }
`, p, p, p, 1+p/256, p%256, p, p)
		for s := range servers {
			state := ""
			if s == servers-1 && servers > 2 {
				state = "\n      state = \"draining\""
			}
			fmt.Fprintf(&b, `
    server "fe%02d" {
      fqdn = "p%05d-fe%02d.contoso.com"
      ip   = "10.%d.%d.%d"%s
    }
`, s+1, p, s+1, 1+p/256, p%256, s+1, state)
		}
		b.WriteString("  }\n")
	}
	if pools > 0 {
		b.WriteString("}\n")
	}
	return []byte(b.String())
}
