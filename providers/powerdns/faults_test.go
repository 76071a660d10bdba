package powerdns

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
)

// faultEdits are 12 creates that split into 3 chunks of 4 under a 600-byte
// max_request_bytes.
func faultEdits(t *testing.T, p *Provider) ([]providers.RRset, []providers.Edit) {
	t.Helper()
	var sets []providers.RRset
	for i := range 12 {
		sets = append(sets, rrset(fmt.Sprintf("f%02d", i), "A", 300, fmt.Sprintf("192.0.2.%d", 10+i)))
	}
	edits := creates(sets...)
	if n := p.Chunks(testZone, edits); n != 3 {
		t.Fatalf("Chunks = %d, the fault tests want 3", n)
	}
	return sets, edits
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name   string
		faults map[string]fault // "PATCH 2": the second PATCH
		// wantLog is every request the proxy sees, faulty ones included.
		wantLog     []string
		wantApplied int
		wantErr     []string // substrings; none: success
		wantWaits   []time.Duration
	}{
		{
			name:    "GET retried after 503 and 429",
			faults:  map[string]fault{"GET 1": {status: 503}, "GET 2": {status: 429, retryAfter: "2"}},
			wantLog: []string{"GET", "GET", "GET", "PATCH", "PATCH", "PATCH"}, wantApplied: 12,
			wantWaits: []time.Duration{-1, 2 * time.Second}, // -1: any backoff
		},
		{
			name:    "GET retried after 502 and 504",
			faults:  map[string]fault{"GET 1": {status: 502}, "GET 2": {status: 504}},
			wantLog: []string{"GET", "GET", "GET", "PATCH", "PATCH", "PATCH"}, wantApplied: 12,
			wantWaits: []time.Duration{-1, -1},
		},
		{
			name:    "GET not retried after 500",
			faults:  map[string]fault{"GET 1": {status: 500}},
			wantLog: []string{"GET"}, wantApplied: 0,
			wantErr: []string{`read zone "example.test"`, "500 Internal Server Error"},
		},
		{
			name:    "PATCH retried after 503: PowerDNS did not act on it",
			faults:  map[string]fault{"PATCH 2": {status: 503}},
			wantLog: []string{"GET", "PATCH", "PATCH", "PATCH", "PATCH"}, wantApplied: 12,
			wantWaits: []time.Duration{-1},
		},
		{
			name:    "PATCH retried after 429 with Retry-After",
			faults:  map[string]fault{"PATCH 1": {status: 429, retryAfter: "3"}},
			wantLog: []string{"GET", "PATCH", "PATCH", "PATCH", "PATCH"}, wantApplied: 12,
			wantWaits: []time.Duration{3 * time.Second},
		},
		{
			name:    "first PATCH not retried after 500",
			faults:  map[string]fault{"PATCH 1": {status: 500}},
			wantLog: []string{"GET", "PATCH"}, wantApplied: 0,
			wantErr: []string{"chunk 1 of 3 (edits 1-4) failed and none of it was applied", "0 of 3 chunks (0 of 12 edits)", "500 Internal Server Error"},
		},
		{
			name:    "second PATCH fails with 500: the first stays applied",
			faults:  map[string]fault{"PATCH 2": {status: 500}},
			wantLog: []string{"GET", "PATCH", "PATCH"}, wantApplied: 4,
			wantErr: []string{"chunk 2 of 3 (edits 5-8) failed", "1 of 3 chunks (4 of 12 edits) were applied"},
		},
		{
			name:    "third PATCH applied but its answer lost (502): reported as unknown, not retried",
			faults:  map[string]fault{"PATCH 3": {status: 502, afterward: true}},
			wantLog: []string{"GET", "PATCH", "PATCH", "PATCH"}, wantApplied: 8,
			wantErr: []string{"chunk 3 of 3 (edits 9-12) failed and PowerDNS may or may not have applied it", "2 of 3 chunks (8 of 12 edits)", "502 Bad Gateway"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pd := server(t, dnstest.PowerDNSOptions{})
			px := newProxy(t, pd)
			p, waits := newProvider(t, px.URL, pd.APIKey, func(c *Config) { c.MaxRequestBytes = 600 })
			sets, edits := faultEdits(t, p)
			for id, f := range tt.faults {
				method, n, _ := strings.Cut(id, " ")
				var i int
				fmt.Sscan(n, &i)
				px.inject(method, i, f)
			}
			applied, err := p.ApplyEdits(context.Background(), testZone, edits, providers.ApplyOptions{})
			if diff := cmp.Diff(tt.wantLog, px.take()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			if applied != tt.wantApplied {
				t.Errorf("applied = %d, want %d", applied, tt.wantApplied)
			}
			if len(tt.wantErr) == 0 && err != nil {
				t.Fatalf("ApplyEdits: %v", err)
			}
			for _, s := range tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), s) {
					t.Errorf("error = %v; want it to say %q", err, s)
				}
			}
			noSecret(t, err, pd.APIKey)
			if len(*waits) != len(tt.wantWaits) {
				t.Errorf("waits = %v, want %d of them", *waits, len(tt.wantWaits))
			} else {
				for i, w := range tt.wantWaits {
					if w >= 0 && (*waits)[i] != w {
						t.Errorf("wait %d = %v, want %v (Retry-After)", i+1, (*waits)[i], w)
					}
				}
			}

			// What the zone holds is what ApplyEdits says it applied, unless
			// the answer was lost after PowerDNS applied the chunk.
			got := read(t, p)
			lost := 0
			for _, f := range tt.faults {
				if f.afterward {
					lost = 4
				}
			}
			if diff := cmp.Diff(sets[:applied+lost], got, cmpEmpty); diff != "" {
				t.Errorf("zone after the apply (-want +got):\n%s", diff)
			}
			if err == nil || lost > 0 {
				return
			}
			// Re-running the remaining edits converges.
			px.take()
			n, err := p.ApplyEdits(context.Background(), testZone, edits[applied:], providers.ApplyOptions{})
			if err != nil || n != len(edits)-applied {
				t.Fatalf("re-run of the remaining %d edits = %d, %v", len(edits)-applied, n, err)
			}
			if got := px.take(); len(got) != 1+p.Chunks(testZone, edits[applied:]) {
				t.Errorf("re-run requests = %v, want 1 GET + its chunks", got)
			}
			if diff := cmp.Diff(sets, read(t, p)); diff != "" {
				t.Errorf("zone after the re-run (-want +got):\n%s", diff)
			}
		})
	}
}

