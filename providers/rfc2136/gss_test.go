package rfc2136

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
	"github.com/topo-dns/topo/providers/providertest"
)

// gssServer is a KDC and a BIND taking only GSS-TSIG updates from topo:
// zone example.test transfers to 127.0.0.1, closed.test to nobody.
type gssServer struct {
	kdc  *dnstest.KDC
	bind *dnstest.BIND
}

func startGSS(t *testing.T) *gssServer {
	t.Helper()
	k := dnstest.StartKDC(t, dnstest.KDCOptions{Users: []string{"other"}})
	b := dnstest.StartBIND(t, dnstest.BINDOptions{
		Zones:      []string{"example.test", "closed.test"},
		GSSKeytab:  k.ServiceKeytab(),
		GSSGrant:   []string{"topo@" + k.Realm},
		NoTransfer: []string{"closed.test"},
		Env:        k.Env(),
	})
	b.GSSClientEnv = []string{"KRB5CCNAME=FILE:" + k.Kinit(t, "topo")}
	return &gssServer{kdc: k, bind: b}
}

// password is a provider signing as topo with its password.
func (g *gssServer) password() *Provider {
	return &Provider{
		Server:     g.bind.Addr,
		Auth:       AuthGSS,
		Realm:      g.kdc.Realm,
		Username:   "topo",
		Password:   g.kdc.Passwords["topo"],
		KRB5Config: g.kdc.Config,
		Timeout:    5 * time.Second,
	}
}

// keytab is a provider signing as topo with its keytab.
func (g *gssServer) keytab() *Provider {
	p := g.password()
	p.Password, p.Keytab = "", g.kdc.Keytab("topo")
	return p
}

// gssSeed writes RRsets with the real nsupdate -g, as another client.
func gssSeed(t *testing.T, b *dnstest.BIND, zone string, sets []providers.RRset) {
	t.Helper()
	var lines []string
	for _, s := range sets {
		lines = append(lines, fmt.Sprintf("update delete %s. %s", s.Name, s.Type))
		for _, v := range s.Values {
			if s.Type == "TXT" {
				v = providers.QuoteTXT(v)
			}
			lines = append(lines, fmt.Sprintf("update add %s. %d %s %s", s.Name, s.TTL, s.Type, v))
		}
	}
	dnstest.NSUpdate(t, b, zone, lines...)
}

func TestContractGSS(t *testing.T) {
	for name, prov := range map[string]func(*gssServer) *Provider{
		"password": (*gssServer).password,
		"keytab":   (*gssServer).keytab,
	} {
		t.Run(name, func(t *testing.T) {
			enginetest.Run(t, func(t *testing.T) enginetest.Harness {
				g := startGSS(t)
				p := prov(g)
				t.Cleanup(func() { p.Close() })
				return providertest.Harness{
					Provider: p,
					Zone:     "example.test",
					Seed:     func(t *testing.T, sets []providers.RRset) { gssSeed(t, g.bind, "example.test", sets) },
				}
			})
		})
	}
}

// TestGSSCredentialCache signs with the credential cache kinit filled, as
// an operator who ran kinit: no username, password or keytab.
func TestGSSCredentialCache(t *testing.T) {
	g := startGSS(t)
	p := g.password()
	p.Username, p.Password, p.Realm = "", "", ""
	t.Setenv("KRB5CCNAME", "FILE:"+g.kdc.Kinit(t, "topo"))
	ctx := context.Background()
	set := *rrset("cc.example.test", "A", 300, "192.0.2.7")
	if _, err := p.ApplyEdits(ctx, "example.test.", []providers.Edit{{After: &set}}, providers.ApplyOptions{}); err != nil {
		t.Fatalf("update signed from the credential cache: %v", err)
	}
	if p.gss.layout != layoutRFC8945 {
		t.Errorf("BIND's replies were checked in the %s layout, want RFC 8945's", p.gss.layout)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if p.gss != nil {
		t.Error("Close left the context")
	}
	got := rrsets(t, p, "example.test")
	if len(got) != 1 || !got[0].Equal(set) {
		t.Fatalf("zone holds %v, want %v", got, set)
	}
}

// TestUnsignedUpdateRefused: the GSS-TSIG BIND takes no unsigned update.
func TestUnsignedUpdateRefused(t *testing.T) {
	g := startGSS(t)
	p := &Provider{Server: g.bind.Addr, Auth: AuthNone, Timeout: 5 * time.Second}
	set := rrset("x.example.test", "A", 300, "192.0.2.9")
	_, err := p.ApplyEdits(context.Background(), "example.test.", []providers.Edit{{After: set}}, providers.ApplyOptions{})
	if err == nil || !strings.Contains(err.Error(), "REFUSED") {
		t.Fatalf("unsigned update: want REFUSED, got %v", err)
	}
}
