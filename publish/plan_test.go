package publish_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/topo-dns/topo/publish"
)

// samplePlan is a plan with every action, made through DiffZone against
// what a first plan's publish left.
func samplePlan(t *testing.T) *publish.Plan {
	t.Helper()
	z := zones{}
	all := []string{"redmond", "dublin", "sydney"}
	z.apply(z.plan(compileHCL(t, siteHCL(all, "", ""))))
	src := strings.Replace(siteHCL([]string{"redmond", "dublin", "perth"}, "redmond", "0.5"), "ttl = 300", "ttl = 60", 1)
	p := z.plan(compileHCL(t, src))
	c := p.Counts()
	if c.Create == 0 || c.Update == 0 || c.Delete == 0 {
		t.Fatalf("sample plan should create, update and delete: %+v", c)
	}
	return p
}

func TestPlanRoundTrip(t *testing.T) {
	p := samplePlan(t)
	data, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(data, []byte("}\n")) {
		t.Errorf("the plan's JSON does not end in a newline")
	}
	if !publish.IsPlan(data) {
		t.Fatal("IsPlan is false for a marshalled plan")
	}
	got, err := publish.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, got, cmpopts.EquateComparable(netip.Addr{})); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	again, err := got.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Errorf("marshal, unmarshal, marshal is not byte-identical")
	}
	// The documented top-level shape.
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"format_version", "kind", "topology", "topology_file", "topology_sha256", "zones"} {
		if _, ok := top[k]; !ok {
			t.Errorf("plan JSON has no %q", k)
		}
	}
	if string(top["format_version"]) != "1" || string(top["kind"]) != `"topo-plan"` {
		t.Errorf("format_version %s, kind %s", top["format_version"], top["kind"])
	}
}

func TestIsPlan(t *testing.T) {
	tests := []struct {
		name string
		data string
		want bool
	}{
		{"a plan", `{"format_version": 1, "kind": "topo-plan", "zones": []}`, true},
		{"a plan of another version", `{"format_version": 9, "kind": "topo-plan"}`, true},
		{"a topology file", "name = \"contoso\"\nproduct = \"sfb2015\"\n", false},
		{"a topology file starting with a brace-like comment", "# {\"kind\": \"topo-plan\"}\nname = \"x\"\n", false},
		{"other JSON", `{"format_version": 1, "valid": true}`, false},
		{"another kind", `{"kind": "topo-validate"}`, false},
		{"a JSON array", `[{"kind": "topo-plan"}]`, false},
		{"empty", ``, false},
		{"truncated plan", `{"format_version": 1, "kind": "topo-plan", "zones": [`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := publish.IsPlan([]byte(tt.data)); got != tt.want {
				t.Errorf("IsPlan = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestUnmarshalRefuses(t *testing.T) {
	// change is one change of a one-zone plan.
	plan := func(change string) string {
		return `{"format_version": 1, "kind": "topo-plan", "topology": "contoso", "zones": [
		  {"zone": "contoso.com", "view": "internal", "provider": "zonefile.default", "fingerprint": "x", "changes": [` + change + `]}]}`
	}
	a := func(vals string) string {
		return `{"name": "pool01.contoso.com", "type": "A", "ttl": 300, "values": [` + vals + `]}`
	}
	tests := []struct {
		name     string
		data     string
		notPlan  bool
		contains string
	}{
		{name: "not JSON", data: "name = \"contoso\"\n", notPlan: true},
		{name: "JSON of another kind", data: `{"format_version": 1, "kind": "other"}`, notPlan: true},
		{name: "another format version", data: `{"format_version": 2, "kind": "topo-plan", "zones": []}`, contains: "format version 2"},
		{name: "format version missing", data: `{"kind": "topo-plan", "zones": []}`, contains: "format version 0"},
		{name: "a zone without provider", data: `{"format_version": 1, "kind": "topo-plan", "zones": [{"zone": "contoso.com", "changes": []}]}`, contains: "provider"},
		{name: "a zone without name", data: `{"format_version": 1, "kind": "topo-plan", "zones": [{"provider": "zonefile.default", "changes": []}]}`, contains: "zone"},
		{name: "unknown action", data: plan(`{"action": "replace", "name": "pool01.contoso.com", "type": "A", "after": ` + a(`"10.0.0.1"`) + `}`), contains: `unknown action "replace"`},
		{name: "create with a before", data: plan(`{"action": "create", "name": "pool01.contoso.com", "type": "A", "before": ` + a(`"10.0.0.1"`) + `, "after": ` + a(`"10.0.0.1"`) + `}`), contains: "create"},
		{name: "create without after", data: plan(`{"action": "create", "name": "pool01.contoso.com", "type": "A"}`), contains: "create"},
		{name: "update without before", data: plan(`{"action": "update", "name": "pool01.contoso.com", "type": "A", "after": ` + a(`"10.0.0.1"`) + `}`), contains: "update"},
		{name: "delete with an after", data: plan(`{"action": "delete", "name": "pool01.contoso.com", "type": "A", "before": ` + a(`"10.0.0.1"`) + `, "after": ` + a(`"10.0.0.1"`) + `}`), contains: "delete"},
		{name: "after of another name", data: plan(`{"action": "create", "name": "fe01.contoso.com", "type": "A", "after": ` + a(`"10.0.0.1"`) + `}`), contains: "name and type"},
		{name: "after of another type", data: plan(`{"action": "create", "name": "pool01.contoso.com", "type": "AAAA", "after": ` + a(`"10.0.0.1"`) + `}`), contains: "name and type"},
		{name: "an RRset without values", data: plan(`{"action": "create", "name": "pool01.contoso.com", "type": "A", "after": ` + a(``) + `}`), contains: "create"},
		{name: "a null change", data: plan(`null`), contains: "unknown action"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := publish.Unmarshal([]byte(tt.data))
			if err == nil {
				t.Fatalf("accepted: %+v", p)
			}
			if tt.notPlan != errors.Is(err, publish.ErrNotPlan) {
				t.Errorf("errors.Is(err, ErrNotPlan) = %v, want %v: %v", !tt.notPlan, tt.notPlan, err)
			}
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("error %q does not say %q", err, tt.contains)
			}
		})
	}
}
