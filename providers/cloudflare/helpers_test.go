package cloudflare

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/cloudflare/cftest"
)

const testZone = "contoso.com"

// fixture is a local API server serving testZone and a provider for it.
type fixture struct {
	srv *cftest.Server
	p   *Provider
	ctx context.Context
}

// newFixture starts a server with opts and opens a provider on it; edit
// changes the provider's configuration first.
func newFixture(t *testing.T, opts cftest.Options, edit func(*Config)) *fixture {
	t.Helper()
	srv := cftest.New(t, opts)
	srv.AddZone(testZone)
	cfg := Config{APIToken: srv.Token(), BaseURL: srv.URL(), MaxRetries: new(2)}
	if edit != nil {
		edit(&cfg)
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return &fixture{srv: srv, p: p, ctx: ctx}
}

// read returns the zone's RRsets as a plan sees them.
func (f *fixture) read(t *testing.T) map[providers.Key]providers.RRset {
	t.Helper()
	recs, err := f.p.GetRecords(f.ctx, providers.ZoneFQDN(testZone))
	if err != nil {
		t.Fatalf("GetRecords: %v", err)
	}
	return providers.Index(providers.GroupRecords(testZone, recs))
}

// replan returns the edits that would make the zone hold want, as publish
// would plan them (only the keys in want, plus deletes of gone).
func (f *fixture) replan(t *testing.T, want []providers.RRset, gone ...providers.Key) []providers.Edit {
	t.Helper()
	cur := f.read(t)
	var edits []providers.Edit
	for _, w := range want {
		w := w.Clone()
		w.Normalize()
		c, ok := cur[w.Key()]
		switch {
		case !ok:
			edits = append(edits, providers.Edit{After: &w})
		case !c.Equal(w):
			edits = append(edits, providers.Edit{Before: &c, After: &w})
		}
	}
	for _, k := range gone {
		if c, ok := cur[k]; ok {
			edits = append(edits, providers.Edit{Before: &c})
		}
	}
	return edits
}

// apply runs ApplyEdits on edits planned from the zone's current state and
// fails the test on error.
func (f *fixture) apply(t *testing.T, want []providers.RRset, gone ...providers.Key) {
	t.Helper()
	edits := f.replan(t, want, gone...)
	n, err := f.p.ApplyEdits(f.ctx, providers.ZoneFQDN(testZone), edits, providers.ApplyOptions{})
	if err != nil || n != len(edits) {
		t.Fatalf("ApplyEdits: applied %d of %d: %v", n, len(edits), err)
	}
}

// hosts returns n single-address A RRsets h00000.contoso.com and on.
func hosts(n int, ttl uint32) []providers.RRset {
	out := make([]providers.RRset, n)
	for i := range out {
		out[i] = providers.RRset{
			Name: fmt.Sprintf("h%05d.%s", i, testZone), Type: "A", TTL: ttl,
			Values: []string{fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)},
		}
	}
	return out
}

func creates(sets []providers.RRset) []providers.Edit {
	out := make([]providers.Edit, len(sets))
	for i := range sets {
		out[i] = providers.Edit{After: &sets[i]}
	}
	return out
}

// seedRecords turns RRsets into the records another client would create
// through the API: bare TXT text, MX and SRV priority apart.
func seedRecords(t testing.TB, sets []providers.RRset) []cftest.Record {
	t.Helper()
	var out []cftest.Record
	for _, s := range sets {
		for _, v := range s.Values {
			r := cftest.Record{Name: s.Name, Type: s.Type, TTL: int(s.TTL), Content: v}
			f := strings.Fields(v)
			switch s.Type {
			case "MX":
				p, err := strconv.Atoi(f[0])
				if err != nil {
					t.Fatalf("seed %s MX %q: %v", s.Name, v, err)
				}
				r.Priority, r.Content = &p, f[1]
			case "SRV":
				var n [3]int
				for i := range n {
					n[i], _ = strconv.Atoi(f[i])
				}
				r.Content = ""
				r.Data = map[string]any{"priority": float64(n[0]), "weight": float64(n[1]), "port": float64(n[2]), "target": f[3]}
			}
			out = append(out, r)
		}
	}
	return out
}

// seed replaces the RRsets sets in the zone directly, as another client.
func seed(t testing.TB, srv *cftest.Server, zone string, sets []providers.RRset) {
	t.Helper()
	keys := map[providers.Key]bool{}
	for _, s := range sets {
		keys[providers.Key{Name: providers.CanonicalName(s.Name), Type: s.Type}] = true
	}
	var ids []string
	for _, r := range srv.Records(zone) {
		if keys[providers.Key{Name: r.Name, Type: r.Type}] {
			ids = append(ids, r.ID)
		}
	}
	srv.Remove(t, zone, ids...)
	srv.Seed(t, zone, seedRecords(t, sets)...)
}
