package importer

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/topo-dns/topo/topology"
)

// products maps a Service's ServiceVersion to topo's product name: the
// version Microsoft's tools write for each release.
var products = map[string]string{
	"5": "lync2010", // Lync Server 2010
	"6": "lync2013", // Lync Server 2013
	"7": "sfb2015",  // Skype for Business Server 2015
	"8": "sfb2019",  // Skype for Business Server 2019
}

const knownVersions = `5 (Lync Server 2010), 6 (Lync Server 2013), 7 (Skype for Business Server 2015) and 8 (Skype for Business Server 2019)`

// ReadTopologyXML reads a Topology Builder document (.tbxml) or a
// published topology (Get-CsTopology -AsXml) into a Model. The
// diagnostics point into the XML (file:line:col); warnings name what the
// file holds that topo does not model. The Model is nil when any
// diagnostic is an error: not XML, another XML document, a truncated file,
// an unknown product version, a topology with no pools.
func ReadTopologyXML(filename string, data []byte) (*Model, hcl.Diagnostics) {
	root, diags := parseXML(filename, data)
	if diags.HasErrors() {
		return nil, diags
	}
	r := &reader{
		m:        &Model{Filename: filename},
		clusters: map[string]*cluster{},
	}
	top := r.locate(root)
	if top == nil {
		return nil, r.diags
	}
	r.readOthers(top)
	r.readDomains(top)
	r.readSimpleURLs(top)
	r.readSites(top)
	r.readServices(top)
	r.classify()
	r.readVersion()
	r.noteNotModelled()
	if !r.diags.HasErrors() && r.pools == 0 {
		r.noPools(top)
	}
	slices.SortStableFunc(r.diags, func(a, b *hcl.Diagnostic) int {
		return cmp.Compare(a.Subject.Start.Byte, b.Subject.Start.Byte)
	})
	if r.diags.HasErrors() {
		return nil, r.diags
	}
	return r.m, r.diags
}

type reader struct {
	m     *Model
	diags hcl.Diagnostics
	// clusters by the key services name them with: a Topology Builder
	// UniqueId (of the cluster or of one of its SQL instances), or
	// "SiteId/Number" in the published form.
	clusters map[string]*cluster
	order    []*cluster
	sites    map[string]*Site
	pools    int
}

// cluster is a Cluster element and the services installed on it.
type cluster struct {
	n        *node
	site     *Site
	where    string
	fqdn     string
	single   bool
	machines []*node
	services []*service
}

type service struct {
	n    *node
	role string
}

func (r *reader) errorf(n *node, summary, format string, args ...any) {
	rng := n.rng
	r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: &rng})
}

func (r *reader) warnf(rng hcl.Range, summary, format string, args ...any) {
	r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: summary, Detail: fmt.Sprintf(format, args...), Subject: &rng})
}

func (r *reader) notModelled(what, kind, name string, n *node, src Source) {
	if src.Element == "" {
		src = Source{Element: n.tag(), Range: n.rng}
	}
	r.m.NotModelled = append(r.m.NotModelled, NotModelled{What: what, Kind: kind, Name: name, Source: src})
}

// locate finds the element holding the topology: NewTopology's
// PartialTopology in a Topology Builder document, the root of a published
// one.
func (r *reader) locate(root *node) *node {
	if root.name.Local == "Topology" {
		r.m.Form = FormPublished
		return root
	}
	r.m.Form = FormBuilder
	nt := root.child("NewTopology")
	if nt == nil {
		r.errorf(root, "No NewTopology in the Topology Builder document", "A Topology Builder document holds the topology in <TopologyBuilder><NewTopology><PartialTopology>; this one has no NewTopology element. Save the topology again in Topology Builder, or export the published one with Get-CsTopology -AsXml.")
		return nil
	}
	for _, k := range root.kids {
		if k != nt {
			r.notModelled("element", k.name.Local, "", k, Source{})
		}
	}
	for _, k := range nt.kids {
		if k.name.Local == "PartialTopology" || k.name.Local == "Topology" {
			return k
		}
	}
	r.errorf(nt, "Empty NewTopology", "The Topology Builder document's NewTopology element holds no PartialTopology: there is no topology in it.")
	return nil
}

