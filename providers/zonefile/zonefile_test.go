package zonefile_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/libdns/libdns"
	"github.com/miekg/dns"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
	"github.com/topo-dns/topo/providers/zonefile"
)

const zone = "example.test"

// childEnv, when set, makes the test binary a helper process: see TestMain.
const childEnv = "TOPO_ZONEFILE_TEST_CHILD"

func TestMain(m *testing.M) {
	if spec := os.Getenv(childEnv); spec != "" {
		os.Exit(child(spec))
	}
	os.Exit(m.Run())
}

// child runs one ApplyEdits in a separate process. spec is
// "race|DIR|VALUE|STARTFILE" (wait for STARTFILE, then create the RRset
// race.example.test A VALUE; exit 0 applied, 3 conflict) or
// "fsize|DIR|LIMIT" (write with the file size limited to LIMIT bytes).
func child(spec string) int {
	f := strings.Split(spec, "|")
	p := &zonefile.Provider{Dir: f[1]}
	ctx := context.Background()
	switch f[0] {
	case "race":
		deadline := time.Now().Add(20 * time.Second)
		for {
			if _, err := os.Stat(f[3]); err == nil {
				break
			}
			if time.Now().After(deadline) {
				fmt.Fprintln(os.Stderr, "start file never appeared")
				return 1
			}
			time.Sleep(time.Millisecond)
		}
		a := rrset("race."+zone, "A", 300, f[2])
		_, err := p.ApplyEdits(ctx, zone+".", []providers.Edit{{After: &a}}, providers.ApplyOptions{})
		switch {
		case err == nil:
			return 0
		case errors.Is(err, providers.ErrConflict):
			return 3
		}
		fmt.Fprintln(os.Stderr, err)
		return 1
	case "fsize":
		var limit uint64
		fmt.Sscan(f[2], &limit)
		if err := setFileSizeLimit(limit); err != nil {
			fmt.Fprintln(os.Stderr, "setrlimit:", err)
			return 1
		}
		_, err := p.ApplyEdits(ctx, zone+".", manyEdits(500), providers.ApplyOptions{})
		if err == nil {
			fmt.Fprintln(os.Stderr, "the write succeeded despite the file size limit")
			return 1
		}
		fmt.Fprintln(os.Stdout, err)
		return 4
	}
	return 1
}

func rrset(name, typ string, ttl uint32, values ...string) providers.RRset {
	s := providers.RRset{Name: name, Type: typ, TTL: ttl, Values: values}
	s.Normalize()
	return s
}

// manyEdits creates n A RRsets.
func manyEdits(n int) []providers.Edit {
	es := make([]providers.Edit, n)
	for i := range es {
		s := rrset(fmt.Sprintf("host%04d.%s", i, zone), "A", 300, fmt.Sprintf("10.1.%d.%d", i/250, i%250+1))
		es[i] = providers.Edit{After: &s}
	}
	return es
}

// testDay is the clock of providers made by setup: rich.zone's serial
// 2024010101 is dated that day, so a write makes it 2024010102.
var testDay = time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)

// setup copies testdata/src into a fresh directory as the zone's file.
func setup(t *testing.T, src string) (*zonefile.Provider, string) {
	t.Helper()
	dir := t.TempDir()
	p := &zonefile.Provider{Dir: dir, Now: func() time.Time { return testDay }}
	if src != "" {
		data, err := os.ReadFile(filepath.Join("testdata", src))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p.Path(zone), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return p, p.Path(zone)
}

// parseFile reads a zone file with miekg/dns directly, not through the
// provider, so the checks do not trust the code under test.
func parseFile(t *testing.T, path string) []dns.RR {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zp := dns.NewZoneParser(bytes.NewReader(data), zone+".", path)
	var out []dns.RR
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		rr.Header().Name = strings.ToLower(rr.Header().Name)
		out = append(out, rr)
	}
	if err := zp.Err(); err != nil {
		t.Fatalf("%s does not parse: %v\n%s", path, err, data)
	}
	return out
}

