package providers

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/libdns/libdns"
)

// The glue between topo's RRsets and libdns's records, written once for
// every provider: flattening RRsets into records, typing one record, and
// matching records for DeleteRecords.

// RelativeName returns an absolute name ("pool01.contoso.com", trailing dot
// optional, any case) relative to zone as libdns names records: lowercase,
// "@" at the apex.
func RelativeName(name, zone string) string {
	return libdns.RelativeName(CanonicalName(name)+".", ZoneFQDN(zone))
}

// typedTypes are the types [Typed] returns as libdns's own types: those
// topo writes (A, AAAA, CNAME, TXT, SRV) and MX and NS, which libdns users
// expect typed. Every other type stays [libdns.RR]: libdns's typed forms of
// them do not keep the presentation data (a ServiceBinding prints its
// SvcParams in map order, a CAA re-quotes its value with Go's rules), and
// records topo does not own must read, compare and write back exactly as
// the server holds them.
var typedTypes = map[string]bool{"A": true, "AAAA": true, "CNAME": true, "TXT": true, "SRV": true, "MX": true, "NS": true}

// Typed returns rr as the libdns type for its record type ([libdns.Address],
// [libdns.TXT], [libdns.SRV], [libdns.CNAME], [libdns.MX], [libdns.NS]) when
// that type gives back exactly rr (name, TTL, type and data byte for byte),
// and rr itself otherwise: a type topo does not write, data libdns cannot
// type or would print differently, an SRV at a name without
// _service._proto labels (libdns would read "sip.pool" as "_sip._pool").
// Such a record is still a record of the zone, carried opaquely; reading it
// never fails.
func Typed(rr libdns.RR) libdns.Record {
	if !typedTypes[rr.Type] {
		return rr
	}
	rec, err := rr.Parse()
	if err != nil || rec.RR() != rr {
		return rr
	}
	return rec
}

// Flatten turns RRsets of zone into libdns records, one per value, each as
// [Typed] returns it, named relative to zone: what GetRecords returns. It
// never fails, whatever the records' types.
func Flatten(zone string, sets []RRset) []libdns.Record {
	n := 0
	for _, s := range sets {
		n += len(s.Values)
	}
	out := make([]libdns.Record, 0, n)
	for _, s := range sets {
		rel := RelativeName(s.Name, zone)
		ttl := time.Duration(s.TTL) * time.Second
		for _, v := range s.Values {
			out = append(out, Typed(libdns.RR{Name: rel, TTL: ttl, Type: s.Type, Data: v}))
		}
	}
	return out
}

// Records turns an RRset into libdns records named relative to zone, as
// [Flatten] does: what a caller builds to write with SetRecords or
// DeleteRecords. A record of a type topo does not write, or one libdns
// cannot type (an SRV at a name without _service._proto), is a
// [libdns.RR] with its data as it is. Records fails only on data malformed
// for a type topo writes: an A that holds no IPv4 address, an SRV that is
// not "priority weight port target".
func (s RRset) Records(zone string) ([]libdns.Record, error) {
	for _, v := range s.Values {
		if err := CheckData(s.Type, v); err != nil {
			return nil, fmt.Errorf("record %s %s %q: %w", s.Name, s.Type, v, err)
		}
	}
	return Flatten(zone, []RRset{s}), nil
}

// CheckData reports whether data (in libdns's RR.Data form) is well formed
// for typ, for the types topo writes (A, AAAA, CNAME, TXT, SRV) and MX and
// NS; data of any other type is not checked.
func CheckData(typ, data string) error {
	switch typ {
	case "A", "AAAA":
		a, err := netip.ParseAddr(data)
		if err != nil {
			return fmt.Errorf("not an IP address")
		}
		if typ == "A" && !a.Unmap().Is4() {
			return fmt.Errorf("not an IPv4 address")
		}
		if typ == "AAAA" && !a.Is6() {
			return fmt.Errorf("not an IPv6 address")
		}
	case "CNAME", "NS":
		if strings.TrimSpace(data) == "" || strings.ContainsAny(data, " \t") {
			return fmt.Errorf("not a domain name")
		}
	case "SRV", "MX":
		f := strings.Fields(data)
		want := map[string]int{"SRV": 4, "MX": 2}[typ]
		if len(f) != want {
			return fmt.Errorf("want %s", map[string]string{"SRV": `"priority weight port target"`, "MX": `"preference exchange"`}[typ])
		}
		for _, n := range f[:want-1] {
			if _, err := strconv.ParseUint(n, 10, 16); err != nil {
				return fmt.Errorf("%q is not a number from 0 to 65535", n)
			}
		}
	}
	return nil
}

