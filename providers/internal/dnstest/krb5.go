package dnstest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// KDCOptions configures a Kerberos KDC started by StartKDC. The zero value
// is realm TOPO.TEST with the principals topo (password and keytab) and
// DNS/127.0.0.1 (keytab for named).
type KDCOptions struct {
	// Realm; default "TOPO.TEST".
	Realm string
	// Users are extra user principals, created like topo with a password
	// (Passwords[name]) and a keytab (KDC.Keytab(name)).
	Users []string
	// Services are service principals ("DNS/127.0.0.1"), created with a
	// random key and written to KDC.Keytab(service) and all together to
	// KDC.ServiceKeytab; default DNS/127.0.0.1 and DNS/localhost (the name
	// nsupdate -g finds for 127.0.0.1).
	Services []string
	// ClockSkew, when not zero, is the KDC's tolerance for clock skew in
	// seconds; -1 makes it reject every timestamp as skewed, which is how
	// tests meet the error without changing the clock.
	ClockSkew int
}

// KDC is a running MIT Kerberos KDC (krb5kdc) for one realm, listening on
// 127.0.0.1 on a free port for UDP and TCP. Its database, stash, keytabs
// and krb5.conf live in Dir; clients find it through Config, the path of a
// krb5.conf to pass as KRB5_CONFIG. It is stopped when the test ends.
type KDC struct {
	// Realm is the realm, in upper case.
	Realm string
	// Addr is "127.0.0.1:port".
	Addr string
	// Dir holds the database, keytabs, configuration and log.
	Dir string
	// Config is the path of the generated krb5.conf (dns_lookup_kdc and
	// rdns off, the realm's only KDC at Addr).
	Config string
	// Passwords of the user principals, by principal name without realm.
	Passwords map[string]string
	// Setup is how long creating the realm and starting the KDC took.
	Setup time.Duration

	t    testing.TB
	cmd  *exec.Cmd
	done chan struct{}
	out  *syncBuffer
}

// StartKDC creates a realm in a temporary directory (kdb5_util create -s),
// adds the principals with kadmin.local, writes their keytabs, and runs
// krb5kdc in the foreground on a free loopback port. It returns once the
// KDC accepts TCP connections, and stops it by PID when the test ends.
func StartKDC(t testing.TB, opts KDCOptions) *KDC {
	t.Helper()
	start := time.Now()
	krb5kdc := RequireBinary(t, "krb5kdc", "krb5-kdc")
	kdb5util := RequireBinary(t, "kdb5_util", "krb5-kdc")
	kadmin := RequireBinary(t, "kadmin.local", "krb5-admin-server")
	if opts.Realm == "" {
		opts.Realm = "TOPO.TEST"
	}
	if opts.Services == nil {
		opts.Services = []string{"DNS/127.0.0.1", "DNS/localhost"}
	}
	dir := t.TempDir()
	port := FreePort(t)
	k := &KDC{
		Realm:     strings.ToUpper(opts.Realm),
		Addr:      "127.0.0.1:" + strconv.Itoa(port),
		Dir:       dir,
		Config:    filepath.Join(dir, "krb5.conf"),
		Passwords: map[string]string{},
		t:         t,
	}
	skew := ""
	if opts.ClockSkew != 0 {
		skew = fmt.Sprintf("\tclockskew = %d\n", opts.ClockSkew)
	}
	conf := fmt.Sprintf(`[libdefaults]
	default_realm = %[1]s
	dns_lookup_kdc = false
	dns_lookup_realm = false
	dns_canonicalize_hostname = false
	rdns = false
	udp_preference_limit = 1
	default_ccache_name = FILE:%[3]s/ccache

[realms]
	%[1]s = {
		kdc = %[2]s
	}

[domain_realm]
	.%[4]s = %[1]s
	%[4]s = %[1]s
`, k.Realm, k.Addr, dir, strings.ToLower(k.Realm))
	kdcConf := fmt.Sprintf(`[kdcdefaults]
	kdc_listen = %[2]s
	kdc_tcp_listen = %[2]s

[realms]
	%[1]s = {
		database_name = %[3]s/principal
		key_stash_file = %[3]s/stash
		acl_file = %[3]s/kadm5.acl
		kdc_listen = %[2]s
		kdc_tcp_listen = %[2]s
		max_life = 10h
		supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
	}

[logging]
	kdc = FILE:%[3]s/kdc.log
	default = FILE:%[3]s/kdc.log
`, k.Realm, k.Addr, dir)
	// The KDC's own krb5.conf carries its clock skew tolerance; clients
	// get theirs without it (gokrb5 refuses a negative one).
	kdcKrb5 := strings.Replace(conf, "\n[realms]", skew+"\n[realms]", 1)
	for name, data := range map[string]string{"krb5.conf": conf, "kdc-krb5.conf": kdcKrb5, "kdc.conf": kdcConf, "kadm5.acl": ""} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatalf("kdc: %v", err)
		}
	}
	env := append(os.Environ(), "KRB5_CONFIG="+filepath.Join(dir, "kdc-krb5.conf"), "KRB5_KDC_PROFILE="+filepath.Join(dir, "kdc.conf"))
	run := func(bin string, args ...string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env, cmd.Dir = env, dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("kdc: %s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
		}
	}
	run(kdb5util, "-r", k.Realm, "-P", randomPassword(t), "create", "-s")
	users := append([]string{"topo"}, opts.Users...)
	for _, u := range users {
		pw := randomPassword(t)
		k.Passwords[u] = pw
		// Active Directory requires pre-authentication: so does this KDC,
		// so that a wrong password is reported as such.
		run(kadmin, "-r", k.Realm, "-q", fmt.Sprintf("addprinc -pw %s +requires_preauth %s", pw, u))
		run(kadmin, "-r", k.Realm, "-q", fmt.Sprintf("ktadd -k %s -norandkey %s", k.Keytab(u), u))
	}
	for _, s := range opts.Services {
		run(kadmin, "-r", k.Realm, "-q", "addprinc -randkey "+s)
		run(kadmin, "-r", k.Realm, "-q", fmt.Sprintf("ktadd -k %s %s", k.Keytab(s), s))
		run(kadmin, "-r", k.Realm, "-q", fmt.Sprintf("ktadd -k %s -norandkey %s", k.ServiceKeytab(), s))
	}

	out := &syncBuffer{}
	// -n: stay in the foreground, so the PID is the KDC's.
	cmd := exec.Command(krb5kdc, "-n", "-r", k.Realm)
	cmd.Env, cmd.Dir = env, dir
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("kdc: start krb5kdc: %v", err)
	}
	k.cmd, k.out, k.done = cmd, out, make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(k.done)
	}()
	t.Cleanup(k.stop)
	deadline := time.Now().Add(15 * time.Second)
	for {
		select {
		case <-k.done:
			t.Fatalf("kdc: krb5kdc exited at once (%s):\n%s\n%s", cmd.ProcessState, out.String(), k.Log())
		default:
		}
		c, err := net.DialTimeout("tcp", k.Addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("kdc: krb5kdc does not listen on %s after 15s: %v\n%s", k.Addr, err, k.Log())
		}
		time.Sleep(20 * time.Millisecond)
	}
	k.Setup = time.Since(start)
	t.Logf("kdc: realm %s on %s ready in %s", k.Realm, k.Addr, k.Setup.Round(time.Millisecond))
	return k
}

