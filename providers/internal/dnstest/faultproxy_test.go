package dnstest

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// TestFaultProxyDNS runs each action on the second UPDATE through the
// proxy to a real BIND, over TCP: the client hears what the action says,
// and BIND holds the update exactly when the action let the request
// through.
func TestFaultProxyDNS(t *testing.T) {
	b := StartBIND(t, BINDOptions{})
	for _, tc := range []struct {
		action Action
		// wantErr: the client gets no answer to the faulted update.
		wantErr bool
		// applied: BIND acted on the faulted update.
		applied  bool
		answered bool
	}{
		{action: Pass, applied: true},
		{action: Delay, applied: true, answered: true},
		{action: Hold, wantErr: true, applied: true, answered: true},
		{action: Drop, wantErr: true, applied: true, answered: true},
		{action: Swallow, wantErr: true},
	} {
		t.Run(tc.action.String(), func(t *testing.T) {
			p := StartFaultProxy(t, b.Addr, FrameDNS)
			p.Add(Fault{Match: IsUpdate, Nth: 2, Action: tc.action, Delay: 300 * time.Millisecond})
			c := &dns.Client{Net: "tcp", Timeout: time.Second, TsigSecret: map[string]string{b.KeyName: b.KeySecret}}
			name := "n-" + tc.action.String() + ".example.test."
			for i, ip := range []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"} {
				m := new(dns.Msg)
				m.SetUpdate("example.test.")
				rr, _ := dns.NewRR(name + " 300 A " + ip)
				m.Insert([]dns.RR{rr})
				m.SetTsig(b.KeyName, dns.Fqdn(b.KeyAlgorithm), 300, time.Now().Unix())
				r, _, err := c.Exchange(m, p.Addr)
				faulted := i == 1
				if faulted && tc.wantErr != (err != nil) {
					t.Fatalf("update %d: error %v, want an error: %v", i+1, err, tc.wantErr)
				}
				if !faulted && (err != nil || r.Rcode != dns.RcodeSuccess) {
					t.Fatalf("update %d: %v %v", i+1, r, err)
				}
			}
			if tc.action != Pass {
				e := p.Wait(5 * time.Second)
				if e.Request.Seq != 2 || e.Action != tc.action || e.Answered != tc.answered || e.Request.Net != "tcp" {
					t.Errorf("event %+v, want request 2, %s, answered %v", e, tc.action, tc.answered)
				}
			}
			want := []string{"192.0.2.1", "192.0.2.3"}
			if tc.applied {
				want = []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"}
			}
			if got := addrs(t, b.Addr, name); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("BIND holds %v, want %v", got, want)
			}
			if n := len(p.Requests(IsUpdate)); n != 3 {
				t.Errorf("%d updates seen, want 3", n)
			}
		})
	}
}

// TestFaultProxyDNSHoldRelease: a held answer reaches a client still
// waiting once released; over UDP too, and a zone transfer's many answers
// all pass.
func TestFaultProxyDNSHoldRelease(t *testing.T) {
	b := StartBIND(t, BINDOptions{})
	p := StartFaultProxy(t, b.Addr, FrameDNS)
	p.Add(Fault{Match: func(r Request) bool { return r.Net == "udp" }, Nth: 1, Action: Hold})
	done := make(chan error, 1)
	go func() {
		m := new(dns.Msg)
		m.SetQuestion("example.test.", dns.TypeSOA)
		c := &dns.Client{Net: "udp", Timeout: 5 * time.Second}
		_, _, err := c.Exchange(m, p.Addr)
		done <- err
	}()
	if e := p.Wait(5 * time.Second); e.Action != Hold || e.Request.Net != "udp" || !e.Answered {
		t.Fatalf("event %+v", e)
	}
	select {
	case err := <-done:
		t.Fatalf("the client heard back while the answer was held: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	p.Release()
	if err := <-done; err != nil {
		t.Fatalf("after Release: %v", err)
	}

	// A zone transfer, many answer messages to one request, passes whole.
	m := new(dns.Msg)
	m.SetAxfr("example.test.")
	m.SetTsig(b.KeyName, dns.Fqdn(b.KeyAlgorithm), 300, time.Now().Unix())
	tr := &dns.Transfer{TsigSecret: map[string]string{b.KeyName: b.KeySecret}}
	env, err := tr.In(m, p.Addr)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for e := range env {
		if e.Error != nil {
			t.Fatal(e.Error)
		}
		n += len(e.RR)
	}
	if n < 3 {
		t.Errorf("transfer through the proxy: %d records", n)
	}
}

// TestFaultProxyHTTP runs each action on the second POST through the
// proxy to an HTTP server.
func TestFaultProxyHTTP(t *testing.T) {
	var posts atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method == http.MethodPost {
			posts.Add(1)
		}
		w.Write(append([]byte("got "), body...))
	}))
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		action  Action
		wantErr bool
		acted   bool // the server saw the faulted request
	}{
		{action: Pass, acted: true},
		{action: Delay, acted: true},
		{action: Hold, wantErr: true, acted: true},
		{action: Drop, wantErr: true, acted: true},
		{action: Cut, wantErr: true, acted: true},
		{action: Swallow, wantErr: true},
	} {
		t.Run(tc.action.String(), func(t *testing.T) {
			posts.Store(0)
			p := StartFaultProxy(t, srv.Listener.Addr().String(), FrameHTTP)
			p.Add(Fault{Match: IsMethod(http.MethodPost), Nth: 2, Action: tc.action, Delay: 200 * time.Millisecond})
			client := &http.Client{Timeout: time.Second}
			for i := range 3 {
				resp, err := client.Post("http://"+p.Addr+"/x", "text/plain", strings.NewReader("body"))
				if err == nil {
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if string(b) != "got body" {
						t.Errorf("post %d: answer %q", i+1, b)
					}
				}
				if faulted := i == 1; faulted && tc.wantErr != (err != nil) || !faulted && err != nil {
					t.Fatalf("post %d: %v", i+1, err)
				}
			}
			if tc.action == Cut {
				// The server may read the request after the proxy closed.
				time.Sleep(100 * time.Millisecond)
			}
			want := int64(2)
			if tc.acted {
				want = 3
			}
			if got := posts.Load(); got != want {
				t.Errorf("the server saw %d posts, want %d", got, want)
			}
			if tc.action != Pass {
				if e := p.Wait(5 * time.Second); e.Request.Method != http.MethodPost || e.Request.Path != "/x" || e.Action != tc.action {
					t.Errorf("event %+v", e)
				}
			}
		})
	}
}

func TestFaultProxyRefusesOtherUpstreams(t *testing.T) {
	ft := &fatalRecorder{TB: t}
	func() {
		defer func() { _ = recover() }()
		StartFaultProxy(ft, "192.0.2.1:53", FrameDNS)
	}()
	if !ft.failed {
		t.Error("a proxy to a non-loopback address started")
	}
}

// fatalRecorder records Fatalf instead of ending the test.
type fatalRecorder struct {
	testing.TB
	failed bool
}

func (f *fatalRecorder) Fatalf(string, ...any) {
	f.failed = true
	panic(errors.New("fatal"))
}

func (f *fatalRecorder) Helper() {}

func addrs(t *testing.T, server, name string) []string {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, dns.TypeA)
	r, _, err := (&dns.Client{Net: "tcp", Timeout: 2 * time.Second}).Exchange(m, server)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, rr := range r.Answer {
		if a, ok := rr.(*dns.A); ok {
			out = append(out, a.A.String())
		}
	}
	slices.Sort(out)
	return out
}
