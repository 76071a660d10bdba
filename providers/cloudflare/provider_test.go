package cloudflare

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/cloudflare/cftest"
)

var zf = providers.ZoneFQDN(testZone)

func TestRoundTrip(t *testing.T) {
	f := newFixture(t, cftest.Options{}, nil)
	long := strings.Repeat("0123456789", 30) + `"quoted" \ back-slashed, ünïcode`
	want := []providers.RRset{
		{Name: "pool01.contoso.com", Type: "A", TTL: 300, Values: []string{"10.0.1.11", "10.0.1.12", "10.0.1.13"}},
		{Name: "pool01.contoso.com", Type: "AAAA", TTL: 300, Values: []string{"2001:db8::11"}},
		{Name: "webext.contoso.com", Type: "CNAME", TTL: 3600, Values: []string{"lb.fabrikam.net."}},
		{Name: "_topo.pool01.contoso.com", Type: "TXT", TTL: 300, Values: []string{"topo owner=contoso", long}},
		{Name: "_sipfederationtls._tcp.contoso.com", Type: "SRV", TTL: 300, Values: []string{"100 1 5061 sip.contoso.com."}},
		{Name: "contoso.com", Type: "MX", TTL: 300, Values: []string{"10 mail.contoso.com."}},
		{Name: "contoso.com", Type: "CAA", TTL: 300, Values: []string{`0 issue "letsencrypt.org"`}},
	}
	f.apply(t, want)

	got := f.read(t)
	for _, w := range want {
		w := w.Clone()
		w.Normalize()
		if diff := cmp.Diff(w, got[w.Key()]); diff != "" {
			t.Errorf("%s read back (-want +got):\n%s", w.Key(), diff)
		}
	}
	if edits := f.replan(t, want); len(edits) != 0 {
		t.Errorf("re-plan after publish: %d edits, want none: %+v", len(edits), edits)
	}

	// Records come typed, named relative to the zone.
	recs, err := f.p.GetRecords(f.ctx, zf)
	if err != nil {
		t.Fatal(err)
	}
	var srv *libdns.SRV
	for _, r := range recs {
		if s, ok := r.(libdns.SRV); ok {
			srv = &s
		}
		if a, ok := r.(libdns.Address); ok && a.Name != "pool01" {
			t.Errorf("address record named %q, want %q", a.Name, "pool01")
		}
	}
	wantSRV := &libdns.SRV{Service: "sipfederationtls", Transport: "tcp", Name: "@", TTL: 300 * time.Second, Priority: 100, Weight: 1, Port: 5061, Target: "sip.contoso.com."}
	if diff := cmp.Diff(wantSRV, srv); diff != "" {
		t.Errorf("SRV record (-want +got):\n%s", diff)
	}

	// Cloudflare holds absolute names, no trailing dots, priorities apart.
	for _, r := range f.srv.Records(testZone) {
		if strings.HasSuffix(r.Name, ".") || strings.HasSuffix(r.Content, ".") || r.Proxied {
			t.Errorf("stored %+v: want absolute names without trailing dot, not proxied", r)
		}
	}

	// Update and delete.
	want[0].Values = []string{"10.0.1.11", "10.0.1.14"}
	want[2].TTL = 600
	f.apply(t, want[:3], want[3].Key())
	got = f.read(t)
	if _, ok := got[want[3].Key()]; ok {
		t.Errorf("%s still there after its delete", want[3].Key())
	}
	if edits := f.replan(t, want[:3], want[3].Key()); len(edits) != 0 {
		t.Errorf("re-plan after update: %+v", edits)
	}
}

func TestPagination(t *testing.T) {
	for _, n := range []int{0, 1, 20, 21, 22} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			f := newFixture(t, cftest.Options{MaxPerPage: 7}, nil)
			sets := hosts(n, 300)
			seed(t, f.srv, testZone, sets)
			f.srv.ResetCounts()
			got := f.read(t)
			if len(got) != n {
				t.Errorf("read %d RRsets, want %d", len(got), n)
			}
			for _, s := range sets {
				if !got[s.Key()].Equal(s) {
					t.Errorf("%s: got %+v", s.Key(), got[s.Key()])
				}
			}
			wantLists := max(1, (n+6)/7)
			if c := f.srv.Counts(); c.List != wantLists || c.Zones != 1 {
				t.Errorf("requests %+v, want %d list requests and one zone lookup", c, wantLists)
			}
		})
	}
}

