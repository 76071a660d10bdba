package providertest

import (
	"crypto/ecdh"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
)

// OpaqueKind is one kind of record topo does not own and libdns cannot
// type exactly: a provider must read it without failing, carry it as
// [libdns.RR] with its data as the server holds it, and never change it.
type OpaqueKind struct {
	// Name is the subtest's name: "SVCB", "SRV without _service._proto".
	Name string
	// Set is the RRset seeded, its data in presentation form.
	Set providers.RRset
}

// OpaqueKinds are the records of zone ("example.test") every provider's
// contract runs with: RFC 9460 SVCB and HTTPS records (one with several
// SvcParams, which libdns keeps in a map), NAPTR, SRV records at names
// libdns misreads, a type libdns and miekg/dns do not know (RFC 3597),
// CAA, SSHFP, TLSA, DNSSEC records, and more types of the master file
// format. None is at a name of the topologies the suites plan.
func OpaqueKinds(zone string) []OpaqueKind {
	// A valid ECDSA P-256 public key (DNSSEC algorithm 13): servers that
	// look into a DNSKEY find a point on the curve.
	seed := make([]byte, 32)
	for i := range seed {
		seed[i] = byte(i + 1)
	}
	priv, err := ecdh.P256().NewPrivateKey(seed)
	if err != nil {
		panic(err) // a fixed valid scalar
	}
	b64 := base64.StdEncoding.EncodeToString(priv.PublicKey().Bytes()[1:])
	hex := strings.Repeat("0123456789abcdef", 4)
	kinds := []struct{ name, rel, typ, data string }{
		{"SVCB", "svc", "SVCB", "1 . alpn=h2"},
		{"SVCB alias", "svc-alias", "SVCB", "0 svc." + zone + "."},
		{"HTTPS with several SvcParams", "www", "HTTPS", "1 . alpn=h2,h3 port=8443 ipv4hint=192.0.2.1"},
		{"HTTPS at _port._scheme", "_8443._https.api", "HTTPS", "1 api." + zone + ". alpn=h2"},
		{"NAPTR", "naptr", "NAPTR", `100 10 "S" "SIP+D2T" "" _sip._tcp.` + zone + "."},
		{"SRV without _service._proto", "sipsrv", "SRV", "0 5 5060 sip.example.net."},
		{"SRV at two labels without underscores", "sip.tcp", "SRV", "0 5 5060 sip.example.net."},
		{"type unknown to libdns (RFC 3597)", "unknown", "TYPE65300", `\# 4 0a000001`},
		{"type 65534 (RFC 3597, private use)", "private", "TYPE65534", `\# 4 0a000001`},
		{"CAA", "caa", "CAA", `0 issue "letsencrypt.org"`},
		{"CAA critical iodef", "caa-iodef", "CAA", `128 iodef "mailto:security@example.net"`},
		{"SSHFP", "host", "SSHFP", "4 2 " + hex},
		{"TLSA", "_443._tcp.www", "TLSA", "3 1 1 " + hex},
		// DNSSEC records at the apex, where they live, and a DNSKEY below
		// it, which some servers take only there.
		{"DNSKEY", "@", "DNSKEY", "257 3 13 " + b64},
		{"DNSKEY below the apex", "keys", "DNSKEY", "256 3 13 " + b64},
		{"RRSIG", "@", "RRSIG", "DNSKEY 13 2 600 20300101000000 20240101000000 12345 " + zone + ". " + b64},
		{"LOC", "loc", "LOC", "51 30 12.748 N 0 7 39.611 W 0.00m 1.00m 10000.00m 10.00m"},
		{"HINFO", "hinfo", "HINFO", `"PC" "Linux"`},
		{"DNAME", "dname", "DNAME", "target.example.net."},
		{"URI", "_ftp._tcp.uri", "URI", `10 1 "ftp://ftp.example.net/public"`},
	}
	out := make([]OpaqueKind, len(kinds))
	for i, k := range kinds {
		name := k.rel + "." + zone
		if k.rel == "@" {
			name = zone
		}
		out[i] = OpaqueKind{Name: k.name, Set: providers.RRset{Name: name, Type: k.typ, TTL: 600, Values: []string{k.data}}}
	}
	return out
}

// SupportedKinds splits kinds into those the harness's server stores and,
// for each other one, a skipped subtest saying why.
func SupportedKinds(t *testing.T, h Harness, kinds []OpaqueKind) []OpaqueKind {
	t.Helper()
	var out []OpaqueKind
	for _, k := range kinds {
		if why := h.Unsupported[k.Name]; why != "" {
			t.Run(k.Name, func(t *testing.T) { t.Skip(why) })
			continue
		}
		out = append(out, k)
	}
	return out
}

// RRs returns the records of recs at key, as libdns.RR values, sorted.
func RRs(zone string, recs []libdns.Record, key providers.Key) []libdns.RR {
	zf := providers.ZoneFQDN(zone)
	var out []libdns.RR
	for _, r := range recs {
		rr := r.RR()
		if providers.CanonicalName(libdns.AbsoluteName(rr.Name, zf)) == key.Name && strings.EqualFold(rr.Type, key.Type) {
			out = append(out, rr)
		}
	}
	slices.SortFunc(out, func(a, b libdns.RR) int { return strings.Compare(a.Data, b.Data) })
	return out
}

