package topology

import (
	"fmt"
	"net/netip"

	"github.com/hashicorp/hcl/v2"
)

// edgeService is one of the three services on an Edge pool's external
// interface, as the pool's and each server's edge blocks write it.
type edgeService struct {
	key  string // attribute prefix and record source suffix: "access", "webconf", "av"
	name string // "Access Edge", ...

	fqdn    *string
	fqdnRng hcl.Range
	vip     *string
	vipRng  hcl.Range

	ip     func(*ServerEdge) (*string, hcl.Range)
	public func(*ServerEdge) (*string, hcl.Range)

	// Found while checking.
	fqdnOK bool
}

func edgeServices(e *EdgeFacts) []*edgeService {
	var f EdgeFacts
	if e != nil {
		f = *e
	}
	return []*edgeService{
		{key: "access", name: "Access Edge", fqdn: f.AccessFQDN, fqdnRng: f.AccessFQDNRange, vip: f.AccessVIP, vipRng: f.AccessVIPRange,
			ip:     func(s *ServerEdge) (*string, hcl.Range) { return s.AccessIP, s.AccessIPRange },
			public: func(s *ServerEdge) (*string, hcl.Range) { return s.AccessPublicIP, s.AccessPublicIPRange }},
		{key: "webconf", name: "Web Conferencing Edge", fqdn: f.WebConfFQDN, fqdnRng: f.WebConfFQDNRange, vip: f.WebConfVIP, vipRng: f.WebConfVIPRange,
			ip:     func(s *ServerEdge) (*string, hcl.Range) { return s.WebConfIP, s.WebConfIPRange },
			public: func(s *ServerEdge) (*string, hcl.Range) { return s.WebConfPublicIP, s.WebConfPublicIPRange }},
		{key: "av", name: "A/V Edge", fqdn: f.AVFQDN, fqdnRng: f.AVFQDNRange, vip: f.AVVIP, vipRng: f.AVVIPRange,
			ip:     func(s *ServerEdge) (*string, hcl.Range) { return s.AVIP, s.AVIPRange },
			public: func(s *ServerEdge) (*string, hcl.Range) { return s.AVPublicIP, s.AVPublicIPRange }},
	}
}

