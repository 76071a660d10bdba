package rfc2136

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
)

// Provider talks RFC 2136 to one primary server. Its zero value is not
// usable: set Server at least. It is safe for concurrent use and must not
// be copied after first use.
//
// With Auth set to AuthGSS it negotiates one GSS-TSIG security context
// (RFC 3645) on first use and signs every later message with it: zone
// transfers, name reads and UPDATE messages. Close deletes the context.
// The names given to SetNames and what the last read covered are the only
// other state it keeps.
type Provider struct {
	// Server is the primary server's "host:port".
	Server string
	// Auth is how messages are signed: AuthTSIG with the TSIG key below
	// (unsigned without a key: the zero value), AuthGSS, or AuthNone.
	Auth string
	// Read is how zones are read: ReadAXFR (the zero value: a zone
	// transfer, falling back to name reads when the server refuses it) or
	// ReadNames.
	Read string
	// Realm is the Kerberos realm ("CORP.CONTOSO.COM") for AuthGSS.
	Realm string
	// Username is the Kerberos principal's name without the realm
	// ("svc-topo"). With neither Password nor Keytab, and no Username, the
	// logged-on user's credentials are used: SSPI on Windows, the
	// credential cache (KRB5CCNAME) elsewhere.
	Username string
	// Password is Username's password. It is never printed.
	Password string
	// Keytab is the path of a keytab holding Username's key.
	Keytab string
	// ServerName is the server's host name for its service principal
	// (DNS/<ServerName>), when Server names it by address.
	ServerName string
	// GSSAlgorithm is the TSIG algorithm name of GSS-TSIG messages:
	// "gss-tsig." (the zero value) or Windows 2000's "gss.microsoft.com.".
	GSSAlgorithm string
	// KRB5Config is the path of the krb5.conf to use; empty means
	// $KRB5_CONFIG, then /etc/krb5.conf, and without either one built from
	// Realm and Server. Ignored on Windows, where SSPI finds the KDC.
	KRB5Config string
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

	mu     sync.Mutex
	gss    *gssSession
	names  map[string][]string
	scopes map[string]providers.ReadScope
}

// Authentication modes (Provider.Auth, the auth attribute).
const (
	AuthTSIG = "tsig"
	AuthGSS  = "gss-tsig"
	AuthNone = "none"
)

// Read modes (Provider.Read, the read attribute).
const (
	ReadAXFR  = "axfr"
	ReadNames = "names"
)

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
	_ providers.NameReader    = (*Provider)(nil)
	_ io.Closer               = (*Provider)(nil)
)

// String describes the provider without its secret.
func (p *Provider) String() string {
	if p.Auth == AuthGSS {
		return fmt.Sprintf("rfc2136 server %s GSS-TSIG as %s", p.Server, p.principal())
	}
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
// authoritatively for the zones it updates. It is the one server topo
// writes to, so verify asks the same domain controller publish wrote to,
// before replication reaches the others.
func (p *Provider) NameServer() string { return p.Server }
