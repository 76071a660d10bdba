package cloudflare

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"

	"github.com/topo-dns/topo/providers"
)

// Defaults of the optional settings.
const (
	// DefaultBaseURL is Cloudflare's v4 API.
	DefaultBaseURL = "https://api.cloudflare.com/client/v4/"
	// DefaultBatchSize is the free plan's limit on operations in one batch
	// request; paid plans allow 3,500.
	DefaultBatchSize = 200
	// MaxBatchSize is the largest batch any Cloudflare plan accepts.
	MaxBatchSize = 3500
	// DefaultMaxRetries is how often a request is repeated after a 429, a
	// 5xx or a dropped connection.
	DefaultMaxRetries = 4
	// MaxMaxRetries bounds max_retries: with exponential backoff capped at
	// 30 s, more would only hide an outage.
	MaxMaxRetries = 10
)

// Config is the body of a `provider "cloudflare" "<name>"` block.
type Config struct {
	// APIToken is a Cloudflare API token with Zone:Read and DNS:Edit on the
	// zones topo publishes. Set it with env(); it is never printed.
	APIToken string `hcl:"api_token,attr"`
	// ZoneID is the zone's id. Empty means look it up by name, once per
	// zone. When set, the provider serves one zone only.
	ZoneID string `hcl:"zone_id,optional"`
	// BaseURL is the API's address. Empty means DefaultBaseURL; tests point
	// it at a local server.
	BaseURL string `hcl:"base_url,optional"`
	// BatchSize is the most operations one batch request holds. Nil means
	// DefaultBatchSize.
	BatchSize *int `hcl:"batch_size,optional"`
	// MaxRetries is how often a failed request is repeated. Nil means
	// DefaultMaxRetries.
	MaxRetries *int `hcl:"max_retries,optional"`
	// Proxied is the proxy status topo gives the A, AAAA and CNAME records it
	// writes. Proxied records always have Cloudflare's automatic TTL.
	Proxied bool `hcl:"proxied,optional"`

	// Ranges of the values, for diagnostics; zero when not from HCL.
	APITokenRange   hcl.Range `hcl:"api_token,attr_value_range"`
	ZoneIDRange     hcl.Range `hcl:"zone_id,attr_value_range"`
	BaseURLRange    hcl.Range `hcl:"base_url,attr_value_range"`
	BatchSizeRange  hcl.Range `hcl:"batch_size,attr_value_range"`
	MaxRetriesRange hcl.Range `hcl:"max_retries,attr_value_range"`
}

// String describes the configuration without the token, so that printing a
// Config with %v never shows it.
func (c Config) String() string {
	token := "unset"
	if c.APIToken != "" {
		token = "set"
	}
	return fmt.Sprintf("cloudflare{api_token: %s, zone_id: %q, base_url: %q, batch_size: %d, max_retries: %d, proxied: %t}",
		token, c.ZoneID, providers.RedactURL(c.baseURL()), c.batchSize(), c.maxRetries(), c.Proxied)
}

// GoString is String, for %#v.
func (c Config) GoString() string { return c.String() }

func (c Config) baseURL() string {
	if c.BaseURL == "" {
		return DefaultBaseURL
	}
	return c.BaseURL
}

func (c Config) batchSize() int {
	if c.BatchSize == nil {
		return DefaultBatchSize
	}
	return *c.BatchSize
}

func (c Config) maxRetries() int {
	if c.MaxRetries == nil {
		return DefaultMaxRetries
	}
	return *c.MaxRetries
}

// Kind returns the "cloudflare" provider kind.
func Kind() providers.Kind {
	return providers.Kind{
		Open: func(body hcl.Body, ectx *hcl.EvalContext, _ providers.OpenEnv) (providers.Provider, hcl.Diagnostics) {
			var cfg Config
			diags := gohcl.DecodeBody(body, ectx, &cfg)
			if diags.HasErrors() {
				return nil, diags
			}
			diags = append(diags, cfg.Validate(body.MissingItemRange())...)
			if diags.HasErrors() {
				return nil, diags
			}
			p, err := New(cfg)
			if err != nil {
				return nil, append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid Cloudflare provider configuration",
					Detail:   err.Error(),
					Subject:  rangePtr(body.MissingItemRange()),
				})
			}
			return p, diags
		},
		Secrets: []string{"api_token"},
	}
}

var zoneIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// Validate reports every problem of the configuration as a diagnostic
// pointing at the offending value (at block when the value has no range).
// No diagnostic ever holds the token.
func (c Config) Validate(block hcl.Range) hcl.Diagnostics {
	var diags hcl.Diagnostics
	bad := func(r hcl.Range, summary, detail string) {
		if r == (hcl.Range{}) {
			r = block
		}
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rangePtr(r)})
	}
	switch {
	case c.APIToken == "":
		bad(c.APITokenRange, "Empty Cloudflare API token",
			`api_token is empty. Create an API token with the Zone:Read and DNS:Edit permissions for the zones topo publishes, export it (for example as CLOUDFLARE_API_TOKEN) and set api_token = env("CLOUDFLARE_API_TOKEN").`)
	case strings.ContainsAny(c.APIToken, " \t\r\n"):
		bad(c.APITokenRange, "Malformed Cloudflare API token",
			"api_token contains white space, often a trailing newline copied with it into the environment variable. Cloudflare would reject it; remove the white space.")
	}
	if c.ZoneID != "" && !zoneIDPattern.MatchString(c.ZoneID) {
		bad(c.ZoneIDRange, "Invalid Cloudflare zone id",
			fmt.Sprintf("zone_id %q is not a Cloudflare zone id: those are 32 lowercase hexadecimal digits, shown on the zone's overview page. Leave zone_id out to look the zone up by name.", c.ZoneID))
	}
	if c.BaseURL != "" {
		if detail := checkBaseURL(c.BaseURL); detail != "" {
			bad(c.BaseURLRange, "Invalid Cloudflare API base URL", detail)
		}
	}
	if c.BatchSize != nil && (*c.BatchSize < 1 || *c.BatchSize > MaxBatchSize) {
		bad(c.BatchSizeRange, "Invalid Cloudflare batch size",
			fmt.Sprintf("batch_size is %d; it must be between 1 and %d. Cloudflare's free plan takes at most %d record operations in one batch, paid plans %d.", *c.BatchSize, MaxBatchSize, DefaultBatchSize, MaxBatchSize))
	}
	if c.MaxRetries != nil && (*c.MaxRetries < 0 || *c.MaxRetries > MaxMaxRetries) {
		bad(c.MaxRetriesRange, "Invalid Cloudflare retry count",
			fmt.Sprintf("max_retries is %d; it must be between 0 (never repeat a request) and %d.", *c.MaxRetries, MaxMaxRetries))
	}
	return diags
}

// checkBaseURL explains what is wrong with a base URL, or returns "". It
// quotes the URL with its password hidden (providers.RedactURL), and says
// nothing of why a URL with a password does not parse: the reason quotes
// the password's characters.
func checkBaseURL(raw string) string {
	u, err := url.Parse(raw)
	shown := providers.RedactURL(raw)
	switch {
	case err != nil && shown != raw:
		return fmt.Sprintf("base_url %q is not a URL.", shown)
	case err != nil:
		return fmt.Sprintf("base_url %q is not a URL: %v.", raw, err)
	case u.User != nil:
		return fmt.Sprintf("base_url %q must not hold credentials: the API token goes in api_token.", shown)
	case u.Scheme != "https" && u.Scheme != "http", u.Host == "":
		return fmt.Sprintf("base_url %q must be an absolute http(s) URL such as %q.", raw, DefaultBaseURL)
	case u.RawQuery != "" || u.Fragment != "":
		return fmt.Sprintf("base_url %q must not have a query or fragment.", raw)
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		return fmt.Sprintf("base_url %q uses plain http to a host that is not this machine: the API token would cross the network unencrypted. Use https.", raw)
	}
	return ""
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func rangePtr(r hcl.Range) *hcl.Range { return &r }
