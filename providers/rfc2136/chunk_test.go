package rfc2136

import (
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
)

func TestSplit(t *testing.T) {
	p := &Provider{Server: "127.0.0.1:53", TSIGKey: "topo-key.", TSIGAlgorithm: "hmac-sha512.", TSIGSecret: "c2VjcmV0"}
	key, err := p.key()
	if err != nil {
		t.Fatal(err)
	}
	limit := dns.MaxMsgSize - key.size()
	edits := func(n, values int) []providers.Edit {
		out := make([]providers.Edit, n)
		for i := range out {
			var vs []string
			for v := range values {
				vs = append(vs, fmt.Sprintf("10.%d.%d.%d", i/256, i%256, v))
			}
			out[i] = providers.Edit{
				Before: rrset(fmt.Sprintf("n%05d.example.test", i), "A", 300, "192.0.2.1"),
				After:  rrset(fmt.Sprintf("n%05d.example.test", i), "A", 300, vs...),
			}
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		edits []providers.Edit
	}{
		{"none", nil},
		{"one", edits(1, 1)},
		{"fits one message", edits(500, 2)},
		{"several messages", edits(6000, 3)},
		{"big RRsets", edits(300, 100)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			chunks, err := p.plan(zone, tc.edits)
			if err != nil {
				t.Fatal(err)
			}
			// Sizes are summed message by message: one huge message would
			// compress worse (pointers reach only the first 16 KiB).
			total, next := 0, 0
			for i, c := range chunks {
				if c.start != next || c.end <= c.start {
					t.Fatalf("message %d holds edits [%d, %d), want them to start at %d", i, c.start, c.end, next)
				}
				next = c.end
				n, err := packedLen(c.msg)
				if err != nil {
					t.Fatal(err)
				}
				if n > limit {
					t.Errorf("message %d packs to %d bytes, limit %d", i, n, limit)
				}
				if i < len(chunks)-1 && n < limit*9/10 {
					t.Errorf("message %d packs to %d bytes: not full", i, n)
				}
				total += n
			}
			if next != len(tc.edits) {
				t.Fatalf("messages hold %d edits, want %d", next, len(tc.edits))
			}
			if want := (total + limit - 1) / limit; len(chunks) != want {
				t.Errorf("%d messages for %d bytes, want ceil(size/limit) = %d", len(chunks), total, want)
			}
		})
	}
}

func TestSplitEditTooLarge(t *testing.T) {
	p := &Provider{Server: "127.0.0.1:53"}
	var values []string
	for i := range 300 {
		values = append(values, fmt.Sprintf("%03d %s", i, strings.Repeat("x", 250)))
	}
	_, err := p.plan(zone, []providers.Edit{{After: rrset("big.example.test", "TXT", 300, values...)}})
	if err == nil || !strings.Contains(err.Error(), "big.example.test TXT") {
		t.Errorf("error = %v, want one naming the RRset too large for a message", err)
	}
}
