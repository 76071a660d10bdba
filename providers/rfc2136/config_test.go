package rfc2136

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/topo-dns/topo/providers"
)

const secret = "c2VjcmV0LXZhbHVlLW5vdC10by1wcmludA=="

// evalContext offers env() as the caller does, from a fixed map.
func evalContext(env map[string]string) *hcl.EvalContext {
	return &hcl.EvalContext{Functions: map[string]function.Function{
		"env": function.New(&function.Spec{
			Params: []function.Parameter{{Name: "name", Type: cty.String}},
			Type:   function.StaticReturnType(cty.String),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				return cty.StringVal(env[args[0].AsString()]), nil
			},
		}),
	}}
}

func parseBody(t *testing.T, src string) hcl.Body {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(src), "topology.hcl", hcl.Pos{Line: 1, Column: 1})
	if diags.HasErrors() {
		t.Fatalf("parse: %v", diags)
	}
	return f.Body
}

// diag is what a test checks of a diagnostic: its summary and the line and
// column its subject starts at.
type diag struct {
	Severity hcl.DiagnosticSeverity
	Summary  string
	At       string
}

func TestOpen(t *testing.T) {
	env := map[string]string{"TOPO_TSIG_SECRET": secret, "NOT_BASE64": "not base64 $ecret!", "EMPTY": "", "TOPO_AD_PASSWORD": "Ad-Pa55word-not-to-print"}
	for _, tc := range []struct {
		name   string
		src    string
		want   *Provider
		diags  []diag
		detail []string // substrings the diagnostics' details must hold
	}{
		{
			name: "full block",
			src: `server         = "127.0.0.1:5353"
tsig_key       = "Topo-Key"
tsig_algorithm = "HMAC-SHA512"
tsig_secret    = env("TOPO_TSIG_SECRET")
timeout        = "3s"
`,
			want: &Provider{Server: "127.0.0.1:5353", TSIGKey: "topo-key.", TSIGAlgorithm: "hmac-sha512.", TSIGSecret: secret, Timeout: 3 * time.Second},
		},
		{
			name: "defaults",
			src: `server      = "[::1]:53"
tsig_key    = "topo-key."
tsig_secret = env("TOPO_TSIG_SECRET")
`,
			want: &Provider{Server: "[::1]:53", TSIGKey: "topo-key.", TSIGAlgorithm: "hmac-sha256.", TSIGSecret: secret, Timeout: DefaultTimeout},
		},
		{
			name: "unsigned",
			src:  `server = "127.0.0.1:53"`,
			want: &Provider{Server: "127.0.0.1:53", TSIGAlgorithm: "hmac-sha256.", Timeout: DefaultTimeout},
		},
		{
			name:  "missing server",
			src:   `tsig_key = "topo-key."` + "\n" + `tsig_secret = env("TOPO_TSIG_SECRET")`,
			diags: []diag{{hcl.DiagError, "Missing required argument", "1:1"}},
		},
		{
			name:   "empty server",
			src:    `server = ""`,
			diags:  []diag{{hcl.DiagError, "Missing DNS server address", "1:10"}},
			detail: []string{`"host:port"`},
		},
		{
			name:   "server without port",
			src:    `server = "ns1.example.test"`,
			diags:  []diag{{hcl.DiagError, "Invalid DNS server address", "1:10"}},
			detail: []string{`"ns1.example.test:53"`},
		},
		{
			name:   "bad port",
			src:    `server = "ns1.example.test:99999"`,
			diags:  []diag{{hcl.DiagError, "Invalid DNS server port", "1:10"}},
			detail: []string{"1 to 65535"},
		},
		{
			name: "misspelt algorithm",
			src: `server         = "127.0.0.1:53"
tsig_key       = "topo-key."
tsig_algorithm = "hmac-sha265"
tsig_secret    = env("TOPO_TSIG_SECRET")
`,
			diags:  []diag{{hcl.DiagError, "Unsupported TSIG algorithm", "3:18"}},
			detail: []string{`"hmac-sha265" is not supported`, `Did you mean "hmac-sha256"?`, "hmac-sha256, hmac-sha384, hmac-sha512"},
		},
		{
			name: "weak algorithm",
			src: `server         = "127.0.0.1:53"
tsig_key       = "topo-key."
tsig_algorithm = "hmac-md5"
tsig_secret    = env("TOPO_TSIG_SECRET")
`,
			diags:  []diag{{hcl.DiagError, "Unsupported TSIG algorithm", "3:18"}},
			detail: []string{"hmac-sha256, hmac-sha384, hmac-sha512"},
		},
		{
			name: "secret not base64",
			src: `server      = "127.0.0.1:53"
tsig_key    = "topo-key."
tsig_secret = env("NOT_BASE64")
`,
			diags:  []diag{{hcl.DiagError, "TSIG secret is not base64", "3:15"}},
			detail: []string{"not shown"},
		},
		{
			name: "secret from an unset variable",
			src: `server      = "127.0.0.1:53"
tsig_key    = "topo-key."
tsig_secret = env("EMPTY")
`,
			diags:  []diag{{hcl.DiagError, "Missing TSIG secret", "3:15"}},
			detail: []string{"environment variable"},
		},
		{
			name: "key without secret",
			src: `server   = "127.0.0.1:53"
tsig_key = "topo-key."
`,
			diags: []diag{{hcl.DiagError, "Missing TSIG secret", "2:12"}},
		},
		{
			name: "secret without key",
			src: `server      = "127.0.0.1:53"
tsig_secret = env("TOPO_TSIG_SECRET")
`,
			diags: []diag{{hcl.DiagError, "TSIG secret without a key name", "2:15"}},
		},
		{
			name: "algorithm without key",
			src: `server         = "127.0.0.1:53"
tsig_algorithm = "hmac-sha384"
`,
			want:  &Provider{Server: "127.0.0.1:53", TSIGAlgorithm: "hmac-sha384.", Timeout: DefaultTimeout},
			diags: []diag{{hcl.DiagWarning, "TSIG algorithm without a key", "2:18"}},
		},
		{
			name:  "bad timeout",
			src:   `server = "127.0.0.1:53"` + "\n" + `timeout = "10"`,
			diags: []diag{{hcl.DiagError, "Invalid timeout", "2:11"}},
		},
		{
			name: "every problem at once",
			src: `server         = "127.0.0.1"
tsig_key       = "topo-key."
tsig_algorithm = "sha256"
tsig_secret    = env("NOT_BASE64")
timeout        = "-1s"
`,
			diags: []diag{
				{hcl.DiagError, "Invalid DNS server address", "1:18"},
				{hcl.DiagError, "Unsupported TSIG algorithm", "3:18"},
				{hcl.DiagError, "TSIG secret is not base64", "4:18"},
				{hcl.DiagError, "Invalid timeout", "5:18"},
			},
		},
		{
			name: "gss-tsig with a password",
			src: `server      = "192.0.2.53:53"
auth        = "gss-tsig"
realm       = "corp.contoso.com"
username    = "svc-topo"
password    = env("TOPO_AD_PASSWORD")
server_name = "dc01.corp.contoso.com."
read        = "names"
`,
			want: &Provider{Server: "192.0.2.53:53", Auth: AuthGSS, Realm: "CORP.CONTOSO.COM", Username: "svc-topo", Password: "Ad-Pa55word-not-to-print", ServerName: "dc01.corp.contoso.com", Read: ReadNames, Timeout: DefaultTimeout},
		},
		{
			name: "gss-tsig with a keytab",
			src: `server   = "dc01.corp.contoso.com:53"
auth     = "gss-tsig"
realm    = "CORP.CONTOSO.COM"
username = "svc-topo"
keytab   = "/etc/topo/svc-topo.keytab"
`,
			want: &Provider{Server: "dc01.corp.contoso.com:53", Auth: AuthGSS, Realm: "CORP.CONTOSO.COM", Username: "svc-topo", Keytab: "/etc/topo/svc-topo.keytab", Timeout: DefaultTimeout},
		},
		{
			name: "gss-tsig as the logged-on user",
			src:  `server = "dc01.corp.contoso.com:53"` + "\n" + `auth = "GSS-TSIG"`,
			want: &Provider{Server: "dc01.corp.contoso.com:53", Auth: AuthGSS, Timeout: DefaultTimeout},
		},
		{
			name: "Windows 2000 algorithm name",
			src:  `server = "dc01.corp.contoso.com:53"` + "\n" + `auth = "gss-tsig"` + "\n" + `tsig_algorithm = "gss.microsoft.com"`,
			want: &Provider{Server: "dc01.corp.contoso.com:53", Auth: AuthGSS, GSSAlgorithm: GSSMicrosoft, Timeout: DefaultTimeout},
		},
		{
			name:  "password without username",
			src:   `server = "dc01:53"` + "\n" + `auth = "gss-tsig"` + "\n" + `password = env("TOPO_AD_PASSWORD")`,
			diags: []diag{{hcl.DiagError, "Missing username", "3:12"}},
		},
		{
			name:   "username without credentials",
			src:    `server = "dc01:53"` + "\n" + `auth = "gss-tsig"` + "\n" + `realm = "CORP"` + "\n" + `username = "svc-topo"` + "\n" + `password = env("EMPTY")`,
			diags:  []diag{{hcl.DiagError, "Missing password or keytab", "4:12"}},
			detail: []string{"check that variable is set"},
		},
		{
			name:   "username with its domain",
			src:    `server = "dc01:53"` + "\n" + `auth = "gss-tsig"` + "\n" + `realm = "CORP"` + "\n" + `username = "CORP\\svc-topo"` + "\n" + `password = env("TOPO_AD_PASSWORD")`,
			diags:  []diag{{hcl.DiagError, "Username with a domain", "4:12"}},
			detail: []string{`username = "CORP"`},
		},
		{
			name:  "password and keytab",
			src:   `server = "dc01:53"` + "\n" + `auth = "gss-tsig"` + "\n" + `realm = "CORP"` + "\n" + `username = "svc"` + "\n" + `password = env("TOPO_AD_PASSWORD")` + "\n" + `keytab = "k"`,
			diags: []diag{{hcl.DiagError, "Both password and keytab", "6:10"}},
		},
		{
			name:  "username without realm",
			src:   `server = "dc01:53"` + "\n" + `auth = "gss-tsig"` + "\n" + `username = "svc"` + "\n" + `keytab = "k"`,
			diags: []diag{{hcl.DiagError, "Missing realm", "3:12"}},
		},
		{
			name:  "TSIG key with gss-tsig",
			src:   `server = "dc01:53"` + "\n" + `auth = "gss-tsig"` + "\n" + `tsig_key = "k."` + "\n" + `tsig_secret = env("TOPO_TSIG_SECRET")`,
			diags: []diag{{hcl.DiagError, "TSIG key with GSS-TSIG", "3:12"}},
		},
		{
			name:  "Kerberos settings without gss-tsig",
			src:   `server = "dc01:53"` + "\n" + `realm = "CORP"` + "\n" + `server_name = "dc01.corp"`,
			diags: []diag{{hcl.DiagError, "Kerberos setting without GSS-TSIG", "2:9"}, {hcl.DiagError, "Kerberos setting without GSS-TSIG", "3:15"}},
		},
		{
			name:   "unknown auth",
			src:    `server = "dc01:53"` + "\n" + `auth = "gss-tsgi"`,
			diags:  []diag{{hcl.DiagError, "Unknown authentication", "2:8"}},
			detail: []string{`Did you mean "gss-tsig"?`},
		},
		{
			name:  "auth tsig without a key",
			src:   `server = "dc01:53"` + "\n" + `auth = "tsig"`,
			diags: []diag{{hcl.DiagError, "Missing TSIG key", "2:8"}},
		},
		{
			name:  "unknown read mode",
			src:   `server = "dc01:53"` + "\n" + `read = "ixfr"`,
			diags: []diag{{hcl.DiagError, "Unknown read mode", "2:8"}},
		},
		{
			name:  "server_name an address",
			src:   `server = "192.0.2.1:53"` + "\n" + `auth = "gss-tsig"` + "\n" + `server_name = "192.0.2.1"`,
			diags: []diag{{hcl.DiagError, "Invalid server name", "3:15"}},
		},
		{
			name:  "unknown attribute",
			src:   `server = "127.0.0.1:53"` + "\n" + `tsig_keyname = "x"`,
			diags: []diag{{hcl.DiagError, "Unsupported argument", "2:1"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, diags := Kind().Open(parseBody(t, tc.src), evalContext(env), providers.OpenEnv{Name: "corp"})
			var gotDiags []diag
			var details strings.Builder
			for _, d := range diags {
				at := ""
				if d.Subject != nil {
					at = fmt.Sprintf("%d:%d", d.Subject.Start.Line, d.Subject.Start.Column)
				}
				gotDiags = append(gotDiags, diag{d.Severity, d.Summary, at})
				details.WriteString(d.Detail + "\n")
				for _, v := range env {
					if v != "" && (strings.Contains(d.Summary, v) || strings.Contains(d.Detail, v)) {
						t.Errorf("diagnostic %q quotes the secret: %s", d.Summary, d.Detail)
					}
				}
			}
			if diff := cmp.Diff(tc.diags, gotDiags); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\n%s", diff, diags)
			}
			for _, want := range tc.detail {
				if !strings.Contains(details.String(), want) {
					t.Errorf("details %q do not say %q", details.String(), want)
				}
			}
			var gotP *Provider
			if got != nil {
				gotP = got.(*Provider)
			}
			if diff := cmp.Diff(tc.want, gotP, cmpopts.IgnoreUnexported(Provider{})); diff != "" {
				t.Errorf("provider (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSecretsDeclared(t *testing.T) {
	if diff := cmp.Diff([]string{"tsig_secret", "password"}, Kind().Secrets); diff != "" {
		t.Errorf("Kind().Secrets (-want +got):\n%s", diff)
	}
}

func TestProviderPrintsNoSecret(t *testing.T) {
	p := &Provider{Server: "127.0.0.1:53", TSIGKey: "topo-key.", TSIGSecret: secret}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(format, p); strings.Contains(s, secret) || !strings.Contains(s, "topo-key.") {
			t.Errorf("%s prints %q", format, s)
		}
	}
}

func TestGSSProviderPrintsNoPassword(t *testing.T) {
	p := &Provider{Server: "dc01:53", Auth: AuthGSS, Realm: "CORP", Username: "svc-topo", Password: "Ad-Pa55word-not-to-print"}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(format, p); strings.Contains(s, p.Password) || !strings.Contains(s, "svc-topo@CORP") {
			t.Errorf("%s prints %q", format, s)
		}
	}
}

// TestSecretDiagnosticsQuoteNoLine: a diagnostic about a secret's value
// asks printers not to quote its line (providers.NoSnippet), which holds
// the secret when it is written into the file.
func TestSecretDiagnosticsQuoteNoLine(t *testing.T) {
	env := map[string]string{"NOT_BASE64": "not base64 $ecret!", "TOPO_AD_PASSWORD": "Ad-Pa55word-not-to-print"}
	for _, tc := range []struct {
		name, src, summary string
	}{
		{"literal secret not base64", `server = "127.0.0.1:53"` + "\n" + `tsig_key = "k."` + "\n" + `tsig_secret = "n0t base64!"`, "TSIG secret is not base64"},
		{"secret from env not base64", `server = "127.0.0.1:53"` + "\n" + `tsig_key = "k."` + "\n" + `tsig_secret = env("NOT_BASE64")`, "TSIG secret is not base64"},
		{"secret without a key", `server = "127.0.0.1:53"` + "\n" + `tsig_secret = "c2VjcmV0"`, "TSIG secret without a key name"},
		{"password without a username", `server = "dc01:53"` + "\n" + `auth = "gss-tsig"` + "\n" + `password = env("TOPO_AD_PASSWORD")`, "Missing username"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := Kind().Open(parseBody(t, tc.src), evalContext(env), providers.OpenEnv{Name: "corp"})
			found := false
			for _, d := range diags {
				if d.Summary != tc.summary {
					continue
				}
				found = true
				if _, ok := hcl.DiagnosticExtra[providers.NoSnippet](d); !ok {
					t.Errorf("%q at %v would quote the line of the secret", d.Summary, d.Subject)
				}
			}
			if !found {
				t.Fatalf("no %q diagnostic: %v", tc.summary, diags)
			}
		})
	}
}
