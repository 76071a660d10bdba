package powerdns

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
	"github.com/topo-dns/topo/publish"
)

// TestLostAnswersAreReadAgain publishes to a real PowerDNS through a
// proxy that breaks one PATCH: its answer comes after the timeout, the
// connection drops once PowerDNS answered, the publish is cancelled
// (Ctrl-C) while the answer is awaited, the PATCH never reaches PowerDNS,
// or the zone cannot be read again afterwards. The report says of every
// change exactly what PowerDNS holds, and publishing again converges.
func TestLostAnswersAreReadAgain(t *testing.T) {
	for _, tc := range []struct {
		name          string
		chunked       bool // max_request_bytes splits the plan into PATCHes of 2 changes
		nth           int
		action        dnstest.Action
		cancel, blind bool
		timeout       string
		// applied: how many changes PowerDNS holds after the fault; -1:
		// those of the first two PATCHes.
		applied, unknown int
		message          string
	}{
		{name: "the answer comes after the timeout", nth: 1, action: dnstest.Delay, timeout: "500ms", applied: 10,
			message: "PowerDNS may or may not have applied them"},
		{name: "the connection drops after PowerDNS answered", nth: 1, action: dnstest.Drop, applied: 10, message: "EOF"},
		{name: "Ctrl-C while the answer is awaited", nth: 1, action: dnstest.Hold, cancel: true, applied: 10, message: "context canceled"},
		{name: "the PATCH never reaches PowerDNS", nth: 1, action: dnstest.Swallow, applied: 0},
		{name: "the zone cannot be read again", nth: 1, action: dnstest.Hold, cancel: true, blind: true, unknown: 10},
		{name: "Ctrl-C during PATCH 2 of several", chunked: true, nth: 2, action: dnstest.Hold, cancel: true, applied: -1,
			message: "failed and PowerDNS may or may not have applied it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pd := server(t, dnstest.PowerDNSOptions{})
			px := dnstest.StartFaultProxy(t, strings.TrimPrefix(pd.URL, "http://"), dnstest.FrameHTTP)
			p, _ := newProvider(t, "http://"+px.Addr, pd.APIKey, func(c *Config) {
				c.Timeout = tc.timeout
				if tc.chunked {
					c.MaxRequestBytes = 512
				}
			})
			truth, _ := newProvider(t, pd.URL, pd.APIKey, nil)
			d := enginetest.MustCompile(t, enginetest.SmallPool("example.test"))
			resolve := func(string, string) (providers.Provider, error) { return p, nil }
			l := engine.FromDesired(publish.Source{Desired: d, File: "topology.hcl"}, resolve)
			plan, err := l.Plan(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if tc.applied < 0 {
				chunks, err := p.chunk(testZone, plan.Zones[0].Edits())
				if err != nil || len(chunks) < 3 {
					t.Fatalf("the plan takes %d PATCHes (%v), the test wants at least 3", len(chunks), err)
				}
				tc.applied = chunks[0].n + chunks[1].n
				tc.message = "chunk 2 of " + strconv.Itoa(len(chunks)) + " (edits " + strconv.Itoa(chunks[1].first+1) + "-"
			}
			px.Add(dnstest.Fault{Match: dnstest.IsMethod(http.MethodPatch), Nth: tc.nth, Action: tc.action, Delay: 3 * time.Second})
			ctx, cancel := context.WithCancel(context.Background())
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
			res, err := l.Publish(ctx, plan, engine.PublishOptions{RereadTimeout: 10 * time.Second})
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
			noSecret(t, err, pd.APIKey)
			px.Clear()
			px.Release()
			enginetest.Converge(t, d, p)
		})
	}
}
