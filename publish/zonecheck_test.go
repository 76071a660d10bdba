package publish_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
)

func TestCheckZone(t *testing.T) {
	soa := rs(zone, "SOA", 3600, "ns1.contoso.com. hostmaster.contoso.com. 1 3600 600 1209600 300")
	ns := rs(zone, "NS", 3600, "ns1.contoso.com.")
	ns1 := rs("ns1."+zone, "A", 3600, "192.0.2.53")
	sub := rs("sub."+zone, "NS", 3600, "ns.sub.contoso.com.")
	glue := rs("ns.sub."+zone, "A", 3600, "192.0.2.54")
	www := rs("www."+zone, "A", 300, "192.0.2.80")
	tests := []struct {
		name string
		sets []providers.RRset
		want []publish.ZoneProblem
		// bindRefuses: named-checkzone refuses the zone too (the other
		// problems it loads with a warning, or not at all, but they break
		// resolution).
		bindRefuses bool
	}{
		{name: "a whole zone", sets: []providers.RRset{soa, ns, ns1, sub, glue, www}},
		{name: "an empty zone (not created yet)"},
		{
			name:        "the zone's name server without its address",
			sets:        []providers.RRset{soa, ns, sub, glue, www},
			want:        []publish.ZoneProblem{{Kind: publish.ProblemNoAddress, Name: "ns1." + zone, By: ns.Key()}},
			bindRefuses: true,
		},
		{
			name: "a delegation without its glue",
			sets: []providers.RRset{soa, ns, ns1, sub, www},
			want: []publish.ZoneProblem{{Kind: publish.ProblemNoAddress, Name: "ns.sub." + zone, By: sub.Key()}},
		},
		{
			name:        "a CNAME beside other data",
			sets:        []providers.RRset{soa, ns, ns1, www, rs("www."+zone, "CNAME", 300, "lb.contoso.com.")},
			want:        []publish.ZoneProblem{{Kind: publish.ProblemCNAMEAndOther, Name: "www." + zone, Type: "CNAME", By: providers.Key{Name: "www." + zone, Type: "A"}}},
			bindRefuses: true,
		},
		{
			name: "a CNAME beside its DNSSEC records",
			sets: []providers.RRset{soa, ns, ns1, rs("www."+zone, "CNAME", 300, "lb.contoso.com."), rs("www."+zone, "NSEC", 300, "zz.contoso.com. CNAME RRSIG NSEC")},
		},
		{
			name: "records below a delegation but glue",
			sets: []providers.RRset{soa, ns, ns1, sub, glue,
				rs("sub."+zone, "DS", 3600, "12345 13 2 "+strings.Repeat("ab", 32)),
				rs("sub."+zone, "MX", 3600, "10 mail.sub.contoso.com."),
				rs("pool.sub."+zone, "A", 300, "10.0.0.1"),
				rs("_sip._tls.sub."+zone, "SRV", 300, "0 0 443 sip.contoso.com.")},
			want: []publish.ZoneProblem{
				{Kind: publish.ProblemBelowDelegation, Name: "_sip._tls.sub." + zone, Type: "SRV", By: sub.Key()},
				{Kind: publish.ProblemBelowDelegation, Name: "sub." + zone, Type: "MX", By: sub.Key()},
			},
		},
	}
	checkzone := namedCheckzone(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sets := append([]providers.RRset(nil), tt.sets...)
			providers.SortRRsets(sets)
			got := publish.CheckZone(zone, sets)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
			if len(got) > 0 {
				err := (&publish.BrokenZoneError{Zone: zone + " (internal)", Problems: got}).Error()
				for _, p := range got {
					if !strings.Contains(err, p.Name) {
						t.Errorf("the error does not name %s:\n%s", p.Name, err)
					}
				}
			}
			if checkzone == nil || !hasSOA(sets) {
				return
			}
			refused, out := checkzone(sets)
			if refused != tt.bindRefuses {
				t.Errorf("named-checkzone refused: %t, want %t\n%s", refused, tt.bindRefuses, out)
			}
		})
	}
}

func TestNewProblems(t *testing.T) {
	soa := rs(zone, "SOA", 3600, "ns1.contoso.com. hostmaster.contoso.com. 1 3600 600 1209600 300")
	ns := rs(zone, "NS", 3600, "ns1.contoso.com.", "ns2.contoso.com.")
	ns2 := rs("ns2."+zone, "A", 3600, "192.0.2.2")
	before := []providers.RRset{soa, ns, ns2} // ns1 has no address already
	t.Run("a problem the zone had is not the change's", func(t *testing.T) {
		if ps := publish.NewProblems(zone, before, before); len(ps) != 0 {
			t.Errorf("NewProblems of an unchanged zone: %v", ps)
		}
	})
	t.Run("a problem the change makes is", func(t *testing.T) {
		after := []providers.RRset{soa, ns}
		want := []publish.ZoneProblem{{Kind: publish.ProblemNoAddress, Name: "ns2." + zone, By: ns.Key()}}
		if diff := cmp.Diff(want, publish.NewProblems(zone, before, after)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

func hasSOA(sets []providers.RRset) bool {
	for _, s := range sets {
		if s.Type == "SOA" {
			return true
		}
	}
	return false
}

// namedCheckzone returns a function that writes sets as a zone file and
// runs named-checkzone on it, or nil when it is not installed (a failure
// under CI=true). -i local: no lookups of names outside the zone.
func namedCheckzone(t *testing.T) func([]providers.RRset) (refused bool, out string) {
	bin, err := exec.LookPath("named-checkzone")
	if err != nil {
		for _, p := range []string{"/usr/sbin/named-checkzone", "/usr/bin/named-checkzone"} {
			if _, serr := os.Stat(p); serr == nil {
				bin = p
			}
		}
	}
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("named-checkzone is not installed (apt-get install bind9-utils)")
		}
		t.Log("named-checkzone is not installed (apt-get install bind9-utils): BIND's verdict not checked")
		return nil
	}
	dir := t.TempDir()
	n := 0
	return func(sets []providers.RRset) (bool, string) {
		var b strings.Builder
		for _, s := range sets {
			for _, v := range s.Values {
				if s.Type == "TXT" {
					v = strconv.Quote(v)
				}
				fmt.Fprintf(&b, "%s. %d IN %s %s\n", s.Name, s.TTL, s.Type, v)
			}
		}
		n++
		path := filepath.Join(dir, fmt.Sprintf("z%d.zone", n))
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "-i", "local", zone, path).CombinedOutput()
		return err != nil, string(out)
	}
}
