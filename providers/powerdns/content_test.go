package powerdns

import (
	"strings"
	"testing"

	"github.com/topo-dns/topo/providers"
)

func TestContent(t *testing.T) {
	tests := []struct {
		typ, data, want, wantErr string
	}{
		{typ: "A", data: "10.0.1.11", want: "10.0.1.11"},
		{typ: "A", data: "::ffff:10.0.1.11", want: "10.0.1.11"},
		{typ: "A", data: "2001:db8::1", wantErr: "not an IPv4 address"},
		{typ: "A", data: "pool01", wantErr: "not an IP address"},
		{typ: "AAAA", data: "2001:DB8:0::1", want: "2001:db8::1"},
		{typ: "AAAA", data: "10.0.1.11", wantErr: "not an IPv6 address"},
		{typ: "TXT", data: "v=spf1 -all", want: `"v=spf1 -all"`},
		{typ: "TXT", data: "", want: `""`},
		{typ: "TXT", data: `a "quoted" \ word`, want: `"a \"quoted\" \\ word"`},
		{typ: "TXT", data: "tab\tnl\ndel\x7f", want: `"tab\009nl\010del\127"`},
		{typ: "TXT", data: "caf\u00e9", want: `"caf\195\169"`},
		{typ: "TXT", data: strings.Repeat("a", 256), want: `"` + strings.Repeat("a", 255) + `" "a"`},
		{typ: "TXT", data: strings.Repeat("a", 255), want: `"` + strings.Repeat("a", 255) + `"`},
		{typ: "SRV", data: "0 0 5061 Pool01.contoso.com", want: "0 0 5061 pool01.contoso.com."},
		{typ: "MX", data: "10 mail.contoso.com.", want: "10 mail.contoso.com."},
		{typ: "CNAME", data: "WebInt.contoso.com", want: "webint.contoso.com."},
		{typ: "NS", data: "ns1.contoso.com", want: "ns1.contoso.com."},
		{typ: "PTR", data: "fe01.contoso.com", want: "fe01.contoso.com."},
		{typ: "CAA", data: `0 issue "letsencrypt.org"`, want: `0 issue "letsencrypt.org"`},
	}
	for _, tt := range tests {
		t.Run(tt.typ+" "+tt.data, func(t *testing.T) {
			got, err := content(tt.typ, tt.data)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("content = %q, %v; want an error saying %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("content = %q, %v; want %q", got, err, tt.want)
			}
			if back := data(tt.typ, got); tt.typ == "TXT" && back != tt.data {
				t.Errorf("data(content(x)) = %q, want x = %q", back, tt.data)
			}
		})
	}
}

func TestUnquoteTXT(t *testing.T) {
	tests := []struct{ in, want string }{
		{`"hello"`, "hello"},
		{`""`, ""},
		{`"ab" "cd"`, "abcd"},
		{`"a\"b"`, `a"b`},
		{`"a\\b"`, `a\b`},
		{`"\065\066"`, "AB"},
		{`"caf\195\169"`, "caf\u00e9"},
		{"\"caf\u00e9\"", "caf\u00e9"},
		{`"\a\b"`, "ab"},
		{`unquoted words`, "unquotedwords"},
		{`"a b"  "c"`, "a bc"},
		{`"unterminated`, `"unterminated`},
		{`"\999"`, `"\999"`},
	}
	for _, tt := range tests {
		if got := providers.UnquoteTXT(tt.in); got != tt.want {
			t.Errorf("providers.UnquoteTXT(%s) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestZoneID(t *testing.T) {
	tests := []struct{ zone, want string }{
		{"contoso.com", "contoso.com."},
		{"contoso.com.", "contoso.com."},
		{"Contoso.COM.", "contoso.com."},
		{"my-zone.test", "my-zone.test."},
		{"under_score.test", "under=5Fscore.test."},
		{"a/b.test", "a=2Fb.test."},
		{".", "=2E"},
		{"", "=2E"},
	}
	for _, tt := range tests {
		if got := zoneID(tt.zone); got != tt.want {
			t.Errorf("zoneID(%q) = %q, want %q", tt.zone, got, tt.want)
		}
	}
}

// FuzzTXTRoundTrip checks that any text survives quoting and unquoting.
func FuzzTXTRoundTrip(f *testing.F) {
	for _, s := range []string{"", "v=spf1 -all", `"\`, "\x00\xff", strings.Repeat("x", 300), `\065`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := providers.QuoteTXT(s)
		if got := providers.UnquoteTXT(q); got != s {
			t.Errorf("providers.UnquoteTXT(providers.QuoteTXT(%q)) = %q via %s", s, got, q)
		}
	})
}
