package topology

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// poolInfo is what sip_domain blocks, pairings and Office Online Server
// need of a pool.
type poolInfo struct {
	pool *Pool
	site *Site
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
	// intWebFQDN and extWebFQDN are the internal and external web
	// services FQDNs, what CNAMEs point at ("" when there is none).
	intWebFQDN, extWebFQDN string
	edge                   edgeInfo // an Edge pool's external side
}

// addrs is what the pool FQDN resolves to: the active servers' addresses,
// or the hardware load balancer's VIP.
func (pi *poolInfo) addrs() []netip.Addr {
	if pi.lb == LBHardware {
		if pi.vip.IsValid() {
			return []netip.Addr{pi.vip}
		}
		return nil
	}
	return pi.active
}

// sipScope is one sip_domain block being compiled: where its records go
// and what they point at.
type sipScope struct {
	v     *validator
	sd    *SIPDomain
	d     string    // the domain, folded
	src   string    // "sip_domain.<d>"
	pi    *poolInfo // the registrar pool; nil when unknown
	rp    netip.Addr
	clash map[string]bool
}

// add queues one record of the domain. A generated name may not take over
// a name the topology already gives a server, pool or web services FQDN.
func (s *sipScope) add(name string, view View, typ, value string, addr netip.Addr, source string) *pendingRecord {
	v := s.v
	if prev, taken := v.fqdns[name]; taken && (prev.view == "" || prev.view == view) {
		if !s.clash[name] {
			s.clash[name] = true
			v.errorf(s.sd.DefRange, "SIP domain record collides with a topology name", "SIP domain %q needs a record at %q (%s), but that name is already %s's at %s. Rename one of them.", s.d, name, source, prev.what, at(prev.rng))
		}
		return nil
	}
	v.recs = append(v.recs, pendingRecord{name: name, view: view, typ: typ, value: value, addr: addr, source: source, rng: s.sd.DefRange})
	return &v.recs[len(v.recs)-1]
}

// addrsAt queues one address record per address at name.
func (s *sipScope) addrsAt(name string, view View, addrs []netip.Addr, source string) {
	for _, a := range addrs {
		s.add(name, view, "", "", a, source)
	}
}

// cname reports whether the domain's cname block asks for a CNAME at the
// record that attr names.
func cnameOf(c *SIPCNAME, attr string) (bool, hcl.Range) {
	if c == nil {
		return false, hcl.Range{}
	}
	var p *bool
	var r hcl.Range
	switch attr {
	case "lyncdiscover":
		p, r = c.LyncDiscover, c.LyncDiscoverRange
	case "lyncdiscoverinternal":
		p, r = c.LyncDiscoverInternal, c.LyncDiscoverInternalRange
	case "meet":
		p, r = c.Meet, c.MeetRange
	case "dialin":
		p, r = c.Dialin, c.DialinRange
	case "admin":
		p, r = c.Admin, c.AdminRange
	case "sip":
		p, r = c.SIP, c.SIPRange
	}
	return p != nil && *p, r
}

// webTarget queues the record a discovery name or a simple URL host needs
// in view: a CNAME to the pool's web services FQDN of that view when the
// cname block asks, an A/AAAA record to its address otherwise (the
// internal web address inside, the reverse proxy outside). It reports
// what it queued, for simple URL hosts shared by several URLs.
func (s *sipScope) webTarget(name string, view View, attr, source string, hint string) (string, bool) {
	pi := s.pi
	cname, rng := cnameOf(s.sd.CNAME, attr)
	if cname {
		target := ""
		if pi != nil {
			target = pi.intWebFQDN
			if view == ViewExternal {
				target = pi.extWebFQDN
			}
		}
		if target == "" {
			if pi != nil {
				which, set := "internal", "internal_fqdn (or balance the pool with hardware, whose web services answer at the pool FQDN)"
				if view == ViewExternal {
					which, set = "external", "external_fqdn and external_proxy_ip"
				}
				s.v.errorf(rng, "CNAME without a web services FQDN", "A CNAME at %s in the %s view points at the %s web services FQDN of pool %q, which has none: set %s in its web_services block, or leave the record an address record.", name, view, which, pi.pool.Name, set)
			}
			return "", false
		}
		s.add(name, view, "CNAME", target+".", netip.Addr{}, source)
		return "CNAME " + target, true
	}
	a := netip.Addr{}
	if view == ViewExternal {
		a = s.rp
	} else if pi != nil {
		a = pi.intWeb
	}
	if !a.IsValid() {
		return "", false
	}
	if r := s.add(name, view, "", "", a, source); r != nil && view == ViewExternal {
		r.addrRng, r.hint = s.sd.ReverseProxyIPRange, hint
	}
	return "A " + a.String(), true
}

