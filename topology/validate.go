package topology

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Validate checks the topology against the language's and the product's
// rules and returns every problem found, errors and warnings, each pointing
// at the attribute that breaks the rule.
func Validate(f *File) hcl.Diagnostics {
	_, diags := check(f)
	return diags
}

// Compile validates the topology and, when it has no errors, returns the
// records it needs. Warnings come back with a non-nil result.
func Compile(f *File) (*Desired, hcl.Diagnostics) {
	d, diags := check(f)
	if diags.HasErrors() {
		return nil, diags
	}
	return d, diags
}

// Validate is Validate(t.File); a topology that failed to decode is invalid.
func (t *Topology) Validate() hcl.Diagnostics {
	if t.File == nil {
		return nil
	}
	return Validate(t.File)
}

// check runs every rule and compiles in one pass over the topology: the
// uniqueness rules use maps, never pairs, so the cost per server is flat.
func check(f *File) (*Desired, hcl.Diagnostics) {
	v := &validator{
		f:         f,
		fqdns:     make(map[string]owner),
		ips:       make(map[netip.Addr]owner),
		zoneIndex: make(map[string][]*Zone),
		providers: make(map[string]*ProviderBlock),
		poolInfo:  make(map[string]*poolInfo),
	}
	v.checkTop()
	v.checkProviders()
	v.checkZones()
	v.checkSites()
	v.checkPairings()
	v.checkSIPDomains()
	d := v.compile()
	return d, v.diags
}

// owner remembers who first claimed a name or an address, to name both in
// a duplicate's message.
type owner struct {
	what string // "server fe01", "pool pool01", ...
	rng  hcl.Range
	// view is the one view the name has records in; "" for both or any.
	view View
}

type validator struct {
	collector
	f         *File
	fqdns     map[string]owner
	ips       map[netip.Addr]owner
	zoneIndex map[string][]*Zone
	providers map[string]*ProviderBlock
	recs      []pendingRecord
	web       []WebService
	servers   []ServerInfo
	poolInfo  map[string]*poolInfo
	pairs     []Pairing
}

func (v *validator) checkTop() {
	f := v.f
	if f.Name == "" {
		if absent(f.NameRange) {
			return // hcl has reported the missing name
		}
		v.errorf(f.NameRange, "Empty topology name", "The topology's name identifies it in ownership markers; give it a short name such as \"contoso\".")
	} else if !isIdent(f.Name) {
		v.errorf(f.NameRange, "Invalid topology name", "The name %q is written into ownership markers in DNS; use lowercase letters, digits and hyphens, starting with a letter or digit.", f.Name)
	}
	if f.Product != "" {
		oneOf(&v.collector, &f.Product, f.ProductRange, "product", products)
	}
}

func isIdent(s string) bool {
	if s == "" || len(s) > 63 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' && i > 0) {
			return false
		}
	}
	return true
}

func (v *validator) checkProviders() {
	for _, p := range v.f.Providers {
		ref := p.Ref()
		if prev, ok := v.providers[ref]; ok {
			v.errorf(p.DefRange, "Duplicate provider", "A provider %q is already declared at %s; each kind and name pair must be unique.", ref, at(prev.DefRange))
			continue
		}
		v.providers[ref] = p
	}
}

