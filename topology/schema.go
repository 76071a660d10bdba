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

	Product      Product   `hcl:"product,optional"`
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

	View      *View     `hcl:"view,optional"`
	ViewRange hcl.Range `hcl:"view,attr_value_range"`

	Provider      *string   `hcl:"provider,optional"`
	ProviderRange hcl.Range `hcl:"provider,attr_value_range"`

	TTL      *int      `hcl:"ttl,optional"`
	TTLRange hcl.Range `hcl:"ttl,attr_value_range"`

	Ownership      *Ownership `hcl:"ownership,optional"`
	OwnershipRange hcl.Range  `hcl:"ownership,attr_value_range"`

	MaxChange      *float64  `hcl:"max_change,optional"`
	MaxChangeRange hcl.Range `hcl:"max_change,attr_value_range"`

	// Adopt is what a plan does with a record set topo does not own that
	// is exactly what the topology wants: "identical" (default) adopts it,
	// "never" makes it a conflict.
	Adopt      *Adopt    `hcl:"adopt,optional"`
	AdoptRange hcl.Range `hcl:"adopt,attr_value_range"`

	DefRange   hcl.Range `hcl:",def_range"`
	LabelRange hcl.Range `hcl:"name,label_range"`
}

// Site is `site "<name>" { pool ... }`.
type Site struct {
	Name  string  `hcl:"name,label"`
	Pools []*Pool `hcl:"pool,block"`

	OfficeOnline []*OfficeOnline `hcl:"office_online_server,block"`

	DefRange   hcl.Range `hcl:",def_range"`
	LabelRange hcl.Range `hcl:"name,label_range"`
}

// Pool is `pool "<name>" { ... }`: a Front End, Director, Edge or Mediation
// pool.
type Pool struct {
	Name string `hcl:"name,label"`

	Role      *Role     `hcl:"role,optional"`
	RoleRange hcl.Range `hcl:"role,attr_value_range"`

	FQDN      string    `hcl:"fqdn,attr"`
	FQDNRange hcl.Range `hcl:"fqdn,attr_value_range"`

	// Edition is a Front End pool's: "enterprise" (the default) or
	// "standard", a Standard Edition server that is its own pool.
	Edition      *Edition  `hcl:"edition,optional"`
	EditionRange hcl.Range `hcl:"edition,attr_value_range"`

	LoadBalancing      *LoadBalancing `hcl:"load_balancing,optional"`
	LoadBalancingRange hcl.Range      `hcl:"load_balancing,attr_value_range"`

	// VIP is the hardware load balancer's address for the pool FQDN, used
	// only with load_balancing = "hardware".
	VIP      *string   `hcl:"vip,optional"`
	VIPRange hcl.Range `hcl:"vip,attr_value_range"`

	TTL      *int      `hcl:"ttl,optional"`
	TTLRange hcl.Range `hcl:"ttl,attr_value_range"`

	// BackupPool is the FQDN of the Front End pool this one is paired with
	// for disaster recovery: another Front End pool, in another site.
	BackupPool      *string   `hcl:"backup_pool,optional"`
	BackupPoolRange hcl.Range `hcl:"backup_pool,attr_value_range"`

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

	// ExternalProxyIP is the reverse proxy's public address: what the
	// external web services FQDN resolves to in the external view.
	ExternalProxyIP      *string   `hcl:"external_proxy_ip,optional"`
	ExternalProxyIPRange hcl.Range `hcl:"external_proxy_ip,attr_value_range"`

	// ExternalVIP is the hardware load balancer's VIP of the external web
	// services (where the reverse proxy forwards to): what the external
	// web services FQDN resolves to in the internal view, for mobile
	// clients that resolve names inside. Optional.
	ExternalVIP      *string   `hcl:"external_vip,optional"`
	ExternalVIPRange hcl.Range `hcl:"external_vip,attr_value_range"`

	DefRange hcl.Range `hcl:",def_range"`
}

// Server is `server "<name>" { fqdn, ip, state }`.
type Server struct {
	Name string `hcl:"name,label"`

	// FQDN is the server's own FQDN. The one server of a single-server
	// pool (Standard Edition, a single Director, Mediation or Edge server)
	// may leave it out or write the pool FQDN: the pool is the server.
	FQDN      string    `hcl:"fqdn,optional"`
	FQDNRange hcl.Range `hcl:"fqdn,attr_value_range"`

	IP      string    `hcl:"ip,attr"`
	IPRange hcl.Range `hcl:"ip,attr_value_range"`

	State      *State    `hcl:"state,optional"`
	StateRange hcl.Range `hcl:"state,attr_value_range"`

	// Edge is an Edge server's external interface.
	Edge *ServerEdge `hcl:"edge,block"`

	DefRange   hcl.Range `hcl:",def_range"`
	LabelRange hcl.Range `hcl:"name,label_range"`
}