// checkEdge checks an Edge pool's external interface and queues its
// records, all in the external view: with DNS load balancing, each
// service FQDN has one address record per active Edge server, its public
// (NAT) address where one is given; with hardware load balancing, one per
// VIP. A server edge block outside an Edge pool is an error.
func (v *validator) checkEdge(path string, p *Pool, role Role, lb LoadBalancing, srv []pendingServer) (info edgeInfo) {
	if role != RoleEdge {
		for _, s := range p.Servers {
			if s.Edge != nil {
				v.errorf(s.Edge.DefRange, "Edge interfaces on a server outside an Edge pool", "Server %q is in pool %q, a %s pool; only Edge servers have an external interface. Remove its edge block, or set role = \"edge\" on the pool.", s.Name, p.Name, role)
			}
		}
		return
	}
	e := p.Edge
	svcs := edgeServices(e)
	access, webconf, av := svcs[0], svcs[1], svcs[2]
	described := access.fqdn != nil || webconf.fqdn != nil || av.fqdn != nil || access.vip != nil || webconf.vip != nil || av.vip != nil
	for _, s := range p.Servers {
		described = described || s.Edge != nil
	}
	if !described {
		return info // an Edge pool described by its internal side only
	}
	if (webconf.fqdn == nil) != (av.fqdn == nil) {
		one, other := webconf, av
		if one.fqdn == nil {
			one, other = av, webconf
		}
		v.errorf(one.fqdnRng, "Web Conferencing and A/V Edge FQDNs go together", "Either the three Edge services have external FQDNs of their own (access_fqdn, webconf_fqdn and av_fqdn), or the Web Conferencing and A/V Edge services share the Access Edge FQDN and address on distinct ports (leave both out). Set %s_fqdn too, or remove %s_fqdn.", other.key, one.key)
	}
	if access.fqdn == nil {
		rng := p.DefRange
		if e != nil {
			rng = e.DefRange
		}
		v.errorf(rng, "Missing Access Edge FQDN", "Pool %q describes its external interface but not the FQDN external clients and federated partners reach its Access Edge service at: set access_fqdn in the pool's edge block (for example \"sip.contoso.com\" or \"access.contoso.com\").", p.Name)
	}
	for _, svc := range svcs {
		if svc.fqdn != nil && v.fqdnOK(*svc.fqdn, svc.fqdnRng, svc.name+" FQDN") {
			svc.fqdnOK = v.claimFQDNIn(*svc.fqdn, svc.fqdnRng, svc.name+" of pool "+p.Name, ViewExternal)
		}
	}
	if access.fqdnOK {
		info.accessFQDN = fold(*access.fqdn)
	}

	hardware := lb == LBHardware
	for _, svc := range svcs {
		switch {
		case svc.vip != nil && !hardware:
			v.errorf(svc.vipRng, "VIP with DNS load balancing", "With DNS load balancing the %s FQDN resolves to each Edge server's own external address; %s_vip is a hardware load balancer's. Remove it, or set load_balancing = \"hardware\" on the pool (both Edge interfaces use the same load balancing).", svc.name, svc.key)
		case svc.vip != nil && svc.fqdn == nil:
			v.errorf(svc.vipRng, "Edge VIP without its FQDN", "%s_vip is the address of the %s FQDN: set %s_fqdn too.", svc.key, svc.name, svc.key)
		case svc.vip != nil:
			if a, ok := v.addrOK(*svc.vip, svc.vipRng, svc.name+" VIP"); ok && svc.fqdnOK {
				if svc == access {
					info.access = append(info.access, a)
				}
				v.queueEdgeRecord(p, *svc.fqdn, a, path+".edge."+svc.key, svc.fqdnRng, svc.vipRng, fmt.Sprintf(" %s_vip is the external load balancer's public VIP; behind a hardware load balancer the Edge servers use publicly routable addresses without NAT.", svc.key))
			}
		case hardware && svc.fqdn != nil:
			v.errorf(svc.fqdnRng, "Hardware load balancing needs the Edge VIP", "Behind a hardware load balancer the %s FQDN %q resolves to the load balancer's VIP (one A record per VIP). Set %s_vip in the pool's edge block.", svc.name, *svc.fqdn, svc.key)
		}
	}

	// Each server's external addresses, and NAT on all of them or none.
	var natAt, plainAt hcl.Range
	var plainKey string
	for _, s := range srv {
		se := s.s.Edge
		for _, svc := range svcs {
			var ip, pub *string
			var ipRng, pubRng hcl.Range
			if se != nil {
				ip, ipRng = svc.ip(se)
				pub, pubRng = svc.public(se)
			}
			if svc.fqdn == nil {
				if svc != access && (ip != nil || pub != nil) {
					rng := ipRng
					if ip == nil {
						rng = pubRng
					}
					v.errorf(rng, "Edge address without its FQDN", "Without webconf_fqdn and av_fqdn on pool %q, the Web Conferencing and A/V Edge services share the Access Edge FQDN and access_ip. Set both FQDNs in the pool's edge block, or remove the %s addresses.", p.Name, svc.key)
				}
				continue
			}
			if ip == nil {
				switch {
				case pub != nil:
					v.errorf(pubRng, "NAT public address without the interface address", "%s_public_ip is the public address NAT maps to the server's %s interface: set %s_ip, the address the interface itself has.", svc.key, svc.name, svc.key)
				case !hardware:
					rng := s.s.DefRange
					if se != nil {
						rng = se.DefRange
					}
					v.errorf(rng, "Missing Edge address", "With DNS load balancing the %s FQDN %q has one address record per Edge server: set %s_ip in the edge block of server %q.", svc.name, *svc.fqdn, svc.key, s.s.Name)
				}
				continue
			}
			a, ok := v.edgeAddr(*ip, ipRng, s.s.Name, svc.name+" address")
			publish := a
			if pub != nil {
				if natAt == (hcl.Range{}) {
					natAt = pubRng
				}
				if hardware {
					v.errorf(pubRng, "NAT with hardware load balancing", "NAT is supported on a scaled consolidated Edge only with DNS load balancing: behind a hardware load balancer the Edge servers' external interfaces need publicly routable addresses without NAT. Remove %s_public_ip and use a public %s_ip, or balance the pool with DNS on both interfaces.", svc.key, svc.key)
				} else if pa, pok := v.edgeAddr(*pub, pubRng, s.s.Name, svc.name+" public address"); pok {
					publish, ipRng = pa, pubRng
				} else {
					ok = false
				}
			} else if plainAt == (hcl.Range{}) {
				plainAt, plainKey = ipRng, svc.key
			}
			if ok && !hardware && svc.fqdnOK && s.s.StateName() == StateActive {
				if svc == access {
					info.access = append(info.access, publish)
				}
				v.queueEdgeRecord(p, *svc.fqdn, publish, s.path+".edge."+svc.key, svc.fqdnRng, ipRng, fmt.Sprintf(" Behind NAT, set %s_public_ip to the public address NAT maps to it.", svc.key))
			}
		}
	}
	if !hardware && natAt != (hcl.Range{}) && plainAt != (hcl.Range{}) {
		v.errorf(plainAt, "NAT on some Edge interfaces only", "Pool %q has external interfaces behind NAT (%s) and others without. With NAT, every external interface of every Edge server sits behind symmetric NAT and has a public address of its own: set %s_public_ip here too, or remove the public addresses.", p.Name, at(natAt), plainKey)
	}
	return info
}

