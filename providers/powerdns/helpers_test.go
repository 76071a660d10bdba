package powerdns

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
)

const testZone = "example.test"

// server starts a PowerDNS serving an empty testZone.
func server(t testing.TB, opts dnstest.PowerDNSOptions) *dnstest.PowerDNS {
	t.Helper()
	pd := dnstest.StartPowerDNS(t, opts)
	pd.CreateZone(t, testZone)
	return pd
}

// newProvider returns a provider for url (PowerDNS or a proxy in front of
// it) whose retries wait nothing, and the waits they asked for.
func newProvider(t testing.TB, url, key string, change func(*Config)) (*Provider, *[]time.Duration) {
	t.Helper()
	cfg := Config{URL: url, APIKey: key}
	if change != nil {
		change(&cfg)
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	var mu sync.Mutex
	waits := new([]time.Duration)
	p.retry.Sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		*waits = append(*waits, d)
		mu.Unlock()
		return ctx.Err()
	}
	return p, waits
}

// fault is what the proxy does instead of forwarding a request: answer
// with status (and Retry-After when set), or forward it and then answer
// status anyway (applied), as a gateway that lost the reply would.
type fault struct {
	status     int
	retryAfter string
	afterward  bool
}

// proxy is a reverse proxy in front of a real PowerDNS that logs every
// request ("GET", "PATCH") and injects faults into chosen ones.
type proxy struct {
	URL string

	mu     sync.Mutex
	log    []string
	faults map[string]fault // "PATCH 2": the second PATCH
	counts map[string]int
}

func newProxy(t testing.TB, pd *dnstest.PowerDNS) *proxy {
	t.Helper()
	target, err := url.Parse(pd.URL)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(target)
	px := &proxy{faults: map[string]fault{}, counts: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		px.mu.Lock()
		px.counts[r.Method]++
		id := r.Method + " " + strconv.Itoa(px.counts[r.Method])
		px.log = append(px.log, r.Method)
		f, ok := px.faults[id]
		px.mu.Unlock()
		if !ok {
			rp.ServeHTTP(w, r)
			return
		}
		if f.afterward {
			rp.ServeHTTP(httptest.NewRecorder(), r)
		}
		if f.retryAfter != "" {
			w.Header().Set("Retry-After", f.retryAfter)
		}
		http.Error(w, `{"error": "injected `+http.StatusText(f.status)+`"}`, f.status)
	}))
	t.Cleanup(srv.Close)
	px.URL = srv.URL
	return px
}

// inject makes the n-th request with method fail (n counts from 1, over the
// proxy's whole life).
func (px *proxy) inject(method string, n int, f fault) {
	px.mu.Lock()
	defer px.mu.Unlock()
	px.faults[method+" "+strconv.Itoa(n)] = f
}

// take returns the methods of the requests seen since the last take.
func (px *proxy) take() []string {
	px.mu.Lock()
	defer px.mu.Unlock()
	l := px.log
	px.log = nil
	return l
}

// rrset builds a normalised RRset in testZone; name is relative ("@" for
// the apex).
func rrset(name, typ string, ttl uint32, values ...string) providers.RRset {
	abs := testZone
	if name != "@" {
		abs = name + "." + testZone
	}
	s := providers.RRset{Name: abs, Type: typ, TTL: ttl, Values: values}
	s.Normalize()
	return s
}

// creates returns edits creating sets.
func creates(sets ...providers.RRset) []providers.Edit {
	edits := make([]providers.Edit, len(sets))
	for i := range sets {
		edits[i] = providers.Edit{After: &sets[i]}
	}
	return edits
}

// read returns the zone's RRsets through the provider, without the SOA and
// NS the server keeps.
func read(t testing.TB, p *Provider) []providers.RRset {
	t.Helper()
	recs, err := p.GetRecords(context.Background(), testZone+".")
	if err != nil {
		t.Fatalf("GetRecords: %v", err)
	}
	var out []providers.RRset
	for _, s := range providers.GroupRecords(testZone, recs) {
		if s.Name == testZone && (s.Type == "SOA" || s.Type == "NS") {
			continue
		}
		out = append(out, s)
	}
	return out
}

// seed writes sets as another client would, straight through the API.
func seed(t testing.TB, pd *dnstest.PowerDNS, sets ...providers.RRset) {
	t.Helper()
	var ps []dnstest.PowerDNSRRset
	for _, s := range sets {
		r := dnstest.PowerDNSRRset{Name: s.Name + ".", Type: s.Type, TTL: s.TTL, ChangeType: "REPLACE"}
		for _, v := range s.Values {
			c := providers.CanonicalData(s.Type, v)
			if s.Type == "TXT" {
				c = strconv.Quote(v) // plain ASCII in tests: Go's quoting is PowerDNS's
			}
			r.Records = append(r.Records, dnstest.PowerDNSRecord{Content: c})
		}
		if len(s.Values) == 0 {
			r.ChangeType = "DELETE"
		}
		ps = append(ps, r)
	}
	pd.PatchRRsets(t, testZone, ps...)
}

// noSecret fails the test when err's text holds any of the keys.
func noSecret(t testing.TB, err error, keys ...string) {
	t.Helper()
	if err == nil {
		return
	}
	for _, k := range keys {
		if k != "" && strings.Contains(err.Error(), k) {
			t.Errorf("error reveals an API key: %v", err)
		}
	}
}

// queryTXT asks the server over DNS for name's TXT records and returns each
// record's character-strings joined.
func queryTXT(t testing.TB, addr, name string) []string {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, dns.TypeTXT)
	r, _, err := (&dns.Client{Net: "tcp"}).Exchange(m, addr)
	if err != nil {
		t.Fatalf("query %s TXT: %v", name, err)
	}
	var out []string
	for _, rr := range r.Answer {
		if txt, ok := rr.(*dns.TXT); ok {
			out = append(out, strings.Join(txt.Txt, ""))
		}
	}
	return out
}