// byKey maps "name TYPE" to the records' presentation (TTL and data
// included), sorted. The SOA is left out: its serial moves with every write.
func byKey(rrs []dns.RR) map[string][]string {
	m := map[string][]string{}
	for _, rr := range rrs {
		h := rr.Header()
		if h.Rrtype == dns.TypeSOA {
			continue
		}
		k := h.Name + " " + dns.TypeToString[h.Rrtype]
		m[k] = append(m[k], rr.String())
	}
	for _, v := range m {
		slices.Sort(v)
	}
	return m
}

func soaOf(t *testing.T, rrs []dns.RR) *dns.SOA {
	t.Helper()
	var found []*dns.SOA
	for _, rr := range rrs {
		if s, ok := rr.(*dns.SOA); ok {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d SOA records, want 1", len(found))
	}
	return found[0]
}

// checkzone runs BIND's named-checkzone on a file topo wrote.
func checkzone(t *testing.T, path string) {
	t.Helper()
	bin := dnstest.RequireBinary(t, "named-checkzone", "bind9-utils")
	out, err := exec.Command(bin, "-i", "local", zone, path).CombinedOutput()
	if err != nil {
		data, _ := os.ReadFile(path)
		t.Fatalf("named-checkzone refuses %s: %v\n%s\n--- file ---\n%s", path, err, out, data)
	}
}

// apply runs ApplyEdits and checks the written file with named-checkzone.
func apply(t *testing.T, p *zonefile.Provider, edits ...providers.Edit) {
	t.Helper()
	n, err := p.ApplyEdits(context.Background(), zone+".", edits, providers.ApplyOptions{})
	if err != nil {
		t.Fatalf("ApplyEdits: %v", err)
	}
	if n != len(edits) {
		t.Fatalf("applied %d of %d edits", n, len(edits))
	}
	checkzone(t, p.Path(zone))
}

func read(t testing.TB, p providers.Provider) map[providers.Key]providers.RRset {
	t.Helper()
	sets, err := engine.ReadZone(context.Background(), p, zone)
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	return providers.Index(sets)
}

// noTempFiles fails when a temporary file was left in dir.
func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

// TestKeepsRecordsItDoesNotOwn edits a hand-written zone twice and requires
// every record it did not edit to come back with the same data and TTL.
func TestKeepsRecordsItDoesNotOwn(t *testing.T) {
	p, path := setup(t, "rich.zone")
	orig := parseFile(t, path)
	origSOA := *soaOf(t, orig)

	// What topo reads of it.
	cur := read(t, p)
	long := strings.Repeat("a", 255) + strings.Repeat("b", 200)
	for k, want := range map[providers.Key]providers.RRset{
		{Name: "long." + zone, Type: "TXT"}:                   rrset("long."+zone, "TXT", 300, long),
		{Name: zone, Type: "MX"}:                              rrset(zone, "MX", 3600, "10 mail.example.test.", "20 mail2.example.test."),
		{Name: "v6only." + zone, Type: "AAAA"}:                rrset("v6only."+zone, "AAAA", 3600, "2001:db8::1"),
		{Name: "_sip._tls." + zone, Type: "SRV"}:              rrset("_sip._tls."+zone, "SRV", 900, "0 0 443 sip.example.test."),
		{Name: "corp." + zone, Type: "NS"}:                    rrset("corp."+zone, "NS", 3600, "ns1.corp.example.test."),
		{Name: zone, Type: "CAA"}:                             rrset(zone, "CAA", 3600, `0 issue "letsencrypt.org"`, `128 iodef "mailto:security@example.test"`),
		{Name: "mail." + zone, Type: "A"}:                     rrset("mail."+zone, "A", 600, "192.0.2.25"),
		{Name: "_sipfederationtls._tcp." + zone, Type: "SRV"}: rrset("_sipfederationtls._tcp."+zone, "SRV", 3600, "100 1 5061 sip.example.test."),
	} {
		if diff := cmp.Diff(want, cur[k]); diff != "" {
			t.Errorf("read %s (-want +got):\n%s", k, diff)
		}
	}

	// First write: a pool, its marker, a server at a name with somebody's
	// MX, a TXT longer than one 255-byte string.
	pool := rrset("pool01."+zone, "A", 300, "10.0.1.11", "10.0.1.12", "10.0.1.13")
	mark := rrset("_topo.pool01."+zone, "TXT", 300, "heritage=topo,topology=contoso")
	pool01AAAA := rrset("pool01."+zone, "AAAA", 300, "2001:db8::11")
	big := rrset("big."+zone, "TXT", 60, strings.Repeat("0123456789", 60))
	apply(t, p,
		providers.Edit{After: &pool},
		providers.Edit{After: &mark},
		providers.Edit{After: &pool01AAAA},
		providers.Edit{After: &big},
	)
	checkKept(t, orig, parseFile(t, path), "pool01 A", "_topo.pool01 TXT", "pool01 AAAA", "big TXT")
	if got := soaOf(t, parseFile(t, path)).Serial; got != origSOA.Serial+1 {
		t.Errorf("serial after the first write = %d, want %d", got, origSOA.Serial+1)
	}
	cur = read(t, p)
	for _, want := range []providers.RRset{pool, mark, pool01AAAA, big} {
		if diff := cmp.Diff(want, cur[want.Key()]); diff != "" {
			t.Errorf("read back %s (-want +got):\n%s", want.Key(), diff)
		}
	}

	// Second write: update, delete.
	pool2 := rrset("pool01."+zone, "A", 60, "10.0.1.11", "10.0.1.14")
	apply(t, p,
		providers.Edit{Before: &pool, After: &pool2},
		providers.Edit{Before: &pool01AAAA},
		providers.Edit{Before: &big},
	)
	checkKept(t, orig, parseFile(t, path), "pool01 A", "_topo.pool01 TXT")
	after := parseFile(t, path)
	soa := soaOf(t, after)
	if soa.Serial != origSOA.Serial+2 {
		t.Errorf("serial after the second write = %d, want %d", soa.Serial, origSOA.Serial+2)
	}
	soa.Serial = origSOA.Serial
	if soa.String() != origSOA.String() {
		t.Errorf("SOA changed beyond its serial:\n was %s\n now %s", &origSOA, soa)
	}
	cur = read(t, p)
	if diff := cmp.Diff(pool2, cur[pool2.Key()]); diff != "" {
		t.Errorf("updated pool (-want +got):\n%s", diff)
	}
	for _, k := range []providers.Key{pool01AAAA.Key(), big.Key()} {
		if s, ok := cur[k]; ok {
			t.Errorf("%s was deleted but reads back as %v", k, s)
		}
	}
}

// checkKept requires after to hold exactly orig's records (SOA aside) plus
// RRsets at the edited keys ("label TYPE", relative to the zone), and
// every record at a key not edited unchanged in data and TTL.
func checkKept(t *testing.T, orig, after []dns.RR, edited ...string) {
	t.Helper()
	ed := map[string]bool{}
	for _, e := range edited {
		label, typ, _ := strings.Cut(e, " ")
		ed[label+"."+zone+". "+typ] = true
	}
	want, got := byKey(orig), byKey(after)
	for k := range ed {
		delete(want, k)
		delete(got, k)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records topo did not edit changed (-before +after):\n%s", diff)
	}
}

func TestSerialBumpedByEveryWrite(t *testing.T) {
	p, path := setup(t, "rich.zone")
	ctx := context.Background()
	serial := func() uint32 { return soaOf(t, parseFile(t, path)).Serial }
	start := serial()
	steps := []struct {
		name string
		do   func() error
	}{
		{"ApplyEdits", func() error {
			s := rrset("a."+zone, "A", 300, "192.0.2.1")
			_, err := p.ApplyEdits(ctx, zone+".", []providers.Edit{{After: &s}}, providers.ApplyOptions{})
			return err
		}},
		{"SetRecords", func() error {
			_, err := p.SetRecords(ctx, zone+".", []libdns.Record{libdns.TXT{Name: "note", TTL: time.Minute, Text: "hello"}})
			return err
		}},
		{"DeleteRecords", func() error {
			_, err := p.DeleteRecords(ctx, zone+".", []libdns.Record{libdns.RR{Name: "a", Type: "A"}})
			return err
		}},
	}
	for i, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got, want := serial(), start+uint32(i)+1; got != want {
			t.Errorf("after %s: serial %d, want %d", s.name, got, want)
		}
		checkzone(t, path)
	}

	t.Run("wraps past 2^32-1 to 1", func(t *testing.T) {
		p, path := setup(t, "")
		os.WriteFile(path, []byte("$ORIGIN example.test.\n@ 3600 IN SOA ns1.example.net. h.example.net. 4294967295 3600 600 1209600 300\n@ 3600 IN NS ns1.example.net.\n"), 0o644)
		s := rrset("a."+zone, "A", 300, "192.0.2.1")
		apply(t, p, providers.Edit{After: &s})
		if got := soaOf(t, parseFile(t, path)).Serial; got != 1 {
			t.Errorf("serial = %d, want 1 (0 is avoided)", got)
		}
	})
}

