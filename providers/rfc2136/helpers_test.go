package rfc2136

import (
	"context"
	"testing"
	"time"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
)

// startBIND starts a BIND serving zones (default "example.test") and
// returns it with a provider configured for it.
func startBIND(t testing.TB, zones ...string) (*dnstest.BIND, *Provider) {
	t.Helper()
	b := dnstest.StartBIND(t, dnstest.BINDOptions{Zones: zones})
	return b, providerFor(b)
}

func providerFor(b *dnstest.BIND) *Provider {
	return &Provider{
		Server:        b.Addr,
		TSIGKey:       b.KeyName,
		TSIGAlgorithm: b.KeyAlgorithm + ".",
		TSIGSecret:    b.KeySecret,
		Timeout:       5 * time.Second,
	}
}

// rrsets reads the zone through the provider, leaving out SOA and NS.
func rrsets(t testing.TB, p *Provider, zone string) []providers.RRset {
	t.Helper()
	sets, err := p.readRRsets(context.Background(), zone)
	if err != nil {
		t.Fatalf("read zone %q: %v", zone, err)
	}
	var out []providers.RRset
	for _, s := range sets {
		if s.Type != "SOA" && s.Type != "NS" {
			out = append(out, s)
		}
	}
	return out
}

func rrset(name, typ string, ttl uint32, values ...string) *providers.RRset {
	s := providers.RRset{Name: name, Type: typ, TTL: ttl, Values: values}
	s.Normalize()
	return &s
}
