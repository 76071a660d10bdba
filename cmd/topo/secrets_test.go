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
