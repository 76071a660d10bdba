package zonefile

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// scanned is what a test sees of an entry: its text and the parts the
// editor uses.
type scanned struct {
	Kind                   entryKind
	Line                   int
	Text                   string
	Owner, TTL, Class, Typ string
	Data                   string
	NData                  int
	Serial, SOAMin, Arg    string
}

func scanView(data string, es []entry) []scanned {
	s := func(sp span) string { return data[sp.start:sp.end] }
	var out []scanned
	for _, e := range es {
		out = append(out, scanned{
			Kind: e.kind, Line: e.line, Text: s(e.span),
			Owner: s(e.owner), TTL: s(e.ttl), Class: s(e.class), Typ: s(e.typ),
			Data: s(e.rdata), NData: e.ndata, Serial: s(e.serial), SOAMin: s(e.soaMin), Arg: s(e.arg),
		})
	}
	return out
}

func TestScan(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []scanned
	}{
		{
			name: "a record with everything",
			src:  "Pool01.Example.Test. 300 IN A 10.0.1.11 ; a comment\n",
			want: []scanned{{Kind: kindRecord, Line: 1, Text: "Pool01.Example.Test. 300 IN A 10.0.1.11 ; a comment\n",
				Owner: "Pool01.Example.Test.", TTL: "300", Class: "IN", Typ: "A", Data: "10.0.1.11", NData: 1}},
		},
		{
			name: "class before TTL, TTL with units, inherited owner",
			src:  "www IN 1h30m A 192.0.2.1\n\tAAAA 2001:db8::1\n",
			want: []scanned{
				{Kind: kindRecord, Line: 1, Text: "www IN 1h30m A 192.0.2.1\n", Owner: "www", TTL: "1h30m", Class: "IN", Typ: "A", Data: "192.0.2.1", NData: 1},
				{Kind: kindRecord, Line: 2, Text: "\tAAAA 2001:db8::1\n", Typ: "AAAA", Data: "2001:db8::1", NData: 1},
			},
		},
		{
			name: "multi-line SOA with comments inside the parentheses",
			src:  "@ IN SOA ns1 hm. (\n  2024010101 ; serial (not a paren)\n  3600 600 1209600\n  300 ) ; end\nwww A 192.0.2.1",
			want: []scanned{
				{Kind: kindRecord, Line: 1, Text: "@ IN SOA ns1 hm. (\n  2024010101 ; serial (not a paren)\n  3600 600 1209600\n  300 ) ; end\n",
					Owner: "@", Class: "IN", Typ: "SOA", Data: "ns1 hm. (\n  2024010101 ; serial (not a paren)\n  3600 600 1209600\n  300", NData: 7,
					Serial: "2024010101", SOAMin: "300"},
				{Kind: kindRecord, Line: 5, Text: "www A 192.0.2.1", Owner: "www", Typ: "A", Data: "192.0.2.1", NData: 1},
			},
		},
		{
			name: "quotes hold ; ( ) and escaped quotes",
			src:  "t TXT \"a ; b ( c\" \"say \\\"hi\\\"\" x\\;y\n",
			want: []scanned{{Kind: kindRecord, Line: 1, Text: "t TXT \"a ; b ( c\" \"say \\\"hi\\\"\" x\\;y\n", Owner: "t", Typ: "TXT",
				Data: "\"a ; b ( c\" \"say \\\"hi\\\"\" x\\;y", NData: 3}},
		},
		{
			name: "a quote ends a word",
			src:  "t TXT ab\"cd\"ef\n",
			want: []scanned{{Kind: kindRecord, Line: 1, Text: "t TXT ab\"cd\"ef\n", Owner: "t", Typ: "TXT", Data: "ab\"cd\"ef", NData: 3}},
		},
		{
			name: "blank lines and comments are one entry; markers are their own",
			src:  "; one\n\n  ; two\n" + beginMarker + " x\nA 1 IN A 192.0.2.1\n" + endMarker + "\n\n",
			want: []scanned{
				{Kind: kindBlank, Line: 1, Text: "; one\n\n  ; two\n"},
				{Kind: kindBegin, Line: 4, Text: beginMarker + " x\n"},
				{Kind: kindRecord, Line: 5, Text: "A 1 IN A 192.0.2.1\n", Owner: "A", TTL: "1", Class: "IN", Typ: "A", Data: "192.0.2.1", NData: 1},
				{Kind: kindEnd, Line: 6, Text: endMarker + "\n"},
				{Kind: kindBlank, Line: 7, Text: "\n"},
			},
		},
		{
			name: "directives",
			src:  "$ORIGIN sub\n$ttl 1D\n$GENERATE 1-10/2 host$ 60 IN A 10.0.0.$ ; gen\n",
			want: []scanned{
				{Kind: kindOrigin, Line: 1, Text: "$ORIGIN sub\n", Arg: "sub"},
				{Kind: kindTTL, Line: 2, Text: "$ttl 1D\n", Arg: "1D"},
				{Kind: kindGenerate, Line: 3, Text: "$GENERATE 1-10/2 host$ 60 IN A 10.0.0.$ ; gen\n", Owner: "host$", TTL: "60", Class: "IN", Typ: "A", Data: "10.0.0.$", NData: 1},
			},
		},
		{
			name: "a dollar owner that is escaped is a record",
			src:  "\\$x 60 A 192.0.2.1\n",
			want: []scanned{{Kind: kindRecord, Line: 1, Text: "\\$x 60 A 192.0.2.1\n", Owner: "\\$x", TTL: "60", Typ: "A", Data: "192.0.2.1", NData: 1}},
		},
		{
			name: "a record without data",
			src:  "mail 300 IN MX\r\n",
			want: []scanned{{Kind: kindRecord, Line: 1, Text: "mail 300 IN MX\r\n", Owner: "mail", TTL: "300", Class: "IN", Typ: "MX"}},
		},
		{
			name: "an owner that looks like a type and a TTL that is not one",
			src:  "A 1h30 IN A 192.0.2.1\n",
			want: []scanned{{Kind: kindRecord, Line: 1, Text: "A 1h30 IN A 192.0.2.1\n", Owner: "A", Typ: "1h30", Data: "IN A 192.0.2.1", NData: 3}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es, err := scan([]byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, e := range es {
				b.WriteString(tt.src[e.start:e.end])
			}
			if b.String() != tt.src {
				t.Errorf("the entries do not add up to the file:\n%q\nwant\n%q", b.String(), tt.src)
			}
			if diff := cmp.Diff(tt.want, scanView(tt.src, es)); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
		})
	}
}

