package powerdns

import (
	"fmt"
	"net/netip"

	"github.com/topo-dns/topo/providers"
)

// content turns record data as libdns holds it (RR.Data: unescaped, TXT
// without quotes) into the presentation format the PowerDNS API wants and
// checks: TXT quoted and escaped, names fully qualified with the trailing
// dot, addresses in canonical form. PowerDNS refuses content that is not in
// the form it would print itself ("Not in expected format").
func content(typ, data string) (string, error) {
	switch typ {
	case "TXT":
		return providers.QuoteTXT(data), nil
	case "A", "AAAA":
		a, err := netip.ParseAddr(data)
		if err != nil {
			return "", fmt.Errorf("%s record %q: not an IP address", typ, data)
		}
		a = a.Unmap()
		if a.Is4() != (typ == "A") || a.Zone() != "" {
			return "", fmt.Errorf("%s record %q: not an IPv%s address", typ, data, map[bool]string{true: "4", false: "6"}[typ == "A"])
		}
		return a.String(), nil
	case "PTR", "DNAME":
		return providers.CanonicalData("CNAME", data), nil
	}
	return providers.CanonicalData(typ, data), nil
}

// data is the inverse of content: it turns what PowerDNS returns into
// libdns's RR.Data form.
func data(typ, content string) string {
	if typ == "TXT" {
		return providers.UnquoteTXT(content)
	}
	return content
}
