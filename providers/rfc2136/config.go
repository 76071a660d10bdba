package rfc2136

import (
	"encoding/base64"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/miekg/dns"

	"github.com/topo-dns/topo/internal/suggest"
	"github.com/topo-dns/topo/providers"
)

// DefaultTimeout bounds one request (an UPDATE message or a zone transfer)
// when the configuration sets no timeout.
const DefaultTimeout = 10 * time.Second

// Algorithms are the TSIG algorithms a provider block may name.
var Algorithms = []string{"hmac-sha256", "hmac-sha384", "hmac-sha512"}

// Config is the body of a `provider "rfc2136" "<name>"` block:
//
//	provider "rfc2136" "corp" {
//	  server         = "127.0.0.1:5353"
//	  tsig_key       = "topo-key."
//	  tsig_algorithm = "hmac-sha256"
//	  tsig_secret    = env("TOPO_TSIG_SECRET")
//	  timeout        = "10s"
//	}
//
// or, for Windows DNS and other servers taking secure updates (GSS-TSIG):
//
//	provider "rfc2136" "ad" {
//	  server      = "dc01.corp.contoso.com:53"
//	  auth        = "gss-tsig"
//	  realm       = "CORP.CONTOSO.COM"
//	  username    = "svc-topo"
//	  password    = env("TOPO_AD_PASSWORD") # or keytab = "/etc/topo/svc-topo.keytab"
//	  server_name = "dc01.corp.contoso.com" # when server is an address
//	  read        = "axfr"                  # or "names"
//	}
type Config struct {
	// Server is the primary server's "host:port".
	Server      string    `hcl:"server,attr"`
	ServerRange hcl.Range `hcl:"server,attr_value_range"`
	// TSIGKey is the key's name as the server knows it ("topo-key.").
	// Without it, updates and transfers are sent unsigned.
	TSIGKey      string    `hcl:"tsig_key,optional"`
	TSIGKeyRange hcl.Range `hcl:"tsig_key,attr_value_range"`
	// TSIGAlgorithm is one of Algorithms; default "hmac-sha256".
	TSIGAlgorithm      string    `hcl:"tsig_algorithm,optional"`
	TSIGAlgorithmRange hcl.Range `hcl:"tsig_algorithm,attr_value_range"`
	// TSIGSecret is the key's base64 secret, set through env().
	TSIGSecret      string    `hcl:"tsig_secret,optional"`
	TSIGSecretRange hcl.Range `hcl:"tsig_secret,attr_value_range"`
	// Timeout bounds each request, as a Go duration ("10s"); default
	// DefaultTimeout.
	Timeout      string    `hcl:"timeout,optional"`
	TimeoutRange hcl.Range `hcl:"timeout,attr_value_range"`
	// Auth is "tsig" (the default: the TSIG key above, unsigned without
	// one), "gss-tsig" or "none".
	Auth      string    `hcl:"auth,optional"`
	AuthRange hcl.Range `hcl:"auth,attr_value_range"`
	// Realm, Username, Password and Keytab are the Kerberos credentials of
	// gss-tsig. Without username: the logged-on user (Windows) or the
	// credential cache (KRB5CCNAME).
	Realm         string    `hcl:"realm,optional"`
	RealmRange    hcl.Range `hcl:"realm,attr_value_range"`
	Username      string    `hcl:"username,optional"`
	UsernameRange hcl.Range `hcl:"username,attr_value_range"`
	Password      string    `hcl:"password,optional"`
	PasswordRange hcl.Range `hcl:"password,attr_value_range"`
	Keytab        string    `hcl:"keytab,optional"`
	KeytabRange   hcl.Range `hcl:"keytab,attr_value_range"`
	// ServerName is the server's host name for its service principal
	// (DNS/<server_name>) when server is an address.
	ServerName      string    `hcl:"server_name,optional"`
	ServerNameRange hcl.Range `hcl:"server_name,attr_value_range"`
	// Read is "axfr" (the default, falling back to names when the
	// transfer is refused) or "names".
	Read      string    `hcl:"read,optional"`
	ReadRange hcl.Range `hcl:"read,attr_value_range"`
}