// ServerEdge is an Edge server's `edge` block: the external address of
// each Edge service (one, access_ip, when the three share it), each with
// the public address in front of it when the server sits behind NAT.
type ServerEdge struct {
	AccessIP             *string   `hcl:"access_ip,optional"`
	AccessIPRange        hcl.Range `hcl:"access_ip,attr_value_range"`
	AccessPublicIP       *string   `hcl:"access_public_ip,optional"`
	AccessPublicIPRange  hcl.Range `hcl:"access_public_ip,attr_value_range"`
	WebConfIP            *string   `hcl:"webconf_ip,optional"`
	WebConfIPRange       hcl.Range `hcl:"webconf_ip,attr_value_range"`
	WebConfPublicIP      *string   `hcl:"webconf_public_ip,optional"`
	WebConfPublicIPRange hcl.Range `hcl:"webconf_public_ip,attr_value_range"`
	AVIP                 *string   `hcl:"av_ip,optional"`
	AVIPRange            hcl.Range `hcl:"av_ip,attr_value_range"`
	AVPublicIP           *string   `hcl:"av_public_ip,optional"`
	AVPublicIPRange      hcl.Range `hcl:"av_public_ip,attr_value_range"`

	DefRange hcl.Range `hcl:",def_range"`
}

// SIPCNAME is a sip_domain's `cname` block: which of its names are CNAMEs
// to a web services FQDN (or, for sip, to the Access Edge FQDN) instead of
// address records. Internally a CNAME points at the pool's internal web
// services FQDN, externally at its external web services FQDN.
type SIPCNAME struct {
	LyncDiscover              *bool     `hcl:"lyncdiscover,optional"`
	LyncDiscoverRange         hcl.Range `hcl:"lyncdiscover,attr_value_range"`
	LyncDiscoverInternal      *bool     `hcl:"lyncdiscoverinternal,optional"`
	LyncDiscoverInternalRange hcl.Range `hcl:"lyncdiscoverinternal,attr_value_range"`
	Meet                      *bool     `hcl:"meet,optional"`
	MeetRange                 hcl.Range `hcl:"meet,attr_value_range"`
	Dialin                    *bool     `hcl:"dialin,optional"`
	DialinRange               hcl.Range `hcl:"dialin,attr_value_range"`
	Admin                     *bool     `hcl:"admin,optional"`
	AdminRange                hcl.Range `hcl:"admin,attr_value_range"`
	SIP                       *bool     `hcl:"sip,optional"`
	SIPRange                  hcl.Range `hcl:"sip,attr_value_range"`

	DefRange hcl.Range `hcl:",def_range"`
}

