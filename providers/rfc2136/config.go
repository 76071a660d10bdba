package rfc2136

import (
	"encoding/base64"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/miekg/dns"

	"github.com/topo-dns/topo/internal/suggest"
	"github.com/topo-dns/topo/providers"
)

// DefaultTimeout bounds one request (an UPDATE message or a zone transfer)
// when the configuration sets no timeout.
const DefaultTimeout = 10 * time.Second

// Algorithms are the TSIG algorithms a provider block may name.
var Algorithms = []string{"hmac-sha256", "hmac-sha384", "hmac-sha512"}

// Config is the body of a `provider "rfc2136" "<name>"` block:
//
//	provider "rfc2136" "corp" {
//	  server         = "127.0.0.1:5353"
//	  tsig_key       = "topo-key."
//	  tsig_algorithm = "hmac-sha256"
//	  tsig_secret    = env("TOPO_TSIG_SECRET")
//	  timeout        = "10s"
//	}
type Config struct {
	// Server is the primary server's "host:port".
	Server      string    `hcl:"server,attr"`
	ServerRange hcl.Range `hcl:"server,attr_value_range"`
	// TSIGKey is the key's name as the server knows it ("topo-key.").
	// Without it, updates and transfers are sent unsigned.
	TSIGKey      string    `hcl:"tsig_key,optional"`
	TSIGKeyRange hcl.Range `hcl:"tsig_key,attr_value_range"`
	// TSIGAlgorithm is one of Algorithms; default "hmac-sha256".
	TSIGAlgorithm      string    `hcl:"tsig_algorithm,optional"`
	TSIGAlgorithmRange hcl.Range `hcl:"tsig_algorithm,attr_value_range"`
	// TSIGSecret is the key's base64 secret, set through env().
	TSIGSecret      string    `hcl:"tsig_secret,optional"`
	TSIGSecretRange hcl.Range `hcl:"tsig_secret,attr_value_range"`
	// Timeout bounds each request, as a Go duration ("10s"); default
	// DefaultTimeout.
	Timeout      string    `hcl:"timeout,optional"`
	TimeoutRange hcl.Range `hcl:"timeout,attr_value_range"`
}

// Kind returns the "rfc2136" provider kind for the registry.
func Kind() providers.Kind {
	return providers.Kind{
		Open: func(body hcl.Body, ectx *hcl.EvalContext, _ providers.OpenEnv) (providers.Provider, hcl.Diagnostics) {
			p, diags := Open(body, ectx)
			if p == nil {
				return nil, diags
			}
			return p, diags
		},
		Secrets: []string{"tsig_secret"},
	}
}

// Open decodes and checks a provider block body. It does not contact the
// server. It returns nil when the diagnostics hold an error.
func Open(body hcl.Body, ectx *hcl.EvalContext) (*Provider, hcl.Diagnostics) {
	var cfg Config
	diags := gohcl.DecodeBody(body, ectx, &cfg)
	if diags.HasErrors() {
		return nil, diags
	}
	p, more := cfg.Provider(body.MissingItemRange())
	diags = append(diags, more...)
	if diags.HasErrors() {
		return nil, diags
	}
	return p, diags
}

// Provider checks the configuration and returns the provider it describes.
// block is where to point diagnostics about missing attributes.
func (c Config) Provider(block hcl.Range) (*Provider, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	bad := func(subject hcl.Range, summary, detail string) {
		if subject == (hcl.Range{}) {
			subject = block
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  summary,
			Detail:   detail,
			Subject:  subject.Ptr(),
		})
	}
	p := &Provider{Server: strings.TrimSpace(c.Server), Timeout: DefaultTimeout}

	if p.Server == "" {
		bad(c.ServerRange, "Missing DNS server address",
			`The rfc2136 provider needs the primary server's address as "host:port", for example "192.0.2.53:53".`)
	} else if host, port, err := net.SplitHostPort(p.Server); err != nil || host == "" {
		bad(c.ServerRange, "Invalid DNS server address",
			fmt.Sprintf(`The server must be "host:port", for example %q; %q is not.`, suggestHostPort(p.Server), p.Server))
	} else if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		bad(c.ServerRange, "Invalid DNS server port",
			fmt.Sprintf("The port of %q must be a number from 1 to 65535 (53 for a standard DNS server).", p.Server))
	}

	alg := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(c.TSIGAlgorithm)), ".")
	if alg == "" {
		alg = Algorithms[0]
	}
	known := false
	for _, a := range Algorithms {
		known = known || a == alg
	}
	if !known {
		detail := fmt.Sprintf("TSIG algorithm %q is not supported.", c.TSIGAlgorithm)
		if s := suggest.Closest(alg, Algorithms); s != "" {
			detail += fmt.Sprintf(" Did you mean %q?", s)
		}
		detail += " The allowed algorithms are " + strings.Join(Algorithms, ", ") + "; use the one in the key's algorithm clause in named.conf."
		bad(c.TSIGAlgorithmRange, "Unsupported TSIG algorithm", detail)
	}
	p.TSIGAlgorithm = dns.Fqdn(alg)

	key := strings.TrimSpace(c.TSIGKey)
	switch {
	case key == "" && c.TSIGSecret != "":
		bad(c.TSIGSecretRange, "TSIG secret without a key name",
			`tsig_secret is set but tsig_key is not: set tsig_key to the key's name as the server knows it, for example "topo-key.".`)
	case key != "" && c.TSIGSecret == "":
		subject := c.TSIGSecretRange
		if subject == (hcl.Range{}) {
			subject = c.TSIGKeyRange
		}
		bad(subject, "Missing TSIG secret",
			fmt.Sprintf("TSIG key %q needs its secret: set tsig_secret = env(\"...\") to an environment variable holding the base64 secret, and check that variable is set.", key))
	case key != "":
		if _, ok := dns.IsDomainName(key); !ok {
			bad(c.TSIGKeyRange, "Invalid TSIG key name",
				fmt.Sprintf("The TSIG key name %q is not a valid domain name; use the name from the key clause in named.conf, for example \"topo-key.\".", key))
		}
		p.TSIGKey = dns.CanonicalName(key)
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(c.TSIGSecret))
		if err != nil || len(raw) == 0 {
			bad(c.TSIGSecretRange, "TSIG secret is not base64",
				"The TSIG secret must be the base64 string from the key's secret clause (as tsig-keygen prints it). The value is not shown because it is a credential.")
		}
		p.TSIGSecret = strings.TrimSpace(c.TSIGSecret)
	case c.TSIGAlgorithm != "":
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "TSIG algorithm without a key",
			Detail:   "tsig_algorithm has no effect without tsig_key and tsig_secret: updates are sent unsigned.",
			Subject:  c.TSIGAlgorithmRange.Ptr(),
		})
	}

	if c.Timeout != "" {
		d, err := time.ParseDuration(strings.TrimSpace(c.Timeout))
		if err != nil || d <= 0 {
			bad(c.TimeoutRange, "Invalid timeout",
				fmt.Sprintf(`The timeout must be a positive duration such as "10s" or "1m30s"; %q is not.`, c.Timeout))
		}
		p.Timeout = d
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return p, diags
}

func suggestHostPort(s string) string {
	if strings.Count(s, ":") > 1 && !strings.HasPrefix(s, "[") {
		return "[" + s + "]:53"
	}
	return strings.TrimSuffix(s, ":") + ":53"
}
