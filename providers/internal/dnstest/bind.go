package dnstest

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// BINDOptions configures a BIND server started by StartBIND. The zero value
// serves one zone, "example.test", with a fresh hmac-sha256 key "topo-key.".
type BINDOptions struct {
	// Zones are the primary zones to serve, without the trailing dot. Each
	// starts with an SOA and one NS record ("localhost."), accepts dynamic
	// updates and AXFR signed with the key, and nothing else.
	Zones []string
	// KeyName is the TSIG key's name; default "topo-key.".
	KeyName string
	// KeyAlgorithm is the TSIG algorithm as BIND spells it: "hmac-sha256"
	// (default), "hmac-sha384", "hmac-sha512".
	KeyAlgorithm string
	// KeySecret is the base64 TSIG secret; default 32 random bytes.
	KeySecret string
	// ZoneOptions are extra statements for every zone clause, for example
	// "check-integrity no;" to accept an MX or NS target in the zone that
	// has no address record, as BIND refuses by default.
	ZoneOptions []string
	// StartTimeout bounds the wait for the server to answer for every zone;
	// default 20s.
	StartTimeout time.Duration
	// GSSKeytab, when set, makes the server accept GSS-TSIG (RFC 3645)
	// updates only, with this keytab (tkey-gssapi-keytab), and have no TSIG
	// key at all: every zone's update-policy grants GSSGrant, nobody else.
	// Zone transfers are allowed from 127.0.0.1, signed or not.
	GSSKeytab string
	// GSSGrant are the Kerberos principals ("topo@TOPO.TEST") that may
	// write any name in every zone (update-policy { grant P zonesub ANY; }).
	GSSGrant []string
	// NoTransfer are zones (among Zones) that refuse every zone transfer:
	// allow-transfer { none; }.
	NoTransfer []string
	// Env is added to named's environment, such as KRB5_CONFIG.
	Env []string
}

// BIND is a running BIND 9 (named) serving primary zones on 127.0.0.1.
// Tests stop it with Stop (an abrupt kill, for fault tests) and may start
// it again on the same port and data with Restart. It is stopped when the
// test ends.
type BIND struct {
	// Addr is "127.0.0.1:port", for TCP and UDP.
	Addr string
	// Port is the port in Addr.
	Port int
	// Dir holds the configuration, zone files and journals.
	Dir string
	// Zones are the zones served, without the trailing dot.
	Zones []string
	// KeyName, KeyAlgorithm ("hmac-sha256") and KeySecret (base64) are the
	// TSIG key the zones accept updates and transfers signed with.
	KeyName, KeyAlgorithm, KeySecret string
	// GSSClientEnv is the environment Update gives nsupdate -g on a
	// GSS-TSIG server: KRB5CCNAME of a credential cache (KDC.Kinit).
	GSSClientEnv []string

	t           testing.TB
	named       string
	conf        string
	timeout     time.Duration
	zoneOptions []string
	gssKeytab   string
	gssGrant    []string
	noTransfer  map[string]bool
	env         []string

	mu   sync.Mutex
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
}

// StartBIND starts named in the foreground (named -g) with a fresh
// configuration in a temporary directory, listening only on 127.0.0.1 on a
// free port, without rndc control channel or recursion. It returns once the
// server answers an SOA query for every zone, and stops it when the test
// ends (SIGTERM, then SIGKILL).
func StartBIND(t testing.TB, opts BINDOptions) *BIND {
	t.Helper()
	named := RequireBinary(t, "named", "bind9")
	if len(opts.Zones) == 0 {
		opts.Zones = []string{"example.test"}
	}
	if opts.KeyName == "" {
		opts.KeyName = "topo-key."
	}
	if opts.KeyAlgorithm == "" {
		opts.KeyAlgorithm = "hmac-sha256"
	}
	if opts.KeySecret == "" {
		buf := make([]byte, 32)
		if _, err := rand.Read(buf); err != nil {
			t.Fatalf("generate TSIG secret: %v", err)
		}
		opts.KeySecret = base64.StdEncoding.EncodeToString(buf)
	}
	if opts.StartTimeout == 0 {
		opts.StartTimeout = 20 * time.Second
	}
	dir := t.TempDir()
	port := FreePort(t)
	b := &BIND{
		Addr:         "127.0.0.1:" + strconv.Itoa(port),
		Port:         port,
		Dir:          dir,
		KeyName:      dns.Fqdn(opts.KeyName),
		KeyAlgorithm: opts.KeyAlgorithm,
		KeySecret:    opts.KeySecret,
		t:            t,
		named:        named,
		conf:         filepath.Join(dir, "named.conf"),
		timeout:      opts.StartTimeout,
		zoneOptions:  opts.ZoneOptions,
		gssKeytab:    opts.GSSKeytab,
		gssGrant:     opts.GSSGrant,
		noTransfer:   map[string]bool{},
		env:          opts.Env,
	}
	for _, z := range opts.NoTransfer {
		b.noTransfer[strings.TrimSuffix(strings.ToLower(z), ".")] = true
	}
	if b.gssKeytab != "" {
		b.KeyName, b.KeyAlgorithm, b.KeySecret = "", "", ""
	}
	for _, z := range opts.Zones {
		b.Zones = append(b.Zones, strings.TrimSuffix(strings.ToLower(z), "."))
	}
	if err := b.writeConfig(); err != nil {
		t.Fatalf("bind: %v", err)
	}
	t.Cleanup(b.shutdown)
	if err := b.start(); err != nil {
		t.Fatalf("bind: %v", err)
	}
	return b
}

