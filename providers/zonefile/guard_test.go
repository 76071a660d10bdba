package zonefile_test

import (
	"context"
	"errors"
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
	"github.com/topo-dns/topo/topology"
)

// guarded is a zone whose name server's address lives in it, with a
// delegation, its glue and its DS: what issue 13 saw an exclusive publish
// delete.
const guarded = `$TTL 300
@	SOA	ns1.example.test. hostmaster.example.test. 2024010100 3600 600 1209600 300
@	NS	ns1.example.test.
@	NS	ns2.example.net.
ns1	A	192.0.2.53
ns1	AAAA	2001:db8::53
corp	NS	ns1.corp.example.test.
corp	DS	12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF
ns1.corp	A	192.0.2.54
mail	MX	10 mail2.example.net.
www	A	192.0.2.80
`

func setupText(t *testing.T, text string) (*zonefile.Provider, string) {
	t.Helper()
	p, path := setup(t, "")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, path
}

// checkzoneRefuses requires named-checkzone to refuse text: the check the
// provider makes is BIND's.
func checkzoneRefuses(t *testing.T, text string) {
	t.Helper()
	bin := dnstest.RequireBinary(t, "named-checkzone", "bind9-utils")
	path := filepath.Join(t.TempDir(), "broken.zone")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-i", "local", zone, path).CombinedOutput(); err == nil {
		t.Fatalf("named-checkzone loads the zone the provider refused to write:\n%s\n%s", out, text)
	}
}

