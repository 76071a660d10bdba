package httpretry

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// reply is what the scripted server does with one request.
type reply struct {
	status     int
	retryAfter string
	// drop closes the connection without answering, after reading the
	// request: the server may have acted on it.
	drop bool
	// stall delays the answer, to provoke a client timeout.
	stall time.Duration
}

// script is an httptest server answering request i with replies[i] (the
// last one repeats) and recording what it received.
type script struct {
	mu      sync.Mutex
	replies []reply
	got     []string // "METHOD body"
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.got = append(s.got, r.Method+" "+string(body))
	rep := s.replies[min(len(s.got), len(s.replies))-1]
	s.mu.Unlock()
	if rep.stall > 0 {
		select {
		case <-time.After(rep.stall):
		case <-r.Context().Done():
			return
		}
	}
	if rep.drop {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	if rep.retryAfter != "" {
		w.Header().Set("Retry-After", rep.retryAfter)
	}
	w.WriteHeader(rep.status)
	io.WriteString(w, http.StatusText(rep.status))
}

func (s *script) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.got...)
}

var epoch = time.Date(2025, 11, 25, 12, 0, 0, 0, time.UTC)

// testPolicy never really sleeps and records the waits it was asked for.
func testPolicy(waits *[]time.Duration) Policy {
	return Policy{
		BaseDelay: 100 * time.Millisecond,
		MaxDelay:  30 * time.Second,
		Jitter:    func() float64 { return 0 },
		Now:       func() time.Time { return epoch },
		Sleep: func(ctx context.Context, d time.Duration) error {
			*waits = append(*waits, d)
			return ctx.Err()
		},
	}
}

func TestDo(t *testing.T) {
	ok := reply{status: 200}
	tests := []struct {
		name       string
		method     string
		safety     Safety
		replies    []reply
		timeout    time.Duration
		wantStatus int    // 0: an error is expected
		wantErr    string // substring of the error
		wantWaits  []time.Duration
		wantCalls  int
	}{
		{name: "success first time", method: "GET", safety: Idempotent,
			replies: []reply{ok}, wantStatus: 200, wantCalls: 1},
		{name: "GET retried on 503 then succeeds", method: "GET", safety: Idempotent,
			replies:    []reply{{status: 503}, {status: 503}, ok},
			wantStatus: 200, wantCalls: 3, wantWaits: []time.Duration{50 * time.Millisecond, 100 * time.Millisecond}},
		{name: "GET retried on 502 and 504", method: "GET", safety: Idempotent,
			replies:    []reply{{status: 502}, {status: 504}, ok},
			wantStatus: 200, wantCalls: 3, wantWaits: []time.Duration{50 * time.Millisecond, 100 * time.Millisecond}},
		{name: "GET not retried on 500", method: "GET", safety: Idempotent,
			replies: []reply{{status: 500}, ok}, wantStatus: 500, wantCalls: 1},
		{name: "GET not retried on 404", method: "GET", safety: Idempotent,
			replies: []reply{{status: 404}, ok}, wantStatus: 404, wantCalls: 1},
		{name: "attempts are bounded and the last answer returned", method: "GET", safety: Idempotent,
			replies:    []reply{{status: 503}},
			wantStatus: 503, wantCalls: 4,
			wantWaits: []time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond}},
		{name: "429 honours Retry-After seconds", method: "GET", safety: Idempotent,
			replies:    []reply{{status: 429, retryAfter: "7"}, ok},
			wantStatus: 200, wantCalls: 2, wantWaits: []time.Duration{7 * time.Second}},
		{name: "429 honours Retry-After date", method: "GET", safety: Idempotent,
			replies:    []reply{{status: 429, retryAfter: epoch.Add(5 * time.Second).Format(http.TimeFormat)}, ok},
			wantStatus: 200, wantCalls: 2, wantWaits: []time.Duration{5 * time.Second}},
		{name: "Retry-After date in the past retries at once", method: "GET", safety: Idempotent,
			replies:    []reply{{status: 503, retryAfter: epoch.Add(-time.Minute).Format(http.TimeFormat)}, ok},
			wantStatus: 200, wantCalls: 2, wantWaits: []time.Duration{0}},
		{name: "Retry-After longer than MaxDelay is returned, not waited", method: "GET", safety: Idempotent,
			replies: []reply{{status: 429, retryAfter: "3600"}, ok}, wantStatus: 429, wantCalls: 1},
		{name: "unparsable Retry-After falls back to backoff", method: "GET", safety: Idempotent,
			replies:    []reply{{status: 429, retryAfter: "soon"}, ok},
			wantStatus: 200, wantCalls: 2, wantWaits: []time.Duration{50 * time.Millisecond}},
		{name: "unsafe PATCH retried on 429", method: "PATCH", safety: Unsafe,
			replies:    []reply{{status: 429, retryAfter: "1"}, {status: 204}},
			wantStatus: 204, wantCalls: 2, wantWaits: []time.Duration{time.Second}},
		{name: "unsafe PATCH retried on 503", method: "PATCH", safety: Unsafe,
			replies:    []reply{{status: 503}, {status: 204}},
			wantStatus: 204, wantCalls: 2, wantWaits: []time.Duration{50 * time.Millisecond}},
		{name: "unsafe PATCH not retried on 500", method: "PATCH", safety: Unsafe,
			replies: []reply{{status: 500}, {status: 204}}, wantStatus: 500, wantCalls: 1},
		{name: "unsafe PATCH not retried on 502", method: "PATCH", safety: Unsafe,
			replies: []reply{{status: 502}, {status: 204}}, wantStatus: 502, wantCalls: 1},
		{name: "unsafe PATCH not retried on 504", method: "PATCH", safety: Unsafe,
			replies: []reply{{status: 504}, {status: 204}}, wantStatus: 504, wantCalls: 1},
		{name: "idempotent PATCH retried on 502", method: "PATCH", safety: Idempotent,
			replies:    []reply{{status: 502}, {status: 204}},
			wantStatus: 204, wantCalls: 2, wantWaits: []time.Duration{50 * time.Millisecond}},
		{name: "GET retried after a dropped connection", method: "GET", safety: Idempotent,
			replies:    []reply{{drop: true}, ok},
			wantStatus: 200, wantCalls: 2, wantWaits: []time.Duration{50 * time.Millisecond}},
		{name: "unsafe PATCH not retried after a dropped connection", method: "PATCH", safety: Unsafe,
			replies: []reply{{drop: true}, {status: 204}}, wantErr: "EOF", wantCalls: 1},
		{name: "GET retried after a timeout", method: "GET", safety: Idempotent, timeout: 100 * time.Millisecond,
			replies:    []reply{{stall: 2 * time.Second, status: 200}, ok},
			wantStatus: 200, wantCalls: 2, wantWaits: []time.Duration{50 * time.Millisecond}},
		{name: "unsafe PATCH not retried after a timeout", method: "PATCH", safety: Unsafe, timeout: 100 * time.Millisecond,
			replies: []reply{{stall: 2 * time.Second, status: 204}, {status: 204}}, wantErr: "Client.Timeout", wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &script{replies: tt.replies}
			srv := httptest.NewServer(s)
			defer srv.Close()
			var waits []time.Duration
			p := testPolicy(&waits)
			req, err := http.NewRequest(tt.method, srv.URL+"/x", strings.NewReader("payload"))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := p.Do(&http.Client{Timeout: tt.timeout}, req, tt.safety)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
			} else {
				if err != nil {
					t.Fatalf("Do: %v", err)
				}
				defer resp.Body.Close()
				if resp.StatusCode != tt.wantStatus {
					t.Errorf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
				}
				if body, _ := io.ReadAll(resp.Body); tt.wantStatus != 204 && string(body) != http.StatusText(tt.wantStatus) {
					t.Errorf("body = %q: the returned response must be readable", body)
				}
			}
			var want []string
			for range tt.wantCalls {
				want = append(want, tt.method+" payload")
			}
			if diff := cmp.Diff(want, s.requests()); diff != "" {
				t.Errorf("requests (each must carry the whole body) (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantWaits, waits); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDoConnectionRefusedRetriesEvenUnsafe(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	for _, s := range []Safety{Idempotent, Unsafe} {
		t.Run(strconv.Itoa(int(s)), func(t *testing.T) {
			var waits []time.Duration
			p := testPolicy(&waits)
			p.Attempts = 3
			req, _ := http.NewRequest("PATCH", url, strings.NewReader("x"))
			_, err := p.Do(http.DefaultClient, req, s)
			if err == nil || !strings.Contains(err.Error(), "after 3 attempts") {
				t.Fatalf("error = %v, want one saying it tried 3 times", err)
			}
			if len(waits) != 2 {
				t.Errorf("waited %d times, want 2", len(waits))
			}
		})
	}
}

func TestBackoffDoublesUpToMaxDelay(t *testing.T) {
	p := Policy{BaseDelay: time.Second, MaxDelay: 4 * time.Second, Jitter: func() float64 { return 0 }}
	var got []time.Duration
	for attempt := 1; attempt <= 6; attempt++ {
		got = append(got, p.backoff(attempt))
	}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 2 * time.Second, 2 * time.Second, 2 * time.Second}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("backoff with no jitter (-want +got):\n%s", diff)
	}
	p.Jitter = func() float64 { return 0.999999 }
	if d := p.backoff(10); d > 4*time.Second || d < 3900*time.Millisecond {
		t.Errorf("backoff(10) with full jitter = %v, want just under MaxDelay 4s", d)
	}
}