func TestCreatesMissingFile(t *testing.T) {
	tests := []struct {
		name         string
		p            *zonefile.Provider
		wantNS, mbox string
	}{
		{"defaults", &zonefile.Provider{}, "localhost.", "hostmaster.example.test."},
		{"configured", &zonefile.Provider{Nameserver: "ns1.example.net.", Hostmaster: "dns.example.net."}, "ns1.example.net.", "dns.example.net."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.p.Dir = filepath.Join(t.TempDir(), "not", "yet")
			path := tt.p.Path(zone)
			if got := read(t, tt.p); len(got) != 0 {
				t.Fatalf("a missing file reads as %v, want an empty zone", got)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("reading created the file: %v", err)
			}
			a := rrset("pool01."+zone, "A", 300, "10.0.1.11")
			apply(t, tt.p, providers.Edit{After: &a})
			rrs := parseFile(t, path)
			soa := soaOf(t, rrs)
			if soa.Hdr.Name != zone+"." || soa.Ns != tt.wantNS || soa.Mbox != tt.mbox || soa.Serial != 1 {
				t.Errorf("SOA of the new zone: %s", soa)
			}
			if rrs[0].Header().Rrtype != dns.TypeSOA {
				t.Errorf("the SOA is not the first record")
			}
			want := map[string][]string{
				"example.test. NS":       {fmt.Sprintf("example.test.\t3600\tIN\tNS\t%s", tt.wantNS)},
				"pool01.example.test. A": {"pool01.example.test.\t300\tIN\tA\t10.0.1.11"},
			}
			if diff := cmp.Diff(want, byKey(rrs)); diff != "" {
				t.Errorf("new zone (-want +got):\n%s", diff)
			}
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o644 {
				t.Errorf("new zone file mode %v, want 0644", st.Mode().Perm())
			}
		})
	}
}

