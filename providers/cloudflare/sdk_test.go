package cloudflare

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/cloudflare/cloudflare-go/v6/zones"
	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/cloudflare/cftest"
	"github.com/topo-dns/topo/providers/cloudflare/internal/sdkcheck"
)

// exchange is one request the provider made and the answer it got.
type exchange struct {
	Method, Path string // Path below the API base: "zones/0123/dns_records"
	Query        url.Values
	Body         []byte
	Status       int
	Answer       []byte
	At           time.Time // when the request reached the recorder
}

// recorder is a proxy on 127.0.0.1 between the provider and a cftest
// server that keeps every exchange. before, when set, runs before each
// request is passed on (set it with onRequest).
type recorder struct {
	ts     *httptest.Server
	target string

	mu     sync.Mutex
	log    []exchange
	before func(exchange)
}

const apiBase = "/client/v4/"

func newRecorder(t *testing.T, srv *cftest.Server) *recorder {
	t.Helper()
	rc := &recorder{target: strings.TrimSuffix(srv.URL(), strings.TrimSuffix(apiBase, "/"))}
	rc.ts = httptest.NewServer(rc)
	t.Cleanup(rc.ts.Close)
	return rc
}

// URL is the base_url that sends the provider through the recorder.
func (rc *recorder) URL() string { return rc.ts.URL + strings.TrimSuffix(apiBase, "/") }

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ex := exchange{Method: r.Method, Path: strings.TrimPrefix(r.URL.Path, apiBase), Query: r.URL.Query(), Body: body, At: time.Now()}
	rc.mu.Lock()
	before := rc.before
	rc.mu.Unlock()
	if before != nil {
		before(ex)
	}
	req, err := http.NewRequestWithContext(r.Context(), r.Method, rc.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	req.Header = r.Header.Clone()
	req.Header.Del("Accept-Encoding")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer res.Body.Close()
	ex.Answer, err = io.ReadAll(res.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	ex.Status = res.StatusCode
	rc.mu.Lock()
	rc.log = append(rc.log, ex)
	rc.mu.Unlock()
	for k, v := range res.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(res.StatusCode)
	_, _ = w.Write(ex.Answer)
}

// onRequest makes f run before each request is passed on.
func (rc *recorder) onRequest(f func(exchange)) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.before = f
}

// take returns the exchanges so far and forgets them.
func (rc *recorder) take() []exchange {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	out := rc.log
	rc.log = nil
	return out
}

