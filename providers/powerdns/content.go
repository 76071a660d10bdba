package powerdns

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

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
		return quoteTXT(data), nil
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
		return unquoteTXT(content)
	}
	return content
}

// txtStringMax is the longest character-string of a TXT record (RFC 1035
// 3.3.14); longer text is written as several strings, which read back as one.
const txtStringMax = 255

// quoteTXT writes text as quoted character-strings of at most 255 bytes,
// escaping '"' and '\' with a backslash and bytes outside printable ASCII
// as \DDD, so any byte string survives JSON and PowerDNS's parser.
func quoteTXT(text string) string {
	var b strings.Builder
	b.Grow(len(text) + 2)
	for first := true; first || text != ""; first = false {
		n := min(len(text), txtStringMax)
		if !first {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		for i := 0; i < n; i++ {
			switch c := text[i]; {
			case c == '"' || c == '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case c < 0x20 || c >= 0x7f:
				fmt.Fprintf(&b, "\\%03d", c)
			default:
				b.WriteByte(c)
			}
		}
		b.WriteByte('"')
		text = text[n:]
	}
	return b.String()
}

// unquoteTXT reads TXT presentation data (one or more character-strings,
// quoted or not, with \X and \DDD escapes) and joins the strings into one
// text, as libdns wants it. Malformed data is returned as it is.
func unquoteTXT(s string) string {
	var out strings.Builder
	i := 0
	for i < len(s) {
		if s[i] == ' ' || s[i] == '\t' {
			i++
			continue
		}
		quoted := s[i] == '"'
		if quoted {
			i++
		}
		for {
			if i >= len(s) {
				if quoted {
					return s // unterminated string
				}
				break
			}
			c := s[i]
			if quoted && c == '"' {
				i++
				break
			}
			if !quoted && (c == ' ' || c == '\t') {
				break
			}
			if c == '\\' && i+1 < len(s) {
				if i+3 < len(s) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) {
					v, _ := strconv.Atoi(s[i+1 : i+4])
					if v > 255 {
						return s
					}
					out.WriteByte(byte(v))
					i += 4
					continue
				}
				out.WriteByte(s[i+1])
				i += 2
				continue
			}
			out.WriteByte(c)
			i++
		}
	}
	return out.String()
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
