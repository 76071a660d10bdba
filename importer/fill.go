package importer

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/topology"
)

// FillFromDNS completes a model read from a topology file with what the
// zones hold, changing it in place, and returns a warning for every
// disagreement between the two:
//
//   - a server the file gives as 0.0.0.0 (or no address) gets the address
//     of its own record; a server whose record holds another address than
//     the file's is a warning (the file's is kept);
//   - a pool FQDN with one address that is none of its servers' is behind
//     a hardware load balancer: load_balancing = "hardware" and that vip;
//     otherwise it is DNS load balanced, and a server missing from the pool
//     FQDN's records is draining when its own record exists and offline
//     when it has none (set, said in a comment and a warning); an address
//     in the pool's records that is none of its servers' is a warning;
//   - web services hosts get their addresses (the internal and external
//     VIPs); a pool without an internal override gets the web services
//     FQDN DNS shows for it, matched as InferFromDNS does;
//   - an Edge pool's published external addresses from its services'
//     FQDNs outside, where one server lacks one (fillEdge);
//   - an Office Online Server farm's vip from its FQDN inside, its
//     external_proxy_ip from it outside;
//   - the pools' TTLs, a SIP domain's pool from its _sipinternaltls._tcp
//     SRV (at the pool, or at a name inside the domain with the pool's
//     addresses: its srv_target), its Access Edge and reverse proxy
//     addresses outside.
func FillFromDNS(m *Model, zones []Zone) hcl.Diagnostics {
	in := newInferrer(zones)
	in.m = m
	for _, s := range m.Sites {
		in.pools = append(in.pools, s.Pools...)
	}
	var filled, edges []string
	for _, p := range in.pools {
		filled = append(filled, in.fillServers(p)...)
		in.fillPool(p)
		in.fillWeb(p)
		edges = append(edges, in.fillEdge(p)...)
	}
	if len(filled) > 0 {
		in.warn(nil, "Server addresses from DNS", "The file gives %d %s no address (0.0.0.0, \"all addresses\", or none); each is taken from the server's own record: %s.", len(filled), plural(len(filled), "server"), strings.Join(filled, ", "))
	}
	if len(edges) > 0 {
		in.warn(nil, "Edge addresses from DNS", "The file gives %d Edge external %s no published address (0.0.0.0, or no NAT public address beside others that have one); each is the one address of its service's FQDN outside that no other server of the pool has: %s.", len(edges), plural(len(edges), "interface"), strings.Join(edges, ", "))
	}
	for _, s := range m.Sites {
		for _, o := range s.OfficeOnline {
			in.fillOffice(o)
		}
	}
	had := map[*Pool][2]bool{}
	for _, p := range in.pools {
		ws := p.WebServices
		had[p] = [2]bool{ws != nil && ws.InternalHost != "" && !strings.EqualFold(ws.InternalHost, p.FQDN), ws != nil && ws.ExternalHost != ""}
	}
	in.webServices(topology.ViewInternal, in.fillSIPPools())
	in.webServices(topology.ViewExternal, nil)
	for _, p := range in.pools {
		ws := p.WebServices
		if ws == nil {
			continue
		}
		if !had[p][0] && ws.InternalHost != "" {
			in.warnAt(&p.Source, nil, "Web services override from DNS", "The file sets no internal web services override for %s; DNS shows %s (%s), taken as it. Set the same override in Topology Builder (Edit Properties > Web services > Override FQDN) and publish the topology, or the two disagree.", p.FQDN, ws.InternalHost, ws.InternalSource.Where)
		}
		if !had[p][1] && ws.ExternalHost != "" {
			in.warnAt(&p.Source, nil, "External web services FQDN from DNS", "The file sets no external web services FQDN for %s; DNS shows %s (%s), taken as it. Check it in Topology Builder.", p.FQDN, ws.ExternalHost, ws.ExternalSource.Where)
		}
	}
	in.fillSIP()
	in.ttls()
	return in.diags
}

