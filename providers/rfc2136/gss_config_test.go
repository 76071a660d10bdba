//go:build !windows

package rfc2136

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestKerberosConfig(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "krb5.conf")
	if err := os.WriteFile(conf, []byte(builtKrb5Conf("CORP.TEST", "10.1.2.3")), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.conf")
	if err := os.WriteFile(empty, []byte("[libdefaults]\n\tdefault_realm = OTHER.TEST\n\tdns_lookup_kdc = false\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		p        *Provider
		env      string
		wantKDCs []string
		source   string
		err      string
	}{
		{name: "KRB5_CONFIG, first existing file of the list", p: &Provider{Realm: "CORP.TEST"}, env: filepath.Join(dir, "missing.conf") + ":" + conf, wantKDCs: []string{"10.1.2.3:88"}, source: conf},
		{name: "explicit path wins", p: &Provider{Realm: "corp.test", KRB5Config: conf}, env: empty, wantKDCs: []string{"10.1.2.3:88"}, source: conf},
		{name: "explicit path missing", p: &Provider{KRB5Config: filepath.Join(dir, "nope.conf")}, err: "nope.conf"},
		{name: "realm without a KDC", p: &Provider{Realm: "CORP.TEST", KRB5Config: empty}, err: "names no KDC for realm CORP.TEST and dns_lookup_kdc is off"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("KRB5_CONFIG", tc.env)
			k, err := tc.p.kerberosConfig()
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want one saying %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.wantKDCs, k.kdcs()); diff != "" {
				t.Errorf("KDCs (-want +got):\n%s", diff)
			}
			if k.source != tc.source {
				t.Errorf("source = %q, want %q", k.source, tc.source)
			}
		})
	}
}

// TestBuiltKrb5Conf: without any krb5.conf the server is the realm's KDC.
func TestBuiltKrb5Conf(t *testing.T) {
	k, err := parseKrbConfig(builtKrb5Conf("CORP.CONTOSO.COM", "dc01.corp.contoso.com"), "built", "corp.contoso.com")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"dc01.corp.contoso.com:88"}, k.kdcs()); diff != "" {
		t.Errorf("KDCs (-want +got):\n%s", diff)
	}
	if k.cfg.LibDefaults.DNSLookupKDC || k.cfg.LibDefaults.DefaultRealm != "CORP.CONTOSO.COM" {
		t.Errorf("built config: %+v", k.cfg.LibDefaults)
	}
}