func TestKeepsFileMode(t *testing.T) {
	p, path := setup(t, "rich.zone")
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	a := rrset("pool01."+zone, "A", 300, "10.0.1.11")
	apply(t, p, providers.Edit{After: &a})
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o640 {
		t.Errorf("mode after a write %v, want 0640", st.Mode().Perm())
	}
}

// TestFailedWriteLeavesOldFile: whatever stops a write, the zone file is
// byte-identical to before and no temporary file is left.
func TestFailedWriteLeavesOldFile(t *testing.T) {
	edit := func() []providers.Edit {
		a := rrset("pool01."+zone, "A", 300, "10.0.1.11")
		return []providers.Edit{{After: &a}}
	}
	// prepare makes a zone that has been written once (so the lock file
	// exists) and returns its bytes.
	prepare := func(t *testing.T) (*zonefile.Provider, string, []byte) {
		p, path := setup(t, "rich.zone")
		s := rrset("first."+zone, "A", 300, "192.0.2.1")
		apply(t, p, providers.Edit{After: &s})
		old, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return p, path, old
	}
	unchanged := func(t *testing.T, path string, old []byte) {
		t.Helper()
		now, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(old, now) {
			t.Errorf("the zone file changed after a failed write:\n%s", now)
		}
		noTempFiles(t, filepath.Dir(path))
	}

	t.Run("context cancelled before", func(t *testing.T) {
		p, path, old := prepare(t)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := p.ApplyEdits(ctx, zone+".", edit(), providers.ApplyOptions{}); !errors.Is(err, context.Canceled) {
			t.Fatalf("want context.Canceled, got %v", err)
		}
		unchanged(t, path, old)
	})

	t.Run("context cancelled while waiting for the lock", func(t *testing.T) {
		p, path, old := prepare(t)
		lf, err := os.OpenFile(filepath.Join(filepath.Dir(path), ".topo.lock"), os.O_RDWR, 0)
		if err != nil {
			t.Fatalf("the lock file is not where the provider documents it: %v", err)
		}
		defer lf.Close()
		if err := zonefile.LockFile(lf); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, err := p.ApplyEdits(ctx, zone+".", edit(), providers.ApplyOptions{})
			done <- err
		}()
		time.Sleep(50 * time.Millisecond)
		select {
		case err := <-done:
			t.Fatalf("ApplyEdits did not wait for the lock: %v", err)
		default:
		}
		cancel()
		zonefile.UnlockFile(lf)
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("want context.Canceled, got %v", err)
		}
		unchanged(t, path, old)
	})

	t.Run("read-only directory", func(t *testing.T) {
		p, path, old := prepare(t)
		dir := filepath.Dir(path)
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
		if f, err := os.CreateTemp(dir, "probe"); err == nil {
			f.Close()
			os.Remove(f.Name())
			t.Skip("permissions do not stop this user (root); the file size limit case covers a failed write")
		}
		if _, err := p.ApplyEdits(context.Background(), zone+".", edit(), providers.ApplyOptions{}); err == nil {
			t.Fatal("a write into a read-only directory succeeded")
		}
		unchanged(t, path, old)
	})

	t.Run("disk full part way (file size limit, in a child process)", func(t *testing.T) {
		_, path, old := prepare(t)
		limit := len(old) + 512 // the new zone is far larger: the write fails part way
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=fsize|%s|%d", childEnv, filepath.Dir(path), limit))
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 4 {
			t.Fatalf("child: %v\n%s", err, out)
		}
		if !strings.Contains(string(out), "file too large") {
			t.Errorf("child's error does not say why: %s", out)
		}
		unchanged(t, path, old)
	})

	t.Run("a failed precondition", func(t *testing.T) {
		p, path, old := prepare(t)
		wrong := rrset("first."+zone, "A", 300, "192.0.2.99")
		s := rrset("first."+zone, "A", 300, "192.0.2.2")
		_, err := p.ApplyEdits(context.Background(), zone+".", []providers.Edit{{Before: &wrong, After: &s}}, providers.ApplyOptions{})
		if !errors.Is(err, providers.ErrConflict) {
			t.Fatalf("want providers.ErrConflict, got %v", err)
		}
		unchanged(t, path, old)
	})

	t.Run("an edit of the SOA or outside the zone", func(t *testing.T) {
		p, path, old := prepare(t)
		for _, s := range []providers.RRset{
			rrset("elsewhere.example.org", "A", 300, "192.0.2.1"),
			rrset(zone, "SOA", 300, "ns. h. 1 2 3 4 5"),
		} {
			ok := rrset("ok."+zone, "A", 300, "192.0.2.1")
			if _, err := p.ApplyEdits(context.Background(), zone+".", []providers.Edit{{After: &ok}, {After: &s}}, providers.ApplyOptions{}); err == nil {
				t.Errorf("edit of %s accepted", s.Key())
			}
		}
		unchanged(t, path, old)
	})
}

