package enginetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/topo-dns/topo/topology"
)

// BigTopology writes a topology of pools Front End pools of 12 servers in
// one exclusive zone: about 25 records a pool (a pool FQDN with 12
// addresses, 12 server names, a web services override), so 1,000 pools
// make about 25,000 records on 14,000 names. Benchmarks of every provider
// use it.
func BigTopology(zone string, pools int) string {
	var b strings.Builder
	b.Grow(pools * 1400)
	fmt.Fprintf(&b, "name = \"bench\"\nzone %q {\n  ownership = \"exclusive\"\n}\nsite \"s\" {\n", zone)
	for p := range pools {
		fmt.Fprintf(&b, "  pool \"p%d\" {\n    fqdn = \"p%d.%s\"\n    web_services {\n      internal_fqdn = \"w%d.%s\"\n      internal_vip  = \"10.200.%d.%d\"\n    }\n", p, p, zone, p, zone, p/250, p%250)
		for s := range 12 {
			fmt.Fprintf(&b, "    server \"s%d\" {\n      fqdn = \"s%d-%d.%s\"\n      ip   = \"10.%d.%d.%d\"\n    }\n", s, p, s, zone, p/250, p%250, s+1)
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// MustCompile parses and compiles a topology, failing tb on any error.
func MustCompile(tb testing.TB, src string) *topology.Desired {
	tb.Helper()
	top, diags := topology.Parse([]byte(src), "bench.hcl", topology.Options{})
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	d, diags := topology.Compile(top.File)
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	return d
}
