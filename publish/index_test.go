package publish_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

func TestIndexValues(t *testing.T) {
	long := make([]string, 40)
	for i := range long {
		long[i] = sprintfName(i) + "." + zone
	}
	tests := []struct {
		name  string
		names []string
		want  []string
	}{
		{name: "none", names: nil, want: nil},
		{
			name:  "relative, sorted, once each, the apex as @",
			names: []string{"pool01." + zone, zone, "FE01." + zone + ".", "fe01." + zone, "_sipinternaltls._tcp." + zone},
			want:  []string{"@ _sipinternaltls._tcp fe01 pool01"},
		},
		{
			name:  "names outside the zone are left out",
			names: []string{"pool01." + zone, "pool01.fabrikam.com", "xcontoso.com"},
			want:  []string{"pool01"},
		},
		{
			name:  "cut into strings of at most 255 bytes",
			names: long,
			want: []string{
				strings.Join(relNames(0, 25), " "),
				strings.Join(relNames(25, 40), " "),
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := publish.IndexValues(zone, tc.names)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("IndexValues (-want +got):\n%s", diff)
			}
			for _, v := range got {
				if len(v) > 255 {
					t.Errorf("value of %d bytes: %q", len(v), v)
				}
			}
			back := publish.ParseIndex(zone, got)
			var want []string
			for _, n := range tc.names {
				n = providers.CanonicalName(n)
				if n == zone || strings.HasSuffix(n, "."+zone) {
					want = append(want, n)
				}
			}
			slices.Sort(want)
			want = slices.Compact(want)
			if diff := cmp.Diff(want, back); diff != "" {
				t.Errorf("ParseIndex(IndexValues) (-want +got):\n%s", diff)
			}
		})
	}
}

// sprintfName is a 9-byte label: 40 of them with spaces fill more than
// one TXT string.
func sprintfName(i int) string { return "server-" + string(rune('a'+i/26)) + string(rune('a'+i%26)) }

func relNames(from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, sprintfName(i))
	}
	return out
}

