package engine_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/memory"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// nameServer is what byNames says it reads and writes.
const nameServer = "192.0.2.53:53"

// byNames is a memory provider that cannot transfer a zone, as an rfc2136
// server refusing AXFR: a read returns the apex and the records at the
// names last given to SetNames. With transfer set it reads whole zones,
// as once the transfer is allowed.
type byNames struct {
	*memory.Provider
	mu       sync.Mutex
	names    map[string][]string
	reads    int
	transfer bool
}

var (
	_ providers.NameReader = (*byNames)(nil)
	_ providers.Replicated = (*byNames)(nil)
)

func (b *byNames) SetNames(zone string, names []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.names == nil {
		b.names = map[string][]string{}
	}
	b.names[zone] = slices.Clone(names)
}

func (b *byNames) ReadScope(zone string) providers.ReadScope {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.transfer {
		return providers.ReadScope{Server: nameServer}
	}
	return providers.ReadScope{Names: true, Count: len(b.names[zone]) + 1, Reason: providers.ReasonTransferRefused, Detail: "REFUSED", Server: nameServer}
}

func (b *byNames) WriteServer(zone string) string {
	if b.ReadScope(zone).Names {
		return nameServer
	}
	return ""
}

func (b *byNames) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	b.mu.Lock()
	b.reads++
	names, transfer := b.names[zone], b.transfer
	b.mu.Unlock()
	if transfer {
		return b.Provider.GetRecords(ctx, zone)
	}
	var sets []providers.RRset
	apex := providers.CanonicalName(zone)
	for _, s := range b.RRsets(zone) {
		if s.Name == apex || slices.Contains(names, s.Name) {
			sets = append(sets, s)
		}
	}
	return providers.Flatten(zone, sets), nil
}

func (b *byNames) resetReads() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := b.reads
	b.reads = 0
	return n
}

// poolsZone is zone holding one 3-server pool per name of pools, each with
// its web services override, through provider ref.
func poolsZone(zone, ref string, ownership topology.Ownership, pools ...string) *topology.Desired {
	zr := &topology.ZoneRecords{Zone: zone, View: "both", Provider: ref, Ownership: ownership, TTL: 300}
	for i, p := range pools {
		for s := 1; s <= 3; s++ {
			ip := fmt.Sprintf("10.0.%d.%d", i, 10+s)
			src := fmt.Sprintf("site.s.pool.%s.server.%sfe%d", p, p, s)
			zr.Records = append(zr.Records,
				topology.Record{Name: p + "." + zone, Type: "A", TTL: 300, Value: ip, Source: src},
				topology.Record{Name: fmt.Sprintf("%sfe%d.%s", p, s, zone), Type: "A", TTL: 300, Value: ip, Source: src})
		}
		zr.Records = append(zr.Records, topology.Record{Name: "web" + p + "." + zone, Type: "A", TTL: 300, Value: fmt.Sprintf("10.0.%d.100", i), Source: "site.s.pool." + p + ".web_services.internal"})
	}
	return &topology.Desired{Topology: "contoso", Zones: []*topology.ZoneRecords{zr}}
}

