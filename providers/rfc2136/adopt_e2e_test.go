package rfc2136_test

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers/builtin"
	"github.com/topo-dns/topo/providers/internal/dnstest"
)

// TestAdoptionAcceptance is issue 10's acceptance test against real BIND
// servers, one per view, through the topo binary: each example deployment
// and each importer fixture's, published by RFC 2136, its ownership markers
// deleted, imported back by zone transfer (topo import dns, or topo import
// topology --dns): the first plan only adopts, every record set; the next,
// after publishing, is empty.
func TestAdoptionAcceptance(t *testing.T) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		t.Fatal(err)
	}
	key := base64.StdEncoding.EncodeToString(secret)
	enginetest.RunAdoption(t, enginetest.AdoptBackend{
		Registry: builtin.Registry(),
		Setup: func(t *testing.T, zones []enginetest.ZoneView) (string, func(enginetest.ZoneView) string, []string) {
			byView := map[string][]string{}
			var views []string
			for _, z := range zones {
				if _, ok := byView[z.View]; !ok {
					views = append(views, z.View)
				}
				byView[z.View] = append(byView[z.View], z.Zone)
			}
			var blocks strings.Builder
			for _, v := range views {
				b := dnstest.StartBIND(t, dnstest.BINDOptions{Zones: byView[v], KeySecret: key})
				fmt.Fprintf(&blocks, "# BIND serving the %s view.\nprovider \"rfc2136\" %q {\n  server         = %q\n  tsig_key       = %q\n  tsig_algorithm = %q\n  tsig_secret    = env(\"TOPO_TSIG_SECRET\")\n}\n\n", v, v, b.Addr, b.KeyName, b.KeyAlgorithm)
			}
			return blocks.String(), func(z enginetest.ZoneView) string { return "rfc2136." + z.View }, []string{"TOPO_TSIG_SECRET=" + key}
		},
	}, enginetest.AdoptCases)
}
