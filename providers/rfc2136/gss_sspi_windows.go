//go:build windows

package rfc2136

import "github.com/bodgit/tsig/gss"

// defaultCredentials names the credentials used without username.
const defaultCredentials = "the logged-on Windows user (SSPI)"

// keytabSupported: SSPI has no keytabs.
const keytabSupported = false

// options: SSPI finds the KDC itself and reads no krb5.conf.
func (k *krbConfig) options() []func(*gss.Client) error { return nil }

// kerberosConfig: Windows finds the domain's KDCs itself.
func (p *Provider) kerberosConfig() (*krbConfig, error) {
	return &krbConfig{source: "Windows (SSPI)", realm: p.Realm}, nil
}
