package rfc2136_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers/internal/dnstest"
	"github.com/topo-dns/topo/providers/providertest"
)

// contosoOnBIND writes examples/contoso with its internal zone published
// to BIND through rfc2136 and its external zone to zone files.
func contosoOnBIND(t *testing.T, b *dnstest.BIND) string {
	t.Helper()
	src, err := os.ReadFile("../../examples/contoso/topology.hcl")
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	block := "provider \"rfc2136\" \"corp\" {\n  server         = \"" + b.Addr + "\"\n  tsig_key       = \"" + b.KeyName + "\"\n  tsig_algorithm = \"" + b.KeyAlgorithm + "\"\n  tsig_secret    = env(\"TOPO_TSIG_SECRET\")\n}\n\n"
	s = strings.Replace(s, "zone \"contoso.com\" {\n  view = \"internal\"", block+"zone \"contoso.com\" {\n  view     = \"internal\"\n  provider = \"rfc2136.corp\"", 1)
	if !strings.Contains(s, "rfc2136.corp") {
		t.Fatal("could not point the example's internal zone at BIND")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "topology.hcl")
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// ask queries the server like dig +norec would.
func ask(t *testing.T, server, name string, typ uint16) []string {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), typ)
	m.RecursionDesired = false
	c := &dns.Client{Timeout: 3 * time.Second}
	r, _, err := c.ExchangeContext(context.Background(), m, server)
	if err != nil {
		t.Fatalf("query %s: %v", name, err)
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

// TestContosoOnBIND publishes the example topology to a real BIND with the
// topo binary and asks BIND with real DNS queries: the pool FQDN returns
// exactly the active servers, the draining server still resolves on its own
// name, and topo verify agrees (then disagrees after an unpublished drain).
func TestContosoOnBIND(t *testing.T) {
	b := dnstest.StartBIND(t, dnstest.BINDOptions{Zones: []string{"contoso.com"}})
	bin := providertest.TopoBinary(t)
	path := contosoOnBIND(t, b)
	env := []string{"TOPO_TSIG_SECRET=" + b.KeySecret, "NO_COLOR=1"}

	out, errOut, code := providertest.RunTopo(t, bin, env, "publish", "--auto-approve", path)
	if code != 0 {
		t.Fatalf("publish: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if strings.Contains(out+errOut, b.KeySecret) {
		t.Fatal("the TSIG secret appeared in topo's output")
	}

	var active []string
	for i := 11; i <= 21; i++ { // fe01..fe11 active, fe12 draining
		active = append(active, "10.0.1."+strconv.Itoa(i))
	}
	slices.Sort(active)
	if got := ask(t, b.Addr, "pool01.contoso.com", dns.TypeA); !slices.Equal(got, active) {
		t.Fatalf("pool01.contoso.com: want exactly the 11 active servers %v, got %v", active, got)
	}
	if got := ask(t, b.Addr, "fe12.contoso.com", dns.TypeA); !slices.Equal(got, []string{"10.0.1.22"}) {
		t.Fatalf("draining fe12.contoso.com must still resolve to its own address, got %v", got)
	}
	if got := ask(t, b.Addr, "webint01.contoso.com", dns.TypeA); !slices.Equal(got, []string{"10.0.1.100"}) {
		t.Fatalf("webint01.contoso.com must resolve to the HLB VIP, got %v", got)
	}

	// verify asks BIND (the provider's server) for the internal zone; the
	// external zone lives in zone files and has no server here.
	vout, verr, code := providertest.RunTopo(t, bin, env, "verify", "-o", "json", path, "--server", b.Addr)
	var report struct {
		Match  bool `json:"match"`
		Checks []struct {
			Name string `json:"name"`
			OK   bool   `json:"ok"`
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(vout), &report); err != nil {
		t.Fatalf("verify -o json: %v\n%s\n%s", err, vout, verr)
	}
	// The external names are not on BIND: those checks differ, the
	// internal ones match.
	for _, c := range report.Checks {
		external := strings.HasPrefix(c.Name, "webext")
		if c.OK == external {
			t.Errorf("verify: %s ok=%v, want %v", c.Name, c.OK, !external)
		}
	}
	if code != 2 {
		t.Fatalf("verify with external names missing from BIND: want exit 2, got %d", code)
	}

	// Drain fe01 in the file without publishing: verify sees DNS differ.
	if _, e, code := providertest.RunTopo(t, bin, env, "drain", "-f", path, "site.redmond.pool.pool01.server.fe01"); code != 0 {
		t.Fatalf("drain: exit %d: %s", code, e)
	}
	out, errOut, code = providertest.RunTopo(t, bin, env, "publish", "--auto-approve", path)
	if code != 0 {
		t.Fatalf("publish after drain: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "fe01 (10.0.1.11) is draining") {
		t.Errorf("publish output should explain the drain, got:\n%s", out)
	}
	if got := ask(t, b.Addr, "pool01.contoso.com", dns.TypeA); slices.Contains(got, "10.0.1.11") || len(got) != 10 {
		t.Fatalf("after draining fe01, pool01.contoso.com = %v", got)
	}
	if got := ask(t, b.Addr, "fe01.contoso.com", dns.TypeA); !slices.Equal(got, []string{"10.0.1.11"}) {
		t.Fatalf("draining fe01 keeps its own record, got %v", got)
	}
}

// TestConcurrentPublishes runs two topo publish processes against one BIND
// at once, each applying a saved plan made from the same zone contents:
// one drains fe01, the other fe02. Exactly one may win; the other must be
// refused (stale plan or failed prerequisite), never interleaved.
func TestConcurrentPublishes(t *testing.T) {
	b := dnstest.StartBIND(t, dnstest.BINDOptions{Zones: []string{"contoso.com"}})
	bin := providertest.TopoBinary(t)
	base := contosoOnBIND(t, b)
	env := []string{"TOPO_TSIG_SECRET=" + b.KeySecret, "NO_COLOR=1"}
	if out, e, code := providertest.RunTopo(t, bin, env, "publish", "--auto-approve", base); code != 0 {
		t.Fatalf("initial publish: %d\n%s\n%s", code, out, e)
	}
	src, _ := os.ReadFile(base)
	var plans []string
	for i, server := range []string{"fe01", "fe02"} {
		dir := t.TempDir()
		path := filepath.Join(dir, "topology.hcl")
		os.WriteFile(path, src, 0o644)
		if _, e, code := providertest.RunTopo(t, bin, env, "drain", "-f", path, "site.redmond.pool.pool01.server."+server); code != 0 {
			t.Fatalf("drain %s: %s", server, e)
		}
		plan := filepath.Join(dir, "plan.json")
		if _, e, code := providertest.RunTopo(t, bin, env, "plan", "--out", plan, path); code != 0 {
			t.Fatalf("plan %d: %s", i, e)
		}
		plans = append(plans, plan)
	}
	type result struct {
		code     int
		out, err string
	}
	results := make(chan result, 2)
	start := make(chan struct{})
	for _, p := range plans {
		go func() {
			<-start
			var o, e bytes.Buffer
			cmd := exec.Command(bin, "publish", "--auto-approve", p)
			cmd.Env = append(os.Environ(), env...)
			cmd.Stdout, cmd.Stderr = &o, &e
			err := cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			}
			results <- result{code, o.String(), e.String()}
		}()
	}
	close(start)
	var wins, refusals int
	for range 2 {
		r := <-results
		switch {
		case r.code == 0:
			wins++
		case strings.Contains(r.err, "stale") || strings.Contains(r.err, "changed since it was read"):
			refusals++
		default:
			t.Fatalf("a concurrent publish failed for another reason: exit %d\n%s\n%s", r.code, r.out, r.err)
		}
	}
	if wins != 1 || refusals != 1 {
		t.Fatalf("want exactly one publish applied and one refused, got %d applied, %d refused", wins, refusals)
	}
	got := ask(t, b.Addr, "pool01.contoso.com", dns.TypeA)
	fe01, fe02 := slices.Contains(got, "10.0.1.11"), slices.Contains(got, "10.0.1.12")
	if len(got) != 10 || fe01 == fe02 {
		t.Fatalf("pool01.contoso.com holds %v: want exactly one of fe01/fe02 drained, never both nor neither", got)
	}
}

// TestSecretsNeverLeak runs every command with the TSIG secret in the
// environment, against a real BIND, including failures (a wrong secret, a
// stale plan), and requires the secret never to appear on stdout, stderr
// or in a saved plan.
func TestSecretsNeverLeak(t *testing.T) {
	b := dnstest.StartBIND(t, dnstest.BINDOptions{Zones: []string{"contoso.com"}})
	bin := providertest.TopoBinary(t)
	path := contosoOnBIND(t, b)
	dir := filepath.Dir(path)
	plan := filepath.Join(dir, "plan.json")
	env := []string{"TOPO_TSIG_SECRET=" + b.KeySecret, "NO_COLOR=1", "GITHUB_ACTIONS=true", "GITHUB_STEP_SUMMARY=" + filepath.Join(dir, "summary.md")}
	// A different, valid secret the server does not know: BADSIG errors.
	wrong := []string{"TOPO_TSIG_SECRET=d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC13cm9uZyEh", "NO_COLOR=1"}
	steps := []struct {
		env  []string
		args []string
	}{
		{env, []string{"validate", path}},
		{env, []string{"validate", "-o", "json", path}},
		{env, []string{"compile", "-o", "json", path}},
		{env, []string{"graph", "-o", "dot", path}},
		{env, []string{"fmt", "--check", path}},
		{env, []string{"plan", "--detailed-exitcode", "--out", plan, path}},
		{env, []string{"plan", "-o", "json", path}},
		{env, []string{"plan", "-o", "markdown", "--graph", path}},
		{wrong, []string{"plan", path}},
		{wrong, []string{"publish", "--auto-approve", path}},
		{env, []string{"publish", "--auto-approve", plan}},
		{env, []string{"publish", "--auto-approve", plan}}, // now stale
		{env, []string{"verify", "-o", "json", path, "--server", b.Addr}},
		{env, []string{"drain", "-f", path, "site.redmond.pool.pool01.server.fe03"}},
		{env, []string{"publish", "-o", "json", "--auto-approve", path}},
	}
	var failures int
	for _, s := range steps {
		out, errOut, code := providertest.RunTopo(t, bin, s.env, s.args...)
		if code == 1 {
			failures++
		}
		for _, secret := range []string{b.KeySecret, "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC13cm9uZyEh"} {
			if strings.Contains(out, secret) || strings.Contains(errOut, secret) {
				t.Fatalf("topo %v printed a TSIG secret (exit %d)", s.args, code)
			}
		}
	}
	if failures < 3 {
		t.Errorf("the wrong-secret and stale-plan steps should have failed; only %d steps exited 1", failures)
	}
	for _, f := range []string{plan, filepath.Join(dir, "summary.md"), path} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(b.KeySecret)) {
			t.Fatalf("%s holds the TSIG secret", filepath.Base(f))
		}
	}
}

// bigTopology writes a topology of pools x 12 servers in zone big.test.
func bigTopology(t *testing.T, addr, key, alg string, pools int) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "name = \"big\"\nprovider \"rfc2136\" \"b\" {\n  server = %q\n  tsig_key = %q\n  tsig_algorithm = %q\n  tsig_secret = env(\"TOPO_TSIG_SECRET\")\n}\n", addr, key, alg)
	b.WriteString("zone \"big.test\" {\n  provider = \"rfc2136.b\"\n  ownership = \"exclusive\"\n}\nsite \"s\" {\n")
	for p := range pools {
		fmt.Fprintf(&b, "  pool \"p%d\" {\n    fqdn = \"p%d.big.test\"\n    web_services {\n      internal_fqdn = \"w%d.big.test\"\n      internal_vip = \"10.%d.%d.250\"\n    }\n", p, p, p, p/250, p%250)
		for s := range 12 {
			fmt.Fprintf(&b, "    server \"s%d\" {\n      fqdn = \"s%d-%d.big.test\"\n      ip = \"10.%d.%d.%d\"\n    }\n", s, p, s, p/250, p%250, s+1)
		}
		b.WriteString("  }\n")
	}
	b.WriteString("}\n")
	path := filepath.Join(t.TempDir(), "topology.hcl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestInterruptedPublish sends SIGINT to a publish that needs several
// UPDATE messages, after the first one landed: topo stops, exits 1 saying
// it was interrupted and what was applied, and publishing again converges.
func TestInterruptedPublish(t *testing.T) {
	b := dnstest.StartBIND(t, dnstest.BINDOptions{Zones: []string{"big.test"}})
	bin := providertest.TopoBinary(t)
	path := bigTopology(t, b.Addr, b.KeyName, b.KeyAlgorithm, 600)
	env := []string{"TOPO_TSIG_SECRET=" + b.KeySecret, "NO_COLOR=1"}

	cmd := exec.Command(bin, "publish", "--auto-approve", path)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout = &out
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	buf := make([]byte, 4096)
	interrupted := false
	for {
		n, rerr := stderr.Read(buf)
		log.Write(buf[:n])
		if !interrupted && strings.Contains(log.String(), ": chunk 1/") {
			cmd.Process.Signal(os.Interrupt)
			interrupted = true
		}
		if rerr != nil {
			break
		}
	}
	err = cmd.Wait()
	if !interrupted {
		t.Fatalf("the publish never reported its first chunk:\n%s", log.String())
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		// The last chunk may have been in flight: then it completed.
		if err == nil && strings.Contains(out.String(), "Published") {
			t.Skip("the publish finished before the interrupt took effect")
		}
		t.Fatalf("interrupted publish: want exit 1, got %v\n%s", err, log.String())
	}
	if !strings.Contains(log.String(), "interrupted") || !strings.Contains(log.String(), "changes applied") {
		t.Fatalf("want an interruption report saying what was applied, got:\n%s", log.String())
	}
	// Publishing again converges.
	if o, e, code := providertest.RunTopo(t, bin, env, "publish", "--auto-approve", path); code != 0 {
		t.Fatalf("publish after an interrupt: exit %d\n%s\n%s", code, o, e)
	}
	if o, _, code := providertest.RunTopo(t, bin, env, "plan", "--detailed-exitcode", path); code != 0 {
		t.Fatalf("plan after converging: exit %d\n%s", code, o)
	}
}

// TestVerifyAgainstBIND: verify exits 0 when BIND answers what the
// topology wants (the pool FQDN exactly the active servers, a draining
// server on its own name only, an offline one not at all), and 2 while a
// change is not yet published.
func TestVerifyAgainstBIND(t *testing.T) {
	b := dnstest.StartBIND(t, dnstest.BINDOptions{Zones: []string{"example.test"}})
	bin := providertest.TopoBinary(t)
	src := fmt.Sprintf(`name = "v"
provider "rfc2136" "b" {
  server         = %q
  tsig_key       = %q
  tsig_algorithm = %q
  tsig_secret    = env("TOPO_TSIG_SECRET")
}
zone "example.test" {
  provider = "rfc2136.b"
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
      fqdn  = "b.example.test"
      ip    = "10.0.0.2"
      state = "draining"
    }
    server "c" {
      fqdn = "c.example.test"
      ip   = "10.0.0.3"
    }
    server "d" {
      fqdn  = "d.example.test"
      ip    = "10.0.0.4"
      state = "offline"
    }
  }
}
`, b.Addr, b.KeyName, b.KeyAlgorithm)
	path := filepath.Join(t.TempDir(), "topology.hcl")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"TOPO_TSIG_SECRET=" + b.KeySecret, "NO_COLOR=1"}
	if o, e, code := providertest.RunTopo(t, bin, env, "verify", path); code != 2 {
		t.Fatalf("verify before publishing: want exit 2, got %d\n%s\n%s", code, o, e)
	}
	if o, e, code := providertest.RunTopo(t, bin, env, "publish", "--auto-approve", path); code != 0 {
		t.Fatalf("publish: %d\n%s\n%s", code, o, e)
	}
	out, errOut, code := providertest.RunTopo(t, bin, env, "verify", path)
	if code != 0 {
		t.Fatalf("verify after publishing: want exit 0, got %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"ok   pool.example.test A: want [10.0.0.1 10.0.0.3] got [10.0.0.1 10.0.0.3]",
		"ok   b.example.test A: want [10.0.0.2] got [10.0.0.2]  (b is draining",
		"ok   d.example.test A: want [] got []  (d is offline",
		"ok   web.example.test A: want [10.0.0.100]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("verify output lacks %q:\n%s", want, out)
		}
	}
	// Resume d in the file only: DNS differs until published.
	if _, e, code := providertest.RunTopo(t, bin, env, "resume", "-f", path, "d"); code != 0 {
		t.Fatal(e)
	}
	if o, _, code := providertest.RunTopo(t, bin, env, "verify", path); code != 2 || !strings.Contains(o, "DIFF pool.example.test A") {
		t.Fatalf("verify after an unpublished resume: want exit 2 with a DIFF, got %d\n%s", code, o)
	}
}
