package importer

import (
	"cmp"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/topology"
)

// InferOptions tune InferFromDNS.
type InferOptions struct {
	// SitePerSubnet puts the pools in one site per /24 (IPv6: /64) subnet
	// of their first server instead of one site named "imported". Neither
	// is seen in DNS; both are said in a comment.
	SitePerSubnet bool
}

// InferFromDNS infers a topology from what zones hold:
//
//   - a pool is a name whose addresses are exactly those of two or more
//     other names, each with that one address (its servers): DNS load
//     balancing. A name whose addresses are all servers of a larger pool
//     already is ambiguous and not taken; the zone apex and Active
//     Directory's names are never pools;
//   - a name with one address that is in no pool's records but is named
//     like the servers of exactly one pool (fe12 beside fe01..fe11) is a
//     draining server of it;
//   - an address in a pool's records that no name has alone is a server
//     without a record of its own: written with its FQDN as TODO;
//   - web services FQDNs: a name with one address whose first label says
//     web, matched to the Front End or Director pool its name points at
//     (webint01 to pool01, webdir01 to dir01), or whose address is that of
//     a SIP domain's lyncdiscoverinternal; external ones likewise in the
//     external view;
//   - a SIP domain is a _sipinternaltls._tcp SRV at a pool (0 0 5061), with
//     its sip., lyncdiscoverinternal and meet, dialin and admin names, and
//     externally sip. (with its _sip._tls and _sipfederationtls._tcp SRVs)
//     and lyncdiscover;
//   - the role from the pool's name (edge, dir, med), the TTL from its
//     records, the topology's name from topo's ownership markers if any.
//
// What would not be adopted as it is (a record that differs from what topo
// would write there: a TTL, an SRV's priority) is left out or reported,
// never changed silently; where inference is ambiguous a warning and a
// comment say so. Sites cannot be seen in DNS: see InferOptions. The Model
// is nil, with an error, when no zone holds a pool.
func InferFromDNS(zones []Zone, opts InferOptions) (*Model, hcl.Diagnostics) {
	in := newInferrer(zones)
	in.m.Form = FormDNS
	in.findPools()
	if len(in.pools) == 0 {
		in.noPools()
		return nil, in.diags
	}
	in.draining()
	sip := in.sipCandidates()
	in.webServices(topology.ViewInternal, sip)
	in.webServices(topology.ViewExternal, sip)
	in.completeSIP(sip)
	in.ttls()
	in.sites(opts)
	in.name()
	in.summary()
	in.unexplained()
	return in.m, in.diags
}

type inferrer struct {
	ix    *dnsIndex
	m     *Model
	diags hcl.Diagnostics
	pools []*Pool
	// drained are the draining servers found, for the summary.
	drained []string
}

func newInferrer(zones []Zone) *inferrer {
	return &inferrer{ix: newIndex(zones), m: &Model{}}
}

// warn adds a warning pointing at a zone block (nil: no place).
func (in *inferrer) warn(z *Zone, summary, format string, args ...any) {
	d := &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: summary, Detail: fmt.Sprintf(format, args...)}
	if z != nil && z.Block.Filename != "" {
		r := z.Block
		d.Subject = &r
	}
	in.diags = append(in.diags, d)
}

func (in *inferrer) noPools() {
	var ids []string
	var first *Zone
	for _, z := range in.ix.zones {
		ids = append(ids, z.ID())
		if first == nil {
			first = z
		}
	}
	d := &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "No pools in the zones",
		Detail: fmt.Sprintf("None of %s holds a pool: a name whose addresses are exactly those of two or more other names, each with that address alone (its servers), as DNS load balancing publishes a pool. "+
			"A pool behind a hardware load balancer cannot be told from other hosts in DNS: import the topology from Topology Builder with topo import topology FILE --dns ZONES.hcl, which reads the pools from the file and their addresses from DNS.", strings.Join(ids, ", ")),
	}
	if first != nil && first.Block.Filename != "" {
		r := first.Block
		d.Subject = &r
	}
	in.diags = append(in.diags, d)
}

// poolCandidate is a name whose addresses may be a pool's.
type poolCandidate struct {
	n       *addrName
	servers []string     // the named servers
	unnamed []netip.Addr // addresses no name has alone
	notes   []string
}

