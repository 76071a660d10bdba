// Package powerdns publishes to a PowerDNS Authoritative Server through its
// HTTP API (/api/v1), as configured by
//
//	provider "powerdns" "corp" {
//	  url     = "http://127.0.0.1:8081"
//	  api_key = env("TOPO_PDNS_API_KEY")
//	}
//
// # Requests
//
// Reading a zone is one GET of /api/v1/servers/{server_id}/zones/{zone_id}.
// Applying a plan (ApplyEdits) is one GET, to check the plan's
// preconditions against what the zone holds now (none when the caller
// passes the zone it has just read as ApplyOptions.Current), then one PATCH
// of RRsets per chunk: REPLACE for an RRset's new content, DELETE for an RRset that
// goes. A PATCH carries only the RRsets it changes, without comments, so
// PowerDNS leaves comments and every other RRset alone.
//
// # Atomicity
//
// PowerDNS applies one PATCH in one backend transaction: all of its RRsets
// or none. A plan whose PATCH would be larger than max_request_bytes is split
// into several PATCHes, applied in order; if one fails, the ones before it
// stay applied and ApplyEdits reports how many edits that was. Re-planning
// and publishing again converges.
//
// PowerDNS has no conditional PATCH, so preconditions are checked on a fresh
// read just before writing (the provider's own, or the caller's staleness
// read given as ApplyOptions.Current): a change another client makes between
// that read and the PATCH is not detected. The window is about one round
// trip long.
//
// # Retries
//
// GETs are retried on 429, 502, 503, 504, timeouts and dropped connections,
// with exponential backoff. A PATCH is only retried when the failure shows
// PowerDNS did not act on it (429, 503, no connection): after a 500, a
// timeout or a dropped connection it may have been applied, and sending it
// again blindly could overwrite a change made in between.
//
// Disabled records are not read (PowerDNS does not serve them); replacing an
// RRset replaces its disabled records too.
package powerdns

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/httpretry"
)

// Provider publishes to one PowerDNS server. It is safe for concurrent use.
type Provider struct {
	// zonesURL is ".../api/v1/servers/{server_id}/zones/".
	zonesURL string
	serverID string
	apiKey   string
	maxBytes int
	dns      string // host:port answering DNS queries
	client   *http.Client
	retry    httpretry.Policy
}

var (
	_ providers.Provider      = (*Provider)(nil)
	_ providers.EditApplier   = (*Provider)(nil)
	_ providers.Chunker       = (*Provider)(nil)
	_ libdns.RecordGetter     = (*Provider)(nil)
	_ libdns.RecordSetter     = (*Provider)(nil)
	_ libdns.RecordDeleter    = (*Provider)(nil)
	_ libdns.RecordAppender   = (*Provider)(nil)
	_ providers.Authoritative = (*Provider)(nil)
)

// NameServer implements providers.Authoritative: dns_server, or the API
// host on port 53.
func (p *Provider) NameServer() string { return p.dns }

// New returns a provider for cfg, with defaults filled in, without
// contacting the server.
func New(cfg Config) (*Provider, error) {
	probs := cfg.check()
	if len(probs) > 0 {
		msgs := make([]string, len(probs))
		for i, p := range probs {
			msgs[i] = p.attr + ": " + p.summary + ": " + p.detail
		}
		return nil, errors.New("powerdns: " + strings.Join(msgs, "; "))
	}
	base, _ := url.Parse(cfg.URL) // check made sure it parses
	base.Path = strings.TrimSuffix(strings.TrimRight(base.Path, "/"), "/api/v1")
	base.RawPath = ""
	serverID := cfg.ServerID
	if serverID == "" {
		serverID = DefaultServerID
	}
	maxBytes := cfg.MaxRequestBytes
	if maxBytes == 0 {
		maxBytes = DefaultMaxRequestBytes
	}
	timeout, _ := cfg.timeout()
	dnsServer := cfg.DNSServer
	if dnsServer == "" {
		dnsServer = net.JoinHostPort(base.Hostname(), "53")
	}
	return &Provider{
		dns:      dnsServer,
		zonesURL: base.String() + "/api/v1/servers/" + url.PathEscape(serverID) + "/zones/",
		serverID: serverID,
		apiKey:   cfg.APIKey,
		maxBytes: maxBytes,
		client: &http.Client{
			Timeout:   timeout,
			Transport: http.DefaultTransport.(*http.Transport).Clone(),
			// A redirect would carry X-API-Key to wherever it points (Go
			// only strips its own credential headers) and turn a PATCH into
			// a GET: report it as the answer instead.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}, nil
}