// topLevel are the topology's children the reader knows.
var topLevel = []string{"InternalDomains", "SimpleUrlConfiguration", "CentralSites", "Sites", "Clusters", "SqlInstances", "Services"}

// readOthers notes the topology's other children, so none goes unsaid.
func (r *reader) readOthers(top *node) {
	for _, k := range top.kids {
		if !slices.Contains(topLevel, k.name.Local) {
			r.notModelled("element", k.name.Local, "", k, Source{})
		}
	}
}

func (r *reader) readDomains(top *node) {
	d := top.child("InternalDomains")
	if d == nil {
		return
	}
	r.m.DefaultDomain = strings.TrimSpace(d.attr("DefaultDomain"))
	for _, n := range d.children("InternalDomain") {
		name := strings.TrimSpace(n.attr("Name"))
		if name == "" {
			continue
		}
		r.m.SIPDomains = append(r.m.SIPDomains, SIPDomain{
			Name:    name,
			Default: strings.EqualFold(name, r.m.DefaultDomain),
			Source:  Source{Element: n.tag("Name"), Range: n.rng},
		})
	}
}

func (r *reader) readSimpleURLs(top *node) {
	for _, n := range top.path("SimpleUrlConfiguration").children("SimpleUrl") {
		u := SimpleURL{
			Component: n.attr("Component"),
			Domain:    n.attr("Domain"),
			Active:    n.attr("ActiveUrl"),
			Source:    Source{Element: n.tag("Component", "Domain"), Range: n.rng},
		}
		for _, e := range n.children("SimpleUrlEntry") {
			if v := e.attr("Url"); v != "" {
				u.URLs = append(u.URLs, v)
			}
		}
		if u.Active == "" && len(u.URLs) > 0 {
			u.Active = u.URLs[0]
		}
		r.m.SimpleURLs = append(r.m.SimpleURLs, u)
	}
}

// readSites reads the central sites and their clusters, from either form:
// CentralSites/CentralSite > Clusters/Cluster (UniqueId) in a Topology
// Builder document, Sites/CentralSite beside a flat Clusters/Cluster
// (ClusterId SiteId Number) in a published topology.
func (r *reader) readSites(top *node) {
	r.sites = map[string]*Site{}
	var siteNodes []*node
	siteNodes = append(siteNodes, top.path("CentralSites").children("CentralSite")...)
	if s := top.child("Sites"); s != nil {
		for _, k := range s.kids {
			if k.name.Local == "CentralSite" {
				siteNodes = append(siteNodes, k)
			} else {
				r.notModelled("branch site", "", siteName(k), k, Source{Element: k.tag("SiteId"), Range: k.rng})
			}
		}
	}
	for _, sn := range siteNodes {
		s := &Site{
			ID:     sn.attr("SiteId"),
			Name:   siteName(sn),
			Source: Source{Element: sn.tag("SiteId"), Where: "Name " + strconv.Quote(siteName(sn)), Range: sn.rng},
		}
		r.m.Sites = append(r.m.Sites, s)
		if _, dup := r.sites[s.ID]; !dup {
			r.sites[s.ID] = s
		}
		for _, k := range sn.kids {
			switch k.name.Local {
			case "Name", "Location", "Clusters":
			case "RemoteSites":
				for _, b := range k.kids {
					r.notModelled("branch site", "", siteName(b), b, Source{Element: b.tag("SiteId"), Range: b.rng})
				}
			default:
				r.notModelled("element", k.name.Local, "", k, Source{})
			}
		}
		for i, cn := range sn.path("Clusters").children("Cluster") {
			c := r.addCluster(cn, s, fmt.Sprintf("site %s, cluster %d", s.ID, i+1))
			if c == nil {
				continue
			}
			if id := cn.attr("UniqueId"); id != "" {
				r.key(id, c)
			}
			for _, sql := range cn.path("SqlInstances").children("SqlInstance") {
				if id := sql.attr("UniqueId"); id != "" {
					r.key(id, c)
				}
			}
		}
	}
	for _, cn := range top.path("Clusters").children("Cluster") {
		id := cn.child("ClusterId")
		if id == nil {
			r.errorf(cn, "Cluster without ClusterId", "In a published topology every Cluster names its site and number in <ClusterId SiteId=\"...\" Number=\"...\"/>; the cluster %q at line %d has none.", cn.attr("Fqdn"), cn.line())
			continue
		}
		siteID, num := id.attr("SiteId"), id.attr("Number")
		// A cluster outside the central sites (a branch site's Survivable
		// Branch Appliance) keeps a nil site: its services attach to it,
		// and classify reports it once.
		c := r.addCluster(cn, r.sites[siteID], fmt.Sprintf("site %s, cluster %s", siteID, num))
		r.key(siteID+"/"+num, c)
	}
}

