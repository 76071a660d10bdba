package topology_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/topology"
)

// TestQuorumRule: every row of DOMAIN.md's pool quorum table. Rows 8-9,
// 10-12 and 12-16 count only "the first N" servers in topology order; an
// sfb2019 pool of 12 is in two rows and must satisfy both; Lync Server 2010
// has no pool quorum.
func TestQuorumRule(t *testing.T) {
	table := map[int][]topology.QuorumRule{
		1:  {{Need: 1, Of: 1}},
		2:  {{Need: 1, Of: 2}},
		3:  {{Need: 2, Of: 3}},
		4:  {{Need: 2, Of: 4}},
		5:  {{Need: 3, Of: 5}},
		6:  {{Need: 3, Of: 6}},
		7:  {{Need: 4, Of: 7}},
		8:  {{Need: 4, Of: 7}},
		9:  {{Need: 4, Of: 7}},
		10: {{Need: 5, Of: 9}},
		11: {{Need: 5, Of: 9}},
		12: {{Need: 5, Of: 9}},
		13: {{Need: 7, Of: 12}},
		16: {{Need: 7, Of: 12}},
	}
	sfb2019 := map[int][]topology.QuorumRule{}
	for n, rules := range table {
		sfb2019[n] = rules
	}
	sfb2019[12] = []topology.QuorumRule{{Need: 5, Of: 9}, {Need: 7, Of: 12}}
	for _, tc := range []struct {
		product topology.Product
		want    map[int][]topology.QuorumRule
	}{
		{topology.ProductLync2013, table},
		{topology.ProductSfB2015, table},
		{topology.ProductSfB2019, sfb2019},
		{topology.ProductLync2010, map[int][]topology.QuorumRule{1: nil, 2: nil, 3: nil, 10: nil, 12: nil}},
	} {
		for n, rules := range tc.want {
			t.Run(fmt.Sprintf("%s/%d servers", tc.product, n), func(t *testing.T) {
				if diff := cmp.Diff(rules, topology.QuorumRules(tc.product, n)); diff != "" {
					t.Errorf("rules (-want +got):\n%s", diff)
				}
				ok, active, got := topology.QuorumCheck(tc.product, repeat(topology.StateActive, n))
				var last topology.QuorumRule
				if len(rules) > 0 {
					last = rules[len(rules)-1]
				}
				if !ok || active != last.Of || got != last {
					t.Errorf("all active: ok=%v active=%d rule=%v, want true %d %v", ok, active, got, last.Of, last)
				}
			})
		}
	}
}

func TestQuorumCheck(t *testing.T) {
	a, d, o := topology.StateActive, topology.StateDraining, topology.StateOffline
	for _, tc := range []struct {
		name    string
		product topology.Product
		states  []topology.State
		ok      bool
		active  int
		rule    topology.QuorumRule
	}{
		{"empty pool", topology.ProductSfB2015, nil, true, 0, topology.QuorumRule{}},
		{"one draining", topology.ProductSfB2015, []topology.State{d}, false, 0, topology.QuorumRule{Need: 1, Of: 1}},
		{"8: first 4 draining, last 4 active", topology.ProductSfB2015, join(repeat(d, 4), repeat(a, 4)), false, 3, topology.QuorumRule{Need: 4, Of: 7}},
		{"8: last server does not count", topology.ProductSfB2015, join(repeat(a, 3), repeat(d, 4), repeat(a, 1)), false, 3, topology.QuorumRule{Need: 4, Of: 7}},
		{"10: 5 of the first 9 active", topology.ProductSfB2015, []topology.State{a, d, a, o, a, d, a, d, a, d}, true, 5, topology.QuorumRule{Need: 5, Of: 9}},
		{"10: 4 of the first 9, the 10th active", topology.ProductSfB2015, []topology.State{a, d, a, o, a, d, a, d, d, a}, false, 4, topology.QuorumRule{Need: 5, Of: 9}},
		{"16: 7 of the first 12", topology.ProductSfB2019, join(repeat(d, 5), repeat(a, 7), repeat(o, 4)), true, 7, topology.QuorumRule{Need: 7, Of: 12}},
		{"16: 6 of the first 12, 4 more after", topology.ProductSfB2019, join(repeat(d, 6), repeat(a, 10)), false, 6, topology.QuorumRule{Need: 7, Of: 12}},
		// issue 9 item 11: servers 1-4, 10 and 11 draining leave 5 of the
		// first 9 but only 6 of the first 12.
		{"sfb2019 12: 5 of the first 9, 6 of the first 12", topology.ProductSfB2019, join(repeat(d, 4), repeat(a, 5), repeat(d, 2), repeat(a, 1)), false, 6, topology.QuorumRule{Need: 7, Of: 12}},
		{"sfb2015 12: the same states keep quorum", topology.ProductSfB2015, join(repeat(d, 4), repeat(a, 5), repeat(d, 2), repeat(a, 1)), true, 5, topology.QuorumRule{Need: 5, Of: 9}},
		{"sfb2019 12: 4 of the first 9, 8 of the first 12", topology.ProductSfB2019, join(repeat(d, 5), repeat(a, 7)), false, 4, topology.QuorumRule{Need: 5, Of: 9}},
		{"sfb2019 12: both rows hold", topology.ProductSfB2019, join(repeat(d, 3), repeat(a, 9)), true, 9, topology.QuorumRule{Need: 7, Of: 12}},
		{"lync2010: no pool quorum", topology.ProductLync2010, join(repeat(d, 9), repeat(a, 1)), true, 0, topology.QuorumRule{}},
		{"lync2010: none active", topology.ProductLync2010, repeat(o, 3), true, 0, topology.QuorumRule{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, active, rule := topology.QuorumCheck(tc.product, tc.states)
			if ok != tc.ok || active != tc.active || rule != tc.rule {
				t.Errorf("QuorumCheck = %v, %d active, %v; want %v, %d, %v", ok, active, rule, tc.ok, tc.active, tc.rule)
			}
		})
	}
}
