package cloudflare

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/cloudflare/cftest"
)

// cloudflare-go waits 2 s before its first retry when the answer has no
// Retry-After, less at most a quarter of jitter (then 4 s, 8 s, ... up to
// 30 s). maxFirstBackoff leaves room for a slow machine.
const (
	minBackoff      = 1500 * time.Millisecond
	maxFirstBackoff = 10 * time.Second
)

// TestRateLimitWithoutRetryAfter: a 429 without Retry-After, on a read and
// on a batch, is waited out with a backoff of the client's choosing and the
// request sent again, body and all.
func TestRateLimitWithoutRetryAfter(t *testing.T) {
	t.Parallel()
	f, rc := newRecordedFixture(t, cftest.Options{}, func(c *Config) { c.MaxRetries = new(2) })
	want := hosts(3, 300)
	edits := f.replan(t, want) // the zone looked up, before any throttling
	rc.take()
	var once sync.Once
	rc.onRequest(func(ex exchange) {
		if ex.Method == "POST" {
			once.Do(func() { f.srv.Throttle(1, 0) })
		}
	})
	f.srv.Throttle(1, 0) // the list ApplyEdits reads first
	if n, err := f.p.ApplyEdits(f.ctx, zf, edits, providers.ApplyOptions{}); err != nil || n != len(edits) {
		t.Fatalf("ApplyEdits: applied %d of %d: %v", n, len(edits), err)
	}
	if c := f.srv.Counts(); c.Throttled != 2 {
		t.Errorf("%d requests throttled, want 2", c.Throttled)
	}
	var list, batch []exchange
	for _, ex := range rc.take() {
		if ex.Method == "POST" {
			batch = append(batch, ex)
		} else {
			list = append(list, ex)
		}
	}
	for what, exs := range map[string][]exchange{"list": list, "batch": batch} {
		if len(exs) != 2 || exs[0].Status != 429 || exs[1].Status != 200 {
			t.Errorf("%s: %d requests, want a 429 and then a success", what, len(exs))
			continue
		}
		if gap := exs[1].At.Sub(exs[0].At); gap < minBackoff || gap > maxFirstBackoff {
			t.Errorf("%s sent again %v after a 429 without Retry-After, want a backoff between %v and %v", what, gap, minBackoff, maxFirstBackoff)
		}
	}
	if len(batch) == 2 && string(batch[0].Body) != string(batch[1].Body) {
		t.Errorf("the batch was sent again with another body:\n%s\n%s", batch[0].Body, batch[1].Body)
	}
	if edits := f.replan(t, want); len(edits) != 0 {
		t.Errorf("re-plan: %d edits", len(edits))
	}
}

// TestRateLimitThatGoesOn: one try and max_retries retries, then an error
// that says what happened.
func TestRateLimitThatGoesOn(t *testing.T) {
	t.Parallel()
	f, _ := newRecordedFixture(t, cftest.Options{}, func(c *Config) { c.MaxRetries = new(1) })
	f.srv.Throttle(100, 0)
	_, err := f.p.GetRecords(f.ctx, zf)
	if err == nil || !strings.Contains(err.Error(), "HTTP 429") {
		t.Errorf("GetRecords while throttled: %v, want an HTTP 429 error", err)
	}
	if c := f.srv.Counts(); c.Throttled != 2 || c.Total() != 2 {
		t.Errorf("requests %+v, want 2, both throttled", c)
	}
}

// TestPagesOfAnotherSize: a server that answers pages of another size
// than topo asks for (5,000), fewer or more, with or without the totals of
// result_info, is still read whole, each record once.
func TestPagesOfAnotherSize(t *testing.T) {
	tests := []struct {
		name    string
		opts    cftest.Options
		records int
		lists   int // list requests
	}{
		{"fewer than asked", cftest.Options{PageSize: 7}, 22, 4},
		{"fewer than asked, a last page full", cftest.Options{PageSize: 7}, 21, 3},
		{"fewer than asked, no totals", cftest.Options{PageSize: 7, BareResultInfo: true}, 22, 4},
		{"fewer than asked, no totals, a last page full", cftest.Options{PageSize: 7, BareResultInfo: true}, 21, 4},
		{"capped, no totals", cftest.Options{MaxPerPage: 10, BareResultInfo: true}, 25, 3},
		{"more than asked", cftest.Options{PageSize: perPage + 1}, perPage + 2, 2},
		{"more than asked, no totals", cftest.Options{PageSize: perPage + 1, BareResultInfo: true}, perPage + 2, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, rc := newRecordedFixture(t, tt.opts, nil)
			sets := hosts(tt.records, 300)
			seed(t, f.srv, testZone, sets)
			recs, err := f.p.GetRecords(f.ctx, zf)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != tt.records {
				t.Errorf("read %d records, want %d", len(recs), tt.records)
			}
			got := providers.Index(providers.GroupRecords(testZone, recs))
			for _, s := range sets {
				if !got[s.Key()].Equal(s) {
					t.Fatalf("%s: read %+v", s.Key(), got[s.Key()])
				}
			}
			var pages []string
			for _, ex := range rc.take() {
				if strings.HasSuffix(ex.Path, "/dns_records") {
					pages = append(pages, ex.Query.Get("page")+"/"+ex.Query.Get("per_page"))
				}
			}
			var want []string
			for i := range tt.lists {
				want = append(want, fmt.Sprintf("%d/%d", i+1, perPage))
			}
			if diff := cmp.Diff(want, pages); diff != "" {
				t.Errorf("list requests page/per_page (-want +got):\n%s", diff)
			}
		})
	}
}

