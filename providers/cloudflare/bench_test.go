package cloudflare

import (
	"context"
	"testing"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/cloudflare/cftest"
)

// benchRecords is the size of a large deployment's public zone.
const benchRecords = 25_000

// reportRequests reports the requests per operation the server counted.
func reportRequests(b *testing.B, c cftest.Counts, ops int) {
	per := func(n int) float64 { return float64(n) / float64(ops) }
	b.ReportMetric(per(c.Zones), "lookups/op")
	b.ReportMetric(per(c.List), "lists/op")
	b.ReportMetric(per(c.Batch), "batches/op")
	b.ReportMetric(per(c.Total()), "requests/op")
}

// BenchmarkApplyEdits25k publishes 25,000 records into an empty zone: one
// zone lookup, one list request, ceil(25,000/200) = 125 batches.
func BenchmarkApplyEdits25k(b *testing.B) {
	edits := creates(hosts(benchRecords, 300))
	var total cftest.Counts
	ops := 0
	for b.Loop() {
		b.StopTimer()
		srv := cftest.New(b, cftest.Options{})
		srv.AddZone(testZone)
		p, err := New(Config{APIToken: srv.Token(), BaseURL: srv.URL()})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		n, err := p.ApplyEdits(context.Background(), zf, edits, providers.ApplyOptions{})
		if err != nil || n != len(edits) {
			b.Fatalf("ApplyEdits: %d, %v", n, err)
		}
		c := srv.Counts()
		total.Zones += c.Zones
		total.List += c.List
		total.Batch += c.Batch
		ops++
	}
	reportRequests(b, total, ops)
}

// BenchmarkGetRecords25k reads a zone of 25,000 records: ceil(25,000/5,000)
// = 5 list requests.
func BenchmarkGetRecords25k(b *testing.B) {
	srv := cftest.New(b, cftest.Options{})
	srv.AddZone(testZone)
	seed(b, srv, testZone, hosts(benchRecords, 300))
	p, err := New(Config{APIToken: srv.Token(), BaseURL: srv.URL()})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := p.GetRecords(ctx, zf); err != nil { // the zone lookup, once
		b.Fatal(err)
	}
	srv.ResetCounts()
	ops := 0
	for b.Loop() {
		recs, err := p.GetRecords(ctx, zf)
		if err != nil || len(recs) != benchRecords {
			b.Fatalf("GetRecords: %d records, %v", len(recs), err)
		}
		ops++
	}
	reportRequests(b, srv.Counts(), ops)
}
