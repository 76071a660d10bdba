package topology_test

import (
	"encoding/json"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/topo-dns/topo/topology"
)

// compileSrc exercises every case of DESIGN.md's "What compile produces".
const compileSrc = `name    = "t"
product = "sfb2015"

zone "contoso.com" {
  view  = "internal"
  ttl   = 600
  adopt = "never"
}

zone "contoso.com" {
  view       = "external"
  ttl        = 120
  ownership  = "exclusive"
  max_change = 0.5
}

# Longest suffix wins: the pool FQDN lands here, not in contoso.com.
zone "lync.contoso.com" {
  view = "internal"
}

# Declared, holds nothing: still compiled, so a plan can empty it.
zone "empty.contoso.com" {
  view = "both"
}

site "redmond" {
  pool "pool01" {
    fqdn = "pool01.lync.contoso.com"
    ttl  = 60

    web_services {
      internal_fqdn = "WebInt.contoso.com."
      internal_vip  = "10.0.1.100"
      external_fqdn = "webext.contoso.com"
      external_proxy_ip = "203.0.113.10"
    }

    server "fe01" {
      fqdn = "FE01.contoso.com"
      ip   = "10.0.1.11"
    }

    server "fe02" {
      fqdn  = "fe02.contoso.com"
      ip    = "10.0.1.12"
      state = "draining"
    }

    server "fe03" {
      fqdn  = "fe03.contoso.com"
      ip    = "10.0.1.13"
      state = "offline"
    }

    server "fe04" {
      fqdn = "fe04.contoso.com"
      ip   = "2001:DB8::14"
    }
  }

  pool "hlb" {
    fqdn           = "hlb.contoso.com"
    load_balancing = "hardware"
    vip            = "10.0.2.100"

    server "a" {
      fqdn = "hlb-a.contoso.com"
      ip   = "10.0.2.11"
    }

    server "b" {
      fqdn  = "hlb-b.contoso.com"
      ip    = "10.0.2.12"
      state = "draining"
    }

    server "c" {
      fqdn  = "hlb-c.contoso.com"
      ip    = "10.0.2.13"
      state = "offline"
    }

    server "d" {
      fqdn = "hlb-d.contoso.com"
      ip   = "::ffff:10.0.2.14"
    }
  }

  pool "edge" {
    role = "edge"
    fqdn = "edge-int.contoso.com"

    server "e1" {
      fqdn = "e1.contoso.com"
      ip   = "10.0.3.11"
    }
  }
}
`

// equateAddr compares addresses by value (netip.Addr's fields are
// unexported).
var equateAddr = cmpopts.EquateComparable(netip.Addr{})

