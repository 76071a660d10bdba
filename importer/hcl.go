package importer

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/topo-dns/topo/topology"
)

// TODO is the value WriteHCL writes where topo needs a value the topology
// file does not hold (a server address the file gives as 0.0.0.0, a load
// balancer VIP, the internal web services override). topo validate rejects
// it at that attribute ("is not an IPv4 or IPv6 address", "is not a valid
// FQDN"), and a comment above it says what to write.
const TODO = "TODO"

// WriteHCL writes the model as a topology file in topo fmt's canonical
// layout: zones for the DNS domains its names live in (the embedded zone
// file provider), its sites, pools and servers with a comment naming the
// XML element each block comes from, and a sip_domain per SIP domain with
// its simple URLs. Servers keep their OrdinalInCluster order.
//
// What the file does not hold is written as TODO. Edge pools get their
// external FQDNs and each server its external and NAT addresses, Office
// Online Server farms an office_online_server block, a SIP domain no pool
// is in an SRV target in a matching internal zone (the one DNS shows, if
// FillFromDNS read it), and every SIP domain
// the Edge pool's Access Edge. What the language cannot hold (an Edge pool
// whose services share FQDNs or interfaces in a way it has no form for) is
// written as comments. The warnings returned say both, pointing into the
// XML.
func WriteHCL(m *Model) ([]byte, hcl.Diagnostics) {
	w := &writer{m: m, names: map[topology.View][]string{}, domains: map[topology.View][]string{}, seen: map[string]bool{}}
	f := hclwrite.NewEmptyFile()
	body := f.Body()

	// Sites and SIP domains first, detached: the zones written above them
	// are the domains of the names they use.
	var sites []*hclwrite.Block
	var siteComments []hclwrite.Tokens
	siteNames := map[string]int{}
	for _, s := range m.Sites {
		c, b := w.site(s, unique(siteNames, label(s.Name, "site-"+s.ID)))
		siteComments, sites = append(siteComments, c), append(sites, b)
	}
	sip := w.sipDomains()

	w.header(body)
	w.zones(body)
	for i, b := range sites {
		body.AppendNewline()
		body.AppendUnstructuredTokens(siteComments[i])
		body.AppendBlock(b)
	}
	for _, s := range sip {
		body.AppendNewline()
		body.AppendUnstructuredTokens(s.comments)
		if s.block != nil {
			body.AppendBlock(s.block)
		}
	}
	w.summary()
	return hclwrite.Format(f.Bytes()), w.diags
}

type writer struct {
	m     *Model
	diags hcl.Diagnostics
	// names are the DNS names the topology gives records, by view, and
	// domains the zones they need: the names' parent domains and the SIP
	// domains.
	names, domains map[topology.View][]string
	seen           map[string]bool // view + "\x00" + name, for names
	todo           todoCount
	assumedLB      []string
	// edges are the Edge pools written with an Access Edge FQDN, for the
	// SIP domains' edge_pool.
	edges []edgeRef
}

// todoCount counts the TODOs written, for the summary warning.
type todoCount struct {
	addresses, overrides, internalVIPs, externalVIPs, serverFQDNs int
	edgeFQDNs, edgeAddresses, edgePublic                          int
	officeFQDNs, officeVIPs, officeExternal                       int
}

func (w *writer) warn(src *Source, summary, format string, args ...any) {
	d := &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: summary, Detail: fmt.Sprintf(format, args...)}
	if src != nil && src.Range.Filename != "" {
		r := src.Range
		d.Subject = &r
	}
	w.diags = append(w.diags, d)
}

// use notes that the topology gives name a record in view: its zone is
// the name's parent domain.
func (w *writer) use(view topology.View, name string) {
	name = fold(name)
	if name == fold(TODO) || w.seen[string(view)+"\x00"+name] {
		return
	}
	w.seen[string(view)+"\x00"+name] = true
	w.names[view] = append(w.names[view], name)
	if _, parent, ok := strings.Cut(name, "."); ok && parent != "" {
		w.domains[view] = append(w.domains[view], parent)
	}
}

// useDomain notes that the topology gives records to names in domain d
// (a SIP domain's sip., SRV and discovery records).
func (w *writer) useDomain(view topology.View, d string) {
	w.domains[view] = append(w.domains[view], fold(d))
}

// header writes the file's comment, name and product.
func (w *writer) header(body *hclwrite.Body) {
	m := w.m
	switch {
	case m.Form == FormDNS:
		from := "the zones"
		if m.DNS != nil {
			from = baseName(m.DNS.Filename)
		}
		comment(body, fmt.Sprintf("Imported by topo import dns from %s: the pools, servers, web services and SIP domains its zones' records show, read through their providers.", from))
	case m.DNS != nil:
		comment(body, fmt.Sprintf("Imported by topo import topology from %s (%s), with addresses and server states from the zones of %s.", baseName(m.Filename), m.Form, baseName(m.DNS.Filename)))
	default:
		comment(body, fmt.Sprintf("Imported by topo import topology from %s (%s).", baseName(m.Filename), m.Form))
	}
	if w.todo != (todoCount{}) {
		comment(body, `Values the file does not hold are "TODO": fill them in, then run topo validate.`)
	}
	if m.Form == FormDNS {
		comment(body, "DNS does not say a pool's role: a pool whose name says edge, dir or med has that role, said above it; the others are Front End pools. Check them.")
		comment(body, "DNS does not order servers: each pool's are in name order. The pool quorum rule counts the first servers in topology order (Get-CsComputer -PoolFqdn): put them in that order.")
	}
	body.AppendNewline()

	name, from := topologyName(m)
	comment(body, "name identifies this topology in the ownership markers topo writes into DNS; "+from+".")
	body.SetAttributeValue("name", cty.StringVal(name))
	switch {
	case m.Product != "":
		comment(body, "product: from "+m.ProductSource.String()+".")
		body.SetAttributeValue("product", cty.StringVal(m.Product))
	case m.Form == FormDNS:
		comment(body, fmt.Sprintf("product: DNS does not say which product runs the pools; topo assumes %q, whose limits validate checks. Set it.", topology.DefaultProduct))
	default:
		comment(body, fmt.Sprintf("product: the file states no ServiceVersion; topo assumes %q. Set it.", topology.DefaultProduct))
	}
}

// topologyName is the default SIP domain's first label, or the first
// site's name.
func topologyName(m *Model) (string, string) {
	if m.Name != "" {
		return m.Name, m.NameNote
	}
	if d := m.DefaultDomain; d != "" {
		first, _, _ := strings.Cut(d, ".")
		if n := label(first, ""); n != "" {
			return n, fmt.Sprintf("from InternalDomains DefaultDomain=%q", d)
		}
	}
	for _, s := range m.Sites {
		if n := label(s.Name, ""); n != "" {
			return n, fmt.Sprintf("from the name of site %s, %q", s.ID, s.Name)
		}
	}
	return "imported", "the file names no SIP domain or site: rename it"
}

