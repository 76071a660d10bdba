package dnstest

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
)

func TestGSSBIND(t *testing.T) {
	k := StartKDC(t, KDCOptions{Users: []string{"other"}})
	b := StartBIND(t, BINDOptions{
		Zones:      []string{"example.test", "closed.test"},
		GSSKeytab:  k.ServiceKeytab(),
		GSSGrant:   []string{"topo@" + k.Realm},
		NoTransfer: []string{"closed.test"},
		Env:        k.Env(),
	})
	b.GSSClientEnv = []string{"KRB5CCNAME=FILE:" + k.Kinit(t, "topo")}
	NSUpdate(t, b, "example.test", "update add www.example.test. 300 A 192.0.2.1")
	if got := lookup(t, b, "www.example.test.", dns.TypeA); got != "192.0.2.1" {
		t.Fatalf("after nsupdate -g: A = %q, want 192.0.2.1\n%s", got, b.Output())
	}
	b.GSSClientEnv = []string{"KRB5CCNAME=FILE:" + k.Kinit(t, "other")}
	err := b.Update("example.test", "update add x.example.test. 300 A 192.0.2.9")
	if err == nil || !strings.Contains(err.Error(), "REFUSED") {
		t.Fatalf("nsupdate -g as a principal the update-policy does not grant: want REFUSED, got %v", err)
	}
}
