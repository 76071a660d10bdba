package powerdns

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
)

func TestRoundTrip(t *testing.T) {
	pd := server(t, dnstest.PowerDNSOptions{})
	p, _ := newProvider(t, pd.URL, pd.APIKey, nil)
	ctx := context.Background()

	long := strings.Repeat("0123456789", 40) // 400 bytes: two character-strings
	want := []providers.RRset{
		rrset("pool01", "A", 300, "10.0.1.11", "10.0.1.12", "10.0.1.13"),
		rrset("pool01", "AAAA", 300, "2001:db8::11", "2001:DB8:0:0::12"),
		rrset("_sipinternaltls._tcp", "SRV", 300, "0 0 5061 Pool01.example.test."),
		rrset("_sip._tls", "SRV", 600, "10 20 443 sip.example.test"),
		rrset("lyncdiscoverinternal", "CNAME", 300, "webint.example.test."),
		rrset("@", "MX", 3600, "10 mail.example.test."),
		rrset("txt", "TXT", 60,
			"v=spf1 -all",
			`quotes " and \ backslash`,
			"tab\tand newline\n and del \x7f",
			"caf\u00e9 \u2603",
			"",
			long),
	}
	providers.SortRRsets(want)
	n, err := p.ApplyEdits(ctx, testZone+".", creates(want...), providers.ApplyOptions{})
	if err != nil || n != len(want) {
		t.Fatalf("ApplyEdits = %d, %v; want %d, nil", n, err, len(want))
	}
	if diff := cmp.Diff(want, read(t, p)); diff != "" {
		t.Fatalf("re-read after publish is not what was published (a re-plan would not be empty) (-want +got):\n%s", diff)
	}

	// libdns types, as GetRecords promises.
	recs, err := p.GetRecords(ctx, testZone+".")
	if err != nil {
		t.Fatal(err)
	}
	var sawSRV, sawLong, sawAddr bool
	for _, r := range recs {
		switch r := r.(type) {
		case libdns.SRV:
			if r.Service == "sipinternaltls" {
				sawSRV = r.Transport == "tcp" && r.Name == "@" && r.Port == 5061 && r.Target == "pool01.example.test."
			}
		case libdns.TXT:
			sawLong = sawLong || r.Text == long
		case libdns.Address:
			sawAddr = sawAddr || (r.Name == "pool01" && r.IP.String() == "2001:db8::12")
		case libdns.RR:
			if r.Type != "SOA" {
				t.Errorf("GetRecords returned an untyped %s record: %+v", r.Type, r)
			}
		}
	}
	if !sawSRV || !sawLong || !sawAddr {
		t.Errorf("GetRecords types: SRV %v, long TXT %v, AAAA %v; want all true in %v", sawSRV, sawLong, sawAddr, recs)
	}

	// The same records over DNS: the TXT text PowerDNS serves is the text
	// topo wrote, split into character-strings (miekg/dns prints them
	// escaped).
	txt := queryTXT(t, pd.DNSAddr, "txt."+testZone+".")
	for _, w := range []string{long, `quotes \" and \\ backslash`, `caf\195\169 \226\152\131`, `tab\009and newline\010 and del \127`, ""} {
		if !contains(txt, w) {
			t.Errorf("TXT over DNS = %q, want %q among them", txt, w)
		}
	}

	// Update and delete.
	upd := rrset("pool01", "A", 120, "10.0.1.11", "10.0.1.14")
	edits := []providers.Edit{
		{Before: &want[indexOf(want, "pool01.example.test", "A")], After: &upd},
		{Before: &want[indexOf(want, "txt.example.test", "TXT")]},
	}
	if n, err := p.ApplyEdits(ctx, testZone+".", edits, providers.ApplyOptions{}); err != nil || n != 2 {
		t.Fatalf("update and delete: %d, %v", n, err)
	}
	want2 := providers.Index(want)
	providers.ApplyToIndex(want2, edits)
	var wantSets []providers.RRset
	for _, s := range want2 {
		wantSets = append(wantSets, s)
	}
	providers.SortRRsets(wantSets)
	if diff := cmp.Diff(wantSets, read(t, p)); diff != "" {
		t.Fatalf("after update and delete (-want +got):\n%s", diff)
	}
}