// DeleteMatcher matches a zone's records against the records given to
// libdns's DeleteRecords, by its rules ([libdns.RecordDeleter]): a record
// of the zone is deleted when it matches one of them exactly, by name, type,
// TTL and data; an empty type, a zero TTL or empty data matches any. The
// name is always given. Names and types compare without regard to case,
// data in the one form [CanonicalData] gives ("10.0.0.1" matches
// "::ffff:10.0.0.1", "web.contoso.com" matches "Web.Contoso.com.").
//
// The zone's SOA record never matches: no provider deletes it (a server
// refuses to, and a zone without one is no zone).
type DeleteMatcher struct {
	byName map[string][]deletePattern
}

type deletePattern struct {
	typ  string // upper case; "" matches any
	ttl  uint32
	any  bool   // any TTL
	data string // as given; "" matches any
	// canon is data in canonical form for typ, when typ is given.
	canon string
}

// NewDeleteMatcher reads the records given to DeleteRecords(zone, recs).
// A record without a name is an error: libdns wants "@" for the apex, and
// deleting from the apex by mistake is not something to guess.
func NewDeleteMatcher(zone string, recs []libdns.Record) (*DeleteMatcher, error) {
	zf := ZoneFQDN(zone)
	m := &DeleteMatcher{byName: make(map[string][]deletePattern, len(recs))}
	for i, r := range recs {
		rr := r.RR()
		if rr.Name == "" {
			return nil, fmt.Errorf("delete records from zone %q: record %d (%s %q) has no name; the zone's apex is \"@\"", CanonicalName(zone), i+1, rr.Type, rr.Data)
		}
		p := deletePattern{
			typ:  strings.ToUpper(rr.Type),
			ttl:  uint32(rr.TTL / time.Second),
			any:  rr.TTL == 0,
			data: rr.Data,
		}
		if p.typ != "" {
			p.canon = CanonicalData(p.typ, p.data)
		}
		name := CanonicalName(libdns.AbsoluteName(rr.Name, zf))
		m.byName[name] = append(m.byName[name], p)
	}
	return m, nil
}

// Match reports whether the zone's record (name absolute, as in an RRset;
// data as libdns's RR.Data holds it) matches one of the records to delete.
func (m *DeleteMatcher) Match(name, typ string, ttl uint32, data string) bool {
	pats := m.byName[CanonicalName(name)]
	if len(pats) == 0 {
		return false
	}
	typ = strings.ToUpper(typ)
	if typ == "SOA" {
		return false
	}
	canon := ""
	for _, p := range pats {
		switch {
		case p.typ != "" && p.typ != typ,
			!p.any && p.ttl != ttl:
			continue
		case p.data == "":
			return true
		}
		if canon == "" {
			canon = CanonicalData(typ, data)
		}
		want := p.canon
		if p.typ == "" {
			want = CanonicalData(typ, p.data)
		}
		if want == canon {
			return true
		}
	}
	return false
}

// split splits s into the values that stay and those m matches (gone);
// an RRset's values share its TTL.
func (m *DeleteMatcher) split(s RRset) (kept, gone RRset) {
	kept, gone = s, s
	kept.Values, gone.Values = nil, nil
	for _, v := range s.Values {
		if m.Match(s.Name, s.Type, s.TTL, v) {
			gone.Values = append(gone.Values, v)
		} else {
			kept.Values = append(kept.Values, v)
		}
	}
	return kept, gone
}

// Edits returns what deleting the records m matches does to the zone's
// RRsets current, in their order: for each RRset that loses records, the
// edit from it to what is left (After nil when nothing is); and what goes,
// as RRsets, for DeleteRecords to return.
func (m *DeleteMatcher) Edits(current []RRset) (edits []Edit, deleted []RRset) {
	for _, s := range current {
		kept, gone := m.split(s)
		if len(gone.Values) == 0 {
			continue
		}
		e := Edit{Before: &s}
		if len(kept.Values) > 0 {
			e.After = &kept
		}
		edits = append(edits, e)
		deleted = append(deleted, gone)
	}
	return edits, deleted
}