// fillServers takes the servers' addresses from their own records, and
// returns the servers whose address it filled in.
func (in *inferrer) fillServers(p *Pool) (filled []string) {
	iv := in.ix.internal
	for _, s := range p.Servers {
		fqdn := fold(s.FQDN)
		own := iv.names[fqdn]
		if own != nil {
			in.ix.use(iv, fqdn, "server of "+p.FQDN)
		}
		switch {
		case s.AddressKind == AddressKnown:
			if own != nil && (len(own.addrs) != 1 || own.addrs[0] != s.Address) {
				in.warnAt(&s.Source, own.zone, "Server address differs from DNS",
					"The file gives %s the address %s, but its own record in zone %s holds %s. The file's address is kept: the first plan reports %s as a conflict until the two agree.", s.FQDN, s.Address, own.zone.ID(), addrList(own.addrs, 4), s.FQDN)
			}
		case own == nil:
			in.warnAt(&s.Source, nil, "Server address not in DNS", "The file gives %s no address (%s), and no zone holds a record for it: its ip stays TODO.", s.FQDN, addressWhy(s))
		case len(own.addrs) != 1:
			in.warnAt(&s.Source, own.zone, "Server address ambiguous in DNS", "The file gives %s no address (%s), and its record in zone %s holds %d addresses (%s): a server has one. Its ip stays TODO.", s.FQDN, addressWhy(s), own.zone.ID(), len(own.addrs), addrList(own.addrs, 4))
		default:
			s.Address, s.AddressKind = own.addrs[0], AddressKnown
			s.AddressNote = fmt.Sprintf("ip: from DNS, %s; the file gives %s.", iv.source(fqdn), addressWhy(s))
			filled = append(filled, fmt.Sprintf("%s %s", s.FQDN, s.Address))
		}
	}
	return filled
}

func addressWhy(s *Server) string {
	if s.AddressSource.Range.Start.Line > 0 {
		return fmt.Sprintf("\"all addresses\" on line %d", s.AddressSource.Range.Start.Line)
	}
	return "no NetInterface address"
}

// warnAt adds a warning pointing into the topology file at src, or else
// at zone z's block.
func (in *inferrer) warnAt(src *Source, z *Zone, summary, format string, args ...any) {
	d := &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: summary, Detail: fmt.Sprintf(format, args...)}
	switch {
	case src != nil && src.Range.Filename != "":
		r := src.Range
		d.Subject = &r
	case z != nil && z.Block.Filename != "":
		r := z.Block
		d.Subject = &r
	}
	in.diags = append(in.diags, d)
}

// fillPool reads the pool's load balancing and its servers' states from
// the pool FQDN's records.
func (in *inferrer) fillPool(p *Pool) {
	iv := in.ix.internal
	if p.SingleMachine {
		return
	}
	fqdn := fold(p.FQDN)
	pn := iv.names[fqdn]
	if pn == nil {
		in.warnAt(&p.Source, nil, "Pool FQDN not in DNS", "No zone holds an address record for pool %s: the first plan creates it from the servers in the file.", p.FQDN)
		return
	}
	in.ix.use(iv, fqdn, "pool")
	mine := map[netip.Addr]*Server{}
	for _, s := range p.Servers {
		if s.AddressKind == AddressKnown {
			mine[s.Address] = s
		}
	}
	if len(pn.addrs) == 1 && mine[pn.addrs[0]] == nil && len(p.Servers) > 1 {
		p.LoadBalancing, p.VIP = topology.LBHardware, pn.addrs[0]
		p.LBNote = fmt.Sprintf("A hardware load balancer: in DNS, %s has one address, %s, which is none of its servers': the load balancer's VIP.", p.FQDN, pn.addrs[0])
		in.warnAt(&p.Source, pn.zone, "Hardware load balancing", "Pool %s has one address in DNS, %s, which is none of its servers': it is written with load_balancing = \"hardware\" and that vip.", p.FQDN, pn.addrs[0])
		return
	}
	p.LoadBalancing = topology.LBDNS
	p.LBNote = fmt.Sprintf("DNS load balancing: in DNS, %s has the addresses of its servers.", p.FQDN)
	inSet := map[netip.Addr]bool{}
	for _, a := range pn.addrs {
		inSet[a] = true
		if mine[a] == nil {
			in.warnAt(&p.Source, pn.zone, "Pool address of no server", "%s's records in zone %s hold %s, which is the address of none of its servers in the file: a server the file lacks, or one removed. The first plan takes it out of the pool FQDN's records.", p.FQDN, pn.zone.ID(), a)
		}
	}
	for _, s := range p.Servers {
		if s.AddressKind != AddressKnown || inSet[s.Address] {
			continue
		}
		if iv.names[fold(s.FQDN)] != nil {
			s.State = topology.StateDraining
			s.StateNote = fmt.Sprintf("draining: in DNS, %s is not in %s's records but keeps its own.", s.FQDN, p.FQDN)
			in.warnAt(&s.Source, pn.zone, "Server draining in DNS", "%s is not in %s's records in DNS, but its own record is there: it is probably draining, and is written with state = \"draining\". If it should take new connections, remove the state.", s.FQDN, p.FQDN)
		} else {
			s.State = topology.StateOffline
			s.StateNote = fmt.Sprintf("offline: in DNS, %s is neither in %s's records nor has a record of its own.", s.FQDN, p.FQDN)
			in.warnAt(&s.Source, pn.zone, "Server offline in DNS", "%s has no record in DNS, neither its own nor in %s's: it is probably offline, and is written with state = \"offline\". If it is back, remove the state.", s.FQDN, p.FQDN)
		}
	}
}

