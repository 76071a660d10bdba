package zonefile_test

import (
	"bufio"
	"context"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
	"github.com/topo-dns/topo/providers/zonefile"
	"github.com/topo-dns/topo/publish"
)

// sharedDir returns ../shared/<rel> from the repository root, skipping
// the test when it is absent (failing it under CI=true).
func sharedDir(t *testing.T, rel string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = up
	}
	path := filepath.Join(dir, "..", "shared", rel)
	if _, err := os.Stat(path); err != nil {
		msg := path + " is absent: " + err.Error()
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " (CI=true: the shared test data must be there)")
		}
		t.Skip(msg)
	}
	return path
}

// TestBIND9SystemZones publishes a small pool into each of BIND 9's own
// system-test zones that named-checkzone accepts, through the provider as
// publish does (ApplyEdits, then SetRecords), and requires: what BIND
// loads of every record topo does not own is identical before and after;
// every byte outside topo's block but the SOA serial's digits is
// identical; BIND loads the result; the provider reads what BIND loads
// (owner, type, TTL of every record) before and after.
func TestBIND9SystemZones(t *testing.T) {
	dir := sharedDir(t, filepath.Join("testdata", "bind9-system-zones"))
	checkzoneBin := dnstest.RequireBinary(t, "named-checkzone", "bind9-utils")
	f, err := os.Open(filepath.Join(dir, "ZONES.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type row struct{ origin, file string }
	var rows []row
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		origin, file, ok := strings.Cut(strings.TrimSpace(sc.Text()), "\t")
		if ok {
			rows = append(rows, row{origin, file})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatal("ZONES.tsv lists no zones")
	}
	accepted, passed := 0, 0
	for _, r := range rows {
		t.Run(r.origin+"/"+r.file, func(t *testing.T) {
			src := filepath.Join(dir, r.file)
			if out, err := exec.Command(checkzoneBin, "-i", "local", "-k", "ignore", r.origin, src).CombinedOutput(); err != nil {
				t.Skipf("named-checkzone refuses the zone as it comes: %s", out)
			}
			accepted++
			orig, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			p := &zonefile.Provider{Dir: t.TempDir(), Now: func() time.Time { return testDay }}
			path := p.Path(r.origin)
			if err := os.WriteFile(path, orig, 0o644); err != nil {
				t.Fatal(err)
			}
			before := compile(t, r.origin, path)
			readsWhatBINDLoads(t, p, r.origin, before)

			ctx := context.Background()
			zf := providers.ZoneFQDN(r.origin)
			pool := rrset("topo-pool01."+r.origin, "A", 300, "192.0.2.11", "192.0.2.12")
			mark := rrset(publish.MarkerName(pool.Name), "TXT", 300, publish.MarkerValue("bind9"))
			cur := read2(t, p, r.origin)
			for _, k := range []providers.Key{pool.Key(), mark.Key()} {
				if _, taken := cur[k]; taken {
					t.Fatalf("the zone already holds %s", k)
				}
			}
			if _, err := p.ApplyEdits(ctx, zf, []providers.Edit{{After: &pool}, {After: &mark}}, providers.ApplyOptions{}); err != nil {
				t.Fatalf("ApplyEdits: %v", err)
			}
			server := []libdns.Record{
				libdns.Address{Name: "topo-fe01", TTL: 300 * time.Second, IP: netip.MustParseAddr("192.0.2.11")},
				libdns.TXT{Name: publish.MarkerName("topo-fe01"), TTL: 300 * time.Second, Text: publish.MarkerValue("bind9")},
			}
			if _, err := p.SetRecords(ctx, zf, server); err != nil {
				t.Fatalf("SetRecords: %v", err)
			}

			if out, err := exec.Command(checkzoneBin, "-i", "local", "-k", "ignore", r.origin, path).CombinedOutput(); err != nil {
				data, _ := os.ReadFile(path)
				t.Fatalf("named-checkzone refuses the zone topo wrote: %s\n%s", out, data)
			}
			after := compile(t, r.origin, path)
			readsWhatBINDLoads(t, p, r.origin, after)

			owned := map[string]bool{}
			for _, n := range []string{pool.Name, mark.Name, "topo-fe01." + r.origin, publish.MarkerName("topo-fe01." + r.origin)} {
				owned[n+"."] = true
			}
			var kept, published []compiledRR
			for _, rr := range after {
				if owned[rr.Owner] {
					published = append(published, rr)
				} else {
					kept = append(kept, rr)
				}
			}
			if diff := cmp.Diff(maskSerial(before), maskSerial(kept)); diff != "" {
				t.Errorf("records topo does not own, as BIND loads them (-before +after):\n%s", diff)
			}
			if len(published) != 5 {
				t.Errorf("BIND loads %d of topo's 5 records: %v", len(published), published)
			}
			now, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := sameOutsideBlock(orig, now); err != nil {
				t.Errorf("bytes outside topo's block changed: %v", err)
			}
			if !t.Failed() {
				passed++
			}
		})
	}
	t.Logf("BIND 9 system-test zones: %d of the %d that named-checkzone accepts pass (%d listed)", passed, accepted, len(rows))
}

func read2(t *testing.T, p providers.Provider, zone string) map[providers.Key]providers.RRset {
	t.Helper()
	sets, err := engine.ReadZone(context.Background(), p, zone)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return providers.Index(sets)
}

// readsWhatBINDLoads compares the owner, type and TTL of every record the
// provider reads with BIND's.
func readsWhatBINDLoads(t *testing.T, p *zonefile.Provider, origin string, bind []compiledRR) {
	t.Helper()
	recs, err := p.GetRecords(context.Background(), providers.ZoneFQDN(origin))
	if err != nil {
		t.Fatalf("GetRecords: %v", err)
	}
	var got []string
	for _, r := range recs {
		rr := r.RR()
		got = append(got, strings.ToLower(libdns.AbsoluteName(rr.Name, providers.ZoneFQDN(origin)))+" "+rr.Type+" "+strconv.Itoa(int(rr.TTL/time.Second)))
	}
	slices.Sort(got)
	if diff := cmp.Diff(bindView(bind), got); diff != "" {
		t.Errorf("records as owner, type and TTL (-BIND +topo):\n%s", diff)
	}
}
