// Package cftest is a local stand-in for the Cloudflare v4 API, for tests:
// Cloudflare itself cannot be reached from topo's test machines.
//
// It speaks the documented API for the endpoints topo uses, with
// Cloudflare's envelope ({success, errors, messages, result, result_info})
// and bearer token authentication:
//
//	GET  /client/v4/zones?name=...                    zone lookup by name
//	GET  /client/v4/zones/{zone_id}                   zone details
//	GET  /client/v4/zones/{zone_id}/dns_records       page, per_page, result_info
//	POST /client/v4/zones/{zone_id}/dns_records/batch deletes, patches, puts, posts
//
// A batch is one transaction: its operations run in the documented order
// (deletes, patches, puts, posts) on a copy of the zone, and the copy
// replaces the zone only when every operation succeeded.
//
// Its answers are held to cloudflare-go, Cloudflare's SDK generated from
// the OpenAPI description of the API: they decode into the SDK's types
// with no key unknown to them, refused by their decoder or missing where
// they require one (see sdk_test.go), and the SDK's own requests, puts
// included, are understood.
//
// Tests inject faults (429 with or without Retry-After, 500, a failing
// batch, a batch size limit, pages of another size than asked, result_info
// without totals), count requests by endpoint, seed records directly as
// another client would, and read snapshots of a zone.
package cftest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Options configures a Server. The zero value is a free-plan zone server
// with the token "cftest-token".
type Options struct {
	// Token is the API token requests must carry as "Authorization:
	// Bearer <Token>". Empty means "cftest-token".
	Token string
	// MaxPerPage caps per_page of record listings, so that tests see several
	// pages without creating thousands of records. Zero means 5,000,000, the
	// documented maximum.
	MaxPerPage int
	// PageSize, when not zero, is how many records every page of a record
	// listing holds, whatever per_page asked: more or fewer than asked, as
	// a server with other limits than the client supposes would answer.
	// result_info says so (per_page, count, total_pages).
	PageSize int
	// BareResultInfo writes the result_info of listings with only page and
	// per_page, what cloudflare-go's page type reads: no count, total_count
	// or total_pages to rely on.
	BareResultInfo bool
	// MaxBatch is the most operations one batch may hold; larger batches
	// are refused whole. Zero means 200, the free plan's limit.
	MaxBatch int
	// Now gives the time stamps of records; nil means time.Now.
	Now func() time.Time
}

// Counts tells how many requests reached each endpoint, faulted or not.
type Counts struct {
	Zones int // GET /zones and GET /zones/{id}
	List  int // GET /zones/{id}/dns_records
	Batch int // POST /zones/{id}/dns_records/batch
	Other int // anything else

	Unauthorized int // answered 401
	Throttled    int // answered 429 by an injected fault
	Failed       int // answered 500 by an injected fault
}

// Total is the number of requests received.
func (c Counts) Total() int { return c.Zones + c.List + c.Batch + c.Other }

// Server is a running local Cloudflare API.
type Server struct {
	ts   *httptest.Server
	opts Options

	mu         sync.Mutex
	zones      map[string]*zone // by id
	seq        int
	counts     Counts
	throttle   int
	retryAfter time.Duration
	fail       int
	failBatch  int // -1: none; else batches to let through before one fails
}

// New starts a server on a free loopback port; it stops when the test ends.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Token == "" {
		opts.Token = "cftest-token"
	}
	if opts.MaxPerPage == 0 {
		opts.MaxPerPage = 5_000_000
	}
	if opts.MaxBatch == 0 {
		opts.MaxBatch = 200
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, zones: map[string]*zone{}, failBatch: -1}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /client/v4/zones", s.guard(&s.counts.Zones, s.listZones))
	mux.HandleFunc("GET /client/v4/zones/{zone}", s.guard(&s.counts.Zones, s.getZone))
	mux.HandleFunc("GET /client/v4/zones/{zone}/dns_records", s.guard(&s.counts.List, s.listRecords))
	mux.HandleFunc("POST /client/v4/zones/{zone}/dns_records/batch", s.guard(&s.counts.Batch, s.batch))
	mux.HandleFunc("/", s.guard(&s.counts.Other, func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, Message{Code: codeNoRoute, Message: "No route for that URI"})
	}))
	s.ts = httptest.NewServer(mux)
	t.Cleanup(s.ts.Close)
	return s
}