func siteName(n *node) string {
	if nm := n.child("Name"); nm != nil {
		return strings.TrimSpace(nm.text.String())
	}
	return ""
}

// addCluster records a cluster of site s (nil: not a central site).
func (r *reader) addCluster(cn *node, s *Site, where string) *cluster {
	c := &cluster{
		n:      cn,
		site:   s,
		where:  where,
		fqdn:   strings.TrimSpace(cn.attr("Fqdn")),
		single: strings.EqualFold(cn.attr("IsSingleMachineOnly"), "true"),
	}
	c.machines = append(c.machines, cn.children("Machine")...)
	c.machines = append(c.machines, cn.path("Machines").children("Machine")...)
	r.order = append(r.order, c)
	return c
}

func (r *reader) key(k string, c *cluster) {
	if _, dup := r.clusters[strings.ToLower(k)]; !dup {
		r.clusters[strings.ToLower(k)] = c
	}
}

// readServices attaches each Service to the cluster it is installed on:
// InstalledOn="<GUID>" in a Topology Builder document,
// <InstalledOn><ClusterId/></InstalledOn> (or a SqlInstanceId's ClusterId)
// in a published topology.
func (r *reader) readServices(top *node) {
	for _, sn := range top.path("Services").children("Service") {
		role := sn.attr("RoleName")
		if id := sn.child("ServiceId"); id != nil && role == "" {
			role = id.attr("RoleName")
		}
		key := sn.attr("InstalledOn")
		if on := sn.child("InstalledOn"); on != nil {
			id := on.child("ClusterId")
			if id == nil {
				id = on.path("SqlInstanceId", "ClusterId")
			}
			if id != nil {
				key = id.attr("SiteId") + "/" + id.attr("Number")
			}
		}
		c := r.clusters[strings.ToLower(key)]
		if c == nil {
			r.notModelled("service", role, "installed on "+strconv.Quote(key)+", no cluster of a central site", sn, Source{Element: "Service " + strconv.Quote(role), Range: sn.rng})
			continue
		}
		c.services = append(c.services, &service{n: sn, role: role})
	}
}

// service returns the first service of role on the cluster, or nil.
func (c *cluster) service(role string) *service {
	for _, s := range c.services {
		if s.role == role {
			return s
		}
	}
	return nil
}

// roles lists the cluster's service roles once each, in file order.
func (c *cluster) roles() []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range c.services {
		if !seen[s.role] {
			seen[s.role] = true
			out = append(out, s.role)
		}
	}
	return out
}

