package zonefile

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
)

// The provider is the last line of defence of a zone file: whatever the
// plan says and whatever the ownership mode, ApplyEdits (the one path
// topo publishes through) refuses to touch the records a zone needs to be
// served (below), and no call writes a zone that would not load where the
// zone it read did.

// ErrProtected is wrapped by errors refusing an edit of a record topo
// never changes: the apex SOA and NS, delegations and everything at or
// below them (glue included), the addresses of the zone's name servers,
// DNSSEC records.
var ErrProtected = errors.New("topo never changes this record")

// ErrWouldNotLoad is wrapped by errors refusing an edit after which the
// zone would not load (BIND's named-checkzone would refuse it).
var ErrWouldNotLoad = errors.New("the zone would not load")

// ProtectedError names the record an edit would have changed.
type ProtectedError struct {
	Key    providers.Key
	Reason string
}

func (e *ProtectedError) Error() string {
	return fmt.Sprintf("refusing to change %s %s: %s; topo never changes it, whatever the zone's ownership mode", e.Key.Name, e.Key.Type, e.Reason)
}

// Unwrap makes errors.Is(err, ErrProtected) true.
func (e *ProtectedError) Unwrap() error { return ErrProtected }

// LoadError lists what would keep the edited zone from loading.
type LoadError struct {
	Problems []string
}

func (e *LoadError) Error() string {
	return "refusing to write a zone that would not load: " + strings.Join(e.Problems, "; ") + "; nothing was written"
}

// Unwrap makes errors.Is(err, ErrWouldNotLoad) true.
func (e *LoadError) Unwrap() error { return ErrWouldNotLoad }

// dnssecTypes are signatures, keys and denial-of-existence records: a
// change would break the zone's signatures or its chain of trust.
var dnssecTypes = map[string]bool{
	"RRSIG": true, "NSEC": true, "NSEC3": true, "NSEC3PARAM": true, "DNSKEY": true, "DS": true,
	"CDS": true, "CDNSKEY": true, "KEY": true, "SIG": true, "NXT": true, "DLV": true, "TA": true, "ZONEMD": true,
}

// facts are what the checks need to know of a zone's RRsets.
type facts struct {
	apex string
	// delegations are the names below the apex with NS records.
	delegations map[string]bool
	// nsTargets maps each in-zone NS target to an NS owner naming it.
	nsTargets map[string]string
	// types lists the types at each name with a CNAME checked and at
	// each NS target.
	types map[string][]string
	// names are the names checked; nil: all.
	names map[string]bool
	idx   map[providers.Key]providers.RRset
}

// factsOf gathers what the checks of names (nil: every name) need.
// Problems at other names cannot change while no NS record does: an edit
// that changes one checks every name.
func factsOf(origin string, idx map[providers.Key]providers.RRset, names map[string]bool) *facts {
	f := &facts{
		apex:        providers.CanonicalName(origin),
		delegations: map[string]bool{},
		nsTargets:   map[string]string{},
		types:       map[string][]string{},
		names:       names,
		idx:         idx,
	}
	for k, s := range idx {
		if k.Type != "NS" {
			continue
		}
		if k.Name != f.apex {
			f.delegations[k.Name] = true
		}
		for _, v := range s.Values {
			t := providers.CanonicalName(v)
			if dns.IsSubDomain(f.apex+".", t+".") {
				if _, seen := f.nsTargets[t]; !seen || k.Name == f.apex {
					f.nsTargets[t] = k.Name
				}
			}
		}
	}
	// Types matter beside a CNAME and at a name server's name.
	want := map[string]bool{}
	for k := range idx {
		if k.Type == "CNAME" && (names == nil || names[k.Name]) {
			want[k.Name] = true
		}
	}
	for t := range f.nsTargets {
		want[t] = true
	}
	if len(want) > 0 {
		for k := range idx {
			if want[k.Name] {
				f.types[k.Name] = append(f.types[k.Name], k.Type)
			}
		}
	}
	for _, ts := range f.types {
		slices.Sort(ts)
	}
	return f
}

