package topology

import (
	"strconv"
	"strings"
)

// QuorumRule is one pool-quorum row of the Lync 2013 / Skype for Business
// table: of the first Of servers (topology order), at least Need must run.
type QuorumRule struct {
	Need int
	Of   int
}

// QuorumRules returns the rows a Front End pool of n servers of product
// must satisfy, all of them at once. Draining and offline servers count in
// n; only active ones count toward Need.
//
// The table is Windows Fabric's, from Lync Server 2013 on: a Lync Server
// 2010 pool has no pool quorum, so it gets none. A Skype for Business 2019
// pool of 12 servers falls in two rows (10-12: 5 of the first 9; 12-16: 7
// of the first 12) and must satisfy both.
func QuorumRules(product Product, n int) []QuorumRule {
	switch {
	case product == ProductLync2010:
		return nil
	case n <= 1:
		return []QuorumRule{{Need: n, Of: n}}
	case n == 2:
		return []QuorumRule{{Need: 1, Of: 2}}
	case n <= 4:
		return []QuorumRule{{Need: 2, Of: n}}
	case n <= 6:
		return []QuorumRule{{Need: 3, Of: n}}
	case n <= 9: // 7: any 4; 8-9: any 4 of the first 7
		return []QuorumRule{{Need: 4, Of: 7}}
	case n == 12 && product == ProductSfB2019:
		return []QuorumRule{{Need: 5, Of: 9}, {Need: 7, Of: 12}}
	case n <= 12:
		return []QuorumRule{{Need: 5, Of: 9}}
	default:
		return []QuorumRule{{Need: 7, Of: 12}}
	}
}

// quorumText describes the rules for a pool of n servers in the user's
// terms, for messages: "2 of its 3 servers", "5 of its first 9 servers
// (topology order)", "5 of its first 9 servers and 7 of its first 12
// servers (topology order)".
func quorumText(product Product, n int) string {
	var parts []string
	first := false
	rules := QuorumRules(product, n)
	for _, q := range rules {
		if q.Of == n && len(rules) == 1 {
			parts = append(parts, strconv.Itoa(q.Need)+" of its "+strconv.Itoa(n)+" servers")
		} else {
			first = true
			parts = append(parts, strconv.Itoa(q.Need)+" of its first "+strconv.Itoa(q.Of)+" servers")
		}
	}
	s := strings.Join(parts, " and ")
	if first {
		s += " (topology order)"
	}
	return s
}

// QuorumCheck reports whether a Front End pool of product whose servers
// have the given states (topology order) keeps quorum. When it does not,
// rule is the first row broken and active the number of active servers
// among its first rule.Of; when it does, they are those of the last row
// (nothing for a pool without pool quorum: Lync Server 2010).
func QuorumCheck(product Product, statesInOrder []State) (ok bool, active int, rule QuorumRule) {
	ok = true
	for _, q := range QuorumRules(product, len(statesInOrder)) {
		n := 0
		for i := 0; i < q.Of && i < len(statesInOrder); i++ {
			if statesInOrder[i] == StateActive {
				n++
			}
		}
		active, rule = n, q
		if n < q.Need {
			return false, active, rule
		}
	}
	return ok, active, rule
}