// KeyFile is the path of a key file for `nsupdate -k` and `dig -k`.
func (b *BIND) KeyFile() string { return filepath.Join(b.Dir, "tsig.key") }

func (b *BIND) keyClause() string {
	return fmt.Sprintf("key %q {\n\talgorithm %s;\n\tsecret %q;\n};\n", b.KeyName, b.KeyAlgorithm, b.KeySecret)
}

func (b *BIND) writeConfig() error {
	var conf strings.Builder
	fmt.Fprintf(&conf, `options {
	directory %q;
	pid-file none;
	session-keyfile none;
	managed-keys-directory %q;
	listen-on port %d { 127.0.0.1; };
	listen-on-v6 { none; };
	recursion no;
	dnssec-validation no;
	notify no;
	allow-query { 127.0.0.1; };
	allow-transfer { none; };
`, b.Dir, b.Dir, b.Port)
	if b.gssKeytab != "" {
		fmt.Fprintf(&conf, "\ttkey-gssapi-keytab %q;\n", b.gssKeytab)
	}
	conf.WriteString("};\ncontrols { };\n")
	if b.gssKeytab == "" {
		conf.WriteString(b.keyClause())
	}
	for _, z := range b.Zones {
		file := filepath.Join(b.Dir, z+".zone")
		soa := fmt.Sprintf("$TTL 300\n@ IN SOA localhost. hostmaster.%s. 1 3600 600 86400 300\n@ IN NS localhost.\n", z)
		if err := os.WriteFile(file, []byte(soa), 0o644); err != nil {
			return fmt.Errorf("write zone %q: %w", z, err)
		}
		fmt.Fprintf(&conf, "zone %q {\n\ttype primary;\n\tfile %q;\n\tjournal %q;\n", z, file, filepath.Join(b.Dir, z+".jnl"))
		transfer := fmt.Sprintf("key %q;", b.KeyName)
		if b.gssKeytab != "" {
			transfer = "127.0.0.1;"
			conf.WriteString("\tupdate-policy {\n")
			for _, p := range b.gssGrant {
				fmt.Fprintf(&conf, "\t\tgrant %s zonesub ANY;\n", p)
			}
			conf.WriteString("\t};\n")
		} else {
			fmt.Fprintf(&conf, "\tallow-update { key %q; };\n", b.KeyName)
		}
		if b.noTransfer[z] {
			transfer = "none;"
		}
		fmt.Fprintf(&conf, "\tallow-transfer { %s };\n", transfer)
		for _, o := range b.zoneOptions {
			fmt.Fprintf(&conf, "\t%s\n", o)
		}
		conf.WriteString("};\n")
	}
	if b.gssKeytab == "" {
		if err := os.WriteFile(b.KeyFile(), []byte(b.keyClause()), 0o600); err != nil {
			return fmt.Errorf("write key file: %w", err)
		}
	}
	return os.WriteFile(b.conf, []byte(conf.String()), 0o600)
}