const proxyHint = " reverse_proxy_ip is the reverse proxy's public address."

// checkSIPDomains validates sip_domain blocks and queues their records:
// internally the automatic sign-in SRV to the pool (port 5061, or to a name
// inside the domain for a second SIP domain), sip.<domain> to the pool's
// servers, lyncdiscoverinternal and the simple URLs to the internal web
// services; externally sip.<domain> to the Access Edge with the _sip._tls
// (443) and _sipfederationtls._tcp (5061) SRVs, lyncdiscover and the meet
// and dialin simple URLs to the reverse proxy; and the optional records
// each domain opts into. Simple URLs are checked across the organisation.
func (v *validator) checkSIPDomains() {
	domains := map[string]bool{}
	for _, sd := range v.f.SIPDomains {
		if checkFQDN(sd.Name) == "" {
			domains[fold(sd.Name)] = true
		}
	}
	seen := map[string]*SIPDomain{}
	var urls []*simpleURL
	var scopes []*sipScope
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
		s := &sipScope{v: v, sd: sd, d: d, src: "sip_domain." + d, clash: map[string]bool{}}
		scopes = append(scopes, s)
		v.sipInternal(s)
		if sd.ReverseProxyIP != nil {
			s.rp, _ = v.addrOK(*sd.ReverseProxyIP, sd.ReverseProxyIPRange, "reverse proxy address")
		}
		v.sipExternal(s)
		s.webTarget("lyncdiscover."+d, ViewExternal, "lyncdiscover", s.src+".lyncdiscover", proxyHint)
		urls = append(urls, v.parseSimpleURLs(s, domains)...)
	}
	v.checkSimpleURLs(scopes, urls)
}

