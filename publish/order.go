package publish

import (
	"cmp"
	"net/netip"
	"strconv"
	"strings"
)

// The orders a plan is listed in, the ones a person reading it expects:
// names by label from the right as in DNS canonical order (RFC 4034
// section 6.1), so that a name's children follow it, addresses by number
// (10.0.0.2 before 10.0.0.10), and numbers within labels and topology
// paths compared as numbers (fe2 before fe10).

// CompareNames orders two domain names (absolute, without the trailing
// dot) as DNS canonical order does, label by label from the right, a name
// before the names below it, except that runs of digits in a label
// compare as numbers: "contoso.com" < "a.contoso.com" < "b.a.contoso.com"
// < "b.contoso.com", "fe2.contoso.com" < "fe10.contoso.com".
func CompareNames(a, b string) int {
	for a != "" || b != "" {
		la, ra := lastLabel(a)
		lb, rb := lastLabel(b)
		switch {
		case a == "":
			return -1
		case b == "":
			return 1
		}
		if c := compareNatural(asciiLower(la), asciiLower(lb)); c != 0 {
			return c
		}
		a, b = ra, rb
	}
	return 0
}

// lastLabel splits the rightmost label off name.
func lastLabel(name string) (label, rest string) {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return name, ""
	}
	return name[i+1:], name[:i]
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.Map(func(r rune) rune {
				if r >= 'A' && r <= 'Z' {
					return r + 'a' - 'A'
				}
				return r
			}, s)
		}
	}
	return s
}

// compareValues orders two values of an RRset of type typ as they are
// shown: addresses by number, SRV and MX data by their numbers, then the
// target in canonical order; anything else, and values that do not parse,
// as text.
func compareValues(typ, a, b string) int {
	switch typ {
	case "A", "AAAA":
		pa, errA := netip.ParseAddr(a)
		pb, errB := netip.ParseAddr(b)
		if errA == nil && errB == nil {
			return pa.Compare(pb)
		}
	case "SRV", "MX":
		fa, fb := strings.Fields(a), strings.Fields(b)
		if len(fa) == len(fb) && len(fa) > 1 {
			for i := range len(fa) - 1 {
				na, errA := strconv.Atoi(fa[i])
				nb, errB := strconv.Atoi(fb[i])
				if errA != nil || errB != nil {
					return strings.Compare(a, b)
				}
				if c := cmp.Compare(na, nb); c != 0 {
					return c
				}
			}
			return CompareNames(strings.TrimSuffix(fa[len(fa)-1], "."), strings.TrimSuffix(fb[len(fb)-1], "."))
		}
	case "CNAME":
		return CompareNames(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
	}
	return strings.Compare(a, b)
}

// compareNatural orders strings with runs of digits compared as numbers:
// "server.fe2" < "server.fe10". Strings equal that way (leading zeros)
// fall back to plain order, so the order is total.
func compareNatural(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if isDigit(ca) && isDigit(cb) {
			si, sj := i, j
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			na := strings.TrimLeft(a[si:i], "0")
			nb := strings.TrimLeft(b[sj:j], "0")
			if c := cmp.Compare(len(na), len(nb)); c != 0 {
				return c
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			continue
		}
		if c := cmp.Compare(ca, cb); c != 0 {
			return c
		}
		i++
		j++
	}
	if c := cmp.Compare(len(a)-i, len(b)-j); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