// findPools takes every name whose addresses are those of two or more
// other names as a pool, the larger first; a name sharing a server with
// one taken already is ambiguous and reported.
func (in *inferrer) findPools() {
	v := in.ix.internal
	var cands []*poolCandidate
	for _, n := range v.sortedNames() {
		if len(n.addrs) < 2 || in.ix.notPoolName(n.name) || firstLabel(n.name) == "sip" {
			continue
		}
		c := in.candidate(v, n)
		if len(c.servers) >= 2 {
			cands = append(cands, c)
		}
	}
	slices.SortStableFunc(cands, func(a, b *poolCandidate) int { return cmp.Compare(len(b.servers), len(a.servers)) })
	claimed := map[string]string{} // server: pool
	for _, c := range cands {
		var shared []string
		for _, s := range c.servers {
			if p, ok := claimed[s]; ok {
				shared = append(shared, s+" (a server of "+p+")")
			}
		}
		if _, isServer := claimed[c.n.name]; isServer || len(shared) > 0 {
			in.warn(c.n.zone, "Ambiguous pool not imported",
				"%s has the addresses of %s, but %s: a server belongs to one pool only, so %s is not imported as a pool. If it is the pool, remove the other name's records or write the topology by hand.",
				c.n.name, strings.Join(c.servers, ", "), strings.Join(shared, ", "), c.n.name)
			continue
		}
		for _, s := range c.servers {
			claimed[s] = c.n.name
		}
		in.addPool(v, c)
	}
	slices.SortFunc(in.pools, func(a, b *Pool) int { return compareNames(a.FQDN, b.FQDN) })
}

// candidate finds the servers behind a name's addresses.
func (in *inferrer) candidate(v *dnsView, n *addrName) *poolCandidate {
	c := &poolCandidate{n: n}
	stems := map[string]int{}
	var multi []netip.Addr
	pick := map[netip.Addr]string{}
	for _, a := range n.addrs {
		switch names := v.single[a]; len(names) {
		case 0:
			c.unnamed = append(c.unnamed, a)
		case 1:
			pick[a] = names[0]
			stems[stem(names[0])]++
		default:
			multi = append(multi, a)
		}
	}
	// Several names with one address: the one named like the other
	// servers, if exactly one is.
	for _, a := range multi {
		names := v.single[a]
		var like []string
		for _, nm := range names {
			if stems[stem(nm)] > 0 {
				like = append(like, nm)
			}
		}
		chosen := names[0]
		how := "the first in name order; check it"
		if len(like) == 1 {
			chosen, how = like[0], "it is named like the other servers"
		}
		pick[a] = chosen
		c.notes = append(c.notes, fmt.Sprintf("%s is the address of %s alone: %s is taken as the server (%s); the others are not imported.", a, strings.Join(names, ", "), chosen, how))
	}
	for _, a := range n.addrs {
		if s, ok := pick[a]; ok {
			c.servers = append(c.servers, s)
		}
	}
	slices.SortFunc(c.servers, compareNames)
	return c
}

// addPool writes a candidate into the model.
func (in *inferrer) addPool(v *dnsView, c *poolCandidate) {
	role, why := roleFromName(c.n.name)
	p := &Pool{
		Role:          role,
		FQDN:          c.n.name,
		LoadBalancing: topology.LBDNS,
		LBNote:        "DNS load balancing: the pool FQDN has one address per server, each the server's own.",
		Source:        v.source(c.n.name),
	}
	if role != topology.RoleFrontend {
		p.Notes = append(p.Notes, fmt.Sprintf("role %q: %s; check it.", role, why))
	}
	p.Notes = append(p.Notes, c.notes...)
	for _, d := range c.notes {
		in.warn(c.n.zone, "Ambiguous server", "Pool %s: %s", c.n.name, d)
	}
	in.ix.use(v, c.n.name, "pool")
	for _, s := range c.servers {
		a, _ := v.singleAddr(s)
		p.Servers = append(p.Servers, &Server{FQDN: s, Address: a, AddressKind: AddressKnown, Source: v.source(s)})
		in.ix.use(v, s, "server of "+c.n.name)
	}
	for _, a := range c.unnamed {
		p.Servers = append(p.Servers, &Server{
			FQDN: TODO, Address: a, AddressKind: AddressKnown, Source: Source{Element: a.String() + " in " + c.n.name + "'s records"},
			Notes: []string{fmt.Sprintf("TODO: %s is in %s's records, but no name in the zone has it alone: a server without a record of its own. Write its FQDN; topo then publishes its own record, as DNS load balancing needs.", a, c.n.name)},
		})
		in.warn(c.n.zone, "Server without its own record", "%s is one of pool %s's addresses, but no name in zone %s has it alone: it is written as a server whose fqdn is TODO. Every server of a DNS load balanced pool needs a record of its own; fill in its FQDN and topo publishes it.", a, c.n.name, c.n.zone.ID())
	}
	for i, s := range p.Servers {
		s.Ordinal = i + 1
	}
	in.pools = append(in.pools, p)
}

