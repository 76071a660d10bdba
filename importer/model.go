// Package importer turns what a Lync / Skype for Business deployment
// already has into a topo topology: ReadTopologyXML reads a Topology
// Builder document (.tbxml) or a published topology (Get-CsTopology -AsXml)
// into a Model, neutral of topo's language; InferFromDNS infers a Model from
// the zones themselves; FillFromDNS completes a Model read from XML with
// what DNS holds (addresses, VIPs, server states) and lists where the two
// disagree; WriteHCL writes a Model as a topology file.
//
// The Model keeps everything the file says that DNS depends on: pools and
// servers, web services FQDNs, Edge external interfaces and NAT addresses,
// Office Online Server farms, SIP domains and simple URLs. What the
// topology language has no form for, WriteHCL writes as comments and says
// so in a warning. It imports topology (the language's constants, and the
// validator the DNS inference checks its result with) and of providers only
// the RRset type: it reads no zone itself.
package importer

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/topo-dns/topo/topology"
)

// Form is which of Microsoft's two documents a Model was read from.
type Form string

const (
	// FormBuilder is a Topology Builder document (.tbxml): root
	// TopologyBuilder > NewTopology > PartialTopology.
	FormBuilder Form = "Topology Builder document"
	// FormPublished is a published topology (Get-CsTopology -AsXml,
	// Publish-CsTopology -FileName): root Topology.
	FormPublished Form = "published topology"
	// FormDNS is a model inferred from live zones (InferFromDNS).
	FormDNS Form = "live DNS"
)

// Source is the XML element a part of the Model was read from, for
// comments and messages: `Cluster Fqdn="pool01.contoso.com"` and where it
// is (site 1, cluster 2; line 22).
type Source struct {
	// Element is the start tag with its identifying attributes.
	Element string
	// Where places it in the topology ("site 1, cluster 2"); may be empty.
	Where string
	// Range is the start tag in the file.
	Range hcl.Range
}

// String is the form comments use: `Cluster Fqdn="x" (site 1, cluster 2, line 22)`.
func (s Source) String() string {
	var in []string
	if s.Where != "" {
		in = append(in, s.Where)
	}
	if s.Range.Start.Line > 0 {
		in = append(in, fmt.Sprintf("line %d", s.Range.Start.Line))
	}
	if len(in) == 0 {
		return s.Element
	}
	return s.Element + " (" + strings.Join(in, ", ") + ")"
}

// Model is a Lync / Skype for Business topology as the file describes it.
type Model struct {
	// Filename is the file the model was read from, as given.
	Filename string
	Form     Form
	// Product is topo's name of the product version (lync2010, lync2013,
	// sfb2015, sfb2019), read from the pools' services' ServiceVersion;
	// empty when the file states none.
	Product string
	// ProductSource is the Service element the version was read from.
	ProductSource Source
	// Versions lists each product version found and the pools at it, when
	// the file holds more than one (a migration in progress).
	Versions []VersionUse

	// DefaultDomain is InternalDomains DefaultDomain: the default SIP domain.
	DefaultDomain string
	// SIPDomains are the InternalDomain elements, in file order.
	SIPDomains []SIPDomain
	// SimpleURLs are the SimpleUrl elements, in file order.
	SimpleURLs []SimpleURL

	// Sites are the central sites, in file order.
	Sites []*Site
	// NotModelled lists what the file holds that topo does not model, so
	// a warning can name it.
	NotModelled []NotModelled

	// Name is the topology's name when the source states it (the
	// ownership markers found in DNS), and NameNote where it comes from;
	// empty: WriteHCL derives one from the default SIP domain or a site.
	Name, NameNote string
	// DNS is the zones the model was inferred from or checked against, nil
	// for a model read from XML alone. WriteHCL writes its provider and
	// zone blocks as the operator wrote them.
	DNS *DNSSource
}

// DNSSource is the zones file a model was inferred from or checked against.
type DNSSource struct {
	// Filename is the zones file (ZONES.hcl) as given, and HCL its
	// content: provider and zone blocks only.
	Filename string
	HCL      []byte
	// Zones are its zones, with what their providers hold.
	Zones []Zone
}

// VersionUse is one product version and the pools that run it.
type VersionUse struct {
	Product        string
	ServiceVersion string
	Pools          []string
}

