package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/builtin"
	"github.com/topo-dns/topo/providers/memory"
)

// The secret the environment holds, and one written into a file.
const (
	envSecret     = "tok-3nv-Zq8x1VvB7c"
	literalSecret = "tok-l1t-Rr5pKk2Yy9"
)

// tokenProvider is a provider that needs an API token, like Cloudflare's:
// a memory provider that refuses every call made with the wrong token, and
// whose errors carry the request (never the token).
type tokenProvider struct {
	mem   *memory.Provider
	token string
	want  string
}

func (p *tokenProvider) check() error {
	if p.token != p.want {
		return errors.New("HTTP 403 from https://api.example.test/zones: invalid token")
	}
	return nil
}

func (p *tokenProvider) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	return p.mem.GetRecords(ctx, zone)
}

func (p *tokenProvider) SetRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	return p.mem.SetRecords(ctx, zone, recs)
}

func (p *tokenProvider) DeleteRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	return p.mem.DeleteRecords(ctx, zone, recs)
}

func (p *tokenProvider) ApplyEdits(ctx context.Context, zone string, edits []providers.Edit, opts providers.ApplyOptions) (int, error) {
	if err := p.check(); err != nil {
		return 0, err
	}
	return p.mem.ApplyEdits(ctx, zone, edits, opts)
}

// tokenRegistry is the builtin kinds plus "fake", whose api_token is a
// secret and must equal want.
func tokenRegistry(mem *memory.Provider, want string) providers.Registry {
	reg := builtin.Registry()
	reg["fake"] = providers.Kind{
		Secrets: []string{"api_token"},
		Open: func(body hcl.Body, ectx *hcl.EvalContext, _ providers.OpenEnv) (providers.Provider, hcl.Diagnostics) {
			var c struct {
				APIToken string `hcl:"api_token"`
			}
			if diags := gohcl.DecodeBody(body, ectx, &c); diags.HasErrors() {
				return nil, diags
			}
			return &tokenProvider{mem: mem, token: c.APIToken, want: want}, nil
		},
	}
	return reg
}

// secretTopology is contoso with its external view on the fake provider,
// the token written as tokenExpr.
func secretTopology(t *testing.T, tokenExpr string) string {
	t.Helper()
	file := contoso(t)
	edit(t, file, "zone \"contoso.com\" {\n  view = \"external\"\n  ttl  = 300\n}",
		"provider \"fake\" \"public\" {\n  api_token = "+tokenExpr+"\n}\n\nzone \"contoso.com\" {\n  view     = \"external\"\n  ttl      = 300\n  provider = \"fake.public\"\n}")
	return file
}

// TestCLISecretsNeverPrinted runs every command with the token in the
// environment and requires it nowhere: stdout, stderr, plan files, the job
// summary.
func TestCLISecretsNeverPrinted(t *testing.T) {
	file := secretTopology(t, `env("FAKE_API_TOKEN")`)
	dir := filepath.Dir(file)
	mem := &memory.Provider{}
	summary := filepath.Join(dir, "summary.md")
	planFile := filepath.Join(dir, "plan.json")
	o := cliOpts{
		registry: tokenRegistry(mem, envSecret),
		env: map[string]string{
			"FAKE_API_TOKEN":      envSecret,
			"GITHUB_ACTIONS":      "true",
			"GITHUB_STEP_SUMMARY": summary,
		},
	}
	var outputs []ran
	runs := []struct {
		code int
		args []string
	}{
		{0, []string{"validate", file}},
		{0, []string{"validate", "-o", "json", file}},
		{0, []string{"compile", file}},
		{0, []string{"compile", "-o", "json", file}},
		{0, []string{"compile", "-o", "zone", file}},
		{0, []string{"plan", file}},
		{0, []string{"plan", "-o", "json", file}},
		{0, []string{"plan", "-o", "markdown", "--out", planFile, file}},
		{0, []string{"publish", "--auto-approve", planFile}},
		{0, []string{"publish", "-o", "json", "--auto-approve", file}},
		{0, []string{"plan", "--detailed-exitcode", file}},
	}
	for _, r := range runs {
		outputs = append(outputs, topo(t, o, r.args...).wantCode(t, r.code))
	}
	if got := mem.RRsets("contoso.com"); len(got) == 0 {
		t.Fatalf("nothing was published through the fake provider: the token did not reach it")
	}

	// Failures: a wrong token (the provider's error is printed), an invalid
	// topology (diagnostics and annotations), a stale plan.
	bad := o
	bad.env = map[string]string{"FAKE_API_TOKEN": envSecret + "-rotated", "GITHUB_ACTIONS": "true"}
	for _, args := range [][]string{{"plan", file}, {"publish", "--auto-approve", file}} {
		r := topo(t, bad, args...).wantCode(t, 1)
		if !strings.Contains(r.stderr, "invalid token") {
			t.Errorf("the provider's error is not reported:\n%s", r.stderr)
		}
		outputs = append(outputs, r)
	}
	drainFE05(t, file)
	topo(t, o, "plan", "--out", planFile, file).wantCode(t, 0)
	edit(t, file, `"10.0.2.13"`, `"10.0.2.300"`)
	outputs = append(outputs, topo(t, o, "validate", file).wantCode(t, 1))
	outputs = append(outputs, topo(t, o, "publish", "--auto-approve", planFile).wantCode(t, 1))

	for _, r := range outputs {
		for _, s := range []string{r.stdout, r.stderr} {
			if strings.Contains(s, envSecret) {
				t.Errorf("topo %s printed the secret:\n%s", strings.Join(r.args, " "), s)
			}
		}
	}
	for _, f := range []string{planFile, summary} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), envSecret) {
			t.Errorf("%s holds the secret", f)
		}
	}
	// The zone files of the internal view hold nothing of it either.
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if data, _ := os.ReadFile(path); strings.Contains(string(data), envSecret) {
			t.Errorf("%s holds the secret", path)
		}
		return nil
	})
}

