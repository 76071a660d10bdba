package providers_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/memory"
)

// libdnsOnly offers the memory provider's libdns calls and nothing else,
// counting reads.
type libdnsOnly struct {
	m     *memory.Provider
	reads int
}

func (l *libdnsOnly) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	l.reads++
	return l.m.GetRecords(ctx, zone)
}

func (l *libdnsOnly) SetRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	return l.m.SetRecords(ctx, zone, recs)
}

func (l *libdnsOnly) DeleteRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	return l.m.DeleteRecords(ctx, zone, recs)
}

func TestApplyEdits(t *testing.T) {
	const zone = "contoso.com"
	pool := providers.RRset{Name: "pool01.contoso.com", Type: "A", TTL: 300, Values: []string{"10.0.0.1", "10.0.0.2"}}
	grown := providers.RRset{Name: pool.Name, Type: "A", TTL: 300, Values: []string{"10.0.0.1", "10.0.0.2", "10.0.0.3"}}
	gone := providers.RRset{Name: "old.contoso.com", Type: "TXT", TTL: 300, Values: []string{"bye"}}
	added := providers.RRset{Name: "new.contoso.com", Type: "AAAA", TTL: 60, Values: []string{"2001:db8::1"}}
	edits := []providers.Edit{{Before: &pool, After: &grown}, {Before: &gone}, {After: &added}}
	for _, tc := range []struct {
		name      string
		libdns    bool // hide memory's ApplyEdits
		current   []providers.RRset
		wantReads int
		wantErr   error
		wantZone  []providers.RRset
		wantDone  [][2]int
	}{
		{
			name:     "an EditApplier applies them itself",
			wantZone: []providers.RRset{added, grown},
			wantDone: [][2]int{{1, 1}},
		},
		{
			name:      "libdns calls only: one read, then each edit",
			libdns:    true,
			wantReads: 1,
			wantZone:  []providers.RRset{added, grown},
			wantDone:  [][2]int{{1, 3}, {2, 3}, {3, 3}},
		},
		{
			name:     "libdns calls only, with Current: no read",
			libdns:   true,
			current:  []providers.RRset{gone, pool},
			wantZone: []providers.RRset{added, grown},
			wantDone: [][2]int{{1, 3}, {2, 3}, {3, 3}},
		},
		{
			name:     "libdns calls only, with a Current breaking a precondition: nothing written",
			libdns:   true,
			current:  []providers.RRset{gone, grown},
			wantErr:  providers.ErrConflict,
			wantZone: []providers.RRset{gone, pool},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			m := &memory.Provider{}
			for _, s := range []providers.RRset{pool, gone} {
				recs, err := s.Records(zone)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := m.SetRecords(ctx, zone, recs); err != nil {
					t.Fatal(err)
				}
			}
			var p providers.Provider = m
			lo := &libdnsOnly{m: m}
			if tc.libdns {
				p = lo
			}
			var done [][2]int
			opts := providers.ApplyOptions{Current: tc.current, Progress: func(d, n int) { done = append(done, [2]int{d, n}) }}
			n, err := providers.ApplyEdits(ctx, p, zone, edits, opts)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("ApplyEdits: %v, want %v", err, tc.wantErr)
			}
			if err == nil && n != len(edits) {
				t.Errorf("applied %d edits, want %d", n, len(edits))
			}
			if lo.reads != tc.wantReads {
				t.Errorf("%d reads, want %d", lo.reads, tc.wantReads)
			}
			if diff := cmp.Diff(tc.wantDone, done); diff != "" {
				t.Errorf("progress (-want +got):\n%s", diff)
			}
			want := tc.wantZone
			providers.SortRRsets(want)
			if diff := cmp.Diff(want, m.RRsets(zone)); diff != "" {
				t.Errorf("zone (-want +got):\n%s", diff)
			}
		})
	}
}