// sipInternal checks the registrar pool and queues the internal records.
func (v *validator) sipInternal(s *sipScope) {
	sd, d, src := s.sd, s.d, s.src
	pi, ok := v.poolInfo[fold(sd.Pool)]
	switch {
	case absent(sd.PoolRange):
		return // pool is missing: hcl has reported it.
	case !ok:
		v.errorf(sd.PoolRange, "Unknown pool", "No pool in the topology has the FQDN %q. pool names the Front End pool that registers this domain's users.", sd.Pool)
		return
	case pi.role != RoleFrontend && pi.role != RoleDirector:
		v.errorf(sd.PoolRange, "Not a registrar pool", "Pool %q is a %s pool; the SIP domain's records point at a Front End or Director pool.", pi.pool.Name, pi.role)
		return
	}
	s.pi = pi
	poolFQDN := fold(pi.pool.FQDN)
	addrs := pi.addrs()

	// DOMAIN.md: an SRV target must be an A record in the same domain as
	// the SRV record. A second SIP domain points it at a name of its own.
	target := poolFQDN
	if sd.SRVTarget != nil {
		target = ""
		t := fold(*sd.SRVTarget)
		switch {
		case !v.fqdnOK(*sd.SRVTarget, sd.SRVTargetRange, "SRV target"):
		case !inDomain(t, d):
			v.errorf(sd.SRVTargetRange, "SRV target outside the SIP domain", "srv_target %q is not in %s; it must be a name inside the SIP domain (sip.%s for a pin-point zone, or a pool alias such as %s in a matching internal zone).", t, d, d, firstLabel(poolFQDN)+"."+d)
		case t == poolFQDN || t == "sip."+d:
			target = t // its addresses come with the pool or sip.<domain>
		default:
			target = t
			s.addrsAt(t, ViewInternal, addrs, src+".srv_target")
		}
	} else if !inDomain(poolFQDN, d) {
		target = ""
		v.errorf(sd.PoolRange, "SRV target outside the SIP domain",
			"_sipinternaltls._tcp.%s would point at %q, which is not in %s. Lync and Skype for Business clients only accept an SRV target that is an A record in the same domain as the SRV record. For a second SIP domain, use one of Microsoft's two patterns: a pin-point zone (declare zone \"_sipinternaltls._tcp.%s\" and zone \"sip.%s\" with view = \"internal\", and set srv_target = \"sip.%s\"), or a matching internal zone (declare zone \"%s\" with view = \"internal\" and set srv_target = \"%s\", an A record for the pool inside %s).",
			d, poolFQDN, d, d, d, d, d, firstLabel(poolFQDN)+"."+d, d)
	}
	if target != "" {
		s.add("_sipinternaltls._tcp."+d, ViewInternal, "SRV", "0 0 5061 "+target+".", netip.Addr{}, src+".sipinternaltls")
	}
	s.addrsAt("sip."+d, ViewInternal, addrs, src+".sip_internal")
	s.webTarget("lyncdiscoverinternal."+d, ViewInternal, "lyncdiscoverinternal", src+".lyncdiscoverinternal", "")

	if on(sd.SIPInternal) {
		s.addrsAt("sipinternal."+d, ViewInternal, addrs, src+".sipinternal")
	}
	if on(sd.UCUpdates) {
		if pi.intWeb.IsValid() {
			s.add("ucupdates-r2."+d, ViewInternal, "", "", pi.intWeb, src+".ucupdates")
		}
	}
	if sd.NTPServer != nil && v.fqdnOK(*sd.NTPServer, sd.NTPServerRange, "NTP server") {
		s.add("_ntp._udp."+d, ViewInternal, "SRV", "0 0 123 "+fold(*sd.NTPServer)+".", netip.Addr{}, src+".ntp")
	}
}