// AuthModes and ReadModes are the values of auth and read.
var (
	AuthModes = []string{AuthTSIG, AuthGSS, AuthNone}
	ReadModes = []string{ReadAXFR, ReadNames}
)

// Kind returns the "rfc2136" provider kind for the registry.
func Kind() providers.Kind {
	return providers.Kind{
		Open: func(body hcl.Body, ectx *hcl.EvalContext, env providers.OpenEnv) (providers.Provider, hcl.Diagnostics) {
			p, diags := Open(body, ectx)
			if p == nil {
				return nil, diags
			}
			if p.Keytab != "" && !filepath.IsAbs(p.Keytab) && env.BaseDir != "" {
				p.Keytab = filepath.Join(env.BaseDir, p.Keytab)
			}
			return p, diags
		},
		Secrets: []string{"tsig_secret", "password"},
	}
}

// Open decodes and checks a provider block body. It does not contact the
// server. It returns nil when the diagnostics hold an error.
func Open(body hcl.Body, ectx *hcl.EvalContext) (*Provider, hcl.Diagnostics) {
	var cfg Config
	diags := gohcl.DecodeBody(body, ectx, &cfg)
	if diags.HasErrors() {
		return nil, diags
	}
	p, more := cfg.Provider(body.MissingItemRange())
	diags = append(diags, more...)
	if diags.HasErrors() {
		return nil, diags
	}
	return p, diags
}

// Provider checks the configuration and returns the provider it describes.
// block is where to point diagnostics about missing attributes.
func (c Config) Provider(block hcl.Range) (*Provider, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	bad := func(subject hcl.Range, summary, detail string) {
		diags = append(diags, c.diagnostic(block, subject, summary, detail))
	}
	p := &Provider{Server: strings.TrimSpace(c.Server), Timeout: DefaultTimeout}

	if p.Server == "" {
		bad(c.ServerRange, "Missing DNS server address",
			`The rfc2136 provider needs the primary server's address as "host:port", for example "192.0.2.53:53".`)
	} else if host, port, err := net.SplitHostPort(p.Server); err != nil || host == "" {
		bad(c.ServerRange, "Invalid DNS server address",
			fmt.Sprintf(`The server must be "host:port", for example %q; %q is not.`, suggestHostPort(p.Server), p.Server))
	} else if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		bad(c.ServerRange, "Invalid DNS server port",
			fmt.Sprintf("The port of %q must be a number from 1 to 65535 (53 for a standard DNS server).", p.Server))
	}

	auth := strings.ToLower(strings.TrimSpace(c.Auth))
	switch auth {
	case "":
	case AuthTSIG, AuthNone:
		p.Auth = auth
	case AuthGSS, "gss":
		p.Auth = AuthGSS
	case "gss.microsoft.com":
		p.Auth, p.GSSAlgorithm = AuthGSS, GSSMicrosoft
	default:
		detail := fmt.Sprintf("auth %q is not known; use %s.", c.Auth, strings.Join(AuthModes, ", "))
		if s := suggest.Closest(auth, AuthModes); s != "" {
			detail += fmt.Sprintf(" Did you mean %q?", s)
		}
		bad(c.AuthRange, "Unknown authentication", detail)
	}
	if p.Auth == AuthGSS {
		diags = append(diags, c.gss(p, block)...)
		return c.finish(p, diags, block)
	}
	for _, a := range []struct {
		name, value string
		rng         hcl.Range
	}{{"realm", c.Realm, c.RealmRange}, {"username", c.Username, c.UsernameRange}, {"password", c.Password, c.PasswordRange}, {"keytab", c.Keytab, c.KeytabRange}, {"server_name", c.ServerName, c.ServerNameRange}} {
		if a.value != "" {
			bad(a.rng, "Kerberos setting without GSS-TSIG", fmt.Sprintf(`%s is used by secure updates only: set auth = "gss-tsig" to sign with Kerberos, or remove %s.`, a.name, a.name))
		}
	}
	if p.Auth == AuthNone && (c.TSIGKey != "" || c.TSIGSecret != "") {
		bad(c.TSIGKeyRange, "TSIG key with auth = \"none\"", `auth = "none" sends unsigned messages: remove tsig_key and tsig_secret, or set auth = "tsig".`)
	}
	if p.Auth == AuthTSIG && c.TSIGKey == "" && c.TSIGSecret == "" {
		bad(c.AuthRange, "Missing TSIG key", `auth = "tsig" signs with a TSIG key: set tsig_key and tsig_secret = env("..."), or set auth = "none" for unsigned updates.`)
	}

	alg := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(c.TSIGAlgorithm)), ".")
	if alg == "" {
		alg = Algorithms[0]
	}
	known := false
	for _, a := range Algorithms {
		known = known || a == alg
	}
	if !known {
		detail := fmt.Sprintf("TSIG algorithm %q is not supported.", c.TSIGAlgorithm)
		if s := suggest.Closest(alg, Algorithms); s != "" {
			detail += fmt.Sprintf(" Did you mean %q?", s)
		}
		detail += " The allowed algorithms are " + strings.Join(Algorithms, ", ") + "; use the one in the key's algorithm clause in named.conf."
		bad(c.TSIGAlgorithmRange, "Unsupported TSIG algorithm", detail)
	}
	p.TSIGAlgorithm = dns.Fqdn(alg)

	key := strings.TrimSpace(c.TSIGKey)
	switch {
	case key == "" && c.TSIGSecret != "":
		bad(c.TSIGSecretRange, "TSIG secret without a key name",
			`tsig_secret is set but tsig_key is not: set tsig_key to the key's name as the server knows it, for example "topo-key.".`)
	case key != "" && c.TSIGSecret == "":
		subject := c.TSIGSecretRange
		if subject == (hcl.Range{}) {
			subject = c.TSIGKeyRange
		}
		bad(subject, "Missing TSIG secret",
			fmt.Sprintf("TSIG key %q needs its secret: set tsig_secret = env(\"...\") to an environment variable holding the base64 secret, and check that variable is set.", key))
	case key != "":
		if _, ok := dns.IsDomainName(key); !ok {
			bad(c.TSIGKeyRange, "Invalid TSIG key name",
				fmt.Sprintf("The TSIG key name %q is not a valid domain name; use the name from the key clause in named.conf, for example \"topo-key.\".", key))
		}
		p.TSIGKey = dns.CanonicalName(key)
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(c.TSIGSecret))
		if err != nil || len(raw) == 0 {
			bad(c.TSIGSecretRange, "TSIG secret is not base64",
				"The TSIG secret must be the base64 string from the key's secret clause (as tsig-keygen prints it). The value is not shown because it is a credential.")
		}
		p.TSIGSecret = strings.TrimSpace(c.TSIGSecret)
	case c.TSIGAlgorithm != "":
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "TSIG algorithm without a key",
			Detail:   "tsig_algorithm has no effect without tsig_key and tsig_secret: updates are sent unsigned.",
			Subject:  c.TSIGAlgorithmRange.Ptr(),
		})
	}

	return c.finish(p, diags, block)
}