// draining finds the servers whose own record exists but which are not in
// their pool's records: a free one-address name with the stem of the
// servers of exactly one pool.
func (in *inferrer) draining() {
	v := in.ix.internal
	byStem := map[string][]*Pool{}
	for _, p := range in.pools {
		seen := map[string]bool{}
		for _, s := range p.Servers {
			if st := stem(s.FQDN); s.FQDN != TODO && !seen[st] {
				seen[st] = true
				byStem[st] = append(byStem[st], p)
			}
		}
	}
	for _, n := range v.sortedNames() {
		if len(n.addrs) != 1 || !v.free(n.name) || isWebName(n.name) || reservedSIPLabel(n.name) {
			continue
		}
		pools := byStem[stem(n.name)]
		switch len(pools) {
		case 0:
			continue
		case 1:
		default:
			var names []string
			for _, p := range pools {
				names = append(names, p.FQDN)
			}
			in.warn(n.zone, "Ambiguous draining server not imported",
				"%s (%s) is in no pool's records, and its name is like the servers of %s: it may be a draining server of either. It is not imported; add it to its pool with state = \"draining\".", n.name, n.addrs[0], strings.Join(names, " and "))
			continue
		}
		p := pools[0]
		p.Servers = append(p.Servers, &Server{
			FQDN: n.name, Address: n.addrs[0], AddressKind: AddressKnown, Source: v.source(n.name),
			State:     topology.StateDraining,
			StateNote: fmt.Sprintf("draining: %s has its own record but is not in %s's; its name is like the pool's servers'.", n.name, p.FQDN),
		})
		slices.SortStableFunc(p.Servers, func(a, b *Server) int { return compareNames(a.FQDN, b.FQDN) })
		for i, s := range p.Servers {
			s.Ordinal = i + 1
		}
		in.ix.use(v, n.name, "draining server of "+p.FQDN)
		in.drained = append(in.drained, n.name+" ("+p.FQDN+")")
	}
}

// reservedSIPLabel reports names a SIP domain gives records: never a
// server or a web services FQDN.
func reservedSIPLabel(name string) bool {
	return slices.Contains([]string{"sip", "lyncdiscover", "lyncdiscoverinternal", "meet", "dialin", "admin"}, firstLabel(name))
}

// sipDomain is a SIP domain DNS shows, while inference completes it.
type sipDomain struct {
	d    string
	pool *Pool
	srv  providers.RRset
	zone *Zone
	// lync is lyncdiscoverinternal.<d>'s one address, if any: the internal
	// web services VIP of the pool.
	lync netip.Addr
}

// sipCandidates reads each _sipinternaltls._tcp SRV that points at an
// inferred Front End or Director pool as topo's sip_domain writes it.
func (in *inferrer) sipCandidates() []*sipDomain {
	v := in.ix.internal
	byFQDN := map[string]*Pool{}
	for _, p := range in.pools {
		byFQDN[p.FQDN] = p
	}
	var out []*sipDomain
	keys := slices.SortedFunc(maps.Keys(v.sets), providers.CompareKeys)
	for _, k := range keys {
		d, ok := strings.CutPrefix(k.Name, "_sipinternaltls._tcp.")
		if !ok || k.Type != "SRV" {
			continue
		}
		s := v.sets[k]
		z := v.zoneOf[k.Name]
		f := []string{}
		if len(s.Values) == 1 {
			f = strings.Fields(s.Values[0])
		}
		target := ""
		if len(f) == 4 {
			target = strings.TrimSuffix(f[3], ".")
		}
		p := byFQDN[target]
		var why string
		switch {
		case len(s.Values) != 1:
			why = fmt.Sprintf("it has %d targets; topo's sip_domain points at one pool", len(s.Values))
		case len(f) != 4 || f[0] != "0" || f[1] != "0" || f[2] != "5061":
			why = fmt.Sprintf("it is %q; topo writes \"0 0 5061 <pool>.\"", s.Values[0])
		case p == nil:
			why = fmt.Sprintf("its target %s is not a pool found in DNS", target)
		case p.Role != topology.RoleFrontend && p.Role != topology.RoleDirector:
			why = fmt.Sprintf("its target %s is taken for a %s pool; a SIP domain points at a Front End or Director pool", target, p.Role)
		case !strings.HasSuffix(target, "."+d):
			why = fmt.Sprintf("its target %s is not in %s (an SRV target must be in the SRV's domain)", target, d)
		case s.TTL != v.zoneTTL(k.Name):
			why = fmt.Sprintf("its TTL is %d and topo gives SIP domain records the zone's TTL, %d; set ttl = %d on the zone block to import it", s.TTL, v.zoneTTL(k.Name), s.TTL)
		}
		if why != "" {
			in.warn(z, "SIP domain not imported", "_sipinternaltls._tcp.%s is not imported: %s.", d, why)
			continue
		}
		sd := &sipDomain{d: d, pool: p, srv: s, zone: z}
		if a, ok := v.singleAddr("lyncdiscoverinternal." + d); ok {
			sd.lync = a
		}
		out = append(out, sd)
	}
	return out
}