// TestNeverChanges: whatever edit asks for it, the provider refuses to
// change the apex SOA and NS, a delegation, what is at or below it (glue
// included), the name servers' addresses and DNSSEC records, naming the
// record, and writes nothing.
func TestNeverChanges(t *testing.T) {
	n := func(label string) string { return label + "." + zone }
	tests := []struct {
		name string
		edit providers.Edit
		want string // in the error
		// broken, when set, is the zone the edit would leave: BIND refuses
		// to load it.
		broken string
	}{
		{name: "the apex NS", edit: del(rrset(zone, "NS", 300, "ns1.example.test.", "ns2.example.net.")), want: "example.test NS: it names the zone's name servers"},
		{name: "one of the apex NS", edit: upd(rrset(zone, "NS", 300, "ns1.example.test.", "ns2.example.net."), rrset(zone, "NS", 300, "ns2.example.net.")), want: "example.test NS"},
		{name: "the apex SOA", edit: upd(rrset(zone, "SOA", 300, "ns1.example.test. hostmaster.example.test. 2024010100 3600 600 1209600 300"), rrset(zone, "SOA", 300, "ns1.example.test. hostmaster.example.test. 2024010100 3600 600 1209600 60")), want: "the zone's SOA record"},
		{name: "the name server's address", edit: del(rrset(n("ns1"), "A", 300, "192.0.2.53")), want: "ns1.example.test A: it is the address of the name server ns1.example.test (NS of example.test)",
			broken: strings.Replace(guarded, "ns1\tA\t192.0.2.53\nns1\tAAAA\t2001:db8::53\n", "", 1)},
		{name: "the name server's IPv6 address", edit: upd(rrset(n("ns1"), "AAAA", 300, "2001:db8::53"), rrset(n("ns1"), "AAAA", 300, "2001:db8::54")), want: "ns1.example.test AAAA"},
		{name: "a delegation", edit: del(rrset(n("corp"), "NS", 300, "ns1.corp.example.test.")), want: "corp.example.test NS: it is a delegation"},
		{name: "a new delegation", edit: add(rrset(n("lab"), "NS", 300, "ns.example.net.")), want: "lab.example.test NS: it is a delegation"},
		{name: "the DS of a delegation", edit: del(rrset(n("corp"), "DS", 300, "12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")), want: "corp.example.test DS: it is a DNSSEC record"},
		{name: "a new DNSKEY", edit: add(rrset(zone, "DNSKEY", 300, "257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==")), want: "a DNSSEC record"},
		{name: "glue", edit: del(rrset(n("ns1.corp"), "A", 300, "192.0.2.54")), want: "ns1.corp.example.test A: it is below the delegation corp.example.test"},
		{name: "a name below a delegation", edit: add(rrset(n("www.corp"), "A", 300, "192.0.2.55")), want: "www.corp.example.test A: it is below the delegation corp.example.test"},
		{name: "data at a delegation point", edit: add(rrset(n("corp"), "A", 300, "192.0.2.55")), want: "corp.example.test A: it is at the delegation point corp.example.test"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, path := setupText(t, guarded)
			ok := rrset(n("ok"), "A", 300, "192.0.2.1")
			_, err := p.ApplyEdits(context.Background(), zone+".", []providers.Edit{{After: &ok}, tt.edit}, providers.ApplyOptions{})
			if !errors.Is(err, zonefile.ErrProtected) {
				t.Fatalf("want zonefile.ErrProtected, got %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("the error does not say %q: %v", tt.want, err)
			}
			if now, _ := os.ReadFile(path); string(now) != guarded {
				t.Errorf("the zone file changed:\n%s", now)
			}
			if tt.broken != "" {
				checkzoneRefuses(t, tt.broken)
			}
		})
	}
	// The libdns calls do what their caller names, as libdns says, but
	// never write a zone that would not load, nor touch the SOA.
	t.Run("the libdns calls refuse a zone that would not load", func(t *testing.T) {
		ctx := context.Background()
		for _, c := range []struct {
			name string
			call func(p *zonefile.Provider) error
			want error
		}{
			{"delete the name server's addresses", func(p *zonefile.Provider) error {
				_, err := p.DeleteRecords(ctx, zone+".", []libdns.Record{libdns.RR{Name: "ns1", Type: "A"}, libdns.RR{Name: "ns1", Type: "AAAA"}})
				return err
			}, zonefile.ErrWouldNotLoad},
			// An empty type matches every type at the apex: the NS too.
			{"delete everything at the apex", func(p *zonefile.Provider) error {
				_, err := p.DeleteRecords(ctx, zone+".", []libdns.Record{libdns.RR{Name: "@"}})
				return err
			}, zonefile.ErrWouldNotLoad},
			{"set the SOA", func(p *zonefile.Provider) error {
				_, err := p.SetRecords(ctx, zone+".", []libdns.Record{libdns.RR{Name: "@", Type: "SOA", TTL: time.Hour, Data: "ns1.example.test. hostmaster.example.test. 9 3600 600 1209600 300"}})
				return err
			}, zonefile.ErrProtected},
		} {
			p, path := setupText(t, guarded)
			if err := c.call(p); !errors.Is(err, c.want) {
				t.Errorf("%s: want %v, got %v", c.name, c.want, err)
			}
			if now, _ := os.ReadFile(path); string(now) != guarded {
				t.Errorf("%s: the zone file changed:\n%s", c.name, now)
			}
		}
		checkzoneRefuses(t, strings.Replace(guarded, "ns1\tA\t192.0.2.53\nns1\tAAAA\t2001:db8::53\n", "", 1))
		p, _ := setupText(t, guarded)
		if _, err := p.SetRecords(ctx, zone+".", []libdns.Record{libdns.Address{Name: "ns1", TTL: 5 * time.Minute, IP: netip.MustParseAddr("192.0.2.99")}}); err != nil {
			t.Errorf("SetRecords of a name server's new address: %v", err)
		}
	})
}

func del(s providers.RRset) providers.Edit    { return providers.Edit{Before: &s} }
func add(s providers.RRset) providers.Edit    { return providers.Edit{After: &s} }
func upd(b, a providers.RRset) providers.Edit { return providers.Edit{Before: &b, After: &a} }

