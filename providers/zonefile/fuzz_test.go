package zonefile_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/providers"
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
			b.WriteString(zonefile.RecordLine(rr))
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

// FuzzRewrite: whatever zone file the provider can read, it can add a
// record to, and every RRset it read comes back unchanged (the SOA's
// serial aside).
func FuzzRewrite(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "rich.zone"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("$ORIGIN example.test.\n@ IN SOA ns. h. 1 2 3 4 5\nt IN TXT \"a\\\"b\\\\c\" \"\\255\"\nx IN TYPE65534 \\# 2 0102\n"))
	f.Add([]byte("www IN A 192.0.2.1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		p := &zonefile.Provider{Dir: dir}
		if err := os.WriteFile(p.Path(zone), data, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		before, err := engine.ReadZone(ctx, p, zone)
		if err != nil {
			return
		}
		add := rrset("fuzz-new."+zone, "A", 300, "192.0.2.1")
		if _, exists := providers.Index(before)[add.Key()]; exists {
			return
		}
		if _, err := p.ApplyEdits(ctx, zone+".", []providers.Edit{{After: &add}}, providers.ApplyOptions{}); err != nil {
			if errors.Is(err, zonefile.ErrProtected) || errors.Is(err, zonefile.ErrWouldNotLoad) {
				// fuzz-new is a name server's, below a delegation or
				// beside a CNAME: refusals tested on their own.
				return
			}
			t.Fatalf("ApplyEdits on a zone it read: %v", err)
		}
		after, err := engine.ReadZone(ctx, p, zone)
		if err != nil {
			out, _ := os.ReadFile(p.Path(zone))
			t.Fatalf("the zone does not read back after a write: %v\n%s", err, out)
		}
		got := providers.Index(after)
		if diff := cmp.Diff(add, got[add.Key()]); diff != "" {
			t.Fatalf("the added RRset (-want +got):\n%s", diff)
		}
		delete(got, add.Key())
		want := providers.Index(before)
		for _, m := range []map[providers.Key]providers.RRset{want, got} {
			for k := range m {
				if k.Type == "SOA" {
					delete(m, k)
				}
			}
		}
		// A new zone gets its NS with the SOA.
		if !hasSOA(before) {
			delete(got, providers.Key{Name: zone, Type: "NS"})
			delete(want, providers.Key{Name: zone, Type: "NS"})
		}
		if diff := cmp.Diff(wireNames(want), wireNames(got)); diff != "" {
			t.Fatalf("RRsets changed by a rewrite (-before +after):\n%s", diff)
		}
	})
}

func hasSOA(sets []providers.RRset) bool {
	for _, s := range sets {
		if s.Type == "SOA" {
			return true
		}
	}
	return false
}

// wireNames re-keys RRsets by their names in one spelling: a name may be
// read as '0 once and \'0 after a rewrite, the same name on the wire.
func wireNames(m map[providers.Key]providers.RRset) map[providers.Key]providers.RRset {
	out := make(map[providers.Key]providers.RRset, len(m))
	for k, s := range m {
		buf := make([]byte, 256)
		if n, err := dns.PackDomainName(dns.Fqdn(k.Name), buf, 0, nil, false); err == nil {
			if name, _, err := dns.UnpackDomainName(buf[:n], 0); err == nil {
				k.Name, s.Name = name, name
			}
		}
		out[k] = s
	}
	return out
}

