package topology

import (
	"fmt"
	"strings"
)

// checkFQDN returns why name is not a fully qualified domain name Lync and
// Skype for Business accept, or "" when it is: letters, digits and hyphens
// in labels of at most 63 characters, labels separated by dots, at most 253
// characters, at least two labels. A trailing dot is allowed.
func checkFQDN(name string) string {
	return checkDomain(name, 2, false)
}

// checkZoneName returns why name is not a zone name topo can publish: a
// domain name of at least one label, whose labels may also start with an
// underscore (a pin-point zone such as _sipinternaltls._tcp.contoso.com).
func checkZoneName(name string) string {
	return checkDomain(name, 1, true)
}

// checkDomain is checkFQDN with a minimum number of labels, and
// underscores allowed where a service label has one: as a label's first
// character.
func checkDomain(name string, minLabels int, underscores bool) string {
	n := strings.TrimSuffix(name, ".")
	if n == "" {
		return "it is empty"
	}
	if len(n) > 253 {
		return fmt.Sprintf("it is %d characters long; a domain name has at most 253", len(n))
	}
	labels := 0
	start := 0
	for i := 0; i <= len(n); i++ {
		if i < len(n) && n[i] != '.' {
			c := n[i]
			switch {
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-':
			case c == '_' && underscores && i == start:
			case c == '_':
				return fmt.Sprintf("it contains an underscore (position %d); Lync and Skype for Business accept only letters, digits and hyphens", i+1)
			case c >= 0x80:
				return "it contains a non-ASCII character; Lync and Skype for Business accept only letters, digits and hyphens"
			default:
				return fmt.Sprintf("it contains %q (position %d); only letters, digits, hyphens and dots between labels are allowed", c, i+1)
			}
			continue
		}
		label := n[start:i]
		switch {
		case label == "":
			return "it has an empty label (two dots in a row, or a leading dot)"
		case len(label) > 63:
			return fmt.Sprintf("its label %q is %d characters long; a label has at most 63", label[:20]+"...", len(label))
		case label[0] == '-' || label[len(label)-1] == '-':
			return fmt.Sprintf("its label %q starts or ends with a hyphen", label)
		}
		labels++
		start = i + 1
	}
	if labels < minLabels {
		return "it is a single-label name; Lync and Skype for Business need a fully qualified name such as pool01.contoso.com"
	}
	return ""
}

// fold returns the canonical form names are compared in.
func fold(name string) string {
	return strings.TrimSuffix(strings.ToLower(name), ".")
}
