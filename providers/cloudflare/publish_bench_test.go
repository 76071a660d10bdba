package cloudflare

import (
	"testing"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers/cloudflare/cftest"
)

// BenchmarkPublish1000Pools times topo's whole plan and publish path for
// 1,000 pools x 12 servers (about 25,000 records) against the local
// Cloudflare API server, batches of 200: ceil(operations / 200) batch calls
// plus the paginated reads.
func BenchmarkPublish1000Pools(b *testing.B) {
	srv := cftest.New(b, cftest.Options{})
	srv.AddZone("bench.test")
	p, err := New(Config{APIToken: srv.Token(), BaseURL: srv.URL()})
	if err != nil {
		b.Fatal(err)
	}
	enginetest.BenchmarkPublish(b, p, "bench.test", 1000)
}
