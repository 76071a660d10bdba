package powerdns_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers/internal/dnstest"
	"github.com/topo-dns/topo/providers/providertest"
)

// TestPublishAndVerifyOnPowerDNS drives the topo binary against a real
// PowerDNS: publish through the API, then verify with real DNS queries to
// the provider's own DNS server, draining included: at dns_server, or
// without it where the API says PowerDNS listens (local-address,
// local-port: a free port, not 53).
func TestPublishAndVerifyOnPowerDNS(t *testing.T) {
	for _, withDNSServer := range []bool{true, false} {
		t.Run(fmt.Sprintf("dns_server=%v", withDNSServer), func(t *testing.T) {
			pd := dnstest.StartPowerDNS(t, dnstest.PowerDNSOptions{})
			pd.CreateZone(t, "example.test")
			dnsServer := ""
			if withDNSServer {
				dnsServer = fmt.Sprintf("  dns_server = %q\n", pd.DNSAddr)
			}
			path := pdnsTopology(t, pd, dnsServer)
			check := runner(t, pd)
			check("verify before publish", 2, "verify", path)
			check("publish", 0, "publish", "--auto-approve", path)
			check("plan after publish", 0, "plan", "--detailed-exitcode", path)
			out, _ := check("verify after publish", 0, "verify", path)
			if want := "DNS matches the topology (10 answers checked).\n"; out != want {
				t.Errorf("verify output:\n%s\nwant only %q", out, want)
			}
			out, _ = check("verify --all after publish", 0, "verify", "--all", path)
			if !strings.Contains(out, "ok   pool.example.test A: want [10.0.0.1 10.0.0.2 10.0.0.3]") ||
				!strings.Contains(out, "ok   _topo.pool.example.test TXT: want [heritage=topo,topology=pdns]") {
				t.Errorf("verify --all output:\n%s", out)
			}
			check("drain", 0, "drain", "-f", path, "b")
			out, _ = check("verify after an unpublished drain", 2, "verify", path)
			if !strings.HasPrefix(out, "DIFF pool.example.test A: want [10.0.0.1 10.0.0.3] got [10.0.0.1 10.0.0.2 10.0.0.3]") || strings.Contains(out, "ok   ") {
				t.Errorf("verify after an unpublished drain prints more than the difference:\n%s", out)
			}
			check("publish the drain", 0, "publish", "--auto-approve", path)
			out, _ = check("verify after the drain", 0, "verify", "--all", path)
			if !strings.Contains(out, "ok   pool.example.test A: want [10.0.0.1 10.0.0.3] got [10.0.0.1 10.0.0.3]") ||
				!strings.Contains(out, "ok   b.example.test A: want [10.0.0.2] got [10.0.0.2]") {
				t.Errorf("verify after the drain:\n%s", out)
			}
		})
	}
}

// TestVerifyNotAuthoritativeOnPowerDNS: a dns_server that answers without
// the AA bit, as a resolver would, is named as such (exit 1), not taken
// for a zone that differs; so is PowerDNS itself asked for a zone it does
// not serve.
func TestVerifyNotAuthoritativeOnPowerDNS(t *testing.T) {
	pd := dnstest.StartPowerDNS(t, dnstest.PowerDNSOptions{})
	pd.CreateZone(t, "example.test")
	resolver := enginetest.StartDNSServer(t, []string{"example.test"})
	resolver.SetAuthoritative(false)
	check := runner(t, pd)
	path := pdnsTopology(t, pd, fmt.Sprintf("  dns_server = %q\n", resolver.Addr))
	_, errOut := check("verify a resolver", 1, "verify", path)
	if want := "server " + resolver.Addr + " is not authoritative for zone example.test (both): it answered the query for the zone's SOA without the AA bit"; !strings.Contains(errOut, want) {
		t.Errorf("stderr does not say %q:\n%s", want, errOut)
	}
	path = pdnsTopology(t, pd, "")
	src, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.ReplaceAll(string(src), "example.test", "other.test")), 0o644)
	_, errOut = check("verify a zone PowerDNS does not serve", 1, "verify", path)
	if want := "server " + pd.DNSAddr + " is not authoritative for zone other.test (both): it refused the query for the zone's SOA (REFUSED)"; !strings.Contains(errOut, want) {
		t.Errorf("stderr does not say %q:\n%s", want, errOut)
	}
}

// pdnsTopology writes a topology of one pool in example.test published to
// pd, with extra lines in its provider block.
func pdnsTopology(t *testing.T, pd *dnstest.PowerDNS, extra string) string {
	t.Helper()
	src := fmt.Sprintf(`name = "pdns"
provider "powerdns" "corp" {
  url        = %q
  api_key    = env("TOPO_PDNS_API_KEY")
%s}
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
`, pd.URL, extra)
	path := filepath.Join(t.TempDir(), "topology.hcl")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runner returns a function that runs the topo binary with pd's API key,
// requires an exit code, and makes sure the key is never printed.
func runner(t *testing.T, pd *dnstest.PowerDNS) func(step string, wantCode int, args ...string) (string, string) {
	bin := providertest.TopoBinary(t)
	env := []string{"TOPO_PDNS_API_KEY=" + pd.APIKey, "NO_COLOR=1"}
	return func(step string, wantCode int, args ...string) (string, string) {
		t.Helper()
		out, errOut, code := providertest.RunTopo(t, bin, env, args...)
		if code != wantCode {
			t.Fatalf("%s: topo %v: exit %d, want %d\n%s\n%s", step, args, code, wantCode, out, errOut)
		}
		if strings.Contains(out+errOut, pd.APIKey) {
			t.Fatalf("%s: the API key was printed", step)
		}
		return out, errOut
	}
}
