package topology

// Product is the Lync or Skype for Business Server release a topology
// describes; it selects the limits and rules that apply (pool sizes,
// quorum, XMPP).
type Product string

// The products the language knows.
const (
	ProductLync2010 Product = "lync2010"
	ProductLync2013 Product = "lync2013"
	ProductSfB2015  Product = "sfb2015"
	ProductSfB2019  Product = "sfb2019"
)

// View is the DNS view a zone serves and a record belongs to: internal
// (clients inside the organisation), external (the Internet), or both (one
// zone serving both with the same answers).
type View string

// The views.
const (
	ViewInternal View = "internal"
	ViewExternal View = "external"
	ViewBoth     View = "both"
)

// Ownership says which records of a zone topo may change or delete.
type Ownership string

// The ownership modes.
const (
	// OwnershipShared: only records topo marked as its own.
	OwnershipShared Ownership = "shared"
	// OwnershipExclusive: the zone is topo's, except what no tool may own
	// (apex SOA and NS, delegations and glue).
	OwnershipExclusive Ownership = "exclusive"
)

// Role is what a pool does in the deployment.
type Role string

// The pool roles.
const (
	RoleFrontend  Role = "frontend"
	RoleDirector  Role = "director"
	RoleEdge      Role = "edge"
	RoleMediation Role = "mediation"
)

// LoadBalancing is how clients are spread over a pool's servers: DNS load
// balancing (one address record per server at the pool FQDN) or a hardware
// load balancer (the pool FQDN resolves to its virtual IP).
type LoadBalancing string

// The load balancing types.
const (
	LBDNS      LoadBalancing = "dns"
	LBHardware LoadBalancing = "hardware"
)

// State is a server's place in its pool's DNS: active (in the pool FQDN's
// records and its own), draining (only its own record: no new clients) or
// offline (no record at all).
type State string

// The server states.
const (
	StateActive   State = "active"
	StateDraining State = "draining"
	StateOffline  State = "offline"
)

// Adopt is a zone's adoption policy: what a plan does with a record set
// topo does not own that is exactly what the topology wants there.
type Adopt string

// The adoption policies.
const (
	// AdoptIdentical (the default) adopts it: topo writes only its
	// ownership marker and changes no record.
	AdoptIdentical Adopt = "identical"
	// AdoptNever makes it a conflict, as any record topo does not own.
	AdoptNever Adopt = "never"
)

// Edition is a Front End pool's edition: Enterprise Edition (a pool with a
// pool FQDN of its own besides its servers') or Standard Edition (one
// server that is its own pool: the pool FQDN is the server's FQDN).
type Edition string

// The editions.
const (
	EditionEnterprise Edition = "enterprise"
	EditionStandard   Edition = "standard"
)

// The defaults an omitted attribute takes.
const (
	DefaultProduct       = ProductSfB2015
	DefaultView          = ViewBoth
	DefaultOwnership     = OwnershipShared
	DefaultAdopt         = AdoptIdentical
	DefaultRole          = RoleFrontend
	DefaultLoadBalancing = LBDNS
	DefaultState         = StateActive
	DefaultEdition       = EditionEnterprise
	DefaultTTL           = 300
	// DefaultProvider is the embedded zone file provider zones use when they
	// name none.
	DefaultProvider = "zonefile.default"
)

// Allowed values of each enumeration, in the order messages list them.
var (
	products       = []Product{ProductLync2010, ProductLync2013, ProductSfB2015, ProductSfB2019}
	views          = []View{ViewInternal, ViewExternal, ViewBoth}
	ownerships     = []Ownership{OwnershipShared, OwnershipExclusive}
	roles          = []Role{RoleFrontend, RoleDirector, RoleEdge, RoleMediation}
	loadBalancings = []LoadBalancing{LBDNS, LBHardware}
	states         = []State{StateActive, StateDraining, StateOffline}
	editions       = []Edition{EditionEnterprise, EditionStandard}
	adopts         = []Adopt{AdoptIdentical, AdoptNever}
)

func or[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// ProductName returns the product, defaulted.
func (f *File) ProductName() Product {
	if f.Product == "" {
		return DefaultProduct
	}
	return f.Product
}

// ViewName returns the zone's view, defaulted.
func (z *Zone) ViewName() View { return or(z.View, DefaultView) }

// ProviderRef returns the provider the zone publishes through, defaulted.
func (z *Zone) ProviderRef() string { return or(z.Provider, DefaultProvider) }

// OwnershipMode returns the zone's ownership mode, defaulted.
func (z *Zone) OwnershipMode() Ownership { return or(z.Ownership, DefaultOwnership) }

// AdoptMode returns the zone's adoption policy, defaulted.
func (z *Zone) AdoptMode() Adopt { return or(z.Adopt, DefaultAdopt) }

// TTLSeconds returns the zone's TTL, defaulted.
func (z *Zone) TTLSeconds() uint32 {
	if z.TTL == nil || *z.TTL <= 0 {
		return DefaultTTL
	}
	return uint32(*z.TTL)
}

// Covers reports whether the zone's view serves records of view v.
func (z *Zone) Covers(v View) bool {
	zv := z.ViewName()
	return zv == ViewBoth || zv == v
}

// RoleName returns the pool's role, defaulted.
func (p *Pool) RoleName() Role { return or(p.Role, DefaultRole) }

// EditionName returns the pool's edition, defaulted.
func (p *Pool) EditionName() Edition { return or(p.Edition, DefaultEdition) }

// ServerFQDN returns the FQDN of server s of the pool: its own, or the
// pool's when it has none (the one server of a single-server pool).
func (p *Pool) ServerFQDN(s *Server) string {
	if absent(s.FQDNRange) {
		return p.FQDN
	}
	return s.FQDN
}

// LB returns the pool's load-balancing type, defaulted.
func (p *Pool) LB() LoadBalancing { return or(p.LoadBalancing, DefaultLoadBalancing) }

// StateName returns the server's state, defaulted.
func (s *Server) StateName() State { return or(s.State, DefaultState) }

// maxServers returns the supported number of Front End servers per pool for
// a product, and whether that number is confirmed by Microsoft.
func maxServers(product Product) (n int, confirmed bool) {
	switch product {
	case ProductSfB2019:
		return 16, true
	case ProductLync2010:
		return 10, false
	default:
		return 12, true
	}
}

// topologyBuilderMax is the most Front End servers Topology Builder accepts
// in one pool, whatever the product.
const topologyBuilderMax = 20
