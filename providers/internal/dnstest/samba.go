package dnstest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// Samba is a running Samba Active Directory domain controller (realm
// TOPO.TEST, domain TOPO, host dc1) with its internal DNS server, the
// closest thing to Windows DNS that runs here: AD-integrated zone
// topo.test taking secure (GSS-TSIG) updates only. It listens on 127.0.0.1
// only, on free ports for DNS and Kerberos, and forwards nothing. It is
// stopped by PID when the test ends.
type Samba struct {
	// Realm is "TOPO.TEST"; Zone the AD zone, "topo.test".
	Realm, Zone string
	// Addr is the DNS server's "127.0.0.1:port".
	Addr string
	// KDC is the KDC's "127.0.0.1:port".
	KDC string
	// Host is the DC's name, "dc1.topo.test": its DNS service principal
	// is DNS/<Host>.
	Host string
	// Dir holds the provisioned domain and the configuration.
	Dir string
	// Config is the path of a krb5.conf for clients (KRB5_CONFIG).
	Config string
	// Passwords of the users, by name: Administrator and SambaUsers.
	Passwords map[string]string
	// Provision is how long provisioning the domain took (once per test
	// binary); Start how long copying it and starting samba until DNS
	// answered took.
	Provision, Start time.Duration

	t    testing.TB
	cmd  *exec.Cmd
	done chan struct{}
	out  *syncBuffer
}

// sambaTemplate is a domain provisioned once per test binary: each
// StartSamba copies it (a few milliseconds) instead of provisioning again
// (some 7 to 12 seconds). Only smb.conf names its directory and ports.
type sambaTemplate struct {
	dir       string
	passwords map[string]string
	took      time.Duration
	err       error
}

var (
	templateMu sync.Mutex
	template   *sambaTemplate
)

// SambaUsers are the accounts every domain has besides Administrator:
// topo, and other, which a test may use as a second account.
var SambaUsers = []string{"topo", "other"}

// RemoveSambaTemplate deletes the provisioned domain StartSamba copies;
// TestMain calls it after the tests ran.
func RemoveSambaTemplate() {
	templateMu.Lock()
	defer templateMu.Unlock()
	if template != nil && template.dir != "" {
		_ = os.RemoveAll(template.dir)
	}
	template = nil
}

func provisionTemplate(tool string) *sambaTemplate {
	templateMu.Lock()
	defer templateMu.Unlock()
	if template != nil {
		return template
	}
	start := time.Now()
	tpl := &sambaTemplate{passwords: map[string]string{"Administrator": newPassword()}}
	template = tpl
	dir, err := os.MkdirTemp("", "topo-samba-template-")
	if err != nil {
		tpl.err = err
		return tpl
	}
	tpl.dir = dir
	run := func(args ...string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, tool, args...)
		cmd.Dir = dir
		// No krb5.conf of the system: nothing to look up anywhere.
		cmd.Env = append(os.Environ(), "KRB5_CONFIG="+filepath.Join(dir, "none.conf"))
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("samba-tool %s: %v\n%s", args[0]+" "+args[1], err, out)
		}
		return nil
	}
	// The ports are placeholders: each copy gets its own.
	tpl.err = run("domain", "provision",
		"--targetdir="+dir, "--realm=TOPO.TEST", "--domain=TOPO", "--host-name=dc1",
		"--server-role=dc", "--dns-backend=SAMBA_INTERNAL",
		"--adminpass="+tpl.passwords["Administrator"], "--host-ip=127.0.0.1",
		"--option=interfaces=127.0.0.1", "--option=bind interfaces only=yes",
		"--option=server services=kdc, dns",
		"--option=dns port=1053", "--option=krb5 port=1088", "--option=kpasswd port=1464",
		"--option=pid directory="+filepath.Join(dir, "pid"),
		"--option=log file="+filepath.Join(dir, "log.%m"),
		"--option=ncalrpc dir="+filepath.Join(dir, "ncalrpc"),
		"--option=winbindd socket directory="+filepath.Join(dir, "winbindd"),
		"--option=ntp signd socket directory="+filepath.Join(dir, "ntp_signd"),
	)
	if tpl.err != nil {
		return tpl
	}
	conf := filepath.Join(dir, "etc", "smb.conf")
	for _, u := range SambaUsers {
		pw := newPassword()
		tpl.passwords[u] = pw
		if tpl.err = run("user", "create", u, pw, "-s", conf); tpl.err != nil {
			return tpl
		}
	}
	tpl.took = time.Since(start)
	return tpl
}