// zones writes one zone block per DNS domain and view the topology's
// names live in, omitting a domain inside another one written.
func (w *writer) zones(body *hclwrite.Body) {
	if dns := w.m.DNS; dns != nil {
		body.AppendNewline()
		comment(body, fmt.Sprintf("Providers and zones: %s, as written there.", baseName(dns.Filename)))
		body.AppendUnstructuredTokens(hclTokens(dns.HCL))
	}
	for _, view := range []topology.View{topology.ViewInternal, topology.ViewExternal} {
		domains := minimalDomains(w.domains[view])
		if dns := w.m.DNS; dns != nil {
			domains = slices.DeleteFunc(domains, func(d string) bool { return dns.covers(view, d) })
		}
		// Each name counts for the zone that holds it.
		counts := map[string]int{}
		for _, name := range w.names[view] {
			for rest := name; ; {
				if slices.Contains(domains, rest) {
					counts[rest]++
					break
				}
				_, parent, ok := strings.Cut(rest, ".")
				if !ok {
					break
				}
				rest = parent
			}
		}
		for _, d := range domains {
			n := counts[d]
			body.AppendNewline()
			what := fmt.Sprintf("the DNS domain of %d %s below", n, plural(n, "name"))
			if n == 0 {
				what = "its SIP domain records"
			}
			text := fmt.Sprintf("The %s view of %s: %s. Published as a zone file beside this file (the embedded zonefile provider); set provider to publish the real zone.", view, d, what)
			if w.m.DNS != nil {
				text = fmt.Sprintf("The %s view of %s: %s, which no zone of %s holds. Published as a zone file beside this file (the embedded zonefile provider); set provider to publish the real zone.", view, d, what, baseName(w.m.DNS.Filename))
			}
			comment(body, text)
			b := body.AppendNewBlock("zone", []string{d})
			b.Body().SetAttributeValue("view", cty.StringVal(string(view)))
		}
	}
}

// hclTokens are src's tokens, ending in a newline, for appending to a
// file being written.
func hclTokens(src []byte) hclwrite.Tokens {
	f, diags := hclwrite.ParseConfig(src, "zones.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		return nil
	}
	var out hclwrite.Tokens
	for _, t := range f.BuildTokens(nil) {
		if t.Type != hclsyntax.TokenEOF {
			out = append(out, t)
		}
	}
	if n := len(out); n > 0 && out[n-1].Type != hclsyntax.TokenNewline && !(out[n-1].Type == hclsyntax.TokenComment && strings.HasSuffix(string(out[n-1].Bytes), "\n")) {
		out = append(out, &hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte("\n")})
	}
	return out
}

// covers reports whether a zone of the source holds domain d in view.
func (s *DNSSource) covers(view topology.View, d string) bool {
	for _, z := range s.Zones {
		if z.covers(view) && (d == z.Name || strings.HasSuffix(d, "."+z.Name)) {
			return true
		}
	}
	return false
}