// edgeInfo is what a SIP domain needs of an Edge pool: its Access Edge
// FQDN and the addresses that FQDN resolves to on the Internet.
type edgeInfo struct {
	accessFQDN string
	access     []netip.Addr
}

// edgeAddr parses an Edge external address and claims it: no two
// interfaces share one.
func (v *validator) edgeAddr(s string, rng hcl.Range, server, what string) (netip.Addr, bool) {
	a, ok := v.addrOK(s, rng, what)
	if !ok {
		return a, false
	}
	if prev, dup := v.ips[a]; dup {
		v.errorf(rng, "Duplicate IP address", "%s is already the address of %s at %s. Every Edge interface has an address of its own.", a, prev.what, at(prev.rng))
		return a, false
	}
	v.ips[a] = owner{what: fmt.Sprintf("server %s's %s", server, what), rng: rng}
	return a, true
}

func (v *validator) queueEdgeRecord(p *Pool, name string, a netip.Addr, source string, rng, addrRng hcl.Range, hint string) {
	v.recs = append(v.recs, pendingRecord{name: fold(name), view: ViewExternal, addr: a, ttl: p.TTL, source: source, rng: rng, addrRng: addrRng, hint: hint})
}

// checkEdgePoolSize: a single Edge pool supports up to 12 Edge servers;
// Topology Builder accepts up to 20, untested and unsupported.
func (v *validator) checkEdgePoolSize(p *Pool) {
	const supported = 12
	switch n := len(p.Servers); {
	case n > topologyBuilderMax:
		v.errorf(p.DefRange, "Too many Edge servers", "Pool %q has %d Edge servers. Topology Builder accepts at most %d in an Edge pool, and %d are supported; create another Edge pool for more.", p.Name, n, topologyBuilderMax, supported)
	case n > supported:
		v.warnf(p.DefRange, "More Edge servers than supported", "Pool %q has %d Edge servers; a single Edge pool supports up to %d. Topology Builder accepts up to %d, but that is not tested or supported: create another Edge pool for more.", p.Name, n, supported, topologyBuilderMax)
	}
}