// RunOpaque runs the contract for records topo does not own, of every kind
// of OpaqueKinds the server stores, on a fresh harness: GetRecords returns
// each as libdns.RR, the same data on every read and every call of RR();
// writes of other RRsets leave them byte for byte as they were; writing a
// record back as GetRecords returned it changes nothing; deleting it as
// GetRecords returned it deletes exactly it. The provider must read whole
// zones (an rfc2136 provider reading by names reads only the types topo
// writes; engine/enginetest's RunOpaque covers it).
func RunOpaque(t *testing.T, newHarness func(t *testing.T) Harness) {
	c := newCheck(t, newHarness)
	kinds := SupportedKinds(t, c.h, OpaqueKinds(c.h.Zone))
	var sets []providers.RRset
	for _, k := range kinds {
		sets = append(sets, k.Set)
		c.tests[providers.RelativeName(k.Set.Name, c.h.Zone)] = true
	}
	c.h.Seed(t, sets)

	before := c.get()
	read := map[string][]libdns.RR{}
	for _, k := range kinds {
		t.Run(k.Name+"/read", func(t *testing.T) {
			got := RRs(c.h.Zone, before, k.Set.Key())
			if len(got) != len(k.Set.Values) {
				t.Fatalf("seeded %s %s %q; GetRecords returned %v. If the server cannot store it, say so (server and version) in Harness.Unsupported", k.Set.Name, k.Set.Type, k.Set.Values, got)
			}
			read[k.Name] = got
			for _, r := range before {
				rr := r.RR()
				if !slices.Contains(got, rr) {
					continue
				}
				if _, ok := r.(libdns.RR); !ok {
					t.Errorf("GetRecords returned %s %s %q as %T, want libdns.RR: providers.Typed types only the types topo writes (and MX, NS), and only when the typed form gives the data back exactly", rr.Name, rr.Type, rr.Data, r)
				}
				for range 8 {
					if again := r.RR(); again != rr {
						t.Fatalf("RR() of the same record changed: %q, then %q", rr.Data, again.Data)
					}
				}
			}
		})
	}
	same := func(step string, recs []libdns.Record) {
		t.Helper()
		for _, k := range kinds {
			want, ok := read[k.Name]
			if !ok {
				continue
			}
			if got := RRs(c.h.Zone, recs, k.Set.Key()); !slices.Equal(want, got) {
				t.Errorf("%s: %s changed:\n  before %v\n  after  %v", step, k.Name, want, got)
			}
		}
	}
	same("a second GetRecords", c.get())

	// Writes of other RRsets, beside and between them.
	around := []providers.RRset{c.set("opaque-a", "A", 300, "10.7.9.1", "10.7.9.2"), c.set("svc", "TXT", 300, "beside the SVCB")}
	var recs []libdns.Record
	for _, s := range around {
		recs = append(recs, c.records(s)...)
	}
	if _, err := c.h.Provider.SetRecords(c.ctx, c.zone, recs); err != nil {
		t.Fatalf("SetRecords beside records topo does not own: %v", err)
	}
	if _, err := c.h.Provider.DeleteRecords(c.ctx, c.zone, []libdns.Record{libdns.RR{Name: "opaque-a", Type: "A", Data: "10.7.9.2"}}); err != nil {
		t.Fatalf("DeleteRecords beside records topo does not own: %v", err)
	}
	same("SetRecords and DeleteRecords of other RRsets", c.get())

	// Written back exactly as read: nothing changes.
	var back []libdns.Record
	for _, k := range kinds {
		for _, rr := range read[k.Name] {
			back = append(back, providers.Typed(rr))
		}
	}
	if len(back) > 0 {
		if _, err := c.h.Provider.SetRecords(c.ctx, c.zone, back); err != nil {
			t.Fatalf("SetRecords of the records as GetRecords returned them: %v", err)
		}
		same("SetRecords of the records as read", c.get())
	}

	// Deleted exactly as read: each goes, nothing else. Last kinds first:
	// deleting a zone's last DNSKEY makes BIND 9.18 drop its RRSIGs too.
	for _, k := range slices.Backward(kinds) {
		rrs, ok := read[k.Name]
		if !ok {
			continue
		}
		del := make([]libdns.Record, len(rrs))
		for i, rr := range rrs {
			del[i] = rr
		}
		got, err := c.h.Provider.DeleteRecords(c.ctx, c.zone, del)
		if err != nil {
			t.Errorf("%s: DeleteRecords as read: %v", k.Name, err)
			continue
		}
		if n := len(RRs(c.h.Zone, got, k.Set.Key())); n != len(rrs) {
			t.Errorf("%s: DeleteRecords as read returned %d of its %d records: %v", k.Name, n, len(rrs), got)
		}
		delete(read, k.Name)
		after := c.get()
		if left := RRs(c.h.Zone, after, k.Set.Key()); len(left) > 0 {
			t.Errorf("%s: DeleteRecords as read left %v", k.Name, left)
		}
		same(fmt.Sprintf("DeleteRecords of %s", k.Name), after)
	}
	c.compare("the seeded records of others", c.seeded, c.only(c.get(), c.seeded))
	c.compare("the records written beside", []providers.RRset{c.set("opaque-a", "A", 300, "10.7.9.1"), around[1]}, c.only(c.get(), around))
}