// FuzzEdit: whatever zone file the provider reads, adding a record leaves
// every byte outside topo's block as it was but the SOA serial's digits,
// and the zone reads back as before plus the record; deleting it again
// removes the block. Where the file has no SOA (topo writes one) or a
// line after topo's block leans on it (topo writes its owner out), the
// old bytes must still all be there, in order.
func FuzzEdit(f *testing.F) {
	for _, dir := range []string{"testdata", filepath.Join("testdata", "edit")} {
		files, err := filepath.Glob(filepath.Join(dir, "*.zone"))
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := &zonefile.Provider{Dir: t.TempDir(), Now: func() time.Time { return testDay }}
		path := p.Path(zone)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		before, err := engine.ReadZone(ctx, p, zone)
		if err != nil {
			return
		}
		add := rrset("fuzz-new."+zone, "A", 300, "192.0.2.1")
		mark := rrset("_topo.fuzz-new."+zone, "TXT", 300, "heritage=topo,topology=fuzz")
		idx := providers.Index(before)
		for k := range idx {
			if k.Name == add.Name || k.Name == mark.Name || strings.HasSuffix(k.Name, "."+add.Name) {
				return
			}
		}
		_, err = p.ApplyEdits(ctx, zone+".", []providers.Edit{{After: &add}, {After: &mark}}, providers.ApplyOptions{})
		switch {
		case err == nil:
		case errors.Is(err, zonefile.ErrProtected), errors.Is(err, zonefile.ErrWouldNotLoad):
			// fuzz-new is a name server's name, or sits beside a CNAME.
			return
		case strings.Contains(err.Error(), "comes from the $GENERATE"), strings.Contains(err.Error(), "block of records is broken"):
			// An SOA written by $GENERATE; markers out of order.
			return
		default:
			t.Fatalf("ApplyEdits on a zone it read: %v\n%s", err, data)
		}
		now, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		after, err := engine.ReadZone(ctx, p, zone)
		if err != nil {
			t.Fatalf("the zone does not read back after a write: %v\n%s", err, now)
		}
		got, want := providers.Index(after), providers.Index(before)
		want[add.Key()], want[mark.Key()] = add, mark
		hadSOA := hasSOA(before)
		for _, m := range []map[providers.Key]providers.RRset{want, got} {
			for k := range m {
				if k.Type == "SOA" || (!hadSOA && k == (providers.Key{Name: zone, Type: "NS"})) {
					delete(m, k)
				}
			}
		}
		if diff := cmp.Diff(wireNames(want), wireNames(got)); diff != "" {
			t.Fatalf("RRsets after adding one (-want +got):\n%s\n--- before ---\n%s\n--- after ---\n%s", diff, data, now)
		}

		strict := hadSOA && !bytes.Contains(data, []byte("topo managed records"))
		check := func(step string, out []byte) {
			t.Helper()
			if strict {
				if err := sameOutsideBlock(data, out); err != nil {
					t.Fatalf("%s: bytes outside topo's block changed: %v\n--- before ---\n%q\n--- after ---\n%q", step, err, data, out)
				}
				return
			}
			// topo's block may go when emptied, markers and all.
			a, _ := splitBlock(data)
			b, _ := splitBlock(out)
			if !subsequence(maskDigits(a), maskDigits(b)) {
				t.Fatalf("%s: bytes of the zone file were lost\n--- before ---\n%q\n--- after ---\n%q", step, data, out)
			}
		}
		check("add", now)

		if _, err := p.ApplyEdits(ctx, zone+".", []providers.Edit{{Before: &add}, {Before: &mark}}, providers.ApplyOptions{}); err != nil {
			t.Fatalf("deleting what was added: %v\n%s", err, now)
		}
		final, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		check("delete", final)
		if _, block := splitBlock(final); strict && len(block) > 0 {
			t.Fatalf("the emptied block is still there:\n%s", final)
		}
	})
}

// maskDigits turns every run of digits into one 0, so that a serial
// respelled compares equal.
func maskDigits(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if isDigit(b[i]) {
			for i+1 < len(b) && isDigit(b[i+1]) {
				i++
			}
			out = append(out, '0')
			continue
		}
		out = append(out, b[i])
	}
	return out
}

// subsequence reports whether a's bytes all appear in b, in order.
func subsequence(a, b []byte) bool {
	j := 0
	for i := 0; i < len(b) && j < len(a); i++ {
		if b[i] == a[j] {
			j++
		}
	}
	return j == len(a)
}
