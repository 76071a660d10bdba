package powerdns

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
	"github.com/topo-dns/topo/publish"
)

// BenchmarkZoneReader times `topo plan` (one GET of the zone, decode, diff)
// of BigTopology at 1,000 pools (about 25,000 records) against a real
// PowerDNS holding it, once with each zone JSON reader: the hand-written
// decodeZone and encoding/json into the same structs. Each iteration plans
// with both back to back, so that load from other processes weighs on both
// alike; the metrics are the mean of each and their ratio.
//
//	go test -run '^$' -bench ZoneReader -benchtime 5x -count 5 ./providers/powerdns
func BenchmarkZoneReader(b *testing.B) {
	const zone = "bench.test"
	pd := dnstest.StartPowerDNS(b, dnstest.PowerDNSOptions{})
	pd.CreateZone(b, zone)
	p, err := New(Config{URL: pd.URL, APIKey: pd.APIKey})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	src := publish.Source{Desired: enginetest.MustCompile(b, enginetest.BigTopology(zone, 1000))}
	l := engine.FromDesired(src, func(string, string) (providers.Provider, error) { return p, nil })
	plan := func(b *testing.B) *publish.Plan {
		pl, err := l.Plan(ctx)
		if err != nil {
			b.Fatal(err)
		}
		return pl
	}
	if _, err := l.Publish(ctx, plan(b), engine.PublishOptions{AllowMassChange: true, ReusePlanReads: true}); err != nil {
		b.Fatal(err)
	}
	defer func() { decodeRRsets = decodeZone }()
	var hand, std pair
	for b.Loop() {
		for _, r := range []struct {
			decode func([]byte) ([]apiRRset, error)
			time   *pair
		}{{decodeZone, &hand}, {stdDecode, &std}} {
			decodeRRsets = r.decode
			r.time.start()
			pl := plan(b)
			r.time.stop()
			if pl.HasChanges() {
				b.Fatalf("no-change plan has changes: %+v", pl.Counts())
			}
		}
	}
	b.ReportMetric(hand.mean(), "decodeZone-ns/plan")
	b.ReportMetric(std.mean(), "encoding-json-ns/plan")
	b.ReportMetric(hand.mean()/std.mean(), "decodeZone/encoding-json")
}

// BenchmarkDecodeZone decodes a PowerDNS zone document of the 1,000-pool
// workload (benchSets: 13,000 RRsets, 24,000 records, written as PowerDNS
// writes it) with each reader, without a server: the part of a read that
// the reader decides.
func BenchmarkDecodeZone(b *testing.B) {
	type rec struct {
		Content  string `json:"content"`
		Disabled bool   `json:"disabled"`
	}
	type rrset struct {
		Comments []any  `json:"comments"`
		Name     string `json:"name"`
		Records  []rec  `json:"records"`
		TTL      uint32 `json:"ttl"`
		Type     string `json:"type"`
	}
	doc := struct {
		Account string  `json:"account"`
		ID      string  `json:"id"`
		Kind    string  `json:"kind"`
		Name    string  `json:"name"`
		RRsets  []rrset `json:"rrsets"`
		Serial  int     `json:"serial"`
	}{Account: "", ID: "bench.test.", Kind: "Native", Name: "bench.test.", Serial: 2026120101}
	for _, s := range benchSets("bench.test") {
		rs := rrset{Comments: []any{}, Name: s.Name + ".", TTL: s.TTL, Type: s.Type}
		for _, v := range s.Values {
			rs.Records = append(rs.Records, rec{Content: v})
		}
		doc.RRsets = append(doc.RRsets, rs)
	}
	body, err := json.Marshal(doc)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range []struct {
		name   string
		decode func([]byte) ([]apiRRset, error)
	}{{"decodeZone", decodeZone}, {"encoding-json", stdDecode}} {
		b.Run(r.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				sets, err := r.decode(body)
				if err != nil || len(sets) != len(doc.RRsets) {
					b.Fatalf("decode: %d RRsets, %v", len(sets), err)
				}
			}
		})
	}
}