// start runs named and waits until it answers for every zone.
func (b *BIND) start() error {
	b.mu.Lock()
	out := &syncBuffer{}
	// -n 1: one worker thread is plenty for tests and keeps CI light.
	cmd := exec.Command(b.named, "-g", "-n", "1", "-c", b.conf)
	cmd.Dir = b.Dir
	cmd.Env = append(os.Environ(), b.env...)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		b.mu.Unlock()
		return fmt.Errorf("start named: %w", err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()
	b.cmd, b.out, b.done = cmd, out, done
	b.mu.Unlock()

	deadline := time.Now().Add(b.timeout)
	pending := append([]string(nil), b.Zones...)
	for len(pending) > 0 {
		select {
		case <-done:
			return fmt.Errorf("named exited before serving its zones (%s); its output:\n%s", cmd.ProcessState, out.String())
		default:
		}
		if err := b.querySOA(pending[0]); err == nil {
			pending = pending[1:]
			continue
		} else if time.Now().After(deadline) {
			b.Stop()
			return fmt.Errorf("named did not answer SOA %q within %s: %v; its output:\n%s", pending[0], b.timeout, err, out.String())
		}
		time.Sleep(25 * time.Millisecond)
	}
	return nil
}

func (b *BIND) querySOA(zone string) error {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(zone), dns.TypeSOA)
	c := &dns.Client{Net: "tcp", Timeout: time.Second}
	r, _, err := c.Exchange(m, b.Addr)
	if err != nil {
		return err
	}
	if r.Rcode != dns.RcodeSuccess || !r.Authoritative || len(r.Answer) == 0 {
		return fmt.Errorf("answer %s, authoritative %t, %d records", dns.RcodeToString[r.Rcode], r.Authoritative, len(r.Answer))
	}
	return nil
}

// Stop kills named at once (SIGKILL) and waits for it to exit, as a crash
// would. It does nothing when named is not running.
func (b *BIND) Stop() {
	b.stop(syscall.SIGKILL, 0)
}

// Restart starts named again on the same port, configuration and data
// (zone files and journals), after Stop or a crash; it stops a running
// one first. It fails the test when the server does not come back.
func (b *BIND) Restart() {
	b.t.Helper()
	b.Stop()
	if err := b.start(); err != nil {
		b.t.Fatalf("bind: restart: %v", err)
	}
}

// Output returns what named has printed so far (its log, with -g).
func (b *BIND) Output() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.out == nil {
		return ""
	}
	return b.out.String()
}

func (b *BIND) shutdown() { b.stop(syscall.SIGTERM, 10*time.Second) }

// stop sends sig to named's PID and waits for it; when it has not exited
// after grace, it is killed.
func (b *BIND) stop(sig syscall.Signal, grace time.Duration) {
	b.mu.Lock()
	cmd, done := b.cmd, b.done
	b.cmd = nil
	b.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(sig)
	if grace > 0 {
		select {
		case <-done:
			return
		case <-time.After(grace):
			_ = cmd.Process.Kill()
		}
	}
	<-done
}

// Update runs the real nsupdate against the server, signed with the key, as
// another client would: lines are nsupdate commands ("update add
// www.example.test. 300 A 192.0.2.1"), sent as one UPDATE message for zone.
func (b *BIND) Update(zone string, lines ...string) error {
	bin := RequireBinary(b.t, "nsupdate", "bind9-dnsutils")
	var script strings.Builder
	fmt.Fprintf(&script, "server 127.0.0.1 %d\nzone %s\n", b.Port, dns.Fqdn(zone))
	for _, l := range lines {
		script.WriteString(l + "\n")
	}
	script.WriteString("send\n")
	// -v: TCP, as topo's provider uses.
	cmd := exec.Command(bin, "-v", "-t", "10", "-k", b.KeyFile())
	if b.gssKeytab != "" {
		// -g: GSS-TSIG with the Kerberos credentials GSSClientEnv names.
		cmd = exec.Command(bin, "-v", "-t", "10", "-g")
		cmd.Env = append(append(os.Environ(), b.env...), b.GSSClientEnv...)
	}
	cmd.Stdin = strings.NewReader(script.String())
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("nsupdate: %w: %s", err, bytes.TrimSpace(out))
	}
	return nil
}

// NSUpdate runs b.Update and fails the test on error.
func NSUpdate(t testing.TB, b *BIND, zone string, lines ...string) {
	t.Helper()
	if err := b.Update(zone, lines...); err != nil {
		t.Fatalf("%v", err)
	}
}

// syncBuffer is a bytes.Buffer safe for named's two output streams and
// concurrent readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// Version is what `named -v` prints, the build's suffix cut:
// "BIND 9.18.49-1~deb12u3-Debian", for messages about what a version
// cannot do.
func (b *BIND) Version() string {
	out, err := exec.Command(b.named, "-v").Output()
	if err != nil {
		return "BIND (named -v: " + err.Error() + ")"
	}
	v, _, _ := strings.Cut(strings.TrimSpace(string(out)), " (")
	return v
}
