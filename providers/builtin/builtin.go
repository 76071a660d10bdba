// Package builtin assembles the registry of the provider kinds topo ships.
package builtin

import (
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/cloudflare"
	"github.com/topo-dns/topo/providers/powerdns"
	"github.com/topo-dns/topo/providers/rfc2136"
	"github.com/topo-dns/topo/providers/zonefile"
)

// Registry returns a new registry of every provider kind topo ships.
func Registry() providers.Registry {
	return providers.Registry{
		"zonefile":   zonefile.Kind(),
		"rfc2136":    rfc2136.Kind(),
		"cloudflare": cloudflare.Kind(),
		"powerdns":   powerdns.Kind(),
	}
}