// minimalDomains returns the domains without those inside another one,
// sorted.
func minimalDomains(domains []string) []string {
	set := make(map[string]bool, len(domains))
	for _, d := range domains {
		set[d] = true
	}
	var out []string
	for d := range set {
		inside := false
		for rest := d; !inside; {
			_, parent, ok := strings.Cut(rest, ".")
			if !ok {
				break
			}
			inside, rest = set[parent], parent
		}
		if !inside {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return out
}

// site returns the comment and block of one site.
func (w *writer) site(s *Site, name string) (hclwrite.Tokens, *hclwrite.Block) {
	var c hclwrite.Tokens
	if s.Source.Element != "" {
		c = append(c, commentTokens("from "+s.Source.String())...)
	}
	for _, n := range s.Notes {
		c = append(c, commentTokens(n)...)
	}
	b := hclwrite.NewBlock("site", []string{name})
	body := b.Body()
	poolNames := map[string]int{}
	for i, p := range s.Pools {
		if i > 0 {
			body.AppendNewline()
		}
		first, _, _ := strings.Cut(p.FQDN, ".")
		w.pool(body, p, unique(poolNames, label(first, "pool")))
	}
	farmNames := map[string]int{}
	for i, o := range s.OfficeOnline {
		if len(s.Pools) > 0 || i > 0 {
			body.AppendNewline()
		}
		first, _, _ := strings.Cut(o.FQDN, ".")
		w.officeOnline(body, o, unique(farmNames, label(first, "office-online")))
	}
	return c, b
}

// pool writes one pool block.
func (w *writer) pool(body *hclwrite.Body, p *Pool, name string) {
	comment(body, "from "+p.Source.String())
	if len(p.Services) > 0 {
		comment(body, "services on this cluster: "+strings.Join(p.Services, ", "))
	}
	for _, n := range p.Notes {
		comment(body, n)
	}
	if p.CollocatedMediation {
		comment(body, "The Mediation Server is collocated on this pool (Service RoleName=\"MediationServer\"): no pool of its own.")
	}
	if p.SingleMachine {
		w.singleMachineNote(body, p)
	}
	if len(p.Servers) > 1 && w.m.Form != FormDNS {
		comment(body, "The servers are in OrdinalInCluster order, the order the pool quorum rule's \"first N servers\" counts in: keep it.")
	}
	b := body.AppendNewBlock("pool", []string{name})
	pb := b.Body()
	pb.SetAttributeValue("role", cty.StringVal(string(p.Role)))
	if p.SingleMachine && p.Role == topology.RoleFrontend {
		pb.SetAttributeValue("edition", cty.StringVal(string(topology.EditionStandard)))
	}
	pb.SetAttributeValue("fqdn", cty.StringVal(p.FQDN))
	w.use(topology.ViewInternal, p.FQDN)
	switch {
	case p.SingleMachine:
	case p.LoadBalancing != "":
		comment(pb, p.LBNote)
		pb.SetAttributeValue("load_balancing", cty.StringVal(string(p.LoadBalancing)))
		if p.LoadBalancing == topology.LBHardware && p.VIP.IsValid() {
			pb.SetAttributeValue("vip", cty.StringVal(p.VIP.String()))
		}
	default:
		comment(pb, "A topology file does not record the load balancing: DNS load balancing is assumed. With a hardware load balancer for SIP, write \"hardware\" and set vip.")
		pb.SetAttributeValue("load_balancing", cty.StringVal(string(topology.LBDNS)))
		w.assumedLB = append(w.assumedLB, p.FQDN)
	}
	if p.TTL != 0 {
		comment(pb, fmt.Sprintf("ttl: the TTL of the pool's records in DNS, %d s, which is not their zone's.", p.TTL))
		pb.SetAttributeValue("ttl", cty.NumberIntVal(int64(p.TTL)))
	}
	if p.Role == topology.RoleFrontend || p.Role == topology.RoleDirector {
		w.webServices(pb, p)
	}
	var edge edgeLayout
	if p.Role == topology.RoleEdge && len(p.EdgeExternal) > 0 {
		edge = edgeLayoutOf(p)
		w.edgeExternal(pb, p, edge)
	}
	names := map[string]int{}
	for _, s := range p.Servers {
		pb.AppendNewline()
		w.server(pb, p, s, serverName(names, s.FQDN), edge)
	}
}

func (w *writer) singleMachineNote(body *hclwrite.Body, p *Pool) {
	kind := "single-server " + string(p.Role) + " pool"
	if p.Role == topology.RoleFrontend {
		kind = "Standard Edition server"
	}
	comment(body, fmt.Sprintf("A %s (IsSingleMachineOnly=\"true\"): the server is the pool, so its block has no fqdn of its own, and its internal web services FQDN cannot be overridden.", kind))
}

// webServices writes a Front End or Director pool's web_services block:
// the internal override (required with DNS load balancing), its VIP and
// the external web services FQDN.
func (w *writer) webServices(pb *hclwrite.Body, p *Pool) {
	ws := p.WebServices
	if ws == nil {
		ws = &WebServices{}
	}
	ext := ws.ExternalHost
	extIsPool := ext != "" && strings.EqualFold(ext, p.FQDN)
	pb.AppendNewline()
	switch {
	case ws.Source.Element != "":
		comment(pb, "from "+ws.Source.String())
	case w.m.Form == FormDNS && ws.InternalHost == "" && ws.ExternalHost == "":
		comment(pb, "No web services FQDN in DNS could be matched to this pool.")
	case w.m.Form != FormDNS:
		comment(pb, "The file has no WebService element for this pool.")
	}
	if p.SingleMachine && (ext == "" || extIsPool) {
		// Nothing to write: a single server has no override, and its
		// external FQDN, if any, is the pool's.
		comment(pb, "A single server's internal web services FQDN is its own FQDN: it cannot be overridden.")
		if extIsPool {
			w.externalIsPool(pb, p, ws)
		}
		return
	}
	hardwareNoOverride := p.LoadBalancing == topology.LBHardware && (ws.InternalHost == "" || strings.EqualFold(ws.InternalHost, p.FQDN))
	if hardwareNoOverride && (ext == "" || extIsPool) {
		comment(pb, "Behind a hardware load balancer the internal web services FQDN may be the pool FQDN: no override.")
		if extIsPool {
			w.externalIsPool(pb, p, ws)
		}
		return
	}
	b := pb.AppendNewBlock("web_services", nil)
	wb := b.Body()
	if !p.SingleMachine && !hardwareNoOverride {
		switch {
		case ws.InternalHost != "" && !strings.EqualFold(ws.InternalHost, p.FQDN):
			comment(wb, "The internal web services override, from "+ws.InternalSource.String()+".")
			wb.SetAttributeValue("internal_fqdn", cty.StringVal(ws.InternalHost))
			w.use(topology.ViewInternal, ws.InternalHost)
		default:
			why := "the file sets no internal web services override"
			switch {
			case ws.InternalHost != "":
				why = ws.InternalSource.String() + " is the pool FQDN"
			case w.m.Form == FormDNS || w.m.DNS != nil:
				why = "no name in DNS could be matched as this pool's internal web services FQDN"
				if w.m.Form != FormDNS {
					why = "the file sets no internal web services override, and " + why
				}
			}
			comment(wb, "TODO: "+why+". With DNS load balancing the internal web services FQDN must be a name of its own that resolves to the hardware load balancer's VIP: set it here and in Topology Builder (Edit Properties > Web services > Override FQDN).")
			wb.SetAttributeValue("internal_fqdn", cty.StringVal(TODO))
			w.todo.overrides++
		}
		if ws.InternalVIP.IsValid() {
			if ws.InternalVIPNote != "" {
				comment(wb, "internal_vip: "+ws.InternalVIPNote+".")
			}
			wb.SetAttributeValue("internal_vip", cty.StringVal(ws.InternalVIP.String()))
		} else {
			comment(wb, "TODO: the hardware load balancer's VIP for the internal web services (HTTPS); "+map[bool]string{true: "DNS has no address for it.", false: "a topology file does not hold it."}[w.m.DNS != nil])
			wb.SetAttributeValue("internal_vip", cty.StringVal(TODO))
			w.todo.internalVIPs++
		}
	}
	switch {
	case ext == "":
	case extIsPool:
		w.externalIsPool(wb, p, ws)
	default:
		comment(wb, "The external web services FQDN, from "+ws.ExternalSource.String()+".")
		wb.SetAttributeValue("external_fqdn", cty.StringVal(ext))
		w.use(topology.ViewExternal, ext)
		if ws.ExternalVIP.IsValid() {
			if ws.ExternalVIPNote != "" {
				comment(wb, "external_proxy_ip: "+ws.ExternalVIPNote+".")
			}
			wb.SetAttributeValue("external_proxy_ip", cty.StringVal(ws.ExternalVIP.String()))
			break
		}
		comment(wb, "TODO: the address external clients reach the web services on (the reverse proxy's public address); "+map[bool]string{true: "DNS has no address for it outside.", false: "a topology file does not hold it."}[w.m.DNS != nil])
		wb.SetAttributeValue("external_proxy_ip", cty.StringVal(TODO))
		w.todo.externalVIPs++
	}
}

// externalIsPool says why an external web services FQDN equal to the pool
// FQDN is not written.
func (w *writer) externalIsPool(body *hclwrite.Body, p *Pool, ws *WebServices) {
	comment(body, fmt.Sprintf("%s is the pool FQDN (Topology Builder's default). topo keeps every FQDN unique across views, so it is not written: when a reverse proxy publishes the web services under a name of their own, set external_fqdn and external_proxy_ip.", ws.ExternalSource))
	w.warn(&ws.ExternalSource, "External web services FQDN is the pool FQDN",
		"Pool %s's external web services FQDN (ExternalSettings Host) is the pool FQDN, Topology Builder's default. topo keeps every FQDN unique across views, so no external_fqdn is written; set external_fqdn and external_proxy_ip when a reverse proxy publishes the web services under a name of their own.", p.FQDN)
}

var edgeServiceNames = map[string]string{
	EdgeAccess:     "Access Edge",
	EdgeWebConf:    "Web Conferencing Edge",
	EdgeMediaRelay: "A/V Edge",
}

// edgeKeys are the Edge services in the order the edge blocks write them,
// with the language's attribute prefix of each.
var edgeKeys = []struct{ service, key string }{{EdgeAccess, "access"}, {EdgeWebConf, "webconf"}, {EdgeMediaRelay, "av"}}

// edgeLayout is how an Edge pool's external side is written: the pool's
// edge block names each service's FQDN, each server's edge block the
// address of the external interface the service listens on.
type edgeLayout struct {
	// why says why the language cannot hold the pool's external side, which
	// is then written as comments; empty when it is written natively.
	why string
	// shared: the three services share one FQDN and one address per server
	// (Topology Builder's "single FQDN and IP address"), written as
	// access_fqdn and access_ip alone.
	shared bool
	// slots are the attributes written: access alone when shared, else
	// access, webconf and av.
	slots []edgeSlot
	// nat: an external interface the services use has a NAT public address
	// (ConfiguredIPAddress). NAT is on every external interface or none.
	nat bool
}

// edgeSlot is one <key>_fqdn of the pool's edge block and the <key>_ip
// (and <key>_public_ip) of each server's.
type edgeSlot struct {
	key, name string
	// fqdn is the service's ConfiguredFqdn; empty when the file has none.
	fqdn string
	// svc is the service it comes from; nil when the file has no external
	// port for it.
	svc *EdgeService
	// iface is the external InterfaceNumber the service listens on; 0 when
	// unknown.
	iface int
}

// edgeLayoutOf decides how the pool's external services are written.
func edgeLayoutOf(p *Pool) edgeLayout {
	var l edgeLayout
	if len(p.EdgeExternal) == 0 {
		return l
	}
	by := map[string]*EdgeService{}
	fqdns := map[string]bool{}
	var names []string
	named := 0
	for i := range p.EdgeExternal {
		e := &p.EdgeExternal[i]
		by[e.Service] = e
		if e.FQDN != "" {
			named++
			if !fqdns[fold(e.FQDN)] {
				names = append(names, e.FQDN)
			}
			fqdns[fold(e.FQDN)] = true
		}
	}
	switch {
	case len(fqdns) <= 1:
		l.shared = true
		s := edgeSlot{key: "access", name: edgeServiceNames[EdgeAccess], svc: by[EdgeAccess]}
		if len(names) == 1 {
			s.fqdn = names[0]
		}
		for _, e := range p.EdgeExternal {
			switch {
			case s.iface == 0:
				s.iface = e.Interface
			case e.Interface != s.iface:
				l.why = fmt.Sprintf("its services share one FQDN but listen on different external interfaces (%d and %d), and topo's language gives services that share an FQDN one address per server", s.iface, e.Interface)
			}
		}
		l.slots = []edgeSlot{s}
	case len(fqdns) == named:
		ifaces := map[int]string{}
		for _, k := range edgeKeys {
			s := edgeSlot{key: k.key, name: edgeServiceNames[k.service], svc: by[k.service]}
			if s.svc != nil {
				s.fqdn, s.iface = s.svc.FQDN, s.svc.Interface
				if prev, dup := ifaces[s.iface]; dup && l.why == "" {
					l.why = fmt.Sprintf("the %s and the %s have FQDNs of their own but listen on one external interface (%d), and topo's language gives a service with an FQDN of its own an address of its own", prev, s.name, s.iface)
				}
				ifaces[s.iface] = s.name
			}
			l.slots = append(l.slots, s)
		}
	default:
		l.why = fmt.Sprintf("two of its services share an FQDN and the third has its own (%s), and topo's language has the three share one FQDN or each have its own", strings.Join(names, ", "))
	}
	for _, s := range p.Servers {
		for _, slot := range l.slots {
			if x := externalInterface(s, slot.iface); x != nil && x.NAT.IsValid() {
				l.nat = true
			}
		}
	}
	return l
}

// externalInterface is the server's external interface number n, or nil.
func externalInterface(s *Server, n int) *Interface {
	for i := range s.External {
		if s.External[i].Number == n && n != 0 {
			return &s.External[i]
		}
	}
	return nil
}

// edgeRef is an Edge pool written with its Access Edge FQDN, for the SIP
// domains' edge_pool.
type edgeRef struct {
	pool   *Pool
	access string
}

// edgeExternal writes an Edge pool's edge block: the external FQDN of each
// service, from the EdgeServer service's external ports. What the language
// cannot hold is written as comments instead, with a warning.
func (w *writer) edgeExternal(pb *hclwrite.Body, p *Pool, l edgeLayout) {
	pb.AppendNewline()
	if l.why != "" {
		w.edgeComments(pb, p, l.why)
		return
	}
	comment(pb, "The external interface, from the EdgeServer service's external ports: the FQDNs external clients and federated partners reach the Edge services at (external view). Each server's edge block has its addresses; behind NAT, DNS publishes the public ones. With a hardware load balancer, write load_balancing = \"hardware\", the VIPs here (access_vip, ...) and public server addresses without NAT.")
	eb := pb.AppendNewBlock("edge", nil).Body()
	for _, s := range l.slots {
		if l.shared {
			comment(eb, "The three services share one FQDN and one address per server (Topology Builder's \"Use a single FQDN and IP address\"), so access_fqdn stands alone:")
			for _, e := range p.EdgeExternal {
				comment(eb, "  "+edgePorts(e))
			}
		} else if s.svc != nil {
			comment(eb, edgePorts(*s.svc))
		}
		if s.fqdn == "" {
			why := "the file has no external port for it"
			if s.svc != nil {
				why = "its external ports have no ConfiguredFqdn"
			}
			comment(eb, fmt.Sprintf("TODO: the %s's external FQDN: %s.", s.name, why))
			eb.SetAttributeValue(s.key+"_fqdn", cty.StringVal(TODO))
			w.todo.edgeFQDNs++
			continue
		}
		eb.SetAttributeValue(s.key+"_fqdn", cty.StringVal(s.fqdn))
		w.use(topology.ViewExternal, s.fqdn)
		if s.key == "access" {
			w.edges = append(w.edges, edgeRef{pool: p, access: s.fqdn})
		}
	}
}

// edgePorts describes one Edge service's external ports for a comment.
func edgePorts(e EdgeService) string {
	ports := make([]string, len(e.Ports))
	for i, n := range e.Ports {
		ports[i] = strconv.Itoa(n)
	}
	fqdn := e.FQDN
	if fqdn == "" {
		fqdn = "(no ConfiguredFqdn)"
	}
	return fmt.Sprintf("%s: %s, port %s on external interface %d (line %d)", edgeServiceNames[e.Service], fqdn, strings.Join(ports, ", "), e.Interface, e.Source.Range.Start.Line)
}

// edgeComments writes an Edge pool's external services as comments, when
// the language cannot hold them, and warns.
func (w *writer) edgeComments(pb *hclwrite.Body, p *Pool, why string) {
	comment(pb, "External interfaces: not written, as "+why+". They are kept here, and each server's external addresses in its block:")
	var fqdns []string
	for _, e := range p.EdgeExternal {
		if e.FQDN != "" && !slices.Contains(fqdns, e.FQDN) {
			fqdns = append(fqdns, e.FQDN)
		}
		comment(pb, "  "+edgePorts(e))
	}
	var addrs, nat int
	for _, s := range p.Servers {
		for _, i := range s.External {
			if i.Address.IsValid() {
				addrs++
			}
			if i.NAT.IsValid() {
				nat++
			}
		}
	}
	w.warn(&p.Source, "Edge external interfaces written as comments",
		"Edge pool %s has %d external service%s (%s), %d external address%s and %d NAT public address%s. They are comments in the pool block, as %s: none of their DNS records (the external FQDNs in the external view) is published. Describe the pool's edge block by hand, as Topology Builder should show it.",
		p.FQDN, len(p.EdgeExternal), plural1(len(p.EdgeExternal)), strings.Join(fqdns, ", "), addrs, pluralES(addrs), nat, pluralES(nat), why)
}

func pluralES(n int) string {
	if n == 1 {
		return ""
	}
	return "es"
}

// server writes one server block, its address or a TODO saying why the
// file has none, and an Edge server's external addresses.
func (w *writer) server(pb *hclwrite.Body, p *Pool, s *Server, name string, l edgeLayout) {
	if w.m.Form != FormDNS {
		// From DNS the source is the block's own fqdn and ip.
		comment(pb, "from "+s.Source.String())
	}
	b := pb.AppendNewBlock("server", []string{name})
	sb := b.Body()
	for _, n := range s.Notes {
		comment(sb, n)
	}
	if !p.SingleMachine || !strings.EqualFold(s.FQDN, p.FQDN) {
		sb.SetAttributeValue("fqdn", cty.StringVal(s.FQDN))
		if s.FQDN == TODO {
			w.todo.serverFQDNs++
		}
		w.use(topology.ViewInternal, s.FQDN)
	}
	side := "Primary"
	if p.Role == topology.RoleEdge {
		side = "Internal"
	}
	switch s.AddressKind {
	case AddressKnown:
		if s.AddressNote != "" {
			comment(sb, s.AddressNote)
		}
		sb.SetAttributeValue("ip", cty.StringVal(s.Address.String()))
	case AddressAll:
		comment(sb, fmt.Sprintf("TODO: the file gives IPAddress=%q (\"all addresses\") on its %s interface (line %d), not an address: write the server's address.", s.Address.String(), side, s.AddressSource.Range.Start.Line))
		sb.SetAttributeValue("ip", cty.StringVal(TODO))
		w.todo.addresses++
	default:
		comment(sb, fmt.Sprintf("TODO: the Machine has no %s NetInterface address: write the server's address.", side))
		sb.SetAttributeValue("ip", cty.StringVal(TODO))
		w.todo.addresses++
	}
	if s.State != "" {
		comment(sb, s.StateNote)
		sb.SetAttributeValue("state", cty.StringVal(string(s.State)))
	}
	if len(l.slots) > 0 && l.why == "" {
		w.serverEdge(sb, s, l)
		return
	}
	for _, x := range s.External {
		comment(sb, externalText(x))
	}
}

// publishedAddr is the address DNS publishes for an external interface:
// its NAT public address, or its own.
func publishedAddr(x Interface) netip.Addr {
	if x.NAT.IsValid() {
		return x.NAT
	}
	return x.Address
}

// privateAddr is topo validate's test for an address no client on the
// Internet reaches.
func privateAddr(a netip.Addr) bool {
	return a.IsValid() && (a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast())
}

func externalText(x Interface) string {
	text := fmt.Sprintf("external interface %d: ", x.Number)
	if x.Address.IsValid() {
		text += x.Address.String()
	} else {
		text += "all addresses (0.0.0.0)"
	}
	if x.NAT.IsValid() {
		text += ", NAT public address " + x.NAT.String()
	}
	return fmt.Sprintf("%s (line %d)", text, x.Source.Range.Start.Line)
}

// serverEdge writes an Edge server's edge block: the address of the
// external interface each service listens on and, behind NAT, the public
// address NAT maps to it (what DNS publishes).
func (w *writer) serverEdge(sb *hclwrite.Body, s *Server, l edgeLayout) {
	sb.AppendNewline()
	eb := sb.AppendNewBlock("edge", nil).Body()
	for _, slot := range l.slots {
		x := externalInterface(s, slot.iface)
		switch {
		case x == nil && slot.iface == 0:
			comment(eb, fmt.Sprintf("TODO: the %s's external address; the file names no external interface for it.", slot.name))
		case x == nil:
			comment(eb, fmt.Sprintf("TODO: the Machine has no External NetInterface %d, the one the %s listens on: write its address.", slot.iface, slot.name))
		case !x.Address.IsValid():
			comment(eb, fmt.Sprintf("TODO: the file gives IPAddress=\"0.0.0.0\" (\"all addresses\") on external interface %d (line %d), the %s's: write its address.", x.Number, x.Source.Range.Start.Line, slot.name))
		default:
			what := slot.name
			if l.shared {
				what = "The three Edge services"
			}
			nat := ""
			switch {
			case x.NAT.IsValid() && x.Note != "":
				nat = "; behind NAT"
			case x.NAT.IsValid():
				nat = "; behind NAT, its public address from ConfiguredIPAddress"
			}
			comment(eb, fmt.Sprintf("%s: external interface %d (line %d)%s", what, x.Number, x.Source.Range.Start.Line, nat))
		}
		if x != nil && x.Note != "" {
			comment(eb, x.Note)
		}
		if x == nil || !x.Address.IsValid() {
			eb.SetAttributeValue(slot.key+"_ip", cty.StringVal(TODO))
			w.todo.edgeAddresses++
		} else {
			eb.SetAttributeValue(slot.key+"_ip", cty.StringVal(x.Address.String()))
		}
		// Unless NAT's public address is still to come, what DNS publishes.
		if x != nil && (x.NAT.IsValid() || !l.nat) {
			if pub := publishedAddr(*x); privateAddr(pub) {
				comment(eb, fmt.Sprintf("The file's %s %s is a private address no client on the Internet reaches, yet it is what the %s FQDN resolves to there: check it.", map[bool]string{true: "NAT public address", false: "external address"}[x.NAT.IsValid()], pub, slot.name))
			}
		}
		switch {
		case x != nil && x.NAT.IsValid():
			eb.SetAttributeValue(slot.key+"_public_ip", cty.StringVal(x.NAT.String()))
		case l.nat:
			comment(eb, fmt.Sprintf("TODO: the pool's other external interfaces are behind NAT (ConfiguredIPAddress), and NAT is on every one or none: the public address NAT maps to %s_ip.", slot.key))
			eb.SetAttributeValue(slot.key+"_public_ip", cty.StringVal(TODO))
			w.todo.edgePublic++
		}
	}
	for _, x := range s.External {
		if !slices.ContainsFunc(l.slots, func(sl edgeSlot) bool { return sl.iface == x.Number }) {
			comment(eb, "Not used by an Edge service's external port: "+externalText(x))
		}
	}
}

// serverName is the server's first label, made unique in its pool.
func serverName(seen map[string]int, fqdn string) string {
	first, _, _ := strings.Cut(fqdn, ".")
	return unique(seen, label(first, "server"))
}

// officeOnline writes an Office Web Apps / Office Online Server farm
// (WacService): its FQDN, and its addresses as DNS shows them (FillFromDNS)
// or TODOs, as a topology file does not hold them (its VIP; its public
// address when it is deployed for external access).
func (w *writer) officeOnline(body *hclwrite.Body, o *OfficeOnline, name string) {
	comment(body, "Office Online Server farm (WacService), from "+o.Source.String())
	if o.DiscoveryURL != "" {
		comment(body, "discovery URL: "+o.DiscoveryURL)
		if host := urlHost(o.DiscoveryURL); host != "" && o.FQDN != "" && host != fold(o.FQDN) {
			comment(body, fmt.Sprintf("The discovery URL's host, %s, is not the farm's FQDN: if clients reach the farm at that name, write it as fqdn.", host))
		}
	}
	if len(o.Machines) > 0 {
		comment(body, "its servers: "+strings.Join(o.Machines, ", ")+" (topo publishes the farm's FQDN, not theirs)")
	}
	b := body.AppendNewBlock("office_online_server", []string{name})
	ob := b.Body()
	if o.FQDN == "" {
		comment(ob, "TODO: the farm's FQDN: its Cluster has no Fqdn.")
		ob.SetAttributeValue("fqdn", cty.StringVal(TODO))
		w.todo.officeFQDNs++
	} else {
		ob.SetAttributeValue("fqdn", cty.StringVal(o.FQDN))
		w.use(topology.ViewInternal, o.FQDN)
	}
	notHeld := map[bool]string{true: "DNS has no address for it", false: "a topology file does not hold it"}[w.m.DNS != nil]
	if o.VIP.IsValid() {
		if o.VIPNote != "" {
			comment(ob, "vip: "+o.VIPNote+".")
		}
		ob.SetAttributeValue("vip", cty.StringVal(o.VIP.String()))
	} else {
		comment(ob, "TODO: the farm's internal address, its load balancer's VIP (for a farm of one server, the server's address); "+notHeld+".")
		ob.SetAttributeValue("vip", cty.StringVal(TODO))
		w.todo.officeVIPs++
	}
	switch {
	case o.ExternalProxyIP.IsValid():
		if o.ExternalProxyNote != "" {
			comment(ob, "external_proxy_ip: "+o.ExternalProxyNote+".")
		}
		ob.SetAttributeValue("external_proxy_ip", cty.StringVal(o.ExternalProxyIP.String()))
	case !o.External:
		comment(ob, "WacService IsExternal=\"false\": internal only. To let external users reach the farm (PowerPoint sharing from outside), set external_proxy_ip to the reverse proxy's public address, and external_fqdn if its Internet name differs.")
		return
	default:
		comment(ob, "TODO: WacService IsExternal=\"true\": the farm is reached from the Internet. The public address its FQDN resolves to there (the reverse proxy's); "+map[bool]string{true: "DNS has no address for it outside", false: "a topology file does not hold it"}[w.m.DNS != nil]+". Set external_fqdn too if its Internet name differs.")
		ob.SetAttributeValue("external_proxy_ip", cty.StringVal(TODO))
		w.todo.officeExternal++
	}
	if o.FQDN != "" {
		w.use(topology.ViewExternal, o.FQDN)
	}
}

// sipBlock is a sip_domain block, or only comments when the language cannot
// hold the domain.
type sipBlock struct {
	comments hclwrite.Tokens
	block    *hclwrite.Block
}

// sipDomains writes a sip_domain block per SIP domain, with its simple
// URLs: Meet of the domain, Dial-in and Admin (Domain="*") in the default
// domain's block. A domain no Front End pool's FQDN is in gets the default
// domain's pool and an SRV target inside the domain (srvTarget); each
// domain the Access Edge of the Edge pool written (edgePool).
func (w *writer) sipDomains() []sipBlock {
	m := w.m
	var out []sipBlock
	placed := make([]bool, len(m.SimpleURLs))
	var defaultBody *hclwrite.Body
	fallback := w.fallbackPool()
	for _, d := range m.SIPDomains {
		var sb sipBlock
		sb.comments = append(sb.comments, commentTokens("from "+d.Source.String())...)
		for _, n := range d.Notes {
			sb.comments = append(sb.comments, commentTokens(n)...)
		}
		pool, inside := w.registrarPool(d, &sb, fallback)
		if pool == nil {
			for i, u := range m.SimpleURLs {
				if strings.EqualFold(u.Domain, d.Name) {
					placed[i] = true
					sb.comments = append(sb.comments, commentTokens(fmt.Sprintf("  %s = %q, from %s", simpleAttr[u.Component], u.Active, u.Source))...)
				}
			}
			out = append(out, sb)
			continue
		}
		sb.block = hclwrite.NewBlock("sip_domain", []string{d.Name})
		body := sb.block.Body()
		body.SetAttributeValue("pool", cty.StringVal(pool.FQDN))
		w.useDomain(topology.ViewInternal, d.Name)
		switch {
		case !inside:
			w.srvTarget(body, d, pool)
		case d.SRVTarget != "" && fold(d.SRVTarget) != fold(pool.FQDN):
			comment(body, fmt.Sprintf("srv_target: from DNS, _sipinternaltls._tcp.%s points at %s, which resolves to the pool's servers.", fold(d.Name), fold(d.SRVTarget)))
			body.SetAttributeValue("srv_target", cty.StringVal(fold(d.SRVTarget)))
		}
		w.edgePool(body, d, pool)
		if d.AccessEdgeIP.IsValid() {
			comment(body, fmt.Sprintf("access_edge_ip: from DNS, sip.%s outside, with its _sip._tls and _sipfederationtls._tcp SRVs.", d.Name))
			body.SetAttributeValue("access_edge_ip", cty.StringVal(d.AccessEdgeIP.String()))
			w.useDomain(topology.ViewExternal, d.Name)
		}
		if d.ReverseProxyIP.IsValid() {
			comment(body, fmt.Sprintf("reverse_proxy_ip: from DNS, lyncdiscover.%s outside.", d.Name))
			body.SetAttributeValue("reverse_proxy_ip", cty.StringVal(d.ReverseProxyIP.String()))
			w.useDomain(topology.ViewExternal, d.Name)
		}
		if d.Default || defaultBody == nil {
			defaultBody = body
		}
		for i, u := range m.SimpleURLs {
			if !strings.EqualFold(u.Domain, d.Name) {
				continue
			}
			w.simpleURL(body, u)
			placed[i] = true
		}
		out = append(out, sb)
	}
	for i, u := range m.SimpleURLs {
		if placed[i] {
			continue
		}
		if u.Domain == "*" && defaultBody != nil {
			w.simpleURL(defaultBody, u)
			continue
		}
		text := fmt.Sprintf("%s simple URL %s", u.Component, u.Active)
		w.warn(&u.Source, "Simple URL not written",
			"The %s (Domain=%q) has no sip_domain block to go in: its SIP domain is not written. It is left out.", text, u.Domain)
		out = append(out, sipBlock{comments: commentTokens(fmt.Sprintf("Not written: the %s, from %s: no sip_domain block for Domain=%q.", text, u.Source, u.Domain))})
	}
	return out
}

// frontEndPools are the topology's Front End pools, in file order.
func (w *writer) frontEndPools() []*Pool {
	var all []*Pool
	for _, s := range w.m.Sites {
		for _, p := range s.Pools {
			if p.Role == topology.RoleFrontend {
				all = append(all, p)
			}
		}
	}
	return all
}

// poolsIn are the Front End pools whose FQDN is in SIP domain d.
func poolsIn(all []*Pool, d string) []*Pool {
	var in []*Pool
	for _, p := range all {
		if strings.HasSuffix(fold(p.FQDN), "."+fold(d)) {
			in = append(in, p)
		}
	}
	return in
}

// fallbackPool is the pool a SIP domain without a Front End pool inside it
// points at: the default domain's, else that of the first domain with one,
// else the first Front End pool.
func (w *writer) fallbackPool() *Pool {
	all := w.frontEndPools()
	if len(all) == 0 {
		return nil
	}
	domains := slices.Clone(w.m.SIPDomains)
	slices.SortStableFunc(domains, func(a, b SIPDomain) int {
		if a.Default == b.Default {
			return 0
		}
		if a.Default {
			return -1
		}
		return 1
	})
	for _, d := range domains {
		if in := poolsIn(all, d.Name); len(in) > 0 {
			return in[0]
		}
	}
	return all[0]
}

// registrarPool picks the Front End pool a SIP domain's records point at:
// the first one whose FQDN is in the domain, else fallback, which is not
// (inside is false: the domain needs an SRV target of its own). None: the
// topology has no Front End pool, and the domain is written as a comment.
func (w *writer) registrarPool(d SIPDomain, sb *sipBlock, fallback *Pool) (pool *Pool, inside bool) {
	all := w.frontEndPools()
	if d.Pool != "" {
		// From DNS: the pool the domain's SRV points at.
		for _, p := range all {
			if strings.EqualFold(p.FQDN, d.Pool) {
				return p, strings.HasSuffix(fold(p.FQDN), "."+fold(d.Name))
			}
		}
	}
	in := poolsIn(all, d.Name)
	switch {
	case len(in) == 1:
		return in[0], true
	case len(in) > 1:
		sb.comments = append(sb.comments, commentTokens(fmt.Sprintf("%d Front End pools are in %s (%s): pool names the first; set it to the pool whose servers answer sip.%s and _sipinternaltls._tcp.%s.", len(in), d.Name, poolList(in), d.Name, d.Name))...)
		w.warn(&d.Source, "SIP domain pool chosen",
			"%d Front End pools are in %s (%s); a topology file does not say which one the domain's automatic sign-in records point at. The sip_domain block names the first, %s: check it.", len(in), d.Name, poolList(in), in[0].FQDN)
		return in[0], true
	case fallback == nil:
		sb.comments = append(sb.comments, commentTokens(fmt.Sprintf("SIP domain %s: no Front End pool to point its records at; not written.", d.Name))...)
		w.warn(&d.Source, "SIP domain not written", "SIP domain %s is not written: the topology has no Front End pool for its records to point at.", d.Name)
		return nil, false
	}
	if len(all) > 1 {
		sb.comments = append(sb.comments, commentTokens(fmt.Sprintf("No Front End pool's FQDN is in %s: pool names %s, the default SIP domain's pool; set it to the pool whose servers register the domain's users (one of %s).", d.Name, fallback.FQDN, poolList(all)))...)
		w.warn(&d.Source, "SIP domain pool chosen",
			"No Front End pool's FQDN is in SIP domain %s (the pools are %s), and a topology file does not say which one registers its users. The sip_domain block names %s, the default SIP domain's pool: check it.", d.Name, poolList(all), fallback.FQDN)
	}
	return fallback, false
}

func poolList(ps []*Pool) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.FQDN
	}
	return strings.Join(names, ", ")
}