// TestConcurrentWriters: two writers plan from the same read and apply
// conflicting edits at once; exactly one wins, the other is told.
func TestConcurrentWriters(t *testing.T) {
	for round := range 20 {
		p, path := setup(t, "rich.zone")
		base := rrset("pool01."+zone, "A", 300, "10.0.1.11")
		apply(t, p, providers.Edit{After: &base})
		var (
			wg    sync.WaitGroup
			start = make(chan struct{})
			errs  = make([]error, 2)
		)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Each its own provider value, as two topo processes would have.
				q := &zonefile.Provider{Dir: p.Dir}
				after := rrset("pool01."+zone, "A", 300, "10.0.1.11", fmt.Sprintf("10.0.1.%d", 20+i))
				<-start
				_, errs[i] = q.ApplyEdits(context.Background(), zone+".", []providers.Edit{{Before: &base, After: &after}}, providers.ApplyOptions{})
			}()
		}
		close(start)
		wg.Wait()
		won := -1
		for i, err := range errs {
			switch {
			case err == nil:
				if won >= 0 {
					t.Fatalf("round %d: both writers succeeded", round)
				}
				won = i
			case !errors.Is(err, providers.ErrConflict):
				t.Fatalf("round %d: writer %d: want providers.ErrConflict, got %v", round, i, err)
			}
		}
		if won < 0 {
			t.Fatalf("round %d: neither writer succeeded: %v", round, errs)
		}
		want := rrset("pool01."+zone, "A", 300, "10.0.1.11", fmt.Sprintf("10.0.1.%d", 20+won))
		if diff := cmp.Diff(want, read(t, p)[want.Key()]); diff != "" {
			t.Fatalf("round %d: the winner's edit is not what the file holds (-want +got):\n%s", round, diff)
		}
		checkzone(t, path)
	}
}

