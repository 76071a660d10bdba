package publish_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// guardPlan is one zone plan with owned RRsets and the given numbers of
// non-marker creates, updates and deletes, plus a marker delete per delete.
func guardPlan(owned, creates, updates, deletes int, maxChange float64) *publish.Plan {
	z := publish.ZonePlan{Zone: "contoso.com", View: "internal", Provider: "zonefile.default", Ownership: string(topology.OwnershipShared), Owned: owned, MaxChange: maxChange}
	name := func(i int) string { return fmt.Sprintf("n%d.contoso.com", i) }
	for i := range creates {
		a := rs(name(i), "A", 300, "10.0.0.1")
		z.Changes = append(z.Changes, publish.Change{Action: publish.Create, Name: a.Name, Type: "A", After: &a})
	}
	for i := range updates {
		b, a := rs(name(100+i), "A", 300, "10.0.0.1"), rs(name(100+i), "A", 300, "10.0.0.2")
		z.Changes = append(z.Changes, publish.Change{Action: publish.Update, Name: a.Name, Type: "A", Before: &b, After: &a})
	}
	for i := range deletes {
		b := rs(name(200+i), "A", 300, "10.0.0.1")
		m := marker(name(200+i), "contoso")
		z.Changes = append(z.Changes,
			publish.Change{Action: publish.Delete, Name: b.Name, Type: "A", Before: &b},
			publish.Change{Action: publish.Delete, Name: m.Name, Type: "TXT", Before: &m, Marker: true})
	}
	return &publish.Plan{FormatVersion: publish.FormatVersion, Kind: publish.PlanKind, Topology: "contoso", Zones: []publish.ZonePlan{z}}
}

func TestCheckGuard(t *testing.T) {
	tests := []struct {
		name                             string
		owned, creates, updates, deletes int
		maxChange                        float64
		refuse                           bool
	}{
		{name: "draining one server of twelve updates one record set", owned: 23, updates: 1},
		{name: "creates never count", owned: 10, creates: 50},
		{name: "exactly 30% passes", owned: 10, updates: 1, deletes: 2},
		{name: "above 30% is refused", owned: 10, deletes: 4, refuse: true},
		{name: "updates and deletes add up", owned: 20, updates: 4, deletes: 3, refuse: true},
		{name: "fewer than 10 owned: never guarded", owned: 9, deletes: 9},
		{name: "nothing owned yet", owned: 0, creates: 30},
		{name: "max_change raises the limit", owned: 10, deletes: 5, maxChange: 0.5},
		{name: "max_change still refuses above it", owned: 10, deletes: 6, maxChange: 0.5, refuse: true},
		{name: "max_change lowers the limit", owned: 20, updates: 3, maxChange: 0.1, refuse: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := publish.CheckGuard(guardPlan(tt.owned, tt.creates, tt.updates, tt.deletes, tt.maxChange))
			if !tt.refuse {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ge *publish.GuardError
			if !errors.As(err, &ge) {
				t.Fatalf("want a *publish.GuardError, got %v", err)
			}
			limit := tt.maxChange
			if limit == 0 {
				limit = publish.DefaultMaxChange
			}
			changed := tt.updates + tt.deletes
			want := []publish.GuardViolation{{
				Zone: "contoso.com (internal)", Changed: changed, Owned: tt.owned,
				Fraction: float64(changed) / float64(tt.owned), Limit: limit,
			}}
			if diff := cmp.Diff(want, ge.Violations); diff != "" {
				t.Errorf("violations (-want +got):\n%s", diff)
			}
			msg := err.Error()
			for _, s := range []string{"contoso.com (internal)", fmt.Sprintf("%d of %d", changed, tt.owned), "--allow-mass-change", "max_change"} {
				if !strings.Contains(msg, s) {
					t.Errorf("message does not say %q:\n%s", s, msg)
				}
			}
		})
	}
}

// siteHCL is a topology of one zone with a 4-server Front End pool per
// site; server fe01 of site drained is draining.
func siteHCL(sites []string, drained string, maxChange string) string {
	var b strings.Builder
	b.WriteString("name = \"contoso\"\nproduct = \"sfb2015\"\nzone \"contoso.com\" {\n  ttl = 300\n")
	if maxChange != "" {
		fmt.Fprintf(&b, "  max_change = %s\n", maxChange)
	}
	b.WriteString("}\n")
	for si, s := range sites {
		fmt.Fprintf(&b, "site %q {\n  pool \"pool\" {\n    fqdn = \"pool-%s.contoso.com\"\n", s, s)
		fmt.Fprintf(&b, "    web_services {\n      internal_fqdn = \"web-%s.contoso.com\"\n      internal_vip = \"10.%d.0.100\"\n    }\n", s, si)
		for i := 1; i <= 4; i++ {
			state := "active"
			if s == drained && i == 1 {
				state = "draining"
			}
			fmt.Fprintf(&b, "    server \"fe%02d\" {\n      fqdn = \"%s-fe%02d.contoso.com\"\n      ip = \"10.%d.0.%d\"\n      state = %q\n    }\n", i, s, i, si, 10+i, state)
		}
		b.WriteString("  }\n}\n")
	}
	return b.String()
}

// TestGuardThroughPlans runs the guard on real plans: three sites with a
// pool each (18 owned record sets in the zone), then a change.
func TestGuardThroughPlans(t *testing.T) {
	all := []string{"redmond", "dublin", "sydney"}
	tests := []struct {
		name      string
		sites     []string
		drained   string
		maxChange string
		refuse    bool
	}{
		{name: "drain one server", sites: all, drained: "dublin"},
		{name: "delete a whole site", sites: []string{"redmond", "dublin"}, refuse: true},
		{name: "delete a whole site with max_change = 0.5", sites: []string{"redmond", "dublin"}, maxChange: "0.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z := zones{}
			z.apply(z.plan(compileHCL(t, siteHCL(all, "", ""))))
			p := z.plan(compileHCL(t, siteHCL(tt.sites, tt.drained, tt.maxChange)))
			if got := p.Zones[0].Owned; got != 18 {
				t.Fatalf("owned = %d, want 18 (3 pools, 12 servers, 3 web services FQDNs)", got)
			}
			err := publish.CheckGuard(p)
			var ge *publish.GuardError
			if tt.refuse != errors.As(err, &ge) {
				t.Fatalf("refuse = %v, got %v", tt.refuse, err)
			}
			if !tt.refuse {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if ge.Violations[0].Changed != 6 {
				t.Errorf("changed = %d, want 6 (pool, 4 servers, web services)", ge.Violations[0].Changed)
			}
		})
	}
}
