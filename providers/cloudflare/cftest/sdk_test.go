package cftest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/cloudflare/cloudflare-go/v6/zones"
	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/providers/cloudflare/internal/sdkcheck"
)

// The server held to cloudflare-go, Cloudflare's SDK generated from its
// OpenAPI description: the SDK's own requests are understood, and every
// answer decodes into the SDK's types with nothing unknown, refused or
// missing (sdkcheck.Check), but for the envelope keys and result_info
// totals the SDK's page and error types leave out (sdkcheck.PageExtras,
// sdkcheck.ErrorExtras).

// answer is one raw answer the SDK received.
type rawAnswer struct {
	method, path string
	status       int
	body         []byte
}

// sdkClient returns the SDK's services pointed at s, with a middleware that
// keeps every raw answer.
type sdkClient struct {
	records *dns.RecordService
	zones   *zones.ZoneService

	mu      sync.Mutex
	answers []rawAnswer
}

func newSDKClient(t *testing.T, s *Server, token string) *sdkClient {
	t.Helper()
	c := &sdkClient{}
	keep := func(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
		res, err := next(req)
		if err != nil {
			return res, err
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return nil, err
		}
		res.Body = io.NopCloser(bytes.NewReader(body))
		c.mu.Lock()
		c.answers = append(c.answers, rawAnswer{req.Method, req.URL.Path, res.StatusCode, body})
		c.mu.Unlock()
		return res, nil
	}
	opts := []option.RequestOption{
		option.WithBaseURL(s.URL()), option.WithAPIToken(token), option.WithMaxRetries(0), option.WithMiddleware(keep),
	}
	c.records = dns.NewRecordService(opts...)
	c.zones = zones.NewZoneService(opts...)
	return c
}

// check decodes every answer so far with the SDK type the SDK decoded it
// into and fails the test on any problem.
func (c *sdkClient) check(t *testing.T, into func(rawAnswer) (any, []string)) {
	t.Helper()
	c.mu.Lock()
	answers := c.answers
	c.answers = nil
	c.mu.Unlock()
	if len(answers) == 0 {
		t.Fatal("no answers to check")
	}
	for _, a := range answers {
		v, tolerated := into(a)
		probs, err := sdkcheck.Check(a.body, v)
		if err != nil {
			t.Errorf("%s %s: %v", a.method, a.path, err)
			continue
		}
		for _, p := range sdkcheck.Without(probs, tolerated...) {
			t.Errorf("%s %s (HTTP %d): %s in %s", a.method, a.path, a.status, p, a.body)
		}
	}
}

// answerType is the type the SDK decodes an answer of a into.
func answerType(a rawAnswer) (any, []string) {
	switch {
	case a.status >= 400:
		return new(dns.Error), sdkcheck.ErrorExtras
	case a.method == "POST":
		return new(dns.RecordBatchResponseEnvelope), nil
	case a.path == "/client/v4/zones":
		return sdkcheck.PageOf((*zones.ZoneService)(nil).List), sdkcheck.PageExtras
	case a.method == "GET" && len(a.path) > len("/dns_records") && a.path[len(a.path)-len("/dns_records"):] == "/dns_records":
		return sdkcheck.PageOf((*dns.RecordService)(nil).List), sdkcheck.PageExtras
	}
	return new(zones.ZoneGetResponseEnvelope), nil
}

func set[F, T any](f *F, v T) { sdkcheck.Set(f, v) }

func aParam(name, content string, ttl float64, proxied bool) dns.ARecordParam {
	var r dns.ARecordParam
	set(&r.Name, name)
	set(&r.Type, dns.ARecordTypeA)
	set(&r.TTL, dns.TTL(ttl))
	set(&r.Content, content)
	set(&r.Proxied, proxied)
	return r
}

// row is what a test compares of a stored record.
type row struct {
	Name, Type, Content string
	Priority            int
	TTL                 int
	Proxied             bool
	Comment             string
}

func rows(recs []Record) []row {
	var out []row
	for _, r := range recs {
		p := 0
		if r.Priority != nil {
			p = *r.Priority
		}
		out = append(out, row{r.Name, r.Type, r.Content, p, r.TTL, r.Proxied, r.Comment})
	}
	return out
}