func indexOf(sets []providers.RRset, name, typ string) int {
	for i, s := range sets {
		if s.Name == name && s.Type == typ {
			return i
		}
	}
	panic(name + " " + typ)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestUnownedRecordsAndCommentsSurvive(t *testing.T) {
	pd := server(t, dnstest.PowerDNSOptions{})
	px := newProxy(t, pd)
	p, _ := newProvider(t, px.URL, pd.APIKey, nil)
	other := rrset("other", "A", 600, "192.0.2.1")
	seed(t, pd, other)
	pd.PatchRRsets(t, testZone, dnstest.PowerDNSRRset{
		Name: "pool01.example.test.", Type: "A", TTL: 300, ChangeType: "REPLACE",
		Records:  []dnstest.PowerDNSRecord{{Content: "10.0.1.11"}, {Content: "10.0.1.99", Disabled: true}},
		Comments: []dnstest.PowerDNSComment{{Content: "managed by topo", Account: "ops"}},
	})
	px.take()

	// The disabled record is not read: the RRset holds one address.
	before := rrset("pool01", "A", 300, "10.0.1.11")
	if diff := cmp.Diff([]providers.RRset{other, before}, read(t, p)); diff != "" {
		t.Fatalf("read (-want +got):\n%s", diff)
	}
	after := rrset("pool01", "A", 300, "10.0.1.11", "10.0.1.12")
	if _, err := p.ApplyEdits(context.Background(), testZone, []providers.Edit{{Before: &before, After: &after}}, providers.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]providers.RRset{other, after}, read(t, p)); diff != "" {
		t.Errorf("after apply (-want +got):\n%s", diff)
	}
	for _, s := range pd.RRsets(t, testZone) {
		if s.Name == "pool01.example.test." && s.Type == "A" {
			if len(s.Comments) != 1 || s.Comments[0].Content != "managed by topo" {
				t.Errorf("comments after REPLACE = %+v, want them untouched", s.Comments)
			}
		}
	}
}

func TestRequestCounts(t *testing.T) {
	pd := server(t, dnstest.PowerDNSOptions{})
	px := newProxy(t, pd)
	p, _ := newProvider(t, px.URL, pd.APIKey, func(c *Config) { c.MaxRequestBytes = 1024 })
	ctx := context.Background()
	var sets []providers.RRset
	for i := range 30 {
		sets = append(sets, rrset(fmt.Sprintf("fe%02d", i), "A", 300, fmt.Sprintf("10.0.0.%d", i+10)))
	}
	edits := creates(sets...)
	chunks := p.Chunks(testZone, edits)
	if chunks < 3 {
		t.Fatalf("Chunks = %d; the test wants several", chunks)
	}
	px.take()
	if _, err := p.ApplyEdits(ctx, testZone, edits, providers.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	want := []string{"GET"}
	for range chunks {
		want = append(want, "PATCH")
	}
	if diff := cmp.Diff(want, px.take()); diff != "" {
		t.Errorf("ApplyEdits requests: want 1 GET + Chunks() PATCHes, nothing else (-want +got):\n%s", diff)
	}
	if _, err := p.GetRecords(ctx, testZone); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"GET"}, px.take()); diff != "" {
		t.Errorf("GetRecords requests (-want +got):\n%s", diff)
	}
	if n, err := p.ApplyEdits(ctx, testZone, nil, providers.ApplyOptions{}); n != 0 || err != nil || len(px.take()) != 0 {
		t.Errorf("ApplyEdits of nothing: %d, %v, and it sent requests", n, err)
	}
}

