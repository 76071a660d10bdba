package powerdns

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/topo-dns/topo/providers"
)

const testSecret = "s3cr3t-api-key-value"

// evalContext offers env() as topo does, with one variable set.
func evalContext() *hcl.EvalContext {
	env := function.New(&function.Spec{
		Params: []function.Parameter{{Name: "name", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			if args[0].AsString() == "TOPO_PDNS_API_KEY" {
				return cty.StringVal(testSecret), nil
			}
			return cty.StringVal(""), nil
		},
	})
	return &hcl.EvalContext{Functions: map[string]function.Function{"env": env}}
}

func openHCL(t *testing.T, src string) (providers.Provider, hcl.Diagnostics) {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(src), "topology.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse: %v", diags)
	}
	return Kind().Open(f.Body, evalContext(), providers.OpenEnv{Name: "corp"})
}

func TestOpen(t *testing.T) {
	p, diags := openHCL(t, `
url     = "http://127.0.0.1:8081"
api_key = env("TOPO_PDNS_API_KEY")
`)
	if diags.HasErrors() {
		t.Fatalf("Open: %v", diags)
	}
	got := p.(*Provider)
	want := struct {
		ZonesURL, ServerID, Key string
		Max                     int
		Timeout                 time.Duration
	}{"http://127.0.0.1:8081/api/v1/servers/localhost/zones/", "localhost", testSecret, DefaultMaxRequestBytes, 30 * time.Second}
	gotv := want
	gotv.ZonesURL, gotv.ServerID, gotv.Key, gotv.Max, gotv.Timeout = got.zonesURL, got.serverID, got.apiKey, got.maxBytes, got.client.Timeout
	if diff := cmp.Diff(want, gotv); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
	if DefaultMaxRequestBytes >= 2<<20 {
		t.Errorf("DefaultMaxRequestBytes %d is not under PowerDNS's default limit", DefaultMaxRequestBytes)
	}
	if diff := cmp.Diff([]string{"api_key"}, Kind().Secrets); diff != "" {
		t.Errorf("Secrets (-want +got):\n%s", diff)
	}
}

func TestOpenAllAttributes(t *testing.T) {
	for _, u := range []string{"https://dns.example.net/pdns", "https://dns.example.net/pdns/", "https://dns.example.net/pdns/api/v1", "https://dns.example.net/pdns/api/v1/"} {
		p, diags := openHCL(t, fmt.Sprintf(`
url               = %q
api_key           = env("TOPO_PDNS_API_KEY")
server_id         = "pdns-1"
max_request_bytes = 1048576
timeout           = "90s"
`, u))
		if diags.HasErrors() {
			t.Fatalf("Open: %v", diags)
		}
		got := p.(*Provider)
		if got.zonesURL != "https://dns.example.net/pdns/api/v1/servers/pdns-1/zones/" || got.maxBytes != 1<<20 || got.client.Timeout != 90*time.Second {
			t.Errorf("url %q: zones URL %q, max %d, timeout %v", u, got.zonesURL, got.maxBytes, got.client.Timeout)
		}
	}
}

func TestOpenDiagnostics(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		summary []string
		line    int // of the first diagnostic's subject
	}{
		{"missing url", `api_key = env("TOPO_PDNS_API_KEY")`,
			[]string{"Missing required argument"}, 1},
		{"missing key", `url = "http://127.0.0.1:8081"`,
			[]string{"Missing required argument"}, 1},
		{"empty key from an unset variable", "url = \"http://127.0.0.1:8081\"\napi_key = env(\"UNSET\")",
			[]string{"Empty PowerDNS API key"}, 2},
		{"not a URL", "url = \"127.0.0.1:8081\"\napi_key = env(\"TOPO_PDNS_API_KEY\")",
			[]string{"Invalid PowerDNS URL"}, 1},
		{"wrong scheme", "url = \"ftp://127.0.0.1\"\napi_key = env(\"TOPO_PDNS_API_KEY\")",
			[]string{"Invalid PowerDNS URL"}, 1},
		{"query", "url = \"http://127.0.0.1:8081/?x=1\"\napi_key = env(\"TOPO_PDNS_API_KEY\")",
			[]string{"Invalid PowerDNS URL"}, 1},
		{"credentials in the URL", "url = \"http://admin:hunter2@127.0.0.1:8081\"\napi_key = env(\"TOPO_PDNS_API_KEY\")",
			[]string{"Credentials in the PowerDNS URL"}, 1},
		{"all at once", `
url               = ""
api_key           = env("TOPO_PDNS_API_KEY")
server_id         = "a/b"
max_request_bytes = 100
timeout           = "soon"
`, []string{"Missing PowerDNS URL", "Invalid PowerDNS server id", "PowerDNS request size limit too small", "Invalid PowerDNS request timeout"}, 2},
		{"negative timeout", "url = \"http://127.0.0.1:8081\"\napi_key = env(\"TOPO_PDNS_API_KEY\")\ntimeout = \"-1s\"",
			[]string{"Invalid PowerDNS request timeout"}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, diags := openHCL(t, tt.src)
			if p != nil || !diags.HasErrors() {
				t.Fatalf("Open = %v, %v; want errors", p, diags)
			}
			var got []string
			for _, d := range diags {
				got = append(got, d.Summary)
				if d.Subject == nil || d.Subject.Filename != "topology.hcl" {
					t.Errorf("%q has no source range", d.Summary)
				}
				for _, secret := range []string{testSecret, "hunter2"} {
					if strings.Contains(d.Summary+d.Detail, secret) {
						t.Errorf("diagnostic reveals a secret: %s: %s", d.Summary, d.Detail)
					}
				}
				if d.Detail == "" {
					t.Errorf("%q has no detail", d.Summary)
				}
			}
			if diff := cmp.Diff(tt.summary, got); diff != "" {
				t.Errorf("summaries (-want +got):\n%s", diff)
			}
			if l := diags[0].Subject.Start.Line; l != tt.line {
				t.Errorf("first diagnostic on line %d, want %d", l, tt.line)
			}
		})
	}
}

func TestNewRejectsWithoutSecret(t *testing.T) {
	_, err := New(Config{URL: "http://u:hunter2@127.0.0.1", APIKey: testSecret, MaxRequestBytes: 1})
	if err == nil || !strings.Contains(err.Error(), "url: Credentials") || !strings.Contains(err.Error(), "max_request_bytes") {
		t.Fatalf("New = %v", err)
	}
	if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), testSecret) {
		t.Errorf("error reveals a secret: %v", err)
	}
}