func TestSDKRequestsAndAnswers(t *testing.T) {
	s := New(t, Options{MaxPerPage: 3})
	id := s.AddZone("contoso.com")
	s.AddZone("fabrikam.com")
	c := newSDKClient(t, s, s.Token())
	ctx := context.Background()

	// Zone lookup by name, and by id.
	var zl zones.ZoneListParams
	set(&zl.Name, "contoso.com")
	page, err := c.zones.List(ctx, zl)
	if err != nil || len(page.Result) != 1 || page.Result[0].ID != id || page.Result[0].Name != "contoso.com" {
		t.Fatalf("zone lookup through the SDK: %+v, %v", page, err)
	}
	var zg zones.ZoneGetParams
	set(&zg.ZoneID, id)
	if z, err := c.zones.Get(ctx, zg); err != nil || z.Name != "contoso.com" || z.Status != zones.ZoneStatusActive {
		t.Fatalf("zone by id through the SDK: %+v, %v", z, err)
	}

	// A batch of posts, as the SDK writes them, of every type topo writes.
	var txt dns.TXTRecordParam
	set(&txt.Name, "_topo.pool01.contoso.com")
	set(&txt.Type, dns.TXTRecordTypeTXT)
	set(&txt.TTL, dns.TTL(300))
	set(&txt.Content, `"topo owner=contoso"`)
	var srvData dns.SRVRecordDataParam
	set(&srvData.Priority, 100.0)
	set(&srvData.Weight, 1.0)
	set(&srvData.Port, 5061.0)
	set(&srvData.Target, "sip.contoso.com")
	var srv dns.SRVRecordParam
	set(&srv.Name, "_sipfederationtls._tcp.contoso.com")
	set(&srv.Type, dns.SRVRecordTypeSRV)
	set(&srv.TTL, dns.TTL(300))
	set(&srv.Data, srvData)
	var mx dns.MXRecordParam
	set(&mx.Name, "contoso.com")
	set(&mx.Type, dns.MXRecordTypeMX)
	set(&mx.TTL, dns.TTL(300))
	set(&mx.Content, "mail.contoso.com")
	set(&mx.Priority, 10.0)
	var caaData dns.CAARecordDataParam
	set(&caaData.Flags, 0.0)
	set(&caaData.Tag, "issue")
	set(&caaData.Value, "letsencrypt.org")
	var caa dns.CAARecordParam
	set(&caa.Name, "contoso.com")
	set(&caa.Type, dns.CAARecordTypeCAA)
	set(&caa.TTL, dns.TTL(300))
	set(&caa.Data, caaData)
	var cname dns.CNAMERecordParam
	set(&cname.Name, "webext.contoso.com")
	set(&cname.Type, dns.CNAMERecordTypeCNAME)
	set(&cname.TTL, dns.TTL(1))
	set(&cname.Content, "lb.fabrikam.net")
	set(&cname.Proxied, true)
	var aaaa dns.AAAARecordParam
	set(&aaaa.Name, "pool01.contoso.com")
	set(&aaaa.Type, dns.AAAARecordTypeAAAA)
	set(&aaaa.TTL, dns.TTL(300))
	set(&aaaa.Content, "2001:db8::11")
	withComment := aParam("pool01.contoso.com", "10.0.1.12", 300, false)
	set(&withComment.Comment, "by hand")

	var posts dns.RecordBatchParams
	set(&posts.ZoneID, id)
	set(&posts.Posts, []dns.RecordBatchParamsPostUnion{aParam("pool01.contoso.com", "10.0.1.11", 300, false), withComment, aaaa, cname, txt, srv, mx, caa})
	if unset := sdkcheck.Unset(posts); len(unset) > 0 {
		t.Fatalf("parameters the SDK requires are unset: %v", unset)
	}
	res, err := c.records.Batch(ctx, posts)
	if err != nil {
		t.Fatalf("batch of posts: %v", err)
	}
	if len(res.Posts) != 8 || res.Posts[5].Type != dns.RecordResponseTypeSRV {
		t.Fatalf("batch answer as the SDK reads it: %+v", res)
	}
	if d, ok := res.Posts[5].Data.(dns.SRVRecordData); !ok || d.Priority != 100 || d.Weight != 1 || d.Port != 5061 || d.Target != "sip.contoso.com" {
		t.Errorf("SRV data as the SDK reads it: %#v", res.Posts[5].Data)
	}
	want := []row{
		{"_sipfederationtls._tcp.contoso.com", "SRV", "100 1 5061 sip.contoso.com", 0, 300, false, ""},
		{"_topo.pool01.contoso.com", "TXT", `"topo owner=contoso"`, 0, 300, false, ""},
		{"contoso.com", "CAA", `0 issue "letsencrypt.org"`, 0, 300, false, ""},
		{"contoso.com", "MX", "mail.contoso.com", 10, 300, false, ""},
		{"pool01.contoso.com", "A", "10.0.1.11", 0, 300, false, ""},
		{"pool01.contoso.com", "A", "10.0.1.12", 0, 300, false, "by hand"},
		{"pool01.contoso.com", "AAAA", "2001:db8::11", 0, 300, false, ""},
		{"webext.contoso.com", "CNAME", "lb.fabrikam.net", 0, 1, true, ""},
	}
	if diff := cmp.Diff(want, rows(s.Records("contoso.com"))); diff != "" {
		t.Errorf("zone after the SDK's posts (-want +got):\n%s", diff)
	}

	// Deletes, patches and puts: a patch keeps what it does not name (the
	// comment), a put replaces the whole record.
	ids := map[string]string{}
	for _, r := range s.Records("contoso.com") {
		ids[r.Type+" "+r.Content] = r.ID
	}
	var patch dns.BatchPatchARecordParam
	set(&patch.ID, ids["A 10.0.1.12"])
	set(&patch.Name, "pool01.contoso.com")
	set(&patch.Type, dns.ARecordTypeA)
	set(&patch.TTL, dns.TTL(600))
	put := dns.BatchPutARecordParam{ARecordParam: aParam("pool01.contoso.com", "10.0.1.13", 120, false)}
	set(&put.ID, ids["A 10.0.1.11"])
	var del dns.RecordBatchParamsDelete
	set(&del.ID, ids["MX mail.contoso.com"])
	var edit dns.RecordBatchParams
	set(&edit.ZoneID, id)
	set(&edit.Deletes, []dns.RecordBatchParamsDelete{del})
	set(&edit.Patches, []dns.BatchPatchUnionParam{patch})
	set(&edit.Puts, []dns.BatchPutUnionParam{put})
	if res, err := c.records.Batch(ctx, edit); err != nil || len(res.Deletes) != 1 || len(res.Patches) != 1 || len(res.Puts) != 1 {
		t.Fatalf("batch of a delete, a patch and a put: %+v, %v", res, err)
	}
	want = []row{
		want[0], want[1], want[2],
		{"pool01.contoso.com", "A", "10.0.1.12", 0, 600, false, "by hand"},
		{"pool01.contoso.com", "A", "10.0.1.13", 0, 120, false, ""},
		want[6], want[7],
	}
	if diff := cmp.Diff(want, rows(s.Records("contoso.com"))); diff != "" {
		t.Errorf("zone after the SDK's delete, patch and put (-want +got):\n%s", diff)
	}

	// The SDK's pager reads every record, 3 a page, until an empty page.
	var lp dns.RecordListParams
	set(&lp.ZoneID, id)
	set(&lp.PerPage, 100.0)
	var listed []string
	pager := c.records.ListAutoPaging(ctx, lp)
	for pager.Next() {
		listed = append(listed, pager.Current().ID)
	}
	if err := pager.Err(); err != nil {
		t.Fatalf("the SDK's pager: %v", err)
	}
	var stored []string
	for _, r := range s.Records("contoso.com") {
		stored = append(stored, r.ID)
	}
	if diff := cmp.Diff(stored, listed); diff != "" {
		t.Errorf("ids the SDK's pager read (-stored +listed):\n%s", diff)
	}
	if n := s.Counts().List; n != 4 {
		t.Errorf("%d list requests for 7 records at 3 a page, want 4 (the last one empty)", n)
	}

	// Error answers.
	var bad dns.RecordBatchParams
	set(&bad.ZoneID, id)
	set(&bad.Deletes, []dns.RecordBatchParamsDelete{del})
	_, err = c.records.Batch(ctx, bad)
	var apiErr *dns.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || len(apiErr.Errors) != 1 || apiErr.Errors[0].Code != codeNoSuchRecord {
		t.Errorf("delete of a deleted record: %v, want HTTP 400 with code %d", err, codeNoSuchRecord)
	}
	var gone dns.RecordListParams
	set(&gone.ZoneID, "0123")
	if _, err := c.records.List(ctx, gone); !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
		t.Errorf("list of an unknown zone: %v, want HTTP 404", err)
	}
	s.Throttle(1, 0)
	if _, err := c.records.List(ctx, lp); !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTooManyRequests {
		t.Errorf("throttled list: %v, want HTTP 429", err)
	}
	if _, err := newSDKClient(t, s, "wrong").zones.List(ctx, zl); !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong token: %v, want HTTP 401", err)
	}
	c.check(t, answerType)
}