// sipExternal queues the Access Edge records: sip.<domain>, the client and
// federation SRVs, and the opt-in XMPP SRV and sipexternal.
func (v *validator) sipExternal(s *sipScope) {
	sd, d, src := s.sd, s.d, s.src
	var target string       // SRV target: the Access Edge FQDN
	var access []netip.Addr // its public addresses
	var accessRng hcl.Range
	switch {
	case sd.EdgePool != nil && sd.AccessEdgeIP != nil:
		v.errorf(sd.AccessEdgeIPRange, "Access Edge given twice", "SIP domain %q names its Edge pool (edge_pool) and an Access Edge address (access_edge_ip); the Edge pool's Access Edge FQDN and addresses are the domain's. Remove access_edge_ip.", d)
	case sd.EdgePool != nil:
		pi, ok := v.poolInfo[fold(*sd.EdgePool)]
		switch {
		case !ok:
			v.errorf(sd.EdgePoolRange, "Unknown pool", "No pool in the topology has the FQDN %q. edge_pool names the internal FQDN of the Edge pool whose Access Edge serves this domain.", *sd.EdgePool)
		case pi.role != RoleEdge:
			v.errorf(sd.EdgePoolRange, "Not an Edge pool", "Pool %q is a %s pool; edge_pool names an Edge pool.", pi.pool.Name, pi.role)
		case pi.edge.accessFQDN == "":
			v.errorf(sd.EdgePoolRange, "Edge pool without an Access Edge FQDN", "Edge pool %q has no access_fqdn in its edge block, so the domain's SRV records have no target. Set access_fqdn on the pool.", pi.pool.Name)
		default:
			target, access = pi.edge.accessFQDN, pi.edge.access
			switch cname, _ := cnameOf(sd.CNAME, "sip"); {
			case target == "sip."+d:
				// The Access Edge FQDN is the domain's sip. name: the
				// Edge pool publishes it.
			case cname:
				s.add("sip."+d, ViewExternal, "CNAME", target+".", netip.Addr{}, src+".access_edge")
			default:
				s.addrsAt("sip."+d, ViewExternal, access, src+".access_edge")
			}
		}
	case sd.AccessEdgeIP != nil:
		if edge, ok := v.addrOK(*sd.AccessEdgeIP, sd.AccessEdgeIPRange, "Access Edge address"); ok {
			target, access, accessRng = "sip."+d, []netip.Addr{edge}, sd.AccessEdgeIPRange
			if r := s.add("sip."+d, ViewExternal, "", "", edge, src+".access_edge"); r != nil {
				r.addrRng, r.hint = sd.AccessEdgeIPRange, " access_edge_ip is the Access Edge service's public address (behind NAT, the NAT's public address)."
			}
		}
	}
	if target != "" {
		s.add("_sip._tls."+d, ViewExternal, "SRV", "0 0 443 "+target+".", netip.Addr{}, src+".sip_tls")
		s.add("_sipfederationtls._tcp."+d, ViewExternal, "SRV", "0 0 5061 "+target+".", netip.Addr{}, src+".sipfederationtls")
	}
	if on(sd.XMPPFederation) {
		switch product := v.f.ProductName(); {
		case product == ProductSfB2019:
			v.errorf(sd.XMPPFederationRange, "XMPP federation is gone in Skype for Business Server 2019", "Skype for Business Server 2019 no longer supports the XMPP gateway and proxy, so no _xmpp-server._tcp record should send XMPP partners to it. Remove xmpp_federation.")
		case product == ProductLync2010:
			v.errorf(sd.XMPPFederationRange, "No XMPP federation through the Edge in Lync Server 2010", "XMPP federation through the Access Edge (the XMPP proxy, _xmpp-server._tcp on port 5269) came with Lync Server 2013; Lync Server 2010 used a separate XMPP gateway. Remove xmpp_federation.")
		case target == "":
			v.errorf(sd.XMPPFederationRange, "XMPP federation without an Access Edge", "_xmpp-server._tcp.%s points at the Access Edge, which hosts the XMPP proxy: set edge_pool (or access_edge_ip).", d)
		default:
			s.add("_xmpp-server._tcp."+d, ViewExternal, "SRV", "0 0 5269 "+target+".", netip.Addr{}, src+".xmpp")
		}
	}
	if on(sd.SIPExternal) {
		if target == "" {
			v.errorf(sd.SIPExternalRange, "sipexternal without an Access Edge", "sipexternal.%s resolves to the Access Edge: set edge_pool (or access_edge_ip).", d)
		}
		for _, a := range access {
			if r := s.add("sipexternal."+d, ViewExternal, "", "", a, src+".sipexternal"); r != nil && !absent(accessRng) {
				r.addrRng = accessRng
			}
		}
	}
}

func on(b *bool) bool { return b != nil && *b }

// inDomain reports whether name is d or below it.
func inDomain(name, d string) bool { return name == d || strings.HasSuffix(name, "."+d) }

func firstLabel(fqdn string) string {
	l, _, _ := strings.Cut(fqdn, ".")
	return l
}

// simpleURL is one simple URL as parsed.
type simpleURL struct {
	kind  string // meet, dialin, admin
	val   string
	rng   hcl.Range
	norm  string // host and path, lowercased, with a trailing slash
	host  string
	scope *sipScope
}

