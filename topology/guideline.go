package topology

import "strings"

var (
	amounts     = []string{"none", "few", "many"}
	exchangeUMs = []string{"none", "2010sp1", "older"}
)

// checkGuideline applies the DNS load balancing decision guideline (the
// seed article's table, and the Edge caveats of Microsoft's load balancing
// requirements): a warning where DNS load balancing is supported but a
// hardware load balancer is recommended, an error where it cannot work.
func (v *validator) checkGuideline(p *Pool, role Role, lb LoadBalancing) {
	if c := p.Clients; c != nil {
		oneOf(&v.collector, c.LegacyClients, c.LegacyClientsRange, "legacy_clients", amounts)
		oneOf(&v.collector, c.LegacyServers, c.LegacyServersRange, "legacy_servers", amounts)
		oneOf(&v.collector, c.ExchangeUM, c.ExchangeUMRange, "exchange_um", exchangeUMs)
		if lb == LBDNS {
			if or(c.LegacyClients, "none") == "many" {
				v.warnf(c.LegacyClientsRange, "DNS load balancing not recommended for this pool",
					"Many users homed in pool %q run clients older than Lync 2010. Those clients do not fail over between the addresses DNS returns; they stick to the first one. Microsoft recommends a hardware load balancer for such a pool (load_balancing = \"hardware\" with a vip) until the clients are upgraded.", p.Name)
			}
			if or(c.LegacyServers, "none") == "many" {
				v.warnf(c.LegacyServersRange, "DNS load balancing not recommended for this pool",
					"Pool %q interoperates with many servers older than Lync 2010 (Office Communications Server), which do not fail over between DNS addresses. Microsoft recommends a hardware load balancer here.", p.Name)
			}
			if or(c.ExchangeUM, "none") == "older" {
				v.warnf(c.ExchangeUMRange, "DNS load balancing not recommended for this pool",
					"Pool %q works with Exchange Unified Messaging older than Exchange 2010 SP1, which does not fail over between DNS addresses. Use a hardware load balancer, or upgrade Exchange UM to 2010 SP1 or later.", p.Name)
			}
		}
	}
	e := p.Edge
	if e == nil {
		return
	}
	if role != RoleEdge {
		v.errorf(e.DefRange, "Edge facts on a pool that is not an Edge pool", "The edge block describes an Edge pool; pool %q has role %q.", p.Name, role)
		return
	}
	if e.ExternalLoadBalancing != nil && oneOf(&v.collector, e.ExternalLoadBalancing, e.ExternalLoadBalancingRange, "external_load_balancing", loadBalancings) && *e.ExternalLoadBalancing != lb {
		v.errorf(e.ExternalLoadBalancingRange, "Edge interfaces with different load balancing",
			"Pool %q balances its internal interface with %q and its external interface with %q. Both Edge interfaces must use the same type of load balancing: DNS on both, or a hardware load balancer on both.", p.Name, lb, *e.ExternalLoadBalancing)
	}
	if lb != LBDNS {
		return
	}
	var lost []string
	rng := e.DefRange
	if e.FederationLegacy != nil && *e.FederationLegacy {
		lost, rng = append(lost, "federation with partners running servers older than Lync 2010"), e.FederationLegacyRange
	}
	if e.PublicIM != nil && *e.PublicIM {
		lost = append(lost, "public IM connectivity and XMPP federation")
		if len(lost) == 1 {
			rng = e.PublicIMRange
		}
	}
	if e.RemoteUMLegacy != nil && *e.RemoteUMLegacy {
		lost = append(lost, "Exchange Unified Messaging for remote users with Exchange older than 2013")
		if len(lost) == 1 {
			rng = e.RemoteUMLegacyRange
		}
	}
	if len(lost) > 0 {
		v.warnf(rng, "Edge DNS load balancing loses failover",
			"With DNS load balancing on Edge pool %q these still work but lose failover when an Edge server is down: %s. Microsoft recommends a hardware load balancer for an Edge pool that depends on them.", p.Name, strings.Join(lost, "; "))
	}
}