func TestScanRefuses(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"unbalanced open parenthesis", "@ SOA a b ( 1 2 3 4 5\n", "line 1: unbalanced parentheses"},
		{"unbalanced close parenthesis", "www A 1.2.3.4 )\n", "line 1: unbalanced parentheses"},
		{"a line break in quotes", "t TXT \"a\nb\"\n", "line 1: unbalanced quotes"},
		{"a quote never closed", "\n\nt TXT \"abc", "line 3: unbalanced quotes"},
		{"$INCLUDE", "$INCLUDE /etc/passwd\n", "line 1: $INCLUDE"},
		{"an unknown directive", "$DATE 1\n", "line 1: unknown directive $DATE"},
		{"a record with no type", "\nwww 300 IN\n", "line 2: a record with no type"},
		{"a backslash at the end of a line", "x TXT abc\\\n  TXT def\n", "line 1: a backslash at the end of a line"},
		{"a backslash at the end of the file", "x TXT abc\\", "line 1: a backslash at the end of a line"},
		{"a $TTL that is no TTL", "$TTL forever\n", `line 1: $TTL "forever" is not a TTL`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scan([]byte(tt.src))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("want an error starting %q, got %v", tt.want, err)
			}
		})
	}
}

func TestParseTTL(t *testing.T) {
	tests := []struct {
		in   string
		want uint32
		ok   bool
	}{
		{"0", 0, true},
		{"300", 300, true},
		{"1h", 3600, true},
		{"1H30M", 5400, true},
		{"1w2d3h4m5s", 7*86400 + 2*86400 + 3*3600 + 4*60 + 5, true},
		{"2147483647", 2147483647, true},
		{"2147483648", 0, true}, // past 2^31-1: BIND reads 0 (RFC 2181 section 8)
		{"3000000000", 0, true},
		{"4294967296", 0, false},
		{"1h30", 0, false},
		{"h", 0, false},
		{"IN", 0, false},
		{"A", 0, false},
		{"1x", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseTTL(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("parseTTL(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestNextSerial(t *testing.T) {
	day := time.Date(2024, 3, 15, 23, 59, 0, 0, time.UTC)
	tests := []struct {
		name string
		text string
		want uint32
	}{
		{"a counter", "7", 8},
		{"RFC 1982 wrap skips 0", "4294967295", 1},
		{"the half-way point", "2147483647", 2147483648},
		{"a date serial from today", "2024031505", 2024031506},
		{"a date serial from an earlier day", "2023123117", 2024031500},
		{"a date serial ahead of today", "2024040100", 2024040101},
		{"a date serial with nn 99 today", "2024031599", 2024031600},
		{"ten digits that are no date", "4012345678", 4012345679},
		{"ten digits with month 13", "2024131501", 2024131502},
		{"a year before 1970 is not a date", "1969123101", 1969123102},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, ok := parseSerial(tt.text)
			if !ok {
				t.Fatalf("parseSerial(%q) failed", tt.text)
			}
			if got := nextSerial(old, tt.text, day); got != tt.want {
				t.Errorf("nextSerial(%s) = %d, want %d", tt.text, got, tt.want)
			}
			if got := nextSerial(old, tt.text, day); !serialLess(old, got) {
				t.Errorf("the next serial %d is not after %d in serial arithmetic", got, old)
			}
		})
	}
	t.Run("UTC date whatever the zone of the clock", func(t *testing.T) {
		local := time.Date(2024, 3, 16, 1, 0, 0, 0, time.FixedZone("UTC+3", 3*3600)) // 2024-03-15 22:00 UTC
		if got := nextSerial(2024010100, "2024010100", local); got != 2024031500 {
			t.Errorf("got %d, want 2024031500", got)
		}
	})
}

func TestSortKey(t *testing.T) {
	// RFC 4034 section 6.1's example order, then types within a name.
	names := []string{
		"example", "a.example", "yljkjljk.a.example", "z.a.example", "zabc.a.example",
		"z.example", "\\001.z.example", "*.z.example", "\\200.z.example",
	}
	var keys []string
	for _, n := range names {
		keys = append(keys, sortKey(n, "A"))
	}
	if !slices.IsSorted(keys) {
		t.Errorf("names do not sort in canonical order")
	}
	if !(sortKey("pool01.contoso.com", "AAAA") < sortKey("_topo.pool01.contoso.com", "TXT")) {
		t.Errorf("a name's marker does not follow it")
	}
	if !(sortKey("pool01.contoso.com", "A") < sortKey("pool01.contoso.com", "AAAA")) {
		t.Errorf("types do not sort within a name")
	}
}

func TestFlatten(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a  b\t c", "a b c"},
		{"ns1 hm. (\n 1 ; serial\n 2 )", "ns1 hm. 1 2"},
		{`"a ;  (b)" c`, `"a ;  (b)" c`},
		{`x\;y \(z`, `x\;y \(z`},
		{"\"a\\\nb\"", `"a\010b"`},
	}
	for _, tt := range tests {
		if got := string(flatten(nil, []byte(tt.in), span{0, len(tt.in)})); got != tt.want {
			t.Errorf("flatten(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
