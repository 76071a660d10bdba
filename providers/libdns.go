package providers

import (
	"fmt"
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

// Typed returns rr as the libdns type for its record type
// ([libdns.Address], [libdns.TXT], [libdns.SRV], ...), or rr itself when its
// data does not parse as that type: a record libdns cannot type (an SRV at
// a name without _service._proto labels, say) is still a record of the
// zone, and reading it must not fail.
func Typed(rr libdns.RR) libdns.Record {
	if rec, err := rr.Parse(); err == nil {
		return rec
	}
	return rr
}

// Flatten turns RRsets of zone into libdns records, one per value, each as
// [Typed] returns it, named relative to zone: what GetRecords returns.
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

// Records turns an RRset into libdns typed records with names relative to
// zone, failing on a value libdns cannot type: what a caller builds to
// write with SetRecords or DeleteRecords.
func (s RRset) Records(zone string) ([]libdns.Record, error) {
	out := Flatten(zone, []RRset{s})
	for i, r := range out {
		if rr, ok := r.(libdns.RR); ok {
			if _, err := rr.Parse(); err != nil {
				return nil, fmt.Errorf("record %s %s %q: %w", s.Name, s.Type, s.Values[i], err)
			}
		}
	}
	return out, nil
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