// TestRefusesZonesThatWouldNotLoad: an edit after which BIND would refuse
// the zone is refused with the reason, and BIND agrees.
func TestRefusesZonesThatWouldNotLoad(t *testing.T) {
	n := func(label string) string { return label + "." + zone }
	tests := []struct {
		name   string
		edits  []providers.Edit
		want   string
		broken string // what the zone file would be
	}{
		{name: "a CNAME beside somebody's MX", edits: []providers.Edit{add(rrset(n("mail"), "CNAME", 300, "mailhost.example.net."))},
			want: "mail.example.test has a CNAME beside other data (MX)", broken: guarded + "mail CNAME mailhost.example.net.\n"},
		{name: "an address beside a CNAME", edits: []providers.Edit{add(rrset(n("alias"), "CNAME", 300, "www.example.test.")), add(rrset(n("alias"), "A", 300, "192.0.2.9"))},
			want: "alias.example.test has a CNAME beside other data (A)", broken: guarded + "alias CNAME www.example.test.\nalias A 192.0.2.9\n"},
		{name: "two CNAMEs", edits: []providers.Edit{add(rrset(n("alias"), "CNAME", 300, "www.example.test.", "mail.example.test."))},
			want: "alias.example.test has more than one CNAME", broken: guarded + "alias CNAME www.example.test.\nalias CNAME mail.example.test.\n"},
		{name: "a CNAME at the apex", edits: []providers.Edit{add(rrset(zone, "CNAME", 300, "www.example.net."))},
			want: "example.test has a CNAME beside other data (NS, SOA)", broken: guarded + "@ CNAME www.example.net.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, path := setupText(t, guarded)
			_, err := p.ApplyEdits(context.Background(), zone+".", tt.edits, providers.ApplyOptions{})
			if !errors.Is(err, zonefile.ErrWouldNotLoad) {
				t.Fatalf("want zonefile.ErrWouldNotLoad, got %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("the error does not say %q: %v", tt.want, err)
			}
			if now, _ := os.ReadFile(path); string(now) != guarded {
				t.Errorf("the zone file changed:\n%s", now)
			}
			checkzoneRefuses(t, tt.broken)
		})
	}
	t.Run("a problem the zone already had does not block an edit", func(t *testing.T) {
		// BIND loads occluded data below a delegation with a warning.
		odd := guarded + "www.corp A 192.0.2.99\n"
		p, path := setupText(t, odd)
		a := rrset(n("pool01"), "A", 300, "10.0.1.11")
		apply(t, p, add(a))
		if got := read(t, p)[a.Key()]; !got.Equal(a) {
			t.Errorf("pool01 reads back as %v", got)
		}
		now, _ := os.ReadFile(path)
		if err := sameOutsideBlock([]byte(odd), now); err != nil {
			t.Error(err)
		}
	})
}

// TestExclusiveZoneKeepsWhatItNeeds is issue 13's reproducer: with
// ownership = "exclusive" on a zone holding its name server's address and
// a delegation with glue, a publish must leave them, and the zone must
// load. (The plan should not even propose deleting them; if it does, the
// provider refuses and names the record.)
func TestExclusiveZoneKeepsWhatItNeeds(t *testing.T) {
	p, path := setupText(t, guarded)
	d := compileHCL(t, `name = "contoso"
product = "sfb2015"
zone "example.test" {
  ownership = "exclusive"
}
site "s1" {
  pool "pool01" {
    fqdn = "pool01.example.test"
    web_services {
      internal_fqdn = "webint.example.test"
      internal_vip  = "10.9.0.100"
    }
    server "fe01" {
      fqdn = "fe01.example.test"
      ip   = "10.9.0.11"
    }
  }
}
`)
	ctx := context.Background()
	l := load(d, p)
	plan, err := l.Plan(ctx)
	if err == nil {
		err = plan.Err()
	}
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	_, err = l.Publish(ctx, plan, engine.PublishOptions{AllowMassChange: true})
	if err != nil {
		if !errors.Is(err, zonefile.ErrProtected) {
			t.Fatalf("publish failed, and not because the provider protected a record: %v", err)
		}
		if now, _ := os.ReadFile(path); string(now) != guarded {
			t.Errorf("a refused publish changed the zone file:\n%s", now)
		}
	}
	cur := read(t, p)
	for _, k := range []providers.Key{
		{Name: zone, Type: "SOA"}, {Name: zone, Type: "NS"},
		{Name: "ns1." + zone, Type: "A"}, {Name: "ns1." + zone, Type: "AAAA"},
		{Name: "corp." + zone, Type: "NS"}, {Name: "corp." + zone, Type: "DS"}, {Name: "ns1.corp." + zone, Type: "A"},
	} {
		if _, ok := cur[k]; !ok {
			t.Errorf("%s is gone after an exclusive publish", k)
		}
	}
	checkzone(t, path)
}

