package cloudflare

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestTXTQuoting(t *testing.T) {
	tests := []struct {
		text, content string
	}{
		{"", `""`},
		{"v=spf1 -all", `"v=spf1 -all"`},
		{`say "hi" \o/`, `"say \"hi\" \\o/"`},
		{strings.Repeat("a", 256), `"` + strings.Repeat("a", 255) + `" "a"`},
		{strings.Repeat("a", 254) + "é", `"` + strings.Repeat("a", 254) + `" "é"`},
	}
	for _, tt := range tests {
		got := quoteTXT(tt.text)
		if got != tt.content {
			t.Errorf("quoteTXT(%.20q...) = %.40q..., want %.40q...", tt.text, got, tt.content)
		}
		if !utf8.ValidString(got) {
			t.Errorf("quoteTXT(%.20q...) split a character", tt.text)
		}
		if back := unquoteTXT(got); back != tt.text {
			t.Errorf("unquoteTXT(quoteTXT(%.20q...)) = %.20q...", tt.text, back)
		}
	}
	// What other clients write reads as they meant it.
	for content, want := range map[string]string{
		"bare text":          "bare text",
		`"a" "b"`:            "ab",
		`"\072\101"`:         "He",
		`"unterminated`:      `"unterminated`,
		`"a" junk`:           `"a" junk`,
		`"trailing escape\`:  `"trailing escape\`,
		`"ok"   "spaced"`:    "okspaced",
		`"semi;colon" "x\""`: `semi;colonx"`,
	} {
		if got := unquoteTXT(content); got != want {
			t.Errorf("unquoteTXT(%q) = %q, want %q", content, got, want)
		}
	}
}

func TestFromAPI(t *testing.T) {
	tests := []struct {
		json  string
		value string
		ttl   uint32
		rel   string
	}{
		{`{"name":"contoso.com","type":"A","content":"192.0.2.1","ttl":1,"proxied":true}`, "192.0.2.1", 300, "@"},
		{`{"name":"Pool01.Contoso.com","type":"AAAA","content":"2001:DB8::1","ttl":120}`, "2001:db8::1", 120, "pool01"},
		{`{"name":"contoso.com","type":"MX","content":"Mail.contoso.com","priority":10,"ttl":300}`, "10 mail.contoso.com.", 300, "@"},
		{`{"name":"_sip._tls.contoso.com","type":"SRV","content":"1 443 sip.contoso.com","priority":100,"data":{"priority":100,"weight":1,"port":443,"target":"sip.contoso.com"},"ttl":300}`, "100 1 443 sip.contoso.com.", 300, "_sip._tls"},
		{`{"name":"_sip._tls.contoso.com","type":"SRV","content":"1 443 sip.contoso.com","priority":100,"ttl":300}`, "100 1 443 sip.contoso.com.", 300, "_sip._tls"},
		{`{"name":"contoso.com","type":"CAA","content":"0 issue \"letsencrypt.org\"","data":{"flags":0,"tag":"issue","value":"letsencrypt.org"},"ttl":300}`, `0 issue "letsencrypt.org"`, 300, "@"},
		{`{"name":"contoso.com","type":"CAA","data":{"flags":128,"tag":"iodef","value":"mailto:x@contoso.com"},"ttl":300}`, `128 iodef "mailto:x@contoso.com"`, 300, "@"},
		{`{"name":"www.contoso.com","type":"CNAME","content":"web.contoso.com","ttl":1}`, "web.contoso.com.", 300, "www"},
		{`{"name":"x.contoso.com","type":"TXT","content":"\"a\" \"b\"","ttl":60}`, "ab", 60, "x"},
		{`{"name":"x.contoso.com","type":"LOC","content":"51 30 12.748 N 0 7 39.611 W 0.00m 0.00m 0.00m 0.00m","data":[1,2],"ttl":60}`, "51 30 12.748 N 0 7 39.611 W 0.00m 0.00m 0.00m 0.00m", 60, "x"},
	}
	for _, tt := range tests {
		var r apiRecord
		if err := json.Unmarshal([]byte(tt.json), &r); err != nil {
			t.Fatalf("%s: %v", tt.json, err)
		}
		got := fromAPI(testZone, r)
		if diff := cmp.Diff([]any{tt.value, tt.ttl, tt.rel}, []any{got.value, got.ttl, got.rr.Name}); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.json, diff)
		}
		if _, err := got.rr.Parse(); err != nil {
			t.Errorf("%s: libdns cannot parse %+v: %v", tt.json, got.rr, err)
		}
	}
}

func TestToAPI(t *testing.T) {
	p := &Provider{}
	tests := []struct {
		typ, value string
		want       string
	}{
		{"A", "192.0.2.1", `{"name":"n.contoso.com","type":"A","content":"192.0.2.1","ttl":300,"proxied":false}`},
		{"CNAME", "web.contoso.com.", `{"name":"n.contoso.com","type":"CNAME","content":"web.contoso.com","ttl":300,"proxied":false}`},
		{"MX", "10 mail.contoso.com.", `{"name":"n.contoso.com","type":"MX","content":"mail.contoso.com","priority":10,"ttl":300}`},
		{"SRV", "100 1 5061 sip.contoso.com.", `{"name":"n.contoso.com","type":"SRV","data":{"port":5061,"priority":100,"target":"sip.contoso.com","weight":1},"ttl":300}`},
		{"CAA", `0 issue "letsencrypt.org"`, `{"name":"n.contoso.com","type":"CAA","data":{"flags":0,"tag":"issue","value":"letsencrypt.org"},"ttl":300}`},
		{"TXT", "v=spf1 -all", `{"name":"n.contoso.com","type":"TXT","content":"\"v=spf1 -all\"","ttl":300}`},
	}
	for _, tt := range tests {
		w, err := p.toAPI("n.contoso.com", tt.typ, 300, tt.value)
		if err != nil {
			t.Fatalf("%s %q: %v", tt.typ, tt.value, err)
		}
		b, _ := json.Marshal(w)
		if diff := cmp.Diff(tt.want, string(b)); diff != "" {
			t.Errorf("%s %q (-want +got):\n%s", tt.typ, tt.value, diff)
		}
	}
	for _, bad := range [][2]string{{"MX", "mail.contoso.com."}, {"SRV", "1 2 sip."}, {"CAA", "issue x"}} {
		if _, err := p.toAPI("n.contoso.com", bad[0], 300, bad[1]); err == nil {
			t.Errorf("%s %q: want an error", bad[0], bad[1])
		}
	}
}
