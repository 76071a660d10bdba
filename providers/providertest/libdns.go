package providertest

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
)

// RunLibdns runs the libdns contract against the provider newHarness
// returns, each subtest on a fresh harness: GetRecords returns what
// SetRecords wrote, typed (TXT with quotes, escapes and more than 255 bytes;
// SRV; CNAME; MX; addresses); SetRecords replaces exactly the RRsets it is
// given; DeleteRecords deletes the records that match by name and type, and
// by TTL and value where given (libdns.RecordDeleter), returns them, and
// never deletes the SOA.
func RunLibdns(t *testing.T, newHarness func(t *testing.T) Harness) {
	t.Run("GetRecords returns what SetRecords wrote", func(t *testing.T) {
		c := newCheck(t, newHarness)
		sets := []providers.RRset{
			c.set("a", "A", 300, "10.7.0.1", "10.7.0.2"),
			c.set("a", "AAAA", 300, "2001:db8::7"),
			c.set("t", "TXT", 300,
				"v=spf1 include:_spf.example.net -all",
				`say "hi" \o/`,
				"semi;colon (and parentheses)",
				strings.Repeat("0123456789", 30), // three character-strings
				"caf\u00e9",
			),
			c.set("_sip._tls", "SRV", 300, "0 5 5061 sip.example.net.", "10 5 5061 sip2.example.net."),
			c.set("alias", "CNAME", 300, "target.example.net."),
			c.set("m", "MX", 300, "10 mx.example.net."),
		}
		var recs []libdns.Record
		for _, s := range sets {
			recs = append(recs, c.records(s)...)
		}
		set, err := c.h.Provider.SetRecords(c.ctx, c.zone, recs)
		if err != nil {
			t.Fatalf("SetRecords: %v", err)
		}
		c.compare("SetRecords' returned records", sets, providers.GroupRecords(c.h.Zone, set))
		got := c.get()
		c.compare("GetRecords after SetRecords", sets, c.only(got, sets))
		wantTypes := map[string]string{"A": "libdns.Address", "AAAA": "libdns.Address", "TXT": "libdns.TXT", "SRV": "libdns.SRV", "CNAME": "libdns.CNAME", "MX": "libdns.MX"}
		for _, r := range got {
			rr := r.RR()
			want, ok := wantTypes[rr.Type]
			if !ok || !c.tested(rr.Name) {
				continue
			}
			if typ := fmt.Sprintf("%T", r); typ != want {
				t.Errorf("GetRecords returned %s %s as %s, want %s", rr.Name, rr.Type, typ, want)
			}
		}
	})

	t.Run("SetRecords replaces the RRsets it is given", func(t *testing.T) {
		c := newCheck(t, newHarness)
		c.h.Seed(t, []providers.RRset{
			c.set("s", "A", 600, "10.7.1.1", "10.7.1.2"),
			c.set("s", "TXT", 600, "stays"),
			c.set("s2", "AAAA", 600, "2001:db8::1", "2001:db8::2"),
		})
		steps := []struct {
			name string
			set  []providers.RRset
			want []providers.RRset
		}{
			{
				name: "one value replaces two, TTL too; the TXT at the name stays",
				set:  []providers.RRset{c.set("s", "A", 120, "10.7.1.3")},
				want: []providers.RRset{c.set("s", "A", 120, "10.7.1.3"), c.set("s", "TXT", 600, "stays"), c.set("s2", "AAAA", 600, "2001:db8::1", "2001:db8::2")},
			},
			{
				name: "two RRsets in one call, one of them new",
				set:  []providers.RRset{c.set("s", "A", 120, "10.7.1.3", "10.7.1.4"), c.set("s3", "TXT", 120, "new")},
				want: []providers.RRset{c.set("s", "A", 120, "10.7.1.3", "10.7.1.4"), c.set("s", "TXT", 600, "stays"), c.set("s2", "AAAA", 600, "2001:db8::1", "2001:db8::2"), c.set("s3", "TXT", 120, "new")},
			},
			{
				name: "the same records again change nothing",
				set:  []providers.RRset{c.set("s", "A", 120, "10.7.1.3", "10.7.1.4")},
				want: []providers.RRset{c.set("s", "A", 120, "10.7.1.3", "10.7.1.4"), c.set("s", "TXT", 600, "stays"), c.set("s2", "AAAA", 600, "2001:db8::1", "2001:db8::2"), c.set("s3", "TXT", 120, "new")},
			},
		}
		for _, st := range steps {
			var recs []libdns.Record
			for _, s := range st.set {
				recs = append(recs, c.records(s)...)
			}
			if _, err := c.h.Provider.SetRecords(c.ctx, c.zone, recs); err != nil {
				t.Fatalf("%s: SetRecords: %v", st.name, err)
			}
			c.compare(st.name, st.want, c.only(c.get(), c.names("s", "s2", "s3")))
		}
	})

	t.Run("DeleteRecords", func(t *testing.T) {
		c := newCheck(t, newHarness)
		c.h.Seed(t, []providers.RRset{
			c.set("d1", "A", 300, "10.7.2.1", "10.7.2.2", "10.7.2.3"),
			c.set("d1", "AAAA", 300, "2001:db8::d1"),
			c.set("d1", "TXT", 300, "keep me"),
			c.set("d2", "A", 300, "10.7.2.9"),
			c.set("d3", "TXT", 300, `with "quotes"`),
		})
		names := c.names("d1", "d2", "d3")
		zoneNow := []providers.RRset{
			c.set("d1", "A", 300, "10.7.2.1", "10.7.2.2", "10.7.2.3"),
			c.set("d1", "AAAA", 300, "2001:db8::d1"),
			c.set("d1", "TXT", 300, "keep me"),
			c.set("d2", "A", 300, "10.7.2.9"),
			c.set("d3", "TXT", 300, `with "quotes"`),
		}
		soa := c.rrset(c.get(), "@", "SOA")
		steps := []struct {
			name    string
			del     []libdns.Record
			deleted []providers.RRset
			left    []providers.RRset
		}{
			{
				name:    "by name, type and value: one record of the RRset",
				del:     []libdns.Record{libdns.RR{Name: "d1", Type: "A", Data: "10.7.2.2"}},
				deleted: []providers.RRset{c.set("d1", "A", 300, "10.7.2.2")},
				left:    replace(zoneNow, c.set("d1", "A", 300, "10.7.2.1", "10.7.2.3")),
			},
			{
				name: "a TTL that differs matches nothing",
				del:  []libdns.Record{libdns.RR{Name: "d1", Type: "A", TTL: 600 * time.Second}},
				left: replace(zoneNow, c.set("d1", "A", 300, "10.7.2.1", "10.7.2.3")),
			},
			{
				name: "a value the zone does not hold matches nothing",
				del:  []libdns.Record{libdns.Address{Name: "d2", IP: netip.MustParseAddr("10.7.2.8")}},
				left: replace(zoneNow, c.set("d1", "A", 300, "10.7.2.1", "10.7.2.3")),
			},
			{
				name:    "type in lower case, TTL given and equal: the rest of the RRset, nothing else",
				del:     []libdns.Record{libdns.RR{Name: "d1", Type: "a", TTL: 300 * time.Second}},
				deleted: []providers.RRset{c.set("d1", "A", 300, "10.7.2.1", "10.7.2.3")},
				left:    zoneNow[1:],
			},
			{
				name:    "name only: every type at the name",
				del:     []libdns.Record{libdns.RR{Name: "d1"}},
				deleted: []providers.RRset{c.set("d1", "AAAA", 300, "2001:db8::d1"), c.set("d1", "TXT", 300, "keep me")},
				left:    zoneNow[3:],
			},
			{
				name:    "TXT by its text; a name in upper case, fully qualified",
				del:     []libdns.Record{libdns.TXT{Name: "d3", Text: `with "quotes"`}, libdns.RR{Name: "D2." + strings.ToUpper(c.zone), Type: "A"}},
				deleted: []providers.RRset{c.set("d2", "A", 300, "10.7.2.9"), c.set("d3", "TXT", 300, `with "quotes"`)},
			},
			{
				name: "the SOA is never deleted",
				del:  []libdns.Record{libdns.RR{Name: "@", Type: "SOA"}},
			},
		}
		for _, st := range steps {
			got, err := c.h.Provider.DeleteRecords(c.ctx, c.zone, st.del)
			if err != nil {
				t.Fatalf("%s: DeleteRecords: %v", st.name, err)
			}
			c.compare(st.name+": records DeleteRecords returned", st.deleted, providers.GroupRecords(c.h.Zone, got))
			after := c.get()
			c.compare(st.name+": zone after", st.left, c.only(after, names))
			if soa.Type != "" && c.rrset(after, "@", "SOA").Type == "" {
				t.Fatalf("%s: the SOA is gone", st.name)
			}
		}
		if _, err := c.h.Provider.DeleteRecords(c.ctx, c.zone, []libdns.Record{libdns.RR{Type: "A"}}); err == nil {
			t.Error("DeleteRecords of a record without a name: want an error (libdns: the name must always be given; the apex is \"@\")")
		}
		c.compare("the seeded records of others", c.seeded, c.only(c.get(), c.seeded))
	})
}