// parseSimpleURLs applies the per-URL rules (https, no port, no query, a
// valid host that is neither a pool FQDN nor a SIP domain).
func (v *validator) parseSimpleURLs(s *sipScope, domains map[string]bool) []*simpleURL {
	sd, d := s.sd, s.d
	var out []*simpleURL
	for _, c := range []struct {
		kind string
		val  *string
		rng  hcl.Range
	}{{"meet", sd.Meet, sd.MeetRange}, {"dialin", sd.Dialin, sd.DialinRange}, {"admin", sd.Admin, sd.AdminRange}} {
		if c.val == nil {
			continue
		}
		host, norm, why := parseSimple(*c.val)
		switch {
		case why == "scheme":
			v.errorf(c.rng, "Simple URL must use https", "Simple URLs must start with https:// (the %s URL is %q).", c.kind, *c.val)
		case why == "port":
			v.errorf(c.rng, "Simple URL with a port", "Simple URLs may not name a port; the reverse proxy maps 443 to the pool (the %s URL is %q).", c.kind, *c.val)
		case why == "query":
			v.errorf(c.rng, "Invalid simple URL", "The %s simple URL %q may not have a query or fragment.", c.kind, *c.val)
		case why != "" && host == "":
			v.errorf(c.rng, "Invalid simple URL", "The %s simple URL %q is not a URL such as \"https://%s.%s\".", c.kind, *c.val, c.kind, d)
		case why != "":
			v.errorf(c.rng, "Invalid simple URL", "The host of the %s simple URL, %q, is not a valid FQDN: %s.", c.kind, host, why)
		case v.poolInfo[host] != nil:
			v.errorf(c.rng, "Simple URL names a pool FQDN", "The %s simple URL %q uses the pool FQDN %q. Simple URLs may not contain a pool FQDN: use a name of its own such as %s.%s.", c.kind, *c.val, host, c.kind, d)
		case domains[host]:
			v.errorf(c.rng, "Simple URL on a SIP domain", "The %s simple URL %q has the SIP domain %q as its host. Simple URLs use their own domain name, which must not match any SIP domain: use a name such as %s.%s.", c.kind, *c.val, host, c.kind, host)
		default:
			out = append(out, &simpleURL{kind: c.kind, val: *c.val, rng: c.rng, norm: norm, host: host, scope: s})
		}
	}
	return out
}

// parseSimple splits a simple URL into its host and normal form, or says
// what is wrong with it: "scheme", "port", "query", "url", or why the host
// is not an FQDN.
func parseSimple(raw string) (host, norm, why string) {
	const scheme = "https://"
	if len(raw) < len(scheme) || !strings.EqualFold(raw[:len(scheme)], scheme) {
		if i := strings.Index(raw, "://"); i > 0 {
			return "", "", "scheme"
		}
		return "", "", "url"
	}
	rest := raw[len(scheme):]
	if strings.ContainsAny(rest, "?#") {
		return "", "", "query"
	}
	hostPort, path, _ := strings.Cut(rest, "/")
	if strings.Contains(hostPort, "@") {
		return "", "", "url"
	}
	if strings.Contains(hostPort, ":") {
		return "", "", "port"
	}
	if hostPort == "" {
		return "", "", "url"
	}
	host = fold(hostPort)
	if why := checkFQDN(host); why != "" {
		return host, "", why
	}
	return host, strings.ToLower(strings.TrimSuffix(host+"/"+path, "/")) + "/", ""
}