// load is the engine's view of a compiled topology whose zones are all
// p's.
func load(d *topology.Desired, p providers.Provider) *engine.Loaded {
	return engine.FromDesired(publish.Source{Desired: d}, func(string, string) (providers.Provider, error) { return p, nil })
}

func compileHCL(t *testing.T, src string) *topology.Desired {
	t.Helper()
	top, diags := topology.Parse([]byte(src), "topology.hcl", topology.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	d, diags := topology.Compile(top.File)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return d
}

// TestOddRecordsNeverFailAPlan: records miekg/dns or libdns cannot read,
// at names topo does not own, are kept as written and reported as opaque
// records; they never make a read, a plan or a publish fail, and a
// publish never rewrites them.
func TestOddRecordsNeverFailAPlan(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "edit", "unknown-types-kept.zone"))
	if err != nil {
		t.Fatal(err)
	}
	p, path := setupText(t, string(src))
	recs, err := p.GetRecords(context.Background(), zone+".")
	if err != nil {
		t.Fatalf("GetRecords: %v", err)
	}
	got := map[string]string{}
	for _, r := range recs {
		rr := r.RR()
		got[rr.Name+" "+rr.Type] = rr.Data
	}
	for k, want := range map[string]string{
		"ns1 NID":     "2 0:0:0:0",
		"ns1 L64":     "2 0:0:0:0",
		"geo GPOS":    "-32.6882 116.8652 10.0",
		"svc SVCB":    `1 . alpn="h2"`,
		"odd SRV":     "0 0 5061 sip.example.net.",
		"x TYPE65534": `\# 2 0102`,
		"naptr NAPTR": `100 10 "S" "SIP+D2T" "" _sip._tcp.example.test.`,
		"apl APL":     "1:192.168.32.0/21 !1:192.168.38.0/28",
		"svc2 HTTPS":  `1 . alpn="h2,h3" port="8443"`,
		"@ NS":        "ns1.example.net.",
		"@ SOA":       "ns1.example.net. h.example.net. 2024010100 3600 600 1209600 300",
	} {
		if got[k] != want {
			t.Errorf("GetRecords %s = %q, want %q", k, got[k], want)
		}
	}
	notes, err := p.Notes(context.Background(), zone+".")
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, n := range notes {
		lines = append(lines, n.Line)
		if !n.Reported || !strings.Contains(n.Text, "kept as written") {
			t.Errorf("note %v", n)
		}
	}
	if !slices.Equal(lines, []int{4, 5}) {
		t.Errorf("notes on lines %v, want 4 and 5 (the NID and L64 miekg/dns cannot read): %v", lines, notes)
	}

	d := compileHCL(t, `name = "contoso"
product = "sfb2015"
zone "example.test" {}
site "s1" {
  pool "pool01" {
    fqdn = "pool01.example.test"
    web_services {
      internal_fqdn = "webint.example.test"
      internal_vip  = "10.9.0.100"
    }
    server "fe01" {
      fqdn = "fe01.example.test"
      ip   = "10.9.0.11"
    }
  }
}
`)
	ctx := context.Background()
	l := load(d, p)
	plan, err := l.Plan(ctx)
	if err == nil {
		err = plan.Err()
	}
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	if _, err := l.Publish(ctx, plan, engine.PublishOptions{}); err != nil {
		t.Fatalf("publish: %v", err)
	}
	again, err := load(d, p).Plan(ctx)
	if err != nil || again.HasChanges() {
		t.Fatalf("re-plan: %v, %+v", err, again.Counts())
	}
	now, _ := os.ReadFile(path)
	if err := sameOutsideBlock(src, now); err != nil {
		t.Errorf("the publish changed lines outside topo's block: %v\n%s", err, now)
	}
	checkzone(t, path)
}