// newRecordedFixture is newFixture with the provider talking through a
// recorder.
func newRecordedFixture(t *testing.T, opts cftest.Options, edit func(*Config)) (*fixture, *recorder) {
	t.Helper()
	srv := cftest.New(t, opts)
	srv.AddZone(testZone)
	rc := newRecorder(t, srv)
	cfg := Config{APIToken: srv.Token(), BaseURL: rc.URL(), MaxRetries: new(0)}
	if edit != nil {
		edit(&cfg)
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return &fixture{srv: srv, p: p, ctx: ctx}, rc
}

// sdkAnswer returns a new value of the SDK type that decodes the answer
// to ex, as cloudflare-go would decode it.
func sdkAnswer(ex exchange) any {
	switch {
	case ex.Status >= 400:
		return new(dns.Error)
	case ex.Method == "GET" && ex.Path == "zones":
		return sdkcheck.PageOf((*zones.ZoneService)(nil).List)
	case ex.Method == "GET" && strings.HasSuffix(ex.Path, "/dns_records"):
		return sdkcheck.PageOf((*dns.RecordService)(nil).List)
	case ex.Method == "POST" && strings.HasSuffix(ex.Path, "/dns_records/batch"):
		return new(dns.RecordBatchResponseEnvelope)
	case ex.Method == "GET" && strings.HasPrefix(ex.Path, "zones/"):
		return new(zones.ZoneGetResponseEnvelope)
	}
	return nil
}

// Request bodies: topo writes the batch body by hand (wire.go); the SDK
// serializes dns.RecordBatchParams from Cloudflare's OpenAPI description.
// Each case applies edits through the provider to a cftest zone, takes the
// batch body topo sent, and compares it, as JSON values, with the body the
// SDK sends for the same operations.
//
// The SDK sends exactly the fields a caller sets, so each case states the
// fields topo means to send. Per field:
//   - name, type and ttl: required by the SDK in every post and patch
//     (sdkcheck.Unset checks each case sets them); topo sends them in
//     patches too, even where only the TTL changes.
//   - ttl 1 is "automatic": topo sends it for proxied records only, which
//     Cloudflare serves with the automatic TTL whatever is asked.
//   - proxied: topo sends it on A, AAAA and CNAME only, the types that can
//     be proxied; on a TTL-only patch it sends none, so that a record
//     proxied by someone else stays proxied.
//   - comment, tags, settings, private_routing: topo never sends them. A
//     post creates a record without them; a patch keeps what others set.
//   - SRV: the data object {priority, weight, port, target}, no content
//     and no top-level priority (the SDK's SRVRecordParam has none).
//   - MX: content and the top-level priority (MXRecordParam has no data).
//   - TXT: content of quoted character-strings of at most 255 bytes, as
//     TXTRecordParam documents.
//   - names and targets: absolute, without the trailing dot.
//   - puts: topo never sends them; patches leave what topo does not own
//     (comments, tags) alone, where a put would erase it.

// set is sdkcheck.Set: cloudflare.F of the SDK's root package.
func set[F, T any](f *F, v T) { sdkcheck.Set(f, v) }

func sdkA(name, content string, ttl float64, proxied bool) dns.ARecordParam {
	var r dns.ARecordParam
	set(&r.Name, name)
	set(&r.Type, dns.ARecordTypeA)
	set(&r.TTL, dns.TTL(ttl))
	set(&r.Content, content)
	set(&r.Proxied, proxied)
	return r
}

func sdkAAAA(name, content string, ttl float64, proxied bool) dns.AAAARecordParam {
	var r dns.AAAARecordParam
	set(&r.Name, name)
	set(&r.Type, dns.AAAARecordTypeAAAA)
	set(&r.TTL, dns.TTL(ttl))
	set(&r.Content, content)
	set(&r.Proxied, proxied)
	return r
}

func sdkCNAME(name, content string, ttl float64, proxied bool) dns.CNAMERecordParam {
	var r dns.CNAMERecordParam
	set(&r.Name, name)
	set(&r.Type, dns.CNAMERecordTypeCNAME)
	set(&r.TTL, dns.TTL(ttl))
	set(&r.Content, content)
	set(&r.Proxied, proxied)
	return r
}

func sdkTXT(name, content string, ttl float64) dns.TXTRecordParam {
	var r dns.TXTRecordParam
	set(&r.Name, name)
	set(&r.Type, dns.TXTRecordTypeTXT)
	set(&r.TTL, dns.TTL(ttl))
	set(&r.Content, content)
	return r
}

func sdkSRV(name string, prio, weight, port float64, target string, ttl float64) dns.SRVRecordParam {
	var d dns.SRVRecordDataParam
	set(&d.Priority, prio)
	set(&d.Weight, weight)
	set(&d.Port, port)
	set(&d.Target, target)
	var r dns.SRVRecordParam
	set(&r.Name, name)
	set(&r.Type, dns.SRVRecordTypeSRV)
	set(&r.TTL, dns.TTL(ttl))
	set(&r.Data, d)
	return r
}

func sdkMX(name string, prio float64, exchange string, ttl float64) dns.MXRecordParam {
	var r dns.MXRecordParam
	set(&r.Name, name)
	set(&r.Type, dns.MXRecordTypeMX)
	set(&r.TTL, dns.TTL(ttl))
	set(&r.Priority, prio)
	set(&r.Content, exchange)
	return r
}

func sdkCAA(name string, flags float64, tag, value string, ttl float64) dns.CAARecordParam {
	var d dns.CAARecordDataParam
	set(&d.Flags, flags)
	set(&d.Tag, tag)
	set(&d.Value, value)
	var r dns.CAARecordParam
	set(&r.Name, name)
	set(&r.Type, dns.CAARecordTypeCAA)
	set(&r.TTL, dns.TTL(ttl))
	set(&r.Data, d)
	return r
}

// sdkTTLPatch is a patch of a record's TTL alone.
func sdkTTLPatch(id, name string, ttl float64) dns.BatchPatchARecordParam {
	var p dns.BatchPatchARecordParam
	set(&p.ID, id)
	set(&p.Name, name)
	set(&p.Type, dns.ARecordTypeA)
	set(&p.TTL, dns.TTL(ttl))
	return p
}

// sdkBatch is what a batch of these operations is as SDK parameters.
type sdkBatch struct {
	deletes []string
	patches []dns.BatchPatchUnionParam
	posts   []dns.RecordBatchParamsPostUnion
}

func (b sdkBatch) params(zoneID string) dns.RecordBatchParams {
	var p dns.RecordBatchParams
	set(&p.ZoneID, zoneID)
	if len(b.deletes) > 0 {
		var dels []dns.RecordBatchParamsDelete
		for _, id := range b.deletes {
			var d dns.RecordBatchParamsDelete
			set(&d.ID, id)
			dels = append(dels, d)
		}
		set(&p.Deletes, dels)
	}
	if len(b.patches) > 0 {
		set(&p.Patches, b.patches)
	}
	if len(b.posts) > 0 {
		set(&p.Posts, b.posts)
	}
	return p
}

// sdkBody returns the body and path of the request the SDK sends for params.
func sdkBody(t *testing.T, params dns.RecordBatchParams) sdkcheck.Request {
	t.Helper()
	return sdkcheck.Capture(t, `{"success":true,"errors":[],"messages":[],"result":{}}`, func(opts ...option.RequestOption) error {
		_, err := dns.NewRecordService(opts...).Batch(context.Background(), params)
		return err
	})
}

func jsonValue(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("not JSON: %v: %s", err, b)
	}
	return v
}