// check is one subtest's view of the provider.
type check struct {
	t      *testing.T
	h      Harness
	ctx    context.Context
	zone   string // with the trailing dot, as libdns calls take it
	seeded []providers.RRset
	tests  map[string]bool // relative names the subtest writes
}

func newCheck(t *testing.T, newHarness func(t *testing.T) Harness) *check {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	h := newHarness(t)
	c := &check{t: t, h: h, ctx: ctx, zone: providers.ZoneFQDN(h.Zone), tests: map[string]bool{}}
	// Records of another client at names the subtests do not touch.
	c.seeded = []providers.RRset{
		{Name: "other." + h.Zone, Type: "A", TTL: 600, Values: []string{"192.0.2.1"}},
		{Name: "other." + h.Zone, Type: "TXT", TTL: 600, Values: []string{"v=spf1 -all"}},
	}
	h.Seed(t, c.seeded)
	return c
}

// set returns a normalised RRset at rel (relative to the zone).
func (c *check) set(rel, typ string, ttl uint32, values ...string) providers.RRset {
	c.tests[rel] = true
	s := providers.RRset{Name: rel + "." + c.h.Zone, Type: typ, TTL: ttl, Values: values}
	s.Normalize()
	return s
}

func (c *check) tested(rel string) bool { return c.tests[rel] }

