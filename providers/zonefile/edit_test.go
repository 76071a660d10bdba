package zonefile_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
	"github.com/topo-dns/topo/providers/zonefile"
)

// golden compares got with the golden file, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./providers/zonefile -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs (-want +got):\n%s\nIf the change is intended, run go test ./providers/zonefile -update and review the diff.", path, cmp.Diff(string(want), string(got)))
	}
}

func marker(name string) providers.RRset {
	return rrset("_topo."+name, "TXT", 300, "heritage=topo,topology=contoso")
}

func create(sets ...providers.RRset) []providers.Edit {
	var es []providers.Edit
	for i := range sets {
		es = append(es, providers.Edit{After: &sets[i]})
	}
	return es
}

// TestEdit edits zone files as people write them (testdata/edit/NAME.zone)
// and compares the result with NAME.golden. Every result must load in
// BIND, hold what the edits wrote, keep every record it did not edit as
// named-compilezone reads it, and keep every byte outside topo's block
// but the serial's digits.
func TestEdit(t *testing.T) {
	n := func(label string) string { return label + "." + zone }
	pool := rrset(n("pool01"), "A", 300, "10.0.1.11", "10.0.1.12")
	pool3 := rrset(n("pool01"), "A", 300, "10.0.1.11", "10.0.1.12", "10.0.1.13")
	tests := []struct {
		name  string
		edits []providers.Edit
		// repairs: a line of the operator's took its owner or TTL from a
		// line topo moved, and gets it written out.
		repairs bool
	}{
		{name: "comments-directives", edits: create(pool, marker(n("pool01")), rrset(n("fe01"), "A", 300, "10.0.1.11"), marker(n("fe01")))},
		{name: "serial-date-today", edits: create(pool)},
		{name: "serial-date-ahead", edits: create(pool)},
		{name: "serial-counter", edits: create(pool)},
		{name: "serial-wrap", edits: create(pool)},
		{name: "update-in-block", edits: func() []providers.Edit {
			fe02, fe02m := rrset(n("fe02"), "A", 300, "10.0.1.12"), marker(n("fe02"))
			es := []providers.Edit{{Before: &pool, After: &pool3}, {Before: &fe02}, {Before: &fe02m}}
			return append(es, create(rrset(n("fe03"), "A", 300, "10.0.1.13"), marker(n("fe03")))...)
		}()},
		{name: "block-removed-when-empty", edits: func() []providers.Edit {
			a, m := rrset(n("pool01"), "A", 300, "10.0.1.11"), marker(n("pool01"))
			return []providers.Edit{{Before: &a}, {Before: &m}}
		}()},
		{name: "adopted-record-moves", edits: []providers.Edit{{Before: &pool, After: &pool3}}, repairs: true},
		{name: "adopt-keeps-lines", edits: append([]providers.Edit{{Before: &pool, After: &pool}}, create(marker(n("pool01")))...)},
		{name: "rfc1035-ttl", edits: func() []providers.Edit {
			old := rrset(n("old"), "A", 600, "192.0.2.1")
			return []providers.Edit{{Before: &old}}
		}(), repairs: true},
		{name: "unknown-types-kept", edits: create(pool, marker(n("pool01")))},
		{name: "generate-kept", edits: create(pool, marker(n("pool01")))},
		{name: "no-trailing-newline", edits: create(pool)},
		{name: "block-in-middle", edits: create(rrset(n("zz"), "A", 300, "10.0.1.99")), repairs: true},
		{name: "crlf", edits: create(pool)},
		{name: "new-file", edits: create(pool, marker(n("pool01")))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, path := setup(t, "")
			in, err := os.ReadFile(filepath.Join("testdata", "edit", tt.name+".zone"))
			if err == nil {
				if err := os.WriteFile(path, in, 0o644); err != nil {
					t.Fatal(err)
				}
				checkzone(t, path)
			} else if !os.IsNotExist(err) {
				t.Fatal(err)
			}
			var before []compiledRR
			if in != nil {
				before = compile(t, zone, path)
			}
			apply(t, p, tt.edits...)
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "edit", tt.name+".golden"), got)

			cur := read(t, p)
			edited := map[string]bool{}
			for _, e := range tt.edits {
				k := e.Key()
				edited[k.Name+". "+k.Type] = true
				s, ok := cur[k]
				switch {
				case e.After == nil && ok:
					t.Errorf("%s was deleted but reads back as %v", k, s.Values)
				case e.After != nil:
					if diff := cmp.Diff(*e.After, s); diff != "" {
						t.Errorf("%s read back (-want +got):\n%s", k, diff)
					}
				}
			}
			if in == nil {
				return
			}
			// What BIND loads of the records topo did not edit is the same.
			var kept []compiledRR
			for _, rr := range compile(t, zone, path) {
				if !edited[rr.key()] {
					kept = append(kept, rr)
				}
			}
			var want []compiledRR
			for _, rr := range before {
				if !edited[rr.key()] {
					want = append(want, rr)
				}
			}
			if diff := cmp.Diff(maskSerial(want), maskSerial(kept)); diff != "" {
				t.Errorf("records topo did not edit, as named-compilezone reads them (-before +after):\n%s", diff)
			}
			if !tt.repairs {
				if err := sameOutsideBlock(in, got); err != nil {
					t.Errorf("bytes outside topo's block changed: %v\n--- before ---\n%s\n--- after ---\n%s", err, in, got)
				}
			}
		})
	}
}