func TestBatchBodiesMatchSDK(t *testing.T) {
	const (
		pool = "pool01.contoso.com"
		srv  = "_sipfederationtls._tcp.contoso.com"
		txt  = "_topo.pool01.contoso.com"
	)
	long := strings.Repeat("0123456789", 30)
	type ids func(name, typ string) []string
	tests := []struct {
		name    string
		proxied bool
		seed    []providers.RRset
		want    []providers.RRset
		gone    []providers.Key
		sdk     func(id ids) sdkBatch
	}{
		{
			name: "post A",
			want: []providers.RRset{{Name: pool, Type: "A", TTL: 300, Values: []string{"10.0.1.11", "10.0.1.12"}}},
			sdk: func(ids) sdkBatch {
				return sdkBatch{posts: []dns.RecordBatchParamsPostUnion{sdkA(pool, "10.0.1.11", 300, false), sdkA(pool, "10.0.1.12", 300, false)}}
			},
		},
		{
			name: "post proxied A", proxied: true,
			want: []providers.RRset{{Name: "webext.contoso.com", Type: "A", TTL: AutoTTL, Values: []string{"203.0.113.10"}}},
			sdk: func(ids) sdkBatch {
				return sdkBatch{posts: []dns.RecordBatchParamsPostUnion{sdkA("webext.contoso.com", "203.0.113.10", float64(dns.TTL1), true)}}
			},
		},
		{
			name: "post AAAA",
			want: []providers.RRset{{Name: pool, Type: "AAAA", TTL: 600, Values: []string{"2001:DB8:0::11"}}},
			sdk: func(ids) sdkBatch {
				return sdkBatch{posts: []dns.RecordBatchParamsPostUnion{sdkAAAA(pool, "2001:db8::11", 600, false)}}
			},
		},
		{
			name: "post CNAME",
			want: []providers.RRset{{Name: "webext.contoso.com", Type: "CNAME", TTL: 3600, Values: []string{"lb.fabrikam.net."}}},
			sdk: func(ids) sdkBatch {
				return sdkBatch{posts: []dns.RecordBatchParamsPostUnion{sdkCNAME("webext.contoso.com", "lb.fabrikam.net", 3600, false)}}
			},
		},
		{
			name: "post proxied CNAME", proxied: true,
			want: []providers.RRset{{Name: "webext.contoso.com", Type: "CNAME", TTL: AutoTTL, Values: []string{"lb.fabrikam.net."}}},
			sdk: func(ids) sdkBatch {
				return sdkBatch{posts: []dns.RecordBatchParamsPostUnion{sdkCNAME("webext.contoso.com", "lb.fabrikam.net", 1, true)}}
			},
		},
		{
			name: "post TXT",
			want: []providers.RRset{{Name: txt, Type: "TXT", TTL: 300, Values: []string{"topo owner=contoso", `say "hi" \o/`}}},
			sdk: func(ids) sdkBatch {
				return sdkBatch{posts: []dns.RecordBatchParamsPostUnion{sdkTXT(txt, `"say \"hi\" \\o/"`, 300), sdkTXT(txt, `"topo owner=contoso"`, 300)}}
			},
		},
		{
			name: "post TXT longer than one character-string",
			want: []providers.RRset{{Name: txt, Type: "TXT", TTL: 300, Values: []string{long}}},
			sdk: func(ids) sdkBatch {
				return sdkBatch{posts: []dns.RecordBatchParamsPostUnion{sdkTXT(txt, `"`+long[:255]+`" "`+long[255:]+`"`, 300)}}
			},
		},
		{
			name: "post TXT in a proxied provider", proxied: true,
			want: []providers.RRset{{Name: txt, Type: "TXT", TTL: 3600, Values: []string{"owned"}}},
			sdk: func(ids) sdkBatch {
				return sdkBatch{posts: []dns.RecordBatchParamsPostUnion{sdkTXT(txt, `"owned"`, 3600)}}
			},
		},
		{
			name: "post SRV",
			want: []providers.RRset{{Name: srv, Type: "SRV", TTL: 300, Values: []string{"100 1 5061 SIP.contoso.com."}}},
			sdk: func(ids) sdkBatch {
				return sdkBatch{posts: []dns.RecordBatchParamsPostUnion{sdkSRV(srv, 100, 1, 5061, "sip.contoso.com", 300)}}
			},
		},
		{
			name: "post MX and CAA",
			want: []providers.RRset{
				{Name: testZone, Type: "MX", TTL: 300, Values: []string{"10 mail.contoso.com."}},
				{Name: testZone, Type: "CAA", TTL: 300, Values: []string{`0 issue "letsencrypt.org"`}},
			},
			sdk: func(ids) sdkBatch {
				return sdkBatch{posts: []dns.RecordBatchParamsPostUnion{sdkMX(testZone, 10, "mail.contoso.com", 300), sdkCAA(testZone, 0, "issue", "letsencrypt.org", 300)}}
			},
		},
		{
			name: "patch A to a new address",
			seed: []providers.RRset{{Name: pool, Type: "A", TTL: 300, Values: []string{"10.0.1.11"}}},
			want: []providers.RRset{{Name: pool, Type: "A", TTL: 300, Values: []string{"10.0.1.14"}}},
			sdk: func(id ids) sdkBatch {
				p := dns.BatchPatchARecordParam{ARecordParam: sdkA(pool, "10.0.1.14", 300, false)}
				set(&p.ID, id(pool, "A")[0])
				return sdkBatch{patches: []dns.BatchPatchUnionParam{p}}
			},
		},
		{
			name: "patch TTL only",
			seed: []providers.RRset{{Name: pool, Type: "A", TTL: 300, Values: []string{"10.0.1.11", "10.0.1.12"}}},
			want: []providers.RRset{{Name: pool, Type: "A", TTL: 600, Values: []string{"10.0.1.11", "10.0.1.12"}}},
			sdk: func(id ids) sdkBatch {
				ids := id(pool, "A")
				return sdkBatch{patches: []dns.BatchPatchUnionParam{sdkTTLPatch(ids[0], pool, 600), sdkTTLPatch(ids[1], pool, 600)}}
			},
		},
		{
			name: "patch AAAA, CNAME, TXT and SRV",
			seed: []providers.RRset{
				{Name: pool, Type: "AAAA", TTL: 300, Values: []string{"2001:db8::11"}},
				{Name: "webext.contoso.com", Type: "CNAME", TTL: 300, Values: []string{"lb.fabrikam.net."}},
				{Name: txt, Type: "TXT", TTL: 300, Values: []string{"old"}},
				{Name: srv, Type: "SRV", TTL: 300, Values: []string{"100 1 5061 sip.contoso.com."}},
			},
			want: []providers.RRset{
				{Name: pool, Type: "AAAA", TTL: 300, Values: []string{"2001:db8::12"}},
				{Name: "webext.contoso.com", Type: "CNAME", TTL: 300, Values: []string{"lb2.fabrikam.net."}},
				{Name: txt, Type: "TXT", TTL: 300, Values: []string{"new"}},
				{Name: srv, Type: "SRV", TTL: 600, Values: []string{"10 5 5061 sip2.contoso.com."}},
			},
			sdk: func(id ids) sdkBatch {
				aaaa := dns.BatchPatchAAAARecordParam{AAAARecordParam: sdkAAAA(pool, "2001:db8::12", 300, false)}
				set(&aaaa.ID, id(pool, "AAAA")[0])
				cname := dns.BatchPatchCNAMERecordParam{CNAMERecordParam: sdkCNAME("webext.contoso.com", "lb2.fabrikam.net", 300, false)}
				set(&cname.ID, id("webext.contoso.com", "CNAME")[0])
				txtp := dns.BatchPatchTXTRecordParam{TXTRecordParam: sdkTXT(txt, `"new"`, 300)}
				set(&txtp.ID, id(txt, "TXT")[0])
				srvp := dns.BatchPatchSRVRecordParam{SRVRecordParam: sdkSRV(srv, 10, 5, 5061, "sip2.contoso.com", 600)}
				set(&srvp.ID, id(srv, "SRV")[0])
				return sdkBatch{patches: []dns.BatchPatchUnionParam{aaaa, cname, txtp, srvp}}
			},
		},
		{
			name: "delete A, TXT and SRV",
			seed: []providers.RRset{
				{Name: pool, Type: "A", TTL: 300, Values: []string{"10.0.1.11", "10.0.1.12"}},
				{Name: txt, Type: "TXT", TTL: 300, Values: []string{"owned"}},
				{Name: srv, Type: "SRV", TTL: 300, Values: []string{"100 1 5061 sip.contoso.com."}},
			},
			gone: []providers.Key{{Name: pool, Type: "A"}, {Name: txt, Type: "TXT"}, {Name: srv, Type: "SRV"}},
			sdk: func(id ids) sdkBatch {
				return sdkBatch{deletes: slices.Concat(id(pool, "A"), id(txt, "TXT"), id(srv, "SRV"))}
			},
		},
		{
			name: "delete, patch and post in one batch",
			seed: []providers.RRset{
				{Name: pool, Type: "A", TTL: 300, Values: []string{"10.0.1.11", "10.0.1.12", "10.0.1.13"}},
				{Name: "old.contoso.com", Type: "AAAA", TTL: 300, Values: []string{"2001:db8::1"}},
			},
			want: []providers.RRset{
				{Name: pool, Type: "A", TTL: 300, Values: []string{"10.0.1.11", "10.0.1.21"}},
				{Name: "new.contoso.com", Type: "AAAA", TTL: 300, Values: []string{"2001:db8::2"}},
			},
			gone: []providers.Key{{Name: "old.contoso.com", Type: "AAAA"}},
			sdk: func(id ids) sdkBatch {
				a := id(pool, "A") // .11, .12, .13 in listing order
				p := dns.BatchPatchARecordParam{ARecordParam: sdkA(pool, "10.0.1.21", 300, false)}
				set(&p.ID, a[1])
				return sdkBatch{
					deletes: []string{a[2], id("old.contoso.com", "AAAA")[0]},
					patches: []dns.BatchPatchUnionParam{p},
					posts:   []dns.RecordBatchParamsPostUnion{sdkAAAA("new.contoso.com", "2001:db8::2", 300, false)},
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, rc := newRecordedFixture(t, cftest.Options{}, func(c *Config) { c.Proxied = tt.proxied })
			seed(t, f.srv, testZone, tt.seed)
			zoneID := f.srv.ZoneID(testZone)
			id := func(name, typ string) []string {
				var out []string
				for _, r := range f.srv.Records(testZone) {
					if r.Name == name && r.Type == typ {
						out = append(out, r.ID)
					}
				}
				if len(out) == 0 {
					t.Fatalf("no %s %s seeded", name, typ)
				}
				return out
			}
			want := tt.sdk(id).params(zoneID)
			if unset := sdkcheck.Unset(want); len(unset) > 0 {
				t.Fatalf("the case leaves parameters the SDK requires unset: %v", unset)
			}
			f.apply(t, tt.want, tt.gone...)

			var batches []exchange
			for _, ex := range rc.take() {
				if ex.Method == "POST" {
					batches = append(batches, ex)
				}
			}
			if len(batches) != 1 {
				t.Fatalf("%d batch requests, want 1", len(batches))
			}
			sdk := sdkBody(t, want)
			if sdk.Path != batches[0].Path {
				t.Errorf("topo posts to %q, the SDK to %q", batches[0].Path, sdk.Path)
			}
			if diff := cmp.Diff(jsonValue(t, sdk.Body), jsonValue(t, batches[0].Body)); diff != "" {
				t.Errorf("batch body (-SDK +topo):\n%s", diff)
			}
			if edits := f.replan(t, tt.want, tt.gone...); len(edits) != 0 {
				t.Errorf("re-plan: %+v", edits)
			}
		})
	}
}

// fromSDK is the record topo would read if it took the SDK's decoding of
// a record instead of its own: the fields topo relies on, as the SDK sees
// them.
func fromSDK(t *testing.T, r dns.RecordResponse) apiRecord {
	t.Helper()
	a := apiRecord{ID: r.ID, Name: r.Name, Type: string(r.Type), Content: r.Content, Priority: r.Priority, TTL: float64(r.TTL), Proxied: r.Proxied}
	if r.Data != nil {
		b, err := json.Marshal(r.Data)
		if err != nil {
			t.Fatalf("marshal the SDK's %T: %v", r.Data, err)
		}
		a.Data = b
	}
	return a
}

// checkRecords decodes each raw record both ways and requires the SDK to
// see what topo reads.
func checkRecords(t *testing.T, where string, raws []json.RawMessage) {
	t.Helper()
	for i, raw := range raws {
		var mine apiRecord
		if err := json.Unmarshal(raw, &mine); err != nil {
			t.Fatalf("%s[%d]: topo cannot decode %s: %v", where, i, raw, err)
		}
		var sdk dns.RecordResponse
		if err := json.Unmarshal(raw, &sdk); err != nil {
			t.Fatalf("%s[%d]: the SDK cannot decode %s: %v", where, i, raw, err)
		}
		want := fromAPI(testZone, mine)
		got := fromAPI(testZone, fromSDK(t, sdk))
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(record{})); diff != "" {
			t.Errorf("%s[%d] %s: topo's reading (-) and the SDK's (+) differ:\n%s", where, i, raw, diff)
		}
	}
}