// TestNamesIndexRemovedPool publishes a zone read by names, removes a pool
// from the topology and publishes again: the name index makes the plan
// read the removed names, the guard count them, publish delete them and
// the proof and a fresh plan find nothing left. Plans and results name the
// server read and written.
func TestNamesIndexRemovedPool(t *testing.T) {
	const zone = "ad.test"
	for _, ownership := range []topology.Ownership{topology.OwnershipShared, topology.OwnershipExclusive} {
		t.Run(string(ownership), func(t *testing.T) {
			ctx := context.Background()
			e := newEnv(t)
			prov := &byNames{Provider: &memory.Provider{}}
			e.provs["rfc2136.ad"] = prov
			index := publish.IndexName("contoso", zone)

			l, p := e.plan(poolsZone(zone, "rfc2136.ad", ownership, "pa", "pb"))
			zp := p.Zones[0]
			if diff := cmp.Diff(&publish.NameIndex{Name: index}, zp.NameIndex); diff != "" {
				t.Errorf("first plan's name index (-want +got):\n%s", diff)
			}
			if zp.Server != nameServer {
				t.Errorf("plan server = %q, want %q", zp.Server, nameServer)
			}
			if !slices.Contains(zp.ReadNames, index) {
				t.Errorf("the index is not among the names read: %v", zp.ReadNames)
			}
			res, err := l.Publish(ctx, p, engine.PublishOptions{})
			if err != nil {
				t.Fatalf("publish: %v", err)
			}
			if got := res.Zones[0].Server; got != nameServer {
				t.Errorf("result server = %q, want %q", got, nameServer)
			}
			held := providers.Index(prov.RRsets(zone))
			if got := held[providers.Key{Name: index, Type: "TXT"}].Values; !slices.Equal(got, []string{"pa pafe1 pafe2 pafe3 pb pbfe1 pbfe2 pbfe3 webpa webpb"}) {
				t.Errorf("index holds %q", got)
			}

			// Remove pool pb from the topology.
			d := poolsZone(zone, "rfc2136.ad", ownership, "pa")
			prov.resetReads()
			l, p = e.plan(d)
			if n := prov.resetReads(); n != 2 {
				t.Errorf("plan read the zone %d times, want 2 (the names, then the names the index lists too)", n)
			}
			zp = p.Zones[0]
			gone := []string{"pb.ad.test", "pbfe1.ad.test", "pbfe2.ad.test", "pbfe3.ad.test", "webpb.ad.test"}
			if diff := cmp.Diff(&publish.NameIndex{Name: index, Found: true, Gone: gone}, zp.NameIndex); diff != "" {
				t.Errorf("name index (-want +got):\n%s", diff)
			}
			for _, n := range gone {
				if !slices.Contains(zp.ReadNames, n) || !slices.Contains(zp.ReadNames, publish.MarkerName(n)) {
					t.Errorf("%s or its marker is not among the names read again by publish: %v", n, zp.ReadNames)
				}
			}
			var deleted []string
			for _, c := range zp.Changes {
				if c.Action == publish.Delete && !c.Marker {
					deleted = append(deleted, c.Name)
				}
			}
			if diff := cmp.Diff(gone, deleted); diff != "" {
				t.Errorf("deletes (-want +got):\n%s", diff)
			}
			if last := zp.Changes[len(zp.Changes)-1]; !last.Index || last.Action != publish.Update {
				t.Errorf("last change is not the index update: %+v", last)
			}
			// 5 of 10 owned RRsets go: past the guard, which saw them.
			var ge *publish.GuardError
			if _, err := l.Publish(ctx, p, engine.PublishOptions{}); !errors.As(err, &ge) || ge.Violations[0].Changed != 5 || ge.Violations[0].Owned != 10 {
				t.Fatalf("publish past the guard: want 5 of 10 refused, got %v", err)
			}

			// A saved plan reads the same names again, index included: a
			// change to the index since makes it stale.
			saved, err := p.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			again, err := publish.Unmarshal(saved)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(p.Zones[0].NameIndex, again.Zones[0].NameIndex); diff != "" {
				t.Fatalf("saved plan's name index (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(p.Zones[0].ReadNames, again.Zones[0].ReadNames); diff != "" {
				t.Fatalf("saved plan's names read (-want +got):\n%s", diff)
			}
			idx := held[providers.Key{Name: index, Type: "TXT"}]
			touched := idx.Clone()
			touched.Values = append(touched.Values, "extra")
			if _, err := prov.SetRecords(ctx, zone+".", mustRecords(t, zone, touched)); err != nil {
				t.Fatal(err)
			}
			if _, err := e.load(d).Publish(ctx, again, engine.PublishOptions{AllowMassChange: true}); !errors.Is(err, engine.ErrStale) {
				t.Fatalf("publish after the index changed: want stale, got %v", err)
			}
			if _, err := prov.SetRecords(ctx, zone+".", mustRecords(t, zone, idx)); err != nil {
				t.Fatal(err)
			}
			res, err = e.load(d).Publish(ctx, again, engine.PublishOptions{AllowMassChange: true})
			if err != nil {
				t.Fatalf("publish the saved plan: %v", err)
			}
			if got := res.Zones[0].Server; got != nameServer {
				t.Errorf("result server = %q, want %q", got, nameServer)
			}
			for _, s := range prov.RRsets(zone) {
				if strings.Contains(s.Name, "pb") {
					t.Errorf("left behind: %s", s.Key())
				}
			}
			prov.resetReads()
			if _, p = e.plan(d); p.HasChanges() {
				t.Errorf("re-plan is not empty: %+v", p.Zones[0].Changes)
			}
			if n := prov.resetReads(); n != 1 {
				t.Errorf("re-plan read the zone %d times, want 1: the index lists only wanted names", n)
			}

			// The transfer is allowed now: the index is not needed, and goes.
			prov.transfer = true
			l, p = e.plan(d)
			if p.Zones[0].NameIndex != nil || p.Zones[0].Server != "" {
				t.Errorf("a zone read whole has a name index %+v or server %q", p.Zones[0].NameIndex, p.Zones[0].Server)
			}
			got := map[string]publish.Action{}
			for _, c := range p.Zones[0].Changes {
				got[c.Key().String()] = c.Action
			}
			want := map[string]publish.Action{index + " TXT": publish.Delete}
			if ownership == topology.OwnershipShared {
				want[publish.MarkerName(index)+" TXT"] = publish.Delete
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("changes once the transfer is allowed (-want +got):\n%s", diff)
			}
			if err := publish.CheckGuard(p); err != nil {
				t.Errorf("deleting the index trips the guard: %v", err)
			}
			if _, err := l.Publish(ctx, p, engine.PublishOptions{}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// dropsIndex is a server that acknowledges every edit but stores nothing
// for the zone's name index.
type dropsIndex struct {
	*byNames
	index string
}

func (d dropsIndex) ApplyEdits(ctx context.Context, zone string, edits []providers.Edit, opts providers.ApplyOptions) (int, error) {
	var kept []providers.Edit
	for _, e := range edits {
		if e.Key().Name != d.index {
			kept = append(kept, e)
		}
	}
	if _, err := d.byNames.ApplyEdits(ctx, zone, kept, opts); err != nil {
		return 0, err
	}
	return len(edits), nil
}

// TestNamesIndexProof: the proof after publish reads by names too and
// expects the index, so a server that drops the index write fails it; and
// a plan that leaves the index out is not the topology's: Publish derives
// the zone again (by names, index and all) and refuses it before writing.
func TestNamesIndexProof(t *testing.T) {
	ctx := context.Background()
	index := publish.IndexName("contoso", "ad.test")
	t.Run("the server drops the index", func(t *testing.T) {
		e := newEnv(t)
		e.provs["rfc2136.ad"] = dropsIndex{byNames: &byNames{Provider: &memory.Provider{}}, index: index}
		l, p := e.plan(poolsZone("ad.test", "rfc2136.ad", topology.OwnershipShared, "pa"))
		_, err := l.Publish(ctx, p, engine.PublishOptions{})
		var nc *engine.NotConvergedError
		if !errors.As(err, &nc) || nc.Counts != (publish.Counts{Create: 1}) {
			t.Fatalf("publish to a server that drops the index: want not converged by 1 create, got %v", err)
		}
	})
	t.Run("the plan leaves the index out", func(t *testing.T) {
		e := newEnv(t)
		e.provs["rfc2136.ad"] = &byNames{Provider: &memory.Provider{}}
		l, p := e.plan(poolsZone("ad.test", "rfc2136.ad", topology.OwnershipShared, "pa"))
		var kept []publish.Change
		for _, c := range p.Zones[0].Changes {
			if c.Name != index {
				kept = append(kept, c)
			}
		}
		p.Zones[0].Changes = kept
		_, err := l.Publish(ctx, p, engine.PublishOptions{})
		var pm *engine.PlanMismatchError
		if !errors.As(err, &pm) || !strings.Contains(err.Error(), index) {
			t.Fatalf("publish without the index: want the plan refused naming %s, got %v", index, err)
		}
	})
}
