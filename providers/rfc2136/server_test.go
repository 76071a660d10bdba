package rfc2136

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
)

const zone = "example.test."

func apply(t *testing.T, p *Provider, edits ...providers.Edit) {
	t.Helper()
	n, err := p.ApplyEdits(context.Background(), zone, edits, providers.ApplyOptions{})
	if err != nil {
		t.Fatalf("ApplyEdits: %v", err)
	}
	if n != len(edits) {
		t.Fatalf("ApplyEdits applied %d edits, want %d", n, len(edits))
	}
}

func TestRoundTrip(t *testing.T) {
	b, p := startBIND(t)
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(b.Output())
		}
	})
	longTXT := strings.Repeat("v=spf1 include:_spf.example.net ", 12) + `quote " backslash \ tab	é`
	created := []providers.RRset{
		*rrset("pool01.example.test", "A", 300, "10.0.1.11", "10.0.1.12"),
		*rrset("pool01.example.test", "AAAA", 300, "2001:db8::11"),
		*rrset("txt.example.test", "TXT", 600, longTXT, "second"),
		*rrset("_sip._tls.example.test", "SRV", 3600, "0 0 443 sip.example.test."),
		*rrset("webint.example.test", "CNAME", 300, "pool01.example.test."),
		*rrset("example.test", "MX", 300, "10 mail.example.net."),
		*rrset("caa.example.test", "CAA", 300, `0 issue "ca.example.net"`),
	}
	var edits []providers.Edit
	for _, s := range created {
		edits = append(edits, providers.Edit{After: &s})
	}
	apply(t, p, edits...)
	want := append([]providers.RRset(nil), created...)
	providers.SortRRsets(want)
	if diff := cmp.Diff(want, rrsets(t, p, zone)); diff != "" {
		t.Fatalf("after create (-want +got):\n%s", diff)
	}

	// Update: new values and TTL, and a delete.
	apply(t, p,
		providers.Edit{Before: &created[0], After: rrset("pool01.example.test", "A", 60, "10.0.1.12", "10.0.1.13")},
		providers.Edit{Before: &created[2], After: rrset("txt.example.test", "TXT", 600, "only")},
		providers.Edit{Before: &created[4]},
	)
	want = []providers.RRset{
		*rrset("_sip._tls.example.test", "SRV", 3600, "0 0 443 sip.example.test."),
		*rrset("caa.example.test", "CAA", 300, `0 issue "ca.example.net"`),
		*rrset("example.test", "MX", 300, "10 mail.example.net."),
		*rrset("pool01.example.test", "A", 60, "10.0.1.12", "10.0.1.13"),
		*rrset("pool01.example.test", "AAAA", 300, "2001:db8::11"),
		*rrset("txt.example.test", "TXT", 600, "only"),
	}
	if diff := cmp.Diff(want, rrsets(t, p, zone)); diff != "" {
		t.Fatalf("after update (-want +got):\n%s", diff)
	}

	// Delete everything that was read.
	edits = nil
	for _, s := range rrsets(t, p, zone) {
		edits = append(edits, providers.Edit{Before: &s})
	}
	apply(t, p, edits...)
	if got := rrsets(t, p, zone); len(got) != 0 {
		t.Fatalf("after delete: zone still holds %v", got)
	}
}

func TestGetRecordsTypes(t *testing.T) {
	b, p := startBIND(t)
	dnstest.NSUpdate(t, b, zone,
		"update add www.example.test. 300 A 192.0.2.1",
		"update add _sip._tls.example.test. 300 SRV 0 0 443 sip.example.test.",
		`update add txt.example.test. 300 TXT "a" "b"`,
		"update add odd.example.test. 300 SRV 0 0 443 sip.example.test.",
	)
	recs, err := p.GetRecords(context.Background(), zone)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range recs {
		rr := r.RR()
		got = append(got, fmt.Sprintf("%T %s %s %s", r, rr.Name, rr.Type, rr.Data))
	}
	want := []string{
		"libdns.RR @ SOA localhost. hostmaster.example.test. 2 3600 600 86400 300",
		"libdns.NS @ NS localhost.",
		"libdns.SRV _sip._tls SRV 0 0 443 sip.example.test.",
		"libdns.RR odd SRV 0 0 443 sip.example.test.",
		"libdns.TXT txt TXT ab",
		"libdns.Address www A 192.0.2.1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("GetRecords (-want +got):\n%s", diff)
	}
}

func TestApexNS(t *testing.T) {
	_, p := startBIND(t)
	ns := func(values ...string) *providers.RRset { return rrset("example.test", "NS", 300, values...) }
	apply(t, p, providers.Edit{Before: ns("localhost."), After: ns("localhost.", "ns2.example.net.")})
	ns600 := rrset("example.test", "NS", 600, "ns2.example.net.")
	apply(t, p, providers.Edit{Before: ns("localhost.", "ns2.example.net."), After: ns600})
	sets, err := p.readRRsets(context.Background(), zone)
	if err != nil {
		t.Fatal(err)
	}
	got := providers.Index(sets)[providers.Key{Name: "example.test", Type: "NS"}]
	if diff := cmp.Diff(*ns600, got); diff != "" {
		t.Errorf("apex NS (-want +got):\n%s", diff)
	}
}

