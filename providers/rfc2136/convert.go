package rfc2136

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
)

// toRR builds the wire record for one value of an RRset. name is fully
// qualified; data is in libdns's unescaped RR.Data form. Names inside data
// without a trailing dot are taken as fully qualified, as
// providers.CanonicalData does.
func toRR(name, typ string, ttl uint32, data string) (dns.RR, error) {
	hdr := dns.RR_Header{Name: dns.Fqdn(name), Class: dns.ClassINET, Ttl: ttl}
	var ok bool
	if hdr.Rrtype, ok = dns.StringToType[typ]; !ok {
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
		return &dns.TXT{Hdr: hdr, Txt: providers.TXTStrings(data)}, nil
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

// fromRR turns a wire record of zone (fully qualified) into the libdns
// record for its type, with its name relative to the zone, lowercase.
func fromRR(zone string, rr dns.RR) libdns.Record {
	h := rr.Header()
	out := libdns.RR{
		Name: libdns.RelativeName(strings.ToLower(h.Name), zone),
		TTL:  time.Duration(h.Ttl) * time.Second,
		Type: dns.Type(h.Rrtype).String(),
		Data: rdata(rr),
	}
	if out.Name == "" {
		out.Name = "@"
	}
	rec, err := out.Parse()
	if err != nil {
		// A record libdns cannot type (an SRV at a name without
		// _service._proto labels, say) is still a record of the zone.
		return out
	}
	return rec
}

// rdata prints a record's data in libdns's unescaped RR.Data form.
func rdata(rr dns.RR) string {
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
		var b strings.Builder
		for _, s := range v.Txt {
			b.WriteString(providers.UnescapeTXT(s))
		}
		return b.String()
	}
	return strings.TrimPrefix(rr.String(), rr.Header().String())
}