// webServices matches web services FQDNs to the Front End and Director
// pools of one view: by evidence (the SIP domain's lyncdiscoverinternal
// address is its pool's internal web services VIP), else by name, then
// settling each name that fits one pool only until nothing changes.
func (in *inferrer) webServices(view topology.View, sip []*sipDomain) {
	v := in.ix.internal
	if view == topology.ViewExternal {
		v = in.ix.external
	}
	var pools []*Pool
	for _, p := range in.pools {
		if (p.Role != topology.RoleFrontend && p.Role != topology.RoleDirector) || p.SingleMachine {
			continue
		}
		if ws := p.WebServices; ws != nil && ((view == topology.ViewInternal && ws.InternalHost != "" && !strings.EqualFold(ws.InternalHost, p.FQDN)) || (view == topology.ViewExternal && ws.ExternalHost != "")) {
			continue
		}
		pools = append(pools, p)
	}
	if len(pools) == 0 {
		return
	}
	evidence := map[netip.Addr]*Pool{}
	if view == topology.ViewInternal {
		for _, sd := range sip {
			if sd.lync.IsValid() {
				evidence[sd.lync] = sd.pool
			}
		}
	}
	// Pools by the tokens of their names, so that matching a name costs
	// the pools it could be, not all of them.
	byToken := map[string][]*Pool{}
	for _, p := range pools {
		for _, t := range slices.Compact(slices.Sorted(slices.Values(tokens(p.FQDN)))) {
			byToken[t] = append(byToken[t], p)
		}
	}
	matching := func(res []string) []*Pool {
		if len(res) == 0 {
			return pools
		}
		var out []*Pool
		for _, p := range byToken[res[0]] {
			if residueMatches(res[1:], p.FQDN) {
				out = append(out, p)
			}
		}
		return out
	}
	cands := map[string][]*Pool{}
	how := map[string]string{}
	for _, n := range v.sortedNames() {
		if len(n.addrs) != 1 || !v.free(n.name) || reservedSIPLabel(n.name) {
			continue
		}
		if n.zone.View == topology.ViewBoth {
			// One zone for both views: only the name tells them apart,
			// and a name used inside is not a candidate outside.
			if isExternalWebName(n.name) != (view == topology.ViewExternal) || !in.ix.internal.free(n.name) {
				continue
			}
		}
		if p, ok := evidence[n.addrs[0]]; ok && slices.Contains(pools, p) {
			cands[n.name] = []*Pool{p}
			how[n.name] = fmt.Sprintf("its address is lyncdiscoverinternal's, which points at %s's web services", p.FQDN)
			continue
		}
		if !isWebName(n.name) {
			continue
		}
		if ps := matching(webResidue(n.name)); len(ps) > 0 {
			cands[n.name] = slices.Clone(ps)
		}
		how[n.name] = "matched to the pool by name"
	}
	if view == topology.ViewExternal {
		// A pool with internal web services is the likelier owner of an
		// external web services FQDN.
		for w, ps := range cands {
			var withInt []*Pool
			for _, p := range ps {
				if p.WebServices != nil && p.WebServices.InternalHost != "" {
					withInt = append(withInt, p)
				}
			}
			if len(withInt) > 0 {
				cands[w] = withInt
			}
		}
	}
	assigned := map[*Pool]string{}
	for changed := true; changed; {
		changed = false
		for _, w := range slices.SortedFunc(maps.Keys(cands), compareNames) {
			ps := cands[w]
			var left []*Pool
			for _, p := range ps {
				if _, taken := assigned[p]; !taken {
					left = append(left, p)
				}
			}
			cands[w] = left
			if len(left) != 1 {
				continue
			}
			p := left[0]
			assigned[p] = w
			delete(cands, w)
			in.setWeb(v, view, p, w, how[w])
			changed = true
		}
	}
	for _, w := range slices.SortedFunc(maps.Keys(cands), compareNames) {
		ps := cands[w]
		if len(ps) < 2 {
			continue
		}
		var names []string
		for _, p := range ps {
			names = append(names, p.FQDN)
			p.Notes = append(p.Notes, fmt.Sprintf("%s may be this pool's %s web services FQDN, or %s's: DNS does not say which. Not imported.", w, view, strings.Join(otherPools(ps, p), ", ")))
		}
		in.warn(v.zoneOf[w], "Ambiguous web services FQDN not imported",
			"%s (%s) reads as a %s web services FQDN of %s: DNS does not say which pool's. It is not imported; write it into the right pool's web_services block.", w, v.names[w].addrs[0], view, strings.Join(names, " or "))
	}
}

