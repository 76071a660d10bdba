package providers

import (
	"strings"
	"testing"
)

func TestTXT(t *testing.T) {
	long := strings.Repeat("a", 300)
	for _, tc := range []struct {
		name, text string
		strings    []string
		quoted     string
	}{
		{"empty", "", []string{""}, `""`},
		{"plain", "v=spf1 -all", []string{"v=spf1 -all"}, `"v=spf1 -all"`},
		{"quotes and backslashes", `say "hi" \o/`, []string{`say \"hi\" \\o/`}, `"say \"hi\" \\o/"`},
		{"control and non-ASCII bytes", "a\x00b\xc3\xa9", []string{`a\000b\195\169`}, `"a\000b\195\169"`},
		{"longer than 255 bytes", long, []string{long[:255], long[255:]}, `"` + long[:255] + `" "` + long[255:] + `"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := TXTStrings(tc.text)
			if strings.Join(got, "|") != strings.Join(tc.strings, "|") {
				t.Errorf("TXTStrings = %q, want %q", got, tc.strings)
			}
			var back strings.Builder
			for _, s := range got {
				back.WriteString(UnescapeTXT(s))
			}
			if back.String() != tc.text {
				t.Errorf("UnescapeTXT(TXTStrings(x)) = %q, want %q", back.String(), tc.text)
			}
			if q := QuoteTXT(tc.text); q != tc.quoted {
				t.Errorf("QuoteTXT = %s, want %s", q, tc.quoted)
			}
			if u := UnquoteTXT(tc.quoted); u != tc.text {
				t.Errorf("UnquoteTXT = %q, want %q", u, tc.text)
			}
		})
	}
	for in, want := range map[string]string{
		`bare words`:    "barewords",
		`"unterminated`: `"unterminated`,
		`"\999"`:        `"\999"`,
		`"a" b "c"`:     "abc",
		`"trailing\`:    `"trailing\`,
	} {
		if got := UnquoteTXT(in); got != want {
			t.Errorf("UnquoteTXT(%s) = %q, want %q", in, got, want)
		}
	}
}

func TestUnescapeTXTOutOfRange(t *testing.T) {
	// miekg/dns reads \700 as the byte 700 mod 256 and prints it \188.
	if got := UnescapeTXT(`\70000`); got != "\xbc00" {
		t.Errorf("UnescapeTXT(\\70000) = %q, want %q", got, "\xbc00")
	}
}

func TestCanonical(t *testing.T) {
	for _, tc := range []struct{ typ, in, want string }{
		{"A", "010.0.0.1", "010.0.0.1"},
		{"AAAA", "2001:DB8:0::1", "2001:db8::1"},
		{"A", "::ffff:10.0.0.1", "10.0.0.1"},
		{"CNAME", "Web.Contoso.com", "web.contoso.com."},
		{"SRV", "0 0 5061 Pool01.contoso.com", "0 0 5061 pool01.contoso.com."},
		{"TXT", "Keep Case", "Keep Case"},
	} {
		if got := CanonicalData(tc.typ, tc.in); got != tc.want {
			t.Errorf("CanonicalData(%s, %q) = %q, want %q", tc.typ, tc.in, got, tc.want)
		}
	}
	if got := CanonicalName("Pool01.CONTOSO.com."); got != "pool01.contoso.com" {
		t.Errorf("CanonicalName = %q", got)
	}
	if got := CanonicalName("caf\xc3\xa9.COM"); got != "caf\xc3\xa9.com" {
		t.Errorf("CanonicalName must lowercase ASCII only, got %q", got)
	}
}

func TestRecordsRoundTrip(t *testing.T) {
	sets := []RRset{
		{Name: "contoso.com", Type: "TXT", TTL: 300, Values: []string{"a \"b\""}},
		{Name: "pool01.contoso.com", Type: "A", TTL: 60, Values: []string{"10.0.0.1", "10.0.0.2"}},
		{Name: "_sip._tls.contoso.com", Type: "SRV", TTL: 300, Values: []string{"0 0 443 sip.contoso.com."}},
	}
	for _, s := range sets {
		rs, err := s.Records("contoso.com")
		if err != nil {
			t.Fatal(err)
		}
		got := GroupRecords("contoso.com", rs)
		if len(got) != 1 || !got[0].Equal(s) {
			t.Errorf("GroupRecords(Records(%v)) = %v", s, got)
		}
	}
}
