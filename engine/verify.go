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

// Answer is what a DNS server said to one question.
type Answer struct {
	// Server is who answered ("127.0.0.1:5353"); empty from an Asker that
	// does not say.
	Server string
	// Rcode is the answer's RCODE as DNS spells it: "NOERROR", "NXDOMAIN",
	// "REFUSED", ...
	Rcode string
	// Authoritative is the AA bit: the server answered from a zone it
	// serves, not from a cache.
	Authoritative bool
	// Values are the answer's records of the type asked, at the name
	// asked, as topo compares record data (providers.CanonicalData);
	// empty for NXDOMAIN or NODATA.
	Values []string
	// SOA is the zone of an SOA record in the answer or, for NXDOMAIN and
	// NODATA, the authority section ("contoso.com"); empty when none.
	SOA string
}

// Asker asks a zone's authoritative server for name and type.
type Asker func(ctx context.Context, zone *topology.ZoneRecords, name, typ string) (Answer, error)

// DefaultQueryTimeout bounds each DNS query of Verify unless
// VerifyOptions.Timeout says otherwise.
const DefaultQueryTimeout = 5 * time.Second

// VerifyOptions tune Verify.
type VerifyOptions struct {
	// Server, when not empty, is asked for every zone ("HOST" or
	// "HOST:PORT", port 53 by default). Otherwise each zone's provider
	// names its server: one that can find it (providers.NameServerFinder:
	// powerdns without dns_server asks its API) or knows it
	// (providers.Authoritative: rfc2136 its server).
	Server string
	// Timeout bounds each query; 0 means DefaultQueryTimeout.
	Timeout time.Duration
	// Ask, when not nil, replaces the DNS client, for a caller with its
	// own resolver (and for tests).
	Ask Asker
}

// NotAuthoritativeError reports servers that do not answer for a zone
// with authority: what they say proves nothing about the zone.
type NotAuthoritativeError struct {
	// Problems are one per zone (or name) and server, in topology order.
	Problems []Authority
}

// Authority is one server that is not authoritative where verify needs
// it to be.
type Authority struct {
	// Zone is the zone and view: "contoso.com (internal)".
	Zone string
	// Server is the server asked; Name the name asked about (the zone's
	// apex for the SOA check).
	Server, Name string
	// Why says what the answer showed.
	Why string
}

// Error names every server and why it is not authoritative.
func (e *NotAuthoritativeError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("\n  ")
		}
		server := "the server"
		if p.Server != "" {
			server = "server " + p.Server
		}
		fmt.Fprintf(&b, "%s is not authoritative for zone %s: %s", server, p.Zone, p.Why)
	}
	b.WriteString("\nAsk the zone's own server: fix the provider's server or dns_server, or pass --server HOST:PORT.")
	return b.String()
}

// Verify asks DNS, with real queries and no recursion, for every record
// the topology publishes (A, AAAA, CNAME, SRV, and topo's ownership TXT
// records) and for the own names of offline servers (which must not
// resolve), and reports each answer against the wish: pool FQDNs must
// return exactly their active servers, draining servers their own name
// only. It first asks each zone's server for the zone's SOA, and returns
// a *NotAuthoritativeError (and no checks) when a server is not
// authoritative for its zone: no AA bit, REFUSED or another error, or the
// SOA of another zone; an answer about a single name without the AA bit,
// or from another zone, is such an error too. It stops at the first error
// asking.
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
		servers := map[[2]string]string{}
		ask = func(ctx context.Context, zr *topology.ZoneRecords, name, typ string) (Answer, error) {
			server := opts.Server
			if server == "" {
				k := [2]string{zr.Provider, string(zr.View)}
				if server = servers[k]; server == "" {
					var err error
					if server, err = l.nameServer(ctx, zr); err != nil {
						return Answer{}, err
					}
					servers[k] = server
				}
			}
			return query(ctx, server, name, typ, timeout)
		}
	}
	return verify(ctx, l.Desired, ask)
}