func TestCompile(t *testing.T) {
	d, diags := run(t, compileSrc, topology.Options{})
	if len(diags) != 0 {
		t.Fatalf("want no diagnostics, got %v", reduce(diags))
	}
	const (
		pool01 = "site.redmond.pool.pool01"
		hlb    = "site.redmond.pool.hlb"
		edge   = "site.redmond.pool.edge"
	)
	rec := func(name, typ string, ttl uint32, value, source string) topology.Record {
		r := topology.Record{Name: name, Type: typ, TTL: ttl, Value: value, Source: source}
		if typ == "A" || typ == "AAAA" {
			r.Addr = netip.MustParseAddr(value)
		}
		return r
	}
	want := &topology.Desired{
		Topology: "t",
		Product:  "sfb2015",
		Zones: []*topology.ZoneRecords{
			{
				Zone: "contoso.com", View: "external", Provider: "zonefile.default", Ownership: "exclusive", TTL: 120, MaxChange: 0.5,
				Records: []topology.Record{
					// The pool's TTL overrides the zone's for every record
					// the pool makes.
					rec("webext.contoso.com", "A", 60, "203.0.113.10", pool01+".web_services.external"),
				},
			},
			{
				Zone: "contoso.com", View: "internal", Provider: "zonefile.default", Ownership: "shared", TTL: 600, Adopt: "never",
				Records: []topology.Record{
					rec("e1.contoso.com", "A", 600, "10.0.3.11", edge+".server.e1"),
					rec("edge-int.contoso.com", "A", 600, "10.0.3.11", edge+".server.e1"),
					// Active and draining servers keep their own name;
					// offline fe03 has none.
					rec("fe01.contoso.com", "A", 60, "10.0.1.11", pool01+".server.fe01"),
					rec("fe02.contoso.com", "A", 60, "10.0.1.12", pool01+".server.fe02"),
					rec("fe04.contoso.com", "AAAA", 60, "2001:db8::14", pool01+".server.fe04"),
					rec("hlb-a.contoso.com", "A", 600, "10.0.2.11", hlb+".server.a"),
					rec("hlb-b.contoso.com", "A", 600, "10.0.2.12", hlb+".server.b"),
					rec("hlb-d.contoso.com", "A", 600, "10.0.2.14", hlb+".server.d"),
					// Hardware load balancing: the pool FQDN is the VIP.
					rec("hlb.contoso.com", "A", 600, "10.0.2.100", hlb),
					rec("webint.contoso.com", "A", 60, "10.0.1.100", pool01+".web_services.internal"),
				},
			},
			{Zone: "empty.contoso.com", View: "both", Provider: "zonefile.default", Ownership: "shared", TTL: 300},
			{
				Zone: "lync.contoso.com", View: "internal", Provider: "zonefile.default", Ownership: "shared", TTL: 300,
				Records: []topology.Record{
					// DNS load balancing: one record per active server.
					rec("pool01.lync.contoso.com", "A", 60, "10.0.1.11", pool01+".server.fe01"),
					rec("pool01.lync.contoso.com", "AAAA", 60, "2001:db8::14", pool01+".server.fe04"),
				},
			},
		},
		WebServices: []topology.WebService{
			{Pool: hlb, PoolFQDN: "hlb.contoso.com", LoadBalance: "hardware", InternalFQDN: "hlb.contoso.com"},
			{Pool: pool01, PoolFQDN: "pool01.lync.contoso.com", LoadBalance: "dns", InternalFQDN: "webint.contoso.com", Override: true,
				InternalVIP: netip.MustParseAddr("10.0.1.100"), ExternalFQDN: "webext.contoso.com", ExternalProxyIP: netip.MustParseAddr("203.0.113.10")},
		},
		Servers: []topology.ServerInfo{
			{Path: edge + ".server.e1", Name: "e1", FQDN: "e1.contoso.com", IP: netip.MustParseAddr("10.0.3.11"), State: "active", Pool: edge, PoolFQDN: "edge-int.contoso.com", Role: "edge", PoolSize: 1},
			{Path: hlb + ".server.a", Name: "a", FQDN: "hlb-a.contoso.com", IP: netip.MustParseAddr("10.0.2.11"), State: "active", Pool: hlb, PoolFQDN: "hlb.contoso.com", Role: "frontend", PoolSize: 4},
			{Path: hlb + ".server.b", Name: "b", FQDN: "hlb-b.contoso.com", IP: netip.MustParseAddr("10.0.2.12"), State: "draining", Pool: hlb, PoolFQDN: "hlb.contoso.com", Role: "frontend", PoolSize: 4},
			{Path: hlb + ".server.c", Name: "c", FQDN: "hlb-c.contoso.com", IP: netip.MustParseAddr("10.0.2.13"), State: "offline", Pool: hlb, PoolFQDN: "hlb.contoso.com", Role: "frontend", PoolSize: 4},
			{Path: hlb + ".server.d", Name: "d", FQDN: "hlb-d.contoso.com", IP: netip.MustParseAddr("10.0.2.14"), State: "active", Pool: hlb, PoolFQDN: "hlb.contoso.com", Role: "frontend", PoolSize: 4},
			{Path: pool01 + ".server.fe01", Name: "fe01", FQDN: "fe01.contoso.com", IP: netip.MustParseAddr("10.0.1.11"), State: "active", Pool: pool01, PoolFQDN: "pool01.lync.contoso.com", Role: "frontend", PoolSize: 4},
			{Path: pool01 + ".server.fe02", Name: "fe02", FQDN: "fe02.contoso.com", IP: netip.MustParseAddr("10.0.1.12"), State: "draining", Pool: pool01, PoolFQDN: "pool01.lync.contoso.com", Role: "frontend", PoolSize: 4},
			{Path: pool01 + ".server.fe03", Name: "fe03", FQDN: "fe03.contoso.com", IP: netip.MustParseAddr("10.0.1.13"), State: "offline", Pool: pool01, PoolFQDN: "pool01.lync.contoso.com", Role: "frontend", PoolSize: 4},
			{Path: pool01 + ".server.fe04", Name: "fe04", FQDN: "fe04.contoso.com", IP: netip.MustParseAddr("2001:db8::14"), State: "active", Pool: pool01, PoolFQDN: "pool01.lync.contoso.com", Role: "frontend", PoolSize: 4},
		},
	}
	if diff := cmp.Diff(want, d, equateAddr); diff != "" {
		t.Errorf("Compile (-want +got):\n%s", diff)
	}
}

