package topology

import (
	"net/netip"
	"net/url"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// poolInfo is what sip_domain blocks need of a pool.
type poolInfo struct {
	pool *Pool
	path string
	role Role
	lb   LoadBalancing
	vip  netip.Addr // hardware load balancer VIP
	// intWeb is where the pool's internal web services answer:
	// lyncdiscoverinternal and the internal simple URLs resolve to it. The
	// internal web services VIP; for a hardware-balanced pool without one,
	// the pool VIP; for a standalone server, its own address.
	intWeb     netip.Addr
	standalone bool         // one server that is its own pool
	active     []netip.Addr // active servers' addresses
}

// checkSIPDomains validates sip_domain blocks and queues their records:
// internally the automatic sign-in SRV to the pool (port 5061), sip.<domain>
// to the pool's servers, lyncdiscoverinternal and the simple URLs to the
// internal web VIP; externally sip.<domain> to the Access Edge with the
// _sip._tls (443) and _sipfederationtls._tcp (5061) SRVs, lyncdiscover and
// the meet and dialin simple URLs to the reverse proxy.
func (v *validator) checkSIPDomains() {
	seen := map[string]*SIPDomain{}
	for _, sd := range v.f.SIPDomains {
		if why := checkFQDN(sd.Name); why != "" {
			v.errorf(sd.LabelRange, "Invalid SIP domain", "The SIP domain %q is not a valid domain name: %s.", sd.Name, why)
			continue
		}
		d := fold(sd.Name)
		if prev, ok := seen[d]; ok {
			v.errorf(sd.LabelRange, "Duplicate SIP domain", "SIP domain %q is already declared at %s.", sd.Name, at(prev.DefRange))
			continue
		}
		seen[d] = sd
		src := "sip_domain." + d
		clash := map[string]bool{}
		add := func(name string, view View, typ, value string, addr netip.Addr, source string) *pendingRecord {
			// A generated name may not take over a name the topology
			// already gives a server, pool or web services FQDN.
			if prev, taken := v.fqdns[name]; taken {
				if !clash[name] {
					clash[name] = true
					v.errorf(sd.DefRange, "SIP domain record collides with a topology name", "SIP domain %q needs a record at %q (%s), but that name is already %s's at %s. Rename one of them.", d, name, source, prev.what, at(prev.rng))
				}
				return nil
			}
			v.recs = append(v.recs, pendingRecord{name: name, view: view, typ: typ, value: value, addr: addr, source: source, rng: sd.DefRange})
			return &v.recs[len(v.recs)-1]
		}

		pi, ok := v.poolInfo[fold(sd.Pool)]
		switch {
		case absent(sd.PoolRange):
			// pool is missing: hcl has reported it.
		case !ok:
			v.errorf(sd.PoolRange, "Unknown pool", "No pool in the topology has the FQDN %q. pool names the Front End pool that registers this domain's users.", sd.Pool)
		case pi.role != RoleFrontend && pi.role != RoleDirector:
			v.errorf(sd.PoolRange, "Not a registrar pool", "Pool %q is a %s pool; the SIP domain's records point at a Front End or Director pool.", pi.pool.Name, pi.role)
		default:
			poolFQDN := fold(pi.pool.FQDN)
			// DOMAIN.md: an SRV target must be an A record in the same
			// domain as the SRV record.
			if !strings.HasSuffix(poolFQDN, "."+d) {
				v.errorf(sd.PoolRange, "SRV target outside the SIP domain",
					"_sipinternaltls._tcp.%s would point at %q, which is not in %s. Lync and Skype for Business clients only accept an SRV target that is an A record in the same domain as the SRV record: use a pool in %s, or add a pool FQDN there.", d, poolFQDN, d, d)
			} else {
				add("_sipinternaltls._tcp."+d, ViewInternal, "SRV", "0 0 5061 "+poolFQDN+".", netip.Addr{}, src+".sipinternaltls")
			}
			addrs := pi.active
			if pi.lb == LBHardware {
				addrs = []netip.Addr{pi.vip}
			}
			for _, a := range addrs {
				add("sip."+d, ViewInternal, "", "", a, src+".sip_internal")
			}
			if pi.intWeb.IsValid() {
				add("lyncdiscoverinternal."+d, ViewInternal, "", "", pi.intWeb, src+".lyncdiscoverinternal")
			}
		}

		var edge, rp netip.Addr
		if sd.AccessEdgeIP != nil {
			edge, _ = v.addrOK(*sd.AccessEdgeIP, sd.AccessEdgeIPRange, "Access Edge address")
		}
		if sd.ReverseProxyIP != nil {
			rp, _ = v.addrOK(*sd.ReverseProxyIP, sd.ReverseProxyIPRange, "reverse proxy address")
		}
		if edge.IsValid() {
			if r := add("sip."+d, ViewExternal, "", "", edge, src+".access_edge"); r != nil {
				r.addrRng, r.hint = sd.AccessEdgeIPRange, " access_edge_ip is the Access Edge service's public address (behind NAT, the NAT's public address)."
			}
			add("_sip._tls."+d, ViewExternal, "SRV", "0 0 443 sip."+d+".", netip.Addr{}, src+".sip_tls")
			add("_sipfederationtls._tcp."+d, ViewExternal, "SRV", "0 0 5061 sip."+d+".", netip.Addr{}, src+".sipfederationtls")
		}
		if rp.IsValid() {
			if r := add("lyncdiscover."+d, ViewExternal, "", "", rp, src+".lyncdiscover"); r != nil {
				r.addrRng, r.hint = sd.ReverseProxyIPRange, " reverse_proxy_ip is the reverse proxy's public address."
			}
		}
		v.checkSimpleURLs(sd, d, pi, rp, add)
	}
}

// checkSimpleURLs applies the simple URL rules (https, no port, no pool
// FQDN, none a prefix of another) and queues each host's records: the
// internal web services VIP inside, the reverse proxy outside (admin stays
// internal).
func (v *validator) checkSimpleURLs(sd *SIPDomain, d string, pi *poolInfo, rp netip.Addr, add func(name string, view View, typ, value string, addr netip.Addr, source string) *pendingRecord) {
	type simple struct {
		kind string
		val  *string
		rng  hcl.Range
		norm string
		host string
	}
	all := []*simple{{kind: "meet", val: sd.Meet, rng: sd.MeetRange}, {kind: "dialin", val: sd.Dialin, rng: sd.DialinRange}, {kind: "admin", val: sd.Admin, rng: sd.AdminRange}}
	var ok []*simple
	for _, s := range all {
		if s.val == nil {
			continue
		}
		u, err := url.Parse(*s.val)
		switch {
		case err != nil || u.Host == "":
			v.errorf(s.rng, "Invalid simple URL", "The %s simple URL %q is not a URL such as \"https://%s.%s\".", s.kind, *s.val, s.kind, d)
			continue
		case u.Scheme != "https":
			v.errorf(s.rng, "Simple URL must use https", "Simple URLs must start with https:// (the %s URL is %q).", s.kind, *s.val)
			continue
		case u.Port() != "":
			v.errorf(s.rng, "Simple URL with a port", "Simple URLs may not name a port; the reverse proxy maps 443 to the pool (the %s URL is %q).", s.kind, *s.val)
			continue
		case u.RawQuery != "" || u.Fragment != "":
			v.errorf(s.rng, "Invalid simple URL", "The %s simple URL %q may not have a query or fragment.", s.kind, *s.val)
			continue
		}
		host := fold(u.Hostname())
		if why := checkFQDN(host); why != "" {
			v.errorf(s.rng, "Invalid simple URL", "The host of the %s simple URL, %q, is not a valid FQDN: %s.", s.kind, host, why)
			continue
		}
		if _, isPool := v.poolInfo[host]; isPool {
			v.errorf(s.rng, "Simple URL names a pool FQDN", "The %s simple URL %q uses the pool FQDN %q. Simple URLs may not contain a pool FQDN: use a name of its own such as %s.%s.", s.kind, *s.val, host, s.kind, d)
			continue
		}
		s.host = host
		s.norm = strings.ToLower(strings.TrimSuffix(u.Host+u.Path, "/")) + "/"
		ok = append(ok, s)
	}
	// None may be a prefix of another: https://contoso.com/meet and
	// https://contoso.com/meet/dialin cannot be told apart.
	for i, a := range ok {
		for j, b := range ok {
			// Equal URLs are one problem: report it once.
			if i != j && strings.HasPrefix(b.norm, a.norm) && (a.norm != b.norm || i < j) {
				v.errorf(b.rng, "Simple URL is a prefix of another", "The %s simple URL %q starts with the %s simple URL %q; no simple URL may be a prefix of another.", b.kind, *b.val, a.kind, *a.val)
			}
		}
	}
	hosts := map[string]bool{}
	for _, s := range ok {
		if s.host == d || hosts[s.host+s.kind] {
			continue // the domain's own apex is not topo's to point
		}
		hosts[s.host+s.kind] = true
		if pi != nil && pi.intWeb.IsValid() && !hosts[s.host+"/int"] {
			hosts[s.host+"/int"] = true
			add(s.host, ViewInternal, "", "", pi.intWeb, "sip_domain."+d+".simple_url."+s.kind)
		}
		if s.kind != "admin" && rp.IsValid() && !hosts[s.host+"/ext"] {
			hosts[s.host+"/ext"] = true
			if r := add(s.host, ViewExternal, "", "", rp, "sip_domain."+d+".simple_url."+s.kind); r != nil {
				r.addrRng, r.hint = sd.ReverseProxyIPRange, " reverse_proxy_ip is the reverse proxy's public address."
			}
		}
	}
}