// SIPDomain is an InternalDomain, or a SIP domain DNS shows
// (_sipinternaltls._tcp).
type SIPDomain struct {
	Name string
	// Default is true for InternalDomains DefaultDomain.
	Default bool
	Source  Source
	// Pool is the FQDN of the pool its records point at when the source
	// says (the _sipinternaltls._tcp SRV's target); empty: WriteHCL picks
	// the Front End pool inside the domain and says so.
	Pool string
	// SRVTarget is the name inside the domain its _sipinternaltls._tcp
	// SRV points at when that is not the pool FQDN (DNS shows it: a
	// matching internal zone or a pin-point zone); empty: WriteHCL writes
	// sip.<domain> for a pool outside the domain.
	SRVTarget string
	// AccessEdgeIP and ReverseProxyIP are the external addresses DNS
	// shows (sip.<domain>, lyncdiscover.<domain>); invalid when unknown.
	AccessEdgeIP, ReverseProxyIP netip.Addr
	// Notes are comments WriteHCL writes above the block.
	Notes []string
}

// Simple URL components, as SimpleUrl Component names them.
const (
	SimpleMeet   = "Meet"
	SimpleDialin = "Dialin"
	// SimpleAdmin is the Admin URL (Component="Cscp", the Control Panel).
	SimpleAdmin = "Cscp"
)

// SimpleURL is a SimpleUrl element.
type SimpleURL struct {
	// Component is SimpleMeet, SimpleDialin or SimpleAdmin (or another
	// value the file holds).
	Component string
	// Domain is the SIP domain it serves, or "*" for all (Dialin, Admin).
	Domain string
	// Active is ActiveUrl, the URL in use.
	Active string
	// URLs are the SimpleUrlEntry Url values, the active one included.
	URLs   []string
	Source Source
}

// Site is a central site.
type Site struct {
	// ID is the SiteId.
	ID string
	// Name is the site's Name element.
	Name  string
	Pools []*Pool
	// OfficeOnline are the Office Web Apps / Office Online Server farms
	// (WacService) of the site.
	OfficeOnline []*OfficeOnline
	Source       Source
	// Notes are comments WriteHCL writes above the site block.
	Notes []string
}

// Pool is a cluster with a role topo models.
type Pool struct {
	// Role is one of topology.RoleFrontend, RoleDirector, RoleEdge,
	// RoleMediation.
	Role topology.Role
	// FQDN is the cluster's Fqdn: the pool FQDN (for Edge pools, the
	// internal one).
	FQDN string
	// SingleMachine is IsSingleMachineOnly="true": a Standard Edition
	// server, or a Director, Edge or Mediation pool of one server, whose
	// server FQDN is the pool FQDN.
	SingleMachine bool
	// ServiceVersion is the ServiceVersion of the service that gives the
	// pool its role (Registrar, EdgeServer, MediationServer), and
	// ServiceSource that Service element.
	ServiceVersion string
	ServiceSource  Source
	// Services lists the RoleName of every service installed on the
	// cluster, in file order.
	Services []string
	// CollocatedMediation is true for a Front End pool that also runs the
	// Mediation Server.
	CollocatedMediation bool
	// WebServices is the pool's WebService element, if any.
	WebServices *WebServices
	// LoadBalancing is topology.LBDNS or LBHardware when the source shows
	// it (DNS does), with LBNote saying how; empty when it does not (a
	// topology file): WriteHCL assumes DNS load balancing and says so.
	LoadBalancing topology.LoadBalancing
	LBNote        string
	// VIP is the hardware load balancer's address of the pool FQDN.
	VIP netip.Addr
	// TTL is the TTL of the pool's records when it differs from their
	// zone's (DNS shows it); 0: the zone's.
	TTL uint32
	// Notes are comments WriteHCL writes above the pool block: how it was
	// inferred, what is ambiguous.
	Notes []string
	// EdgeExternal are an Edge pool's external services (Access, Web
	// Conferencing, A/V Edge), from the EdgeServer service's ports.
	EdgeExternal []EdgeService
	// Servers are the machines in OrdinalInCluster order: the order the
	// pool quorum rule's "first N servers" counts in.
	Servers []*Server
	Source  Source
}