// srvTarget writes the SRV target of a SIP domain its pool's FQDN is not
// in. An SRV target must be an A record in the SRV record's own domain;
// Microsoft offers two patterns, a pin-point zone per name or a matching
// internal zone. The matching internal zone is written: the zone of the
// domain's internal view, which the domain's other internal records
// (sip., lyncdiscoverinternal., the simple URL hosts) need anyway, so it
// validates with no more input, where pin-point zones take one zone per
// name. The target is sip.<domain>, which already resolves to the pool's
// servers: no alias to add, and a switch to pin-point zones changes only
// the zones.
func (w *writer) srvTarget(body *hclwrite.Body, d SIPDomain, pool *Pool) {
	dn := fold(d.Name)
	target, how := "sip."+dn, "which resolves to the pool's servers"
	if t := fold(d.SRVTarget); t != "" && t != target {
		target, how = t, "which resolves to the pool's servers (as in DNS)"
	}
	comment(body, fmt.Sprintf("No Front End pool's FQDN is in %s, and an SRV target must be an A record in the SRV record's own domain: _sipinternaltls._tcp.%s points at %s, %s, in the internal zone %s above (Microsoft's \"matching internal zone\"). If the internal DNS must not hold a zone %s, use pin-point zones instead: replace that zone with zones \"_sipinternaltls._tcp.%s\", \"sip.%s\", \"lyncdiscoverinternal.%s\" and one per simple URL host, each view = \"internal\".", dn, dn, target, how, dn, dn, dn, dn, dn))
	body.SetAttributeValue("srv_target", cty.StringVal(target))
	w.warn(&d.Source, "Matching internal zone for a SIP domain",
		"No Front End pool's FQDN is in SIP domain %s, so its _sipinternaltls._tcp SRV record cannot point at pool %s (an SRV target must be in the SRV record's domain). It points at %s, in the internal zone %s written for it (Microsoft's matching internal zone): the internal DNS then answers for all of %s, so every name of the domain that internal clients resolve must be in that zone. If that is not wanted, use pin-point zones instead (the sip_domain block's comment lists them).", dn, pool.FQDN, target, dn, dn)
}