func TestConflict(t *testing.T) {
	for _, tc := range []struct {
		name     string
		seed     []string // nsupdate lines before the read
		edit     providers.Edit
		meantime []string // nsupdate lines between the read and the apply
		rcode    string
	}{
		{
			name:     "update after another client changed the values",
			seed:     []string{"update add pool.example.test. 300 A 10.0.0.1"},
			edit:     providers.Edit{Before: rrset("pool.example.test", "A", 300, "10.0.0.1"), After: rrset("pool.example.test", "A", 300, "10.0.0.2")},
			meantime: []string{"update add pool.example.test. 300 A 10.0.0.9"},
			rcode:    "NXRRSET",
		},
		{
			name:     "create after another client created it",
			edit:     providers.Edit{After: rrset("pool.example.test", "A", 300, "10.0.0.2")},
			meantime: []string{"update add pool.example.test. 300 A 10.0.0.9"},
			rcode:    "YXRRSET",
		},
		{
			name:     "delete after another client deleted it",
			seed:     []string{"update add pool.example.test. 300 A 10.0.0.1"},
			edit:     providers.Edit{Before: rrset("pool.example.test", "A", 300, "10.0.0.1")},
			meantime: []string{"update delete pool.example.test. A"},
			rcode:    "NXRRSET",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, p := startBIND(t)
			if tc.seed != nil {
				dnstest.NSUpdate(t, b, zone, tc.seed...)
			}
			dnstest.NSUpdate(t, b, zone, tc.meantime...)
			before := rrsets(t, p, zone)

			// Another edit in the same message, ahead of the stale one:
			// it must not be applied either.
			other := providers.Edit{After: rrset("other.example.test", "A", 300, "10.9.9.9")}
			n, err := p.ApplyEdits(context.Background(), zone, []providers.Edit{other, tc.edit}, providers.ApplyOptions{})
			var conflict *providers.ConflictError
			if !errors.As(err, &conflict) || !errors.Is(err, providers.ErrConflict) {
				t.Fatalf("ApplyEdits error = %v, want a ConflictError", err)
			}
			if n != 0 {
				t.Errorf("applied = %d, want 0", n)
			}
			if conflict.Key != tc.edit.Key() {
				t.Errorf("conflict names %s, want %s", conflict.Key, tc.edit.Key())
			}
			if !strings.Contains(conflict.Detail, tc.rcode) {
				t.Errorf("conflict detail %q does not name RCODE %s", conflict.Detail, tc.rcode)
			}
			if diff := cmp.Diff(before, rrsets(t, p, zone)); diff != "" {
				t.Errorf("zone changed by a refused update (-before +after):\n%s", diff)
			}
		})
	}
}

func TestLargeChangeSetSplits(t *testing.T) {
	_, p := startBIND(t)
	const n = 5000
	edits := make([]providers.Edit, n)
	for i := range edits {
		edits[i] = providers.Edit{After: rrset(fmt.Sprintf("host%04d.example.test", i), "A", 300, fmt.Sprintf("10.%d.%d.1", i/256, i%256))}
	}
	chunks, err := p.plan(zone, edits)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := p.key()
	limit := 65535 - key.size()
	total := 0
	for _, c := range chunks {
		size, _ := packedLen(c.msg)
		if size > limit {
			t.Errorf("message %d-%d packs to %d bytes, more than %d", c.start, c.end, size, limit)
		}
		total += size
	}
	want := (total + limit - 1) / limit
	if got := p.Chunks(zone, edits); got != want || want < 2 {
		t.Fatalf("Chunks = %d, want ceil(%d/%d) = %d (at least 2)", got, total, limit, want)
	}

	var progress []string
	applied, err := p.ApplyEdits(context.Background(), zone, edits, providers.ApplyOptions{
		Progress: func(done, total int) { progress = append(progress, fmt.Sprintf("%d/%d", done, total)) },
	})
	if err != nil || applied != n {
		t.Fatalf("ApplyEdits = %d, %v; want %d, nil", applied, err, n)
	}
	var wantProgress []string
	for i := 1; i <= want; i++ {
		wantProgress = append(wantProgress, fmt.Sprintf("%d/%d", i, want))
	}
	if diff := cmp.Diff(wantProgress, progress); diff != "" {
		t.Errorf("Progress calls (-want +got):\n%s", diff)
	}
	if got := len(rrsets(t, p, zone)); got != n {
		t.Errorf("zone holds %d RRsets, want %d", got, n)
	}
}

