package topology

import "strconv"

// QuorumRule is the pool-quorum row of the Lync 2013 / Skype for Business
// table: of the first Of servers (topology order), at least Need must run.
type QuorumRule struct {
	Need int
	Of   int
}

// quorum returns the rule for a Front End pool of n servers. Draining and
// offline servers count in n; only active ones count toward Need.
func quorum(n int) QuorumRule {
	switch {
	case n <= 1:
		return QuorumRule{Need: n, Of: n}
	case n == 2:
		return QuorumRule{Need: 1, Of: 2}
	case n <= 4:
		return QuorumRule{Need: 2, Of: n}
	case n <= 6:
		return QuorumRule{Need: 3, Of: n}
	case n <= 9: // 7: any 4; 8-9: any 4 of the first 7
		return QuorumRule{Need: 4, Of: 7}
	case n <= 12:
		return QuorumRule{Need: 5, Of: 9}
	default:
		return QuorumRule{Need: 7, Of: 12}
	}
}

// quorumText describes the rule for a pool of n servers in the user's terms,
// for messages: "any 2 of 3" or "any 5 of the first 9".
func quorumText(n int) string {
	q := quorum(n)
	if q.Of == n {
		return strconv.Itoa(q.Need) + " of its " + strconv.Itoa(n) + " servers"
	}
	return strconv.Itoa(q.Need) + " of its first " + strconv.Itoa(q.Of) + " servers (topology order)"
}

// QuorumCheck reports whether a pool whose servers have the given states
// (topology order) keeps quorum, and how many of the counted ones are active.
func QuorumCheck(statesInOrder []State) (ok bool, active int, rule QuorumRule) {
	n := len(statesInOrder)
	rule = quorum(n)
	for i := 0; i < rule.Of && i < n; i++ {
		if statesInOrder[i] == StateActive {
			active++
		}
	}
	return active >= rule.Need, active, rule
}
