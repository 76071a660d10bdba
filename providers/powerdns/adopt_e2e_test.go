package powerdns_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers/builtin"
	"github.com/topo-dns/topo/providers/internal/dnstest"
)

// TestAdoptionAcceptance is issue 10's acceptance test against real
// PowerDNS servers, one per view, through the topo binary: each example
// deployment and each importer fixture's, published through the HTTP API,
// its ownership markers deleted, imported back (topo import dns, or topo
// import topology --dns): the first plan only adopts, every record set;
// the next, after publishing, is empty.
func TestAdoptionAcceptance(t *testing.T) {
	enginetest.RunAdoption(t, enginetest.AdoptBackend{
		Registry: builtin.Registry(),
		Setup: func(t *testing.T, zones []enginetest.ZoneView) (string, func(enginetest.ZoneView) string, []string) {
			servers := map[string]*dnstest.PowerDNS{}
			var blocks strings.Builder
			var env []string
			for _, z := range zones {
				pd := servers[z.View]
				if pd == nil {
					pd = dnstest.StartPowerDNS(t, dnstest.PowerDNSOptions{})
					servers[z.View] = pd
					variable := "TOPO_PDNS_API_KEY_" + strings.ToUpper(z.View)
					env = append(env, variable+"="+pd.APIKey)
					fmt.Fprintf(&blocks, "# PowerDNS serving the %s view.\nprovider \"powerdns\" %q {\n  url        = %q\n  api_key    = env(%q)\n  dns_server = %q\n}\n\n", z.View, z.View, pd.URL, variable, pd.DNSAddr)
				}
				pd.CreateZone(t, z.Zone)
			}
			return blocks.String(), func(z enginetest.ZoneView) string { return "powerdns." + z.View }, env
		},
	}, enginetest.AdoptCases)
}