// fillWeb takes the web services hosts' addresses from DNS.
func (in *inferrer) fillWeb(p *Pool) {
	ws := p.WebServices
	if ws == nil {
		return
	}
	look := func(v *dnsView, host string, src *Source, what string) (netip.Addr, string) {
		host = fold(host)
		n := v.names[host]
		switch {
		case n == nil:
			in.warnAt(src, nil, "Web services FQDN not in DNS", "No zone of the %s view holds an address record for %s, %s's %s: its address stays TODO.", v.view, host, p.FQDN, what)
			return netip.Addr{}, ""
		case len(n.addrs) != 1:
			in.warnAt(src, n.zone, "Web services address ambiguous in DNS", "%s, %s's %s, has %d addresses in zone %s (%s); topo gives it one (the load balancer's VIP). Its address stays TODO.", host, p.FQDN, what, len(n.addrs), n.zone.ID(), addrList(n.addrs, 4))
			return netip.Addr{}, ""
		}
		in.ix.use(v, host, what+" of "+p.FQDN)
		return n.addrs[0], "from DNS, " + v.source(host).String()
	}
	if h := ws.InternalHost; h != "" && !strings.EqualFold(h, p.FQDN) {
		ws.InternalVIP, ws.InternalVIPNote = look(in.ix.internal, h, &ws.InternalSource, "internal web services FQDN")
	}
	if h := ws.ExternalHost; h != "" && !strings.EqualFold(h, p.FQDN) {
		ws.ExternalVIP, ws.ExternalVIPNote = look(in.ix.external, h, &ws.ExternalSource, "external web services FQDN")
	}
}

// fillEdge takes an Edge pool's external addresses the file lacks from
// its services' FQDNs in the external view, and returns those it filled
// ("edge01b.contoso.com webcon.contoso.com 203.0.113.22"). With DNS load
// balancing each FQDN has one address per active server: the address
// DNS publishes for a server (its NAT public address behind NAT, else the
// interface's own) is known when the file gives it, and one server
// lacking it takes the one address no other server has. Where more are
// missing, DNS does not say which is whose: they stay TODO.
func (in *inferrer) fillEdge(p *Pool) (filled []string) {
	l := edgeLayoutOf(p)
	if p.Role != topology.RoleEdge || l.why != "" || p.LoadBalancing == topology.LBHardware {
		return nil
	}
	ev := in.ix.external
	published := func(x *Interface) netip.Addr {
		if l.nat {
			return x.NAT
		}
		return x.Address
	}
	for _, slot := range l.slots {
		if slot.fqdn == "" || slot.iface == 0 {
			continue
		}
		host := fold(slot.fqdn)
		n := ev.names[host]
		known := map[netip.Addr]bool{}
		var missing []*Server
		for _, s := range p.Servers {
			x := externalInterface(s, slot.iface)
			if s.State != "" || x == nil {
				continue
			}
			a := published(x)
			switch {
			case !a.IsValid():
				missing = append(missing, s)
			case n != nil && !slices.Contains(n.addrs, a):
				in.warnAt(&x.Source, n.zone, "Edge address differs from DNS", "The file gives %s's %s (external interface %d) the published address %s, but %s in zone %s holds %s. The file's address is kept: the first plan reports %s as a conflict until the two agree.", s.FQDN, slot.name, x.Number, a, host, n.zone.ID(), addrList(n.addrs, 4), host)
			default:
				known[a] = true
			}
		}
		if n != nil {
			in.ix.use(ev, host, slot.name+" of "+p.FQDN)
		}
		if len(missing) == 0 {
			continue
		}
		var free []netip.Addr
		if n != nil {
			for _, a := range n.addrs {
				if !known[a] {
					free = append(free, a)
				}
			}
		}
		names := make([]string, len(missing))
		for i, s := range missing {
			names[i] = s.FQDN
		}
		switch {
		case n == nil:
			in.warnAt(&p.Source, nil, "Edge FQDN not in DNS", "No zone of the external view holds an address record for %s, %s's %s FQDN: the published address of %s stays TODO.", host, p.FQDN, slot.name, strings.Join(names, ", "))
		case len(missing) == 1 && len(free) == 1:
			s, x := missing[0], externalInterface(missing[0], slot.iface)
			what := "its address"
			if l.nat {
				x.NAT, what = free[0], "its NAT public address"
			} else {
				x.Address = free[0]
			}
			x.Note = fmt.Sprintf("%s_%s: from DNS, %s (%s): %s, the one address of %s no other server has.", slot.key, map[bool]string{true: "public_ip", false: "ip"}[l.nat], ev.source(host).Element, ev.source(host).Where, what, host)
			filled = append(filled, fmt.Sprintf("%s %s %s", s.FQDN, host, free[0]))
		default:
			in.warnAt(&p.Source, n.zone, "Edge addresses ambiguous in DNS", "%s, %s's %s FQDN, holds %s in zone %s; %d of them belong to no server the file gives an address, and %s %s none: DNS does not say which address is whose, so they stay TODO.", host, p.FQDN, slot.name, addrList(n.addrs, 4), n.zone.ID(), len(free), strings.Join(names, ", "), map[bool]string{true: "has", false: "have"}[len(names) == 1])
		}
	}
	return filled
}

