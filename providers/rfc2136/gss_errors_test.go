package rfc2136

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
)

// TestGSSErrors produces each failure an operator meets with secure
// updates against the real KDC and BIND, and checks the words topo uses.
// None may quote a password.
func TestGSSErrors(t *testing.T) {
	g := startGSS(t)
	skewed := dnstest.StartKDC(t, dnstest.KDCOptions{ClockSkew: -1})
	closed := filepath.Join(t.TempDir(), "krb5.conf")
	conf, err := os.ReadFile(g.kdc.Config)
	if err != nil {
		t.Fatal(err)
	}
	deadKDC := "127.0.0.1:" + itoa(dnstest.FreePort(t))
	if err := os.WriteFile(closed, []byte(strings.ReplaceAll(string(conf), g.kdc.Addr, deadKDC)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		change func(p *Provider)
		want   []string // every one must be in the error
		match  string   // and this regexp
	}{
		{
			name:   "wrong password",
			change: func(p *Provider) { p.Password = "not-the-password-42" },
			want:   []string{"the KDC refused the password of topo@TOPO.TEST", "the password is wrong (it is not shown)"},
		},
		{
			name:   "unknown principal",
			change: func(p *Provider) { p.Username = "nobody" },
			want:   []string{"Kerberos does not know the account nobody@TOPO.TEST"},
		},
		{
			name:   "SPN not found",
			change: func(p *Provider) { p.ServerName = "dns.nowhere.test" },
			want:   []string{"the KDC knows no service principal DNS/dns.nowhere.test@TOPO.TEST", "set server_name"},
		},
		{
			name:   "KDC unreachable",
			change: func(p *Provider) { p.KRB5Config = closed },
			want:   []string{"cannot reach a KDC of realm TOPO.TEST: tried " + deadKDC + " (from " + closed + ")"},
		},
		{
			name: "clock skew",
			change: func(p *Provider) {
				p.KRB5Config = skewed.Config
				p.Password = skewed.Passwords["topo"]
			},
			want:  []string{"Kerberos allows (it needs them within 5 minutes)", "this machine says", "the KDC " + skewed.Addr + " says"},
			match: `this machine says \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, the KDC \S+ says \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`,
		},
		{
			name: "update refused by the zone's ACL",
			change: func(p *Provider) {
				p.Username, p.Password = "other", g.kdc.Passwords["other"]
			},
			want: []string{`refused the update of zone "example.test." (REFUSED) signed by other@TOPO.TEST`, "the account may not write x.example.test; in a secure zone a record created by another account is owned by it"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := g.password()
			tc.change(p)
			defer p.Close()
			set := rrset("x.example.test", "A", 300, "192.0.2.9")
			_, err := p.ApplyEdits(context.Background(), "example.test.", []providers.Edit{{After: set}}, providers.ApplyOptions{})
			if err == nil {
				t.Fatal("update succeeded")
			}
			msg := err.Error()
			t.Logf("error: %s", msg)
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error does not say %q:\n%s", w, msg)
				}
			}
			if tc.match != "" && !regexp.MustCompile(tc.match).MatchString(msg) {
				t.Errorf("error does not match %s:\n%s", tc.match, msg)
			}
			for _, pw := range []string{p.Password, g.kdc.Passwords["topo"], g.kdc.Passwords["other"], skewed.Passwords["topo"]} {
				if strings.Contains(msg, pw) {
					t.Errorf("error quotes a password: %s", msg)
				}
			}
			if got := rrsets(t, g.password(), "example.test"); len(got) != 0 {
				t.Errorf("a failed update changed the zone: %v", got)
			}
		})
	}
}

// TestGSSContextReused: one publish-like sequence (transfer, updates,
// reads) negotiates one context: the KDC issues one service ticket.
func TestGSSContextReused(t *testing.T) {
	g := startGSS(t)
	p := g.password()
	ctx := context.Background()
	for i, v := range []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"} {
		var before *providers.RRset
		if i > 0 {
			before = rrset("r.example.test", "A", 300, []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"}[i-1])
		}
		if _, err := p.GetRecords(ctx, "example.test."); err != nil {
			t.Fatal(err)
		}
		if _, err := p.ApplyEdits(ctx, "example.test.", []providers.Edit{{Before: before, After: rrset("r.example.test", "A", 300, v)}}, providers.ApplyOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	p.SetNames("closed.test.", []string{"r.closed.test"})
	if _, err := p.GetRecords(ctx, "closed.test."); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(g.kdc.Log(), "for DNS/127.0.0.1@TOPO.TEST"); n != 1 {
		t.Errorf("the KDC issued %d service tickets for DNS/127.0.0.1, want 1 (one context for everything)", n)
	}
	// Closing deleted the context at the server: BIND logged it.
	if !strings.Contains(g.bind.Output(), "deleted") {
		t.Logf("named did not log the TKEY delete:\n%s", lastLines(g.bind.Output(), 20))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
