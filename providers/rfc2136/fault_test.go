package rfc2136

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/providers"
)

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }

// listener is a TCP server on loopback that accepts connections and never
// answers, counting connections and bytes received.
type listener struct {
	net.Listener
	conns, bytes atomic.Int64
}

func silentServer(t *testing.T) *listener {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &listener{Listener: l}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s.conns.Add(1)
			go func() {
				defer c.Close()
				buf := make([]byte, 4096)
				for {
					n, err := c.Read(buf)
					s.bytes.Add(int64(n))
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	return s
}

func TestCancelledContextSendsNothing(t *testing.T) {
	s := silentServer(t)
	p := &Provider{Server: s.Addr().String(), TSIGKey: "k.", TSIGSecret: "c2VjcmV0"}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	edits := []providers.Edit{{After: rrset("x.example.test", "A", 300, "192.0.2.1")}}
	n, err := p.ApplyEdits(ctx, zone, edits, providers.ApplyOptions{})
	if n != 0 || !errors.Is(err, context.Canceled) {
		t.Errorf("ApplyEdits = %d, %v; want 0, context.Canceled", n, err)
	}
	_, err = p.GetRecords(ctx, zone)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("GetRecords error = %v, want context.Canceled", err)
	}
	time.Sleep(50 * time.Millisecond)
	if c, b := s.conns.Load(), s.bytes.Load(); c != 0 || b != 0 {
		t.Errorf("server saw %d connections and %d bytes, want none", c, b)
	}

	// Against BIND: nothing applied.
	_, p = startBIND(t)
	if _, err := p.ApplyEdits(ctx, zone, edits, providers.ApplyOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("ApplyEdits error = %v, want context.Canceled", err)
	}
	if got := rrsets(t, p, zone); len(got) != 0 {
		t.Errorf("cancelled apply changed the zone: %v", got)
	}
}

func TestDeadlineHonoured(t *testing.T) {
	s := silentServer(t)
	p := &Provider{Server: s.Addr().String(), TSIGKey: "k.", TSIGSecret: "c2VjcmV0", Timeout: time.Minute}
	edits := []providers.Edit{{After: rrset("x.example.test", "A", 300, "192.0.2.1")}}

	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := p.ApplyEdits(ctx, zone, edits, providers.ApplyOptions{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ApplyEdits error = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("ApplyEdits took %s past a 200ms deadline", d)
	}

	// Cancelling while waiting for the answer returns at once.
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start = time.Now()
	_, err = p.GetRecords(ctx, zone)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("GetRecords error = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("GetRecords took %s after cancel", d)
	}

	// The provider's own timeout applies without a context deadline.
	p.Timeout = 200 * time.Millisecond
	_, err = p.GetRecords(context.Background(), zone)
	if err == nil || !strings.Contains(err.Error(), "timeout 200ms") {
		t.Errorf("GetRecords error = %v, want a timeout", err)
	}
}

func TestServerKilledBetweenMessages(t *testing.T) {
	b, p := startBIND(t)
	const n = 5000
	edits := make([]providers.Edit, n)
	for i := range edits {
		edits[i] = providers.Edit{After: rrset(fmt.Sprintf("host%04d.example.test", i), "A", 300, fmt.Sprintf("10.%d.%d.1", i/256, i%256))}
	}
	chunks, err := p.plan(zone, edits)
	if err != nil {
		t.Fatal(err)
	}
	if len(chunks) < 2 {
		t.Fatalf("%d edits take %d message, want several", n, len(chunks))
	}
	applied, err := p.ApplyEdits(context.Background(), zone, edits, providers.ApplyOptions{
		Progress: func(done, total int) {
			if done == 1 {
				b.Stop()
			}
		},
	})
	if err == nil {
		t.Fatal("ApplyEdits succeeded with the server killed after message 1")
	}
	if applied != chunks[0].end {
		t.Errorf("applied = %d, want %d (the first message)", applied, chunks[0].end)
	}
	wantMsg := fmt.Sprintf("message 2 of %d failed", len(chunks))
	if !strings.Contains(err.Error(), wantMsg) || !strings.Contains(err.Error(), fmt.Sprintf("%d of %d edits applied", applied, n)) {
		t.Errorf("error %q does not report the applied prefix (%s, %d of %d edits applied)", err, wantMsg, applied, n)
	}

	b.Restart()
	if got := len(rrsets(t, p, zone)); got != applied {
		t.Fatalf("after restart the zone holds %d RRsets, want the %d applied", got, applied)
	}
	rest, err := p.ApplyEdits(context.Background(), zone, edits[applied:], providers.ApplyOptions{})
	if err != nil || rest != n-applied {
		t.Fatalf("re-apply of the remaining edits = %d, %v; want %d, nil", rest, err, n-applied)
	}
	var want []providers.RRset
	for _, e := range edits {
		want = append(want, *e.After)
	}
	providers.SortRRsets(want)
	if diff := cmp.Diff(want, rrsets(t, p, zone)); diff != "" {
		t.Errorf("after re-apply (-want +got):\n%s", diff)
	}
}
