package topology_test

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/topo-dns/topo/topology"
)

// benchServers is the servers per generated pool: a full Skype for
// Business 2015 Front End pool.
const benchServers = 12

var benchSizes = []int{100, 1000, 10000}

// perServer reports the time of one iteration per server in the topology,
// the figure that must stay flat from 100 to 10,000 pools.
func perServer(b *testing.B, pools int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(pools*benchServers), "ns/server")
}

// BenchmarkParseDecode is the floor: HCL itself, parsing the file and
// decoding it into topology.File, with nothing of topo's.
func BenchmarkParseDecode(b *testing.B) {
	for _, pools := range benchSizes {
		src := generate(pools, benchServers)
		b.Run(fmt.Sprintf("pools=%d", pools), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				f, diags := hclsyntax.ParseConfig(src, "bench.hcl", hcl.InitialPos)
				if diags.HasErrors() {
					b.Fatal(diags)
				}
				var file topology.File
				if diags := gohcl.DecodeBody(f.Body, topology.NewEvalContext(topology.Options{LookupEnv: noEnv}), &file); diags.HasErrors() {
					b.Fatal(diags)
				}
			}
			perServer(b, pools)
		})
	}
}

// BenchmarkLoadValidateCompile is what topo validate and compile do with
// the language: topology.Parse, then Compile (every rule, then records).
func BenchmarkLoadValidateCompile(b *testing.B) {
	for _, pools := range benchSizes {
		src := generate(pools, benchServers)
		b.Run(fmt.Sprintf("pools=%d", pools), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			var records int
			for b.Loop() {
				tp, diags := topology.Parse(src, "bench.hcl", topology.Options{LookupEnv: noEnv})
				if diags.HasErrors() {
					b.Fatal(diags)
				}
				d, diags := topology.Compile(tp.File)
				if diags.HasErrors() {
					b.Fatal(diags)
				}
				records = 0
				for _, z := range d.Zones {
					records += len(z.Records)
				}
			}
			perServer(b, pools)
			b.ReportMetric(float64(records), "records")
		})
	}
}

// BenchmarkCompile is validate and compile alone, on a decoded file: what
// topo adds to HCL.
func BenchmarkCompile(b *testing.B) {
	for _, pools := range benchSizes {
		src := generate(pools, benchServers)
		tp, diags := topology.Parse(src, "bench.hcl", topology.Options{LookupEnv: noEnv})
		if diags.HasErrors() {
			b.Fatal(diags)
		}
		b.Run(fmt.Sprintf("pools=%d", pools), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, diags := topology.Compile(tp.File); diags.HasErrors() {
					b.Fatal(diags)
				}
			}
			perServer(b, pools)
		})
	}
}

var benchTopology = flag.String("bench-topology", "", "write the generated topology of 1,000 pools to this file, to time a whole topo validate process on it")

// TestGenerate: the generated topology is valid and every record lands.
func TestGenerate(t *testing.T) {
	if *benchTopology != "" {
		if err := os.WriteFile(*benchTopology, generate(1000, benchServers), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src := generate(25, benchServers)
	d, diags := run(t, string(src), topology.Options{})
	if len(diags) != 0 {
		t.Fatalf("generated topology: %v", reduce(diags))
	}
	// Per pool: 11 active servers at the pool FQDN, 12 own names, two web
	// services names.
	want := 25 * (benchServers - 1 + benchServers + 2)
	got := 0
	for _, z := range d.Zones {
		got += len(z.Records)
	}
	if got != want {
		t.Errorf("%d records, want %d", got, want)
	}
}