// TestAnswersDecodeWithSDK drives the provider against cftest through
// every kind of answer it gets (zone lookup, pages of a listing, batches,
// errors) and decodes each answer with the type cloudflare-go decodes it
// into: no key may be unknown to that type, refused by its decoder or
// missing where it requires one, except sdkcheck.PageExtras and
// sdkcheck.ErrorExtras. Records, in pages and batch results, must read the
// same through the SDK as through topo.
func TestAnswersDecodeWithSDK(t *testing.T) {
	f, rc := newRecordedFixture(t, cftest.Options{MaxPerPage: 4}, nil)
	// Another client's records, of every type topo reads.
	f.srv.Seed(t, testZone,
		cftest.Record{Name: "www.contoso.com", Type: "A", Content: "203.0.113.10", TTL: 1, Proxied: true, Comment: "dashboard"},
		cftest.Record{Name: "www.contoso.com", Type: "AAAA", Content: "2001:db8::10", TTL: 1, Proxied: true},
		cftest.Record{Name: "contoso.com", Type: "MX", Content: "mail.contoso.com", Priority: new(10), TTL: 300},
		cftest.Record{Name: "contoso.com", Type: "CAA", Content: `0 issue "letsencrypt.org"`, TTL: 300},
		cftest.Record{Name: "contoso.com", Type: "TXT", Content: "v=spf1 -all", TTL: 300},
		cftest.Record{Name: "sub.contoso.com", Type: "NS", Content: "ns1.fabrikam.net", TTL: 86400},
		cftest.Record{Name: "_xmpp._tcp.contoso.com", Type: "SRV", Content: "5 5269 xmpp.contoso.com", Priority: new(20), TTL: 300},
		cftest.Record{Name: "_ldap._tcp.contoso.com", Type: "SRV", Data: map[string]any{"priority": 0.0, "weight": 100.0, "port": 389.0, "target": "dc1.contoso.com"}, TTL: 300},
	)
	sets := []providers.RRset{
		{Name: "pool01.contoso.com", Type: "A", TTL: 300, Values: []string{"10.0.1.11", "10.0.1.12", "10.0.1.13"}},
		{Name: "pool01.contoso.com", Type: "AAAA", TTL: 300, Values: []string{"2001:db8::11"}},
		{Name: "webext.contoso.com", Type: "CNAME", TTL: 3600, Values: []string{"lb.fabrikam.net."}},
		{Name: "_topo.pool01.contoso.com", Type: "TXT", TTL: 300, Values: []string{"topo owner=contoso", strings.Repeat("x", 300)}},
		{Name: "_sipfederationtls._tcp.contoso.com", Type: "SRV", TTL: 300, Values: []string{"100 1 5061 sip.contoso.com."}},
	}
	f.apply(t, sets)
	sets[0].Values = []string{"10.0.1.11", "10.0.1.14"}
	sets[2].TTL = 600
	sets[4].Values = []string{"10 1 5061 sip2.contoso.com."}
	f.apply(t, sets[:3], sets[3].Key(), sets[4].Key())
	f.read(t)

	// Error answers: a refused batch, a throttled request, a failing server,
	// an unknown zone id, a wrong token.
	f.srv.FailBatch(0)
	if _, err := f.p.ApplyEdits(f.ctx, zf, creates(hosts(1, 300)), providers.ApplyOptions{}); err == nil {
		t.Error("refused batch: no error")
	}
	f.srv.Throttle(1, time.Second)
	if _, err := f.p.GetRecords(f.ctx, zf); err == nil {
		t.Error("throttled list: no error")
	}
	f.srv.FailRequests(1)
	if _, err := f.p.GetRecords(f.ctx, zf); err == nil {
		t.Error("failing list: no error")
	}
	for _, cfg := range []Config{
		{APIToken: f.srv.Token(), BaseURL: rc.URL(), ZoneID: strings.Repeat("0", 32)},
		{APIToken: "wrong", BaseURL: rc.URL()},
	} {
		p, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.GetRecords(f.ctx, zf); err == nil {
			t.Errorf("GetRecords through %v: no error", cfg)
		}
	}

	seen := map[string]int{}
	for _, ex := range rc.take() {
		what := ex.Method + " " + ex.Path
		into := sdkAnswer(ex)
		if into == nil {
			t.Errorf("%s: no SDK type for this answer", what)
			continue
		}
		seen[fmt.Sprintf("%T %d", into, ex.Status)]++
		probs, err := sdkcheck.Check(ex.Answer, into)
		if err != nil {
			t.Errorf("%s (HTTP %d): %v", what, ex.Status, err)
			continue
		}
		switch into.(type) {
		case *dns.Error:
			probs = sdkcheck.Without(probs, sdkcheck.ErrorExtras...)
		case *dns.RecordBatchResponseEnvelope, *zones.ZoneGetResponseEnvelope:
		default:
			probs = sdkcheck.Without(probs, sdkcheck.PageExtras...)
		}
		for _, p := range probs {
			t.Errorf("%s (HTTP %d): %s in %s", what, ex.Status, p, ex.Answer)
		}

		switch {
		case ex.Status != http.StatusOK:
		case strings.HasSuffix(ex.Path, "/dns_records"):
			var page struct{ Result []json.RawMessage }
			if err := json.Unmarshal(ex.Answer, &page); err != nil {
				t.Fatal(err)
			}
			checkRecords(t, what+" result", page.Result)
		case strings.HasSuffix(ex.Path, "/batch"):
			var env struct {
				Result map[string][]json.RawMessage
			}
			if err := json.Unmarshal(ex.Answer, &env); err != nil {
				t.Fatal(err)
			}
			for op, recs := range env.Result {
				checkRecords(t, what+" result."+op, recs)
			}
		}
	}
	// Every kind of answer was checked.
	for _, kind := range []string{
		"*pagination.V4PagePaginationArray[github.com/cloudflare/cloudflare-go/v6/zones.Zone] 200",
		"*pagination.V4PagePaginationArray[github.com/cloudflare/cloudflare-go/v6/dns.RecordResponse] 200",
		"*dns.RecordBatchResponseEnvelope 200",
		"*apierror.Error 400", "*apierror.Error 401", "*apierror.Error 404", "*apierror.Error 429", "*apierror.Error 500",
	} {
		if seen[kind] == 0 {
			t.Errorf("no answer decoded as %s; seen %v", kind, seen)
		}
	}
}