// edgePool names the Edge pool whose Access Edge serves the domain from the
// Internet: external sip.<domain> and the _sip._tls and
// _sipfederationtls._tcp SRV records to its Access Edge FQDN. The one Edge
// pool written; of several, the first in the registrar pool's site.
func (w *writer) edgePool(body *hclwrite.Body, d SIPDomain, registrar *Pool) {
	if len(w.edges) == 0 {
		return
	}
	pick := w.edges[0]
	site := w.siteOf(registrar)
	for _, e := range w.edges {
		if w.siteOf(e.pool) == site {
			pick = e
			break
		}
	}
	dn := fold(d.Name)
	text := fmt.Sprintf("edge_pool: the Access Edge of %s (%s) serves %s from the Internet: external sip.%s, and _sip._tls and _sipfederationtls._tcp to %s.", pick.pool.FQDN, pick.access, dn, dn, pick.access)
	if len(w.edges) > 1 {
		names := make([]string, len(w.edges))
		for i, e := range w.edges {
			names[i] = e.pool.FQDN
		}
		text += fmt.Sprintf(" A topology file does not say which of the Edge pools (%s) does: check it.", strings.Join(names, ", "))
		w.warn(&d.Source, "SIP domain Edge pool chosen",
			"The topology has %d Edge pools (%s), and a topology file does not say which one's Access Edge external clients and federated partners reach SIP domain %s at. The sip_domain block names %s: check it.", len(w.edges), strings.Join(names, ", "), dn, pick.pool.FQDN)
	}
	comment(body, text)
	body.SetAttributeValue("edge_pool", cty.StringVal(pick.pool.FQDN))
	w.useDomain(topology.ViewExternal, d.Name)
}

