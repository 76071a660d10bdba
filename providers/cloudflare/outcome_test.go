package cloudflare

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/cloudflare/cftest"
	"github.com/topo-dns/topo/providers/internal/dnstest"
	"github.com/topo-dns/topo/publish"
)

var isBatch = func(r dnstest.Request) bool {
	return r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/dns_records/batch")
}

// TestLostAnswersAreReadAgain publishes to the local Cloudflare API
// through a proxy that breaks a batch: its answer is lost (cloudflare-go
// sends it again, which Cloudflare refuses as it already holds it), the
// publish's deadline passes or it is cancelled (Ctrl-C) while the answer
// is awaited, no attempt reaches the API, or the zone cannot be read
// again afterwards. The report says of every change exactly what the zone
// holds, and publishing again converges.
func TestLostAnswersAreReadAgain(t *testing.T) {
	for _, tc := range []struct {
		name          string
		batchSize     int // default: one batch
		nth           int // 0: every batch
		action        dnstest.Action
		cancel, blind bool
		deadline      time.Duration
		// applied: how many changes the zone holds after the fault; -1:
		// those of the first two batches.
		applied, unknown int
		message          string
	}{
		{name: "the answer is lost and the retry refused", nth: 1, action: dnstest.Drop, applied: 10,
			message: "batch 1 of 1 got no verdict, Cloudflare may have applied it"},
		{name: "the deadline passes while the answer is awaited", nth: 1, action: dnstest.Delay, deadline: time.Second, applied: 10,
			message: "context deadline exceeded"},
		{name: "Ctrl-C while the answer is awaited", nth: 1, action: dnstest.Hold, cancel: true, applied: 10, message: "context canceled"},
		{name: "no attempt reaches the API", action: dnstest.Swallow, applied: 0, message: "got no verdict"},
		{name: "the zone cannot be read again", nth: 1, action: dnstest.Hold, cancel: true, blind: true, unknown: 10},
		{name: "Ctrl-C during batch 2 of several", batchSize: 4, nth: 2, action: dnstest.Hold, cancel: true, applied: -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := cftest.New(t, cftest.Options{})
			srv.AddZone(testZone)
			base := strings.TrimSuffix(strings.TrimPrefix(srv.URL(), "http://"), "/client/v4")
			px := dnstest.StartFaultProxy(t, base, dnstest.FrameHTTP)
			open := func(url string) *Provider {
				cfg := Config{APIToken: srv.Token(), BaseURL: url, MaxRetries: new(1)}
				if tc.batchSize > 0 {
					cfg.BatchSize = new(tc.batchSize)
				}
				p, err := New(cfg)
				if err != nil {
					t.Fatal(err)
				}
				return p
			}
			p, truth := open("http://"+px.Addr+"/client/v4"), open(srv.URL())
			d := enginetest.MustCompile(t, enginetest.SmallPool("contoso.com"))
			resolve := func(string, string) (providers.Provider, error) { return p, nil }
			l := engine.FromDesired(publish.Source{Desired: d, File: "topology.hcl"}, resolve)
			plan, err := l.Plan(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if tc.applied < 0 {
				chunks, err := p.plan(testZone, nil, plan.Zones[0].Edits())
				if err != nil || requests(chunks) < 3 {
					t.Fatalf("the plan takes %d batches (%v), the test wants at least 3", requests(chunks), err)
				}
				tc.applied = chunks[0].edits + chunks[1].edits
				tc.message = fmt.Sprintf("batch 2 of %d got no verdict, Cloudflare may have applied it; %d of 10 edits were applied before it", requests(chunks), chunks[0].edits)
			}
			px.Add(dnstest.Fault{Match: isBatch, Nth: tc.nth, Action: tc.action, Delay: 3 * time.Second})
			ctx, cancel := context.WithCancel(context.Background())
			if tc.deadline > 0 {
				ctx, cancel = context.WithTimeout(context.Background(), tc.deadline)
			}
			defer cancel()
			if tc.cancel {
				go func() {
					<-px.Events()
					if tc.blind {
						px.Add(dnstest.Fault{Match: dnstest.IsMethod(http.MethodGet), Action: dnstest.Swallow})
					}
					cancel()
				}()
			}
			res, err := l.Publish(ctx, plan, engine.PublishOptions{RereadTimeout: 20 * time.Second})
			z := enginetest.RequireTruth(t, plan, res, err, truth, tc.unknown)
			if z.Applied != tc.applied {
				t.Errorf("%d changes reported applied, want %d:\n%v", z.Applied, tc.applied, err)
			}
			if tc.blind != (z.ReadError != "") {
				t.Errorf("read error %q", z.ReadError)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Errorf("the error does not say %q:\n%v", tc.message, err)
			}
			if strings.Contains(err.Error(), srv.Token()) {
				t.Errorf("the error holds the API token")
			}
			px.Clear()
			px.Release()
			enginetest.Converge(t, d, p)
		})
	}
}