// WebServices is a pool's web services FQDNs.
type WebServices struct {
	// InternalHost is the internal web services FQDN override
	// (InternalSettings Host); empty when the file has none (the internal
	// web services FQDN is then the pool FQDN).
	InternalHost   string
	InternalSource Source
	// ExternalHost is ExternalSettings Host, the external web services
	// FQDN.
	ExternalHost   string
	ExternalSource Source
	Source         Source
	// InternalVIP and ExternalVIP are the addresses DNS gives the internal
	// and external hosts; invalid when unknown (a topology file does not
	// hold them). VIPNote says where each was read.
	InternalVIP, ExternalVIP         netip.Addr
	InternalVIPNote, ExternalVIPNote string
}

// Edge external service names, as Port Owner names them (without the
// urn:component: prefix).
const (
	EdgeAccess     = "AccessEdge"
	EdgeWebConf    = "DataEdge"
	EdgeMediaRelay = "MediaRelayEdge"
)

// EdgeService is one external Edge service.
type EdgeService struct {
	// Service is EdgeAccess, EdgeWebConf or EdgeMediaRelay.
	Service string
	// FQDN is the external FQDN (Port ConfiguredFqdn).
	FQDN string
	// Interface is the InterfaceNumber of the external interface it
	// listens on; each server's address for it is in Server.External.
	Interface int
	// Ports are the external ports it listens on, ascending.
	Ports  []int
	Source Source
}

// AddressKind says what a server's address is.
type AddressKind string

const (
	// AddressKnown: the file gives the address.
	AddressKnown AddressKind = "known"
	// AddressAll: the file says 0.0.0.0 (or ::), "use all addresses": the
	// real address must come from DNS or the operator.
	AddressAll AddressKind = "all"
	// AddressMissing: the machine has no NetInterface on that side.
	AddressMissing AddressKind = "missing"
)

// Server is a machine of a pool.
type Server struct {
	// FQDN is the Machine's Fqdn, or the pool FQDN for a single-machine
	// pool whose Machine has none.
	FQDN string
	// Ordinal is OrdinalInCluster (published form) or the position in the
	// file (Topology Builder form), from 1.
	Ordinal int
	// Address is the address clients reach it on (Primary interface; an
	// Edge server's Internal one) when AddressKind is AddressKnown; the
	// unspecified address the file gives (0.0.0.0 or ::) for AddressAll;
	// invalid for AddressMissing.
	Address     netip.Addr
	AddressKind AddressKind
	// AddressSource is the NetInterface element read, if any.
	AddressSource Source
	// External are an Edge server's external interfaces.
	External []Interface
	Source   Source
	// State is topology.StateDraining or StateOffline when DNS shows it,
	// empty for active; StateNote says why.
	State     topology.State
	StateNote string
	// AddressNote says where an address the file lacks was read (DNS).
	AddressNote string
	// Notes are comments WriteHCL writes in the server block.
	Notes []string
}

// Interface is a NetInterface InterfaceSide="External".
type Interface struct {
	Number int
	// Address is IPAddress; invalid for 0.0.0.0.
	Address netip.Addr
	// NAT is ConfiguredIPAddress, the public address a NAT maps to
	// Address; invalid when there is none.
	NAT    netip.Addr
	Source Source
	// Note says where an address the file lacks was read (DNS).
	Note string
}

// OfficeOnline is an Office Web Apps / Office Online Server farm.
type OfficeOnline struct {
	FQDN string
	// DiscoveryURL is WacService DiscoveryUrl.
	DiscoveryURL string
	// External is WacService IsExternal="true".
	External bool
	// Machines are the farm's machine FQDNs (empty for a single machine).
	Machines []string
	Source   Source
	// VIP is the farm FQDN's address in the internal view and
	// ExternalProxyIP in the external view (the reverse proxy's), when DNS
	// shows them; invalid when unknown (a topology file does not hold
	// them). The notes say where each was read.
	VIP, ExternalProxyIP       netip.Addr
	VIPNote, ExternalProxyNote string
}

// NotModelled is a part of the file topo has no place for.
type NotModelled struct {
	// What names it: "cluster", "element", "branch site", "service".
	What string
	// Kind groups it: the cluster's service roles, the element's name.
	Kind string
	// Name identifies it (an FQDN, a site name); may be empty.
	Name   string
	Source Source
}