// siteOf is the site a pool is in.
func (w *writer) siteOf(p *Pool) *Site {
	for _, s := range w.m.Sites {
		if slices.Contains(s.Pools, p) {
			return s
		}
	}
	return nil
}

var simpleAttr = map[string]string{SimpleMeet: "meet", SimpleDialin: "dialin", SimpleAdmin: "admin"}

// simpleURL writes one simple URL attribute into a sip_domain block.
func (w *writer) simpleURL(body *hclwrite.Body, u SimpleURL) {
	attr, ok := simpleAttr[u.Component]
	if !ok || u.Active == "" || body.GetAttribute(attr) != nil {
		w.warn(&u.Source, "Simple URL not written", "%s (ActiveUrl %q) is not written: %s.", u.Source.Element, u.Active, map[bool]string{true: "topo knows the Meet, Dialin and Cscp (Admin) simple URLs", false: "the block already has one"}[!ok])
		return
	}
	comment(body, fmt.Sprintf("%s: from %s", attr, u.Source))
	for _, o := range u.URLs {
		if o != u.Active {
			comment(body, "  another SimpleUrlEntry, not active: "+o)
		}
	}
	body.SetAttributeValue(attr, cty.StringVal(u.Active))
	if host := urlHost(u.Active); host != "" {
		w.use(topology.ViewInternal, host)
	}
}

