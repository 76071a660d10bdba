package dnstest

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"
)

func TestStartPowerDNS(t *testing.T) {
	p := StartPowerDNS(t, PowerDNSOptions{})
	p.CreateZone(t, "example.test")
	p.SetRRset(t, "example.test", "www.example.test", "A", 300, "192.0.2.1", "192.0.2.2")
	p.SetRRset(t, "example.test.", "txt.example.test.", "TXT", 60, `"hello world"`)

	got := map[string][]string{}
	for _, s := range p.RRsets(t, "example.test") {
		for _, r := range s.Records {
			got[s.Name+" "+s.Type] = append(got[s.Name+" "+s.Type], r.Content)
		}
	}
	want := map[string][]string{
		"example.test. NS":      {"ns1.example.test."},
		"www.example.test. A":   {"192.0.2.1", "192.0.2.2"},
		"txt.example.test. TXT": {`"hello world"`},
	}
	for k, v := range want {
		if diff := cmp.Diff(v, got[k]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", k, diff)
		}
	}
	if _, ok := got["example.test. SOA"]; !ok {
		t.Errorf("zone has no SOA: %v", got)
	}

	// The same records over DNS, from the address the harness reports.
	m := new(dns.Msg)
	m.SetQuestion("www.example.test.", dns.TypeA)
	r, _, err := new(dns.Client).Exchange(m, p.DNSAddr)
	if err != nil {
		t.Fatalf("query %s: %v", p.DNSAddr, err)
	}
	if len(r.Answer) != 2 || !r.Authoritative {
		t.Errorf("answer for www.example.test A = %v (aa=%v), want 2 authoritative records", r.Answer, r.Authoritative)
	}

	p.SetRRset(t, "example.test", "www.example.test", "A", 300)
	for _, s := range p.RRsets(t, "example.test") {
		if s.Name == "www.example.test." {
			t.Errorf("SetRRset with no contents left %v", s)
		}
	}
}

func TestPowerDNSRejectsWrongKey(t *testing.T) {
	p := StartPowerDNS(t, PowerDNSOptions{})
	req, _ := http.NewRequest("GET", p.URL+"/api/v1/servers/localhost", nil)
	req.Header.Set("X-API-Key", "not-"+p.APIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status with a wrong key = %d, want 401", resp.StatusCode)
	}
}

func TestPowerDNSMaxBodySize(t *testing.T) {
	p := StartPowerDNS(t, PowerDNSOptions{MaxBodyMB: 1})
	p.CreateZone(t, "example.test")
	send := func(size int) (int, error) {
		body := []byte(`{"rrsets":[]`)
		body = append(body, bytes.Repeat([]byte(" "), size-len(body)-1)...)
		body = append(body, '}')
		req, _ := http.NewRequest("PATCH", p.URL+p.ZonePath("example.test"), bytes.NewReader(body))
		req.Header.Set("X-API-Key", p.APIKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	if got, err := send(1 << 20); err != nil || got != http.StatusNoContent {
		t.Errorf("PATCH of exactly 1 MiB: status %d (%v), want 204", got, err)
	}
	// PowerDNS answers 400 and closes the connection at once; a client
	// still writing the body may see only the reset.
	got, err := send(1<<20 + 1)
	refused := got == http.StatusBadRequest || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
	if !refused {
		t.Errorf("PATCH of 1 MiB + 1 byte: status %d (%v), want 400 or the connection reset", got, err)
	}
}

func TestPowerDNSStopsAtCleanup(t *testing.T) {
	var p *PowerDNS
	t.Run("server", func(t *testing.T) {
		p = StartPowerDNS(t, PowerDNSOptions{})
		if !strings.Contains(p.Output(), "PowerDNS Authoritative Server") {
			t.Errorf("Output() does not hold the server's log:\n%s", p.Output())
		}
	})
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		t.Fatal("pdns_server still runs after its test ended")
	}
	if err := p.cmd.Process.Signal(syscall.Signal(0)); err == nil {
		t.Error("pdns_server process still exists")
	}
}
