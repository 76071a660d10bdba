package powerdns

import (
	"testing"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers/internal/dnstest"
)

// BenchmarkPublish1000Pools times topo's whole plan and publish path for
// 1,000 pools x 12 servers (about 25,000 records) against a real PowerDNS:
// into an empty zone (1 GET to plan, 1 GET + PATCHes to publish), and a
// no-change plan (1 GET).
func BenchmarkPublish1000Pools(b *testing.B) {
	pd := dnstest.StartPowerDNS(b, dnstest.PowerDNSOptions{})
	pd.CreateZone(b, "bench.test")
	p, err := New(Config{URL: pd.URL, APIKey: pd.APIKey})
	if err != nil {
		b.Fatal(err)
	}
	enginetest.BenchmarkPublish(b, p, "bench.test", 1000)
}
