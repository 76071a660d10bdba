package cloudflare

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/topo-dns/topo/providers"
)

// testEnv is what env() sees in these tests.
var testEnv = map[string]string{
	"CF_TOKEN":    "tok-5ecret-value",
	"CF_EMPTY":    "",
	"CF_NEWLINE":  "tok-5ecret-value\n",
	"CF_BATCH_OK": "200",
}

func evalContext() *hcl.EvalContext {
	return &hcl.EvalContext{Functions: map[string]function.Function{
		"env": function.New(&function.Spec{
			Params: []function.Parameter{{Name: "name", Type: cty.String}},
			Type:   function.StaticReturnType(cty.String),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				v, ok := testEnv[args[0].AsString()]
				if !ok {
					return cty.NilVal, fmt.Errorf("not set")
				}
				return cty.StringVal(v), nil
			},
		}),
	}}
}

// open decodes a provider block body given as HCL attributes.
func open(t *testing.T, body string) (providers.Provider, hcl.Diagnostics) {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(body), "topology.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse: %v", diags)
	}
	return Kind().Open(f.Body, evalContext(), providers.OpenEnv{Name: "public"})
}

func TestOpen(t *testing.T) {
	type diag struct {
		Summary string
		Line    int
	}
	tests := []struct {
		name   string
		body   string
		want   []diag
		detail string // a word the first diagnostic's Detail must hold
	}{
		{name: "token only", body: `api_token = env("CF_TOKEN")`},
		{name: "everything", body: `
api_token   = env("CF_TOKEN")
zone_id     = "023e105f4ecef8ad9ca31a8372d0c353"
base_url    = "https://api.cloudflare.com/client/v4"
batch_size  = 3500
max_retries = 0
proxied     = true`},
		{name: "local test server over http", body: `
api_token = env("CF_TOKEN")
base_url  = "http://127.0.0.1:8080/client/v4"`},
		{name: "no token", body: `zone_id = "023e105f4ecef8ad9ca31a8372d0c353"`,
			want: []diag{{"Missing required argument", 1}}},
		{name: "empty token", body: "\napi_token = env(\"CF_EMPTY\")",
			want: []diag{{"Empty Cloudflare API token", 2}}, detail: "DNS:Edit"},
		{name: "token with a newline", body: `api_token = env("CF_NEWLINE")`,
			want: []diag{{"Malformed Cloudflare API token", 1}}, detail: "newline"},
		{name: "zone name for zone id", body: "api_token = env(\"CF_TOKEN\")\nzone_id = \"contoso.com\"",
			want: []diag{{"Invalid Cloudflare zone id", 2}}, detail: "32"},
		{name: "plain http to another host", body: "api_token = env(\"CF_TOKEN\")\nbase_url = \"http://api.cloudflare.com/client/v4\"",
			want: []diag{{"Invalid Cloudflare API base URL", 2}}, detail: "unencrypted"},
		{name: "not a URL", body: "api_token = env(\"CF_TOKEN\")\nbase_url = \"api.cloudflare.com\"",
			want: []diag{{"Invalid Cloudflare API base URL", 2}}, detail: "absolute"},
		{name: "credentials in the URL", body: "api_token = env(\"CF_TOKEN\")\nbase_url = \"https://u:p@api.cloudflare.com/\"",
			want: []diag{{"Invalid Cloudflare API base URL", 2}}, detail: "credentials"},
		{name: "credentials in a URL of another scheme", body: "api_token = env(\"CF_TOKEN\")\nbase_url = \"ftp://u:pw-9Secret@127.0.0.1/\"",
			want: []diag{{"Invalid Cloudflare API base URL", 2}}, detail: `"ftp://u:xxxxx@127.0.0.1/" must not hold credentials`},
		{name: "credentials in a URL that does not parse", body: "api_token = env(\"CF_TOKEN\")\nbase_url = \"https://u:%zz9Secret@127.0.0.1/\"",
			want: []diag{{"Invalid Cloudflare API base URL", 2}}, detail: `"https://u:xxxxx@127.0.0.1/" is not a URL.`},
		{name: "batch size zero", body: "api_token = env(\"CF_TOKEN\")\nbatch_size = 0",
			want: []diag{{"Invalid Cloudflare batch size", 2}}, detail: "3500"},
		{name: "batch size past every plan", body: "api_token = env(\"CF_TOKEN\")\nbatch_size = 5000",
			want: []diag{{"Invalid Cloudflare batch size", 2}}, detail: "free plan"},
		{name: "negative retries", body: "api_token = env(\"CF_TOKEN\")\nmax_retries = -1",
			want: []diag{{"Invalid Cloudflare retry count", 2}}},
		{name: "too many retries", body: "api_token = env(\"CF_TOKEN\")\nmax_retries = 11",
			want: []diag{{"Invalid Cloudflare retry count", 2}}},
		{name: "every problem at once", body: `
api_token   = env("CF_EMPTY")
zone_id     = "nope"
batch_size  = -3
max_retries = 99`,
			want: []diag{
				{"Empty Cloudflare API token", 2},
				{"Invalid Cloudflare zone id", 3},
				{"Invalid Cloudflare batch size", 4},
				{"Invalid Cloudflare retry count", 5},
			}},
		{name: "unknown attribute", body: "api_token = env(\"CF_TOKEN\")\napi_key = \"x\"",
			want: []diag{{"Unsupported argument", 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, diags := open(t, tt.body)
			var got []diag
			for _, d := range diags {
				if d.Subject == nil {
					t.Errorf("diagnostic %q has no source range", d.Summary)
					continue
				}
				got = append(got, diag{d.Summary, d.Subject.Start.Line})
				if d.Severity == hcl.DiagError && d.Detail == "" {
					t.Errorf("diagnostic %q has no detail", d.Summary)
				}
				for _, secret := range []string{"tok-5ecret-value", "9Secret", "%zz"} {
					if strings.Contains(d.Summary+d.Detail, secret) {
						t.Errorf("diagnostic shows the token: %s: %s", d.Summary, d.Detail)
					}
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\n%v", diff, diags)
			}
			if tt.detail != "" && len(diags) > 0 && !strings.Contains(diags[0].Detail, tt.detail) {
				t.Errorf("detail %q does not mention %q", diags[0].Detail, tt.detail)
			}
			if (p != nil) != (len(tt.want) == 0) {
				t.Errorf("provider %v with diagnostics %v", p, diags)
			}
		})
	}
}

func TestOpenDefaults(t *testing.T) {
	p, diags := open(t, `api_token = env("CF_TOKEN")`)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	cp := p.(*Provider)
	got := []any{cp.baseURL, cp.batchSize, cp.maxRetries, cp.proxied, cp.zoneID}
	want := []any{DefaultBaseURL, DefaultBatchSize, DefaultMaxRetries, false, ""}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"api_token"}, Kind().Secrets); diff != "" {
		t.Errorf("secrets (-want +got):\n%s", diff)
	}
}

func TestNewRefusesInvalidConfig(t *testing.T) {
	_, err := New(Config{APIToken: "tok-5ecret-value\n", BatchSize: new(0)})
	if err == nil || !strings.Contains(err.Error(), "batch_size") || strings.Contains(err.Error(), "tok-5ecret-value") {
		t.Errorf("New with an invalid config: %v", err)
	}
}