// TestApplyWithCurrent: given the zone as the caller has just read it
// through the provider (ApplyOptions.Current), ApplyEdits checks the edits
// against it and takes the record ids from that read: no list request.
// Without it, or with a Current that is not the provider's last listing,
// it lists the zone first, as before.
func TestApplyWithCurrent(t *testing.T) {
	pool := providers.RRset{Name: "pool01." + testZone, Type: "A", TTL: 300, Values: []string{"10.0.1.11", "10.0.1.12"}}
	grown := providers.RRset{Name: pool.Name, Type: "A", TTL: 300, Values: []string{"10.0.1.11", "10.0.1.12", "10.0.1.13"}}
	other := providers.RRset{Name: "other." + testZone, Type: "TXT", TTL: 300, Values: []string{"x"}}
	for _, tc := range []struct {
		name    string
		current func(read []providers.RRset) []providers.RRset
		edit    providers.Edit
		want    cftest.Counts
		err     error
		after   providers.RRset
	}{
		{
			name:    "without Current: the listing, then the batch",
			current: func([]providers.RRset) []providers.RRset { return nil },
			edit:    providers.Edit{Before: &pool, After: &grown},
			want:    cftest.Counts{List: 1, Batch: 1},
			after:   grown,
		},
		{
			name:    "with Current from GetRecords: the batch only",
			current: func(read []providers.RRset) []providers.RRset { return read },
			edit:    providers.Edit{Before: &pool, After: &grown},
			want:    cftest.Counts{Batch: 1},
			after:   grown,
		},
		{
			name:    "with a Current that is not the last listing: the listing, then the batch",
			current: func(read []providers.RRset) []providers.RRset { return append(slices.Clone(read), other) },
			edit:    providers.Edit{Before: &pool, After: &grown},
			want:    cftest.Counts{List: 1, Batch: 1},
			after:   grown,
		},
		{
			name:    "with Current breaking the precondition: a conflict, no request",
			current: func(read []providers.RRset) []providers.RRset { return read },
			edit:    providers.Edit{Before: &grown, After: &pool},
			err:     providers.ErrConflict,
			after:   pool,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, cftest.Options{}, nil)
			seed(t, f.srv, testZone, []providers.RRset{pool})
			recs, err := f.p.GetRecords(f.ctx, zf)
			if err != nil {
				t.Fatal(err)
			}
			f.srv.ResetCounts()
			opts := providers.ApplyOptions{Current: tc.current(providers.GroupRecords(testZone, recs))}
			n, err := f.p.ApplyEdits(f.ctx, zf, []providers.Edit{tc.edit}, opts)
			if !errors.Is(err, tc.err) {
				t.Fatalf("ApplyEdits: got %v, want %v", err, tc.err)
			}
			if err == nil && n != 1 {
				t.Errorf("ApplyEdits applied %d edits, want 1", n)
			}
			if diff := cmp.Diff(tc.want, f.srv.Counts()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			if got := f.read(t)[pool.Key()]; !got.Equal(tc.after) {
				t.Errorf("zone after: %v, want %v", got, tc.after)
			}
		})
	}
}