// nameServer is the DNS server a zone's provider answers on.
func (l *Loaded) nameServer(ctx context.Context, zr *topology.ZoneRecords) (string, error) {
	p, err := l.resolve(zr.Provider, string(zr.View))
	if err != nil {
		return "", err
	}
	if f, ok := p.(providers.NameServerFinder); ok {
		s, err := f.FindNameServer(ctx)
		if err != nil {
			return "", fmt.Errorf("zone %s (%s): find the DNS server of provider %s: %w", zr.Zone, zr.View, zr.Provider, err)
		}
		return s, nil
	}
	a, ok := p.(providers.Authoritative)
	if !ok {
		return "", fmt.Errorf("zone %s (%s): provider %s has no DNS server topo can ask; pass --server HOST:PORT", zr.Zone, zr.View, zr.Provider)
	}
	return a.NameServer(), nil
}

// apexProblem says why an answer to a zone's SOA query shows the server
// is not authoritative for the zone; empty when it is.
func apexProblem(zone string, a Answer) string {
	switch {
	case a.Rcode == "REFUSED":
		return "it refused the query for the zone's SOA (REFUSED): it does not serve the zone"
	case a.SOA != "" && a.SOA != zone:
		return fmt.Sprintf("it answers from zone %s, not %s (%s to the query for the zone's SOA)", a.SOA, zone, a.Rcode)
	case a.Rcode != "NOERROR":
		return "it answered the query for the zone's SOA with " + a.Rcode
	case !a.Authoritative:
		return "it answered the query for the zone's SOA without the AA bit: a resolver or cache answers so, not the zone's own server"
	case a.SOA == "":
		return "it has no SOA record for the zone"
	}
	return ""
}

// nameProblem says why an answer about one name of zone is not
// authoritative; empty when it is.
func nameProblem(zone, name, typ string, a Answer) string {
	switch {
	case a.Rcode != "NOERROR" && a.Rcode != "NXDOMAIN":
		return fmt.Sprintf("it answered %s %s with %s", name, typ, a.Rcode)
	case a.SOA != "" && a.SOA != zone:
		return fmt.Sprintf("it answers %s from zone %s, not %s", name, a.SOA, zone)
	case !a.Authoritative:
		return fmt.Sprintf("it answered %s %s without the AA bit (is the name delegated away from the zone?)", name, typ)
	}
	return ""
}

func verify(ctx context.Context, d *topology.Desired, ask Asker) ([]Check, error) {
	var problems []Authority
	for _, zr := range d.Zones {
		a, err := ask(ctx, zr, zr.Zone, "SOA")
		if err != nil {
			return nil, err
		}
		if why := apexProblem(zr.Zone, a); why != "" {
			problems = append(problems, Authority{Zone: zoneID(zr), Server: a.Server, Name: zr.Zone, Why: why})
		}
	}
	if len(problems) > 0 {
		return nil, &NotAuthoritativeError{Problems: problems}
	}
	var checks []Check
	check := func(zr *topology.ZoneRecords, name, typ string, want []string, why string) error {
		a, err := ask(ctx, zr, name, typ)
		if err != nil {
			return err
		}
		if p := nameProblem(zr.Zone, name, typ, a); p != "" {
			problems = append(problems, Authority{Zone: zoneID(zr), Server: a.Server, Name: name, Why: p})
			return nil
		}
		got := canonical(typ, a.Values)
		checks = append(checks, Check{Zone: zoneID(zr), Name: name, Type: typ, Want: want, Got: got, OK: slices.Equal(want, got), Why: why})
		return nil
	}
	wanted := map[string]bool{}
	for _, zr := range d.Zones {
		des := publish.WantFor(zr, d.Topology)
		for _, s := range des.RRsets {
			wanted[s.Name] = true
			if err := check(zr, s.Name, s.Type, s.Values, why(d, s.Key(), des.Sources[s.Key()])); err != nil {
				return checks, err
			}
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
		if err := check(zr, sv.FQDN, typ, []string{}, sv.Name+" is offline: its own name must not resolve"); err != nil {
			return checks, err
		}
	}
	if len(problems) > 0 {
		return checks, &NotAuthoritativeError{Problems: problems}
	}
	return checks, nil
}

func zoneID(zr *topology.ZoneRecords) string { return zr.Zone + " (" + string(zr.View) + ")" }

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

func why(d *topology.Desired, k providers.Key, sources []string) string {
	name := k.Name
	if owner, ok := publish.MarkedName(k); ok {
		return "topo's ownership marker of " + owner
	}
	if k.Type == "A" || k.Type == "AAAA" {
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
	}
	return "from " + strings.Join(sources, ", ")
}