// fillOffice takes an Office Online Server farm's addresses from its FQDN:
// in the internal view its VIP, in the external view the reverse proxy's
// public address (for a farm the file says is internal only, when an
// external zone of its own holds it, with a warning).
func (in *inferrer) fillOffice(o *OfficeOnline) {
	if o.FQDN == "" {
		return
	}
	host := fold(o.FQDN)
	look := func(v *dnsView, what string) (netip.Addr, string) {
		n := v.names[host]
		switch {
		case n == nil:
			in.warnAt(&o.Source, nil, "Office Online Server FQDN not in DNS", "No zone of the %s view holds an address record for %s, the Office Online Server farm's FQDN: its %s stays TODO.", v.view, host, what)
			return netip.Addr{}, ""
		case len(n.addrs) != 1:
			in.warnAt(&o.Source, n.zone, "Office Online Server address ambiguous in DNS", "%s, an Office Online Server farm's FQDN, has %d addresses in zone %s (%s); topo gives it one (%s). It stays TODO.", host, len(n.addrs), n.zone.ID(), addrList(n.addrs, 4), what)
			return netip.Addr{}, ""
		}
		in.ix.use(v, host, "Office Online Server farm")
		return n.addrs[0], "from DNS, " + v.source(host).String()
	}
	o.VIP, o.VIPNote = look(in.ix.internal, "internal address (its load balancer's VIP)")
	if o.External {
		o.ExternalProxyIP, o.ExternalProxyNote = look(in.ix.external, "public address (the reverse proxy's)")
		return
	}
	// Internal only, says the file: an address outside is the operator's
	// doing. A zone serving both views holds the internal one.
	if n := in.ix.external.names[host]; n != nil && n.zone.View == topology.ViewExternal {
		if a, note := look(in.ix.external, "public address (the reverse proxy's)"); a.IsValid() {
			o.ExternalProxyIP, o.ExternalProxyNote = a, note
			in.warnAt(&o.Source, n.zone, "Office Online Server published outside", "The file says the farm %s is internal only (WacService IsExternal=\"false\"), but zone %s holds it at %s: it is written with external_proxy_ip = %q. Set IsExternal in Topology Builder too, or remove the record outside.", host, n.zone.ID(), a, a.String())
		}
	}
}

// fillSIPPools reads each SIP domain's pool from its _sipinternaltls._tcp
// SRV, and returns the domains for web services evidence.
func (in *inferrer) fillSIPPools() []*sipDomain {
	iv := in.ix.internal
	var out []*sipDomain
	for i := range in.m.SIPDomains {
		d := &in.m.SIPDomains[i]
		name := "_sipinternaltls._tcp." + fold(d.Name)
		s, ok := iv.sets[providers.Key{Name: name, Type: "SRV"}]
		if !ok {
			continue
		}
		var target string
		if f := strings.Fields(s.Values[0]); len(s.Values) == 1 && len(f) == 4 {
			target = strings.TrimSuffix(f[3], ".")
		}
		var pool *Pool
		for _, p := range in.pools {
			if fold(p.FQDN) == target {
				pool = p
			}
		}
		note := fmt.Sprintf("pool: from DNS, %s points at it.", name)
		if pool == nil && strings.HasSuffix(target, "."+fold(d.Name)) {
			// A name inside the domain (a matching internal zone or a
			// pin-point zone's sip.<domain>): the pool whose addresses it
			// has.
			if pool = in.poolAt(target); pool != nil {
				d.SRVTarget = target
				note = fmt.Sprintf("pool: from DNS, %s points at %s, whose addresses are the pool's.", name, target)
			}
		}
		if pool == nil {
			in.warnAt(&d.Source, iv.zoneOf[name], "SIP domain's SRV points elsewhere", "%s in DNS is %q, which is no pool of the file nor a name inside %s with a pool's addresses: the SIP domain's pool is chosen as without DNS.", name, strings.Join(s.Values, " "), fold(d.Name))
			continue
		}
		if d.Pool == "" {
			d.Pool = pool.FQDN
			d.Notes = append(d.Notes, note)
		}
		sd := &sipDomain{d: fold(d.Name), pool: pool, srv: s, zone: iv.zoneOf[name]}
		if a, ok := iv.singleAddr("lyncdiscoverinternal." + sd.d); ok {
			sd.lync = a
		}
		out = append(out, sd)
	}
	return out
}

