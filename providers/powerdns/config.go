package powerdns

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"

	"github.com/topo-dns/topo/providers"
)

const (
	// DefaultServerID is the server id PowerDNS Authoritative always uses.
	DefaultServerID = "localhost"
	// DefaultMaxRequestBytes keeps one PATCH body 64 KiB under PowerDNS's
	// default webserver-max-bodysize of 2 MiB (2,097,152 bytes), which
	// PowerDNS compares with the body alone.
	DefaultMaxRequestBytes = 2<<20 - 64<<10
	// MinRequestBytes is the smallest max_request_bytes accepted: below it
	// a single ordinary RRset would not fit in a request.
	MinRequestBytes = 512
	// DefaultTimeout bounds one HTTP request.
	DefaultTimeout = 30 * time.Second
)

// Config is the body of a `provider "powerdns" "<name>"` block.
type Config struct {
	// URL is the base URL of the PowerDNS webserver, "http://host:8081"; a
	// trailing "/api/v1" is accepted. Required.
	URL string `hcl:"url,attr"`
	// APIKey is the server's api-key, sent in the X-API-Key header. Required;
	// a secret, set it with env().
	APIKey string `hcl:"api_key,attr"`
	// ServerID is the API's server id; default "localhost".
	ServerID string `hcl:"server_id,optional"`
	// MaxRequestBytes is the largest PATCH body sent; a larger plan is split
	// into several PATCHes. It must stay at or under the server's
	// webserver-max-bodysize (MiB). Default DefaultMaxRequestBytes.
	MaxRequestBytes int `hcl:"max_request_bytes,optional"`
	// Timeout bounds each HTTP request, as a Go duration ("30s", "2m");
	// default 30s.
	Timeout string `hcl:"timeout,optional"`
	// DNSServer is the "host:port" where this PowerDNS answers DNS queries,
	// for topo verify; by default it is found from the server's
	// configuration (local-address, local-port) through the API.
	DNSServer string `hcl:"dns_server,optional"`

	// Source ranges of the values, for diagnostics; zero when not decoded
	// from HCL or the attribute is absent.
	URLRange             hcl.Range `hcl:"url,attr_value_range"`
	APIKeyRange          hcl.Range `hcl:"api_key,attr_value_range"`
	ServerIDRange        hcl.Range `hcl:"server_id,attr_value_range"`
	MaxRequestBytesRange hcl.Range `hcl:"max_request_bytes,attr_value_range"`
	TimeoutRange         hcl.Range `hcl:"timeout,attr_value_range"`
	DNSServerRange       hcl.Range `hcl:"dns_server,attr_value_range"`
}

// Kind returns the "powerdns" provider kind for the registry.
func Kind() providers.Kind {
	return providers.Kind{Open: open, Secrets: []string{"api_key"}}
}

func open(body hcl.Body, ectx *hcl.EvalContext, _ providers.OpenEnv) (providers.Provider, hcl.Diagnostics) {
	var cfg Config
	diags := gohcl.DecodeBody(body, ectx, &cfg)
	if diags.HasErrors() {
		return nil, diags
	}
	for _, p := range cfg.check() {
		subject := p.rng
		if subject == (hcl.Range{}) {
			subject = body.MissingItemRange()
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  p.summary,
			Detail:   p.detail,
			Subject:  subject.Ptr(),
		})
	}
	if diags.HasErrors() {
		return nil, diags
	}
	p, err := New(cfg)
	if err != nil { // unreachable: check passed
		return nil, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid PowerDNS provider", Detail: err.Error()})
	}
	return p, diags
}

// problem is one thing wrong with a Config. Its texts never hold the API
// key, nor a URL that holds credentials.
type problem struct {
	attr, summary, detail string
	rng                   hcl.Range
}

func (c Config) check() []problem {
	var probs []problem
	add := func(attr string, rng hcl.Range, summary, detail string) {
		probs = append(probs, problem{attr: attr, summary: summary, detail: detail, rng: rng})
	}
	u, err := url.Parse(c.URL)
	switch {
	case c.URL == "":
		add("url", c.URLRange, "Missing PowerDNS URL",
			`Set url to the base URL of the PowerDNS webserver, for example "http://127.0.0.1:8081" (webserver-address and webserver-port in pdns.conf).`)
	case err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https"):
		add("url", c.URLRange, "Invalid PowerDNS URL",
			`The url must be an http:// or https:// URL with a host, for example "http://127.0.0.1:8081".`)
	case u.User != nil:
		add("url", c.URLRange, "Credentials in the PowerDNS URL",
			"The url holds a user name or password, which would end up in logs and plans. PowerDNS authenticates with the API key: remove them from url and set api_key with env().")
	case u.RawQuery != "" || u.Fragment != "":
		add("url", c.URLRange, "Invalid PowerDNS URL",
			`The url must not have a query or fragment: topo adds the API paths (/api/v1/servers/...) to it.`)
	}
	if c.DNSServer != "" {
		if _, port, err := net.SplitHostPort(c.DNSServer); err != nil || port == "" {
			add("dns_server", c.DNSServerRange, "Invalid DNS server address",
				`dns_server is where PowerDNS answers DNS queries, as "host:port", for example "127.0.0.1:53".`)
		}
	}
	if c.APIKey == "" {
		add("api_key", c.APIKeyRange, "Empty PowerDNS API key",
			`The PowerDNS API refuses every request without the key set as api-key in the server's pdns.conf. Set api_key = env("...") and make sure that variable is set.`)
	}
	if c.ServerID != "" && strings.ContainsAny(c.ServerID, "/?#% \t") {
		add("server_id", c.ServerIDRange, "Invalid PowerDNS server id",
			fmt.Sprintf("The server id %q cannot appear in an API path. PowerDNS Authoritative always calls itself %q; leave server_id out unless a proxy in front of it says otherwise.", c.ServerID, DefaultServerID))
	}
	if c.MaxRequestBytes != 0 && c.MaxRequestBytes < MinRequestBytes {
		add("max_request_bytes", c.MaxRequestBytesRange, "PowerDNS request size limit too small",
			fmt.Sprintf("max_request_bytes is %d; at least %d bytes are needed to send one RRset. It should match the server's webserver-max-bodysize (in MiB, default 2: leave max_request_bytes out for %d).", c.MaxRequestBytes, MinRequestBytes, DefaultMaxRequestBytes))
	}
	if _, err := c.timeout(); err != nil {
		add("timeout", c.TimeoutRange, "Invalid PowerDNS request timeout",
			fmt.Sprintf("timeout must be a positive duration such as \"30s\" or \"2m\" (the longest one HTTP request to PowerDNS may take): %v.", err))
	}
	return probs
}

func (c Config) timeout() (time.Duration, error) {
	if c.Timeout == "" {
		return DefaultTimeout, nil
	}
	d, err := time.ParseDuration(c.Timeout)
	if err != nil {
		return 0, err
	}
	if d <= 0 {
		return 0, fmt.Errorf("%q is not positive", c.Timeout)
	}
	return d, nil
}
