// Package topology is topo's language: the HCL schema of a topology file,
// its decoding, the Lync / Skype for Business rules that validate it, and
// Compile, which turns it into the DNS records DNS load balancing needs.
//
// Nothing here touches the network or knows a provider's configuration: a
// provider block is kept as an undecoded body for the providers package.
package topology

import (
	"github.com/hashicorp/hcl/v2"
)

// File is the decoded topology file, as written. Ranges are kept for every
// value a rule may point at.
type File struct {
	Name      string    `hcl:"name,attr"`
	NameRange hcl.Range `hcl:"name,attr_value_range"`

	Product      string    `hcl:"product,optional"`
	ProductRange hcl.Range `hcl:"product,attr_value_range"`

	Providers []*ProviderBlock `hcl:"provider,block"`
	Zones     []*Zone          `hcl:"zone,block"`
	Sites     []*Site          `hcl:"site,block"`

	SIPDomains []*SIPDomain `hcl:"sip_domain,block"`
}

// ProviderBlock is `provider "<kind>" "<name>" { ... }`. Its body is decoded
// by the provider kind, not here.
type ProviderBlock struct {
	Kind     string    `hcl:"kind,label"`
	Name     string    `hcl:"name,label"`
	Body     hcl.Body  `hcl:",remain"`
	DefRange hcl.Range `hcl:",def_range"`
}

// Ref is how zones refer to the block: "<kind>.<name>".
func (p *ProviderBlock) Ref() string { return p.Kind + "." + p.Name }

// Zone is `zone "<name>" { ... }`: one DNS zone in one view.
type Zone struct {
	Name string `hcl:"name,label"`

	View      *string   `hcl:"view,optional"`
	ViewRange hcl.Range `hcl:"view,attr_value_range"`

	Provider      *string   `hcl:"provider,optional"`
	ProviderRange hcl.Range `hcl:"provider,attr_value_range"`

	TTL      *int      `hcl:"ttl,optional"`
	TTLRange hcl.Range `hcl:"ttl,attr_value_range"`

	Ownership      *string   `hcl:"ownership,optional"`
	OwnershipRange hcl.Range `hcl:"ownership,attr_value_range"`

	MaxChange      *float64  `hcl:"max_change,optional"`
	MaxChangeRange hcl.Range `hcl:"max_change,attr_value_range"`

	// Adopt is what a plan does with a record set topo does not own that
	// is exactly what the topology wants: "identical" (default) adopts it,
	// "never" makes it a conflict.
	Adopt      *string   `hcl:"adopt,optional"`
	AdoptRange hcl.Range `hcl:"adopt,attr_value_range"`

	DefRange   hcl.Range `hcl:",def_range"`
	LabelRange hcl.Range `hcl:"name,label_range"`
}

// Site is `site "<name>" { pool ... }`.
type Site struct {
	Name  string  `hcl:"name,label"`
	Pools []*Pool `hcl:"pool,block"`

	DefRange   hcl.Range `hcl:",def_range"`
	LabelRange hcl.Range `hcl:"name,label_range"`
}

// Pool is `pool "<name>" { ... }`: a Front End, Director, Edge or Mediation
// pool.
type Pool struct {
	Name string `hcl:"name,label"`

	Role      *string   `hcl:"role,optional"`
	RoleRange hcl.Range `hcl:"role,attr_value_range"`

	FQDN      string    `hcl:"fqdn,attr"`
	FQDNRange hcl.Range `hcl:"fqdn,attr_value_range"`

	LoadBalancing      *string   `hcl:"load_balancing,optional"`
	LoadBalancingRange hcl.Range `hcl:"load_balancing,attr_value_range"`

	// VIP is the hardware load balancer's address for the pool FQDN, used
	// only with load_balancing = "hardware".
	VIP      *string   `hcl:"vip,optional"`
	VIPRange hcl.Range `hcl:"vip,attr_value_range"`

	TTL      *int      `hcl:"ttl,optional"`
	TTLRange hcl.Range `hcl:"ttl,attr_value_range"`

	WebServices *WebServices `hcl:"web_services,block"`
	Clients     *Clients     `hcl:"clients,block"`
	Edge        *EdgeFacts   `hcl:"edge,block"`
	Servers     []*Server    `hcl:"server,block"`

	DefRange   hcl.Range `hcl:",def_range"`
	LabelRange hcl.Range `hcl:"name,label_range"`
}

// WebServices is the pool's `web_services` block: the internal FQDN
// override and the external web services FQDN.
type WebServices struct {
	InternalFQDN      *string   `hcl:"internal_fqdn,optional"`
	InternalFQDNRange hcl.Range `hcl:"internal_fqdn,attr_value_range"`

	InternalVIP      *string   `hcl:"internal_vip,optional"`
	InternalVIPRange hcl.Range `hcl:"internal_vip,attr_value_range"`

	ExternalFQDN      *string   `hcl:"external_fqdn,optional"`
	ExternalFQDNRange hcl.Range `hcl:"external_fqdn,attr_value_range"`

	ExternalVIP      *string   `hcl:"external_vip,optional"`
	ExternalVIPRange hcl.Range `hcl:"external_vip,attr_value_range"`

	DefRange hcl.Range `hcl:",def_range"`
}