// TestReadsRecordsAsTheSDKDescribesThem: records in the forms the SDK's
// types document read as topo means them. SRV content is "Priority,
// weight, port, and SRV target" there, beside data; older answers wrote
// "weight port target" with the priority apart (wire_test.go).
func TestReadsRecordsAsTheSDKDescribesThem(t *testing.T) {
	tests := []struct {
		name, json, value string
	}{
		{"SRV content alone", `{"name":"_sip._tls.contoso.com","type":"SRV","content":"10 5 443 Sip.contoso.com","ttl":300}`, "10 5 443 sip.contoso.com."},
		{"SRV content and data", `{"name":"_sip._tls.contoso.com","type":"SRV","content":"10 5 443 sip.contoso.com","data":{"priority":10,"weight":5,"port":443,"target":"sip.contoso.com"},"ttl":300}`, "10 5 443 sip.contoso.com."},
		{"SRV data alone", `{"name":"_sip._tls.contoso.com","type":"SRV","data":{"priority":10,"weight":5,"port":443,"target":"sip.contoso.com"},"ttl":300}`, "10 5 443 sip.contoso.com."},
		{"MX", `{"name":"contoso.com","type":"MX","content":"mail.contoso.com","priority":10,"ttl":300}`, "10 mail.contoso.com."},
		{"CAA data alone", `{"name":"contoso.com","type":"CAA","data":{"flags":0,"tag":"issue","value":"letsencrypt.org"},"ttl":300}`, `0 issue "letsencrypt.org"`},
		{"TXT", `{"name":"contoso.com","type":"TXT","content":"\"v=spf1 -all\"","ttl":300}`, "v=spf1 -all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sdk dns.RecordResponse
			if err := json.Unmarshal([]byte(tt.json), &sdk); err != nil {
				t.Fatalf("the SDK cannot decode the case: %v", err)
			}
			var r apiRecord
			if err := json.Unmarshal([]byte(tt.json), &r); err != nil {
				t.Fatal(err)
			}
			got := fromAPI(testZone, r)
			if got.value != tt.value {
				t.Errorf("read %q, want %q", got.value, tt.value)
			}
			if _, err := got.rr.Parse(); err != nil {
				t.Errorf("libdns cannot parse %+v: %v", got.rr, err)
			}
		})
	}
}