// TestConcurrentProcesses is TestConcurrentWriters across two processes,
// where only the file lock keeps them apart.
func TestConcurrentProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	for round := range 5 {
		p, path := setup(t, "rich.zone")
		startFile := filepath.Join(t.TempDir(), "go")
		var cmds []*exec.Cmd
		for i := range 2 {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), fmt.Sprintf("%s=race|%s|10.0.9.%d|%s", childEnv, p.Dir, i+1, startFile))
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			cmds = append(cmds, cmd)
		}
		if err := os.WriteFile(startFile, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		codes := make([]int, 2)
		for i, cmd := range cmds {
			cmd.Wait()
			codes[i] = cmd.ProcessState.ExitCode()
		}
		slices.Sort(codes)
		if !slices.Equal(codes, []int{0, 3}) {
			t.Fatalf("round %d: exit codes %v, want one 0 (applied) and one 3 (conflict)", round, codes)
		}
		got := read(t, p)[providers.Key{Name: "race." + zone, Type: "A"}]
		if len(got.Values) != 1 {
			t.Fatalf("round %d: race.%s holds %v, want one writer's value", round, zone, got.Values)
		}
		checkzone(t, path)
	}
}

func TestIncludeRefused(t *testing.T) {
	p, path := setup(t, "")
	dir := filepath.Dir(path)
	os.WriteFile(filepath.Join(dir, "extra.zone"), []byte("extra 300 IN A 192.0.2.1\n"), 0o644)
	src := []byte("$ORIGIN example.test.\n@ 3600 IN SOA ns1.example.net. h.example.net. 1 3600 600 1209600 300\n@ 3600 IN NS ns1.example.net.\n$INCLUDE " + filepath.Join(dir, "extra.zone") + "\n")
	os.WriteFile(path, src, 0o644)

	if _, err := zonefile.Parse(src, zone+".", path); err == nil || !strings.Contains(err.Error(), "$INCLUDE") {
		t.Errorf("Parse: want an error about $INCLUDE, got %v", err)
	}
	if _, err := p.GetRecords(context.Background(), zone+"."); err == nil {
		t.Errorf("GetRecords read a zone with $INCLUDE")
	}
	a := rrset("pool01."+zone, "A", 300, "10.0.1.11")
	if _, err := p.ApplyEdits(context.Background(), zone+".", []providers.Edit{{After: &a}}, providers.ApplyOptions{}); err == nil {
		t.Errorf("ApplyEdits rewrote a zone with $INCLUDE")
	}
	if now, _ := os.ReadFile(path); !bytes.Equal(now, src) {
		t.Errorf("the zone file changed:\n%s", now)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		want    []string // names, in order
		wantErr string
	}{
		{name: "names are lowercased", src: "$ORIGIN example.test.\nPool01 300 IN A 192.0.2.1\n", want: []string{"pool01.example.test."}},
		{name: "only ASCII is lowercased", src: "Ärger-\xfa 300 IN A 192.0.2.1\n", want: []string{"\u00c4rger-\xfa.example.test."}},
		{name: "relative names use the origin", src: "www 300 IN A 192.0.2.1\n@ 300 IN TXT x\n", want: []string{"www.example.test.", "example.test."}},
		{name: "a record outside the zone", src: "www.example.org. 300 IN A 192.0.2.1\n", wantErr: "outside the zone"},
		{name: "a syntax error", src: "www 300 IN A not-an-address\n", wantErr: "parse zone file"},
		{name: "an empty file", src: ""},
		{name: "a record without data", src: "www 300 IN A\n", wantErr: "has no data"},
		{name: "an MX without data", src: "www 300 IN MX\n", wantErr: "has no data"},
		{name: "an SOA without data", src: "@ 300 IN SOA\n", wantErr: "has no data"},
		{name: "zero data is data", src: "www 300 IN A 0.0.0.0\nwww 300 IN MX 0 .\n", want: []string{"www.example.test.", "www.example.test."}},
		{name: "an empty TXT string is data", src: "www 300 IN TXT \"\"\n", want: []string{"www.example.test."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rrs, err := zonefile.Parse([]byte(tt.src), zone+".", "test.zone")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("want an error saying %q, got %v", tt.wantErr, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, rr := range rrs {
				names = append(names, rr.Header().Name)
			}
			if diff := cmp.Diff(tt.want, names); diff != "" {
				t.Errorf("names (-want +got):\n%s", diff)
			}
		})
	}
}

func TestViews(t *testing.T) {
	dir := t.TempDir()
	p := &zonefile.Provider{Dir: dir}
	paths := map[string]string{
		"":         "example.test.zone",
		"both":     "example.test.zone",
		"internal": "example.test.internal.zone",
		"external": "example.test.external.zone",
	}
	for view, want := range paths {
		q := p.ForView(view).(*zonefile.Provider)
		if got := q.Path("Example.Test."); got != filepath.Join(dir, want) {
			t.Errorf("view %q: path %s, want %s", view, got, want)
		}
	}
	if p.View != "" {
		t.Errorf("ForView changed the provider it was called on: view %q", p.View)
	}

	in := p.ForView("internal").(*zonefile.Provider)
	ex := p.ForView("external").(*zonefile.Provider)
	ai := rrset("webint."+zone, "A", 300, "10.0.0.100")
	ae := rrset("webext."+zone, "A", 300, "203.0.113.10")
	if _, err := in.ApplyEdits(context.Background(), zone+".", []providers.Edit{{After: &ai}}, providers.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := ex.ApplyEdits(context.Background(), zone+".", []providers.Edit{{After: &ae}}, providers.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	gi, ge := read(t, in), read(t, ex)
	if _, ok := gi[ae.Key()]; ok {
		t.Errorf("the internal view holds the external record")
	}
	if _, ok := ge[ai.Key()]; ok {
		t.Errorf("the external view holds the internal record")
	}
	if _, err := os.Stat(filepath.Join(dir, "example.test.zone")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a view-less file was written: %v", err)
	}
	checkzone(t, in.Path(zone))
	checkzone(t, ex.Path(zone))
}

func TestKindOpen(t *testing.T) {
	base := t.TempDir()
	tests := []struct {
		name    string
		body    string
		want    zonefile.Provider
		wantErr string
	}{
		{name: "defaults", body: "", want: zonefile.Provider{Dir: filepath.Join(base, "zones")}},
		{name: "relative directory", body: `directory = "dns/out"`, want: zonefile.Provider{Dir: filepath.Join(base, "dns/out")}},
		{name: "absolute directory", body: `directory = "/srv/zones"`, want: zonefile.Provider{Dir: "/srv/zones"}},
		{name: "names get their trailing dot", body: "nameserver = \"ns1.example.net\"\nhostmaster = \"dns.example.net.\"",
			want: zonefile.Provider{Dir: filepath.Join(base, "zones"), Nameserver: "ns1.example.net.", Hostmaster: "dns.example.net."}},
		{name: "unknown attribute", body: `directroy = "x"`, wantErr: "directroy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, diags := hclsyntax.ParseConfig([]byte(tt.body), "t.hcl", hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			p, diags := zonefile.Kind().Open(f.Body, nil, providers.OpenEnv{BaseDir: base, Name: "x"})
			if tt.wantErr != "" {
				if !diags.HasErrors() || !strings.Contains(diags.Error(), tt.wantErr) {
					t.Fatalf("want a diagnostic about %q, got %v", tt.wantErr, diags)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			if diff := cmp.Diff(&tt.want, p.(*zonefile.Provider)); diff != "" {
				t.Errorf("provider (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTXTData: TXT text is unescaped in libdns records (RR.Data holds
// `quotes " backslashes \000` for the zone file's
// "quotes \" backslashes \\000"; \DDD is decimal), both ways, at any
// length.
func TestTXTData(t *testing.T) {
	texts := []string{
		`quotes " backslashes \000`,
		"del: \x7f",
		"semi;colon (parens) $dollar @at",
		"tab\there",
		"héllo wörld",
		strings.Repeat(`"`, 300),
		strings.Repeat("x", 254) + `\"` + strings.Repeat("y", 10),
		"",
	}
	t.Run("written by topo", func(t *testing.T) {
		p, path := setup(t, "rich.zone")
		var edits []providers.Edit
		for i, text := range texts {
			s := providers.RRset{Name: fmt.Sprintf("t%d.%s", i, zone), Type: "TXT", TTL: 300, Values: []string{text}}
			edits = append(edits, providers.Edit{After: &s})
		}
		apply(t, p, edits...)
		cur := read(t, p)
		for i, text := range texts {
			got := cur[providers.Key{Name: fmt.Sprintf("t%d.%s", i, zone), Type: "TXT"}].Values
			if diff := cmp.Diff([]string{text}, got); diff != "" {
				t.Errorf("TXT %q read back (-want +got):\n%s", text, diff)
			}
		}
		// What another DNS tool reads is the same text.
		for _, rr := range parseFile(t, path) {
			txt, ok := rr.(*dns.TXT)
			if !ok || !strings.HasPrefix(txt.Hdr.Name, "t") {
				continue
			}
			var i int
			fmt.Sscanf(txt.Hdr.Name, "t%d.", &i)
			msg := new(dns.Msg)
			msg.Answer = []dns.RR{txt}
			wire, err := msg.Pack()
			if err != nil {
				t.Fatalf("pack %s: %v", txt, err)
			}
			back := new(dns.Msg)
			if err := back.Unpack(wire); err != nil {
				t.Fatal(err)
			}
			var b []byte
			for _, s := range back.Answer[0].(*dns.TXT).Txt {
				b = append(b, unescapeMiekg(s)...)
			}
			if string(b) != texts[i] {
				t.Errorf("the file holds %s, which is %q on the wire, want %q", txt, b, texts[i])
			}
		}
	})
	t.Run("written by people", func(t *testing.T) {
		p, path := setup(t, "")
		os.WriteFile(path, []byte(`$ORIGIN example.test.
@ 3600 IN SOA ns1.example.net. h.example.net. 1 3600 600 1209600 300
@ 3600 IN NS ns1.example.net.
alpha 0 IN TXT "quotes \" backslashes \\000"
beta 0 IN TXT "del: \127"
gamma 0 IN TXT "two " "strings"
`), 0o644)
		cur := read(t, p)
		for name, want := range map[string]string{"alpha": `quotes " backslashes \000`, "beta": "del: \x7f", "gamma": "two strings"} {
			got := cur[providers.Key{Name: name + "." + zone, Type: "TXT"}].Values
			if diff := cmp.Diff([]string{want}, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", name, diff)
			}
		}
	})
}

// unescapeMiekg turns miekg/dns's presentation-escaped TXT string into its
// bytes: \X is X, \DDD is the byte DDD.
func unescapeMiekg(s string) []byte {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b = append(b, s[i])
			continue
		}
		if i+3 < len(s) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) {
			b = append(b, (s[i+1]-'0')*100+(s[i+2]-'0')*10+(s[i+3]-'0'))
			i += 3
			continue
		}
		b = append(b, s[i+1])
		i++
	}
	return b
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