// names returns empty RRsets at rel names, for only.
func (c *check) names(rels ...string) []providers.RRset {
	out := make([]providers.RRset, len(rels))
	for i, r := range rels {
		out[i] = providers.RRset{Name: r + "." + c.h.Zone}
	}
	return out
}

func (c *check) records(s providers.RRset) []libdns.Record {
	c.t.Helper()
	recs, err := s.Records(c.h.Zone)
	if err != nil {
		c.t.Fatal(err)
	}
	return recs
}

func (c *check) get() []libdns.Record {
	c.t.Helper()
	recs, err := c.h.Provider.GetRecords(c.ctx, c.zone)
	if err != nil {
		c.t.Fatalf("GetRecords: %v", err)
	}
	return recs
}

// only groups recs into RRsets and keeps those at the names of sets.
func (c *check) only(recs []libdns.Record, sets []providers.RRset) []providers.RRset {
	names := map[string]bool{}
	for _, s := range sets {
		names[s.Name] = true
	}
	var out []providers.RRset
	for _, s := range providers.GroupRecords(c.h.Zone, recs) {
		if names[s.Name] {
			out = append(out, s)
		}
	}
	return out
}

// rrset returns the RRset (rel, typ) of recs; the zero RRset when there is
// none.
func (c *check) rrset(recs []libdns.Record, rel, typ string) providers.RRset {
	name := providers.CanonicalName(libdns.AbsoluteName(rel, c.zone))
	for _, s := range providers.GroupRecords(c.h.Zone, recs) {
		if s.Name == name && s.Type == typ {
			return s
		}
	}
	return providers.RRset{}
}

func (c *check) compare(what string, want, got []providers.RRset) {
	c.t.Helper()
	want = slices.Clone(want)
	providers.SortRRsets(want)
	providers.SortRRsets(got)
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b []string) bool { return slices.Equal(a, b) })); diff != "" {
		c.t.Fatalf("%s (-want +got):\n%s", what, diff)
	}
}

// replace returns sets with the RRset of s's key replaced by s.
func replace(sets []providers.RRset, s providers.RRset) []providers.RRset {
	out := slices.Clone(sets)
	for i := range out {
		if out[i].Key() == s.Key() {
			out[i] = s
		}
	}
	return out
}
