package topology_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/topology"
)

// TestQuorumRule: every row of DOMAIN.md's pool quorum table. Rows 8-9,
// 10-12 and 12-16 count only "the first N" servers in topology order.
func TestQuorumRule(t *testing.T) {
	want := map[int]topology.QuorumRule{
		1:  {Need: 1, Of: 1},
		2:  {Need: 1, Of: 2},
		3:  {Need: 2, Of: 3},
		4:  {Need: 2, Of: 4},
		5:  {Need: 3, Of: 5},
		6:  {Need: 3, Of: 6},
		7:  {Need: 4, Of: 7},
		8:  {Need: 4, Of: 7},
		9:  {Need: 4, Of: 7},
		10: {Need: 5, Of: 9},
		11: {Need: 5, Of: 9},
		12: {Need: 5, Of: 9},
		13: {Need: 7, Of: 12},
		16: {Need: 7, Of: 12},
	}
	for n, rule := range want {
		t.Run(fmt.Sprintf("%d servers", n), func(t *testing.T) {
			ok, active, got := topology.QuorumCheck(repeat(topology.StateActive, n))
			if diff := cmp.Diff(rule, got); diff != "" {
				t.Errorf("rule (-want +got):\n%s", diff)
			}
			if !ok || active != rule.Of {
				t.Errorf("all active: ok=%v active=%d, want true %d", ok, active, rule.Of)
			}
		})
	}
}

func TestQuorumCheck(t *testing.T) {
	a, d, o := topology.StateActive, topology.StateDraining, topology.StateOffline
	for _, tc := range []struct {
		name   string
		states []topology.State
		ok     bool
		active int
	}{
		{"empty pool", nil, true, 0},
		{"one draining", []topology.State{d}, false, 0},
		{"8: first 4 draining, last 4 active", join(repeat(d, 4), repeat(a, 4)), false, 3},
		{"8: last server does not count", join(repeat(a, 3), repeat(d, 4), repeat(a, 1)), false, 3},
		{"10: 5 of the first 9 active", []topology.State{a, d, a, o, a, d, a, d, a, d}, true, 5},
		{"10: 4 of the first 9, the 10th active", []topology.State{a, d, a, o, a, d, a, d, d, a}, false, 4},
		{"16: 7 of the first 12", join(repeat(d, 5), repeat(a, 7), repeat(o, 4)), true, 7},
		{"16: 6 of the first 12, 4 more after", join(repeat(d, 6), repeat(a, 10)), false, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, active, _ := topology.QuorumCheck(tc.states)
			if ok != tc.ok || active != tc.active {
				t.Errorf("QuorumCheck = %v, %d active; want %v, %d", ok, active, tc.ok, tc.active)
			}
		})
	}
}