// compiledRR is one line of named-compilezone -s full output.
type compiledRR struct {
	Owner, TTL, Class, Type, Data string
}

func (r compiledRR) key() string { return strings.ToLower(r.Owner) + " " + r.Type }

// compile runs BIND's named-compilezone on a zone file and returns its
// records in BIND's canonical text, owner names lowercased.
func compile(t *testing.T, origin, path string) []compiledRR {
	t.Helper()
	bin := dnstest.RequireBinary(t, "named-compilezone", "bind9-utils")
	cmd := exec.Command(bin, "-q", "-i", "local", "-k", "ignore", "-f", "text", "-F", "text", "-s", "full", "-o", "-", origin, path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("named-compilezone %s: %v\n%s", path, err, stderr.Bytes())
	}
	var rrs []compiledRR
	for _, line := range strings.Split(string(out), "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, ";") {
			continue
		}
		var f [4]string
		rest := line
		for i := range f {
			rest = strings.TrimLeft(rest, " \t")
			j := strings.IndexAny(rest, " \t")
			if j < 0 {
				j = len(rest)
			}
			f[i], rest = rest[:j], rest[j:]
		}
		rrs = append(rrs, compiledRR{Owner: strings.ToLower(f[0]), TTL: f[1], Class: f[2], Type: f[3], Data: strings.TrimSpace(rest)})
	}
	return rrs
}

// maskSerial blanks the SOA serial, which every write moves on.
func maskSerial(rrs []compiledRR) []compiledRR {
	out := slices.Clone(rrs)
	for i, r := range out {
		if r.Type == "SOA" {
			f := strings.Fields(r.Data)
			if len(f) > 2 {
				f[2] = "SERIAL"
			}
			out[i].Data = strings.Join(f, " ")
		}
	}
	return out
}

// splitBlock returns a zone file without topo's block (markers
// included), and the block's lines.
func splitBlock(data []byte) (outside, block []byte) {
	lines := bytes.SplitAfter(data, []byte("\n"))
	in := false
	for _, l := range lines {
		trimmed := bytes.TrimLeft(l, " \t")
		switch {
		case bytes.HasPrefix(trimmed, []byte("; BEGIN topo managed records")):
			in = true
		case bytes.HasPrefix(trimmed, []byte("; END topo managed records")):
			in = false
		case in:
			block = append(block, l...)
		default:
			outside = append(outside, l...)
		}
	}
	return outside, block
}

// sameOutsideBlock checks that after is before with topo's block and the
// SOA serial's digits changed, and nothing else (but a newline added
// after a last line that had none).
func sameOutsideBlock(before, after []byte) error {
	a, _ := splitBlock(before)
	b, _ := splitBlock(after)
	if len(a) > 0 && a[len(a)-1] != '\n' && bytes.HasSuffix(b, []byte("\n")) {
		a = append(a, '\n')
	}
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	if i == len(a) && i == len(b) {
		return nil
	}
	for i > 0 && isDigit(a[i-1]) {
		i--
	}
	ja, jb := i, i
	for ja < len(a) && isDigit(a[ja]) {
		ja++
	}
	for jb < len(b) && isDigit(b[jb]) {
		jb++
	}
	if ja == i || jb == i {
		return fmt.Errorf("first difference at byte %d is not a number: %q vs %q", i, clip(a[i:]), clip(b[i:]))
	}
	if !bytes.Equal(a[ja:], b[jb:]) {
		return fmt.Errorf("more than one number changed: after the one at byte %d, %q vs %q", i, clip(a[ja:]), clip(b[jb:]))
	}
	old, _ := strconv.ParseUint(string(a[i:ja]), 10, 32)
	now, _ := strconv.ParseUint(string(b[i:jb]), 10, 32)
	if old == now {
		return fmt.Errorf("the number at byte %d was respelled (%s to %s)", i, a[i:ja], b[i:jb])
	}
	return nil
}