func otherPools(ps []*Pool, not *Pool) []string {
	var out []string
	for _, p := range ps {
		if p != not {
			out = append(out, p.FQDN)
		}
	}
	return out
}

// setWeb gives pool p the web services FQDN w of view.
func (in *inferrer) setWeb(v *dnsView, view topology.View, p *Pool, w, how string) {
	if p.WebServices == nil {
		p.WebServices = &WebServices{}
	}
	ws := p.WebServices
	a, _ := v.singleAddr(w)
	src := v.source(w)
	src.Where += "; " + how
	if view == topology.ViewInternal {
		ws.InternalHost, ws.InternalSource, ws.InternalVIP = w, src, a
	} else {
		ws.ExternalHost, ws.ExternalSource, ws.ExternalVIP = w, src, a
	}
	in.ix.use(v, w, string(view)+" web services of "+p.FQDN)
}

// completeSIP checks each SIP domain's other records against what topo's
// sip_domain would write and takes what matches: a SIP domain whose
// records would collide with what DNS holds is left out, an external
// address whose records would collide is not set.
func (in *inferrer) completeSIP(sip []*sipDomain) {
	iv := in.ix.internal
	for _, sd := range sip {
		d, p := sd.d, sd.pool
		creates, ok := in.sipInternal(d, p, "The domain is not imported.")
		if !ok {
			continue
		}
		dom := SIPDomain{Name: d, Pool: p.FQDN, Source: Source{Element: sd.srv.Name + " SRV " + sd.srv.Values[0], Where: sd.zone.where()}}
		in.ix.use(iv, sd.srv.Name, "SIP domain "+d, "SRV")
		var urls []SimpleURL
		if intVIP := internalVIP(p); intVIP.IsValid() {
			for _, kind := range []struct{ comp, label string }{{SimpleMeet, "meet"}, {SimpleDialin, "dialin"}, {SimpleAdmin, "admin"}} {
				host := kind.label + "." + d
				a, single := iv.singleAddr(host)
				if !single || a != intVIP || iv.names[host].ttl != iv.zoneTTL(host) {
					continue
				}
				u := "https://" + host
				urls = append(urls, SimpleURL{Component: kind.comp, Domain: d, Active: u, URLs: []string{u}, Source: iv.source(host)})
				in.ix.use(iv, host, "SIP domain "+d)
			}
		}
		var more []string
		dom.AccessEdgeIP, dom.ReverseProxyIP, more = in.sipExternal(d, urls)
		creates = append(creates, more...)
		if len(creates) > 0 {
			slices.Sort(creates)
			in.warn(sd.zone, "SIP domain records to create", "SIP domain %s is imported, and topo's sip_domain publishes records the zones do not hold: %s. The first plan creates them.", d, strings.Join(creates, ", "))
			dom.Notes = append(dom.Notes, "The first plan creates "+strings.Join(creates, ", ")+": topo's sip_domain publishes them and the zones do not hold them.")
		}
		in.m.SIPDomains = append(in.m.SIPDomains, dom)
		in.m.SimpleURLs = append(in.m.SimpleURLs, urls...)
	}
	if len(in.m.SIPDomains) > 0 {
		in.m.SIPDomains[0].Default = true
		in.m.DefaultDomain = in.m.SIPDomains[0].Name
	}
}

func internalVIP(p *Pool) netip.Addr {
	if p.WebServices == nil {
		return netip.Addr{}
	}
	return p.WebServices.InternalVIP
}

