package topology

// The values the language accepts for its enumerations, and the defaults
// an omitted attribute takes.
const (
	DefaultProduct       = "sfb2015"
	DefaultView          = ViewBoth
	DefaultOwnership     = OwnershipShared
	DefaultAdopt         = AdoptIdentical
	DefaultRole          = RoleFrontend
	DefaultLoadBalancing = LBDNS
	DefaultState         = StateActive
	DefaultTTL           = 300
	// DefaultProvider is the embedded zone file provider zones use when they
	// name none.
	DefaultProvider = "zonefile.default"

	ViewInternal = "internal"
	ViewExternal = "external"
	ViewBoth     = "both"

	OwnershipShared    = "shared"
	OwnershipExclusive = "exclusive"

	AdoptIdentical = "identical"
	AdoptNever     = "never"

	RoleFrontend  = "frontend"
	RoleDirector  = "director"
	RoleEdge      = "edge"
	RoleMediation = "mediation"

	LBDNS      = "dns"
	LBHardware = "hardware"

	StateActive   = "active"
	StateDraining = "draining"
	StateOffline  = "offline"
)

// Allowed values of each enumeration, in the order messages list them.
var (
	products       = []string{"lync2010", "lync2013", "sfb2015", "sfb2019"}
	views          = []string{ViewInternal, ViewExternal, ViewBoth}
	ownerships     = []string{OwnershipShared, OwnershipExclusive}
	adopts         = []string{AdoptIdentical, AdoptNever}
	roles          = []string{RoleFrontend, RoleDirector, RoleEdge, RoleMediation}
	loadBalancings = []string{LBDNS, LBHardware}
	states         = []string{StateActive, StateDraining, StateOffline}
)

func or(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

// ProductName returns the product, defaulted.
func (f *File) ProductName() string {
	if f.Product == "" {
		return DefaultProduct
	}
	return f.Product
}

// ViewName returns the zone's view, defaulted.
func (z *Zone) ViewName() string { return or(z.View, DefaultView) }

// ProviderRef returns the provider the zone publishes through, defaulted.
func (z *Zone) ProviderRef() string { return or(z.Provider, DefaultProvider) }

// OwnershipMode returns the zone's ownership mode, defaulted.
func (z *Zone) OwnershipMode() string { return or(z.Ownership, DefaultOwnership) }

// AdoptMode returns the zone's adoption policy, defaulted.
func (z *Zone) AdoptMode() string { return or(z.Adopt, DefaultAdopt) }

// TTLSeconds returns the zone's TTL, defaulted.
func (z *Zone) TTLSeconds() uint32 {
	if z.TTL == nil || *z.TTL <= 0 {
		return DefaultTTL
	}
	return uint32(*z.TTL)
}

// Covers reports whether the zone's view serves records of view v.
func (z *Zone) Covers(v string) bool {
	zv := z.ViewName()
	return zv == ViewBoth || zv == v
}

// RoleName returns the pool's role, defaulted.
func (p *Pool) RoleName() string { return or(p.Role, DefaultRole) }

// LB returns the pool's load-balancing type, defaulted.
func (p *Pool) LB() string { return or(p.LoadBalancing, DefaultLoadBalancing) }

// StateName returns the server's state, defaulted.
func (s *Server) StateName() string { return or(s.State, DefaultState) }

// maxServers returns the supported number of Front End servers per pool for
// a product, and whether that number is confirmed by Microsoft.
func maxServers(product string) (n int, confirmed bool) {
	switch product {
	case "sfb2019":
		return 16, true
	case "lync2010":
		return 10, false
	default:
		return 12, true
	}
}

// topologyBuilderMax is the most Front End servers Topology Builder accepts
// in one pool, whatever the product.
const topologyBuilderMax = 20
