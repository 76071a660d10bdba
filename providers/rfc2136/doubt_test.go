package rfc2136

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
)

// mangler relays DNS over TCP from a loopback port to server, passing
// each answer through change.
func mangler(t *testing.T, server string, change func(msg []byte) []byte) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				s, err := net.Dial("tcp", server)
				if err != nil {
					return
				}
				defer s.Close()
				go func() { _ = copyMessages(s, c, "", ""); s.Close() }()
				co := &dns.Conn{Conn: s}
				out := &dns.Conn{Conn: c}
				for {
					raw, err := co.ReadMsgHeader(nil)
					if err != nil {
						return
					}
					if _, err := out.Write(change(raw)); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// TestAppliedUpdateNotReportedFailed: an UPDATE the server applied whose
// answer does not verify (here: its MAC damaged on the way) is read back
// and reported applied, never failed.
func TestAppliedUpdateNotReportedFailed(t *testing.T) {
	g := startGSS(t)
	var damaged, reread atomic.Int32
	addr := mangler(t, g.bind.Addr, func(raw []byte) []byte {
		m := new(dns.Msg)
		if m.Unpack(raw) != nil {
			return raw
		}
		if damaged.Load() > 0 && len(m.Question) > 0 && m.Question[0].Qtype == dns.TypeAXFR {
			reread.Add(1)
		}
		if m.Opcode != dns.OpcodeUpdate || damaged.Load() > 0 {
			return raw
		}
		if ts := m.IsTsig(); ts != nil && len(ts.MAC) > 0 {
			// Flip the MAC's last byte: the last hex digits of the packed
			// message sit just before OrigId, Error and OtherLen.
			damaged.Add(1)
			raw[len(raw)-7] ^= 0xff
		}
		return raw
	})
	p := g.password()
	p.Server = addr
	defer p.Close()
	set := rrset("doubt.example.test", "A", 300, "192.0.2.44")
	n, err := p.ApplyEdits(context.Background(), "example.test.", []providers.Edit{{After: set}}, providers.ApplyOptions{})
	if damaged.Load() != 1 {
		t.Fatalf("%d answers damaged, want 1", damaged.Load())
	}
	if err != nil || n != 1 {
		t.Fatalf("an applied update whose answer did not verify: applied %d, %v; want 1, nil", n, err)
	}
	if reread.Load() == 0 {
		t.Error("the zone was not read again after the answer failed to verify")
	}
	if got := rrsets(t, g.password(), "example.test"); len(got) != 1 || !got[0].Equal(*set) {
		t.Errorf("zone holds %v", got)
	}

	// Not applied (the server refused it) and its answer damaged: an error.
	damaged.Store(0)
	p2 := g.password()
	p2.Server = addr
	p2.Username, p2.Password = "other", g.kdc.Passwords["other"]
	defer p2.Close()
	_, err = p2.ApplyEdits(context.Background(), "example.test.", []providers.Edit{{After: rrset("doubt2.example.test", "A", 300, "192.0.2.45")}}, providers.ApplyOptions{})
	var ce *providers.ConflictError
	if err == nil || errors.As(err, &ce) || !strings.Contains(err.Error(), "refused the update") {
		t.Fatalf("a refused update whose answer was damaged: want the refusal, got %v", err)
	}
}
