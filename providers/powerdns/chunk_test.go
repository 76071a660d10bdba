package powerdns

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/providers"
)

func TestChunkBodies(t *testing.T) {
	p, _ := newProvider(t, "http://127.0.0.1:1", "k", nil)
	a := rrset("a", "A", 300, "192.0.2.1")
	txt := rrset("t", "TXT", 0, "x y")
	old := rrset("old", "AAAA", 60, "2001:db8::1")
	chunks, err := p.chunk(testZone, []providers.Edit{{After: &a}, {Before: &old}, {Before: &txt, After: &txt}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"rrsets":[` +
		`{"name":"a.example.test.","type":"A","ttl":300,"changetype":"REPLACE","records":[{"content":"192.0.2.1","disabled":false}]},` +
		`{"name":"old.example.test.","type":"AAAA","changetype":"DELETE"},` +
		`{"name":"t.example.test.","type":"TXT","ttl":0,"changetype":"REPLACE","records":[{"content":"\"x y\"","disabled":false}]}` +
		`]}`
	if len(chunks) != 1 {
		t.Fatalf("%d chunks, want 1", len(chunks))
	}
	if diff := cmp.Diff(want, string(chunks[0].body)); diff != "" {
		t.Errorf("PATCH body (-want +got):\n%s", diff)
	}
	if !json.Valid(chunks[0].body) {
		t.Error("PATCH body is not valid JSON")
	}
}

func TestChunkSplits(t *testing.T) {
	sets := make([]providers.RRset, 10)
	for i := range sets {
		sets[i] = rrset(fmt.Sprintf("h%d", i), "A", 300, "192.0.2.1")
	}
	entry := len(`{"name":"h0.example.test.","type":"A","ttl":300,"changetype":"REPLACE","records":[{"content":"192.0.2.1","disabled":false}]}`)
	body := func(n int) int { return len(`{"rrsets":[]}`) + n*entry + n - 1 }
	tests := []struct {
		name  string
		max   int
		edits []providers.Edit
		want  []int // edits per chunk
	}{
		{"all fit", body(10), creates(sets...), []int{10}},
		{"one byte short", body(10) - 1, creates(sets...), []int{9, 1}},
		{"three per chunk", body(3), creates(sets...), []int{3, 3, 3, 1}},
		{"one per chunk", body(1), creates(sets[:3]...), []int{1, 1, 1}},
		{"an RRset twice goes to the next chunk", body(10), []providers.Edit{
			{After: &sets[0]}, {After: &sets[1]}, {Before: &sets[0]}, {After: &sets[2]},
		}, []int{2, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := newProvider(t, "http://127.0.0.1:1", "k", func(c *Config) { c.MaxRequestBytes = max(tt.max, MinRequestBytes) })
			p.maxBytes = tt.max // below MinRequestBytes too, to test the arithmetic
			chunks, err := p.chunk(testZone, tt.edits)
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			next := 0
			for _, c := range chunks {
				got = append(got, c.n)
				if c.first != next {
					t.Errorf("chunk starts at edit %d, want %d", c.first, next)
				}
				next += c.n
				if len(c.body) > tt.max || !json.Valid(c.body) {
					t.Errorf("chunk of %d bytes (max %d), valid JSON %v", len(c.body), tt.max, json.Valid(c.body))
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("edits per chunk (-want +got):\n%s", diff)
			}
			if n := p.Chunks(testZone, tt.edits); n != len(tt.want) {
				t.Errorf("Chunks = %d, want %d", n, len(tt.want))
			}
		})
	}
}

func TestChunkRejects(t *testing.T) {
	p, _ := newProvider(t, "http://127.0.0.1:1", "k", nil)
	a := rrset("a", "A", 300, "192.0.2.1")
	b := rrset("b", "A", 300, "192.0.2.1")
	tests := []struct {
		name  string
		edit  providers.Edit
		error string
	}{
		{"empty edit", providers.Edit{}, "neither a before nor an after"},
		{"edit across keys", providers.Edit{Before: &a, After: &b}, "changes a.example.test A into b.example.test A"},
		{"name out of zone", providers.Edit{After: &providers.RRset{Name: "a.other.test", Type: "A", TTL: 1, Values: []string{"192.0.2.1"}}}, `not in zone "example.test"`},
		{"suffix is not a subdomain", providers.Edit{After: &providers.RRset{Name: "badexample.test", Type: "A", TTL: 1, Values: []string{"192.0.2.1"}}}, "not in zone"},
		{"bad address", providers.Edit{After: &providers.RRset{Name: "a.example.test", Type: "A", TTL: 1, Values: []string{"fe01"}}}, "not an IP address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.chunk(testZone, []providers.Edit{{After: &a}, tt.edit})
			if err == nil || !strings.Contains(err.Error(), tt.error) || !strings.Contains(err.Error(), "edit 2") {
				t.Errorf("chunk = %v; want an error about edit 2 saying %q", err, tt.error)
			}
			if n := p.Chunks(testZone, []providers.Edit{tt.edit}); n != 1 {
				t.Errorf("Chunks of a bad edit = %d, want 1", n)
			}
		})
	}
	if n := p.Chunks(testZone, nil); n != 0 {
		t.Errorf("Chunks of no edits = %d, want 0", n)
	}
}
