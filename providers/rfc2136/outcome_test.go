package rfc2136

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
	"github.com/topo-dns/topo/publish"
)

// TestLostAnswersAreReadAgain publishes to a real BIND through a proxy
// that breaks one UPDATE: its answer comes too late, the connection drops
// once BIND answered, the publish is cancelled (Ctrl-C) while the answer
// is awaited, the request never reaches BIND, or the zone cannot be read
// again afterwards. The report says of every change exactly what BIND
// holds, and publishing again converges.
func TestLostAnswersAreReadAgain(t *testing.T) {
	for _, tc := range []struct {
		name string
		big  bool // a topology of several UPDATE messages
		// fault breaks UPDATE message nth.
		nth    int
		action dnstest.Action
		// cancel interrupts the publish once the fault acted; blind makes
		// every later read through the proxy fail.
		cancel, blind bool
		timeout       time.Duration // the provider's; default 5s
		// want: every change applied, none, or (0) checked against BIND only.
		wantApplied, wantNotApplied bool
		wantUnknown                 int
		wantMessage                 string
	}{
		{name: "the answer comes after the timeout", nth: 1, action: dnstest.Delay, timeout: 500 * time.Millisecond,
			wantApplied: true, wantMessage: "no answer in time (timeout 500ms)"},
		{name: "the connection drops after BIND answered", nth: 1, action: dnstest.Drop, wantApplied: true,
			wantMessage: "the UPDATE was sent but its answer is lost: the server may have applied it"},
		{name: "Ctrl-C while the answer is awaited", nth: 1, action: dnstest.Hold, cancel: true, wantApplied: true,
			wantMessage: "context canceled"},
		{name: "the UPDATE never reaches BIND", nth: 1, action: dnstest.Swallow, wantNotApplied: true},
		{name: "the zone cannot be read again", nth: 1, action: dnstest.Hold, cancel: true, blind: true, wantUnknown: 10},
		{name: "Ctrl-C during message 2 of several", big: true, nth: 2, action: dnstest.Hold, cancel: true,
			wantMessage: "message 2 of"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := dnstest.StartBIND(t, dnstest.BINDOptions{})
			proxy := dnstest.StartFaultProxy(t, b.Addr, dnstest.FrameDNS)
			p := providerFor(b)
			p.Server = proxy.Addr
			if tc.timeout > 0 {
				p.Timeout = tc.timeout
			}
			truth := providerFor(b)
			src := enginetest.SmallPool("example.test")
			if tc.big {
				src = enginetest.BigTopology("example.test", 250)
			}
			d := enginetest.MustCompile(t, src)
			resolve := func(string, string) (providers.Provider, error) { return p, nil }
			l := engine.FromDesired(publish.Source{Desired: d, File: "topology.hcl"}, resolve)
			plan, err := l.Plan(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if tc.big && plan.Zones[0].Chunks < 3 {
				t.Fatalf("the big topology takes %d UPDATE messages, want at least 3", plan.Zones[0].Chunks)
			}
			proxy.Add(dnstest.Fault{Match: dnstest.IsUpdate, Nth: tc.nth, Action: tc.action, Delay: 3 * time.Second})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.cancel {
				go func() {
					e := <-proxy.Events()
					if tc.blind {
						proxy.Add(dnstest.Fault{Match: func(r dnstest.Request) bool { return !dnstest.IsUpdate(r) }, Action: dnstest.Swallow})
					}
					t.Logf("fault acted on request %d (answered %v): cancelling", e.Request.Seq, e.Answered)
					cancel()
				}()
			}
			res, err := l.Publish(ctx, plan, engine.PublishOptions{AllowMassChange: true, RereadTimeout: 10 * time.Second})
			z := enginetest.RequireTruth(t, plan, res, err, truth, tc.wantUnknown)
			t.Logf("applied %d, not applied %d, unknown %d of %d; read error %q\n%v", z.Applied, z.NotApplied, z.Unknown, z.Total, z.ReadError, err)
			switch {
			case tc.wantApplied && z.Applied != z.Total:
				t.Errorf("%d of %d reported applied, want all: BIND applied the update", z.Applied, z.Total)
			case tc.wantNotApplied && z.NotApplied != z.Total:
				t.Errorf("%d of %d reported not applied, want all", z.NotApplied, z.Total)
			case tc.blind && z.ReadError == "":
				t.Errorf("the read again worked through a proxy that swallows it")
			case tc.big:
				// Messages 1 and 2 landed, the rest were never sent.
				chunks, err := p.plan("example.test.", plan.Zones[0].Edits())
				if err != nil {
					t.Fatal(err)
				}
				if z.Applied != chunks[1].end || z.NotApplied != z.Total-chunks[1].end {
					t.Errorf("applied %d, not applied %d; want messages 1 and 2 (%d edits) applied and the rest not", z.Applied, z.NotApplied, chunks[1].end)
				}
			}
			if tc.wantMessage != "" && !strings.Contains(err.Error(), tc.wantMessage) {
				t.Errorf("the error does not say %q:\n%v", tc.wantMessage, err)
			}
			proxy.Clear()
			proxy.Release()
			enginetest.Converge(t, d, p)
		})
	}
}
