package rfc2136

import (
	"fmt"
	"time"

	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
)

// Provider talks RFC 2136 to one primary server. Its zero value is not
// usable: set Server at least. It holds no state between calls and is safe
// for concurrent use.
type Provider struct {
	// Server is the primary server's "host:port".
	Server string
	// TSIGKey is the TSIG key's name, fully qualified ("topo-key."); empty
	// sends unsigned messages.
	TSIGKey string
	// TSIGAlgorithm is the key's algorithm as miekg/dns names it
	// ("hmac-sha256."); empty means hmac-sha256.
	TSIGAlgorithm string
	// TSIGSecret is the key's base64 secret. It is never printed: the
	// provider's String and GoString leave it out.
	TSIGSecret string
	// Timeout bounds each request: one UPDATE message, or a whole zone
	// transfer. Zero means DefaultTimeout.
	Timeout time.Duration
}

var (
	_ providers.Provider      = (*Provider)(nil)
	_ providers.EditApplier   = (*Provider)(nil)
	_ providers.Chunker       = (*Provider)(nil)
	_ libdns.RecordGetter     = (*Provider)(nil)
	_ libdns.RecordSetter     = (*Provider)(nil)
	_ libdns.RecordDeleter    = (*Provider)(nil)
	_ libdns.RecordAppender   = (*Provider)(nil)
	_ fmt.Stringer            = (*Provider)(nil)
	_ providers.Authoritative = (*Provider)(nil)
	_ fmt.GoStringer          = (*Provider)(nil)
)

// String describes the provider without its secret.
func (p *Provider) String() string {
	if p.TSIGKey == "" {
		return fmt.Sprintf("rfc2136 server %s (unsigned)", p.Server)
	}
	return fmt.Sprintf("rfc2136 server %s key %q (%s)", p.Server, p.TSIGKey, p.algorithm())
}

// GoString keeps %#v from printing the secret.
func (p *Provider) GoString() string { return "&rfc2136.Provider{" + p.String() + "}" }

func (p *Provider) timeout() time.Duration {
	if p.Timeout > 0 {
		return p.Timeout
	}
	return DefaultTimeout
}

func (p *Provider) algorithm() string {
	if p.TSIGAlgorithm == "" {
		return "hmac-sha256."
	}
	return p.TSIGAlgorithm
}

// NameServer implements providers.Authoritative: the primary server answers
// authoritatively for the zones it updates.
func (p *Provider) NameServer() string { return p.Server }
