package powerdns

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// stdDecode is what encoding/json reads from the same document.
func stdDecode(b []byte) ([]apiRRset, error) {
	var z struct {
		RRsets []apiRRset `json:"rrsets"`
	}
	err := json.Unmarshal(b, &z)
	return z.RRsets, err
}

func TestDecodeZone(t *testing.T) {
	tests := []struct {
		name, doc string
	}{
		{"PowerDNS's own answer", `{"account": "", "api_rectify": false, "dnssec": false, "edited_serial": 2026112503, "id": "example.test.", "kind": "Native", "master_tsig_key_ids": [], "masters": [], "name": "example.test.", "nsec3param": "", "rrsets": [{"comments": [], "name": "t.example.test.", "records": [{"content": "\"hello \\\" \\\\ x\"", "disabled": false}], "ttl": 300, "type": "TXT"}, {"comments": [{"account": "ops", "content": "hi", "modified_at": 1764100000}], "name": "example.test.", "records": [{"content": "ns1.example.test. hostmaster.example.test. 2026112503 10800 3600 604800 3600", "disabled": false}], "ttl": 3600, "type": "SOA"}], "serial": 2026112503, "slave_tsig_key_ids": [], "soa_edit": "", "soa_edit_api": "DEFAULT", "url": "/api/v1/servers/localhost/zones/example.test."}`},
		{"no rrsets", `{"name": "example.test."}`},
		{"empty rrsets", `{"rrsets": []}`},
		{"whitespace everywhere", " \n{ \"rrsets\" :\t[ { \"name\" : \"a.\" , \"records\" : [ { \"disabled\" : true , \"content\" : \"1.2.3.4\" } ] , \"ttl\" : 0 } ] } \r\n"},
		{"escapes", `{"rrsets": [{"name": "caf\u00e9.\ud83d\ude00.\/\b\f\n\r\t", "type": "TXT", "records": [{"content": "lone \ud800 high, lone \udc00 low, pair then \ud83d\u0041"}]}]}`},
		{"raw UTF-8", `{"rrsets": [{"name": "café ☃.", "records": [{"content": "😀"}]}]}`},
		{"nulls", `{"rrsets": [{"name": null, "type": "A", "ttl": null, "records": [null, {"content": null, "disabled": null}]}, null], "x": null}`},
		{"null rrsets", `{"rrsets": null}`},
		{"null document", `null`},
		{"skipped values of every kind", `{"a": [1, -2.5e+3, 0.0, true, false, null, "s\"", {"b": {"c": [[]]}}], "rrsets": [{"comments": [{"x": [1, {"y": "z"}]}], "name": "n.", "ttl": 60, "type": "A", "records": [{"content": "1.1.1.1", "disabled": false, "extra": {"k": [true]}}]}]}`},
		{"last duplicate wins", `{"rrsets": [{"name": "first."}], "rrsets": [{"name": "a.", "records": [{"content": "1"}], "records": [{"content": "2"}, {"content": "3"}]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := stdDecode([]byte(tt.doc))
			if err != nil {
				t.Fatalf("encoding/json refuses the test document: %v", err)
			}
			got, err := decodeZone([]byte(tt.doc))
			if err != nil {
				t.Fatalf("decodeZone: %v", err)
			}
			if diff := cmp.Diff(want, got, cmpNilEmpty); diff != "" {
				t.Errorf("decodeZone differs from encoding/json (-want +got):\n%s", diff)
			}
		})
	}
}

// cmpNilEmpty treats nil and empty slices alike.
var cmpNilEmpty = cmpopts.EquateEmpty()

func TestDecodeZoneRejects(t *testing.T) {
	for _, doc := range []string{
		``, `{`, `[]`, `{"rrsets": [}`, `{"rrsets": [{"name": "a}]}`, `{"rrsets": [{"ttl": -1}]}`,
		`{"rrsets": [{"ttl": 4294967296}]}`, `{"rrsets": [{"ttl": 1.5}]}`, `{"rrsets": [{"name": 5}]}`,
		`{"rrsets": [{"records": [{"disabled": "yes"}]}]}`, `{"a": tru}`, `{"a": nul}`, `{"a" 1}`, `{"a": 1,}`,
		`{"a": "\x"}`, `{"a": "\u12"}`, "{\"a\": \"tab\tin string\"}", `{} {}`, `{"a": [1 2]}`, `{"a": -}`,
	} {
		if _, err := decodeZone([]byte(doc)); err == nil {
			t.Errorf("decodeZone(%s) succeeded; want an error", doc)
		}
	}
}

// escapeAll writes s as a JSON string with every non-ASCII rune as \u
// escapes (surrogate pairs above the BMP), as some encoders do.
func escapeAll(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r >= 0x7f:
			if r >= 0x10000 {
				r1, r2 := utf16.EncodeRune(r)
				fmt.Fprintf(&b, `\u%04x\u%04X`, r1, r2)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// FuzzDecodeZone builds zone documents from fuzzed values, written by
// encoding/json and by an escape-everything writer, and requires
// decodeZone to read what encoding/json reads.
func FuzzDecodeZone(f *testing.F) {
	f.Add("pool01.example.test.", "A", "10.0.1.11", uint32(300), false, "")
	f.Add("t.example.test.", "TXT", `"a \"q\" \\ b" "caf\195\169"`, uint32(0), true, `{"x": [1, 2]}`)
	f.Add("\u2028.\U0001F600.", "TXT", "\x00\x1f<>&\xff", uint32(4294967295), false, "not json")
	f.Fuzz(func(t *testing.T, name, typ, content string, ttl uint32, disabled bool, extra string) {
		rec := map[string]any{"content": content, "disabled": disabled}
		rs := map[string]any{"comments": []any{map[string]any{"content": extra}}, "name": name, "type": typ, "ttl": ttl, "records": []any{rec, rec}}
		doc := map[string]any{"account": extra, "rrsets": []any{rs, map[string]any{"name": extra}}, "serial": 1.5e9}
		if json.Valid([]byte(extra)) {
			doc["extra"] = json.RawMessage(extra)
		}
		std, err := json.Marshal(doc)
		if err != nil {
			t.Skip()
		}
		manual := fmt.Sprintf(`{"rrsets":[{"name":%s,"type":%s,"ttl":%d,"records":[{"content":%s,"disabled":%v}]}],"x":%s}`,
			escapeAll(name), escapeAll(typ), ttl, escapeAll(content), disabled, escapeAll(extra))
		for _, b := range [][]byte{std, []byte(manual)} {
			want, err := stdDecode(b)
			if err != nil {
				t.Fatalf("encoding/json refuses %s: %v", b, err)
			}
			got, err := decodeZone(b)
			if err != nil {
				t.Fatalf("decodeZone(%s): %v", b, err)
			}
			if diff := cmp.Diff(want, got, cmpNilEmpty); diff != "" {
				t.Errorf("decodeZone(%s) differs from encoding/json (-want +got):\n%s", b, diff)
			}
		}
	})
}

// FuzzDecodeZoneBytes feeds decodeZone arbitrary bytes: it must not panic,
// and what encoding/json reads without error it must read the same.
func FuzzDecodeZoneBytes(f *testing.F) {
	f.Add([]byte(`{"rrsets": [{"name": "a.", "type": "A", "ttl": 1, "records": [{"content": "1.2.3.4", "disabled": false}]}]}`))
	f.Add([]byte(`{"rrsets": [{"name": "\ud800\u0041"}], "x": [1e5, -0, {"y": null}]}`))
	f.Add([]byte(`{"RRSETS": [{"Name": "a", "NAME": "b", "\u212atl": 5, "records": [{"content": "\xff\xfe ok"}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := decodeZone(b)
		want, stdErr := stdDecode(b)
		if stdErr != nil {
			return // malformed, or not what PowerDNS sends: any error will do
		}
		if err != nil {
			t.Fatalf("decodeZone(%q): %v; encoding/json reads it", b, err)
		}
		if diff := cmp.Diff(want, got, cmpNilEmpty); diff != "" {
			t.Errorf("decodeZone(%q) differs from encoding/json (-want +got):\n%s", b, diff)
		}
	})
}

func TestDecodeZoneDepth(t *testing.T) {
	nest := func(n int) []byte {
		return []byte(`{"x": ` + strings.Repeat("[", n) + strings.Repeat("]", n) + `, "rrsets": [{"name": "a."}]}`)
	}
	if got, err := decodeZone(nest(500)); err != nil || len(got) != 1 || got[0].Name != "a." {
		t.Errorf("decodeZone of 500 nested arrays = %v, %v", got, err)
	}
	if _, err := decodeZone(nest(20000)); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Errorf("decodeZone of 20000 nested arrays = %v; want a depth error", err)
	}
}