// StartSamba copies a provisioned domain (provisioning it with samba-tool
// the first time) into a temporary directory, gives it free ports, removes
// the DNS forwarder provisioning copies from /etc/resolv.conf, and runs
// `samba -i -M single` as a child process. It returns once the DNS server
// answers the zone's SOA.
func StartSamba(t testing.TB) *Samba {
	t.Helper()
	sambaBin := RequireBinary(t, "samba", "samba")
	tool := RequireBinary(t, "samba-tool", "samba")
	tpl := provisionTemplate(tool)
	if tpl.err != nil {
		t.Fatalf("samba: provision: %v", tpl.err)
	}
	dir := t.TempDir()
	dnsPort, krbPort, kpasswdPort := FreePort(t), FreePort(t), FreePort(t)
	s := &Samba{
		Realm:     "TOPO.TEST",
		Zone:      "topo.test",
		Host:      "dc1.topo.test",
		Addr:      "127.0.0.1:" + strconv.Itoa(dnsPort),
		KDC:       "127.0.0.1:" + strconv.Itoa(krbPort),
		Dir:       dir,
		Config:    filepath.Join(dir, "krb5-client.conf"),
		Passwords: tpl.passwords,
		Provision: tpl.took,
		t:         t,
	}
	start := time.Now()
	if out, err := exec.Command("cp", "-a", tpl.dir+"/.", dir).CombinedOutput(); err != nil {
		t.Fatalf("samba: copy the provisioned domain: %v\n%s", err, out)
	}
	conf := filepath.Join(dir, "etc", "smb.conf")
	b, err := os.ReadFile(conf)
	if err != nil {
		t.Fatalf("samba: %v", err)
	}
	text := strings.ReplaceAll(string(b), tpl.dir, dir)
	for key, port := range map[string]int{"dns port": dnsPort, "krb5 port": krbPort, "kpasswd port": kpasswdPort} {
		text = regexp.MustCompile(`(?m)^(\s*`+key+`\s*=).*$`).ReplaceAllString(text, "${1} "+strconv.Itoa(port))
	}
	// Nothing may leave loopback: provisioning copies the system's
	// resolver as the DNS forwarder.
	text = regexp.MustCompile(`(?m)^\s*dns forwarder\s*=.*\n`).ReplaceAllString(text, "")
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatalf("samba: %v", err)
	}
	// samba exits at once unless this directory is 0750.
	signd := filepath.Join(dir, "ntp_signd")
	if err := os.MkdirAll(signd, 0o750); err != nil {
		t.Fatalf("samba: %v", err)
	}
	if err := os.Chmod(signd, 0o750); err != nil {
		t.Fatalf("samba: %v", err)
	}
	_ = os.RemoveAll(filepath.Join(dir, "pid"))
	// Clients use this krb5.conf: the KDC on its port, no DNS lookups.
	krb5 := fmt.Sprintf("[libdefaults]\n\tdefault_realm = %[1]s\n\tdns_lookup_kdc = false\n\tdns_lookup_realm = false\n\tdns_canonicalize_hostname = false\n\trdns = false\n\tudp_preference_limit = 1\n\n[realms]\n\t%[1]s = {\n\t\tkdc = %[2]s\n\t}\n\n[domain_realm]\n\t.topo.test = %[1]s\n\ttopo.test = %[1]s\n", s.Realm, s.KDC)
	if err := os.WriteFile(s.Config, []byte(krb5), 0o644); err != nil {
		t.Fatalf("samba: %v", err)
	}

	out := &syncBuffer{}
	cmd := exec.Command(sambaBin, "-i", "-M", "single", "-s", conf)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "KRB5_CONFIG="+s.Config)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("samba: start: %v", err)
	}
	s.cmd, s.out, s.done = cmd, out, make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(s.stop)
	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case <-s.done:
			t.Fatalf("samba exited at once (%s):\n%s", cmd.ProcessState, out.String())
		default:
		}
		if err := s.querySOA(); err == nil {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("samba's DNS server does not answer SOA %s after 30s: %v\n%s", s.Zone, err, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.Start = time.Since(start)
	t.Logf("samba: domain %s (provisioned once in %s), DNS %s answering %s after the copy started", s.Realm, s.Provision.Round(time.Millisecond), s.Addr, s.Start.Round(time.Millisecond))
	return s
}

func (s *Samba) querySOA() error {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(s.Zone), dns.TypeSOA)
	c := &dns.Client{Net: "tcp", Timeout: time.Second}
	r, _, err := c.Exchange(m, s.Addr)
	if err != nil {
		return err
	}
	if r.Rcode != dns.RcodeSuccess || !r.Authoritative || len(r.Answer) == 0 {
		return fmt.Errorf("answer %s, authoritative %t, %d records", dns.RcodeToString[r.Rcode], r.Authoritative, len(r.Answer))
	}
	return nil
}

func (s *Samba) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
	if s.t.Failed() {
		s.t.Logf("samba output:\n%s", s.out.String())
		if logs, _ := filepath.Glob(filepath.Join(s.Dir, "log.*")); len(logs) > 0 {
			for _, l := range logs {
				b, _ := os.ReadFile(l)
				s.t.Logf("%s:\n%s", filepath.Base(l), lastLines(string(b), 60))
			}
		}
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