func urlHost(u string) string {
	rest, ok := strings.CutPrefix(strings.ToLower(u), "https://")
	if !ok {
		return ""
	}
	host, _, _ := strings.Cut(rest, "/")
	host, _, _ = strings.Cut(host, ":")
	if !strings.Contains(host, ".") {
		return ""
	}
	return host
}

// summary adds the warnings about the whole file: what must be filled in,
// what was assumed.
func (w *writer) summary() {
	t := w.todo
	var parts []string
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, plural(n, what)))
		}
	}
	add(t.addresses, "server address")
	add(t.overrides, "internal web services override")
	add(t.internalVIPs, "internal web services VIP")
	add(t.externalVIPs, "external web services address")
	add(t.edgeFQDNs, "Edge service FQDN")
	add(t.edgeAddresses, "Edge external address")
	add(t.edgePublic, "Edge NAT public address")
	add(t.officeFQDNs, "Office Online Server FQDN")
	add(t.officeVIPs, "Office Online Server VIP")
	add(t.officeExternal, "Office Online Server public address")
	add(t.serverFQDNs, "server FQDN")
	if len(parts) > 0 {
		n := t.addresses + t.overrides + t.internalVIPs + t.externalVIPs + t.edgeFQDNs + t.edgeAddresses + t.edgePublic + t.officeFQDNs + t.officeVIPs + t.officeExternal + t.serverFQDNs
		what := "The topology file does not hold"
		if w.m.Form == FormDNS {
			what = "DNS does not show"
		}
		w.warn(nil, fmt.Sprintf("%d %s to fill in", n, plural(n, "value")),
			what+" %s: each is written as \"TODO\" with a comment saying what goes there, and topo validate reports each until it is filled in.", strings.Join(parts, ", "))
	}
	if n := len(w.assumedLB); n > 0 {
		w.warn(nil, "DNS load balancing assumed",
			"A topology file does not record how a pool is load balanced: %s written with load_balancing = \"dns\" (%s). Change it to \"hardware\" with vip for a pool behind a hardware load balancer.", map[bool]string{true: "1 pool is", false: strconv.Itoa(n) + " pools are"}[n == 1], strings.Join(w.assumedLB, ", "))
	}
}

