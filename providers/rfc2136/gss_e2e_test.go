package rfc2136_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers/internal/dnstest"
	"github.com/topo-dns/topo/providers/providertest"
)

// secureTopology writes a topology publishing zone through a GSS-TSIG
// provider block as the README shows it.
func secureTopology(t *testing.T, zone, server, serverName string) string {
	t.Helper()
	sn := ""
	if serverName != "" {
		sn = fmt.Sprintf("  server_name = %q\n", serverName)
	}
	src := fmt.Sprintf(`name = "ad"
provider "rfc2136" "ad" {
  server   = %[2]q
  auth     = "gss-tsig"
  realm    = "TOPO.TEST"
  username = "topo"
  password = env("TOPO_AD_PASSWORD")
%[3]s}
zone %[1]q {
  provider = "rfc2136.ad"
}
site "s" {
  pool "p" {
    fqdn = "pool.%[1]s"
    web_services {
      internal_fqdn = "web.%[1]s"
      internal_vip  = "10.0.0.100"
    }
    server "a" {
      fqdn = "a.%[1]s"
      ip   = "10.0.0.1"
    }
    server "b" {
      fqdn  = "b.%[1]s"
      ip    = "10.0.0.2"
    }
    server "c" {
      fqdn  = "c.%[1]s"
      ip    = "10.0.0.3"
      state = "draining"
    }
  }
}
`, zone, server, sn)
	path := filepath.Join(t.TempDir(), "topology.hcl")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// publishByNames plans, publishes, re-plans and verifies a zone the server
// will not transfer, with the topo binary: every read is by names.
func publishByNames(t *testing.T, path, server, password, krb5conf string) {
	t.Helper()
	bin := providertest.TopoBinary(t)
	env := []string{"TOPO_AD_PASSWORD=" + password, "KRB5_CONFIG=" + krb5conf, "NO_COLOR=1"}
	check := func(step string, wantCode int, args ...string) string {
		t.Helper()
		out, errOut, code := providertest.RunTopo(t, bin, env, args...)
		if strings.Contains(out+errOut, password) {
			t.Fatalf("%s: topo printed the password", step)
		}
		if code != wantCode {
			t.Fatalf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", step, code, wantCode, out, errOut)
		}
		return out
	}
	out := check("plan", 2, "plan", "--detailed-exitcode", path)
	if !strings.Contains(out, "read name by name from "+server) || !strings.Contains(out, "ownership and conflict checks cover these") {
		t.Errorf("the plan does not say the zone was read by names:\n%s", out)
	}
	check("publish", 0, "publish", "--auto-approve", path)
	out = check("re-plan", 0, "plan", "--detailed-exitcode", path)
	if !strings.Contains(out, "No changes") {
		t.Errorf("re-plan after publish:\n%s", out)
	}
	check("verify", 0, "verify", path)
	// A saved plan reads the same names again for its staleness check.
	plan := filepath.Join(t.TempDir(), "plan.json")
	if _, e, code := providertest.RunTopo(t, bin, env, "resume", "-f", path, "c"); code != 0 {
		t.Fatalf("resume: %s", e)
	}
	check("plan --out", 2, "plan", "--detailed-exitcode", "--out", plan, path)
	check("publish plan", 0, "publish", "--auto-approve", plan)
	check("verify after resume", 0, "verify", path)
}

func answer(t *testing.T, server, name string) []string {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), dns.TypeA)
	r, err := dns.Exchange(m, server)
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

// TestNoTransferZoneByNames: closed.test refuses every transfer; topo
// plans, publishes, re-plans empty and verifies it through name reads.
func TestNoTransferZoneByNames(t *testing.T) {
	k := dnstest.StartKDC(t, dnstest.KDCOptions{})
	b := dnstest.StartBIND(t, dnstest.BINDOptions{
		Zones:      []string{"closed.test"},
		GSSKeytab:  k.ServiceKeytab(),
		GSSGrant:   []string{"topo@" + k.Realm},
		NoTransfer: []string{"closed.test"},
		Env:        k.Env(),
	})
	path := secureTopology(t, "closed.test", b.Addr, "")
	publishByNames(t, path, b.Addr, k.Passwords["topo"], k.Config)
	if got := answer(t, b.Addr, "pool.closed.test"); !slices.Equal(got, []string{"10.0.0.1", "10.0.0.2", "10.0.0.3"}) {
		t.Errorf("pool.closed.test = %v, want a, b and c (resumed)", got)
	}
}

// TestSambaPublishAndVerify publishes to the Samba AD DC with the topo
// binary: server is its address, server_name its name for the SPN.
func TestSambaPublishAndVerify(t *testing.T) {
	s := dnstest.StartSamba(t)
	path := secureTopology(t, s.Zone, s.Addr, s.Host)
	publishByNames(t, path, s.Addr, s.Passwords["topo"], s.Config)
	if got := answer(t, s.Addr, "pool."+s.Zone); !slices.Equal(got, []string{"10.0.0.1", "10.0.0.2", "10.0.0.3"}) {
		t.Errorf("pool.%s = %v, want a, b and c (resumed)", s.Zone, got)
	}
}