// Server is `server "<name>" { fqdn, ip, state }`.
type Server struct {
	Name string `hcl:"name,label"`

	FQDN      string    `hcl:"fqdn,attr"`
	FQDNRange hcl.Range `hcl:"fqdn,attr_value_range"`

	IP      string    `hcl:"ip,attr"`
	IPRange hcl.Range `hcl:"ip,attr_value_range"`

	State      *string   `hcl:"state,optional"`
	StateRange hcl.Range `hcl:"state,attr_value_range"`

	DefRange   hcl.Range `hcl:",def_range"`
	LabelRange hcl.Range `hcl:"name,label_range"`
}

// Clients is a pool's optional `clients` block: the facts behind the DNS
// load balancing decision guideline (which clients, servers and Exchange
// Unified Messaging the pool works with).
type Clients struct {
	// LegacyClients: how many users homed in the pool run clients older
	// than Lync 2010: "none", "few" or "many".
	LegacyClients      *string   `hcl:"legacy_clients,optional"`
	LegacyClientsRange hcl.Range `hcl:"legacy_clients,attr_value_range"`
	// LegacyServers: how much the pool interoperates with servers older
	// than Lync 2010 (Office Communications Server): "none", "few", "many".
	LegacyServers      *string   `hcl:"legacy_servers,optional"`
	LegacyServersRange hcl.Range `hcl:"legacy_servers,attr_value_range"`
	// ExchangeUM: "none", "2010sp1" (Exchange 2010 SP1 or later) or
	// "older".
	ExchangeUM      *string   `hcl:"exchange_um,optional"`
	ExchangeUMRange hcl.Range `hcl:"exchange_um,attr_value_range"`

	DefRange hcl.Range `hcl:",def_range"`
}

// EdgeFacts is an Edge pool's optional `edge` block: what loses failover
// under DNS load balancing, and the other interface's load balancing.
type EdgeFacts struct {
	// FederationLegacy: federation with partners running servers older
	// than Lync 2010.
	FederationLegacy      *bool     `hcl:"federation_legacy,optional"`
	FederationLegacyRange hcl.Range `hcl:"federation_legacy,attr_value_range"`
	// PublicIM: public IM connectivity or XMPP federation.
	PublicIM      *bool     `hcl:"public_im,optional"`
	PublicIMRange hcl.Range `hcl:"public_im,attr_value_range"`
	// RemoteUMLegacy: remote users reach Exchange UM older than 2013.
	RemoteUMLegacy      *bool     `hcl:"remote_um_legacy,optional"`
	RemoteUMLegacyRange hcl.Range `hcl:"remote_um_legacy,attr_value_range"`
	// ExternalLoadBalancing is the external interface's load balancing;
	// the pool's load_balancing is the internal interface's. Both must be
	// the same.
	ExternalLoadBalancing      *string   `hcl:"external_load_balancing,optional"`
	ExternalLoadBalancingRange hcl.Range `hcl:"external_load_balancing,attr_value_range"`

	DefRange hcl.Range `hcl:",def_range"`
}

// SIPDomain is `sip_domain "<domain>" { ... }`: opt-in records the rest of
// a deployment uses for one SIP domain (automatic sign-in SRV, sip.,
// lyncdiscover, federation SRVs and simple URLs).
type SIPDomain struct {
	Name string `hcl:"name,label"`

	// Pool is the FQDN of the Front End pool that registers the domain's
	// users; its active servers answer sip.<domain> internally.
	Pool      string    `hcl:"pool,attr"`
	PoolRange hcl.Range `hcl:"pool,attr_value_range"`

	// AccessEdgeIP is the Access Edge public address: external sip.<domain>,
	// _sip._tls and _sipfederationtls._tcp.
	AccessEdgeIP      *string   `hcl:"access_edge_ip,optional"`
	AccessEdgeIPRange hcl.Range `hcl:"access_edge_ip,attr_value_range"`

	// ReverseProxyIP is the reverse proxy's public address: external
	// lyncdiscover.<domain> and the meet and dialin simple URLs.
	ReverseProxyIP      *string   `hcl:"reverse_proxy_ip,optional"`
	ReverseProxyIPRange hcl.Range `hcl:"reverse_proxy_ip,attr_value_range"`

	// Simple URLs.
	Meet        *string   `hcl:"meet,optional"`
	MeetRange   hcl.Range `hcl:"meet,attr_value_range"`
	Dialin      *string   `hcl:"dialin,optional"`
	DialinRange hcl.Range `hcl:"dialin,attr_value_range"`
	Admin       *string   `hcl:"admin,optional"`
	AdminRange  hcl.Range `hcl:"admin,attr_value_range"`

	DefRange   hcl.Range `hcl:",def_range"`
	LabelRange hcl.Range `hcl:"name,label_range"`
}