// TestApplyWithCurrent: given the zone as the caller has just read it
// (ApplyOptions.Current), ApplyEdits checks the edits against it and sends
// no GET; without it, it reads the zone itself first, as before.
func TestApplyWithCurrent(t *testing.T) {
	pool := rrset("pool01", "A", 300, "10.0.1.11", "10.0.1.12")
	grown := rrset("pool01", "A", 300, "10.0.1.11", "10.0.1.12", "10.0.1.13")
	intruder := rrset("pool01", "A", 300, "10.0.1.11", "192.0.2.99")
	for _, tc := range []struct {
		name    string
		current func(zone []providers.RRset) []providers.RRset
		want    []string // requests
		err     error
		after   providers.RRset
	}{
		{
			name:    "without Current: one GET, then the PATCH",
			current: func([]providers.RRset) []providers.RRset { return nil },
			want:    []string{"GET", "PATCH"},
			after:   grown,
		},
		{
			name:    "with Current: the PATCH only",
			current: func(zone []providers.RRset) []providers.RRset { return zone },
			want:    []string{"PATCH"},
			after:   grown,
		},
		{
			name: "with a Current that breaks a precondition: a conflict, no request",
			current: func(zone []providers.RRset) []providers.RRset {
				return []providers.RRset{intruder}
			},
			err:   providers.ErrConflict,
			after: pool,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pd := server(t, dnstest.PowerDNSOptions{})
			px := newProxy(t, pd)
			p, _ := newProvider(t, px.URL, pd.APIKey, nil)
			seed(t, pd, pool)
			ctx := context.Background()
			zone, err := p.readZone(ctx, testZone)
			if err != nil {
				t.Fatal(err)
			}
			px.take()
			edits := []providers.Edit{{Before: &pool, After: &grown}}
			n, err := p.ApplyEdits(ctx, testZone, edits, providers.ApplyOptions{Current: tc.current(zone)})
			if !errors.Is(err, tc.err) {
				t.Fatalf("ApplyEdits: got %v, want %v", err, tc.err)
			}
			if err == nil && n != 1 {
				t.Errorf("ApplyEdits applied %d edits, want 1", n)
			}
			if diff := cmp.Diff(tc.want, px.take()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
			got := read(t, p)
			if i := indexOf(got, pool.Name, "A"); i < 0 || !got[i].Equal(tc.after) {
				t.Errorf("zone after: %v, want %v", got, tc.after)
			}
		})
	}
}