// URL is the API base URL, as a client's base_url: "http://127.0.0.1:port/client/v4".
func (s *Server) URL() string { return s.ts.URL + "/client/v4" }

// Token is the API token the server accepts.
func (s *Server) Token() string { return s.opts.Token }

// Counts returns the request counters.
func (s *Server) Counts() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts
}

// ResetCounts sets every request counter to zero.
func (s *Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts = Counts{}
}

// Throttle answers the next n requests with 429 Too Many Requests and a
// Retry-After header of retryAfter, in whole seconds rounded up, as
// Cloudflare's rate limiter does. A retryAfter of zero or less sends no
// Retry-After header: the client must choose its own backoff.
func (s *Server) Throttle(n int, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttle, s.retryAfter = n, retryAfter
}

// FailRequests answers the next n requests with 500 Internal Server Error,
// without a Retry-After header.
func (s *Server) FailRequests(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = n
}

// FailBatch lets the next `after` batch requests through and fails the one
// after them with an error envelope (HTTP 400), leaving the zone unchanged.
func (s *Server) FailBatch(after int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failBatch = after
}

// guard counts a request, applies injected faults and checks the token
// before handing the request to h.
func (s *Server) guard(counter *int, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		*counter++
		switch {
		case s.throttle > 0:
			s.throttle--
			s.counts.Throttled++
			secs := int((s.retryAfter + time.Second - 1) / time.Second)
			s.mu.Unlock()
			if secs > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(secs))
			}
			writeError(w, http.StatusTooManyRequests, Message{Code: codeRateLimited, Message: "Rate limited. Please wait and consider throttling your request speed"})
			return
		case s.fail > 0:
			s.fail--
			s.counts.Failed++
			s.mu.Unlock()
			writeError(w, http.StatusInternalServerError, Message{Code: codeInternal, Message: "Internal server error"})
			return
		case r.Header.Get("Authorization") != "Bearer "+s.opts.Token:
			s.counts.Unauthorized++
			s.mu.Unlock()
			writeError(w, http.StatusUnauthorized, Message{Code: codeAuthentication, Message: "Authentication error"})
			return
		}
		s.mu.Unlock()
		h(w, r)
	}
}

// Message is one entry of an envelope's errors or messages.
type Message struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// ResultInfo is the pagination block of a list answer.
type ResultInfo struct {
	Page       int `json:"page"`
	PerPage    int `json:"per_page"`
	Count      int `json:"count"`
	TotalCount int `json:"total_count"`
	TotalPages int `json:"total_pages"`
}

// bareResultInfo is ResultInfo as Options.BareResultInfo writes it.
type bareResultInfo struct {
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
}

type envelope struct {
	Success    bool      `json:"success"`
	Errors     []Message `json:"errors"`
	Messages   []Message `json:"messages"`
	Result     any       `json:"result"`
	ResultInfo any       `json:"result_info,omitempty"` // nil, *ResultInfo or bareResultInfo
}

func writeJSON(w http.ResponseWriter, status int, env envelope) {
	if env.Errors == nil {
		env.Errors = []Message{}
	}
	if env.Messages == nil {
		env.Messages = []Message{}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(env)
}

func writeResult(w http.ResponseWriter, result any, info any) {
	writeJSON(w, http.StatusOK, envelope{Success: true, Result: result, ResultInfo: info})
}

func writeError(w http.ResponseWriter, status int, errs ...Message) {
	writeJSON(w, status, envelope{Success: false, Errors: errs})
}

// readJSON decodes a request body, refusing anything but JSON as the API does.
func readJSON(w http.ResponseWriter, r *http.Request, dst any) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		writeError(w, http.StatusBadRequest, Message{Code: codeBadHeaders, Message: "Invalid request headers: Content-Type must be application/json"})
		return false
	}
	if err := json.NewDecoder(r.Body).Decode(dst); err != nil {
		writeError(w, http.StatusBadRequest, Message{Code: codeMalformedJSON, Message: "Malformed JSON in request body"})
		return false
	}
	return true
}

// newID returns a fresh 32-hex-digit identifier, as Cloudflare's look.
// Callers hold s.mu.
func (s *Server) newID(kind string) string {
	s.seq++
	sum := sha256.Sum256([]byte(kind + strconv.Itoa(s.seq)))
	return hex.EncodeToString(sum[:16])
}
