package rfc2136

import (
	"context"
	"errors"
	"fmt"

	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
)

// editNames are the fully qualified names edits are about.
func editNames(edits []providers.Edit) []string {
	out := make([]string, len(edits))
	for i, e := range edits {
		out[i] = e.Key().Name
	}
	return out
}

// readSets reads the RRsets at names (the whole zone when it transfers).
func (p *Provider) readSets(ctx context.Context, zone string, names []string) (map[providers.Key]providers.RRset, error) {
	rrs, _, err := p.zoneRRs(ctx, zone, names)
	if err != nil {
		return nil, err
	}
	zf := providers.ZoneFQDN(zone)
	recs := make([]libdns.Record, len(rrs))
	for i, rr := range rrs {
		recs[i] = providers.FromDNS(zf, rr)
	}
	return providers.Index(providers.GroupRecords(zone, recs)), nil
}

// ignoresPrerequisites reports whether the server is known to apply an
// UPDATE whose value-dependent prerequisites fail: Samba's DNS server
// does, and it is the one known to sign replies over the request MAC
// without its length. For such a server ApplyEdits checks the
// preconditions itself on a fresh read just before writing; the write is
// then no longer atomic with the check.
func (p *Provider) ignoresPrerequisites(ctx context.Context, zone string) (bool, error) {
	if p.Auth != AuthGSS {
		return false, nil
	}
	s, err := p.signer(ctx, providers.ZoneFQDN(zone))
	if err != nil {
		return false, err
	}
	g, ok := s.(*gssSession)
	return ok && g.layout == layoutNoLength, nil
}

// checkPreconditions reads the edits' RRsets and requires each to hold
// what its edit expects.
func (p *Provider) checkPreconditions(ctx context.Context, zone string, edits []providers.Edit) error {
	cur, err := p.readSets(ctx, zone, editNames(edits))
	if err != nil {
		return fmt.Errorf("check preconditions: %w", err)
	}
	return providers.CheckPreconditions(zone, cur, edits)
}

// appliedAnyway decides an UPDATE whose answer could not be trusted (its
// signature does not verify, the connection broke after it was sent): it
// reads the edits' RRsets again and reports whether every one holds its
// After, so that an update the server applied is never reported failed.
func (p *Provider) appliedAnyway(ctx context.Context, zone string, edits []providers.Edit, cause error) error {
	if !errors.Is(cause, errUnverified) || len(edits) == 0 {
		return cause
	}
	cur, err := p.readSets(ctx, zone, editNames(edits))
	if err != nil {
		return fmt.Errorf("%w; reading the zone again to see whether it was applied failed too: %v", cause, err)
	}
	for _, e := range edits {
		got, exists := cur[e.Key()]
		switch {
		case e.After == nil && !exists:
		case e.After != nil && exists && got.Equal(*e.After):
		default:
			return fmt.Errorf("%w; the zone does not hold the update (%s)", cause, e.Key())
		}
	}
	return nil
}