// activeAddrs are the addresses topo's sip_domain gives sip.<domain>
// inside: the pool's active servers', or its hardware load balancer VIP.
func activeAddrs(p *Pool) []netip.Addr {
	if p.LoadBalancing == topology.LBHardware {
		if p.VIP.IsValid() {
			return []netip.Addr{p.VIP}
		}
		return nil
	}
	var out []netip.Addr
	for _, s := range p.Servers {
		if s.State == "" && s.Address.IsValid() && s.AddressKind == AddressKnown {
			out = append(out, s.Address)
		}
	}
	slices.SortFunc(out, func(a, b netip.Addr) int { return a.Compare(b) })
	return slices.Compact(out)
}

// sipInternal checks the records topo's sip_domain for d at pool p writes
// inside besides the SRV: sip.<d> at the pool's active servers,
// lyncdiscoverinternal.<d> at its internal web services VIP. A record that
// holds something else is a warning ending in consequence, and !ok; the
// names DNS does not hold are returned (the first plan creates them).
func (in *inferrer) sipInternal(d string, p *Pool, consequence string) (creates []string, ok bool) {
	iv := in.ix.internal
	check := func(name string, want []netip.Addr) bool {
		if len(want) == 0 {
			return true
		}
		n := iv.names[name]
		if n == nil {
			if _, cname := iv.sets[providers.Key{Name: name, Type: "CNAME"}]; cname {
				in.warn(iv.zoneOf[name], "SIP domain record differs", "%s is a CNAME; topo's sip_domain %s writes address records there: the first plan would report a conflict. %s", name, d, consequence)
				return false
			}
			creates = append(creates, name)
			return true
		}
		if !slices.Equal(n.addrs, want) || n.ttl != iv.zoneTTL(name) {
			in.warn(n.zone, "SIP domain record differs", "%s holds %s (TTL %d), but topo's sip_domain %s writes %s (TTL %d) there: the first plan would report a conflict. %s", name, addrList(n.addrs, 8), n.ttl, d, addrList(want, 8), iv.zoneTTL(name), consequence)
			return false
		}
		return true
	}
	ok = check("sip."+d, activeAddrs(p))
	if vip := internalVIP(p); ok && vip.IsValid() {
		ok = check("lyncdiscoverinternal."+d, []netip.Addr{vip})
	}
	if ok {
		in.ix.use(iv, "sip."+d, "SIP domain "+d)
		if internalVIP(p).IsValid() {
			in.ix.use(iv, "lyncdiscoverinternal."+d, "SIP domain "+d)
		}
	}
	return creates, ok
}

// sipExternal reads a SIP domain's external addresses: the reverse proxy
// behind lyncdiscover.<d> (and the meet and dialin names of urls), the
// Access Edge behind sip.<d> with its _sip._tls and _sipfederationtls._tcp
// SRVs. An address whose records would collide with what DNS holds is not
// returned; creates are the names its records need that DNS lacks.
func (in *inferrer) sipExternal(d string, urls []SimpleURL) (edge, rp netip.Addr, creates []string) {
	ev := in.ix.external
	if a, single := ev.singleAddr("lyncdiscover." + d); single && ev.names["lyncdiscover."+d].ttl == ev.zoneTTL("lyncdiscover."+d) {
		ok := true
		var more []string
		for _, u := range urls {
			if u.Component == SimpleAdmin {
				continue
			}
			host := urlHost(u.Active)
			n := ev.names[host]
			switch {
			case host == "":
			case n == nil:
				more = append(more, host)
			case !slices.Equal(n.addrs, []netip.Addr{a}) || n.ttl != ev.zoneTTL(host):
				ok = false
				in.warn(n.zone, "Reverse proxy address not imported", "lyncdiscover.%s outside is at %s, but %s outside is %s (TTL %d): topo's reverse_proxy_ip gives both one address. reverse_proxy_ip is not set.", d, a, host, addrList(n.addrs, 4), n.ttl)
			}
		}
		if ok {
			rp = a
			creates = append(creates, more...)
			in.ix.use(ev, "lyncdiscover."+d, "SIP domain "+d)
			for _, u := range urls {
				if host := urlHost(u.Active); u.Component != SimpleAdmin && host != "" {
					in.ix.use(ev, host, "SIP domain "+d)
				}
			}
		}
	}
	a, single := ev.singleAddr("sip." + d)
	if !single || ev.names["sip."+d].ttl != ev.zoneTTL("sip."+d) {
		return edge, rp, creates
	}
	var missing, differ []string
	for _, srv := range []struct{ name, value string }{{"_sip._tls." + d, "0 0 443 sip." + d + "."}, {"_sipfederationtls._tcp." + d, "0 0 5061 sip." + d + "."}} {
		s, ok := ev.sets[providers.Key{Name: srv.name, Type: "SRV"}]
		switch {
		case !ok:
			missing = append(missing, srv.name)
		case len(s.Values) != 1 || s.Values[0] != srv.value || s.TTL != ev.zoneTTL(srv.name):
			differ = append(differ, fmt.Sprintf("%s is %q (TTL %d) and topo writes %q (TTL %d)", srv.name, strings.Join(s.Values, " "), s.TTL, srv.value, ev.zoneTTL(srv.name)))
		}
	}
	switch {
	case len(differ) > 0:
		in.warn(ev.zoneOf["sip."+d], "Access Edge address not imported", "sip.%s outside is at %s, but %s: access_edge_ip is not set.", d, a, strings.Join(differ, "; "))
	case len(missing) == 2:
		in.warn(ev.zoneOf["sip."+d], "Access Edge address not imported", "sip.%s outside is at %s, but the zone has neither _sip._tls.%s nor _sipfederationtls._tcp.%s, which topo's access_edge_ip publishes with it: set access_edge_ip = %q yourself to publish them.", d, a, d, d, a.String())
	default:
		edge = a
		creates = append(creates, missing...)
		in.ix.use(ev, "sip."+d, "SIP domain "+d)
		for _, n := range []string{"_sip._tls." + d, "_sipfederationtls._tcp." + d} {
			in.ix.use(ev, n, "SIP domain "+d, "SRV")
		}
	}
	return edge, rp, creates
}

