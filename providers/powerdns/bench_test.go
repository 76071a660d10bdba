package powerdns

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
)

// benchSets is what 1,000 DNS load-balanced pools of 12 Front End servers
// compile to: per pool, 12 A records at the pool FQDN and one at each
// server FQDN. 13,000 names, 24,000 A records.
func benchSets(zone string) []providers.RRset {
	var sets []providers.RRset
	for pool := range 1000 {
		all := providers.RRset{Name: fmt.Sprintf("pool%04d.%s", pool, zone), Type: "A", TTL: 300}
		for srv := range 12 {
			ip := fmt.Sprintf("10.%d.%d.%d", pool/250, pool%250, 10+srv)
			all.Values = append(all.Values, ip)
			sets = append(sets, providers.RRset{Name: fmt.Sprintf("fe%02d.pool%04d.%s", srv, pool, zone), Type: "A", TTL: 300, Values: []string{ip}})
		}
		sets = append(sets, all)
	}
	for i := range sets {
		sets[i].Normalize()
	}
	providers.SortRRsets(sets)
	return sets
}

// benchServer is one PowerDNS for every benchmark of a run, its body limit
// raised so that the floor's single PATCH of the whole zone is accepted.
type benchServer struct {
	pd      *dnstest.PowerDNS
	curl    string
	curlCfg string // holds the API key header, so it is not on a command line
	zones   int
}

func newBenchServer(b *testing.B) *benchServer {
	b.Helper()
	s := &benchServer{
		curl: dnstest.RequireBinary(b, "curl", "curl"),
		pd:   dnstest.StartPowerDNS(b, dnstest.PowerDNSOptions{MaxBodyMB: 64}),
	}
	s.curlCfg = filepath.Join(b.TempDir(), "curl.conf")
	cfg := fmt.Sprintf("silent\nshow-error\nfail\noutput = \"/dev/null\"\nheader = \"X-API-Key: %s\"\nheader = \"Content-Type: application/json\"\nheader = \"Expect:\"\n", s.pd.APIKey)
	if err := os.WriteFile(s.curlCfg, []byte(cfg), 0o600); err != nil {
		b.Fatal(err)
	}
	return s
}

// freshZone creates an empty zone and returns its name and a cleanup that
// deletes it, so the database does not grow from one iteration to the next.
func (s *benchServer) freshZone(b *testing.B) (string, func()) {
	s.zones++
	z := fmt.Sprintf("bench%d.test", s.zones)
	s.pd.CreateZone(b, z)
	return z, func() { s.pd.API(b, "DELETE", s.pd.ZonePath(z), nil) }
}

func (s *benchServer) curlDo(b *testing.B, args ...string) {
	out, err := exec.Command(s.curl, append([]string{"-K", s.curlCfg}, args...)...).CombinedOutput()
	if err != nil {
		b.Fatalf("curl: %v\n%s", err, out)
	}
}

// BenchmarkPowerDNS compares topo's provider with the floor: the same JSON
// sent as one GET and one PATCH by curl, against the same PowerDNS. Each
// iteration times topo and the floor back to back, so that load from other
// processes weighs on both alike; the metrics are the mean of each and
// their ratio.
//
//	go test -run '^$' -bench PowerDNS -benchtime 5x ./providers/powerdns
func BenchmarkPowerDNS(b *testing.B) {
	s := newBenchServer(b)
	ctx := context.Background()
	provider := func(b *testing.B, maxBytes int) *Provider {
		p, err := New(Config{URL: s.pd.URL, APIKey: s.pd.APIKey, MaxRequestBytes: maxBytes})
		if err != nil {
			b.Fatal(err)
		}
		return p
	}

	// ApplyEdits into an empty zone against GET + one PATCH of the whole
	// zone by curl, each into a fresh zone.
	apply := func(maxBytes int) func(b *testing.B) {
		return func(b *testing.B) {
			p := provider(b, maxBytes)
			one := provider(b, 64<<20)
			body := filepath.Join(b.TempDir(), "patch.json")
			var topo, floor pair
			for range b.N {
				b.StopTimer()
				z, drop := s.freshZone(b)
				edits := creates(benchSets(z)...)
				b.StartTimer()
				topo.start()
				if n, err := p.ApplyEdits(ctx, z, edits, providers.ApplyOptions{}); err != nil || n != len(edits) {
					b.Fatalf("ApplyEdits = %d, %v", n, err)
				}
				topo.stop()
				b.StopTimer()
				drop()

				z, drop = s.freshZone(b)
				chunks, err := one.chunk(z, creates(benchSets(z)...))
				if err != nil || len(chunks) != 1 {
					b.Fatalf("one PATCH body: %d chunks, %v", len(chunks), err)
				}
				if err := os.WriteFile(body, chunks[0].body, 0o600); err != nil {
					b.Fatal(err)
				}
				url := s.pd.URL + s.pd.ZonePath(z)
				b.StartTimer()
				floor.start()
				s.curlDo(b, url)
				s.curlDo(b, "-X", "PATCH", "--data-binary", "@"+body, url)
				floor.stop()
				b.StopTimer()
				drop()
				b.StartTimer()
			}
			b.ReportMetric(float64(p.Chunks("x.test", creates(benchSets("x.test")...))), "PATCHes")
			report(b, topo, floor)
		}
	}
	b.Run("ApplyEdits", apply(0))
	b.Run("ApplyEdits-one-chunk", apply(64<<20))

	// GetRecords of the full zone against one GET by curl.
	b.Run("GetRecords", func(b *testing.B) {
		z, drop := s.freshZone(b)
		defer drop()
		p := provider(b, 0)
		if _, err := p.ApplyEdits(ctx, z, creates(benchSets(z)...), providers.ApplyOptions{}); err != nil {
			b.Fatal(err)
		}
		url := s.pd.URL + s.pd.ZonePath(z)
		var topo, floor pair
		b.ResetTimer()
		for range b.N {
			topo.start()
			recs, err := p.GetRecords(ctx, z)
			if err != nil || len(recs) < 24000 {
				b.Fatalf("GetRecords = %d records, %v", len(recs), err)
			}
			topo.stop()
			floor.start()
			s.curlDo(b, url)
			floor.stop()
		}
		report(b, topo, floor)
	})
}

// pair accumulates the time of one side of a comparison.
type pair struct {
	total time.Duration
	n     int
	t0    time.Time
}

func (p *pair) start() { p.t0 = time.Now() }
func (p *pair) stop()  { p.total += time.Since(p.t0); p.n++ }
func (p pair) mean() float64 {
	return float64(p.total.Nanoseconds()) / float64(max(p.n, 1))
}

func report(b *testing.B, topo, floor pair) {
	b.ReportMetric(topo.mean(), "topo-ns/op")
	b.ReportMetric(floor.mean(), "floor-ns/op")
	b.ReportMetric(topo.mean()/floor.mean(), "topo/floor")
}