// TestCompileViews: which zone a record lands in, by view and by the
// longest zone name that is a suffix of it.
func TestCompileViews(t *testing.T) {
	type placed struct{ Name, Zone, View string }
	place := func(d *topology.Desired) []placed {
		var out []placed
		for _, z := range d.Zones {
			for _, r := range z.Records {
				out = append(out, placed{r.Name, z.Zone, string(z.View)})
			}
		}
		return out
	}
	body := frontend("", wsIntFQDN+wsIntVIP+"      external_fqdn = \"ext.lync.contoso.com\"\n"+wsExtVIP)
	for _, tc := range []struct {
		name  string
		zones string
		want  []placed
	}{
		{"one zone for both views", `zone "contoso.com" {}`, []placed{
			{"ext.lync.contoso.com", "contoso.com", "both"},
			{"p.contoso.com", "contoso.com", "both"},
			{"s1.contoso.com", "contoso.com", "both"},
			{"web.contoso.com", "contoso.com", "both"},
		}},
		{"internal and external", `zone "contoso.com" { view = "external" }
zone "contoso.com" { view = "internal" }`, []placed{
			{"ext.lync.contoso.com", "contoso.com", "external"},
			{"p.contoso.com", "contoso.com", "internal"},
			{"s1.contoso.com", "contoso.com", "internal"},
			{"web.contoso.com", "contoso.com", "internal"},
		}},
		{"longest suffix of the record's view", `zone "contoso.com" { view = "both" }
zone "lync.contoso.com" { view = "external" }`, []placed{
			{"p.contoso.com", "contoso.com", "both"},
			{"s1.contoso.com", "contoso.com", "both"},
			{"web.contoso.com", "contoso.com", "both"},
			{"ext.lync.contoso.com", "lync.contoso.com", "external"},
		}},
		{"a sub-zone of the other view is skipped", `zone "contoso.com" { view = "external" }
zone "contoso.com" { view = "internal" }
zone "lync.contoso.com" { view = "internal" }`, []placed{
			{"ext.lync.contoso.com", "contoso.com", "external"},
			{"p.contoso.com", "contoso.com", "internal"},
			{"s1.contoso.com", "contoso.com", "internal"},
			{"web.contoso.com", "contoso.com", "internal"},
		}},
		{"a zone at the name itself", `zone "contoso.com" {}
zone "p.contoso.com" { view = "internal" }`, []placed{
			{"ext.lync.contoso.com", "contoso.com", "both"},
			{"s1.contoso.com", "contoso.com", "both"},
			{"web.contoso.com", "contoso.com", "both"},
			{"p.contoso.com", "p.contoso.com", "internal"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := replaceOnce(t, body, `zone "contoso.com" {}`, tc.zones)
			d, diags := run(t, src, topology.Options{})
			if diags.HasErrors() {
				t.Fatalf("unexpected diagnostics %v\n%s", reduce(diags), lines(src))
			}
			if diff := cmp.Diff(tc.want, place(d)); diff != "" {
				t.Errorf("placement (-want +got):\n%s", diff)
			}
		})
	}
}

func replaceOnce(t testing.TB, s, old, new string) string {
	t.Helper()
	i := indexOnce(t, s, old)
	return s[:i] + new + s[i+len(old):]
}

func indexOnce(t testing.TB, s, sub string) int {
	t.Helper()
	first := -1
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			if first >= 0 {
				t.Fatalf("%q occurs more than once", sub)
			}
			first = i
		}
	}
	if first < 0 {
		t.Fatalf("%q does not occur", sub)
	}
	return first
}

func compileJSON(t testing.TB, src []byte) []byte {
	t.Helper()
	tp, diags := topology.Parse(src, testFile, topology.Options{LookupEnv: noEnv})
	if diags.HasErrors() {
		t.Fatalf("parse: %v", diags)
	}
	d, diags := topology.Compile(tp.File)
	if diags.HasErrors() {
		t.Fatalf("compile: %v", diags)
	}
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// shuffleBlocks reorders what carries no meaning: the top-level blocks
// (providers, zones, sites, SIP domains) and the pools of each site. The
// order of servers in a pool is meaning (quorum counts "the first N"), so
// it stays.
func shuffleBlocks(t testing.TB, src []byte, r *rand.Rand) []byte {
	t.Helper()
	f, diags := hclwrite.ParseConfig(src, testFile, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	shuffle := func(b *hclwrite.Body, only string) {
		var moved []*hclwrite.Block
		for _, blk := range b.Blocks() {
			if only == "" || blk.Type() == only {
				moved = append(moved, blk)
				b.RemoveBlock(blk)
			}
		}
		r.Shuffle(len(moved), func(i, j int) { moved[i], moved[j] = moved[j], moved[i] })
		for _, blk := range moved {
			b.AppendBlock(blk)
		}
	}
	shuffle(f.Body(), "")
	for _, blk := range f.Body().Blocks() {
		if blk.Type() == "site" {
			shuffle(blk.Body(), "pool")
		}
	}
	return f.Bytes()
}

// TestCompileDeterministic: the same input compiles to byte-identical
// JSON, and so does the same topology with its blocks in another order.
func TestCompileDeterministic(t *testing.T) {
	inputs := map[string][]byte{"compileSrc": []byte(compileSrc)}
	examples, _ := filepath.Glob("../examples/*/topology.hcl")
	for _, p := range examples {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(filepath.Dir(p))] = b
	}
	inputs["generated"] = generate(20, 12)
	for name, src := range inputs {
		t.Run(name, func(t *testing.T) {
			want := compileJSON(t, src)
			if got := compileJSON(t, src); string(got) != string(want) {
				t.Fatalf("two compiles of the same input differ:\n%s", cmp.Diff(string(want), string(got)))
			}
			r := rand.New(rand.NewPCG(1, 2))
			for i := range 10 {
				shuffled := shuffleBlocks(t, src, r)
				if got := compileJSON(t, shuffled); string(got) != string(want) {
					t.Fatalf("shuffle %d compiles differently (-want +got):\n%s\nshuffled source:\n%s", i, cmp.Diff(string(want), string(got)), shuffled)
				}
			}
		})
	}
}