func TestBatchChunking(t *testing.T) {
	f := newFixture(t, cftest.Options{}, func(c *Config) { c.BatchSize = new(200) })
	edits := creates(hosts(450, 300))
	if got := f.p.Chunks(zf, edits); got != 3 {
		t.Errorf("Chunks = %d, want 3", got)
	}
	var progress [][2]int
	n, err := f.p.ApplyEdits(f.ctx, zf, edits, providers.ApplyOptions{Progress: func(done, total int) {
		progress = append(progress, [2]int{done, total})
	}})
	if err != nil || n != 450 {
		t.Fatalf("ApplyEdits: %d, %v", n, err)
	}
	if diff := cmp.Diff([][2]int{{1, 3}, {2, 3}, {3, 3}}, progress); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(cftest.Counts{Zones: 1, List: 1, Batch: 3}, f.srv.Counts()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if got := len(f.srv.Records(testZone)); got != 450 {
		t.Errorf("zone holds %d records, want 450", got)
	}
}

func TestChunksNeverSplitAnEdit(t *testing.T) {
	f := newFixture(t, cftest.Options{MaxBatch: 5}, func(c *Config) { c.BatchSize = new(5) })
	three := func(name string) providers.RRset {
		return providers.RRset{Name: name + "." + testZone, Type: "A", TTL: 300, Values: []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"}}
	}
	sets := []providers.RRset{three("a"), three("b"), three("c")}
	edits := creates(sets)
	if got := f.p.Chunks(zf, edits); got != 3 {
		t.Errorf("Chunks = %d, want 3 (3+3 operations exceed 5)", got)
	}
	if n, err := f.p.ApplyEdits(f.ctx, zf, edits, providers.ApplyOptions{}); err != nil || n != 3 {
		t.Fatalf("ApplyEdits: %d, %v", n, err)
	}
	if c := f.srv.Counts(); c.Batch != 3 {
		t.Errorf("%d batches, want 3", c.Batch)
	}

	// An RRset needing more operations than one batch holds is refused
	// before anything is sent.
	big := providers.RRset{Name: "big." + testZone, Type: "A", TTL: 300}
	for i := range 6 {
		big.Values = append(big.Values, fmt.Sprintf("192.0.2.%d", 10+i))
	}
	f.srv.ResetCounts()
	_, err := f.p.ApplyEdits(f.ctx, zf, creates([]providers.RRset{big}), providers.ApplyOptions{})
	if err == nil || !strings.Contains(err.Error(), "batch_size") {
		t.Errorf("oversized RRset: %v, want an error naming batch_size", err)
	}
	if c := f.srv.Counts(); c.Batch != 0 {
		t.Errorf("%d batches sent for a refused edit", c.Batch)
	}
}

func TestFailedBatchAndRerun(t *testing.T) {
	f := newFixture(t, cftest.Options{}, nil)
	seed(t, f.srv, testZone, []providers.RRset{{Name: "other.contoso.com", Type: "A", TTL: 600, Values: []string{"192.0.2.1"}}})
	want := hosts(450, 300)
	edits := creates(want)
	f.srv.FailBatch(2)
	n, err := f.p.ApplyEdits(f.ctx, zf, edits, providers.ApplyOptions{})
	if err == nil || n != 400 {
		t.Fatalf("ApplyEdits with the third batch failing: applied %d, %v; want 400 and an error", n, err)
	}
	for _, s := range []string{"batch 3 of 3", "400 of 450 edits were applied", "injected batch failure"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not say %q", err, s)
		}
	}
	// Exactly the first two chunks are in the zone: the failed one left
	// nothing behind.
	got := f.read(t)
	for i, s := range want {
		if _, ok := got[s.Key()]; ok != (i < 400) {
			t.Fatalf("after the failed batch, %s present=%t", s.Key(), ok)
		}
	}
	if len(got) != 401 {
		t.Errorf("zone holds %d RRsets, want 400 and the unowned one", len(got))
	}

	// A re-run plans what is left and converges.
	f.srv.ResetCounts()
	f.apply(t, want)
	if c := f.srv.Counts(); c.Batch != 1 {
		t.Errorf("re-run sent %d batches, want 1", c.Batch)
	}
	if edits := f.replan(t, want); len(edits) != 0 {
		t.Errorf("re-plan after the re-run: %d edits", len(edits))
	}
}

func TestRateLimitRetryAfter(t *testing.T) {
	f := newFixture(t, cftest.Options{}, nil)
	f.srv.Throttle(2, time.Second)
	start := time.Now()
	f.apply(t, hosts(3, 300))
	if d := time.Since(start); d < 1900*time.Millisecond {
		t.Errorf("applied after %v: two 429s with Retry-After: 1 should have made it wait about 2 s", d)
	}
	c := f.srv.Counts()
	if c.Throttled != 2 || c.Zones != 3 {
		t.Errorf("requests %+v: want the zone lookup throttled twice, then sent a third time", c)
	}
}

func TestServerErrorsExhaustRetries(t *testing.T) {
	f := newFixture(t, cftest.Options{}, func(c *Config) { c.MaxRetries = new(1) })
	f.srv.FailRequests(100)
	_, err := f.p.GetRecords(f.ctx, zf)
	if err == nil || !strings.Contains(err.Error(), "HTTP 500") {
		t.Fatalf("GetRecords against a failing server: %v, want an HTTP 500 error", err)
	}
	if c := f.srv.Counts(); c.Failed != 2 {
		t.Errorf("%d requests answered 500, want 2 (one try, one retry)", c.Failed)
	}
}

func TestConflict(t *testing.T) {
	f := newFixture(t, cftest.Options{}, nil)
	pool := providers.RRset{Name: "pool01.contoso.com", Type: "A", TTL: 300, Values: []string{"10.0.1.11", "10.0.1.12"}}
	f.apply(t, []providers.RRset{pool})

	grown := pool.Clone()
	grown.Values = append(grown.Values, "10.0.1.13")
	edits := f.replan(t, []providers.RRset{grown, {Name: "new.contoso.com", Type: "A", TTL: 300, Values: []string{"10.0.1.20"}}})

	// Another client changes the RRset after the plan was made.
	intruder := pool.Clone()
	intruder.Values = append(intruder.Values, "192.0.2.99")
	seed(t, f.srv, testZone, []providers.RRset{intruder})
	before := f.srv.Records(testZone)
	f.srv.ResetCounts()

	n, err := f.p.ApplyEdits(f.ctx, zf, edits, providers.ApplyOptions{})
	var ce *providers.ConflictError
	if n != 0 || !errors.As(err, &ce) || !errors.Is(err, providers.ErrConflict) || ce.Key != pool.Key() {
		t.Fatalf("ApplyEdits after a concurrent change: %d, %v; want a ConflictError for %s", n, err, pool.Key())
	}
	if diff := cmp.Diff(before, f.srv.Records(testZone)); diff != "" {
		t.Errorf("a refused apply changed the zone (-want +got):\n%s", diff)
	}
	if c := f.srv.Counts(); c.Batch != 0 {
		t.Errorf("%d batches sent despite the conflict", c.Batch)
	}

	// Must-not-exist preconditions too.
	_, err = f.p.ApplyEdits(f.ctx, zf, creates([]providers.RRset{pool}), providers.ApplyOptions{})
	if !errors.Is(err, providers.ErrConflict) {
		t.Errorf("creating an existing RRset: %v, want a conflict", err)
	}
}

func TestAutomaticTTLAndProxiedRoundTrip(t *testing.T) {
	f := newFixture(t, cftest.Options{}, nil)
	// Another client made these in the dashboard: automatic TTL, proxied.
	f.srv.Seed(t, testZone,
		cftest.Record{Name: "www.contoso.com", Type: "A", Content: "203.0.113.10", TTL: 1, Proxied: true},
		cftest.Record{Name: "api.contoso.com", Type: "A", Content: "203.0.113.11", TTL: 1},
	)
	want := []providers.RRset{
		{Name: "www.contoso.com", Type: "A", TTL: 300, Values: []string{"203.0.113.10"}},
		{Name: "api.contoso.com", Type: "A", TTL: 300, Values: []string{"203.0.113.11"}},
	}
	if edits := f.replan(t, want); len(edits) != 0 {
		t.Errorf("automatic TTL and proxy status caused edits: %+v", edits)
	}

	// Growing a proxied RRset leaves the existing record's proxy status
	// alone and writes the configured one on the new record.
	want[0].Values = append(want[0].Values, "203.0.113.12")
	f.apply(t, want)
	proxied := map[string]bool{}
	for _, r := range f.srv.Records(testZone) {
		proxied[r.Content] = r.Proxied
	}
	if diff := cmp.Diff(map[string]bool{"203.0.113.10": true, "203.0.113.11": false, "203.0.113.12": false}, proxied); diff != "" {
		t.Errorf("proxy status (-want +got):\n%s", diff)
	}
	if edits := f.replan(t, want); len(edits) != 0 {
		t.Errorf("re-plan: %+v", edits)
	}
}

func TestProxiedProvider(t *testing.T) {
	f := newFixture(t, cftest.Options{}, func(c *Config) { c.Proxied = true })
	want := []providers.RRset{
		{Name: "webext.contoso.com", Type: "A", TTL: 300, Values: []string{"203.0.113.10"}},
		{Name: "_topo.webext.contoso.com", Type: "TXT", TTL: 3600, Values: []string{"owned"}},
	}
	f.apply(t, want)
	for _, r := range f.srv.Records(testZone) {
		if wantProxied := r.Type == "A"; r.Proxied != wantProxied {
			t.Errorf("%s %s proxied=%t, want %t", r.Name, r.Type, r.Proxied, wantProxied)
		}
	}
	if edits := f.replan(t, want); len(edits) != 0 {
		t.Errorf("re-plan with proxied records: %+v", edits)
	}

	// A proxied RRset asking for another TTL would never converge.
	f.srv.ResetCounts()
	bad := []providers.RRset{{Name: "other.contoso.com", Type: "CNAME", TTL: 3600, Values: []string{"x.fabrikam.net."}}}
	_, err := f.p.ApplyEdits(f.ctx, zf, creates(bad), providers.ApplyOptions{})
	if err == nil || !strings.Contains(err.Error(), "proxied") {
		t.Errorf("proxied CNAME with TTL 3600: %v, want a refusal naming proxied", err)
	}
	if c := f.srv.Counts(); c.Total() != 0 {
		t.Errorf("refused before any request, yet %d were made", c.Total())
	}
}

func TestWrongToken(t *testing.T) {
	const token = "s3cr3t-wrong-token-value"
	f := newFixture(t, cftest.Options{}, func(c *Config) { c.APIToken = token })
	_, err := f.p.GetRecords(f.ctx, zf)
	if err == nil || !strings.Contains(err.Error(), "rejected the API token") {
		t.Fatalf("GetRecords with a wrong token: %v, want a clear refusal", err)
	}
	if strings.Contains(err.Error(), token) {
		t.Errorf("error holds the token: %v", err)
	}
	if c := f.srv.Counts(); c.Unauthorized != 1 || c.Total() != 1 {
		t.Errorf("requests %+v: a refused token should not be retried", c)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || !apiErr.Unauthorized() {
		t.Errorf("error %v is not an unauthorized *APIError", err)
	}
}

func TestTokenNeverShown(t *testing.T) {
	f := newFixture(t, cftest.Options{}, func(c *Config) { c.MaxRetries = new(0) })
	token := f.srv.Token()
	var errs []error
	collect := func(_ int, err error) { errs = append(errs, err) }

	// Failures of every kind the provider reports.
	f.srv.FailRequests(100)
	collect(f.p.ApplyEdits(f.ctx, zf, creates(hosts(1, 300)), providers.ApplyOptions{}))
	f.srv.FailRequests(0)
	f.srv.FailBatch(0)
	collect(f.p.ApplyEdits(f.ctx, zf, creates(hosts(1, 300)), providers.ApplyOptions{}))
	f.apply(t, hosts(1, 300))
	collect(f.p.ApplyEdits(f.ctx, zf, creates(hosts(1, 300)), providers.ApplyOptions{}))
	_, err := f.p.GetRecords(f.ctx, "fabrikam.com.")
	errs = append(errs, err)
	bad := providers.RRset{Name: "bad.contoso.com", Type: "A", TTL: 5, Values: []string{"192.0.2.1"}}
	collect(f.p.ApplyEdits(f.ctx, zf, creates([]providers.RRset{bad}), providers.ApplyOptions{}))

	for _, err := range errs {
		if err == nil {
			t.Fatal("a failure went unreported")
		}
		t.Log(err)
		for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			if strings.Contains(s, token) {
				t.Errorf("error shows the token: %s", s)
			}
		}
	}
	cfg := Config{APIToken: token}
	for _, s := range []string{fmt.Sprint(f.p), fmt.Sprintf("%+v", f.p), fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg)} {
		if strings.Contains(s, token) {
			t.Errorf("printing shows the token: %s", s)
		}
	}
}