func TestConflict(t *testing.T) {
	pd := server(t, dnstest.PowerDNSOptions{})
	p, _ := newProvider(t, pd.URL, pd.APIKey, nil)
	ctx := context.Background()
	pool := rrset("pool01", "A", 300, "10.0.1.11", "10.0.1.12")
	if _, err := p.ApplyEdits(ctx, testZone, creates(pool), providers.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	// topo plans from this read...
	planned := read(t, p)
	// ...another client changes the pool and creates fe03...
	intruder := rrset("pool01", "A", 300, "10.0.1.11", "10.0.1.12", "192.0.2.99")
	fe03 := rrset("fe03", "A", 300, "192.0.2.3")
	seed(t, pd, intruder, fe03)

	tests := []struct {
		name   string
		edits  []providers.Edit
		detail string
	}{
		{"update of a changed RRset", []providers.Edit{
			{After: ptr(rrset("fe01", "A", 300, "10.0.1.11"))}, // fine on its own
			{Before: &planned[0], After: ptr(rrset("pool01", "A", 300, "10.0.1.11"))},
		}, "holds"},
		{"create of an RRset that now exists", []providers.Edit{
			{After: ptr(rrset("fe03", "A", 300, "10.0.1.13"))},
		}, "exists now"},
		{"delete of an RRset that no longer exists", []providers.Edit{
			{Before: ptr(rrset("gone", "A", 300, "10.0.1.13"))},
		}, "no longer exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := p.ApplyEdits(ctx, testZone, tt.edits, providers.ApplyOptions{})
			var ce *providers.ConflictError
			if !errors.As(err, &ce) || !errors.Is(err, providers.ErrConflict) {
				t.Fatalf("ApplyEdits = %v; want a *providers.ConflictError", err)
			}
			if n != 0 || !strings.Contains(ce.Detail, tt.detail) {
				t.Errorf("applied %d, detail %q; want 0 and a detail saying %q", n, ce.Detail, tt.detail)
			}
			if diff := cmp.Diff([]providers.RRset{fe03, intruder}, read(t, p)); diff != "" {
				t.Errorf("the zone changed although the apply was refused (-want +got):\n%s", diff)
			}
		})
	}

	// Preconditions are checked in order: an edit sees the ones before it.
	a1 := rrset("seq", "A", 300, "10.0.0.1")
	a2 := rrset("seq", "A", 300, "10.0.0.2")
	if _, err := p.ApplyEdits(ctx, testZone, []providers.Edit{{After: &a1}, {Before: &a1, After: &a2}}, providers.ApplyOptions{}); err != nil {
		t.Fatalf("two edits of one RRset in order: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestSplitting(t *testing.T) {
	pd := server(t, dnstest.PowerDNSOptions{})
	px := newProxy(t, pd)
	const max = 1000
	p, _ := newProvider(t, px.URL, pd.APIKey, func(c *Config) { c.MaxRequestBytes = max })
	var sets []providers.RRset
	for i := range 40 {
		sets = append(sets, rrset(fmt.Sprintf("h%02d", i), "A", 300, fmt.Sprintf("192.0.2.%d", 100+i)))
	}
	edits := creates(sets...)

	// Every entry has the same length, so the count follows by hand.
	entry := len(`{"name":"h00.example.test.","type":"A","ttl":300,"changetype":"REPLACE","records":[{"content":"192.0.2.100","disabled":false}]}`)
	perChunk := (max - len(`{"rrsets":[]}`) + 1) / (entry + 1)
	wantChunks := (len(edits) + perChunk - 1) / perChunk
	if got := p.Chunks(testZone, edits); got != wantChunks {
		t.Fatalf("Chunks = %d, want %d (%d entries of %d bytes in %d-byte bodies)", got, wantChunks, perChunk, entry, max)
	}
	chunks, _ := p.chunk(testZone, edits)
	for i, c := range chunks {
		if len(c.body) > max {
			t.Errorf("chunk %d is %d bytes, over max_request_bytes %d", i+1, len(c.body), max)
		}
	}

	var progress []string
	px.take()
	n, err := p.ApplyEdits(context.Background(), testZone, edits, providers.ApplyOptions{
		Progress: func(done, total int) { progress = append(progress, fmt.Sprintf("%d/%d", done, total)) },
	})
	if err != nil || n != len(edits) {
		t.Fatalf("ApplyEdits = %d, %v", n, err)
	}
	var wantProgress []string
	for i := range wantChunks {
		wantProgress = append(wantProgress, fmt.Sprintf("%d/%d", i+1, wantChunks))
	}
	if diff := cmp.Diff(wantProgress, progress); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
	if got := len(px.take()); got != 1+wantChunks {
		t.Errorf("%d requests, want 1 GET + %d PATCHes", got, wantChunks)
	}
	if diff := cmp.Diff(sets, read(t, p)); diff != "" {
		t.Errorf("not every chunk was applied (-want +got):\n%s", diff)
	}
}

func TestBodyLargerThanServerAllows(t *testing.T) {
	pd := server(t, dnstest.PowerDNSOptions{MaxBodyMB: 1})
	p, _ := newProvider(t, pd.URL, pd.APIKey, func(c *Config) { c.MaxRequestBytes = 4 << 20 })
	var sets []providers.RRset
	for i := range 12000 { // about 1.4 MB of JSON
		sets = append(sets, rrset(fmt.Sprintf("h%05d", i), "A", 300, "192.0.2.1"))
	}
	n, err := p.ApplyEdits(context.Background(), testZone, creates(sets...), providers.ApplyOptions{})
	if err == nil {
		t.Fatal("ApplyEdits of a body over webserver-max-bodysize succeeded")
	}
	// PowerDNS answers 400 and closes the connection at once: depending on
	// timing the client reads the answer or only sees the connection reset.
	msg := err.Error()
	if !strings.Contains(msg, "400 Bad Request") && !strings.Contains(msg, "connection reset") && !strings.Contains(msg, "broken pipe") {
		t.Errorf("error is neither the 400 nor a reset: %v", err)
	}
	for _, s := range []string{"webserver-max-bodysize", "max_request_bytes (now 4194304)"} {
		if !strings.Contains(msg, s) {
			t.Errorf("error does not mention %q: %v", s, err)
		}
	}
	noSecret(t, err, pd.APIKey)
	if n != 0 || len(read(t, p)) != 0 {
		t.Errorf("applied %d edits, zone holds %d RRsets; want nothing applied", n, len(read(t, p)))
	}
	// With max_request_bytes under the server's limit the same edits pass.
	p, _ = newProvider(t, pd.URL, pd.APIKey, func(c *Config) { c.MaxRequestBytes = 1 << 20 })
	if n, err := p.ApplyEdits(context.Background(), testZone, creates(sets...), providers.ApplyOptions{}); err != nil || n != len(sets) {
		t.Fatalf("ApplyEdits split under the limit = %d, %v", n, err)
	}
}

func TestRRsetLargerThanMaxRequestBytes(t *testing.T) {
	p, _ := newProvider(t, "http://127.0.0.1:1", "k", func(c *Config) { c.MaxRequestBytes = MinRequestBytes })
	big := rrset("big", "TXT", 300, strings.Repeat("x", 600))
	_, err := p.ApplyEdits(context.Background(), testZone, creates(big), providers.ApplyOptions{})
	if err == nil || !strings.Contains(err.Error(), "more than max_request_bytes (512)") {
		t.Fatalf("ApplyEdits of an RRset over the limit = %v", err)
	}
}

func TestZoneNotFound(t *testing.T) {
	pd := server(t, dnstest.PowerDNSOptions{})
	p, _ := newProvider(t, pd.URL, pd.APIKey, nil)
	ctx := context.Background()
	_, err := p.GetRecords(ctx, "nowhere.test.")
	if !errors.Is(err, providers.ErrZoneNotFound) || !strings.Contains(err.Error(), `"nowhere.test."`) {
		t.Errorf("GetRecords of a missing zone = %v; want ErrZoneNotFound naming the zone", err)
	}
	_, err = p.ApplyEdits(ctx, "nowhere.test.", []providers.Edit{{After: ptr(providers.RRset{Name: "a.nowhere.test", Type: "A", TTL: 1, Values: []string{"192.0.2.1"}})}}, providers.ApplyOptions{})
	if !errors.Is(err, providers.ErrZoneNotFound) {
		t.Errorf("ApplyEdits to a missing zone = %v; want ErrZoneNotFound", err)
	}
	p, _ = newProvider(t, pd.URL, pd.APIKey, func(c *Config) { c.ServerID = "elsewhere" })
	_, err = p.GetRecords(ctx, testZone)
	if !errors.Is(err, providers.ErrZoneNotFound) || !strings.Contains(err.Error(), "server_id") {
		t.Errorf("GetRecords with a wrong server_id = %v; want a hint at server_id", err)
	}
}

func TestWrongAPIKey(t *testing.T) {
	pd := server(t, dnstest.PowerDNSOptions{})
	wrong := "wrong-" + pd.APIKey[:8]
	p, _ := newProvider(t, pd.URL, wrong, nil)
	_, err := p.GetRecords(context.Background(), testZone)
	if err == nil || !strings.Contains(err.Error(), "401 Unauthorized") || !strings.Contains(err.Error(), "api_key") {
		t.Fatalf("GetRecords with a wrong key = %v; want a 401 that names api_key", err)
	}
	noSecret(t, err, wrong, pd.APIKey)
	_, err = p.ApplyEdits(context.Background(), testZone, creates(rrset("a", "A", 1, "192.0.2.1")), providers.ApplyOptions{})
	if err == nil {
		t.Fatal("ApplyEdits with a wrong key succeeded")
	}
	noSecret(t, err, wrong, pd.APIKey)
}

func TestUnreachable(t *testing.T) {
	p, waits := newProvider(t, "http://127.0.0.1:1", "secret-key", nil)
	_, err := p.GetRecords(context.Background(), testZone)
	if err == nil || !strings.Contains(err.Error(), "connection refused") || !strings.Contains(err.Error(), "after 4 attempts") {
		t.Fatalf("GetRecords with nothing listening = %v", err)
	}
	if len(*waits) != 3 {
		t.Errorf("waited %d times, want 3 (4 attempts)", len(*waits))
	}
	noSecret(t, err, "secret-key")
}

func TestContextCancelled(t *testing.T) {
	pd := server(t, dnstest.PowerDNSOptions{})
	p, _ := newProvider(t, pd.URL, pd.APIKey, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.GetRecords(ctx, testZone); !errors.Is(err, context.Canceled) {
		t.Errorf("GetRecords with a cancelled context = %v", err)
	}
	if _, err := p.ApplyEdits(ctx, testZone, creates(rrset("a", "A", 1, "192.0.2.1")), providers.ApplyOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("ApplyEdits with a cancelled context = %v", err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	time.Sleep(time.Millisecond)
	if _, err := p.GetRecords(ctx, testZone); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("GetRecords past its deadline = %v", err)
	}
}

func TestLibdnsMethods(t *testing.T) {
	pd := server(t, dnstest.PowerDNSOptions{})
	p, _ := newProvider(t, pd.URL, pd.APIKey, nil)
	ctx := context.Background()
	z := testZone + "."
	_, err := p.SetRecords(ctx, z, []libdns.Record{
		libdns.TXT{Name: "t", TTL: time.Minute, Text: `say "hi"`},
		libdns.SRV{Service: "sip", Transport: "tls", Name: "@", TTL: time.Minute, Port: 443, Target: "sip.example.test."},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.AppendRecords(ctx, z, []libdns.Record{libdns.TXT{Name: "t", TTL: time.Minute, Text: "second"}}); err != nil {
		t.Fatal(err)
	}
	want := []providers.RRset{
		rrset("_sip._tls", "SRV", 60, "0 0 443 sip.example.test."),
		rrset("t", "TXT", 60, `say "hi"`, "second"),
	}
	if diff := cmp.Diff(want, read(t, p)); diff != "" {
		t.Fatalf("after SetRecords and AppendRecords (-want +got):\n%s", diff)
	}
	deleted, err := p.DeleteRecords(ctx, z, []libdns.Record{libdns.TXT{Name: "t", Text: `say "hi"`}, libdns.RR{Name: "_sip._tls", Type: "SRV"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(deleted) != 2 {
		t.Errorf("DeleteRecords returned %v, want the 2 records it deleted", deleted)
	}
	if diff := cmp.Diff([]providers.RRset{rrset("t", "TXT", 60, "second")}, read(t, p)); diff != "" {
		t.Errorf("after DeleteRecords (-want +got):\n%s", diff)
	}
	if got, err := p.DeleteRecords(ctx, z, []libdns.Record{libdns.TXT{Name: "absent", Text: "x"}}); err != nil || len(got) != 0 {
		t.Errorf("DeleteRecords of nothing = %v, %v", got, err)
	}
}

func TestOtherClientsFormsAreNormalised(t *testing.T) {
	pd := server(t, dnstest.PowerDNSOptions{})
	p, _ := newProvider(t, pd.URL, pd.APIKey, nil)
	pd.SetRRset(t, testZone, "_sip._tcp.example.test", "SRV", 300, "0 0 5061 Pool01.Example.Test.")
	pd.SetRRset(t, testZone, "Multi.example.test", "TXT", 300, `"ab" "cd"`, `"caf\195\169"`)
	pd.SetRRset(t, testZone, "c.example.test", "CNAME", 300, "Target.Example.Test.")
	want := []providers.RRset{
		rrset("_sip._tcp", "SRV", 300, "0 0 5061 pool01.example.test."),
		rrset("c", "CNAME", 300, "target.example.test."),
		rrset("multi", "TXT", 300, "abcd", "caf\u00e9"),
	}
	if diff := cmp.Diff(want, read(t, p)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// A plan made from that read applies: the preconditions match.
	upd := rrset("multi", "TXT", 300, "abcd")
	if _, err := p.ApplyEdits(context.Background(), testZone, []providers.Edit{{Before: &want[2], After: &upd}}, providers.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	var leaked atomic.Bool
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(true)
	}))
	defer elsewhere.Close()
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	defer redirector.Close()
	p, _ := newProvider(t, redirector.URL, "secret-key", nil)
	_, err := p.GetRecords(context.Background(), testZone)
	if err == nil || !strings.Contains(err.Error(), "307 Temporary Redirect") || !strings.Contains(err.Error(), "does not follow redirects") {
		t.Errorf("GetRecords through a redirect = %v", err)
	}
	_, err = p.ApplyEdits(context.Background(), testZone, creates(rrset("a", "A", 1, "192.0.2.1")), providers.ApplyOptions{})
	if err == nil {
		t.Error("ApplyEdits through a redirect succeeded")
	}
	if leaked.Load() {
		t.Error("a request, with the API key, followed the redirect to another server")
	}
}
