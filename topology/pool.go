package topology

import (
	"fmt"
	"net/netip"

	"github.com/hashicorp/hcl/v2"
)

func (v *validator) checkPool(s *Site, p *Pool) {
	path := "site." + s.Name + ".pool." + p.Name
	roleOK := oneOf(&v.collector, p.Role, p.RoleRange, "role", roles)
	lbOK := oneOf(&v.collector, p.LoadBalancing, p.LoadBalancingRange, "load_balancing", loadBalancings)
	role, lb := p.RoleName(), p.LB()
	if p.TTL != nil && (*p.TTL < 1 || *p.TTL > 2147483647) {
		v.errorf(p.TTLRange, "Invalid TTL", "A TTL is a number of seconds from 1 to 2147483647.")
	}
	poolFQDNOK := v.fqdnOK(p.FQDN, p.FQDNRange, "pool FQDN")
	if poolFQDNOK {
		v.claimFQDN(p.FQDN, p.FQDNRange, "pool "+p.Name)
	}
	standalone := v.checkEdition(p, role, roleOK)

	// Load balancing and the pool FQDN's own address.
	var vip netip.Addr
	switch {
	case standalone:
		if p.LoadBalancing != nil && lb == LBHardware {
			v.errorf(p.LoadBalancingRange, "Load balancer for a single server", "%s is one server that is its own pool: its FQDN is the server's, so there is nothing to balance. Remove load_balancing, or give the pool more servers, each with an FQDN of its own.", standaloneWhat(p, role))
		}
		if p.VIP != nil {
			v.errorf(p.VIPRange, "VIP on a single server", "The pool FQDN of %s is the server's own FQDN and resolves to its ip; there is no load balancer VIP. Remove vip.", standaloneWhat(p, role))
		}
		lb = LBDNS // the pool FQDN resolves to the server's own address
	case p.VIP != nil:
		if lb == LBDNS && lbOK {
			v.errorf(p.VIPRange, "VIP with DNS load balancing", "With DNS load balancing the pool FQDN resolves to each server's own address, so a pool vip is not used. Remove it, or set load_balancing = \"hardware\"; the HTTP VIP belongs in web_services.internal_vip.")
		} else {
			vip, _ = v.addrOK(*p.VIP, p.VIPRange, "pool vip")
		}
	case lb == LBHardware:
		v.errorf(p.DefRange, "Hardware load balancing needs a VIP", "With a hardware load balancer the pool FQDN %q resolves to the load balancer's virtual IP. Set vip = \"<address>\" in pool %q.", p.FQDN, p.Name)
	}

	// Web services and the internal FQDN override.
	web := v.checkWebServices(p, p.WebServices, role, lb, standalone)

	// Servers.
	if len(p.Servers) == 0 {
		v.errorf(p.DefRange, "Pool without servers", "Pool %q has no server blocks; a pool needs at least one server.", p.Name)
	}
	names := make(map[string]*Server, len(p.Servers))
	order := make([]State, 0, len(p.Servers))
	var srv []pendingServer
	for _, sv := range p.Servers {
		if prev, ok := names[sv.Name]; ok {
			v.errorf(sv.LabelRange, "Duplicate server", "Pool %q already has a server %q, declared at %s.", p.Name, sv.Name, at(prev.DefRange))
		}
		names[sv.Name] = sv
		ps := pendingServer{s: sv, path: path + ".server." + sv.Name, fqdn: sv.FQDN, fqdnRng: sv.FQDNRange}
		switch {
		case standalone && (absent(sv.FQDNRange) || fold(sv.FQDN) == fold(p.FQDN)):
			// The pool is the server: one name, the pool's.
			ps.fqdn, ps.fqdnRng, ps.fqdnOK = p.FQDN, p.FQDNRange, poolFQDNOK
		case absent(sv.FQDNRange):
			v.errorf(sv.DefRange, "Missing server FQDN", "Server %q has no fqdn. Only the one server of a single-server pool may leave it out (the pool FQDN is then its own); each of the %d servers of pool %q needs an FQDN of its own.", sv.Name, len(p.Servers), p.Name)
		case v.fqdnOK(sv.FQDN, sv.FQDNRange, "server FQDN"):
			ps.fqdnOK = v.claimFQDN(sv.FQDN, sv.FQDNRange, "server "+sv.Name)
		}
		if a, ok := v.addrOK(sv.IP, sv.IPRange, "server ip"); ok {
			if prev, dup := v.ips[a]; dup {
				v.errorf(sv.IPRange, "Duplicate IP address", "%s is already the address of %s at %s. With DNS load balancing every server answers on its own address.", a, prev.what, at(prev.rng))
			} else {
				v.ips[a] = owner{what: "server " + sv.Name, rng: sv.IPRange}
			}
			ps.addr = a
		}
		if oneOf(&v.collector, sv.State, sv.StateRange, "state", states) {
			order = append(order, sv.StateName())
		} else {
			order = append(order, StateActive)
		}
		srv = append(srv, ps)
	}
	if standalone && len(srv) == 1 && !web.intVIP.IsValid() {
		// Its web services answer on its own address.
		web.intVIP = srv[0].addr
	}
	if roleOK && lbOK {
		v.checkGuideline(p, role, lb)
	}
	if roleOK && role == RoleFrontend && !standalone {
		v.checkPoolSize(p)
		v.checkQuorum(p, order)
	}
	if roleOK && role == RoleEdge && !standalone {
		v.checkEdgePoolSize(p)
	}
	if roleOK && lbOK {
		v.queuePoolRecords(path, p, lb, vip, web, srv, poolFQDNOK)
	}
	var edge edgeInfo
	if roleOK && lbOK {
		edge = v.checkEdge(path, p, role, lb, srv)
	}
	if poolFQDNOK {
		pi := &poolInfo{pool: p, site: s, path: path, role: role, lb: lb, vip: vip, intWeb: web.intVIP, standalone: standalone, edge: edge}
		if !pi.intWeb.IsValid() && lb == LBHardware {
			// Without an override, a hardware-balanced pool's web
			// services answer at the pool FQDN, on its VIP.
			pi.intWeb = vip
		}
		switch {
		case web.intFQDN != "":
			pi.intWebFQDN = fold(web.intFQDN)
		case lb == LBHardware || standalone:
			pi.intWebFQDN = fold(p.FQDN)
		}
		pi.extWebFQDN = fold(web.extFQDN)
		for _, s := range srv {
			if s.addr.IsValid() && s.s.StateName() == StateActive {
				pi.active = append(pi.active, s.addr)
			}
		}
		v.poolInfo[fold(p.FQDN)] = pi
	}
}

