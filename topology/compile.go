package topology

import (
	"cmp"
	"net/netip"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Desired is what a topology compiles to: the records of each zone and
// view, and each pool's web services FQDNs.
type Desired struct {
	Topology    string         `json:"topology"`
	Product     Product        `json:"product"`
	Zones       []*ZoneRecords `json:"zones"`
	WebServices []WebService   `json:"web_services"`
	// Servers lists every server with its pool and state, by pool path and
	// in topology order within a pool, so plans can explain what a change
	// means for each.
	Servers []ServerInfo `json:"servers"`
	// Pairings lists the Front End pools paired for disaster recovery,
	// each pair once, so plans can explain what a pairing change means.
	Pairings []Pairing `json:"pairings,omitempty"`
}

// ServerInfo is one server as the plan explains it.
type ServerInfo struct {
	Path string `json:"path"`
	Name string `json:"name"`
	FQDN string `json:"fqdn"`
	// IP is the server's address; the zero Addr (JSON "") when the file's
	// address did not parse.
	IP       netip.Addr `json:"ip"`
	State    State      `json:"state"`
	Pool     string     `json:"pool"`
	PoolFQDN string     `json:"pool_fqdn"`
	Role     Role       `json:"role"`
	// PoolSize is the number of servers in the pool, whatever their state.
	PoolSize int `json:"pool_size"`
}

// ZoneRecords is one zone in one view and the records topo wants in it.
type ZoneRecords struct {
	Zone      string    `json:"zone"`
	View      View      `json:"view"`
	Provider  string    `json:"provider"`
	Ownership Ownership `json:"ownership"`
	TTL       uint32    `json:"ttl"`
	// MaxChange is the zone's mass-change threshold; 0 means the default.
	MaxChange float64 `json:"max_change,omitempty"`
	// Adopt is the zone's adopt attribute as declared; empty means the
	// default, AdoptIdentical.
	Adopt   Adopt    `json:"adopt,omitempty"`
	Records []Record `json:"records"`
}

// Record is one desired DNS record and where it came from.
type Record struct {
	Name string `json:"name"`
	Type string `json:"type"`
	TTL  uint32 `json:"ttl"`
	// Value is the record's data in presentation form, as a zone file
	// writes it: the address of an A or AAAA record, "0 0 5061 target." of
	// an SRV record, the target of a CNAME.
	Value string `json:"value"`
	// Addr is the address of an A or AAAA record, typed (Value holds the
	// same address as text); the zero Addr for every other type.
	Addr netip.Addr `json:"-"`
	// Source is the topology path that made the record, for example
	// "site.redmond.pool.pool01.server.fe01".
	Source string `json:"source"`
}

// WebService is a pool's web services FQDNs as Topology Builder sets them:
// the internal FQDN (an override when it differs from the pool FQDN) and the
// external one.
type WebService struct {
	Pool         string        `json:"pool"`
	PoolFQDN     string        `json:"pool_fqdn"`
	LoadBalance  LoadBalancing `json:"load_balancing"`
	InternalFQDN string        `json:"internal_fqdn"`
	Override     bool          `json:"override"`
	// InternalVIP is the address the internal web services FQDN resolves
	// to: the HLB VIP, or a single server's own address; the zero Addr
	// when there is none.
	InternalVIP  netip.Addr `json:"internal_vip,omitzero"`
	ExternalFQDN string     `json:"external_fqdn,omitempty"`
	// ExternalProxyIP is the reverse proxy's public address, what the
	// external web services FQDN resolves to in the external view.
	ExternalProxyIP netip.Addr `json:"external_proxy_ip,omitzero"`
	// ExternalVIP is the external web services' HLB VIP, what the external
	// FQDN resolves to in the internal view; the zero Addr when the
	// topology publishes none.
	ExternalVIP netip.Addr `json:"external_vip,omitzero"`
}

// pendingServer is a server as validation found it.
type pendingServer struct {
	s    *Server
	path string
	addr netip.Addr
	// fqdn is the server's FQDN (the pool's for the server of a
	// standalone pool) and fqdnRng where it is written.
	fqdn    string
	fqdnRng hcl.Range
	fqdnOK  bool
}

// pendingRecord waits for zone assignment.
type pendingRecord struct {
	name string
	view View
	// typ and value are the record; an empty typ means an address record
	// of addr (A or AAAA by its family).
	typ    string
	value  string
	addr   netip.Addr
	ttl    *int
	source string
	rng    hcl.Range
	// addrRng is where the address is written, when that is not rng; a
	// warning about the address points there.
	addrRng hcl.Range
	// hint ends a warning about a private address in the external view:
	// what the attribute should hold instead.
	hint string
}

// queuePoolRecords turns a pool into records, per DESIGN.md: with DNS load
// balancing one record at the pool FQDN per active server; one record at
// each server's FQDN unless the server is offline; the web services FQDNs
// to their VIPs.
func (v *validator) queuePoolRecords(path string, p *Pool, lb LoadBalancing, vip netip.Addr, w webAddrs, srv []pendingServer, poolFQDNOK bool) {
	add := func(name string, view View, a netip.Addr, source string, rng hcl.Range) *pendingRecord {
		if !a.IsValid() {
			return nil
		}
		v.recs = append(v.recs, pendingRecord{name: fold(name), view: view, addr: a, ttl: p.TTL, source: source, rng: rng})
		return &v.recs[len(v.recs)-1]
	}
	for _, s := range srv {
		state := s.s.StateName()
		info := ServerInfo{Path: s.path, Name: s.s.Name, FQDN: fold(s.fqdn), State: state, Pool: path, PoolFQDN: fold(p.FQDN), Role: p.RoleName(), PoolSize: len(srv)}
		info.IP = s.addr
		v.servers = append(v.servers, info)
		if poolFQDNOK && lb == LBDNS && state == StateActive {
			add(p.FQDN, ViewInternal, s.addr, s.path, p.FQDNRange)
		}
		if s.fqdnOK && state != StateOffline {
			add(s.fqdn, ViewInternal, s.addr, s.path, s.fqdnRng)
		}
	}
	if poolFQDNOK && lb == LBHardware {
		add(p.FQDN, ViewInternal, vip, path, p.FQDNRange)
	}
	if w.intFQDN != "" {
		add(w.intFQDN, ViewInternal, w.intVIP, path+".web_services.internal", p.WebServices.InternalFQDNRange)
	}
	if w.extFQDN != "" {
		if r := add(w.extFQDN, ViewExternal, w.extProxy, path+".web_services.external", p.WebServices.ExternalFQDNRange); r != nil {
			r.addrRng = p.WebServices.ExternalProxyIPRange
			r.hint = " external_proxy_ip is the reverse proxy's public address; the hardware load balancer's VIP inside belongs in external_vip, which is published in the internal view only."
		}
		add(w.extFQDN, ViewInternal, w.extVIP, path+".web_services.external_vip", p.WebServices.ExternalFQDNRange)
	}
	ws := WebService{Pool: path, PoolFQDN: fold(p.FQDN), LoadBalance: lb, InternalFQDN: fold(p.FQDN)}
	if w.intFQDN != "" {
		ws.InternalFQDN, ws.Override = fold(w.intFQDN), true
	}
	ws.InternalVIP = w.intVIP
	if w.extFQDN != "" {
		ws.ExternalFQDN = fold(w.extFQDN)
		ws.ExternalProxyIP = w.extProxy
		ws.ExternalVIP = w.extVIP
	}
	if p.RoleName() == RoleFrontend || p.RoleName() == RoleDirector {
		v.web = append(v.web, ws)
	}
}

// zoneFor finds the zone of view that holds name: the longest declared zone
// name that is a suffix of it.
func (v *validator) zoneFor(name string, view View) *Zone {
	for rest := name; rest != ""; {
		for _, z := range v.zoneIndex[rest] {
			if z.Covers(view) {
				return z
			}
		}
		_, after, ok := strings.Cut(rest, ".")
		if !ok {
			break
		}
		rest = after
	}
	return nil
}

// compile assigns the queued records to zones and builds the Desired set.
func (v *validator) compile() *Desired {
	d := &Desired{Topology: v.f.Name, Product: v.f.ProductName()}
	byZone := make(map[*Zone]*ZoneRecords)
	// A pool FQDN has one record per active server: report a name outside
	// every zone once, not once per record.
	outside := make(map[pendingRecord]bool)
	type viewKey struct {
		zr   *ZoneRecords
		name string
	}
	viewOf := make(map[viewKey]pendingRecord)
	cnameAt := make(map[viewKey]*pendingRecord)
	typesAt := make(map[viewKey][]string)
	// One warning per name and address, however many records.
	warned := make(map[pendingRecord]bool)
	for _, r := range v.recs {
		if r.view == ViewExternal && r.typ == "" && privateAddr(r.addr) {
			if k := (pendingRecord{name: r.name, addr: r.addr}); !warned[k] {
				warned[k] = true
				rng := r.rng
				if !absent(r.addrRng) {
					rng = r.addrRng
				}
				v.warnPrivate(r.name, r.addr, rng, r.hint)
			}
		}
		z := v.zoneFor(r.name, r.view)
		if z == nil {
			if k := (pendingRecord{name: r.name, view: r.view}); !outside[k] {
				outside[k] = true
				v.errorf(r.rng, "Name outside every zone", "%q needs a record in the %s view, but no declared zone of that view contains it. %s", r.name, r.view, v.zoneList(r.view))
			}
			continue
		}
		zr, ok := byZone[z]
		if !ok {
			zr = &ZoneRecords{
				Zone:      fold(z.Name),
				View:      z.ViewName(),
				Provider:  z.ProviderRef(),
				Ownership: z.OwnershipMode(),
				TTL:       z.TTLSeconds(),
			}
			if z.MaxChange != nil {
				zr.MaxChange = *z.MaxChange
			}
			if z.Adopt != nil {
				zr.Adopt = *z.Adopt
			}
			byZone[z] = zr
			d.Zones = append(d.Zones, zr)
		}
		ttl := zr.TTL
		if r.ttl != nil && *r.ttl > 0 {
			ttl = uint32(*r.ttl)
		}
		typ, value, addr := r.typ, r.value, netip.Addr{}
		if typ == "" {
			typ, value, addr = "A", r.addr.String(), r.addr
			if r.addr.Is6() {
				typ = "AAAA"
			}
		}
		// A zone serving both views holds one answer per name: two views
		// wanting different records at one name need split-brain DNS.
		if zr.View == ViewBoth {
			k := viewKey{zr, r.name}
			if prev, ok := viewOf[k]; ok && prev.view != r.view {
				v.errorf(r.rng, "Name needs different answers per view", "%q gets %s records in the %s view (from %s) and in the %s view (from %s), but zone %q serves both views with one set of records. Declare the zone twice, with view = \"internal\" and view = \"external\".", r.name, typ, r.view, r.source, prev.view, prev.source, zr.Zone)
				continue
			}
			viewOf[k] = r
		}
		// A CNAME is alone at its name, and never at a zone's apex.
		k := viewKey{zr, r.name}
		switch {
		case typ == "CNAME" && r.name == zr.Zone:
			v.errorf(r.rng, "CNAME at a zone apex", "%q would be a CNAME (from %s), but it is the apex of zone %q, which holds the zone's SOA and NS records; a CNAME cannot share its name with other data. Use an address record there.", r.name, r.source, zr.Zone)
			continue
		case typ == "CNAME" && cnameAt[k] == nil && len(typesAt[k]) > 0, typ != "CNAME" && cnameAt[k] != nil:
			c := r
			if typ != "CNAME" {
				c = *cnameAt[k]
			}
			v.errorf(c.rng, "CNAME beside other records", "%q would be a CNAME (from %s) and also hold other records in zone %q (%s view); a CNAME cannot share its name with other data. Choose one record form for the name.", r.name, c.source, zr.Zone, zr.View)
			continue
		case typ == "CNAME" && cnameAt[k] != nil && cnameAt[k].value != r.value:
			v.errorf(r.rng, "Two CNAMEs at one name", "%q would be a CNAME to %s (from %s) and to %s (from %s) in zone %q; a name has at most one CNAME.", r.name, cnameAt[k].value, cnameAt[k].source, r.value, r.source, zr.Zone)
			continue
		case typ == "CNAME":
			rc := r
			cnameAt[k] = &rc
		}
		typesAt[k] = append(typesAt[k], typ)
		zr.Records = append(zr.Records, Record{Name: r.name, Type: typ, TTL: ttl, Value: value, Addr: addr, Source: r.source})
	}
	// Zones declared but holding no record still appear, so that a plan
	// can remove what topo owned there.
	for _, z := range v.f.Zones {
		if _, ok := byZone[z]; ok || checkZoneName(z.Name) != "" {
			continue
		}
		zr := &ZoneRecords{Zone: fold(z.Name), View: z.ViewName(), Provider: z.ProviderRef(), Ownership: z.OwnershipMode(), TTL: z.TTLSeconds()}
		if z.MaxChange != nil {
			zr.MaxChange = *z.MaxChange
		}
		if z.Adopt != nil {
			zr.Adopt = *z.Adopt
		}
		byZone[z] = zr
		d.Zones = append(d.Zones, zr)
	}
	for _, zr := range d.Zones {
		slices.SortFunc(zr.Records, compareRecords)
		zr.Records = slices.CompactFunc(zr.Records, func(a, b Record) bool { return compareRecords(a, b) == 0 })
	}
	slices.SortFunc(d.Zones, func(a, b *ZoneRecords) int {
		return cmp.Or(cmp.Compare(a.Zone, b.Zone), cmp.Compare(a.View, b.View))
	})
	d.WebServices = v.web
	d.Servers = v.servers
	d.Pairings = v.pairs
	// By pool, so that reordering sites and pools changes nothing; within a
	// pool, topology order (quorum counts the first servers).
	slices.SortStableFunc(d.Servers, func(a, b ServerInfo) int { return cmp.Compare(a.Pool, b.Pool) })
	slices.SortFunc(d.WebServices, func(a, b WebService) int { return cmp.Compare(a.Pool, b.Pool) })
	return d
}

func compareRecords(a, b Record) int {
	return cmp.Or(
		cmp.Compare(a.Name, b.Name),
		cmp.Compare(a.Type, b.Type),
		cmp.Compare(a.Value, b.Value),
		cmp.Compare(a.Source, b.Source),
	)
}

func (v *validator) zoneList(view View) string {
	var names []string
	for _, z := range v.f.Zones {
		if z.Covers(view) {
			names = append(names, z.Name)
		}
	}
	if len(names) == 0 {
		return "No zone serves that view; add a zone block with view = \"" + string(view) + "\" or \"both\"."
	}
	return "Zones of that view: " + quoteList(names) + "."
}