// classify gives each cluster its role from the services installed on it:
// Registrar (+ UserServices + WebServices) is a Front End pool, or a
// Director with RegistrarService IsDirector="true"; EdgeServer an Edge pool;
// MediationServer a Mediation pool (or, beside a Registrar, a collocated
// Mediation Server); WacService an Office Online Server farm.
func (r *reader) classify() {
	for _, c := range r.order {
		src := Source{Element: c.n.tag("Fqdn", "IsSingleMachineOnly"), Where: c.where, Range: c.n.rng}
		if c.site == nil {
			kind := strings.Join(c.roles(), "/")
			if kind == "" {
				kind = "service-less"
			}
			r.notModelled("cluster", kind, c.fqdn+", outside the central sites", c.n, src)
			continue
		}
		var role topology.Role
		var by *service
		switch {
		case c.service("Registrar") != nil:
			by = c.service("Registrar")
			role = topology.RoleFrontend
			if strings.EqualFold(by.n.path("RegistrarService").attr("IsDirector"), "true") {
				role = topology.RoleDirector
			}
		case c.service("EdgeServer") != nil:
			by, role = c.service("EdgeServer"), topology.RoleEdge
		case c.service("MediationServer") != nil:
			by, role = c.service("MediationServer"), topology.RoleMediation
		case c.service("WacService") != nil:
			r.readOfficeOnline(c, src)
			continue
		default:
			kind := strings.Join(c.roles(), "/")
			if kind == "" {
				kind = "service-less"
			}
			r.notModelled("cluster", kind, c.fqdn, c.n, src)
			continue
		}
		if c.fqdn == "" {
			r.errorf(c.n, "Pool without an FQDN", "The %s cluster at line %d (%s) has no Fqdn attribute: a pool needs its FQDN.", role, c.n.line(), c.where)
			continue
		}
		p := &Pool{
			Role:           role,
			FQDN:           c.fqdn,
			SingleMachine:  c.single,
			ServiceVersion: by.n.attr("ServiceVersion"),
			ServiceSource:  Source{Element: fmt.Sprintf("Service RoleName=%q ServiceVersion=%q", by.role, by.n.attr("ServiceVersion")), Range: by.n.rng},
			Services:       c.roles(),
			Source:         src,
		}
		p.CollocatedMediation = role == topology.RoleFrontend && c.service("MediationServer") != nil
		if ws := c.service("WebServices"); ws != nil {
			p.WebServices = r.readWebServices(ws)
		}
		if role == topology.RoleEdge {
			p.EdgeExternal = readEdgeServices(by)
		}
		r.readMachines(c, p)
		c.site.Pools = append(c.site.Pools, p)
		r.pools++
	}
}

// readMachines reads the pool's servers in OrdinalInCluster order, or in
// file order when the file does not number them (Topology Builder
// documents list them in order).
func (r *reader) readMachines(c *cluster, p *Pool) {
	type numbered struct {
		n   *node
		ord int
	}
	ms := make([]numbered, 0, len(c.machines))
	numberedAll := true
	for i, mn := range c.machines {
		ord := i + 1
		if v, ok := mn.lookup("OrdinalInCluster"); ok {
			o, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || o < 0 {
				r.errorf(mn, "Invalid OrdinalInCluster", "Machine %q has OrdinalInCluster=%q; it is the server's position in the pool (1, 2, ...), the order the pool quorum rule counts in.", mn.attr("Fqdn"), v)
				numberedAll = false
			} else {
				ord = o
			}
		} else {
			numberedAll = false
		}
		ms = append(ms, numbered{mn, ord})
	}
	if numberedAll {
		slices.SortStableFunc(ms, func(a, b numbered) int { return cmp.Compare(a.ord, b.ord) })
		for i := 1; i < len(ms); i++ {
			if ms[i].ord == ms[i-1].ord {
				r.warnf(ms[i].n.rng, "Two machines with one OrdinalInCluster", "Machines %q and %q of pool %q both have OrdinalInCluster=\"%d\"; they are kept in file order. The order is the one the pool quorum rule's \"first N servers\" counts in: check it.", ms[i-1].n.attr("Fqdn"), ms[i].n.attr("Fqdn"), p.FQDN, ms[i].ord)
			}
		}
	} else {
		for i := range ms {
			ms[i].ord = i + 1
		}
	}
	for i, m := range ms {
		fqdn := strings.TrimSpace(m.n.attr("Fqdn"))
		if fqdn == "" {
			if !p.SingleMachine && len(ms) > 1 {
				r.errorf(m.n, "Machine without an FQDN", "Machine %d of pool %q has no Fqdn attribute. Only a single-machine pool (IsSingleMachineOnly=\"true\") may leave it out: its server FQDN is the pool FQDN.", i+1, p.FQDN)
				continue
			}
			fqdn = p.FQDN
		}
		s := &Server{
			FQDN:    fqdn,
			Ordinal: m.ord,
			Source:  Source{Element: m.n.tag("Fqdn", "OrdinalInCluster"), Where: fmt.Sprintf("machine %d of %d", i+1, len(ms)), Range: m.n.rng},
		}
		side := "Primary"
		if p.Role == topology.RoleEdge {
			side = "Internal"
		}
		r.readAddress(m.n, side, s)
		if p.Role == topology.RoleEdge {
			s.External = r.readExternal(m.n)
		}
		p.Servers = append(p.Servers, s)
	}
	if len(c.machines) == 0 {
		r.errorf(c.n, "Pool without machines", "Pool %q (%s) has no Machine element: topo needs its servers.", p.FQDN, c.where)
	}
}