func (v *validator) checkZones() {
	type zv struct {
		name string
		view View
	}
	seen := make(map[zv]*Zone)
	for _, z := range v.f.Zones {
		if why := checkZoneName(z.Name); why != "" {
			v.errorf(z.LabelRange, "Invalid zone name", "The zone name %q is not a valid domain name: %s.", z.Name, why)
			continue
		}
		okView := oneOf(&v.collector, z.View, z.ViewRange, "view", views)
		oneOf(&v.collector, z.Ownership, z.OwnershipRange, "ownership", ownerships)
		oneOf(&v.collector, z.Adopt, z.AdoptRange, "adopt", adopts)
		if z.TTL != nil {
			switch {
			case *z.TTL < 1 || *z.TTL > 2147483647:
				v.errorf(z.TTLRange, "Invalid TTL", "A TTL is a number of seconds from 1 to 2147483647.")
			case *z.TTL > 3600:
				v.warnf(z.TTLRange, "Long TTL for DNS load balancing", "With a TTL of %d s, clients keep resolving a drained or removed server for up to that long after publish. Short TTLs (300 s or less) make draining and failover take effect quickly.", *z.TTL)
			}
		}
		if z.MaxChange != nil && (*z.MaxChange <= 0 || *z.MaxChange > 1) {
			v.errorf(z.MaxChangeRange, "Invalid max_change", "max_change is the fraction of a zone's owned records one publish may update or delete, greater than 0 and at most 1 (0.3 is 30%%).")
		}
		ref := z.ProviderRef()
		if z.Provider != nil {
			if _, ok := v.providers[ref]; !ok && ref != DefaultProvider {
				v.errorf(z.ProviderRange, "Unknown provider", "The zone names provider %q, but no provider block %s is declared. %s", ref, declHint(ref), v.providerList())
			}
		}
		name := fold(z.Name)
		if okView {
			for _, other := range []View{ViewInternal, ViewExternal} {
				if !z.Covers(other) {
					continue
				}
				k := zv{name, other}
				if prev, ok := seen[k]; ok {
					v.errorf(z.DefRange, "Duplicate zone", "Zone %q already serves the %s view (declared at %s). Declare a zone once per view: view = \"internal\", \"external\" or \"both\".", z.Name, other, at(prev.DefRange))
					break
				}
				seen[k] = z
			}
		}
		v.zoneIndex[name] = append(v.zoneIndex[name], z)
	}
}

func declHint(ref string) string {
	kind, name, ok := strings.Cut(ref, ".")
	if !ok {
		return "(provider references are written \"<kind>.<name>\", for example \"rfc2136.corp\")"
	}
	return fmt.Sprintf("(provider %q %q { ... })", kind, name)
}

func (v *validator) providerList() string {
	if len(v.f.Providers) == 0 {
		return "No provider blocks are declared; omit provider to use the embedded zone file provider."
	}
	refs := make([]string, 0, len(v.f.Providers))
	for _, p := range v.f.Providers {
		refs = append(refs, p.Ref())
	}
	return "Declared: " + quoteList(refs) + "."
}

// claimFQDN records that what owns fqdn; a second claim is a duplicate,
// reported here and given no records, so that it is one problem.
func (v *validator) claimFQDN(fqdn string, rng hcl.Range, what string) bool {
	return v.claimFQDNIn(fqdn, rng, what, "")
}

// claimFQDNIn is claimFQDN for a name that has records in one view only
// (an Edge service's external FQDN): a SIP domain's record in the other
// view may share it (split-brain DNS: sip.<domain> inside and out).
func (v *validator) claimFQDNIn(fqdn string, rng hcl.Range, what string, view View) bool {
	k := fold(fqdn)
	if prev, ok := v.fqdns[k]; ok {
		v.errorf(rng, "Duplicate FQDN", "%q is already used by %s at %s. Pool, server and web services FQDNs must be unique across the whole topology.", fqdn, prev.what, at(prev.rng))
		return false
	}
	v.fqdns[k] = owner{what: what, rng: rng, view: view}
	return true
}

// absent reports whether rng is the range of an attribute the file does
// not have: gohcl leaves it zero, and hcl has already reported a missing
// required attribute, so a rule about its empty value would only repeat
// that, without a place to point at.
func absent(rng hcl.Range) bool { return rng == hcl.Range{} }

// fqdnOK checks an FQDN's syntax and reports why it is wrong.
func (v *validator) fqdnOK(fqdn string, rng hcl.Range, what string) bool {
	if absent(rng) {
		return false
	}
	if why := checkFQDN(fqdn); why != "" {
		v.errorf(rng, "Invalid FQDN", "The %s %q is not a valid FQDN: %s.", what, fqdn, why)
		return false
	}
	return true
}

// addrOK parses an IP address attribute.
func (v *validator) addrOK(s string, rng hcl.Range, what string) (netip.Addr, bool) {
	if absent(rng) {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		v.errorf(rng, "Invalid IP address", "The %s %q is not an IPv4 or IPv6 address.", what, s)
		return netip.Addr{}, false
	}
	a = a.Unmap()
	if a.IsUnspecified() || a.IsMulticast() {
		v.errorf(rng, "Invalid IP address", "The %s %q cannot be a host's address.", what, s)
		return netip.Addr{}, false
	}
	return a, true
}