// checkSimpleURLs applies the organisation's rules (simple-urls.md): a
// Meet URL for every SIP domain once any simple URL is declared, one
// Dial-in and one Admin URL in all, every URL unique and none a prefix of
// another; then queues each host's records once per view: the internal
// web services inside, the reverse proxy outside (Admin stays internal).
func (v *validator) checkSimpleURLs(scopes []*sipScope, urls []*simpleURL) {
	declared := false
	for _, s := range scopes {
		declared = declared || s.sd.Meet != nil || s.sd.Dialin != nil || s.sd.Admin != nil
	}
	if declared {
		for _, s := range scopes {
			if s.sd.Meet == nil {
				v.errorf(s.sd.DefRange, "Missing Meet simple URL", "Each SIP domain has a Meet simple URL of its own once the organisation declares simple URLs: set meet in sip_domain %q, for example \"https://meet.%s\".", s.d, s.d)
			}
		}
	}
	first := map[string]*simpleURL{}
	var ok []*simpleURL
	for _, u := range urls {
		if u.kind != "meet" {
			if prev := first[u.kind]; prev != nil {
				v.errorf(u.rng, fmt.Sprintf("Second %s simple URL", simpleName(u.kind)), "The organisation has one %s simple URL, whatever its number of SIP domains; it is declared in sip_domain %q at %s. Remove this one.", simpleName(u.kind), prev.scope.d, at(prev.rng))
				continue
			}
			first[u.kind] = u
		}
		ok = append(ok, u)
	}
	// None may be a prefix of another: https://lync.contoso.com/meet and
	// https://lync.contoso.com/meet/dialin cannot be told apart.
	for i, a := range ok {
		for j, b := range ok {
			// Equal URLs are one problem: report it once.
			if i != j && strings.HasPrefix(b.norm, a.norm) && (a.norm != b.norm || i < j) {
				v.errorf(b.rng, "Simple URL is a prefix of another", "The %s simple URL %q starts with the %s simple URL %q; no simple URL may be a prefix of another.", b.kind, b.val, a.kind, a.val)
			}
		}
	}
	// One record a host and view: several URLs may share a host. Meet
	// before Dial-in before Admin, then by SIP domain, names it, so the
	// order of the sip_domain blocks changes nothing.
	rank := map[string]int{"meet": 0, "dialin": 1, "admin": 2}
	slices.SortStableFunc(ok, func(a, b *simpleURL) int {
		return cmp.Or(cmp.Compare(rank[a.kind], rank[b.kind]), cmp.Compare(a.scope.d, b.scope.d))
	})
	type hv struct {
		host string
		view View
	}
	done := map[hv]*simpleURL{}
	what := map[hv]string{}
	for _, u := range ok {
		for _, view := range []View{ViewInternal, ViewExternal} {
			if view == ViewExternal && u.kind == "admin" {
				continue
			}
			k := hv{u.host, view}
			source := u.scope.src + ".simple_url." + u.kind
			if prev, dup := done[k]; dup {
				// Same host, same target: nothing more. A different target
				// would make one of them unreachable.
				if got := u.scope.describeWeb(view, u.kind); got != what[k] && got != "" && what[k] != "" {
					v.errorf(u.rng, "Simple URLs on one host disagree", "The %s simple URL %q and the %s simple URL %q (%s) share the host %s, which can resolve one way in the %s view: %s for one, %s for the other. Give them hosts of their own, or the same pool and record form.", u.kind, u.val, prev.kind, prev.val, at(prev.rng), u.host, view, got, what[k])
				}
				continue
			}
			if w, queued := u.scope.webTarget(u.host, view, u.kind, source, proxyHint); queued {
				done[k], what[k] = u, w
			}
		}
	}
}

// describeWeb is what webTarget would queue for a simple URL of kind in
// view, without queuing it.
func (s *sipScope) describeWeb(view View, kind string) string {
	if c, _ := cnameOf(s.sd.CNAME, kind); c {
		if s.pi == nil {
			return ""
		}
		if view == ViewExternal {
			return "CNAME " + s.pi.extWebFQDN
		}
		return "CNAME " + s.pi.intWebFQDN
	}
	if view == ViewExternal {
		if s.rp.IsValid() {
			return "A " + s.rp.String()
		}
		return ""
	}
	if s.pi != nil && s.pi.intWeb.IsValid() {
		return "A " + s.pi.intWeb.String()
	}
	return ""
}

func simpleName(kind string) string {
	switch kind {
	case "dialin":
		return "Dial-in"
	case "admin":
		return "Admin"
	}
	return "Meet"
}