// comment appends a line comment to body.
func comment(body *hclwrite.Body, text string) {
	body.AppendUnstructuredTokens(commentTokens(text))
}

// commentTokens is text as line comments, wrapped at commentWidth
// characters; a line starting with spaces (a listing) is kept whole.
func commentTokens(text string) hclwrite.Tokens {
	var ts hclwrite.Tokens
	for _, line := range strings.Split(visible(text), "\n") {
		for _, l := range wrap(line, commentWidth) {
			ts = append(ts, &hclwrite.Token{Type: hclsyntax.TokenComment, Bytes: []byte(strings.TrimRight("# "+l, " ") + "\n")})
		}
	}
	return ts
}

// visible escapes what would hide or reorder a comment's text: control
// characters other than the newline, line separators and bidirectional
// overrides from the XML's values.
func visible(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || !(unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069') {
			return r
		}
		return '\uFFFD'
	}, s)
}

// commentWidth keeps comments within 100 columns at a server block's depth.
const commentWidth = 90

func wrap(line string, width int) []string {
	if len(line) <= width || strings.HasPrefix(line, " ") {
		return []string{line}
	}
	// "line 24" stays on one line.
	const nbsp = "line\x01"
	var out []string
	var cur strings.Builder
	for _, word := range strings.Fields(strings.ReplaceAll(line, "line ", nbsp)) {
		if cur.Len() > 0 && cur.Len()+1+len(word) > width {
			out = append(out, cur.String())
			cur.Reset()
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(word)
	}
	out = append(out, cur.String())
	for i := range out {
		out[i] = strings.ReplaceAll(out[i], nbsp, "line ")
	}
	return out
}

// label turns a name from the file into a block label: lowercase letters,
// digits and hyphens.
func label(s, fallback string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if len(out) > 63 {
		out = strings.TrimRight(out[:63], "-")
	}
	if out == "" {
		return fallback
	}
	return out
}

// unique returns name, or name-2, name-3... when seen already has it.
func unique(seen map[string]int, name string) string {
	seen[name]++
	if seen[name] == 1 {
		return name
	}
	n := fmt.Sprintf("%s-%d", name, seen[name])
	seen[n]++
	return n
}

func fold(name string) string { return strings.TrimSuffix(strings.ToLower(name), ".") }

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}
