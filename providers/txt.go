package providers

import (
	"strings"
)

// TXT data travels in three forms: libdns's unescaped text (RRset values),
// miekg/dns's character-strings (escaped, without quotes), and master file
// presentation (quoted, escaped strings separated by spaces, as PowerDNS
// speaks it). These helpers convert between them for every provider.

// txtStringMax is the longest character-string of a TXT record (RFC 1035
// 3.3.14); longer text is written as several strings, which read back as
// one.
const txtStringMax = 255

// TXTStrings cuts text into character-strings of at most 255 bytes, each
// escaped as miekg/dns keeps them.
func TXTStrings(text string) []string {
	if text == "" {
		return []string{""}
	}
	var out []string
	for len(text) > 0 {
		n := min(len(text), txtStringMax)
		out = append(out, EscapeTXT(text[:n]))
		text = text[n:]
	}
	return out
}

// QuoteTXT writes text in presentation form: quoted character-strings of at
// most 255 bytes, separated by spaces.
func QuoteTXT(text string) string {
	return `"` + strings.Join(TXTStrings(text), `" "`) + `"`
}

// EscapeTXT escapes one character-string: '"' and '\' with a backslash,
// bytes outside printable ASCII as \DDD, so any byte string survives.
func EscapeTXT(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < ' ' || c > '~':
			b.WriteByte('\\')
			b.WriteByte('0' + c/100)
			b.WriteByte('0' + c/10%10)
			b.WriteByte('0' + c%10)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// UnescapeTXT undoes EscapeTXT: \DDD is the byte DDD, \X is X. An
// out-of-range \DDD (above 255, which RFC 1035 does not allow) wraps to a
// byte, as miekg/dns reads and prints it, so a record read from a zone file
// and written back stays the same.
func UnescapeTXT(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		if i+4 <= len(s) && isDigit(s[i+1]) && isDigit(s[i+2]) && isDigit(s[i+3]) {
			b.WriteByte(byte(int(s[i+1]-'0')*100 + int(s[i+2]-'0')*10 + int(s[i+3]-'0')))
			i += 3
			continue
		}
		b.WriteByte(s[i+1])
		i++
	}
	return b.String()
}

// UnquoteTXT reads TXT presentation data (one or more character-strings,
// quoted or not, with \X and \DDD escapes) and joins the strings into one
// text, as libdns wants it. Malformed data is returned as it is.
func UnquoteTXT(s string) string {
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
					v, ok := ddd(s, i+1)
					if !ok {
						return s
					}
					out.WriteByte(v)
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

// ddd reads the three decimal digits at s[i:i+3] as a byte value.
func ddd(s string, i int) (byte, bool) {
	if i+3 > len(s) || !isDigit(s[i]) || !isDigit(s[i+1]) || !isDigit(s[i+2]) {
		return 0, false
	}
	v := int(s[i]-'0')*100 + int(s[i+1]-'0')*10 + int(s[i+2]-'0')
	if v > 255 {
		return 0, false
	}
	return byte(v), true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
