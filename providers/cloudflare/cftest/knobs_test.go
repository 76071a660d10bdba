package cftest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestThrottleWithoutRetryAfter(t *testing.T) {
	s := New(t, Options{})
	for _, tt := range []struct {
		after time.Duration
		want  string
	}{{0, ""}, {-time.Second, ""}, {time.Millisecond, "1"}, {3 * time.Second, "3"}} {
		s.Throttle(1, tt.after)
		code, a, h := call(t, s, "GET", "/zones", s.Token(), nil)
		_, sent := h["Retry-After"]
		if code != http.StatusTooManyRequests || h.Get("Retry-After") != tt.want || sent != (tt.want != "") || a.Errors[0].Code != codeRateLimited {
			t.Errorf("Throttle(1, %v): HTTP %d, Retry-After %q (sent %t), errors %+v; want 429 and %q", tt.after, code, h.Get("Retry-After"), sent, a.Errors, tt.want)
		}
	}
	if code, _, _ := call(t, s, "GET", "/zones", s.Token(), nil); code != http.StatusOK {
		t.Errorf("after the throttled requests: HTTP %d", code)
	}
}

func TestPageSize(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		query   string
		want    []ResultInfo // per page until an empty one
		wantRaw string       // result_info of page 1, when BareResultInfo
	}{
		{
			name: "fewer than asked", opts: Options{PageSize: 4}, query: "per_page=10",
			want: []ResultInfo{{1, 4, 4, 10, 3}, {2, 4, 4, 10, 3}, {3, 4, 2, 10, 3}, {4, 4, 0, 10, 3}},
		},
		{
			name: "more than asked", opts: Options{PageSize: 6}, query: "per_page=5",
			want: []ResultInfo{{1, 6, 6, 10, 2}, {2, 6, 4, 10, 2}, {3, 6, 0, 10, 2}},
		},
		{
			name: "more than the cap", opts: Options{PageSize: 6, MaxPerPage: 2}, query: "",
			want: []ResultInfo{{1, 6, 6, 10, 2}, {2, 6, 4, 10, 2}, {3, 6, 0, 10, 2}},
		},
		{
			name: "bare result_info", opts: Options{PageSize: 4, BareResultInfo: true}, query: "per_page=10",
			want:    []ResultInfo{{Page: 1, PerPage: 4}, {Page: 2, PerPage: 4}, {Page: 3, PerPage: 4}, {Page: 4, PerPage: 4}},
			wantRaw: `{"page":1,"per_page":4}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(t, tt.opts)
			id := s.AddZone("contoso.com")
			var recs []Record
			for i := range 10 {
				recs = append(recs, Record{Name: fmt.Sprintf("h%02d.contoso.com", i), Type: "A", Content: "192.0.2.1", TTL: 300})
			}
			s.Seed(t, "contoso.com", recs...)
			var infos []ResultInfo
			n := 0
			for page := 1; page <= len(tt.want); page++ {
				_, a, _ := call(t, s, "GET", fmt.Sprintf("/zones/%s/dns_records?page=%d&%s", id, page, tt.query), s.Token(), nil)
				infos = append(infos, *a.ResultInfo)
				var got []Record
				if err := json.Unmarshal(a.Result, &got); err != nil {
					t.Fatal(err)
				}
				n += len(got)
			}
			if tt.wantRaw != "" {
				var env struct {
					ResultInfo json.RawMessage `json:"result_info"`
				}
				if err := json.Unmarshal(rawBody(t, s, fmt.Sprintf("/zones/%s/dns_records?%s", id, tt.query)), &env); err != nil {
					t.Fatal(err)
				}
				if string(env.ResultInfo) != tt.wantRaw {
					t.Errorf("result_info %s, want %s", env.ResultInfo, tt.wantRaw)
				}
			}
			if diff := cmp.Diff(tt.want, infos); diff != "" {
				t.Errorf("result_info of each page (-want +got):\n%s", diff)
			}
			if n != 10 {
				t.Errorf("pages held %d records, want 10", n)
			}
		})
	}
}

// rawBody returns the body of a GET of path.
func rawBody(t *testing.T, s *Server, path string) []byte {
	t.Helper()
	req, err := http.NewRequest("GET", s.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.Token())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
