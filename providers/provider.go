// Package providers holds the contract between topo and the DNS services it
// publishes to, the shared record model, and the registry of provider kinds.
//
// The contract is libdns (github.com/libdns/libdns v1): every provider is a
// [libdns.RecordGetter], [libdns.RecordSetter] and [libdns.RecordDeleter].
// A provider may also implement [EditApplier], applying a whole zone's plan in
// as few atomic steps as its service allows; publish uses it when present.
//
// Zones are passed to providers as libdns does: fully qualified with the
// trailing dot ("contoso.com."), record names relative to the zone ("@" for
// the apex).
package providers

import (
	"context"
	"errors"
	"fmt"

	"github.com/libdns/libdns"
)

// Provider is the libdns contract every topo provider implements.
//
// GetRecords returns every record of the zone as [Typed] types it
// ([libdns.Address], [libdns.TXT], [libdns.SRV], ... for the types topo
// writes; [libdns.RR] with the server's presentation data for every other
// record, of any type, which GetRecords never fails on). SetRecords
// replaces whole RRsets; DeleteRecords removes exact records. All methods honour context cancellation and are safe for
// concurrent use.
type Provider interface {
	libdns.RecordGetter
	libdns.RecordSetter
	libdns.RecordDeleter
}

// EditApplier is implemented by providers that can apply a list of RRset
// edits as a unit: one RFC 2136 UPDATE message, one PowerDNS PATCH, one
// Cloudflare batch, one atomic zone file rename.
//
// ApplyEdits applies edits in order. Each edit's Before is a precondition:
// the RRset (Name, Type) must currently hold exactly Before (nil: no such
// RRset). A provider that can check it atomically with the write does so and
// fails with an error wrapping [ErrConflict]; others check it on a fresh read
// just before writing.
//
// When the service limits the size of one request, the provider splits the
// edits into chunks, each applied atomically. It returns how many edits (a
// prefix of edits) were applied; on success that is len(edits). A provider
// must never apply an edit out of order or apply part of a chunk.
type EditApplier interface {
	ApplyEdits(ctx context.Context, zone string, edits []Edit, opts ApplyOptions) (applied int, err error)
}

// Chunker is implemented by providers that split a zone's edits into several
// requests. Chunks tells how many requests ApplyEdits would make for edits,
// so that a plan can say so before anything is applied.
type Chunker interface {
	Chunks(zone string, edits []Edit) int
}

// ApplyOptions carries what a caller wants to observe of an apply, and
// what it already knows of the zone.
type ApplyOptions struct {
	// Progress, when not nil, is called after each chunk is applied with the
	// number of chunks done and the total.
	Progress func(done, total int)
	// Current, when not nil, is the zone's RRsets as the caller read them
	// just before calling (its staleness check); a provider that checks
	// preconditions on a fresh read uses it instead of reading again.
	// Providers that check preconditions atomically with the write (RFC 2136
	// prerequisites; the zone file under its lock) ignore it.
	Current []RRset
}

// Edit replaces one RRset.
type Edit struct {
	// Before is what the RRset holds now; nil means it must not exist.
	Before *RRset `json:"before,omitempty"`
	// After is what it must hold; nil deletes it.
	After *RRset `json:"after,omitempty"`
}

// Key returns the (name, type) the edit changes.
func (e Edit) Key() Key {
	if e.After != nil {
		return e.After.Key()
	}
	if e.Before != nil {
		return e.Before.Key()
	}
	return Key{}
}

// ErrConflict is wrapped by errors that report a zone which no longer holds
// what an edit expected: somebody else changed it since it was read.
var ErrConflict = errors.New("zone changed since it was read")

// ErrZoneNotFound is wrapped by errors that report a zone the provider does
// not serve.
var ErrZoneNotFound = errors.New("zone not found")

// ConflictError says which RRset did not hold what was expected.
type ConflictError struct {
	Zone string
	Key  Key
	// Detail is the provider's own words, for example an RCODE.
	Detail string
}

func (e *ConflictError) Error() string {
	msg := fmt.Sprintf("zone %q: %s %s changed since it was read", e.Zone, e.Key.Name, e.Key.Type)
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	return msg
}

// Unwrap makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Unwrap() error { return ErrConflict }

// RRsetReader is implemented by providers that can read some RRsets of a
// zone without reading it whole: a PowerDNS GET filtered by name and type,
// a DNS query to the primary. ReadRRsets returns the RRsets at keys as
// GetRecords would hold them, grouped (sorted, each key at most once); a
// key with no records is left out. topo uses it after writing, to read
// back just what it wrote.
type RRsetReader interface {
	ReadRRsets(ctx context.Context, zone string, keys []Key) ([]RRset, error)
}

// Authoritative is implemented by providers that know a DNS server answering
// authoritatively for their zones ("127.0.0.1:5353"); topo verify asks it
// with real DNS queries.
type Authoritative interface {
	NameServer() string
}