// netInterfaces returns the machine's NetInterface elements on side,
// lowest InterfaceNumber first.
func netInterfaces(m *node, side string) []*node {
	var out []*node
	for _, ni := range m.children("NetInterface") {
		if strings.EqualFold(ni.attr("InterfaceSide"), side) {
			out = append(out, ni)
		}
	}
	slices.SortStableFunc(out, func(a, b *node) int { return cmp.Compare(ifNumber(a), ifNumber(b)) })
	return out
}

func ifNumber(n *node) int {
	v, err := strconv.Atoi(strings.TrimSpace(n.attr("InterfaceNumber")))
	if err != nil {
		return 1
	}
	return v
}

// readAddress sets the server's address from its NetInterface on side.
func (r *reader) readAddress(m *node, side string, s *Server) {
	nis := netInterfaces(m, side)
	if len(nis) == 0 && side == "Internal" {
		nis = netInterfaces(m, "Primary")
	}
	if len(nis) == 0 {
		s.AddressKind = AddressMissing
		return
	}
	ni := nis[0]
	s.AddressSource = Source{Element: ni.tag("InterfaceSide", "InterfaceNumber", "IPAddress"), Range: ni.rng}
	a, ok := r.addr(ni, "IPAddress")
	switch {
	case !ok:
		s.AddressKind = AddressMissing
	case a.IsUnspecified():
		s.Address, s.AddressKind = a, AddressAll
	default:
		s.Address, s.AddressKind = a, AddressKnown
	}
}

