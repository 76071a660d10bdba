package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// Check is one live DNS answer compared with what the topology wants.
type Check struct {
	// Zone is the zone and view asked about: "contoso.com (internal)".
	Zone string `json:"zone"`
	// Name and Type are the question asked.
	Name string `json:"name"`
	Type string `json:"type"`
	// Want is the answer the topology wants (empty: the name must not
	// resolve, as for an offline server); Got is what the server said.
	Want []string `json:"want"`
	Got  []string `json:"got"`
	// OK is true when Got is exactly Want.
	OK bool `json:"ok"`
	// Why explains the check in the user's terms.
	Why string `json:"why"`
}

// Asker asks a zone's authoritative server for name and type and returns
// the answer's data, empty for NXDOMAIN or NODATA.
type Asker func(ctx context.Context, zone *topology.ZoneRecords, name, typ string) ([]string, error)

// DefaultQueryTimeout bounds each DNS query of Verify unless
// VerifyOptions.Timeout says otherwise.
const DefaultQueryTimeout = 5 * time.Second

// VerifyOptions tune Verify.
type VerifyOptions struct {
	// Server, when not empty, is asked for every zone ("HOST" or
	// "HOST:PORT", port 53 by default). Otherwise each zone's provider
	// names its server (providers.Authoritative): rfc2136 its server,
	// powerdns its dns_server.
	Server string
	// Timeout bounds each query; 0 means DefaultQueryTimeout.
	Timeout time.Duration
	// Ask, when not nil, replaces the DNS client, for a caller with its
	// own resolver (and for tests).
	Ask Asker
}

// Verify asks DNS, with real queries and no recursion, for every address
// record the topology wants and for the own names of offline servers
// (which must not resolve), and reports each answer against the wish:
// pool FQDNs must return exactly their active servers, draining servers
// their own name only. It stops at the first error asking.
func (l *Loaded) Verify(ctx context.Context, opts VerifyOptions) ([]Check, error) {
	if l.Desired == nil {
		return nil, ErrInvalid
	}
	ask := opts.Ask
	if ask == nil {
		timeout := opts.Timeout
		if timeout <= 0 {
			timeout = DefaultQueryTimeout
		}
		ask = func(ctx context.Context, zr *topology.ZoneRecords, name, typ string) ([]string, error) {
			server := opts.Server
			if server == "" {
				var err error
				if server, err = l.nameServer(zr); err != nil {
					return nil, err
				}
			}
			return query(ctx, server, name, typ, timeout)
		}
	}
	return verify(ctx, l.Desired, ask)
}

// nameServer is the DNS server a zone's provider answers on.
func (l *Loaded) nameServer(zr *topology.ZoneRecords) (string, error) {
	p, err := l.resolve(zr.Provider, string(zr.View))
	if err != nil {
		return "", err
	}
	a, ok := p.(providers.Authoritative)
	if !ok {
		return "", fmt.Errorf("zone %s (%s): provider %s has no DNS server topo can ask; pass --server HOST:PORT", zr.Zone, zr.View, zr.Provider)
	}
	return a.NameServer(), nil
}

func verify(ctx context.Context, d *topology.Desired, ask Asker) ([]Check, error) {
	var checks []Check
	wanted := map[string]bool{}
	for _, zr := range d.Zones {
		des := publish.WantFor(zr, d.Topology)
		for _, s := range des.RRsets {
			if s.Type != "A" && s.Type != "AAAA" {
				continue
			}
			wanted[s.Name] = true
			got, err := ask(ctx, zr, s.Name, s.Type)
			if err != nil {
				return checks, err
			}
			got = canonical(s.Type, got)
			checks = append(checks, Check{Zone: zr.Zone + " (" + string(zr.View) + ")", Name: s.Name, Type: s.Type, Want: s.Values, Got: got, OK: slices.Equal(s.Values, got), Why: why(d, s.Name)})
		}
	}
	for _, sv := range d.Servers {
		if sv.State != topology.StateOffline || wanted[sv.FQDN] {
			continue
		}
		zr := zoneOf(d, sv.FQDN)
		if zr == nil {
			continue
		}
		typ := "A"
		if sv.IP.Is6() {
			typ = "AAAA"
		}
		got, err := ask(ctx, zr, sv.FQDN, typ)
		if err != nil {
			return checks, err
		}
		checks = append(checks, Check{Zone: zr.Zone + " (" + string(zr.View) + ")", Name: sv.FQDN, Type: typ, Want: []string{}, Got: canonical(typ, got), OK: len(got) == 0,
			Why: sv.Name + " is offline: its own name must not resolve"})
	}
	return checks, nil
}

func canonical(typ string, vals []string) []string {
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		out = append(out, providers.CanonicalData(typ, v))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// zoneOf finds the compiled zone (internal view first) holding name.
func zoneOf(d *topology.Desired, name string) *topology.ZoneRecords {
	var best *topology.ZoneRecords
	for _, zr := range d.Zones {
		if zr.View == topology.ViewExternal {
			continue
		}
		if name == zr.Zone || strings.HasSuffix(name, "."+zr.Zone) {
			if best == nil || len(zr.Zone) > len(best.Zone) {
				best = zr
			}
		}
	}
	return best
}

func why(d *topology.Desired, name string) string {
	for _, sv := range d.Servers {
		if sv.PoolFQDN == name {
			return "pool FQDN: exactly the active servers"
		}
	}
	for _, sv := range d.Servers {
		if sv.FQDN == name {
			if sv.State == topology.StateDraining {
				return sv.Name + " is draining: out of the pool, but its own name still resolves"
			}
			return "server " + sv.Name + "'s own name"
		}
	}
	for _, w := range d.WebServices {
		if w.InternalFQDN == name {
			return "internal web services FQDN: the HLB VIP"
		}
		if w.ExternalFQDN == name {
			return "external web services FQDN: the external VIP"
		}
	}
	return ""
}
