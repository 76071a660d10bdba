package rfc2136

import (
	"context"
	"fmt"
	"testing"

	"github.com/topo-dns/topo/providers"
)

// poolEdits creates what topo compiles for pools of servers with DNS load
// balancing: one A RRset per pool holding every server's address, and one
// A record per server.
func poolEdits(pools, servers int) []providers.Edit {
	var edits []providers.Edit
	for i := range pools {
		var addrs []string
		for s := range servers {
			addr := fmt.Sprintf("10.%d.%d.%d", i/200, i%200, s+1)
			addrs = append(addrs, addr)
			edits = append(edits, providers.Edit{After: rrset(fmt.Sprintf("fe%02d.pool%04d.example.test", s+1, i), "A", 300, addr)})
		}
		edits = append(edits, providers.Edit{After: rrset(fmt.Sprintf("pool%04d.example.test", i), "A", 300, addrs...)})
	}
	return edits
}

// reverse returns the edits that delete what edits create.
func reverse(edits []providers.Edit) []providers.Edit {
	out := make([]providers.Edit, len(edits))
	for i, e := range edits {
		out[i] = providers.Edit{Before: e.After}
	}
	return out
}

// reportPlan reports how many UPDATE messages and wire bytes the edits
// take, and how many records they write.
func reportPlan(b *testing.B, p *Provider, edits []providers.Edit) {
	chunks, err := p.plan(zone, edits)
	if err != nil {
		b.Fatal(err)
	}
	total, records := 0, 0
	for _, c := range chunks {
		n, _ := packedLen(c.msg)
		total += n
	}
	for _, e := range edits {
		records += len(e.After.Values)
	}
	b.ReportMetric(float64(len(chunks)), "messages/op")
	b.ReportMetric(float64(total), "wire-bytes/op")
	b.ReportMetric(float64(records), "records/op")
}

// BenchmarkBINDApplyEdits publishes 1,000 pools of 12 servers (12,000 pool
// records and 12,000 server records on 13,000 names) into an empty zone.
func BenchmarkBINDApplyEdits(b *testing.B) {
	_, p := startBIND(b)
	p.Timeout = 0
	edits := poolEdits(1000, 12)
	ctx := context.Background()
	for b.Loop() {
		if _, err := p.ApplyEdits(ctx, zone, edits, providers.ApplyOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if _, err := p.ApplyEdits(ctx, zone, reverse(edits), providers.ApplyOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	reportPlan(b, p, edits)
}

// BenchmarkBINDGetRecords reads that zone back with one AXFR.
func BenchmarkBINDGetRecords(b *testing.B) {
	_, p := startBIND(b)
	edits := poolEdits(1000, 12)
	if _, err := p.ApplyEdits(context.Background(), zone, edits, providers.ApplyOptions{}); err != nil {
		b.Fatal(err)
	}
	var n int
	for b.Loop() {
		recs, err := p.GetRecords(context.Background(), zone)
		if err != nil {
			b.Fatal(err)
		}
		n = len(recs)
	}
	b.ReportMetric(float64(n), "records/op")
}

// BenchmarkPlan measures encoding and splitting alone, without a server.
func BenchmarkPlan(b *testing.B) {
	p := &Provider{Server: "127.0.0.1:53", TSIGKey: "topo-key.", TSIGSecret: "c2VjcmV0"}
	edits := poolEdits(1000, 12)
	for b.Loop() {
		if _, err := p.plan(zone, edits); err != nil {
			b.Fatal(err)
		}
	}
	reportPlan(b, p, edits)
}
