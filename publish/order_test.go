package publish

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOrders: each order sorts a shuffled list into the order a person
// expects, and is total (sorting the sorted list again changes nothing).
func TestOrders(t *testing.T) {
	for _, tc := range []struct {
		name string
		cmp  func(a, b string) int
		want []string
	}{
		{"names by label from the right", CompareNames, []string{
			"contoso.com",
			"_sip._tls.contoso.com",
			"a.contoso.com",
			"b.a.contoso.com",
			"B.b.contoso.com",
			"fe2.contoso.com",
			"fe10.contoso.com",
			"pool01.contoso.com",
			"fe01.pool01.contoso.com",
			"webext.contoso.com",
			"contoso.net",
		}},
		{"IPv4 addresses by number", func(a, b string) int { return compareValues("A", a, b) }, []string{
			"9.0.0.1", "10.0.0.2", "10.0.0.10", "10.0.1.1", "192.0.2.1",
		}},
		{"IPv6 addresses by number", func(a, b string) int { return compareValues("AAAA", a, b) }, []string{
			"2001:db8::2", "2001:db8::10", "2001:db8::1:0",
		}},
		{"SRV by priority, weight, port, then target", func(a, b string) int { return compareValues("SRV", a, b) }, []string{
			"0 0 443 sip.contoso.com.", "0 0 5061 pool.contoso.com.", "0 0 5061 sip.contoso.com.", "10 0 5061 a.contoso.com.",
		}},
		{"other types as text", func(a, b string) int { return compareValues("TXT", a, b) }, []string{
			"a 10", "a 2", "b",
		}},
		{"paths with numbers as numbers", compareNatural, []string{
			"site.s.pool.p.server.fe01",
			"site.s.pool.p.server.fe1",
			"site.s.pool.p.server.fe2",
			"site.s.pool.p.server.fe10",
			"site.s.pool.p.server.fe10b",
			"site.s.pool.p.web_services.internal",
			"site.s.pool.p2.server.fe1",
			"site.s.pool.p10.server.fe1",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := slices.Clone(tc.want)
			slices.Reverse(got)
			got[0], got[len(got)/2] = got[len(got)/2], got[0]
			slices.SortFunc(got, tc.cmp)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
			for i := range tc.want {
				for j := range tc.want {
					if c := tc.cmp(tc.want[i], tc.want[j]); (c < 0) != (i < j) || (c == 0) != (i == j) {
						t.Errorf("compare(%q, %q) = %d, want the sign of %d", tc.want[i], tc.want[j], c, i-j)
					}
				}
			}
		})
	}
}
