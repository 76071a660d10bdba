package rfc2136

import (
	"context"
	"errors"
	"fmt"

	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
)

// ApplyEdits implements providers.EditApplier: all edits of the zone in one
// UPDATE message, each edit guarded by prerequisites on what it expects the
// RRset to hold, split into several messages only past 65,535 bytes. The
// server applies each message atomically. On failure it returns how many
// edits (whole messages, in order) were applied.
func (p *Provider) ApplyEdits(ctx context.Context, zone string, edits []providers.Edit, opts providers.ApplyOptions) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	chunks, err := p.plan(zone, edits)
	if err != nil {
		return 0, err
	}
	if ignores, err := p.ignoresPrerequisites(ctx, zone); err != nil {
		return 0, fmt.Errorf("rfc2136: update zone %q: %w (nothing applied)", zone, err)
	} else if ignores {
		if err := p.checkPreconditions(ctx, zone, edits); err != nil {
			return 0, fmt.Errorf("rfc2136: %w (nothing applied)", err)
		}
	}
	return p.send(ctx, zone, chunks, edits, opts.Progress)
}

// Chunks implements providers.Chunker: how many UPDATE messages ApplyEdits
// sends for edits. Edits it cannot encode count as one message; ApplyEdits
// reports them.
func (p *Provider) Chunks(zone string, edits []providers.Edit) int {
	chunks, err := p.plan(zone, edits)
	if err != nil {
		return 1
	}
	return len(chunks)
}

// plan encodes the edits and splits them into UPDATE messages.
func (p *Provider) plan(zone string, edits []providers.Edit) ([]chunk, error) {
	zf := providers.ZoneFQDN(zone)
	changes := make([]change, len(edits))
	for i, e := range edits {
		c, err := editChange(zf, e)
		if err != nil {
			return nil, fmt.Errorf("zone %q: edit %d (%s): %w", zone, i+1, e.Key(), err)
		}
		changes[i] = c
	}
	return p.split(zone, changes)
}

func (p *Provider) split(zone string, changes []change) ([]chunk, error) {
	room := gssTSIGSize()
	if p.Auth != AuthGSS {
		key, err := p.key()
		if err != nil {
			return nil, err
		}
		room = key.size()
	}
	chunks, err := splitChanges(providers.ZoneFQDN(zone), changes, room)
	if err != nil {
		return nil, fmt.Errorf("zone %q: %w", zone, err)
	}
	return chunks, nil
}

// send sends the chunks in order, stopping at the first failure. edits,
// when not nil, are the edits the chunks encode, to name the RRset a failed
// prerequisite is about.
func (p *Provider) send(ctx context.Context, zone string, chunks []chunk, edits []providers.Edit, progress func(done, total int)) (int, error) {
	applied := 0
	total := 0
	if len(chunks) > 0 {
		total = chunks[len(chunks)-1].end
	}
	for i, c := range chunks {
		err := p.sendChunk(ctx, zone, c, edits)
		if err != nil {
			var conflict *providers.ConflictError
			switch {
			case errors.As(err, &conflict) && len(chunks) == 1:
				err = fmt.Errorf("rfc2136: %w (nothing applied)", err)
			case len(chunks) == 1:
				err = fmt.Errorf("rfc2136: update zone %q: %w (nothing applied)", zone, err)
			default:
				err = fmt.Errorf("rfc2136: update zone %q: message %d of %d failed: %w (%d of %d edits applied, by messages 1 to %d)", zone, i+1, len(chunks), err, applied, total, i)
			}
			return applied, err
		}
		applied = c.end
		if progress != nil {
			progress(i+1, len(chunks))
		}
	}
	return applied, nil
}

func (p *Provider) sendChunk(ctx context.Context, zone string, c chunk, edits []providers.Edit) error {
	r, err := p.exchange(ctx, c.msg)
	if err != nil {
		if edits != nil {
			return p.appliedAnyway(ctx, zone, edits[c.start:c.end], err)
		}
		return err
	}
	if err := p.tsigError(r); err != nil {
		return err
	}
	if p.Auth == AuthGSS && r.Rcode == dns.RcodeRefused {
		return p.gssRefused(zone, c)
	}
	if isConflict(r.Rcode) && edits != nil {
		return p.conflict(ctx, zone, edits[c.start:c.end], r.Rcode)
	}
	return p.answerError("update", zone, r)
}

// conflict builds the error for a failed prerequisite. The server does not
// say which one failed, so the zone is read again to find an edit whose
// Before no longer holds; when none is found (the zone changed back, or the
// read failed) the first edit of the message is named.
func (p *Provider) conflict(ctx context.Context, zone string, edits []providers.Edit, rcode int) error {
	if sets, err := p.readRRsets(ctx, zone); err == nil {
		var ce *providers.ConflictError
		if errors.As(providers.CheckPreconditions(zone, providers.Index(sets), edits), &ce) {
			ce.Detail = rcodeName(rcode) + ": " + ce.Detail
			return ce
		}
	}
	return &providers.ConflictError{Zone: zone, Key: edits[0].Key(), Detail: rcodeName(rcode) + ": a prerequisite failed"}
}