// TestReadsWhatBINDLoads: the owner, type and TTL of every record the
// provider reads are the ones BIND loads (named-compilezone), where
// miekg/dns on its own reads them differently or not at all.
func TestReadsWhatBINDLoads(t *testing.T) {
	tests := []struct{ name, src string }{
		{"$GENERATE takes $TTL, not 3600", "$TTL 600\n@ SOA ns hm 1 1800 900 604800 600\n@ NS ns\nns A 10.53.0.6\n$GENERATE 1-20 ns$.fake A 10.53.1.$\n"},
		{"$GENERATE with its own TTL sets the last TTL", "@ 300 SOA ns hm 1 1800 900 604800 600\n@ NS ns\nns A 10.53.0.6\n$GENERATE 1-2 g$ 200 A 10.0.0.$\nb A 10.0.1.1\n  TXT \"b too\"\n"},
		{"no $TTL: the SOA's minimum, then the last TTL", "@\tSOA\tns7 hostmaster.isc.org. 1 600 600 1200 600\n@ \tNS\tns7\nns7 \tA\t10.53.0.7\n"},
		{"no $TTL: RFC 1035 semantics", "@ 3600 SOA ns hm 1 2 3 4 5\n@ NS ns\nns 60 A 10.0.0.1\nnext A 10.0.0.2\n"},
		{"$TTL wins over the last TTL", "$TTL 120\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns 60 A 10.0.0.1\nnext A 10.0.0.2\n"},
		{"a TTL past 2^31-1 reads 0", "$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 10.0.0.1\nbig 3000000000 TXT big\n"},
		{"class before TTL and units", "$TTL 300\n@ IN SOA ns hm 1 2 3 4 5\n@ IN 1D NS ns\nns IN 1h30m A 10.0.0.1\n"},
		{"relative $ORIGIN and a blank owner across it", "$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 10.0.0.1\n$ORIGIN sub\nwww A 10.0.0.2\n$ORIGIN example.test.\n AAAA 2001:db8::2\n"},
		{"records outside the zone are left out", "$TTL 300\n@ SOA ns.example. hm 1 2 3 4 5\n@ NS ns.example.\nns.example. A 10.53.0.1\nwww A 10.0.0.1\n"},
		{"types miekg/dns cannot read", "$TTL 86400\n@ IN SOA ns1 hostmaster ( 2 8H 2H 4W 1D );\n    NS ns1\nns1 A 10.53.0.1\n\nns1 NID 2 0:0:0:0\nns1 L64 2 0:0:0:0\nns1 L32 2 0.0.0.0\nnid2 NID 2 0:0:0:1\nnid2 LP 2 ns1\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, path := setupText(t, tt.src)
			want := bindView(compile(t, zone, path))
			recs, err := p.GetRecords(context.Background(), zone+".")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range recs {
				rr := r.RR()
				name := libdns.AbsoluteName(rr.Name, zone+".")
				got = append(got, strings.ToLower(name)+" "+rr.Type+" "+strconv.Itoa(int(rr.TTL/time.Second)))
			}
			slices.Sort(got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("records as owner, type and TTL (-BIND +topo):\n%s", diff)
			}
		})
	}
}

// bindView is named-compilezone's records as "owner type ttl", sorted.
func bindView(rrs []compiledRR) []string {
	var out []string
	for _, r := range rrs {
		out = append(out, r.Owner+" "+r.Type+" "+r.TTL)
	}
	slices.Sort(out)
	return out
}