func TestParseIndex(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		want   []string
	}{
		{name: "names across values, sorted and once each", values: []string{"pool01 fe01", "fe01 @"}, want: []string{zone, "fe01." + zone, "pool01." + zone}},
		{name: "words that are no names are skipped", values: []string{"pool01 a..b bad/name -ok. ok\ttab " + strings.Repeat("x", 64)}, want: []string{"ok." + zone, "pool01." + zone, "tab." + zone}},
		{name: "an index never lists an index", values: []string{"other._topo-index pool01"}, want: []string{"pool01." + zone}},
		{name: "upper case is canonical", values: []string{"Pool01"}, want: []string{"pool01." + zone}},
		{name: "empty", values: []string{""}, want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, publish.ParseIndex(zone, tc.values)); diff != "" {
				t.Errorf("ParseIndex (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzParseIndex(f *testing.F) {
	f.Add("contoso.com", "pool01 fe01 @ _sip._tcp")
	f.Add("contoso.com", "a..b \x00 "+strings.Repeat("y", 300))
	f.Fuzz(func(t *testing.T, zone, value string) {
		z := providers.CanonicalName(zone)
		if !validZone(z) {
			t.Skip("not a zone name")
		}
		names := publish.ParseIndex(zone, []string{value})
		for _, n := range names {
			if n != z && !strings.HasSuffix(n, "."+z) {
				t.Fatalf("%q is not in zone %q", n, z)
			}
		}
		// What was read writes back as the same names.
		if again := publish.ParseIndex(zone, publish.IndexValues(zone, names)); !slices.Equal(again, names) {
			t.Fatalf("round trip: %q, then %q", names, again)
		}
	})
}

// validZone reports whether z is a zone name as topology allows one.
func validZone(z string) bool {
	if z == "" || len(z) > 200 {
		return false
	}
	for _, l := range strings.Split(z, ".") {
		if l == "" || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			return false
		}
	}
	return true
}

// indexZone is a shared zone of topology contoso, compiled from pools.
func indexZone(t *testing.T, ownership string, pools ...string) (*topology.Desired, *topology.ZoneRecords) {
	t.Helper()
	var b strings.Builder
	b.WriteString("name = \"contoso\"\nzone \"contoso.com\" {\n  ownership = \"" + ownership + "\"\n  ttl = 300\n}\n")
	for i, p := range pools {
		b.WriteString("site \"s" + p + "\" {\n  pool \"" + p + "\" {\n    fqdn = \"" + p + ".contoso.com\"\n")
		b.WriteString("    web_services {\n      internal_fqdn = \"web" + p + ".contoso.com\"\n      internal_vip = \"10.0." + itoa(i) + ".100\"\n    }\n")
		for s := 1; s <= 3; s++ {
			n := p + "fe" + itoa(s)
			b.WriteString("    server \"" + n + "\" {\n      fqdn = \"" + n + ".contoso.com\"\n      ip = \"10.0." + itoa(i) + "." + itoa(10+s) + "\"\n    }\n")
		}
		b.WriteString("  }\n}\n")
	}
	d := compileHCL(t, b.String())
	return d, d.Zones[0]
}

func itoa(n int) string { return strconv.Itoa(n) }

// byNames is what a read by names of zone sees: the apex and the records
// at names, as a provider that cannot transfer the zone returns them.
func byNames(z []providers.RRset, names []string) []providers.RRset {
	var out []providers.RRset
	for _, s := range z {
		if s.Name == zone || slices.Contains(names, s.Name) {
			out = append(out, s)
		}
	}
	return out
}

// planByNames plans zr as engine does for a zone read by names: the
// managed names, then again with the names the index lists.
func planByNames(d *topology.Desired, zr *topology.ZoneRecords, z []providers.RRset) publish.ZonePlan {
	want := publish.WantFor(zr, d.Topology)
	names := publish.ManagedNames(zr, want, d)
	cur := byNames(z, names)
	for _, n := range publish.IndexedNames(cur, zr.Zone, d.Topology) {
		names = append(names, n, publish.MarkerName(n))
	}
	cur = byNames(z, names)
	zp, _ := publish.DiffZone(zr, d.Topology, publish.WithIndex(want, zr, d.Topology), cur)
	return zp
}

func applyZone(z []providers.RRset, zp publish.ZonePlan) []providers.RRset {
	idx := providers.Index(z)
	providers.ApplyToIndex(idx, zp.Edits())
	out := make([]providers.RRset, 0, len(idx))
	for _, s := range idx {
		out = append(out, s)
	}
	providers.SortRRsets(out)
	return out
}

// TestIndexRemovedPool: a zone read by names, a pool removed from the
// topology: its records are seen through the index, deleted, counted by
// the guard; the index is the last change, not counted; a re-plan is
// empty. Another topology's records and index in the zone stay.
func TestIndexRemovedPool(t *testing.T) {
	for _, ownership := range []string{"shared", "exclusive"} {
		t.Run(ownership, func(t *testing.T) {
			d, zr := indexZone(t, ownership, "pa", "pb")
			// Another topology shares a shared zone: its own name and index.
			var theirs []providers.RRset
			if ownership == "shared" {
				theirs = []providers.RRset{
					rs("lync."+zone, "A", 300, "10.9.9.9"), marker("lync."+zone, "fabrikam"),
					rs(publish.IndexName("fabrikam", zone), "TXT", 300, "lync"), marker(publish.IndexName("fabrikam", zone), "fabrikam"),
				}
			}
			z := current(theirs...)
			first := planByNames(d, zr, z)
			idxKey := providers.Key{Name: publish.IndexName("contoso", zone), Type: "TXT"}
			last := first.Changes[len(first.Changes)-1]
			if ownership == "shared" {
				last = first.Changes[len(first.Changes)-2]
			}
			if last.Key() != idxKey || !last.Index || last.Action != publish.Create {
				t.Fatalf("the index is not created last: %+v", last)
			}
			wantNames := []string{"pa", "pafe1", "pafe2", "pafe3", "pb", "pbfe1", "pbfe2", "pbfe3", "webpa", "webpb"}
			if diff := cmp.Diff([]string{strings.Join(wantNames, " ")}, last.After.Values); diff != "" {
				t.Errorf("index values (-want +got):\n%s", diff)
			}
			z = applyZone(z, first)

			d2, zr2 := indexZone(t, ownership, "pa")
			p := planByNames(d2, zr2, z)
			var deleted []string
			for _, c := range p.Changes {
				if c.Action == publish.Delete && !c.Marker {
					deleted = append(deleted, c.Key().String())
				}
			}
			wantDel := []string{"pb.contoso.com A", "pbfe1.contoso.com A", "pbfe2.contoso.com A", "pbfe3.contoso.com A", "webpb.contoso.com A"}
			if diff := cmp.Diff(wantDel, deleted); diff != "" {
				t.Errorf("deletes of the removed pool (-want +got):\n%s", diff)
			}
			if p.Owned != 10 {
				t.Errorf("owned = %d, want 10: the removed pool's records count, the index does not", p.Owned)
			}
			last = p.Changes[len(p.Changes)-1]
			if last.Key() != idxKey || !last.Index || last.Action != publish.Update {
				t.Fatalf("the index is not updated last: %+v", last)
			}
			// 5 of 10 owned deleted: the guard refuses, and counts no
			// index or marker.
			var ge *publish.GuardError
			if err := publish.CheckGuard(&publish.Plan{Zones: []publish.ZonePlan{p}}); !errors.As(err, &ge) || ge.Violations[0].Changed != 5 {
				t.Fatalf("guard: want 5 of 10 changed, got %v", err)
			}
			z = applyZone(z, p)
			for _, s := range z {
				if strings.HasPrefix(s.Name, "pb") || strings.Contains(s.Name, ".pb") || strings.Contains(s.Name, "webpb") {
					t.Errorf("left behind: %s", s.Key())
				}
			}
			for _, s := range theirs {
				if got := providers.Index(z)[s.Key()]; !got.Equal(s) {
					t.Errorf("another topology's %s changed: %v", s.Key(), got)
				}
			}
			if again := planByNames(d2, zr2, z); len(again.Changes) != 0 {
				t.Errorf("re-plan is not empty: %+v", again.Changes)
			}

			// Nothing left in the zone: the index goes too.
			d3, zr3 := indexZone(t, ownership)
			p = planByNames(d3, zr3, z)
			z = applyZone(z, p)
			for _, s := range z {
				if s.Name != zone && !slices.ContainsFunc(theirs, func(o providers.RRset) bool { return o.Key() == s.Key() }) {
					t.Errorf("left behind after removing everything: %s", s.Key())
				}
			}
		})
	}
}

// TestIndexOwnership: an index is topo's only with its marker; another
// topology's index is never touched; one read by a transfer (no index
// wanted) is deleted.
func TestIndexOwnership(t *testing.T) {
	idx := rs(publish.IndexName("contoso", zone), "TXT", 300, "pool01")
	idxMarker := marker(idx.Name, "contoso")
	theirs := rs(publish.IndexName("fabrikam", zone), "TXT", 300, "lync")
	t.Run("an index read by a transfer is deleted with its marker, last", func(t *testing.T) {
		pool := rs("pool01."+zone, "A", 300, "10.0.0.1")
		changes, conflicts, owned := publish.Diff(zone, desired(pool), current(pool, marker(pool.Name, "contoso"), idx, idxMarker, theirs, marker(theirs.Name, "fabrikam")), shared)
		if len(conflicts) != 0 {
			t.Fatal(conflicts)
		}
		if owned != 1 {
			t.Errorf("owned = %d, want 1", owned)
		}
		want := []publish.Change{
			{Action: publish.Delete, Name: "_topo.pool01." + zone, Type: "TXT", Before: ptr(marker(pool.Name, "contoso")), Marker: true},
			{Action: publish.Delete, Name: idx.Name, Type: "TXT", Before: ptr(idx), Index: true},
			{Action: publish.Delete, Name: idxMarker.Name, Type: "TXT", Before: ptr(idxMarker), Marker: true},
		}
		if diff := cmp.Diff(want, changes); diff != "" {
			t.Errorf("changes (-want +got):\n%s", diff)
		}
	})
	t.Run("an index without our marker is a conflict, not overwritten", func(t *testing.T) {
		want := rs(idx.Name, "TXT", 300, "pool02")
		w := desired(want, marker(idx.Name, "contoso"))
		w.Sources[want.Key()] = []string{publish.IndexSource}
		_, conflicts, _ := publish.Diff(zone, w, current(idx), shared)
		if len(conflicts) != 1 || conflicts[0].Have.Key() != idx.Key() || !strings.Contains(conflicts[0].String(), "the name index") {
			t.Fatalf("conflicts: %v", conflicts)
		}
	})
}

func TestIndexText(t *testing.T) {
	idx := rs(publish.IndexName("contoso", zone), "TXT", 300, "fe01 pool01")
	p := &publish.Plan{Zones: []publish.ZonePlan{{
		Zone: zone, View: "internal", Provider: "rfc2136.ad", Server: "192.0.2.53:53",
		ReadScope: &providers.ReadScope{Names: true, Count: 9, Reason: providers.ReasonTransferRefused, Detail: "REFUSED", Server: "192.0.2.53:53"},
		NameIndex: &publish.NameIndex{Name: idx.Name, Found: true, Gone: []string{"fe02." + zone, "pool02." + zone}},
		Changes: []publish.Change{
			{Action: publish.Delete, Name: "pool02." + zone, Type: "A", Before: ptr(rs("pool02."+zone, "A", 300, "10.0.0.2"))},
			{Action: publish.Delete, Name: "_topo.pool02." + zone, Type: "TXT", Before: ptr(marker("pool02."+zone, "contoso")), Marker: true},
			{Action: publish.Update, Name: idx.Name, Type: "TXT", Before: ptr(rs(idx.Name, "TXT", 300, "fe01 fe02 pool01 pool02")), After: ptr(idx), Index: true},
		},
	}}}
	var b strings.Builder
	if err := publish.WriteText(&b, p, publish.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"  server 192.0.2.53:53: read, written and verified there; the zone's other servers get the changes by replication, later\n",
		"  the name index contoso._topo-index.contoso.com lists 2 name(s) no longer in the topology, read too: fe02.contoso.com, pool02.contoso.com\n",
		": 0 to create, 0 to update, 1 to delete, plus 1 ownership marker to delete; name index updated (2 names)\n",
		"Plan: 0 to create, 0 to update, 1 to delete, plus 1 ownership marker to delete.",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text plan lacks %q:\n%s", want, b.String())
		}
	}
	if strings.Contains(b.String(), "~ "+idx.Name) {
		t.Errorf("the index is listed as a change:\n%s", b.String())
	}
	b.Reset()
	if err := publish.WriteMarkdown(&b, p); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"\n> server 192.0.2.53:53: read, written and verified there",
		"\n> read name by name from 192.0.2.53:53",
		"1 to delete, plus 1 ownership marker to delete; name index updated (2 names)\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("markdown plan lacks %q:\n%s", want, b.String())
		}
	}

	// A zone without an index yet says what that means.
	p.Zones[0].NameIndex = &publish.NameIndex{Name: idx.Name}
	p.Zones[0].Changes = []publish.Change{{Action: publish.Create, Name: idx.Name, Type: "TXT", After: ptr(idx), Index: true}}
	b.Reset()
	if err := publish.WriteText(&b, p, publish.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if want := "  no name index contoso._topo-index.contoso.com yet: this publish writes it; records at names removed from the topology before now are not seen\n"; !strings.Contains(b.String(), want) {
		t.Errorf("text plan lacks %q:\n%s", want, b.String())
	}
}