// checkEdition applies the edition rules and reports whether the pool is
// one server that is its own pool (standalone): a Standard Edition server,
// or a Director, Mediation or Edge pool of one server whose FQDN is the
// pool's. Such a pool has no load balancer, no quorum, and no internal web
// services override.
func (v *validator) checkEdition(p *Pool, role Role, roleOK bool) bool {
	single := p.oneServer()
	if p.Edition != nil {
		if !oneOf(&v.collector, p.Edition, p.EditionRange, "edition", editions) {
			return single
		}
		if roleOK && role != RoleFrontend {
			v.errorf(p.EditionRange, "Edition on a pool that is not a Front End pool", "edition tells a Standard Edition server from an Enterprise Edition Front End pool; pool %q is a %s pool. A %s deployed as one server is a pool of one server whose fqdn is the pool FQDN (or left out).", p.Name, role, role)
			return single
		}
	}
	if !roleOK || role != RoleFrontend {
		return single
	}
	if p.EditionName() == EditionStandard {
		switch {
		case len(p.Servers) != 1:
			v.errorf(p.EditionRange, "Standard Edition pool of several servers", "A Standard Edition server is its own pool: pool %q needs exactly one server block, and has %d. For a pool of Front End servers, use the Enterprise Edition (remove edition).", p.Name, len(p.Servers))
		case !single:
			sv := p.Servers[0]
			v.errorf(sv.FQDNRange, "Standard Edition server with an FQDN of its own", "A Standard Edition server is its own pool: its FQDN is the pool FQDN %q. Leave fqdn out of server %q, or write the pool FQDN.", p.FQDN, sv.Name)
		}
		return true
	}
	if single {
		sv := p.Servers[0]
		rng := sv.FQDNRange
		if absent(rng) {
			rng = sv.DefRange
		}
		v.errorf(rng, "Enterprise Edition pool named like its server", "Pool %q is an Enterprise Edition Front End pool (the default), which has a pool FQDN of its own besides its servers'. A single server that is its own pool is a Standard Edition server: set edition = \"standard\" on the pool, or give server %q an FQDN of its own.", p.Name, sv.Name)
		return true
	}
	return false
}

