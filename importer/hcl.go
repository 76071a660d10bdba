package importer

import (
	"fmt"
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
// What the file does not hold is written as TODO; what today's language
// cannot hold (Edge external interfaces and NAT addresses, Office Online
// Server, SIP domains whose pools live in another DNS domain) is written
// as comments. The warnings returned say both, pointing into the XML.
func WriteHCL(m *Model) ([]byte, hcl.Diagnostics) {
	w := &writer{m: m, names: map[string][]string{}, domains: map[string][]string{}, seen: map[string]bool{}}
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
	names, domains map[string][]string
	seen           map[string]bool // view + "\x00" + name, for names
	todo           todoCount
	assumedLB      []string
}

// todoCount counts the TODOs written, for the summary warning.
type todoCount struct {
	addresses, overrides, internalVIPs, externalVIPs, serverFQDNs int
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
func (w *writer) use(view, name string) {
	name = fold(name)
	if name == fold(TODO) || w.seen[view+"\x00"+name] {
		return
	}
	w.seen[view+"\x00"+name] = true
	w.names[view] = append(w.names[view], name)
	if _, parent, ok := strings.Cut(name, "."); ok && parent != "" {
		w.domains[view] = append(w.domains[view], parent)
	}
}

// useDomain notes that the topology gives records to names in domain d
// (a SIP domain's sip., SRV and discovery records).
func (w *writer) useDomain(view, d string) {
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
	for _, view := range []string{topology.ViewInternal, topology.ViewExternal} {
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
			b.Body().SetAttributeValue("view", cty.StringVal(view))
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
func (s *DNSSource) covers(view, d string) bool {
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
	for _, o := range s.OfficeOnline {
		if len(s.Pools) > 0 {
			body.AppendNewline()
		}
		w.officeOnline(body, o)
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
	pb.SetAttributeValue("role", cty.StringVal(p.Role))
	pb.SetAttributeValue("fqdn", cty.StringVal(p.FQDN))
	w.use(topology.ViewInternal, p.FQDN)
	switch {
	case p.SingleMachine:
	case p.LoadBalancing != "":
		comment(pb, p.LBNote)
		pb.SetAttributeValue("load_balancing", cty.StringVal(p.LoadBalancing))
		if p.LoadBalancing == topology.LBHardware && p.VIP.IsValid() {
			pb.SetAttributeValue("vip", cty.StringVal(p.VIP.String()))
		}
	default:
		comment(pb, "A topology file does not record the load balancing: DNS load balancing is assumed. With a hardware load balancer for SIP, write \"hardware\" and set vip.")
		pb.SetAttributeValue("load_balancing", cty.StringVal(topology.LBDNS))
		w.assumedLB = append(w.assumedLB, p.FQDN)
	}
	if p.TTL != 0 {
		comment(pb, fmt.Sprintf("ttl: the TTL of the pool's records in DNS, %d s, which is not their zone's.", p.TTL))
		pb.SetAttributeValue("ttl", cty.NumberIntVal(int64(p.TTL)))
	}
	if p.Role == topology.RoleFrontend || p.Role == topology.RoleDirector {
		w.webServices(pb, p)
	}
	if p.Role == topology.RoleEdge && len(p.EdgeExternal) > 0 {
		w.edgeExternal(pb, p)
	}
	names := map[string]int{}
	for _, s := range p.Servers {
		pb.AppendNewline()
		w.server(pb, p, s, serverName(names, s.FQDN))
	}
}

func (w *writer) singleMachineNote(body *hclwrite.Body, p *Pool) {
	kind := "single-server " + p.Role + " pool"
	if p.Role == topology.RoleFrontend {
		kind = "Standard Edition server"
	}
	override := ""
	if p.Role == topology.RoleFrontend || p.Role == topology.RoleDirector {
		override = ", and asks for the web services override a single server cannot have"
	}
	comment(body, fmt.Sprintf("A %s (IsSingleMachineOnly=\"true\"): its server's FQDN is the pool FQDN. Today's topo language reports that as a duplicate FQDN%s; it validates once the language models single-server pools (issue 9).", kind, override))
	w.warn(&p.Source, "Single-server pool: not valid in today's topo language",
		"%s is a %s (IsSingleMachineOnly=\"true\"): its pool FQDN is its server's FQDN. It is written as a pool whose one server has the pool's FQDN; topo validate reports that as a duplicate FQDN%s until the language models single-server pools.",
		p.FQDN, kind, override)
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
				comment(wb, "external_vip: "+ws.ExternalVIPNote+".")
			}
			wb.SetAttributeValue("external_vip", cty.StringVal(ws.ExternalVIP.String()))
			break
		}
		comment(wb, "TODO: the address external clients reach the web services on (the reverse proxy's public address); "+map[bool]string{true: "DNS has no address for it outside.", false: "a topology file does not hold it."}[w.m.DNS != nil])
		wb.SetAttributeValue("external_vip", cty.StringVal(TODO))
		w.todo.externalVIPs++
	}
}

// externalIsPool says why an external web services FQDN equal to the pool
// FQDN is not written.
func (w *writer) externalIsPool(body *hclwrite.Body, p *Pool, ws *WebServices) {
	comment(body, fmt.Sprintf("%s is the pool FQDN (Topology Builder's default). topo keeps every FQDN unique across views, so it is not written: when a reverse proxy publishes the web services under a name of their own, set external_fqdn and external_vip.", ws.ExternalSource))
	w.warn(&ws.ExternalSource, "External web services FQDN is the pool FQDN",
		"Pool %s's external web services FQDN (ExternalSettings Host) is the pool FQDN, Topology Builder's default. topo keeps every FQDN unique across views, so no external_fqdn is written; set external_fqdn and external_vip when a reverse proxy publishes the web services under a name of their own.", p.FQDN)
}

var edgeServiceNames = map[string]string{
	EdgeAccess:     "Access Edge",
	EdgeWebConf:    "Web Conferencing Edge",
	EdgeMediaRelay: "A/V Edge",
}

// edgeExternal writes an Edge pool's external services as comments: today's
// language has no place for them.
func (w *writer) edgeExternal(pb *hclwrite.Body, p *Pool) {
	pb.AppendNewline()
	comment(pb, "External interfaces: today's topo language has no place for them (issue 9), so they are kept here, and each server's external addresses in its block:")
	var fqdns []string
	for _, e := range p.EdgeExternal {
		ports := make([]string, len(e.Ports))
		for i, n := range e.Ports {
			ports[i] = strconv.Itoa(n)
		}
		fqdn := e.FQDN
		if fqdn == "" {
			fqdn = "(no ConfiguredFqdn)"
		} else if !slices.Contains(fqdns, fqdn) {
			fqdns = append(fqdns, fqdn)
		}
		comment(pb, fmt.Sprintf("  %s: %s, port %s on external interface %d (line %d)", edgeServiceNames[e.Service], fqdn, strings.Join(ports, ", "), e.Interface, e.Source.Range.Start.Line))
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
		"Edge pool %s has %d external service%s (%s), %d external address%s and %d NAT public address%s. Today's topo language has no place for them: they are comments in the pool block, and none of their DNS records (the external FQDNs in the external view) is published.",
		p.FQDN, len(p.EdgeExternal), plural1(len(p.EdgeExternal)), strings.Join(fqdns, ", "), addrs, pluralES(addrs), nat, pluralES(nat))
}

func pluralES(n int) string {
	if n == 1 {
		return ""
	}
	return "es"
}

// server writes one server block, its address or a TODO saying why the
// file has none.
func (w *writer) server(pb *hclwrite.Body, p *Pool, s *Server, name string) {
	if w.m.Form != FormDNS {
		// From DNS the source is the block's own fqdn and ip.
		comment(pb, "from "+s.Source.String())
	}
	b := pb.AppendNewBlock("server", []string{name})
	sb := b.Body()
	for _, n := range s.Notes {
		comment(sb, n)
	}
	sb.SetAttributeValue("fqdn", cty.StringVal(s.FQDN))
	if s.FQDN == TODO {
		w.todo.serverFQDNs++
	}
	w.use(topology.ViewInternal, s.FQDN)
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
		sb.SetAttributeValue("state", cty.StringVal(s.State))
	}
	for _, x := range s.External {
		text := fmt.Sprintf("external interface %d: ", x.Number)
		if x.Address.IsValid() {
			text += x.Address.String()
		} else {
			text += "all addresses (0.0.0.0)"
		}
		if x.NAT.IsValid() {
			text += ", NAT public address " + x.NAT.String()
		}
		comment(sb, fmt.Sprintf("%s (line %d)", text, x.Source.Range.Start.Line))
	}
}

// serverName is the server's first label, made unique in its pool.
func serverName(seen map[string]int, fqdn string) string {
	first, _, _ := strings.Cut(fqdn, ".")
	return unique(seen, label(first, "server"))
}

// officeOnline writes an Office Online Server farm as comments.
func (w *writer) officeOnline(body *hclwrite.Body, o *OfficeOnline) {
	comment(body, "Office Online Server farm (WacService): today's topo language has no place for it (issue 9).")
	comment(body, "from "+o.Source.String())
	comment(body, fmt.Sprintf("  fqdn          = %q", o.FQDN))
	if o.DiscoveryURL != "" {
		comment(body, fmt.Sprintf("  discovery_url = %q", o.DiscoveryURL))
	}
	comment(body, fmt.Sprintf("  external      = %v", o.External))
	for _, m := range o.Machines {
		comment(body, fmt.Sprintf("  server        = %q", m))
	}
	w.warn(&o.Source, "Office Online Server written as a comment",
		"The Office Web Apps / Office Online Server farm %s (WacService) has no place in today's topo language: it is a comment in its site block, and its FQDN gets no record from topo.", o.FQDN)
}

// sipBlock is a sip_domain block, or only comments when the language cannot
// hold the domain.
type sipBlock struct {
	comments hclwrite.Tokens
	block    *hclwrite.Block
}

// sipDomains writes a sip_domain block per SIP domain, with its simple
// URLs: Meet of the domain, Dial-in and Admin (Domain="*") in the default
// domain's block.
func (w *writer) sipDomains() []sipBlock {
	m := w.m
	var out []sipBlock
	placed := make([]bool, len(m.SimpleURLs))
	written := map[string]*hclwrite.Body{}
	var defaultBody *hclwrite.Body
	for _, d := range m.SIPDomains {
		var sb sipBlock
		sb.comments = append(sb.comments, commentTokens("from "+d.Source.String())...)
		for _, n := range d.Notes {
			sb.comments = append(sb.comments, commentTokens(n)...)
		}
		pool := w.registrarPool(d, &sb)
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
		written[fold(d.Name)] = body
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

// registrarPool picks the Front End pool a SIP domain's records point at:
// the first one whose FQDN is in the domain (an SRV target must be in the
// SRV record's domain). None: the domain is written as a comment.
func (w *writer) registrarPool(d SIPDomain, sb *sipBlock) *Pool {
	if d.Pool != "" {
		for _, s := range w.m.Sites {
			for _, p := range s.Pools {
				if strings.EqualFold(p.FQDN, d.Pool) {
					return p
				}
			}
		}
	}
	var in, all []*Pool
	for _, s := range w.m.Sites {
		for _, p := range s.Pools {
			if p.Role != topology.RoleFrontend {
				continue
			}
			all = append(all, p)
			if strings.HasSuffix(fold(p.FQDN), "."+fold(d.Name)) {
				in = append(in, p)
			}
		}
	}
	switch {
	case len(in) == 1:
		return in[0]
	case len(in) > 1:
		names := make([]string, len(in))
		for i, p := range in {
			names[i] = p.FQDN
		}
		sb.comments = append(sb.comments, commentTokens(fmt.Sprintf("%d Front End pools are in %s (%s): pool names the first; set it to the pool whose servers answer sip.%s and _sipinternaltls._tcp.%s.", len(in), d.Name, strings.Join(names, ", "), d.Name, d.Name))...)
		w.warn(&d.Source, "SIP domain pool chosen",
			"%d Front End pools are in %s (%s); a topology file does not say which one the domain's automatic sign-in records point at. The sip_domain block names the first, %s: check it.", len(in), d.Name, strings.Join(names, ", "), in[0].FQDN)
		return in[0]
	case len(all) == 0:
		sb.comments = append(sb.comments, commentTokens(fmt.Sprintf("SIP domain %s: no Front End pool to point its records at; not written.", d.Name))...)
		w.warn(&d.Source, "SIP domain not written", "SIP domain %s is not written: the topology has no Front End pool for its records to point at.", d.Name)
		return nil
	}
	sb.comments = append(sb.comments, commentTokens(fmt.Sprintf("SIP domain %s: no Front End pool's FQDN is in it, and today's topo language publishes a SIP domain's records only for a pool inside it (an SRV target must be in the SRV record's domain). Not written; issue 9 adds the pin-point zone and matching internal zone forms.", d.Name))...)
	w.warn(&d.Source, "SIP domain written as a comment",
		"No Front End pool's FQDN is in SIP domain %s (the pools are %s). Today's topo language publishes a SIP domain's records only for a pool inside it, so the domain and its simple URLs are a comment.", d.Name, poolList(all))
	return nil
}

func poolList(ps []*Pool) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.FQDN
	}
	return strings.Join(names, ", ")
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
	add(t.serverFQDNs, "server FQDN")
	if len(parts) > 0 {
		n := t.addresses + t.overrides + t.internalVIPs + t.externalVIPs + t.serverFQDNs
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