// TestProxiedRecordWithAnotherTTL: a record someone proxied in Cloudflare
// is served with the automatic TTL (ttl 1, read as 300) whatever a patch
// asks. A TTL-only patch of it would be taken and change nothing, and every
// publish would plan it again: the provider refuses it, before any write,
// saying why.
func TestProxiedRecordWithAnotherTTL(t *testing.T) {
	f, rc := newRecordedFixture(t, cftest.Options{}, nil)
	f.srv.Seed(t, testZone,
		cftest.Record{Name: "www.contoso.com", Type: "A", Content: "203.0.113.10", TTL: 1, Proxied: true},
		cftest.Record{Name: "api.contoso.com", Type: "A", Content: "203.0.113.11", TTL: 1},
	)
	want := []providers.RRset{
		{Name: "api.contoso.com", Type: "A", TTL: 600, Values: []string{"203.0.113.11"}},
		{Name: "www.contoso.com", Type: "A", TTL: 600, Values: []string{"203.0.113.10"}},
	}
	edits := f.replan(t, want)
	if len(edits) != 2 {
		t.Fatalf("%d edits, want the two TTL changes", len(edits))
	}
	before := f.srv.Records(testZone)
	rc.take()
	n, err := f.p.ApplyEdits(f.ctx, zf, edits, providers.ApplyOptions{})
	if n != 0 || err == nil || !strings.Contains(err.Error(), "www.contoso.com") || !strings.Contains(err.Error(), "proxied") {
		t.Fatalf("ApplyEdits: %d, %v; want a refusal naming the proxied record", n, err)
	}
	if batches := len(filter(rc.take(), "POST")); batches != 0 {
		t.Errorf("%d batches sent for a refused apply", batches)
	}
	if diff := cmp.Diff(before, f.srv.Records(testZone)); diff != "" {
		t.Errorf("a refused apply changed the zone (-want +got):\n%s", diff)
	}

	// With the automatic TTL's 300 s asked, nothing needs changing for the
	// proxied record, and the other one converges.
	want[1].TTL = AutoTTL
	f.apply(t, want)
	if edits := f.replan(t, want); len(edits) != 0 {
		t.Errorf("re-plan: %+v", edits)
	}
}