// TestCLILiteralSecretWarns: a credential written into the file is a
// warning (valid, exit 0), pointing at it.
func TestCLILiteralSecretWarns(t *testing.T) {
	file := secretTopology(t, fmt.Sprintf("%q", literalSecret))
	o := cliOpts{registry: tokenRegistry(&memory.Provider{}, literalSecret)}
	r := topo(t, o, "validate", file).wantCode(t, 0)
	line, col := position(t, file, `"`+literalSecret+`"`)
	if !strings.Contains(r.stderr, "Warning: Secret written into the topology file") ||
		!strings.Contains(r.stderr, fmt.Sprintf("%s:%d:%d", file, line, col)) ||
		!strings.Contains(r.stderr, `env("`) {
		t.Errorf("no warning pointing at the literal secret:\n%s", r.stderr)
	}
	if strings.Contains(r.stderr+r.stdout, literalSecret) {
		t.Errorf("the warning about a literal secret printed the secret:\n%s", r.stderr)
	}
	if r.stdout != file+" is valid with 1 warning.\n" {
		t.Errorf("stdout: %q", r.stdout)
	}
	r = topo(t, o, "validate", "-o", "json", file).wantCode(t, 0)
	if !strings.Contains(r.stdout, `"warning_count": 1`) {
		t.Errorf("validate -o json does not count the warning:\n%s", r.stdout)
	}

	// Through env(), no warning.
	file = secretTopology(t, `env("FAKE_API_TOKEN")`)
	o.env = map[string]string{"FAKE_API_TOKEN": literalSecret}
	r = topo(t, o, "validate", file).wantCode(t, 0)
	if strings.Contains(r.stderr, "Secret") {
		t.Errorf("a secret from env() warned:\n%s", r.stderr)
	}
	// An unset variable is an error, not an empty token.
	o.env = nil
	r = topo(t, o, "validate", file).wantCode(t, 1)
	if !strings.Contains(r.stderr, "FAKE_API_TOKEN") {
		t.Errorf("the unset variable is not named:\n%s", r.stderr)
	}
}