// ttls sets each pool's TTL from its records and says which of them
// would not be adopted because topo gives a pool's records one TTL.
func (in *inferrer) ttls() {
	iv, ev := in.ix.internal, in.ix.external
	for _, p := range in.pools {
		n := iv.names[fold(p.FQDN)]
		if n == nil {
			continue
		}
		if n.ttl != iv.zoneTTL(n.name) {
			p.TTL = n.ttl
		}
		want := func(v *dnsView, name string) uint32 {
			if p.TTL != 0 {
				return p.TTL
			}
			return v.zoneTTL(name)
		}
		var odd []string
		check := func(v *dnsView, name string) {
			name = fold(name)
			if x := v.names[name]; name != "" && name != n.name && x != nil && x.ttl != want(v, name) {
				odd = append(odd, fmt.Sprintf("%s (TTL %d)", name, x.ttl))
			}
		}
		for _, s := range p.Servers {
			check(iv, s.FQDN)
		}
		if ws := p.WebServices; ws != nil {
			check(iv, ws.InternalHost)
			check(ev, ws.ExternalHost)
		}
		if len(odd) > 0 {
			in.warn(n.zone, "TTLs differ within a pool",
				"Pool %s's records have TTL %d, but %s: topo gives every record of a pool one TTL, so the first plan reports these as conflicts (they differ from what topo wants). Give them TTL %d in DNS, or remove them, before planning.", p.FQDN, n.ttl, strings.Join(odd, ", "), n.ttl)
			p.Notes = append(p.Notes, "TTL differs on "+strings.Join(odd, ", ")+": the first plan reports them as conflicts.")
		}
	}
}

// sites puts the pools in one site, or one per subnet.
func (in *inferrer) sites(opts InferOptions) {
	if !opts.SitePerSubnet {
		s := &Site{Name: "imported", Pools: in.pools}
		s.Notes = []string{"Sites cannot be seen in DNS: every pool is in this one site. Split it into your central sites (site names appear only in topo's plans)."}
		in.m.Sites = []*Site{s}
		return
	}
	bySubnet := map[netip.Prefix]*Site{}
	for _, p := range in.pools {
		var pfx netip.Prefix
		for _, s := range p.Servers {
			if s.Address.IsValid() {
				bits := 24
				if s.Address.Is6() {
					bits = 64
				}
				pfx, _ = s.Address.Prefix(bits)
				break
			}
		}
		site := bySubnet[pfx]
		if site == nil {
			name := "subnet-" + strings.NewReplacer(".", "-", ":", "-", "/", "-").Replace(pfx.Addr().String())
			site = &Site{Name: name, Notes: []string{fmt.Sprintf("Sites cannot be seen in DNS: one site per subnet of the pools' first servers; this is %s. Rename and merge them into your central sites.", pfx)}}
			bySubnet[pfx] = site
			in.m.Sites = append(in.m.Sites, site)
		}
		site.Pools = append(site.Pools, p)
	}
	slices.SortFunc(in.m.Sites, func(a, b *Site) int { return compareNames(a.Name, b.Name) })
}

