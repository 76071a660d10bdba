package powerdns_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/topo-dns/topo/providers/internal/dnstest"
	"github.com/topo-dns/topo/providers/providertest"
)

// TestPublishAndVerifyOnPowerDNS drives the topo binary against a real
// PowerDNS: publish through the API, then verify with real DNS queries to
// the provider's own DNS server (dns_server), draining included.
func TestPublishAndVerifyOnPowerDNS(t *testing.T) {
	pd := dnstest.StartPowerDNS(t, dnstest.PowerDNSOptions{})
	pd.CreateZone(t, "example.test")
	bin := providertest.TopoBinary(t)
	src := fmt.Sprintf(`name = "pdns"
provider "powerdns" "corp" {
  url        = %q
  api_key    = env("TOPO_PDNS_API_KEY")
  dns_server = %q
}
zone "example.test" {
  provider = "powerdns.corp"
}
site "s" {
  pool "p" {
    fqdn = "pool.example.test"
    web_services {
      internal_fqdn = "web.example.test"
      internal_vip  = "10.0.0.100"
    }
    server "a" {
      fqdn = "a.example.test"
      ip   = "10.0.0.1"
    }
    server "b" {
      fqdn = "b.example.test"
      ip   = "10.0.0.2"
    }
    server "c" {
      fqdn = "c.example.test"
      ip   = "10.0.0.3"
    }
  }
}
`, pd.URL, pd.DNSAddr)
	path := filepath.Join(t.TempDir(), "topology.hcl")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"TOPO_PDNS_API_KEY=" + pd.APIKey, "NO_COLOR=1"}
	check := func(step string, wantCode int, args ...string) string {
		t.Helper()
		out, errOut, code := providertest.RunTopo(t, bin, env, args...)
		if code != wantCode {
			t.Fatalf("%s: topo %v: exit %d, want %d\n%s\n%s", step, args, code, wantCode, out, errOut)
		}
		if strings.Contains(out+errOut, pd.APIKey) {
			t.Fatalf("%s: the API key was printed", step)
		}
		return out
	}
	check("verify before publish", 2, "verify", path)
	check("publish", 0, "publish", "--auto-approve", path)
	check("plan after publish", 0, "plan", "--detailed-exitcode", path)
	out := check("verify after publish", 0, "verify", path)
	if !strings.Contains(out, "ok   pool.example.test A: want [10.0.0.1 10.0.0.2 10.0.0.3]") {
		t.Errorf("verify output:\n%s", out)
	}
	check("drain", 0, "drain", "-f", path, "b")
	check("verify after an unpublished drain", 2, "verify", path)
	check("publish the drain", 0, "publish", "--auto-approve", path)
	out = check("verify after the drain", 0, "verify", path)
	if !strings.Contains(out, "ok   pool.example.test A: want [10.0.0.1 10.0.0.3] got [10.0.0.1 10.0.0.3]") ||
		!strings.Contains(out, "ok   b.example.test A: want [10.0.0.2] got [10.0.0.2]") {
		t.Errorf("verify after the drain:\n%s", out)
	}
}