// TestCLISecretsInProviderBlocks: a secret written where topo does not
// expect it, or that the provider refuses, is still never printed: not in a
// snippet, a summary or detail, JSON, a GitHub annotation or the job
// summary. Each case is a provider block of the real kinds.
func TestCLISecretsInProviderBlocks(t *testing.T) {
	const secret = "Sq9-n0t-b4se64!Vv3"
	for _, tc := range []struct {
		name  string
		block string
		env   map[string]string
		// want are texts stderr must hold: the diagnostic is there.
		want []string
	}{
		{
			name:  "literal tsig_secret that is not base64",
			block: "provider \"rfc2136\" \"corp\" {\n  server      = \"127.0.0.1:5353\"\n  tsig_key    = \"topo-key.\"\n  tsig_secret = \"" + secret + "\"\n}",
			want:  []string{"Error: TSIG secret is not base64", "Warning: Secret written into the topology file", "(source line not shown"},
		},
		{
			name:  "tsig_secret from the environment that is not base64",
			block: "provider \"rfc2136\" \"corp\" {\n  server      = \"127.0.0.1:5353\"\n  tsig_key    = \"topo-key.\"\n  tsig_secret = env(\"TOPO_TSIG_SECRET\")\n}",
			env:   map[string]string{"TOPO_TSIG_SECRET": secret},
			want:  []string{"Error: TSIG secret is not base64"},
		},
		{
			name:  "misspelt tsig_secrte",
			block: "provider \"rfc2136\" \"corp\" {\n  server      = \"127.0.0.1:5353\"\n  tsig_key    = \"topo-key.\"\n  tsig_secrte = \"" + secret + "\"\n}",
			want:  []string{"Error: Unsupported argument", `Did you mean "tsig_secret"?`, "Warning: Secret written into the topology file", "tsig_secrte looks like a credential", "(source line not shown"},
		},
		{
			name:  "misspelt password, from the environment",
			block: "provider \"rfc2136\" \"ad\" {\n  server   = \"127.0.0.1:5353\"\n  auth     = \"gss-tsig\"\n  realm    = \"CORP.CONTOSO.COM\"\n  username = \"svc-topo\"\n  pasword  = env(\"TOPO_AD_PASSWORD\")\n}",
			env:   map[string]string{"TOPO_AD_PASSWORD": secret},
			want:  []string{"Error: Unsupported argument", "(source line not shown"},
		},
		{
			// The parser's own diagnostics, before any provider sees the
			// block: the printer will not quote a line that sets a secret.
			name:  "tsig_secret the parser cannot read",
			block: "provider \"rfc2136\" \"corp\" {\n  server      = \"127.0.0.1:5353\"\n  tsig_secret = \"" + secret + "\" \"x\"\n}",
			want:  []string{"Error: Missing newline after argument", "(source line not shown"},
		},
		{
			name:  "password in a PowerDNS URL",
			block: "provider \"powerdns\" \"p\" {\n  url     = \"https://topo:" + secret + "@127.0.0.1:8081\"\n  api_key = env(\"PDNS_API_KEY\")\n}",
			env:   map[string]string{"PDNS_API_KEY": "k"},
			want:  []string{"Error: Credentials in the PowerDNS URL", "(source line not shown"},
		},
		{
			name:  "password in a PowerDNS URL from the environment",
			block: "provider \"powerdns\" \"p\" {\n  url     = env(\"PDNS_URL\")\n  api_key = env(\"PDNS_API_KEY\")\n}",
			env:   map[string]string{"PDNS_URL": "https://topo:" + secret + "@127.0.0.1:8081", "PDNS_API_KEY": "k"},
			want:  []string{"Error: Credentials in the PowerDNS URL"},
		},
		{
			name:  "password in a Cloudflare base_url",
			block: "provider \"cloudflare\" \"c\" {\n  api_token = env(\"CLOUDFLARE_API_TOKEN\")\n  base_url  = \"https://topo:" + secret + "@127.0.0.1/client/v4/\"\n}",
			env:   map[string]string{"CLOUDFLARE_API_TOKEN": "t"},
			want:  []string{"Error: Invalid Cloudflare API base URL", `"https://topo:xxxxx@127.0.0.1/client/v4/" must not hold credentials`, "(source line not shown"},
		},
		{
			name:  "password in a Cloudflare base_url of another scheme",
			block: "provider \"cloudflare\" \"c\" {\n  api_token = env(\"CLOUDFLARE_API_TOKEN\")\n  base_url  = \"ftp://topo:" + secret + "@127.0.0.1/\"\n}",
			env:   map[string]string{"CLOUDFLARE_API_TOKEN": "t"},
			want:  []string{"Error: Invalid Cloudflare API base URL", "ftp://topo:xxxxx@127.0.0.1/"},
		},
		{
			// Go's own parse error would quote the password.
			name:  "password in a Cloudflare base_url that does not parse",
			block: "provider \"cloudflare\" \"c\" {\n  api_token = env(\"CLOUDFLARE_API_TOKEN\")\n  base_url  = \"https://topo:%zz" + secret + "@127.0.0.1/\"\n}",
			env:   map[string]string{"CLOUDFLARE_API_TOKEN": "t"},
			want:  []string{"Error: Invalid Cloudflare API base URL", `"https://topo:xxxxx@127.0.0.1/" is not a URL.`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := contoso(t)
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, append(src, "\n"+tc.block+"\n"...), 0o644); err != nil {
				t.Fatal(err)
			}
			summary := filepath.Join(filepath.Dir(file), "summary.md")
			env := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary}
			for k, v := range tc.env {
				env[k] = v
			}
			o := cliOpts{env: env}
			var outputs []ran
			for _, args := range [][]string{
				{"validate", file},
				{"validate", "-o", "json", file},
				{"compile", file},
				{"plan", file},
				{"plan", "-o", "json", file},
			} {
				outputs = append(outputs, topo(t, o, args...).wantCode(t, 1))
			}
			for _, w := range tc.want {
				if !strings.Contains(outputs[0].stderr, w) {
					t.Errorf("validate does not say %q:\n%s", w, outputs[0].stderr)
				}
			}
			if !strings.Contains(outputs[0].stderr, "::error file=") {
				t.Errorf("validate with GITHUB_ACTIONS=true wrote no annotation on stderr:\n%s", outputs[0].stderr)
			}
			if !strings.Contains(outputs[1].stdout, `"severity": "error"`) {
				t.Errorf("validate -o json reports no error:\n%s", outputs[1].stdout)
			}
			for _, r := range outputs {
				for _, s := range []string{r.stdout, r.stderr} {
					if strings.Contains(s, secret) {
						t.Errorf("topo %s printed the secret:\n%s", strings.Join(r.args, " "), s)
					}
				}
			}
			if data, err := os.ReadFile(summary); err == nil && strings.Contains(string(data), secret) {
				t.Errorf("the job summary holds the secret:\n%s", data)
			}
		})
	}
}
