package sdkcheck

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/google/go-cmp/cmp"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		into func() any
		want []Problem
	}{
		{
			name: "complete A record",
			raw:  `{"id":"1","name":"a.contoso.com","type":"A","content":"192.0.2.1","ttl":300,"proxied":false,"proxiable":true,"meta":{},"created_on":"2024-01-02T03:04:05Z","modified_on":"2024-01-02T03:04:05.123Z","tags":[],"settings":{}}`,
			into: func() any { return new(dns.RecordResponse) },
		},
		{
			name: "unknown, refused and missing keys",
			raw:  `{"id":"1","name":"a.contoso.com","type":"A","content":"192.0.2.1","ttl":300,"proxied":"no","zone_id":"z","created_on":"yesterday","modified_on":"2024-01-02T03:04:05Z","proxiable":true}`,
			into: func() any { return new(dns.RecordResponse) },
			want: []Problem{{"created_on", Invalid}, {"meta", Missing}, {"proxied", Invalid}, {"zone_id", Unknown}},
		},
		{
			name: "inside the variant of a union",
			raw:  `{"id":"1","name":"_sip._tls.contoso.com","type":"SRV","content":"1 2 3 x.contoso.com","priority":1,"data":{"priority":1,"weight":2,"port":3,"target":"x.contoso.com","service":"_sip"},"ttl":300,"meta":{},"proxiable":false,"created_on":"2024-01-02T03:04:05Z","modified_on":"2024-01-02T03:04:05Z"}`,
			into: func() any { return new(dns.RecordResponse) },
			want: []Problem{{"data.service", Unknown}, {"priority", Unknown}},
		},
		{
			name: "in an envelope's array",
			raw:  `{"success":true,"errors":[],"messages":[],"result":{"posts":[{"id":"1","name":"a.contoso.com","type":"TXT","content":"\"x\"","ttl":1,"meta":{},"proxiable":false,"created_on":"2024-01-02T03:04:05Z","modified_on":"2024-01-02T03:04:05Z","locked":false}],"extra":[]}}`,
			into: func() any { return new(dns.RecordBatchResponseEnvelope) },
			want: []Problem{{"result.extra", Unknown}, {"result.posts[0].locked", Unknown}},
		},
		{
			name: "a page of a listing",
			raw:  `{"success":true,"errors":[],"messages":[],"result":[],"result_info":{"page":1,"per_page":100,"count":0,"total_count":0,"total_pages":0}}`,
			into: func() any { return PageOf((*dns.RecordService)(nil).List) },
			want: []Problem{{"errors", Unknown}, {"messages", Unknown}, {"result_info.count", Unknown}, {"result_info.total_count", Unknown}, {"result_info.total_pages", Unknown}, {"success", Unknown}},
		},
		{
			name: "a null where the SDK requires a value",
			raw:  `{"success":true,"errors":null,"messages":[],"result":{}}`,
			into: func() any { return new(dns.RecordBatchResponseEnvelope) },
			want: []Problem{{"errors", Missing}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Check([]byte(tt.raw), tt.into())
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := Check([]byte(`{"id":`), new(dns.RecordResponse)); err == nil {
		t.Error("Check of broken JSON: no error")
	}
}

func TestWithout(t *testing.T) {
	in := []Problem{{"success", Unknown}, {"result_info.total_pages", Unknown}, {"meta", Missing}, {"success", Invalid}}
	got := Without(in, PageExtras...)
	if diff := cmp.Diff([]Problem{{"meta", Missing}, {"success", Invalid}}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func aRecord(ttl bool) dns.ARecordParam {
	var r dns.ARecordParam
	Set(&r.Name, "a.contoso.com")
	Set(&r.Type, dns.ARecordTypeA)
	Set(&r.Content, "192.0.2.1")
	if ttl {
		Set(&r.TTL, dns.TTL(300))
	}
	return r
}

func TestUnset(t *testing.T) {
	var del dns.RecordBatchParamsDelete
	var p dns.RecordBatchParams
	Set(&p.Posts, []dns.RecordBatchParamsPostUnion{aRecord(true), aRecord(false)})
	Set(&p.Deletes, []dns.RecordBatchParamsDelete{del})
	want := []string{"deletes[0].id", "posts[1].ttl"}
	if diff := cmp.Diff(want, Unset(p)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestCapture(t *testing.T) {
	var p dns.RecordBatchParams
	Set(&p.ZoneID, "z1")
	Set(&p.Posts, []dns.RecordBatchParamsPostUnion{aRecord(true)})
	var got *dns.RecordBatchResponse
	req := Capture(t, `{"success":true,"errors":[],"messages":[],"result":{"posts":[{"id":"r1","type":"A"}]}}`, func(opts ...option.RequestOption) (err error) {
		got, err = dns.NewRecordService(opts...).Batch(context.Background(), p)
		return err
	})
	if req.Method != "POST" || req.Path != "zones/z1/dns_records/batch" || req.Header.Get("Authorization") != "Bearer sdkcheck-token" {
		t.Errorf("request %s %s, Authorization %q", req.Method, req.Path, req.Header.Get("Authorization"))
	}
	var body any
	if err := json.Unmarshal(req.Body, &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"posts": []any{map[string]any{"name": "a.contoso.com", "type": "A", "content": "192.0.2.1", "ttl": 300.0}}}
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	if len(got.Posts) != 1 || got.Posts[0].ID != "r1" {
		t.Errorf("answer decoded as %+v", got)
	}
}
