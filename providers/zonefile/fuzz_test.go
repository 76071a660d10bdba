package zonefile_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers/zonefile"
)

// FuzzParse: Parse never panics; what it accepts is inside the zone, with
// lowercase names, and reads back (same names, types and TTLs) once printed
// the way the provider writes a zone file, so a rewrite never leaves a zone
// topo cannot read.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"rich.zone"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("$ORIGIN example.test.\n$TTL 300\n@ IN SOA ns. h. 1 2 3 4 5\n@ IN NS ns.\nwww IN A 192.0.2.1\n"))
	f.Add([]byte("$INCLUDE /etc/passwd\n"))
	f.Add([]byte("x IN TXT \"a\\\"b\" \"\\255\\000\"\n"))
	f.Add([]byte("@ IN SOA ns. h. ( 1 2\n 3 4 5 ) ; comment\n"))
	const origin = "example.test."
	f.Fuzz(func(t *testing.T, data []byte) {
		rrs, err := zonefile.Parse(data, origin, "fuzz.zone")
		if err != nil {
			return
		}
		var b strings.Builder
		for _, rr := range rrs {
			h := rr.Header()
			if strings.ContainsFunc(h.Name, func(r rune) bool { return 'A' <= r && r <= 'Z' }) {
				t.Fatalf("name not lowercased: %q", h.Name)
			}
			if !dns.IsSubDomain(origin, h.Name) {
				t.Fatalf("record outside the zone accepted: %s", rr)
			}
			b.WriteString(rr.String())
			b.WriteByte('\n')
		}
		again, err := zonefile.Parse([]byte(b.String()), origin, "rewritten.zone")
		if err != nil {
			t.Fatalf("the records accepted do not read back once written: %v\n%s", err, b.String())
		}
		if len(again) != len(rrs) {
			t.Fatalf("%d records read back, want %d\n%s", len(again), len(rrs), b.String())
		}
		for i := range rrs {
			// Data may be respelled (miekg/dns fills in what a sloppy
			// record left out); names, types and TTLs stay.
			h1, h2 := rrs[i].Header(), again[i].Header()
			if nameWire(h1.Name) != nameWire(h2.Name) || h1.Rrtype != h2.Rrtype || h1.Ttl != h2.Ttl {
				t.Fatalf("record %d changed on a rewrite:\n was %s\n now %s", i, rrs[i], again[i])
			}
		}
	})
}


// nameWire is a domain name in wire form, so that escapes spelled two ways
// (0' and 0\') compare equal.
func nameWire(n string) string {
	buf := make([]byte, 256)
	off, err := dns.PackDomainName(n, buf, 0, nil, false)
	if err != nil {
		return "invalid: " + n
	}
	return string(buf[:off])
}
