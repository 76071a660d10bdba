package rfc2136

import (
	"testing"

	"github.com/topo-dns/topo/engine/enginetest"
)

// BenchmarkPublish1000Pools times topo's whole plan and publish path for
// 1,000 pools x 12 servers (about 25,000 records) against a real BIND:
// into an empty zone, and a no-change plan (one AXFR).
func BenchmarkPublish1000Pools(b *testing.B) {
	_, p := startBIND(b, "bench.test")
	enginetest.BenchmarkPublish(b, p, "bench.test", 1000)
}