// name takes the topology's name from topo's ownership markers, when the
// zones hold some, else from the SIP domain or the first zone.
func (in *inferrer) name() {
	if len(in.ix.markers) > 0 {
		names := slices.Sorted(maps.Keys(in.ix.markers))
		slices.SortStableFunc(names, func(a, b string) int { return cmp.Compare(in.ix.markers[b], in.ix.markers[a]) })
		in.m.Name = names[0]
		in.m.NameNote = fmt.Sprintf("from topo's ownership markers in the zones (%d names say topology=%s)", in.ix.markers[names[0]], names[0])
		if len(names) > 1 {
			var all []string
			for _, n := range names {
				all = append(all, fmt.Sprintf("%s (%d names)", n, in.ix.markers[n]))
			}
			in.warn(nil, "Ownership markers of several topologies", "The zones hold topo ownership markers of %s. The topology is named %q, the most common; the names another topology marked are not this one's to adopt, and the first plan reports them as conflicts.", strings.Join(all, ", "), names[0])
			in.m.NameNote += "; other topologies' markers are there too"
		}
		return
	}
	base := in.m.DefaultDomain
	from := "the SIP domain " + base
	if base == "" && len(in.ix.zones) > 0 {
		base, from = in.ix.zones[0].Name, "zone "+in.ix.zones[0].Name
	}
	n := label(firstLabel(base), "imported")
	in.m.Name, in.m.NameNote = n, "from "+from+"; the zones hold no topo ownership markers, so any name will do"
}

// summary warns once about what was inferred rather than read.
func (in *inferrer) summary() {
	servers := 0
	for _, p := range in.pools {
		servers += len(p.Servers)
	}
	in.warn(nil, "Inferred from DNS", "%d %s and %d %s were inferred from the zones' records; DNS does not hold the product version, the pools' roles, sites or server order. The comments in the topology say what each block was inferred from: check them.", len(in.pools), plural(len(in.pools), "pool"), servers, plural(servers, "server"))
	if len(in.drained) > 0 {
		in.warn(nil, "Draining servers inferred", "These servers have their own record but are not in their pool's: they are written with state = \"draining\": %s.", strings.Join(in.drained, ", "))
	}
}

// unexplained lists, per zone, the record sets the topology does not
// want: they stay as they are, topo does not own them.
func (in *inferrer) unexplained() {
	for _, z := range in.ix.zones {
		delegated := map[string]bool{}
		for _, s := range z.RRsets {
			if s.Type == "NS" && s.Name != z.Name {
				delegated[s.Name] = true
			}
		}
		var left []string
		for _, s := range z.RRsets {
			switch s.Type {
			case "A", "AAAA", "CNAME", "SRV":
			default:
				continue
			}
			if s.Name == z.Name || strings.HasPrefix(s.Name, markerPrefix) || in.ix.explained[z][s.Key()] || below(s.Name, delegated) || in.ix.notPoolName(s.Name) {
				continue
			}
			left = append(left, s.Name+" "+s.Type)
		}
		if len(left) == 0 {
			continue
		}
		shown := left
		more := ""
		if len(shown) > 20 {
			shown, more = shown[:20], fmt.Sprintf(" and %d more", len(left)-20)
		}
		hint := ""
		groups := map[string]int{}
		for _, l := range left {
			if n, typ, _ := strings.Cut(l, " "); typ == "A" || typ == "AAAA" {
				groups[stem(n)]++
			}
		}
		for _, st := range slices.Sorted(maps.Keys(groups)) {
			if groups[st] >= 2 {
				hint += fmt.Sprintf(" The %d names %s may be the servers of a pool behind a hardware load balancer, which DNS cannot tell from other hosts: import the topology file with topo import topology FILE --dns, or add the pool by hand.", groups[st], strings.Replace(st, "#", "N", 1))
			}
		}
		in.warn(z, "Records not imported", "Zone %s holds %d record %s no pool, server, web services FQDN or SIP domain explains: %s%s. The topology does not want them: topo leaves them as they are.%s", z.ID(), len(left), plural(len(left), "set"), strings.Join(shown, ", "), more, hint)
	}
}

// below reports whether name is at or below one of the delegations.
func below(name string, delegated map[string]bool) bool {
	for rest := name; rest != ""; rest = parent(rest) {
		if delegated[rest] {
			return true
		}
	}
	return false
}