var cmpEmpty = cmp.Comparer(func(a, b []providers.RRset) bool {
	return len(a) == 0 && len(b) == 0 || cmp.Equal(a, b)
})

func TestLostAnswerThenRerunIsAConflict(t *testing.T) {
	// A PATCH applied but answered 502: re-running the same edits finds the
	// zone no longer matches their preconditions and refuses, rather than
	// applying twice; a fresh plan (here: no edits left) is what converges.
	pd := server(t, dnstest.PowerDNSOptions{})
	px := newProxy(t, pd)
	p, _ := newProvider(t, px.URL, pd.APIKey, nil)
	set := rrset("pool01", "A", 300, "10.0.1.11")
	px.inject("PATCH", 1, fault{status: 502, afterward: true})
	if _, err := p.ApplyEdits(context.Background(), testZone, creates(set), providers.ApplyOptions{}); err == nil {
		t.Fatal("ApplyEdits whose answer was lost succeeded")
	}
	_, err := p.ApplyEdits(context.Background(), testZone, creates(set), providers.ApplyOptions{})
	if err == nil || !strings.Contains(err.Error(), "exists now") {
		t.Fatalf("re-run after a lost answer = %v; want a conflict", err)
	}
	if diff := cmp.Diff([]providers.RRset{set}, read(t, p)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