// poolAt is the Front End or Director pool whose addresses (its active
// servers', or its VIP) name has in the internal view, if exactly one.
func (in *inferrer) poolAt(name string) *Pool {
	n := in.ix.internal.names[name]
	if n == nil {
		return nil
	}
	var found *Pool
	for _, p := range in.pools {
		if p.Role != topology.RoleFrontend && p.Role != topology.RoleDirector {
			continue
		}
		if a := activeAddrs(p); len(a) > 0 && slices.Equal(a, n.addrs) {
			if found != nil {
				return nil
			}
			found = p
		}
	}
	return found
}

// fillSIP checks the SIP domains' records inside and reads their external
// addresses.
func (in *inferrer) fillSIP() {
	for i := range in.m.SIPDomains {
		d := &in.m.SIPDomains[i]
		p := in.sipPool(d)
		if p == nil {
			continue
		}
		dn := fold(d.Name)
		in.ix.use(in.ix.internal, "_sipinternaltls._tcp."+dn, "SIP domain "+dn, "SRV")
		creates, _ := in.sipInternal(dn, p, "The file's topology is kept.")
		var urls []SimpleURL
		for _, u := range in.m.SimpleURLs {
			if strings.EqualFold(u.Domain, d.Name) || (u.Domain == "*" && d.Default) {
				urls = append(urls, u)
			}
		}
		var more []string
		d.AccessEdgeIP, d.ReverseProxyIP, more = in.sipExternal(dn, urls)
		creates = append(creates, more...)
		if len(creates) > 0 {
			slices.Sort(creates)
			in.warnAt(&d.Source, nil, "SIP domain records to create", "topo's sip_domain %s publishes records the zones do not hold: %s. The first plan creates them.", dn, strings.Join(creates, ", "))
		}
	}
}

// sipPool is the pool a SIP domain's records point at: the one DNS named,
// else the first Front End pool inside the domain, as WriteHCL picks.
func (in *inferrer) sipPool(d *SIPDomain) *Pool {
	for _, p := range in.pools {
		if d.Pool != "" && strings.EqualFold(p.FQDN, d.Pool) {
			return p
		}
	}
	for _, p := range in.pools {
		if d.Pool == "" && p.Role == topology.RoleFrontend && strings.HasSuffix(fold(p.FQDN), "."+fold(d.Name)) {
			return p
		}
	}
	return nil
}

// Names lists the names of zone that FillFromDNS looks at for m, and the
// ownership marker of each: what a provider that reads a zone name by name
// (a server refusing the zone transfer) must query. They are the names
// the topology written from m gives records, so its plans read the same.
func Names(m *Model, zone string) []string {
	zone = fold(zone)
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		n = fold(n)
		if n == "" || n == fold(TODO) || seen[n] || (n != zone && !strings.HasSuffix(n, "."+zone)) {
			return
		}
		seen[n] = true
		out = append(out, n, markerPrefix+n)
	}
	for _, s := range m.Sites {
		for _, p := range s.Pools {
			add(p.FQDN)
			for _, sv := range p.Servers {
				add(sv.FQDN)
			}
			if ws := p.WebServices; ws != nil {
				add(ws.InternalHost)
				add(ws.ExternalHost)
			}
			for _, e := range p.EdgeExternal {
				add(e.FQDN)
			}
		}
		for _, o := range s.OfficeOnline {
			add(o.FQDN)
		}
	}
	for _, d := range m.SIPDomains {
		add(d.SRVTarget)
		for _, pre := range []string{"_sipinternaltls._tcp.", "sip.", "lyncdiscoverinternal.", "lyncdiscover.", "_sip._tls.", "_sipfederationtls._tcp."} {
			add(pre + d.Name)
		}
	}
	for _, u := range m.SimpleURLs {
		add(urlHost(u.Active))
	}
	slices.Sort(out)
	return out
}
