package zonefile_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/zonefile"
)

// poolEdits creates what a topology of pools x 12 servers publishes in a
// shared zone: per pool a pool name with 12 addresses, 12 server names
// and a web services name, each with its ownership marker (about 39
// RRsets and 51 records a pool).
func poolEdits(pools int) []providers.Edit {
	var es []providers.Edit
	add := func(s providers.RRset) {
		s.Normalize()
		es = append(es, providers.Edit{After: &s})
		m := providers.RRset{Name: "_topo." + s.Name, Type: "TXT", TTL: 300, Values: []string{"heritage=topo,topology=bench"}}
		es = append(es, providers.Edit{After: &m})
	}
	for p := range pools {
		pool := providers.RRset{Name: fmt.Sprintf("p%d.%s", p, zone), Type: "A", TTL: 300}
		for s := range 12 {
			ip := fmt.Sprintf("10.%d.%d.%d", p/250, p%250, s+1)
			pool.Values = append(pool.Values, ip)
			add(providers.RRset{Name: fmt.Sprintf("s%d-%d.%s", p, s, zone), Type: "A", TTL: 300, Values: []string{ip}})
		}
		add(pool)
		add(providers.RRset{Name: fmt.Sprintf("w%d.%s", p, zone), Type: "A", TTL: 300, Values: []string{fmt.Sprintf("10.200.%d.%d", p/250, p%250)}})
	}
	return es
}

// BenchmarkEdits1000Pools times the provider alone on a zone of 1,000
// pools (about 39,000 RRsets): creating them all in an empty zone,
// reading the zone, and changing one RRset of it (a drain).
func BenchmarkEdits1000Pools(b *testing.B) {
	ctx := context.Background()
	edits := poolEdits(1000)
	b.Run("create", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			p := &zonefile.Provider{Dir: b.TempDir()}
			b.StartTimer()
			if _, err := p.ApplyEdits(ctx, zone+".", edits, providers.ApplyOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	p := &zonefile.Provider{Dir: b.TempDir()}
	if _, err := p.ApplyEdits(ctx, zone+".", edits, providers.ApplyOptions{}); err != nil {
		b.Fatal(err)
	}
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			if _, err := p.GetRecords(ctx, zone+"."); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("update-one", func(b *testing.B) {
		full := *edits[len(edits)-4].After // the last pool's addresses
		drained := full.Clone()
		drained.Values = drained.Values[1:]
		from, to := &full, &drained
		if cur := read(b, p)[full.Key()]; cur.Equal(drained) {
			from, to = to, from // a run before ended drained
		}
		for b.Loop() {
			if _, err := p.ApplyEdits(ctx, zone+".", []providers.Edit{{Before: from, After: to}}, providers.ApplyOptions{}); err != nil {
				b.Fatal(err)
			}
			from, to = to, from
		}
	})
}