// delegation returns the delegation point at or above name, or "".
func (f *facts) delegation(name string) string {
	if len(f.delegations) == 0 {
		return ""
	}
	for n := name; n != f.apex && n != ""; n = parent(n) {
		if f.delegations[n] {
			return n
		}
	}
	return ""
}

// parent strips a name's first label ("" past the last one).
func parent(name string) string {
	for i := 0; i < len(name); i++ {
		switch name[i] {
		case '\\':
			i++
		case '.':
			return name[i+1:]
		}
	}
	return ""
}

// protected says why topo must never change the RRset k, or "".
func (f *facts) protected(k providers.Key) string {
	switch {
	case k.Type == "SOA":
		return "it is the zone's SOA record"
	case dnssecTypes[k.Type]:
		return "it is a DNSSEC record"
	case k.Type == "NS" && k.Name == f.apex:
		return "it names the zone's name servers"
	case k.Type == "NS":
		return "it is a delegation"
	}
	if d := f.delegation(k.Name); d != "" {
		if d == k.Name {
			return fmt.Sprintf("it is at the delegation point %s", d)
		}
		return fmt.Sprintf("it is below the delegation %s (glue, or data the delegation hides)", d)
	}
	if k.Type == "A" || k.Type == "AAAA" {
		if owner, ok := f.nsTargets[k.Name]; ok {
			return fmt.Sprintf("it is the address of the name server %s (NS of %s)", k.Name, owner)
		}
	}
	return ""
}

// problems lists what would keep a zone from loading, as BIND checks it:
// in-zone NS targets without an address, a CNAME beside other data,
// records at or below a delegation that are not NS, DS or glue.
func (f *facts) problems() []string {
	var out []string
	if f.names == nil || f.names[f.apex] {
		if _, ok := f.idx[providers.Key{Name: f.apex, Type: "NS"}]; !ok {
			out = append(out, fmt.Sprintf("the zone %s has no NS record", f.apex))
		}
	}
	for k, s := range f.idx {
		if k.Type != "NS" && f.names != nil && !f.names[k.Name] {
			continue
		}
		switch k.Type {
		case "NS":
			for _, v := range s.Values {
				t := providers.CanonicalName(v)
				if !dns.IsSubDomain(f.apex+".", t+".") {
					continue
				}
				if !slices.Contains(f.types[t], "A") && !slices.Contains(f.types[t], "AAAA") {
					out = append(out, fmt.Sprintf("the name server %s (NS of %s) has no address record (A or AAAA)", t, k.Name))
				}
			}
		case "CNAME":
			if len(s.Values) > 1 {
				out = append(out, fmt.Sprintf("%s has more than one CNAME", k.Name))
			}
			var other []string
			for _, t := range f.types[k.Name] {
				switch t {
				case "CNAME", "RRSIG", "NSEC", "KEY":
				default:
					other = append(other, t)
				}
			}
			if len(other) > 0 {
				out = append(out, fmt.Sprintf("%s has a CNAME beside other data (%s)", k.Name, strings.Join(other, ", ")))
			}
		}
		d := f.delegation(k.Name)
		switch {
		case d == "":
		case d == k.Name:
			switch k.Type {
			case "NS", "DS", "RRSIG", "NSEC":
			default:
				out = append(out, fmt.Sprintf("%s %s is at the delegation point %s, beside its NS records", k.Name, k.Type, d))
			}
		default:
			if _, glue := f.nsTargets[k.Name]; !glue || (k.Type != "A" && k.Type != "AAAA") {
				out = append(out, fmt.Sprintf("%s %s is below the delegation %s and is not glue", k.Name, k.Type, d))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// checkLoads refuses an edit whose result has problems the zone it read
// did not have. A zone that was already odd (BIND loads some of these
// with a warning) can still be edited, as long as the edit adds none.
func checkLoads(before, after *facts) error {
	had := map[string]bool{}
	for _, p := range before.problems() {
		had[p] = true
	}
	var added []string
	for _, p := range after.problems() {
		if !had[p] {
			added = append(added, p)
		}
	}
	if len(added) > 0 {
		return &LoadError{Problems: added}
	}
	return nil
}
