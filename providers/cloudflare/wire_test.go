package cloudflare

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/providers"
)

// TestTXTAgreesWithProviders shows that Cloudflare TXT content is written
// and read with providers' one TXT codec: what topo posts is
// providers.QuoteTXT of the text, and reads back as the text; what another
// client wrote reads as providers.UnquoteTXT reads it, bare text as itself.
func TestTXTAgreesWithProviders(t *testing.T) {
	p := &Provider{}
	read := func(content string) string {
		return fromAPI(testZone, apiRecord{Name: "x." + testZone, Type: "TXT", Content: content, TTL: 60}).value
	}
	for _, tt := range []struct {
		name, text, content string
	}{
		{"empty", "", `""`},
		{"plain", "v=spf1 -all", `"v=spf1 -all"`},
		{"quote and backslash", `say "hi" \o/`, `"say \"hi\" \\o/"`},
		{"256 bytes", strings.Repeat("a", 256), `"` + strings.Repeat("a", 255) + `" "a"`},
		{"UTF-8 across the 255-byte cut", strings.Repeat("a", 254) + "é", `"` + strings.Repeat("a", 254) + `\195" "\169"`},
		{"control bytes", "tab\tnul\x00", `"tab\009nul\000"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w, err := p.toAPI("x."+testZone, "TXT", 60, tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(providers.QuoteTXT(tt.text), w.Content); diff != "" {
				t.Errorf("content written differs from providers.QuoteTXT (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.content, w.Content); diff != "" {
				t.Errorf("content written (-want +got):\n%s", diff)
			}
			if !utf8.ValidString(w.Content) {
				t.Errorf("content %q is not valid UTF-8: the API takes JSON strings", w.Content)
			}
			if diff := cmp.Diff(tt.text, read(w.Content)); diff != "" {
				t.Errorf("content read back (-want +got):\n%s", diff)
			}
		})
	}
	// What other clients write reads as they meant it.
	for _, tt := range []struct {
		name, content, want string
	}{
		{"bare text", "bare text", "bare text"},
		{"two strings", `"a" "b"`, "ab"},
		{"decimal escapes", `"\072\101"`, "He"},
		{"unterminated", `"unterminated`, `"unterminated`},
		{"quoted then bare", `"a" junk`, "ajunk"},
		{"trailing escape", `"trailing escape\`, `"trailing escape\`},
		{"spaced strings", `"ok"   "spaced"`, "okspaced"},
		{"escaped quote", `"semi;colon" "x\""`, `semi;colonx"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := read(tt.content)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("read %q (-want +got):\n%s", tt.content, diff)
			}
			if strings.HasPrefix(tt.content, `"`) && got != providers.UnquoteTXT(tt.content) {
				t.Errorf("read %q = %q, providers.UnquoteTXT reads %q", tt.content, got, providers.UnquoteTXT(tt.content))
			}
		})
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
