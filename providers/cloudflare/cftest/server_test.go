package cftest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type answer struct {
	Success    bool            `json:"success"`
	Errors     []Message       `json:"errors"`
	Result     json.RawMessage `json:"result"`
	ResultInfo *ResultInfo     `json:"result_info"`
}

func call(t *testing.T, s *Server, method, path, token string, body any) (int, answer, http.Header) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.URL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type %q, want application/json", method, path, ct)
	}
	var a answer
	if err := json.NewDecoder(res.Body).Decode(&a); err != nil {
		t.Fatalf("%s %s: decode envelope: %v", method, path, err)
	}
	if a.Success != (res.StatusCode == http.StatusOK) {
		t.Errorf("%s %s: HTTP %d with success=%t", method, path, res.StatusCode, a.Success)
	}
	return res.StatusCode, a, res.Header
}

func TestAuthentication(t *testing.T) {
	s := New(t, Options{Token: "right"})
	for _, tok := range []string{"", "wrong"} {
		code, a, _ := call(t, s, "GET", "/zones", tok, nil)
		if code != http.StatusUnauthorized || len(a.Errors) != 1 || a.Errors[0].Code != codeAuthentication {
			t.Errorf("token %q: HTTP %d %+v, want 401 with code %d", tok, code, a.Errors, codeAuthentication)
		}
	}
	if code, _, _ := call(t, s, "GET", "/zones", "right", nil); code != http.StatusOK {
		t.Errorf("right token: HTTP %d", code)
	}
	if got := s.Counts(); got.Unauthorized != 2 || got.Zones != 3 {
		t.Errorf("counts %+v, want 2 unauthorized of 3 zone requests", got)
	}
}

func TestZoneLookupAndPagination(t *testing.T) {
	s := New(t, Options{MaxPerPage: 4})
	id := s.AddZone("Contoso.com.")
	s.AddZone("fabrikam.com")
	var recs []Record
	for i := range 10 {
		recs = append(recs, Record{Name: fmt.Sprintf("h%02d.contoso.com", i), Type: "A", Content: fmt.Sprintf("192.0.2.%d", i), TTL: 300})
	}
	s.Seed(t, "contoso.com", recs...)

	_, a, _ := call(t, s, "GET", "/zones?name=contoso.com", s.Token(), nil)
	var zones []zoneJSON
	if err := json.Unmarshal(a.Result, &zones); err != nil {
		t.Fatal(err)
	}
	type idName struct{ ID, Name, Status string }
	var got []idName
	for _, z := range zones {
		got = append(got, idName{z.ID, z.Name, z.Status})
	}
	if diff := cmp.Diff([]idName{{id, "contoso.com", "active"}}, got); diff != "" {
		t.Errorf("zone lookup (-want +got):\n%s", diff)
	}

	var names []string
	for page := 1; page <= 3; page++ {
		_, a, _ := call(t, s, "GET", fmt.Sprintf("/zones/%s/dns_records?page=%d&per_page=100", id, page), s.Token(), nil)
		var got []Record
		if err := json.Unmarshal(a.Result, &got); err != nil {
			t.Fatal(err)
		}
		want := ResultInfo{Page: page, PerPage: 4, Count: min(4, 10-(page-1)*4), TotalCount: 10, TotalPages: 3}
		if diff := cmp.Diff(want, *a.ResultInfo); diff != "" {
			t.Errorf("page %d result_info (-want +got):\n%s", page, diff)
		}
		for _, r := range got {
			names = append(names, r.Name)
		}
	}
	if len(names) != 10 || names[0] != "h00.contoso.com" || names[9] != "h09.contoso.com" {
		t.Errorf("paged through %v", names)
	}
	code, _, _ := call(t, s, "GET", "/zones/nosuchzone/dns_records", s.Token(), nil)
	if code != http.StatusNotFound {
		t.Errorf("unknown zone: HTTP %d, want 404", code)
	}
}