func TestZoneLookup(t *testing.T) {
	f := newFixture(t, cftest.Options{}, nil)
	for range 3 {
		f.read(t)
	}
	if c := f.srv.Counts(); c.Zones != 1 || c.List != 3 {
		t.Errorf("requests %+v: want the zone looked up once and cached", c)
	}

	for _, call := range []func() error{
		func() error { _, err := f.p.GetRecords(f.ctx, "fabrikam.com."); return err },
		func() error {
			_, err := f.p.ApplyEdits(f.ctx, "fabrikam.com.", creates(hosts(1, 300)), providers.ApplyOptions{})
			return err
		},
	} {
		if err := call(); !errors.Is(err, providers.ErrZoneNotFound) || !strings.Contains(err.Error(), `"fabrikam.com"`) {
			t.Errorf("unknown zone: %v, want ErrZoneNotFound naming it", err)
		}
	}
}

func TestConfiguredZoneID(t *testing.T) {
	srv := cftest.New(t, cftest.Options{})
	id := srv.AddZone(testZone)
	p, err := New(Config{APIToken: srv.Token(), BaseURL: srv.URL(), ZoneID: id})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := p.ApplyEdits(ctx, zf, creates(hosts(2, 300)), providers.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if c := srv.Counts(); c.Zones != 0 || c.List != 1 || c.Batch != 1 {
		t.Errorf("requests %+v: with zone_id set, no lookup", c)
	}
	if _, err := p.GetRecords(ctx, "fabrikam.com."); err == nil || !strings.Contains(err.Error(), "zone_id") {
		t.Errorf("another zone through a zone_id provider: %v, want a refusal naming zone_id", err)
	}

	gone, err := New(Config{APIToken: srv.Token(), BaseURL: srv.URL(), ZoneID: strings.Repeat("0", 32)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := gone.GetRecords(ctx, zf); !errors.Is(err, providers.ErrZoneNotFound) {
		t.Errorf("unknown zone_id: %v, want ErrZoneNotFound", err)
	}
}

func TestContextCancellation(t *testing.T) {
	f := newFixture(t, cftest.Options{}, nil)
	ctx, cancel := context.WithCancel(f.ctx)
	cancel()
	if _, err := f.p.GetRecords(ctx, zf); !errors.Is(err, context.Canceled) {
		t.Errorf("GetRecords with a cancelled context: %v", err)
	}

	// A cancel while waiting out a Retry-After ends the wait.
	f.srv.Throttle(5, 30*time.Second)
	ctx, cancel = context.WithTimeout(f.ctx, 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := f.p.ApplyEdits(ctx, zf, creates(hosts(1, 300)), providers.ApplyOptions{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ApplyEdits past its deadline: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("returned after %v, not at the deadline", d)
	}
}

func TestSetAndDeleteRecords(t *testing.T) {
	f := newFixture(t, cftest.Options{}, nil)
	set := providers.RRset{Name: "libdns.contoso.com", Type: "AAAA", TTL: 120, Values: []string{"2001:db8::1", "2001:db8::2"}}
	recs, err := set.Records(testZone)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.p.SetRecords(f.ctx, zf, recs); err != nil {
		t.Fatalf("SetRecords: %v", err)
	}
	if diff := cmp.Diff(set, f.read(t)[set.Key()]); diff != "" {
		t.Errorf("after SetRecords (-want +got):\n%s", diff)
	}
	// Setting again replaces the RRset.
	one := providers.RRset{Name: set.Name, Type: "AAAA", TTL: 120, Values: []string{"2001:db8::3"}}
	recs, _ = one.Records(testZone)
	if _, err := f.p.SetRecords(f.ctx, zf, recs); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(one, f.read(t)[set.Key()]); diff != "" {
		t.Errorf("after a second SetRecords (-want +got):\n%s", diff)
	}
	// Delete with a wildcard type and data: everything at the name.
	deleted, err := f.p.DeleteRecords(f.ctx, zf, []libdns.Record{libdns.RR{Name: "libdns"}})
	if err != nil || len(deleted) != 1 {
		t.Fatalf("DeleteRecords: %v, %v", deleted, err)
	}
	if n := len(f.srv.Records(testZone)); n != 0 {
		t.Errorf("%d records left", n)
	}
}