func clip(b []byte) []byte {
	if len(b) > 60 {
		return b[:60]
	}
	return b
}

// TestSymlinkedZoneFile: a zone file that is a symlink is written through
// to its target, atomically in the target's directory; the link stays.
func TestSymlinkedZoneFile(t *testing.T) {
	p, path := setup(t, "")
	realDir := t.TempDir()
	target := filepath.Join(realDir, "db.example.test")
	data, err := os.ReadFile(filepath.Join("testdata", "rich.zone"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(target, data, 0o640); err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(filepath.Dir(path), target)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(rel, path); err != nil {
		t.Fatal(err)
	}
	a := rrset("pool01."+zone, "A", 300, "10.0.1.11")
	apply(t, p, providers.Edit{After: &a})

	if link, err := os.Readlink(path); err != nil || link != rel {
		t.Fatalf("the zone file is no longer the symlink to %s: %q, %v", rel, link, err)
	}
	now, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(now, data) {
		t.Fatal("the symlink's target was not written")
	}
	if err := sameOutsideBlock(data, now); err != nil {
		t.Errorf("the target changed outside topo's block: %v", err)
	}
	if got := read(t, p)[a.Key()]; !got.Equal(a) {
		t.Errorf("read back through the link: %v", got)
	}
	st, err := os.Stat(target)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o640 {
		t.Errorf("the target's mode is %v, want 0640", st.Mode().Perm())
	}
	noTempFiles(t, realDir)
	noTempFiles(t, filepath.Dir(path))

	t.Run("writers through the link and to the target exclude each other", func(t *testing.T) {
		viaLink, _ := setup(t, "")
		direct := &zonefile.Provider{Dir: t.TempDir()}
		if err := os.WriteFile(direct.Path(zone), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(direct.Path(zone), viaLink.Path(zone)); err != nil {
			t.Fatal(err)
		}
		for round := range 10 {
			s := rrset(fmt.Sprintf("r%d.%s", round, zone), "A", 300, "192.0.2.1")
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, p := range []*zonefile.Provider{viaLink, direct} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = p.ApplyEdits(t.Context(), zone+".", []providers.Edit{{After: &s}}, providers.ApplyOptions{})
				}()
			}
			wg.Wait()
			var won int
			for _, err := range errs {
				switch {
				case err == nil:
					won++
				case !errors.Is(err, providers.ErrConflict):
					t.Fatalf("round %d: want one write and one providers.ErrConflict, got %v", round, errs)
				}
			}
			if won != 1 {
				t.Fatalf("round %d: %d writers succeeded: %v", round, won, errs)
			}
		}
		if _, err := os.Readlink(viaLink.Path(zone)); err != nil {
			t.Errorf("the link was replaced: %v", err)
		}
		checkzone(t, direct.Path(zone))
	})

	t.Run("a dangling symlink is refused", func(t *testing.T) {
		p, path := setup(t, "")
		missing := filepath.Join(t.TempDir(), "gone.zone")
		if err := os.Symlink(missing, path); err != nil {
			t.Fatal(err)
		}
		_, err := p.ApplyEdits(t.Context(), zone+".", []providers.Edit{{After: &a}}, providers.ApplyOptions{})
		if err == nil || !strings.Contains(err.Error(), "symlink") {
			t.Fatalf("want an error about the symlink, got %v", err)
		}
		if _, err := os.Stat(missing); !os.IsNotExist(err) {
			t.Errorf("the missing target was created: %v", err)
		}
		if _, err := p.GetRecords(t.Context(), zone+"."); err == nil || !strings.Contains(err.Error(), "symlink") {
			t.Errorf("GetRecords: want an error about the symlink, got %v", err)
		}
	})
}

// TestDateSerialUsesTheClock: an old date serial becomes today's, the
// provider's clock read in UTC.
func TestDateSerialUsesTheClock(t *testing.T) {
	p, path := setup(t, "rich.zone") // serial 2024010101
	p.Now = func() time.Time { return time.Date(2025, 7, 9, 23, 30, 0, 0, time.FixedZone("-02", -2*3600)) }
	a := rrset("pool01."+zone, "A", 300, "10.0.1.11")
	apply(t, p, providers.Edit{After: &a})
	if got := soaOf(t, parseFile(t, path)).Serial; got != 2025071000 {
		t.Errorf("serial %d, want 2025071000", got)
	}
	apply(t, p, providers.Edit{Before: &a})
	if got := soaOf(t, parseFile(t, path)).Serial; got != 2025071001 {
		t.Errorf("second write the same day: serial %d, want 2025071001", got)
	}
}
