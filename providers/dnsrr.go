package providers

import (
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"
)

// The glue between topo's RRsets and miekg/dns records, for the providers
// that speak DNS or master files (rfc2136, zonefile).

// DNSRR builds the miekg/dns record for one value of an RRset. name is
// absolute (the trailing dot optional); data is in libdns's RR.Data form
// (unescaped, TXT text without quotes). Names inside data without a
// trailing dot are taken as fully qualified, as [CanonicalData] does.
func DNSRR(name, typ string, ttl uint32, data string) (dns.RR, error) {
	hdr := dns.RR_Header{Name: dns.Fqdn(name), Class: dns.ClassINET, Ttl: ttl}
	var ok bool
	if hdr.Rrtype, ok = DNSType(typ); !ok {
		return nil, fmt.Errorf("record %s: unknown type %q", name, typ)
	}
	switch typ {
	case "A", "AAAA":
		a, err := netip.ParseAddr(data)
		if err != nil {
			return nil, fmt.Errorf("record %s %s: %q is not an IP address", name, typ, data)
		}
		if typ == "AAAA" {
			b := a.As16()
			return &dns.AAAA{Hdr: hdr, AAAA: net.IP(b[:])}, nil
		}
		if !a.Unmap().Is4() {
			return nil, fmt.Errorf("record %s A: %q is not an IPv4 address", name, data)
		}
		return &dns.A{Hdr: hdr, A: net.IP(a.Unmap().AsSlice())}, nil
	case "TXT":
		return &dns.TXT{Hdr: hdr, Txt: TXTStrings(data)}, nil
	case "CNAME":
		return &dns.CNAME{Hdr: hdr, Target: dns.Fqdn(data)}, nil
	case "NS":
		return &dns.NS{Hdr: hdr, Ns: dns.Fqdn(data)}, nil
	}
	rr, err := dns.NewRR(fmt.Sprintf("%s %d IN %s %s", hdr.Name, ttl, typ, data))
	if err != nil {
		return nil, fmt.Errorf("record %s %s %q: %w", name, typ, data, err)
	}
	if rr == nil {
		return nil, fmt.Errorf("record %s %s: empty data", name, typ)
	}
	return rr, nil
}

// DNSType returns the number of a record type by its name: a mnemonic
// miekg/dns knows ("SVCB") or RFC 3597's TYPEnnn for any other
// ("TYPE65534"), as [DNSKey] names it.
func DNSType(typ string) (uint16, bool) {
	if t, ok := dns.StringToType[typ]; ok {
		return t, true
	}
	if n, ok := strings.CutPrefix(typ, "TYPE"); ok && n != "" && n[0] != '0' && n[0] != '+' {
		if t, err := strconv.ParseUint(n, 10, 16); err == nil {
			return uint16(t), true
		}
	}
	return 0, false
}

// DNSRRs builds the miekg/dns records of an RRset, owned by its name
// (lowercase, fully qualified).
func (s RRset) DNSRRs() ([]dns.RR, error) {
	name := ZoneFQDN(s.Name)
	out := make([]dns.RR, 0, len(s.Values))
	for _, v := range s.Values {
		rr, err := DNSRR(name, s.Type, s.TTL, v)
		if err != nil {
			return nil, err
		}
		out = append(out, rr)
	}
	return out, nil
}

// DNSData returns a miekg/dns record's data in libdns's RR.Data form:
// addresses as netip prints them, TXT strings unescaped and joined, other
// types as miekg/dns prints their data.
func DNSData(rr dns.RR) string {
	switch v := rr.(type) {
	case *dns.A:
		if a, ok := netip.AddrFromSlice(v.A); ok {
			return a.Unmap().String()
		}
	case *dns.AAAA:
		if a, ok := netip.AddrFromSlice(v.AAAA); ok {
			return a.String()
		}
	case *dns.TXT:
		// miekg/dns keeps TXT strings with their presentation escapes
		// (\" \\ \DDD); libdns wants the text itself.
		var b strings.Builder
		for _, s := range v.Txt {
			b.WriteString(UnescapeTXT(s))
		}
		return b.String()
	case *dns.RFC3597:
		// RFC 3597's generic form: miekg/dns prints the header of such a
		// record its own way ("CLASS1 TYPE65300"), not as Header does.
		if v.Rdata == "" {
			return `\# 0`
		}
		return fmt.Sprintf(`\# %d %s`, len(v.Rdata)/2, v.Rdata)
	}
	return strings.TrimSpace(strings.TrimPrefix(rr.String(), rr.Header().String()))
}

// DNSKey returns the (name, type) of a miekg/dns record as an RRset keys
// it.
func DNSKey(rr dns.RR) Key {
	h := rr.Header()
	return Key{Name: CanonicalName(h.Name), Type: dns.Type(h.Rrtype).String()}
}

// FromDNS turns a miekg/dns record of zone into its libdns record, named
// relative to the zone, lowercase, typed as [Typed] does.
func FromDNS(zone string, rr dns.RR) libdns.Record {
	h := rr.Header()
	return Typed(libdns.RR{
		Name: RelativeName(h.Name, zone),
		TTL:  time.Duration(h.Ttl) * time.Second,
		Type: dns.Type(h.Rrtype).String(),
		Data: DNSData(rr),
	})
}