// TestBatchRejectedMidway: the server refuses the second of three batches
// at its 151st operation, after it ran its deletes and 50 of its posts,
// because another client created one of the records in the meantime. The
// provider reports the 200 edits of the first batch as applied and no
// other; the zone holds exactly them (the rejected batch's deletes were
// undone, the third batch never sent); a re-run converges.
func TestBatchRejectedMidway(t *testing.T) {
	f, rc := newRecordedFixture(t, cftest.Options{}, func(c *Config) { c.BatchSize = new(200) })
	all := hosts(450, 300)
	seed(t, f.srv, testZone, all[:300])
	// 150 TTL changes, 150 creates, 150 deletes: the plan's order puts
	// the changes and the first 50 creates in batch 1, the other creates
	// and 100 deletes in batch 2, the last 50 deletes in batch 3.
	want := make([]providers.RRset, 0, 300)
	for _, s := range all[:150] {
		s.TTL = 600
		want = append(want, s)
	}
	want = append(want, all[300:]...)
	var gone []providers.Key
	for _, s := range all[150:300] {
		gone = append(gone, s.Key())
	}
	edits := f.replan(t, want, gone...)
	if len(edits) != 450 || f.p.Chunks(zf, edits) != 3 {
		t.Fatalf("%d edits in %d batches, want 450 in 3", len(edits), f.p.Chunks(zf, edits))
	}

	intruder := all[400] // posts[50] of batch 2
	posts := 0
	rc.onRequest(func(ex exchange) {
		if ex.Method == "POST" {
			if posts++; posts == 2 {
				f.srv.Seed(t, testZone, seedRecords(t, []providers.RRset{intruder})...)
			}
		}
	})
	before := f.read(t)
	rc.take()
	n, err := f.p.ApplyEdits(f.ctx, zf, edits, providers.ApplyOptions{})
	if err == nil || n != 200 {
		t.Fatalf("ApplyEdits with batch 2 rejected: applied %d, %v; want 200 and an error", n, err)
	}
	t.Log(err)
	for _, s := range []string{`zone "contoso.com"`, "batch 2 of 3 failed", "nothing of it was applied", "200 of 450 edits were applied", "81058", "posts[50]"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not say %q", err, s)
		}
	}
	if batches := len(filter(rc.take(), "POST")); batches != 2 {
		t.Errorf("%d batches sent, want 2: none after the rejected one", batches)
	}

	// The first n edits are in the zone, no other is (but the intruder's
	// record, which happens to be what edit 350 wanted).
	after := f.read(t)
	for i, e := range edits {
		k := e.Key()
		done := e.After == nil && !has(after, k) || e.After != nil && after[k].Equal(*e.After)
		untouched := has(before, k) == has(after, k) && (!has(before, k) || before[k].Equal(after[k]))
		switch {
		case i < n && !done:
			t.Errorf("edit %d (%s) is reported applied, but the zone holds %+v", i, k, after[k])
		case i >= n && k == intruder.Key():
			if !done {
				t.Errorf("the intruder's %s is gone: %+v", k, after[k])
			}
		case i >= n && !untouched:
			t.Errorf("edit %d (%s) is reported not applied, but the zone changed: %+v -> %+v", i, k, before[k], after[k])
		}
	}

	// A re-run plans what is left, and converges.
	rc.onRequest(nil)
	f.apply(t, want, gone...)
	if edits := f.replan(t, want, gone...); len(edits) != 0 {
		t.Errorf("re-plan after the re-run: %d edits", len(edits))
	}
}

func has(m map[providers.Key]providers.RRset, k providers.Key) bool {
	_, ok := m[k]
	return ok
}

func filter(exs []exchange, method string) []exchange {
	var out []exchange
	for _, ex := range exs {
		if ex.Method == method {
			out = append(out, ex)
		}
	}
	return out
}
