package providers

import (
	"cmp"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/libdns/libdns"
)

// RRset is the records sharing one name and type: the unit topo plans,
// diffs and writes.
type RRset struct {
	// Name is absolute, lowercase and without the trailing dot:
	// "pool01.contoso.com".
	Name string `json:"name"`
	// Type is the upper-case record type: "A", "AAAA", "TXT", "SRV", ...
	Type string `json:"type"`
	// TTL in seconds.
	TTL uint32 `json:"ttl"`
	// Values hold each record's data as libdns's RR.Data does (unescaped
	// presentation form: "10.0.1.11", TXT text without quotes), sorted and
	// without duplicates.
	Values []string `json:"values"`
}

// Key identifies an RRset within a zone.
type Key struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// String prints "name TYPE".
func (k Key) String() string { return k.Name + " " + k.Type }

// Key returns the RRset's (name, type).
func (s RRset) Key() Key { return Key{Name: s.Name, Type: s.Type} }

// Equal reports whether two RRsets hold the same name, type, TTL and values.
func (s RRset) Equal(o RRset) bool {
	return s.Name == o.Name && s.Type == o.Type && s.TTL == o.TTL && slices.Equal(s.Values, o.Values)
}

// CompareKeys orders keys by name then type, the order plans print in.
func CompareKeys(a, b Key) int {
	if c := cmp.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return cmp.Compare(a.Type, b.Type)
}

// Normalize sorts and de-duplicates the values, lowercases the name and
// canonicalises addresses, so that equal RRsets compare equal.
func (s *RRset) Normalize() {
	s.Name = CanonicalName(s.Name)
	s.Type = strings.ToUpper(s.Type)
	for i, v := range s.Values {
		s.Values[i] = CanonicalData(s.Type, v)
	}
	slices.Sort(s.Values)
	s.Values = slices.Compact(s.Values)
}

// CanonicalName lowercases a domain name and strips its trailing dot.
func CanonicalName(name string) string {
	return strings.TrimSuffix(ASCIILower(name), ".")
}

// CanonicalData puts record data in the one form topo compares: addresses
// as netip prints them, names in SRV/CNAME/NS/MX targets lowercase and fully
// qualified with the trailing dot.
func CanonicalData(typ, data string) string {
	switch typ {
	case "A", "AAAA":
		if a, err := netip.ParseAddr(data); err == nil {
			return a.Unmap().String()
		}
	case "CNAME", "NS":
		return ZoneFQDN(data)
	case "SRV", "MX":
		f := strings.Fields(data)
		if len(f) > 0 {
			f[len(f)-1] = ZoneFQDN(f[len(f)-1])
			return strings.Join(f, " ")
		}
	}
	return data
}

// ZoneFQDN returns a name lowercase and fully qualified with the trailing
// dot: a zone as libdns wants it ("contoso.com."), a target in record data
// as topo compares it.
func ZoneFQDN(name string) string { return CanonicalName(name) + "." }

// GroupRecords turns libdns records of zone into RRsets sorted by key. The
// TTL of an RRset is the lowest of its records' TTLs, as resolvers treat it.
func GroupRecords(zone string, recs []libdns.Record) []RRset {
	idx := make(map[Key]int, len(recs))
	var sets []RRset
	zf := ZoneFQDN(zone)
	for _, r := range recs {
		rr := r.RR()
		name := CanonicalName(libdns.AbsoluteName(rr.Name, zf))
		k := Key{Name: name, Type: strings.ToUpper(rr.Type)}
		ttl := uint32(rr.TTL / time.Second)
		i, ok := idx[k]
		if !ok {
			idx[k] = len(sets)
			sets = append(sets, RRset{Name: k.Name, Type: k.Type, TTL: ttl})
			i = len(sets) - 1
		} else if ttl < sets[i].TTL {
			sets[i].TTL = ttl
		}
		sets[i].Values = append(sets[i].Values, rr.Data)
	}
	for i := range sets {
		sets[i].Normalize()
	}
	SortRRsets(sets)
	return sets
}

// SortRRsets orders RRsets by name then type.
func SortRRsets(sets []RRset) {
	slices.SortFunc(sets, func(a, b RRset) int { return CompareKeys(a.Key(), b.Key()) })
}

// Clone returns a deep copy.
func (s RRset) Clone() RRset {
	s.Values = slices.Clone(s.Values)
	return s
}

// ASCIILower lowercases A-Z only: DNS names compare case-insensitively in
// ASCII (RFC 4343), and other bytes must stay exactly as they are.
func ASCIILower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
