package dnstest

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

func TestStartBIND(t *testing.T) {
	b := StartBIND(t, BINDOptions{Zones: []string{"example.test", "other.test."}})
	if !strings.HasPrefix(b.Addr, "127.0.0.1:") {
		t.Fatalf("Addr = %q, want a loopback address", b.Addr)
	}
	NSUpdate(t, b, "example.test", "update add www.example.test. 300 A 192.0.2.1")
	if got := lookup(t, b, "www.example.test.", dns.TypeA); got != "192.0.2.1" {
		t.Fatalf("after nsupdate: A = %q, want 192.0.2.1", got)
	}
	if got := lookup(t, b, "other.test.", dns.TypeSOA); got == "" {
		t.Fatal("second zone has no SOA")
	}

	b.Stop()
	c := &dns.Client{Net: "tcp", Timeout: 500 * time.Millisecond}
	m := new(dns.Msg)
	m.SetQuestion("example.test.", dns.TypeSOA)
	if _, _, err := c.Exchange(m, b.Addr); err == nil {
		t.Fatal("server still answers after Stop")
	}

	b.Restart()
	if got := lookup(t, b, "www.example.test.", dns.TypeA); got != "192.0.2.1" {
		t.Fatalf("after restart: A = %q, want 192.0.2.1 (journal replayed)", got)
	}
}

func TestNSUpdateWrongKeyFails(t *testing.T) {
	b := StartBIND(t, BINDOptions{})
	b.KeySecret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
	if err := os.WriteFile(b.KeyFile(), []byte(b.keyClause()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := b.Update("example.test", "update add x.example.test. 300 A 192.0.2.9"); err == nil {
		t.Fatal("nsupdate with a wrong secret succeeded")
	}
}

func lookup(t *testing.T, b *BIND, name string, typ uint16) string {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, typ)
	c := &dns.Client{Net: "tcp", Timeout: 2 * time.Second}
	r, _, err := c.Exchange(m, b.Addr)
	if err != nil {
		t.Fatalf("query %s: %v", name, err)
	}
	for _, rr := range r.Answer {
		switch v := rr.(type) {
		case *dns.A:
			return v.A.String()
		case *dns.SOA:
			return v.Ns
		}
	}
	return ""
}
