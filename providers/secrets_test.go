package providers

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

func TestSecretName(t *testing.T) {
	secrets := []string{"tsig_secret", "password"}
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"tsig_secret", true},
		{"TSIG_Secret", true},
		{"tsig_secrte", true}, // two letters swapped: distance 2
		{"tsig_secre", true},  // one left out
		{"tsigsecrets", true}, // one left out, one added
		{"tsig_sec", false},   // three left out
		{"passwd", true},      // two left out
		{"password2", true},   // one added
		{"tsig_key", false},   // another attribute
		{"server", false},     // another attribute
		{"pass", false},       // four left out
		{"tsig_algorithm", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := SecretName(tc.name, secrets); got != tc.want {
				t.Errorf("SecretName(%q) = %t, want %t", tc.name, got, tc.want)
			}
		})
	}
}

func TestRedactURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://user:pass@pdns.example.net:8081/api", "https://user:xxxxx@pdns.example.net:8081/api"},
		{"http://user:p%40ss@127.0.0.1:8081", "http://user:xxxxx@127.0.0.1:8081"},
		// Only the password is a credential: the user stays.
		{"https://user@pdns.example.net", "https://user@pdns.example.net"},
		{"https://pdns.example.net:8081/", "https://pdns.example.net:8081/"},
		{"ftp://u:secret@127.0.0.1/", "ftp://u:xxxxx@127.0.0.1/"},
		// Not a URL Go parses: still no password.
		{"https://user:Cf%zzPaSs@127.0.0.1/", "https://user:xxxxx@127.0.0.1/"},
		{"https://user:pa ss@host/", "https://user:xxxxx@host/"},
		{"not a url", "not a url"},
		{"mailto:user@example.net", "mailto:user@example.net"},
		{"", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := RedactURL(tc.in); got != tc.want {
				t.Errorf("RedactURL(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSecretLine(t *testing.T) {
	secrets := []string{"tsig_secret", "api_token"}
	for _, tc := range []struct {
		line string
		want bool
	}{
		{`  tsig_secret = "c2VjcmV0"`, true},
		{`	tsig_secrte="c2VjcmV0"`, true},
		{`  api_tokn    = env("TOKEN")`, true},
		{`  base_url = "https://user:pw@api.example.net/"`, true},
		{`  server = "127.0.0.1:53"`, false},
		{`  base_url = "https://api.example.net/"`, false},
		{`  tsig_secret == x`, false},
		{`  # tsig_secret = "old"`, false},
		{``, false},
	} {
		t.Run(tc.line, func(t *testing.T) {
			if got := SecretLine(tc.line, secrets); got != tc.want {
				t.Errorf("SecretLine(%q) = %t, want %t", tc.line, got, tc.want)
			}
		})
	}
}

func TestCutSecret(t *testing.T) {
	for _, tc := range []struct{ s, secret, want string }{
		{`key "abc123==" is wrong`, "abc123==", `key "(secret)" is wrong`},
		{"abc123 and abc123.", "abc123", "(secret) and (secret)."},
		{"the password is pw", "pw", "the password is (secret)"},
		// Inside a longer word it is not the secret.
		{"password", "pass", "password"},
		{"xabc abc", "abc", "xabc (secret)"},
		{"aaa aa", "aa", "aaa (secret)"},
		{"nothing here", "", "nothing here"},
	} {
		t.Run(tc.s, func(t *testing.T) {
			if got := cutSecret(tc.s, tc.secret); got != tc.want {
				t.Errorf("cutSecret(%q, %q) = %q, want %q", tc.s, tc.secret, got, tc.want)
			}
		})
	}
}

// marker is an Extra a careless kind attaches, which redaction must keep.
type marker struct{ id string }

// carelessKind reports a diagnostic on every attribute it is given, its
// value in the detail: the worst a provider could do. Open must make its
// diagnostics safe anyway.
func carelessKind() Kind {
	return Kind{
		Secrets: []string{"api_token"},
		Open: func(body hcl.Body, ectx *hcl.EvalContext, _ OpenEnv) (Provider, hcl.Diagnostics) {
			var c struct {
				APIToken string `hcl:"api_token,optional"`
				URL      string `hcl:"url,optional"`
				ZoneID   string `hcl:"zone_id,optional"`
			}
			diags := gohcl.DecodeBody(body, ectx, &c)
			attrs, _ := body.JustAttributes()
			for _, name := range []string{"api_token", "url", "zone_id"} {
				a, ok := attrs[name]
				if !ok {
					continue
				}
				v, _ := a.Expr.Value(ectx)
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Bad " + name + " " + v.AsString(),
					Detail:   fmt.Sprintf("%s = %q is wrong.", name, v.AsString()),
					Subject:  a.Expr.Range().Ptr(),
					Extra:    marker{id: name},
				})
			}
			return nil, diags
		},
	}
}