// addr parses an address attribute; false when it is absent or wrong
// (wrong is an error).
func (r *reader) addr(n *node, attr string) (netip.Addr, bool) {
	v := strings.TrimSpace(n.attr(attr))
	if v == "" {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(v)
	if err != nil || a.Zone() != "" {
		r.errorf(n, "Invalid IP address", "%s %s=%q at line %d is not an IPv4 or IPv6 address.", n.name.Local, attr, v, n.line())
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

func (r *reader) readExternal(m *node) []Interface {
	var out []Interface
	for _, ni := range netInterfaces(m, "External") {
		i := Interface{Number: ifNumber(ni), Source: Source{Element: ni.tag("InterfaceSide", "InterfaceNumber", "IPAddress", "ConfiguredIPAddress"), Range: ni.rng}}
		if a, ok := r.addr(ni, "IPAddress"); ok && !a.IsUnspecified() {
			i.Address = a
		}
		if a, ok := r.addr(ni, "ConfiguredIPAddress"); ok && !a.IsUnspecified() {
			i.NAT = a
		}
		out = append(out, i)
	}
	return out
}

// readEdgeServices collects the Edge service's external ports by owner:
// Port Owner="urn:component:AccessEdge|DataEdge|MediaRelayEdge"
// InterfaceSide="External" ConfiguredFqdn="...".
func readEdgeServices(s *service) []EdgeService {
	var out []EdgeService
	for _, owner := range []string{EdgeAccess, EdgeWebConf, EdgeMediaRelay} {
		var es *EdgeService
		for _, p := range s.n.path("Ports").children("Port") {
			if !strings.EqualFold(p.attr("InterfaceSide"), "External") || !strings.EqualFold(strings.TrimPrefix(p.attr("Owner"), "urn:component:"), owner) {
				continue
			}
			if es == nil {
				es = &EdgeService{Service: owner, Interface: ifNumber(p), Source: Source{Element: p.tag("Owner", "InterfaceSide", "ConfiguredFqdn"), Range: p.rng}}
			}
			if es.FQDN == "" {
				es.FQDN = strings.TrimSpace(p.attr("ConfiguredFqdn"))
			}
			if port, err := strconv.Atoi(p.attr("Port")); err == nil && !slices.Contains(es.Ports, port) {
				es.Ports = append(es.Ports, port)
			}
		}
		if es != nil {
			slices.Sort(es.Ports)
			out = append(out, *es)
		}
	}
	return out
}

// webServiceKids are the WebService children the reader knows: the two
// FQDN settings, and the components and separator, which hold no name.
var webServiceKids = []string{"InternalSettings", "ExternalSettings", "WebComponents", "UpaSeparator"}

func (r *reader) readWebServices(s *service) *WebServices {
	n := s.n.child("WebService")
	if n == nil {
		return nil
	}
	w := &WebServices{Source: Source{Element: "WebService", Where: "Service RoleName=\"WebServices\"", Range: n.rng}}
	if e := n.child("ExternalSettings"); e != nil {
		w.ExternalHost = strings.TrimSpace(e.attr("Host"))
		w.ExternalSource = Source{Element: e.tag("Host"), Range: e.rng}
	}
	// The internal web services FQDN override. None of the real files
	// Microsoft's tools wrote that we have sets it; the element follows
	// ExternalSettings' shape in the ServiceRoles schema. Any other child
	// is reported as not modelled, so a differently named override would
	// not pass unnoticed.
	if i := n.child("InternalSettings"); i != nil {
		w.InternalHost = strings.TrimSpace(i.attr("Host"))
		w.InternalSource = Source{Element: i.tag("Host"), Range: i.rng}
	}
	for _, k := range n.kids {
		if !slices.Contains(webServiceKids, k.name.Local) {
			r.notModelled("element", "WebService/"+k.name.Local, "", k, Source{})
		}
	}
	return w
}

func (r *reader) readOfficeOnline(c *cluster, src Source) {
	s := c.service("WacService")
	w := s.n.child("WacService")
	o := &OfficeOnline{FQDN: c.fqdn, Source: src}
	if w != nil {
		o.DiscoveryURL = w.attr("DiscoveryUrl")
		o.External = strings.EqualFold(w.attr("IsExternal"), "true")
	}
	for _, m := range c.machines {
		if f := m.attr("Fqdn"); f != "" && !strings.EqualFold(f, c.fqdn) {
			o.Machines = append(o.Machines, f)
		}
	}
	c.site.OfficeOnline = append(c.site.OfficeOnline, o)
}

// readVersion sets the product from the pools' ServiceVersion. A version
// topo does not know is an error: it selects the product's limits. Pools
// at different versions (a migration) get the newest, with a warning.
func (r *reader) readVersion() {
	byVersion := map[string]*VersionUse{}
	var missing []string
	var best string
	for _, s := range r.m.Sites {
		for _, p := range s.Pools {
			v := strings.TrimSpace(p.ServiceVersion)
			if v == "" {
				missing = append(missing, p.FQDN)
				continue
			}
			prod, ok := products[v]
			if !ok {
				rng := p.ServiceSource.Range
				r.diags = append(r.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown product version",
					Detail:  fmt.Sprintf("Pool %q runs ServiceVersion=%q, a version topo does not know. topo knows %s.", p.FQDN, v, knownVersions),
					Subject: &rng})
				continue
			}
			u := byVersion[v]
			if u == nil {
				u = &VersionUse{Product: prod, ServiceVersion: v}
				byVersion[v] = u
			}
			u.Pools = append(u.Pools, p.FQDN)
			if best == "" || versionNumber(best) < versionNumber(v) {
				best = v
				r.m.ProductSource = p.ServiceSource
				r.m.ProductSource.Where = "pool " + p.FQDN
			}
		}
	}
	if best == "" {
		if len(missing) > 0 {
			r.warnf(r.m.Sites[0].Source.Range, "No product version", "No pool's service states a ServiceVersion, so the product is not known: topo assumes %s. Set product in the topology.", topology.DefaultProduct)
		}
		return
	}
	r.m.Product = products[best]
	if len(byVersion) > 1 {
		for _, u := range byVersion {
			r.m.Versions = append(r.m.Versions, *u)
		}
		// Newest first.
		slices.SortFunc(r.m.Versions, func(a, b VersionUse) int {
			return cmp.Compare(versionNumber(b.ServiceVersion), versionNumber(a.ServiceVersion))
		})
		var parts []string
		for _, u := range r.m.Versions {
			parts = append(parts, fmt.Sprintf("%s (%s)", u.Product, strings.Join(u.Pools, ", ")))
		}
		r.warnf(r.m.ProductSource.Range, "Pools at different product versions", "The topology mixes %s. topo's product applies to the whole topology: %s, the newest, is written; its limits (pool size, two-server pools) then apply to the older pools too.", strings.Join(parts, " and "), r.m.Product)
	}
}

// noteNotModelled gathers what the file holds that topo does not model
// into one warning, grouped by kind, every item with its line.
func (r *reader) noteNotModelled() {
	nm := r.m.NotModelled
	if len(nm) == 0 {
		return
	}
	type group struct {
		what, kind string
		items      []string
	}
	var groups []*group
	index := map[string]*group{}
	for _, x := range nm {
		k := x.What + "\x00" + x.Kind
		g := index[k]
		if g == nil {
			g = &group{what: x.What, kind: x.Kind}
			index[k] = g
			groups = append(groups, g)
		}
		item := fmt.Sprintf("line %d", x.Source.Range.Start.Line)
		if x.Name != "" {
			item = fmt.Sprintf("%s (%s)", x.Name, item)
		}
		g.items = append(g.items, item)
	}
	parts := make([]string, 0, len(groups))
	for _, g := range groups {
		noun := plural(len(g.items), g.what)
		if g.kind != "" {
			noun = g.kind + " " + noun
		}
		parts = append(parts, fmt.Sprintf("%d %s: %s", len(g.items), noun, strings.Join(g.items, ", ")))
	}
	r.warnf(nm[0].Source.Range, fmt.Sprintf("Not imported: %d element%s topo does not model", len(nm), plural1(len(nm))),
		"%s. They publish no DNS records topo manages; keep managing them with Topology Builder.", strings.Join(parts, "; "))
}

// versionNumber is a known ServiceVersion as a number, for ordering.
func versionNumber(v string) int {
	n, _ := strconv.Atoi(v)
	return n
}

func plural(n int, what string) string {
	if n == 1 {
		return what
	}
	switch {
	case strings.HasSuffix(what, "s"):
		return what + "es"
	case strings.HasSuffix(what, "y"):
		return what[:len(what)-1] + "ies"
	}
	return what + "s"
}

func plural1(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func (r *reader) noPools(top *node) {
	var found []string
	for _, c := range r.order {
		kind := strings.Join(c.roles(), ", ")
		if kind == "" {
			kind = "no service"
		}
		found = append(found, fmt.Sprintf("%s (%s)", c.fqdn, kind))
	}
	detail := "The topology has no Front End, Director, Edge or Mediation pool, so there is nothing topo could publish."
	if len(found) > 0 {
		detail += " Its clusters: " + strings.Join(found, "; ") + "."
	} else {
		detail += " It has no cluster at all."
	}
	r.errorf(top, "No pools in the topology", "%s", detail)
}