func TestBatchIsOneTransaction(t *testing.T) {
	s := New(t, Options{})
	id := s.AddZone("contoso.com")
	seeded := s.Seed(t, "contoso.com",
		Record{Name: "a.contoso.com", Type: "A", Content: "192.0.2.1", TTL: 300},
		Record{Name: "b.contoso.com", Type: "A", Content: "192.0.2.2", TTL: 300})
	before := s.Records("contoso.com")

	// Valid deletes and patches, then a post that collides: nothing happens.
	code, a, _ := call(t, s, "POST", "/zones/"+id+"/dns_records/batch", s.Token(), map[string]any{
		"deletes": []map[string]any{{"id": seeded[0].ID}},
		"patches": []map[string]any{{"id": seeded[1].ID, "ttl": 600}},
		"posts": []map[string]any{
			{"name": "c.contoso.com", "type": "A", "content": "192.0.2.3", "ttl": 300},
			{"name": "b.contoso.com", "type": "A", "content": "192.0.2.2", "ttl": 300},
		},
	})
	if code != http.StatusBadRequest || len(a.Errors) != 1 || a.Errors[0].Code != codeIdentical {
		t.Fatalf("colliding batch: HTTP %d %+v, want 400 with code %d", code, a.Errors, codeIdentical)
	}
	if diff := cmp.Diff(before, s.Records("contoso.com")); diff != "" {
		t.Errorf("failed batch changed the zone (-want +got):\n%s", diff)
	}

	// Deletes run before posts: the same record can be deleted and re-added.
	code, a, _ = call(t, s, "POST", "/zones/"+id+"/dns_records/batch", s.Token(), map[string]any{
		"deletes": []map[string]any{{"id": seeded[0].ID}},
		"patches": []map[string]any{{"id": seeded[1].ID, "ttl": 600}},
		"posts": []map[string]any{
			{"name": "a.contoso.com", "type": "A", "content": "192.0.2.1", "ttl": 1},
			{"name": "_sip._tls.contoso.com", "type": "SRV", "data": map[string]any{"priority": 10, "weight": 5, "port": 443, "target": "sip.contoso.com."}, "ttl": 300},
			{"name": "contoso.com", "type": "MX", "content": "mail.contoso.com", "priority": 10, "ttl": 300},
			{"name": "www.contoso.com", "type": "CNAME", "content": "web.contoso.com", "ttl": 300, "proxied": true},
		},
	})
	if code != http.StatusOK {
		t.Fatalf("batch: HTTP %d %+v", code, a.Errors)
	}
	type row struct {
		Name, Type, Content string
		Priority            int
		TTL                 int
		Proxied             bool
	}
	var got []row
	for _, r := range s.Records("contoso.com") {
		p := 0
		if r.Priority != nil {
			p = *r.Priority
		}
		got = append(got, row{r.Name, r.Type, r.Content, p, r.TTL, r.Proxied})
	}
	want := []row{
		{"_sip._tls.contoso.com", "SRV", "10 5 443 sip.contoso.com", 0, 300, false},
		{"a.contoso.com", "A", "192.0.2.1", 0, 1, false},
		{"b.contoso.com", "A", "192.0.2.2", 0, 600, false},
		{"contoso.com", "MX", "mail.contoso.com", 10, 300, false},
		{"www.contoso.com", "CNAME", "web.contoso.com", 0, 1, true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("zone after batch (-want +got):\n%s", diff)
	}
}

func TestBatchRules(t *testing.T) {
	s := New(t, Options{MaxBatch: 2})
	id := s.AddZone("contoso.com")
	s.Seed(t, "contoso.com", Record{Name: "www.contoso.com", Type: "CNAME", Content: "web.contoso.com", TTL: 300})
	post := func(recs ...map[string]any) map[string]any { return map[string]any{"posts": recs} }
	tests := []struct {
		name string
		body map[string]any
		code int
	}{
		{"too many operations", post(
			map[string]any{"name": "a.contoso.com", "type": "A", "content": "192.0.2.1"},
			map[string]any{"name": "b.contoso.com", "type": "A", "content": "192.0.2.1"},
			map[string]any{"name": "c.contoso.com", "type": "A", "content": "192.0.2.1"}), codeBatchTooLarge},
		{"name outside the zone", post(map[string]any{"name": "a.fabrikam.com", "type": "A", "content": "192.0.2.1"}), codeValidation},
		{"relative name", post(map[string]any{"name": "a", "type": "A", "content": "192.0.2.1"}), codeValidation},
		{"bad address", post(map[string]any{"name": "a.contoso.com", "type": "A", "content": "2001:db8::1"}), codeValidation},
		{"TTL too low", post(map[string]any{"name": "a.contoso.com", "type": "A", "content": "192.0.2.1", "ttl": 30}), codeValidation},
		{"proxied TXT", post(map[string]any{"name": "a.contoso.com", "type": "TXT", "content": "x", "proxied": true}), codeNotProxiable},
		{"beside a CNAME", post(map[string]any{"name": "www.contoso.com", "type": "A", "content": "192.0.2.1"}), codeCNAMEConflict},
		{"delete of an unknown id", map[string]any{"deletes": []map[string]any{{"id": "0123"}}}, codeNoSuchRecord},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, a, _ := call(t, s, "POST", "/zones/"+id+"/dns_records/batch", s.Token(), tt.body)
			if code != http.StatusBadRequest || len(a.Errors) == 0 || a.Errors[0].Code != tt.code {
				t.Errorf("HTTP %d %+v, want 400 with code %d", code, a.Errors, tt.code)
			}
		})
	}
	if n := len(s.Records("contoso.com")); n != 1 {
		t.Errorf("zone holds %d records after refused batches, want 1", n)
	}
}

