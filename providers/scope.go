package providers

import (
	"errors"
	"io"
)

// NameReader is implemented by providers that may be unable to list a
// whole zone, and then read it name by name: an RFC 2136 server that
// refuses zone transfers (Windows DNS allows them only to its listed
// servers) is read by querying each name topo manages.
//
// SetNames tells the provider which names of zone (fully qualified, with
// the trailing dot, as GetRecords takes it) the caller manages: the names
// it wants records at, their ownership markers ("_topo.<name>"), and the
// names it may delete. Names are fully qualified without the trailing dot
// ("pool01.contoso.com"), as RRset names are. A later GetRecords(zone)
// that cannot transfer the zone returns the records at these names (and
// the apex SOA and NS) only. SetNames replaces the names given before for
// that zone; it does not contact the server. It is safe for concurrent use.
//
// ReadScope says what the last GetRecords(zone) covered, so that a plan
// can say its ownership and conflict checks cover the names read only.
type NameReader interface {
	SetNames(zone string, names []string)
	ReadScope(zone string) ReadScope
}

// ReadScope is what a zone read covered.
type ReadScope struct {
	// Names is false when the whole zone was read (a zone transfer), true
	// when only the names given to SetNames were queried.
	Names bool `json:"names,omitempty"`
	// Count is how many names were queried, apex included.
	Count int `json:"count,omitempty"`
	// Reason says why the zone was read by names: ReasonConfigured or
	// ReasonTransferRefused.
	Reason string `json:"reason,omitempty"`
	// Detail is the server's answer to the refused transfer ("REFUSED",
	// "NOERROR without the zone's SOA").
	Detail string `json:"detail,omitempty"`
	// Server is the server that was read ("192.0.2.53:53").
	Server string `json:"server,omitempty"`
}

// Reasons a zone is read by names.
const (
	// ReasonConfigured: the provider is configured to read by names.
	ReasonConfigured = "configured"
	// ReasonTransferRefused: the server refused the zone transfer.
	ReasonTransferRefused = "transfer-refused"
)

// CloseAll closes every provider of the set that holds a session open
// (an io.Closer, such as an rfc2136 provider with a negotiated GSS-TSIG
// context), once the caller is done with all of them: after publish and
// its proof re-plan, or after plan or verify. Closing a provider that is
// used again later opens a new session then.
func (s *Set) CloseAll() error {
	var errs []error
	for _, p := range s.byRef {
		if c, ok := p.(io.Closer); ok {
			errs = append(errs, c.Close())
		}
	}
	return errors.Join(errs...)
}