// OfficeOnline is `office_online_server "<name>" { ... }` in a site: an
// Office Web Apps / Office Online Server farm, its FQDN resolving to its
// load balancer VIP inside and to the reverse proxy outside.
type OfficeOnline struct {
	Name string `hcl:"name,label"`

	FQDN      string    `hcl:"fqdn,attr"`
	FQDNRange hcl.Range `hcl:"fqdn,attr_value_range"`
	// VIP is the farm's internal address (its load balancer's VIP, or the
	// server's own address for a farm of one).
	VIP      string    `hcl:"vip,attr"`
	VIPRange hcl.Range `hcl:"vip,attr_value_range"`
	// ExternalFQDN is the farm's name on the Internet; default FQDN.
	ExternalFQDN      *string   `hcl:"external_fqdn,optional"`
	ExternalFQDNRange hcl.Range `hcl:"external_fqdn,attr_value_range"`
	// ExternalProxyIP is the reverse proxy's public address that
	// publishes the farm; without it the farm is internal only.
	ExternalProxyIP      *string   `hcl:"external_proxy_ip,optional"`
	ExternalProxyIPRange hcl.Range `hcl:"external_proxy_ip,attr_value_range"`

	TTL      *int      `hcl:"ttl,optional"`
	TTLRange hcl.Range `hcl:"ttl,attr_value_range"`

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

// EdgeFacts is an Edge pool's optional `edge` block: its external
// interface (the FQDNs of the Access Edge, Web Conferencing Edge and A/V
// Edge services, and their VIPs with hardware load balancing), the
// external interface's load balancing, and what loses failover under DNS
// load balancing.
type EdgeFacts struct {
	// AccessFQDN is the Access Edge service's external FQDN (often
	// sip.<domain>, or access.<domain>). Without WebConfFQDN and AVFQDN the
	// three services share it and one address per server (distinct ports).
	AccessFQDN      *string   `hcl:"access_fqdn,optional"`
	AccessFQDNRange hcl.Range `hcl:"access_fqdn,attr_value_range"`
	// WebConfFQDN and AVFQDN are the Web Conferencing and A/V Edge
	// services' external FQDNs: both, or neither.
	WebConfFQDN      *string   `hcl:"webconf_fqdn,optional"`
	WebConfFQDNRange hcl.Range `hcl:"webconf_fqdn,attr_value_range"`
	AVFQDN           *string   `hcl:"av_fqdn,optional"`
	AVFQDNRange      hcl.Range `hcl:"av_fqdn,attr_value_range"`
	// AccessVIP, WebConfVIP and AVVIP are the external hardware load
	// balancer's VIPs, one per service FQDN (hardware load balancing only).
	AccessVIP       *string   `hcl:"access_vip,optional"`
	AccessVIPRange  hcl.Range `hcl:"access_vip,attr_value_range"`
	WebConfVIP      *string   `hcl:"webconf_vip,optional"`
	WebConfVIPRange hcl.Range `hcl:"webconf_vip,attr_value_range"`
	AVVIP           *string   `hcl:"av_vip,optional"`
	AVVIPRange      hcl.Range `hcl:"av_vip,attr_value_range"`

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
	ExternalLoadBalancing      *LoadBalancing `hcl:"external_load_balancing,optional"`
	ExternalLoadBalancingRange hcl.Range      `hcl:"external_load_balancing,attr_value_range"`

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

	// EdgePool is the internal FQDN of the Edge pool whose Access Edge
	// serves the domain from the Internet: external sip.<domain> and the
	// target of _sip._tls and _sipfederationtls._tcp (its access_fqdn).
	// Instead of access_edge_ip.
	EdgePool      *string   `hcl:"edge_pool,optional"`
	EdgePoolRange hcl.Range `hcl:"edge_pool,attr_value_range"`

	// SRVTarget is the name inside the SIP domain that
	// _sipinternaltls._tcp.<domain> points at when the pool's FQDN is in
	// another domain: "sip.<domain>" for a pin-point zone, or a pool
	// alias in a matching internal zone. It resolves to the pool's
	// addresses. Default: the pool FQDN.
	SRVTarget      *string   `hcl:"srv_target,optional"`
	SRVTargetRange hcl.Range `hcl:"srv_target,attr_value_range"`

	// Simple URLs. Meet is one per SIP domain; Dial-in and Admin are one
	// each for the organisation.
	Meet        *string   `hcl:"meet,optional"`
	MeetRange   hcl.Range `hcl:"meet,attr_value_range"`
	Dialin      *string   `hcl:"dialin,optional"`
	DialinRange hcl.Range `hcl:"dialin,attr_value_range"`
	Admin       *string   `hcl:"admin,optional"`
	AdminRange  hcl.Range `hcl:"admin,attr_value_range"`

	// Optional records, each opt-in.
	XMPPFederation      *bool     `hcl:"xmpp_federation,optional"`
	XMPPFederationRange hcl.Range `hcl:"xmpp_federation,attr_value_range"`
	SIPInternal         *bool     `hcl:"sipinternal,optional"`
	SIPInternalRange    hcl.Range `hcl:"sipinternal,attr_value_range"`
	SIPExternal         *bool     `hcl:"sipexternal,optional"`
	SIPExternalRange    hcl.Range `hcl:"sipexternal,attr_value_range"`
	UCUpdates           *bool     `hcl:"ucupdates,optional"`
	UCUpdatesRange      hcl.Range `hcl:"ucupdates,attr_value_range"`
	NTPServer           *string   `hcl:"ntp_server,optional"`
	NTPServerRange      hcl.Range `hcl:"ntp_server,attr_value_range"`

	// CNAME chooses CNAME records instead of A records for some names.
	CNAME *SIPCNAME `hcl:"cname,block"`

	DefRange   hcl.Range `hcl:",def_range"`
	LabelRange hcl.Range `hcl:"name,label_range"`
}