// oneServer reports whether the pool is written as one server that is the
// pool: a single server block whose fqdn is left out or is the pool FQDN.
func (p *Pool) oneServer() bool {
	return len(p.Servers) == 1 && (absent(p.Servers[0].FQDNRange) || fold(p.Servers[0].FQDN) == fold(p.FQDN))
}

// standaloneWhat names a standalone pool for messages.
func standaloneWhat(p *Pool, role Role) string {
	switch role {
	case RoleFrontend:
		return fmt.Sprintf("Standard Edition server %q", p.Name)
	case RoleDirector:
		return fmt.Sprintf("pool %q, a Director deployed as a single server,", p.Name)
	}
	return fmt.Sprintf("pool %q, a single %s server,", p.Name, role)
}

// webAddrs is what checkWebServices found usable for records.
type webAddrs struct {
	intFQDN, extFQDN string
	// intVIP is the internal web services' address: the HLB VIP, or a
	// standalone server's own address.
	intVIP netip.Addr
	// extProxy is the reverse proxy's public address (external view),
	// extVIP the external web services' HLB VIP (internal view).
	extProxy, extVIP netip.Addr
}

func (v *validator) checkWebServices(p *Pool, ws *WebServices, role Role, lb LoadBalancing, standalone bool) webAddrs {
	var w webAddrs
	needsOverride := !standalone && lb == LBDNS && (role == RoleFrontend || role == RoleDirector)
	if ws == nil {
		if needsOverride {
			v.errorf(p.DefRange, "DNS load balancing needs a web services override",
				"Pool %q uses DNS load balancing, so its FQDN %q resolves to the servers' own addresses. Client web services (HTTPS) still need the hardware load balancer's VIP, so the internal web services FQDN must be overridden with a different name that resolves to that VIP: add web_services { internal_fqdn = \"...\" internal_vip = \"...\" }.", p.Name, p.FQDN)
		}
		return w
	}
	if ws.InternalFQDN != nil {
		if v.fqdnOK(*ws.InternalFQDN, ws.InternalFQDNRange, "internal web services FQDN") {
			same := fold(*ws.InternalFQDN) == fold(p.FQDN)
			switch {
			case same && standalone:
				// The default, written out.
			case standalone:
				v.errorf(ws.InternalFQDNRange, "Web services override on a single server",
					"The internal web services FQDN of %s cannot be overridden: its web services are the server itself, at the pool FQDN %q (Topology Builder offers no override for it). Remove internal_fqdn.", standaloneWhat(p, role), p.FQDN)
			case same && lb == LBDNS:
				v.errorf(ws.InternalFQDNRange, "Web services FQDN equals the pool FQDN",
					"With DNS load balancing the pool FQDN %q resolves to the physical servers' addresses, while HTTP must reach the hardware load balancer's VIP: your Front End pool and internal web farm cannot have the same FQDN. Override internal_fqdn with a different name (for example \"web-int.%s\").", p.FQDN, parentDomain(p.FQDN))
			case same:
				// Hardware load balancing: the default, no override.
			default:
				if v.claimFQDN(*ws.InternalFQDN, ws.InternalFQDNRange, "internal web services of pool "+p.Name) {
					w.intFQDN = *ws.InternalFQDN
				}
			}
		}
	} else if needsOverride {
		v.errorf(ws.DefRange, "Missing internal web services override",
			"Pool %q uses DNS load balancing, so the internal web services FQDN must be overridden with a name different from the pool FQDN %q that resolves to the hardware load balancer's VIP. Set internal_fqdn.", p.Name, p.FQDN)
	}
	switch {
	case ws.InternalVIP != nil && standalone:
		v.errorf(ws.InternalVIPRange, "Internal web services VIP on a single server",
			"The internal web services of %s answer on the server's own address (its ip); there is no load balancer VIP. Remove internal_vip.", standaloneWhat(p, role))
	case ws.InternalVIP != nil:
		if a, ok := v.addrOK(*ws.InternalVIP, ws.InternalVIPRange, "internal web services VIP"); ok {
			w.intVIP = a
		}
	case w.intFQDN != "" || needsOverride:
		v.errorf(ws.DefRange, "Missing internal web services VIP",
			"The internal web services FQDN must resolve to the hardware load balancer's virtual IP for HTTP (ports 443 and 80). Set internal_vip.")
	}
	v.checkExternalWeb(p, ws, &w)
	return w
}