func TestOpenRedactsSecrets(t *testing.T) {
	const (
		literal  = "tok-l1t-Rr5pKk2Yy9"
		misspelt = "tok-m1s-Qq4oJj1Xx8"
		fromEnv  = "tok-3nv-Zq8x1VvB7c"
		password = "pw-Uu7iHh0Ww6"
	)
	src := fmt.Sprintf(`provider "careless" "a" {
  api_token = %q
  zone_id   = "0123"
}
provider "careless" "b" {
  api_tokne = %q
  api_token = env("TOKEN")
  url       = "https://user:%s@api.example.net/"
}
`, literal, misspelt, password)
	f, diags := hclsyntax.ParseConfig([]byte(src), "t.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	content, diags := f.Body.Content(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "provider", LabelNames: []string{"kind", "name"}}}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	cfg := Config{EvalContext: &hcl.EvalContext{Functions: map[string]function.Function{
		"env": function.New(&function.Spec{
			Params: []function.Parameter{{Name: "name", Type: cty.String}},
			Type:   function.StaticReturnType(cty.String),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				return cty.StringVal(map[string]string{"TOKEN": fromEnv}[args[0].AsString()]), nil
			},
		}),
	}}}
	for _, b := range content.Blocks {
		cfg.Blocks = append(cfg.Blocks, Block{Kind: b.Labels[0], Name: b.Labels[1], Body: b.Body, DefRange: b.DefRange})
	}
	_, diags = Open(Registry{"careless": carelessKind()}, cfg)

	lines := strings.Split(src, "\n")
	type seen struct {
		Line      int
		Summary   string
		NoSnippet bool
		Marker    string
	}
	var got []seen
	for _, d := range diags {
		for _, s := range []string{literal, misspelt, fromEnv, password} {
			if strings.Contains(d.Summary+d.Detail, s) {
				t.Errorf("diagnostic at line %d holds a secret: %s: %s", d.Subject.Start.Line, d.Summary, d.Detail)
			}
		}
		_, no := hcl.DiagnosticExtra[NoSnippet](d)
		m, _ := hcl.DiagnosticExtra[marker](d)
		got = append(got, seen{Line: d.Subject.Start.Line, Summary: d.Summary, NoSnippet: no, Marker: m.id})
		if no != SecretLine(lines[d.Subject.Start.Line-1], []string{"api_token"}) {
			t.Errorf("line %d %q: NoSnippet %t", d.Subject.Start.Line, lines[d.Subject.Start.Line-1], no)
		}
	}
	want := []seen{
		{Line: 2, Summary: "Bad api_token (secret)", NoSnippet: true, Marker: "api_token"},
		{Line: 2, Summary: "Secret written into the topology file", NoSnippet: true},
		{Line: 3, Summary: "Bad zone_id 0123", Marker: "zone_id"},
		{Line: 6, Summary: "Secret written into the topology file", NoSnippet: true},
		{Line: 6, Summary: "Unsupported argument", NoSnippet: true},
		{Line: 7, Summary: "Bad api_token (secret)", NoSnippet: true, Marker: "api_token"},
		{Line: 8, Summary: "Bad url https://user:xxxxx@api.example.net/", NoSnippet: true, Marker: "url"},
	}
	slices.SortFunc(got, func(a, b seen) int { return cmp.Or(cmp.Compare(a.Line, b.Line), strings.Compare(a.Summary, b.Summary)) })
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

// FuzzRedactURL: whatever a URL attribute holds, what RedactURL returns
// has no password but "xxxxx", and redacting again changes nothing.
func FuzzRedactURL(f *testing.F) {
	for _, s := range []string{
		"https://user:pass@pdns.example.net:8081/api",
		"https://u:p@ss@host/",
		"https://user:Cf%zzPaSs@127.0.0.1/",
		"ftp://u:secret@127.0.0.1/",
		"https://user@host",
		"not a url",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		red := RedactURL(raw)
		if pw := urlPassword(red); pw != "" && pw != "xxxxx" {
			t.Fatalf("RedactURL(%q) = %q keeps the password %q", raw, red, pw)
		}
		if again := RedactURL(red); again != red {
			t.Fatalf("RedactURL(%q) = %q, again %q", raw, red, again)
		}
	})
}