func (v *validator) checkSites() {
	sites := make(map[string]*Site)
	for _, s := range v.f.Sites {
		if prev, ok := sites[s.Name]; ok {
			v.errorf(s.LabelRange, "Duplicate site", "Site %q is already declared at %s.", s.Name, at(prev.DefRange))
		}
		sites[s.Name] = s
		pools := make(map[string]*Pool)
		for _, p := range s.Pools {
			if prev, ok := pools[p.Name]; ok {
				v.errorf(p.LabelRange, "Duplicate pool", "Site %q already has a pool %q, declared at %s.", s.Name, p.Name, at(prev.DefRange))
			}
			pools[p.Name] = p
			v.checkPool(s, p)
		}
		farms := make(map[string]*OfficeOnline)
		for _, o := range s.OfficeOnline {
			v.checkOfficeOnline(s, o, farms)
		}
	}
}

func parentDomain(fqdn string) string {
	if _, rest, ok := strings.Cut(fold(fqdn), "."); ok {
		return rest
	}
	return fqdn
}

func (v *validator) checkPoolSize(p *Pool) {
	n := len(p.Servers)
	product := v.f.ProductName()
	limit, confirmed := maxServers(product)
	switch {
	case n > topologyBuilderMax:
		v.errorf(p.DefRange, "Too many Front End servers", "Pool %q has %d servers. Topology Builder accepts at most %d Front End servers in a pool, and %s supports %d.", p.Name, n, topologyBuilderMax, product, limit)
	case n > limit && confirmed:
		v.warnf(p.DefRange, "More Front End servers than supported", "Pool %q has %d servers; %s supports at most %d Front End servers per pool. Topology Builder accepts up to %d, but Microsoft does not support the pool.", p.Name, n, product, limit, topologyBuilderMax)
	case n > limit:
		v.warnf(p.DefRange, "More Front End servers than commonly advised", "Pool %q has %d servers; %d per pool is the usual advice for Lync Server 2010, though Microsoft does not state a limit.", p.Name, n, limit)
	}
	if n == 2 {
		if product == "sfb2019" {
			v.errorf(p.DefRange, "Two-server Front End pool", "Skype for Business Server 2019 refuses to publish a Front End pool of two servers. Use one server, or three or more.")
		} else {
			v.warnf(p.DefRange, "Two-server Front End pool", "A Front End pool of two servers is not recommended: with one down the pool runs without redundancy and may lose quorum. Use three or more.")
		}
	}
}

func (v *validator) checkQuorum(p *Pool, states []State) {
	n := len(states)
	if n == 0 {
		return
	}
	product := v.f.ProductName()
	if product == ProductLync2010 {
		// No Windows Fabric, no pool quorum: a Lync Server 2010 pool runs
		// while any server does. A pool with none running is worth a note.
		if !slices.Contains(states, StateActive) {
			v.warnf(firstState(p), "Pool without an active server", "Pool %q has no active server: it takes no new connections. (Lync Server 2010 has no pool quorum, so any one active server keeps it working.)", p.Name)
		}
		return
	}
	ok, active, rule := QuorumCheck(product, states)
	if ok {
		return
	}
	if n == 1 {
		v.warnf(p.Servers[0].StateRange, "Pool without an active server", "Pool %q has one server and it is %s: the pool takes no new connections.", p.Name, states[0])
		return
	}
	// Point at the first server in the counted range that is not active.
	rng := p.DefRange
	var out []string
	for i := 0; i < rule.Of && i < n; i++ {
		if states[i] != StateActive {
			if len(out) == 0 && p.Servers[i].State != nil {
				rng = p.Servers[i].StateRange
			}
			out = append(out, fmt.Sprintf("%s (%s)", p.Servers[i].Name, states[i]))
		}
	}
	them := "of them"
	if len(QuorumRules(product, n)) > 1 {
		them = fmt.Sprintf("of its first %d", rule.Of)
	}
	v.errorf(rng, "Pool below quorum", "Pool %q has %d servers, so at least %s must be running for the pool to work; only %d %s would be active. Not active: %s. Draining and offline servers count against quorum: bring a server back before taking another out.", p.Name, n, quorumText(product, n), active, them, strings.Join(out, ", "))
}

// firstState is where to point at a pool's servers' states: the first
// explicit state, else the pool.
func firstState(p *Pool) hcl.Range {
	for _, s := range p.Servers {
		if s.State != nil {
			return s.StateRange
		}
	}
	return p.DefRange
}