// checkExternalWeb checks the external web services: an FQDN, the reverse
// proxy's public address it has on the Internet, and optionally the HLB VIP
// it has inside.
func (v *validator) checkExternalWeb(p *Pool, ws *WebServices, w *webAddrs) {
	if ws.ExternalFQDN != nil {
		if v.fqdnOK(*ws.ExternalFQDN, ws.ExternalFQDNRange, "external web services FQDN") {
			if v.claimFQDN(*ws.ExternalFQDN, ws.ExternalFQDNRange, "external web services of pool "+p.Name) {
				w.extFQDN = *ws.ExternalFQDN
			}
		}
		switch {
		case ws.ExternalProxyIP != nil:
		case ws.ExternalVIP != nil:
			v.errorf(ws.ExternalVIPRange, "External web services without a reverse proxy address",
				"On the Internet the external web services FQDN resolves to the reverse proxy's public address: set external_proxy_ip. external_vip is the hardware load balancer's VIP of the external web services, published only in the internal view (for mobile clients that resolve names inside). Topologies written before external_proxy_ip existed used external_vip for the public address: if %s is the reverse proxy's public address, rename external_vip to external_proxy_ip.", *ws.ExternalVIP)
		default:
			v.errorf(ws.ExternalFQDNRange, "Missing reverse proxy address",
				"On the Internet the external web services FQDN resolves to the reverse proxy's public address, which proxies to the external web services. Set external_proxy_ip.")
		}
	}
	if ws.ExternalProxyIP != nil {
		if a, ok := v.addrOK(*ws.ExternalProxyIP, ws.ExternalProxyIPRange, "reverse proxy address"); ok {
			w.extProxy = a
		}
		if ws.ExternalFQDN == nil {
			v.errorf(ws.ExternalProxyIPRange, "Missing external web services FQDN", "external_proxy_ip is the public address of the external web services FQDN. Set external_fqdn.")
		}
	}
	if ws.ExternalVIP != nil {
		if a, ok := v.addrOK(*ws.ExternalVIP, ws.ExternalVIPRange, "external web services VIP"); ok {
			w.extVIP = a
		}
		if ws.ExternalFQDN == nil {
			v.errorf(ws.ExternalVIPRange, "Missing external web services FQDN", "external_vip is the inside address of the external web services FQDN. Set external_fqdn.")
		}
	}
}

// privateAddr reports whether a cannot be reached from the Internet: RFC
// 1918, IPv6 unique local (fc00::/7), loopback or link-local.
func privateAddr(a netip.Addr) bool {
	return a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast()
}

// warnPrivate warns about a private address that a record publishes in
// the external view.
func (v *validator) warnPrivate(name string, a netip.Addr, rng hcl.Range, hint string) {
	v.warnf(rng, "Private address in the external view",
		"%q would resolve on the Internet to %s, a private address (RFC 1918, IPv6 unique local, loopback or link-local) that no client outside can reach.%s", name, a, hint)
}