// diagnostic is an error at subject (at block when subject is unset).
// One about a secret's value (tsig_secret, password) must not quote its
// line: it carries providers.NoSnippet, and its texts never hold the value.
func (c Config) diagnostic(block, subject hcl.Range, summary, detail string) *hcl.Diagnostic {
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: subject.Ptr()}
	switch {
	case subject == (hcl.Range{}):
		d.Subject = block.Ptr()
	case subject == c.TSIGSecretRange || subject == c.PasswordRange:
		d.Extra = providers.NoSnippet{}
	}
	return d
}

// finish checks what every auth mode shares, read and timeout, adding to
// diags.
func (c Config) finish(p *Provider, diags hcl.Diagnostics, block hcl.Range) (*Provider, hcl.Diagnostics) {
	bad := func(subject hcl.Range, summary, detail string) {
		diags = append(diags, c.diagnostic(block, subject, summary, detail))
	}
	switch r := strings.ToLower(strings.TrimSpace(c.Read)); r {
	case "":
	case ReadAXFR, ReadNames:
		p.Read = r
	default:
		bad(c.ReadRange, "Unknown read mode", fmt.Sprintf(`read %q is not known; use "axfr" (a zone transfer, falling back to names when the server refuses it) or "names" (query each name topo manages).`, c.Read))
	}
	if c.Timeout != "" {
		d, err := time.ParseDuration(strings.TrimSpace(c.Timeout))
		if err != nil || d <= 0 {
			bad(c.TimeoutRange, "Invalid timeout",
				fmt.Sprintf(`The timeout must be a positive duration such as "10s" or "1m30s"; %q is not.`, c.Timeout))
		}
		p.Timeout = d
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return p, diags
}

// gss checks the GSS-TSIG settings into p.
func (c Config) gss(p *Provider, block hcl.Range) hcl.Diagnostics {
	var diags hcl.Diagnostics
	bad := func(subject hcl.Range, summary, detail string) {
		diags = append(diags, c.diagnostic(block, subject, summary, detail))
	}
	if c.TSIGKey != "" || c.TSIGSecret != "" {
		subject := c.TSIGKeyRange
		if c.TSIGKey == "" {
			subject = c.TSIGSecretRange
		}
		bad(subject, "TSIG key with GSS-TSIG", `auth = "gss-tsig" signs with Kerberos: remove tsig_key and tsig_secret.`)
	}
	switch alg := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(c.TSIGAlgorithm)), "."); alg {
	case "", "gss-tsig":
	case "gss.microsoft.com":
		p.GSSAlgorithm = GSSMicrosoft
	default:
		bad(c.TSIGAlgorithmRange, "Unsupported GSS-TSIG algorithm", fmt.Sprintf(`With auth = "gss-tsig" the algorithm is "gss-tsig" (the default) or Windows 2000's "gss.microsoft.com"; %q is neither.`, c.TSIGAlgorithm))
	}
	p.Realm = strings.ToUpper(strings.TrimSpace(c.Realm))
	p.Username = strings.TrimSpace(c.Username)
	p.Password = c.Password
	p.Keytab = strings.TrimSpace(c.Keytab)
	if p.Username != "" && strings.ContainsAny(p.Username, "@\\") {
		bad(c.UsernameRange, "Username with a domain", fmt.Sprintf(`Write the account's logon name alone, and its domain in realm: username = %q, realm = "CORP.CONTOSO.COM".`, strings.FieldsFunc(p.Username, func(r rune) bool { return r == '@' || r == '\\' })[0]))
	}
	switch {
	case p.Password != "" && p.Keytab != "":
		bad(c.KeytabRange, "Both password and keytab", "Give the account's password or a keytab holding its key, not both.")
	case (p.Password != "" || p.Keytab != "") && p.Username == "":
		subject := c.PasswordRange
		if p.Keytab != "" {
			subject = c.KeytabRange
		}
		bad(subject, "Missing username", `A password or keytab is the credential of an account: set username = "svc-topo" (the logon name) and realm.`)
	case p.Username != "" && p.Password == "" && p.Keytab == "":
		bad(c.UsernameRange, "Missing password or keytab", fmt.Sprintf(`The account %q needs its password (password = env("TOPO_AD_PASSWORD"), and check that variable is set) or a keytab (keytab = "svc-topo.keytab"). Without username, topo uses the logged-on user's Kerberos credentials.`, p.Username))
	}
	if p.Username != "" && p.Realm == "" {
		bad(c.UsernameRange, "Missing realm", `The account's Kerberos realm is needed: realm = "CORP.CONTOSO.COM", the Active Directory domain's DNS name in capitals.`)
	}
	if p.Keytab != "" && !keytabSupported {
		bad(c.KeytabRange, "Keytab on Windows", "Windows signs with the account's password or the logged-on user (SSPI), not a keytab: set password = env(\"...\") or remove username and keytab to run as the logged-on user.")
	}
	if sn := strings.TrimSpace(c.ServerName); sn != "" {
		if _, ok := dns.IsDomainName(sn); !ok || net.ParseIP(sn) != nil {
			bad(c.ServerNameRange, "Invalid server name", fmt.Sprintf("server_name is the DNS server's host name, as its service principal DNS/<name> is registered (the domain controller's full name); %q is not a host name.", sn))
		}
		p.ServerName = strings.TrimSuffix(sn, ".")
	}
	return diags
}

func suggestHostPort(s string) string {
	if strings.Count(s, ":") > 1 && !strings.HasPrefix(s, "[") {
		return "[" + s + "]:53"
	}
	return strings.TrimSuffix(s, ":") + ":53"
}