func TestDoStopsWaitingWhenContextEnds(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	start := time.Now()
	// The real sleep: a 1h backoff must end with the context.
	_, err := Policy{BaseDelay: time.Hour, MaxDelay: 2 * time.Hour}.Do(http.DefaultClient, req, Idempotent)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want context.DeadlineExceeded", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("Do returned after %v: the wait ignored the context", el)
	}
}

func TestDoWithUnrewindableBodySendsOnce(t *testing.T) {
	s := &script{replies: []reply{{status: 503}, {status: 204}}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	var waits []time.Duration
	req, _ := http.NewRequest("PATCH", srv.URL, io.NopCloser(strings.NewReader("payload")))
	resp, err := testPolicy(&waits).Do(http.DefaultClient, req, Idempotent)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || len(s.requests()) != 1 {
		t.Errorf("status %d after %d requests, want the 503 after 1: the body cannot be sent again", resp.StatusCode, len(s.requests()))
	}
}

func TestOnRetryIsTold(t *testing.T) {
	s := &script{replies: []reply{{status: 429, retryAfter: "2"}, {status: 200}}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	var waits []time.Duration
	p := testPolicy(&waits)
	var told []string
	p.OnRetry = func(attempt int, reason string, wait time.Duration) {
		told = append(told, strconv.Itoa(attempt)+" "+reason+" "+wait.String())
	}
	req, _ := http.NewRequest("GET", srv.URL, nil)
	resp, err := p.Do(http.DefaultClient, req, Idempotent)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if diff := cmp.Diff([]string{"1 429 Too Many Requests 2s"}, told); diff != "" {
		t.Errorf("OnRetry (-want +got):\n%s", diff)
	}
}