func TestWrongSecret(t *testing.T) {
	b, p := startBIND(t)
	p.TSIGSecret = "c2VjcmV0LXRoYXQtaXMtbm90LXRoZS1zZXJ2ZXJzLWtleQ=="
	_, getErr := p.GetRecords(context.Background(), zone)
	_, applyErr := p.ApplyEdits(context.Background(), zone, []providers.Edit{{After: rrset("x.example.test", "A", 300, "192.0.2.1")}}, providers.ApplyOptions{})
	for name, err := range map[string]error{"GetRecords": getErr, "ApplyEdits": applyErr} {
		if err == nil {
			t.Fatalf("%s with a wrong secret succeeded", name)
		}
		msg := err.Error()
		for _, want := range []string{"BADSIG", b.KeyName} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s error %q does not mention %q", name, msg, want)
			}
		}
		for _, secret := range []string{p.TSIGSecret, b.KeySecret} {
			if strings.Contains(msg, secret) {
				t.Errorf("%s error contains the secret: %q", name, msg)
			}
		}
		if errors.Is(err, providers.ErrConflict) {
			t.Errorf("%s error %q is a conflict", name, msg)
		}
	}
	if got := rrsets(t, providerFor(b), zone); len(got) != 0 {
		t.Errorf("update with a wrong secret changed the zone: %v", got)
	}
}

func TestZoneNotServed(t *testing.T) {
	_, p := startBIND(t)
	_, getErr := p.GetRecords(context.Background(), "nope.test.")
	_, applyErr := p.ApplyEdits(context.Background(), "nope.test.", []providers.Edit{{After: rrset("x.nope.test", "A", 300, "192.0.2.1")}}, providers.ApplyOptions{})
	for name, err := range map[string]error{"GetRecords": getErr, "ApplyEdits": applyErr} {
		if !errors.Is(err, providers.ErrZoneNotFound) {
			t.Errorf("%s error = %v, want one wrapping ErrZoneNotFound", name, err)
		} else if !strings.Contains(err.Error(), "NOTAUTH") || !strings.Contains(err.Error(), `"nope.test."`) {
			t.Errorf("%s error %q does not name the zone and the RCODE", name, err)
		}
	}
}

func TestEditOutsideZone(t *testing.T) {
	p := &Provider{Server: "127.0.0.1:1"}
	_, err := p.ApplyEdits(context.Background(), zone, []providers.Edit{{After: rrset("www.example.net", "A", 300, "192.0.2.1")}}, providers.ApplyOptions{})
	if err == nil || !strings.Contains(err.Error(), `"www.example.net" is not in zone`) {
		t.Errorf("error = %v, want one saying the name is outside the zone", err)
	}
}

func TestLibdns(t *testing.T) {
	b, p := startBIND(t)
	ctx := context.Background()
	dnstest.NSUpdate(t, b, zone,
		"update add www.example.test. 300 A 192.0.2.1",
		"update add www.example.test. 300 A 192.0.2.2",
		"update add www.example.test. 300 TXT keep",
		"update add mail.example.test. 300 A 192.0.2.25",
	)
	// SetRecords replaces the (www, A) RRset only.
	if _, err := p.SetRecords(ctx, zone, []libdns.Record{
		libdns.Address{Name: "www", TTL: 600e9, IP: mustAddr("192.0.2.3")},
	}); err != nil {
		t.Fatal(err)
	}
	// AppendRecords adds beside what is there.
	if _, err := p.AppendRecords(ctx, zone, []libdns.Record{
		libdns.Address{Name: "mail", TTL: 300e9, IP: mustAddr("192.0.2.26")},
		libdns.TXT{Name: "new", TTL: 300e9, Text: "hello"},
	}); err != nil {
		t.Fatal(err)
	}
	want := []providers.RRset{
		*rrset("mail.example.test", "A", 300, "192.0.2.25", "192.0.2.26"),
		*rrset("new.example.test", "TXT", 300, "hello"),
		*rrset("www.example.test", "A", 600, "192.0.2.3"),
		*rrset("www.example.test", "TXT", 300, "keep"),
	}
	if diff := cmp.Diff(want, rrsets(t, p, zone)); diff != "" {
		t.Fatalf("after SetRecords and AppendRecords (-want +got):\n%s", diff)
	}

	// DeleteRecords: exact match, wrong TTL (kept), and any-type wildcard.
	deleted, err := p.DeleteRecords(ctx, zone, []libdns.Record{
		libdns.Address{Name: "mail", IP: mustAddr("192.0.2.25")},
		libdns.TXT{Name: "new", TTL: 60e9, Text: "hello"},
		libdns.RR{Name: "www"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range deleted {
		rr := r.RR()
		got = append(got, rr.Name+" "+rr.Type+" "+rr.Data)
	}
	slices.Sort(got)
	if diff := cmp.Diff([]string{"mail A 192.0.2.25", "www A 192.0.2.3", "www TXT keep"}, got); diff != "" {
		t.Errorf("DeleteRecords returned (-want +got):\n%s", diff)
	}
	want = []providers.RRset{
		*rrset("mail.example.test", "A", 300, "192.0.2.26"),
		*rrset("new.example.test", "TXT", 300, "hello"),
	}
	if diff := cmp.Diff(want, rrsets(t, p, zone)); diff != "" {
		t.Fatalf("after DeleteRecords (-want +got):\n%s", diff)
	}
}
