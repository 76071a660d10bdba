//go:build !windows

package rfc2136

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/bodgit/tsig/gss"
)

// defaultCredentials names the credentials used without username.
const defaultCredentials = "the Kerberos credential cache (KRB5CCNAME, after kinit)"

// keytabSupported: gokrb5 reads keytabs.
const keytabSupported = true

func (k *krbConfig) options() []func(*gss.Client) error {
	return []func(*gss.Client) error{gss.WithConfig(k.contents)}
}

// kerberosConfig finds the krb5.conf: KRB5Config, then $KRB5_CONFIG (the
// first file of the list that exists), then /etc/krb5.conf; without any,
// it builds one naming Server as the realm's KDC, as a domain controller
// is.
func (p *Provider) kerberosConfig() (*krbConfig, error) {
	var path string
	candidates := []string{p.KRB5Config}
	if p.KRB5Config == "" {
		candidates = append(filepath.SplitList(os.Getenv("KRB5_CONFIG")), "/etc/krb5.conf")
	}
	for _, c := range candidates {
		c = strings.TrimPrefix(c, "FILE:")
		if c == "" {
			continue
		}
		if _, err := os.Stat(c); err == nil {
			path = c
			break
		} else if p.KRB5Config != "" {
			return nil, fmt.Errorf("krb5.conf %s: %w", c, err)
		}
	}
	if path == "" {
		if p.Realm == "" {
			return nil, errors.New("no krb5.conf (KRB5_CONFIG is not set and /etc/krb5.conf does not exist): set realm in the provider block, or KRB5_CONFIG to a krb5.conf naming the realm's KDCs")
		}
		host, _, _ := net.SplitHostPort(p.Server)
		return parseKrbConfig(builtKrb5Conf(strings.ToUpper(p.Realm), host), "built from realm and server (no krb5.conf found)", p.Realm)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read krb5.conf: %w", err)
	}
	return parseKrbConfig(string(b), path, p.Realm)
}