// Keytab is the path of the keytab of a principal StartKDC created ("topo",
// "DNS/127.0.0.1").
func (k *KDC) Keytab(principal string) string {
	return filepath.Join(k.Dir, strings.NewReplacer("/", "_", "@", "_").Replace(principal)+".keytab")
}

// ServiceKeytab is the path of a keytab holding every service principal's
// key: the server's keytab (tkey-gssapi-keytab).
func (k *KDC) ServiceKeytab() string { return filepath.Join(k.Dir, "services.keytab") }

// Log returns the KDC's log file.
func (k *KDC) Log() string {
	b, _ := os.ReadFile(filepath.Join(k.Dir, "kdc.log"))
	return string(b)
}

// Env is the environment a Kerberos client (kinit, named) needs to use
// this realm: KRB5_CONFIG pointing at Config.
func (k *KDC) Env() []string { return []string{"KRB5_CONFIG=" + k.Config} }

// Kinit gets a ticket for user with its password into a fresh credential
// cache, with the real kinit, and returns the cache's path (for
// KRB5CCNAME).
func (k *KDC) Kinit(t testing.TB, user string) string {
	t.Helper()
	kinit := RequireBinary(t, "kinit", "krb5-user")
	cache := filepath.Join(t.TempDir(), "ccache")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, kinit, "-c", "FILE:"+cache, user+"@"+k.Realm)
	cmd.Env = append(os.Environ(), k.Env()...)
	cmd.Stdin = strings.NewReader(k.Passwords[user] + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("kinit %s: %v\n%s\n%s", user, err, out, k.Log())
	}
	return cache
}

func (k *KDC) stop() {
	_ = k.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-k.done:
	case <-time.After(10 * time.Second):
		_ = k.cmd.Process.Kill()
		<-k.done
	}
	if k.t.Failed() {
		k.t.Logf("kdc log:\n%s", k.Log())
	}
}

// randomPassword returns a password of letters and digits, safe to pass
// on a kadmin.local command line.
func randomPassword(t testing.TB) string {
	t.Helper()
	return "Pw1-" + randomHex(t, 12)
}

func randomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("random bytes: %v", err)
	}
	return hex.EncodeToString(b)
}

// newPassword is a password Active Directory's complexity rules accept.
func newPassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "Pw1-" + hex.EncodeToString(b) + "aA!"
}