func TestFaults(t *testing.T) {
	s := New(t, Options{})
	id := s.AddZone("contoso.com")
	s.Throttle(1, 1500*time.Millisecond)
	code, _, h := call(t, s, "GET", "/zones", s.Token(), nil)
	if code != http.StatusTooManyRequests || h.Get("Retry-After") != "2" {
		t.Errorf("throttled: HTTP %d Retry-After %q, want 429 and 2", code, h.Get("Retry-After"))
	}
	s.FailRequests(1)
	if code, _, h := call(t, s, "GET", "/zones", s.Token(), nil); code != http.StatusInternalServerError || h.Get("Retry-After") != "" {
		t.Errorf("failed: HTTP %d Retry-After %q, want 500 without", code, h.Get("Retry-After"))
	}
	s.FailBatch(1)
	body := func(n int) map[string]any {
		return map[string]any{"posts": []map[string]any{{"name": fmt.Sprintf("h%d.contoso.com", n), "type": "A", "content": "192.0.2.1"}}}
	}
	var codes []int
	for i := range 3 {
		code, _, _ := call(t, s, "POST", "/zones/"+id+"/dns_records/batch", s.Token(), body(i))
		codes = append(codes, code)
	}
	if diff := cmp.Diff([]int{200, 400, 200}, codes); diff != "" {
		t.Errorf("batch answers with FailBatch(1) (-want +got):\n%s", diff)
	}
	if n := len(s.Records("contoso.com")); n != 2 {
		t.Errorf("zone holds %d records, want 2", n)
	}
	want := Counts{Zones: 2, Batch: 3, Throttled: 1, Failed: 1}
	if diff := cmp.Diff(want, s.Counts()); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if got := s.Counts().Total(); got != 5 {
		t.Errorf("total %d, want 5", got)
	}
}

func TestBatchWantsJSON(t *testing.T) {
	s := New(t, Options{})
	id := s.AddZone("contoso.com")
	req, _ := http.NewRequest("POST", s.URL()+"/zones/"+id+"/dns_records/batch", strings.NewReader(`{"posts":[]}`))
	req.Header.Set("Authorization", "Bearer "+s.Token())
	req.Header.Set("Content-Type", "text/plain")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("text/plain batch: HTTP %d, want 400", res.StatusCode)
	}
}