// TestSDKPagesOfAnotherSize: whatever page size the server chooses, and
// whether result_info carries totals or not, the SDK's pager reads every
// record once.
func TestSDKPagesOfAnotherSize(t *testing.T) {
	for _, opts := range []Options{
		{PageSize: 4},
		{PageSize: 250},
		{PageSize: 4, BareResultInfo: true},
		{MaxPerPage: 6, BareResultInfo: true},
	} {
		t.Run(fmt.Sprintf("%+v", opts), func(t *testing.T) {
			s := New(t, opts)
			id := s.AddZone("contoso.com")
			var recs []Record
			for i := range 21 {
				recs = append(recs, Record{Name: fmt.Sprintf("h%02d.contoso.com", i), Type: "A", Content: "192.0.2.1", TTL: 300})
			}
			s.Seed(t, "contoso.com", recs...)
			c := newSDKClient(t, s, s.Token())
			var lp dns.RecordListParams
			set(&lp.ZoneID, id)
			set(&lp.PerPage, 10.0)
			var names []string
			pager := c.records.ListAutoPaging(context.Background(), lp)
			for pager.Next() {
				names = append(names, pager.Current().Name)
			}
			if err := pager.Err(); err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, r := range recs {
				want = append(want, r.Name)
			}
			if diff := cmp.Diff(want, names); diff != "" {
				t.Errorf("names read (-want +got):\n%s", diff)
			}
			c.check(t, answerType)
		})
	}
}
