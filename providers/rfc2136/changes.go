package rfc2136

import (
	"fmt"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
)

// editChange turns an RRset edit into its prerequisites and updates:
//
//   - Before nil: "RRset does not exist" (name and type, class NONE);
//     then add After's records.
//   - Before set: "RRset exists (value dependent)", Before's exact records
//     with class IN and TTL 0; then delete the RRset (class ANY) and add
//     After's records, if any.
//
// At the zone apex the server ignores an RRset delete of NS (RFC 2136
// section 3.4.2.3), so there the records leaving the set are deleted one
// by one instead.
func editChange(zone string, e providers.Edit) (change, error) {
	k := e.Key()
	c := change{key: k}
	if e.Before == nil && e.After == nil {
		return c, fmt.Errorf("edit has neither a before nor an after RRset")
	}
	if e.Before != nil && e.After != nil && e.Before.Key() != e.After.Key() {
		return c, fmt.Errorf("edit changes %s into %s: an edit keeps its name and type", e.Before.Key(), e.After.Key())
	}
	name, err := ownerName(zone, k.Name)
	if err != nil {
		return c, err
	}
	rrtype, ok := providers.DNSType(k.Type)
	if !ok {
		return c, fmt.Errorf("%s: unknown record type %q", k, k.Type)
	}
	var before, after []dns.RR
	if e.Before != nil {
		if before, err = e.Before.DNSRRs(); err != nil {
			return c, err
		}
	}
	if e.After != nil {
		if after, err = e.After.DNSRRs(); err != nil {
			return c, err
		}
	}

	if e.Before == nil {
		c.prereq = []dns.RR{&dns.ANY{Hdr: dns.RR_Header{Name: name, Rrtype: rrtype, Class: dns.ClassNONE}}}
	} else {
		for _, rr := range before {
			p := dns.Copy(rr)
			p.Header().Ttl = 0
			c.prereq = append(c.prereq, p)
		}
		c.update = append(c.update, deletes(zone, name, rrtype, before, after)...)
	}
	c.update = append(c.update, after...)
	c.measure()
	return c, nil
}

// setChange replaces an RRset whatever it holds, without prerequisite:
// SetRecords. current is what the apex NS RRset holds, needed to replace
// it.
func setChange(zone string, s providers.RRset, current []dns.RR) (change, error) {
	c := change{key: s.Key()}
	name, err := ownerName(zone, s.Name)
	if err != nil {
		return c, err
	}
	after, err := s.DNSRRs()
	if err != nil {
		return c, err
	}
	rrtype, ok := providers.DNSType(s.Type)
	if !ok {
		return c, fmt.Errorf("%s: unknown record type %q", s.Key(), s.Type)
	}
	c.update = append(deletes(zone, name, rrtype, current, after), after...)
	c.measure()
	return c, nil
}

// deletes empties an RRset before its new records are added.
func deletes(zone, name string, rrtype uint16, before, after []dns.RR) []dns.RR {
	if !(rrtype == dns.TypeNS && strings.EqualFold(name, zone)) {
		return []dns.RR{&dns.ANY{Hdr: dns.RR_Header{Name: name, Rrtype: rrtype, Class: dns.ClassANY}}}
	}
	var out []dns.RR
	for _, rr := range before {
		if slices.ContainsFunc(after, func(a dns.RR) bool { return dns.IsDuplicate(a, rr) }) {
			continue
		}
		d := dns.Copy(rr)
		d.Header().Class, d.Header().Ttl = dns.ClassNONE, 0
		out = append(out, d)
	}
	return out
}

// ownerName qualifies an RRset name ("www.contoso.com") and checks it lies
// in zone ("contoso.com.").
func ownerName(zone, name string) (string, error) {
	fq := providers.ZoneFQDN(name)
	if _, ok := dns.IsDomainName(fq); !ok {
		return "", fmt.Errorf("%q is not a valid domain name", name)
	}
	if !dns.IsSubDomain(zone, fq) {
		return "", fmt.Errorf("%q is not in zone %q", name, zone)
	}
	return fq, nil
}
