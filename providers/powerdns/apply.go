package powerdns

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/httpretry"
)

// ApplyEdits implements providers.EditApplier with one GET and one PATCH
// per chunk, nothing else: the GET reads the zone to check every edit's
// Before (in order, each edit seeing the ones before it), then the chunks
// are sent in order, each applied by PowerDNS in one transaction. When
// opts.Current holds the zone as the caller has just read it, the edits
// are checked against it and there is no GET.
//
// PowerDNS has no conditional PATCH: a change made by another client after
// the read and before a PATCH is overwritten, not reported. When a chunk
// fails, the edits of the chunks before it stay applied; ApplyEdits returns
// their count with an error saying which chunk failed. A PATCH whose answer
// is lost (a timeout, a dropped connection, a cancellation while it was in
// flight, a gateway's 502 or 504) leaves its chunk in doubt: the error
// wraps a *providers.InDoubtError.
func (p *Provider) ApplyEdits(ctx context.Context, zone string, edits []providers.Edit, opts providers.ApplyOptions) (int, error) {
	if len(edits) == 0 {
		return 0, nil
	}
	chunks, err := p.chunk(zone, edits)
	if err != nil {
		return 0, fmt.Errorf("apply edits to zone %q: %w", providers.CanonicalName(zone), err)
	}
	current := opts.Current
	if current == nil {
		if current, err = p.readZone(ctx, zone); err != nil {
			return 0, err
		}
	}
	index := providers.Index(current)
	for i := range edits {
		one := edits[i : i+1]
		if err := providers.CheckPreconditions(providers.CanonicalName(zone), index, one); err != nil {
			return 0, err
		}
		providers.ApplyToIndex(index, one)
	}
	return p.send(ctx, zone, chunks, opts)
}

// send PATCHes chunks in order and returns how many edits were applied.
func (p *Provider) send(ctx context.Context, zone string, chunks []chunk, opts providers.ApplyOptions) (int, error) {
	applied := 0
	for i, c := range chunks {
		if err := ctx.Err(); err != nil {
			return applied, p.chunkError(zone, chunks, i, applied, notSent{err})
		}
		resp, err := p.call(ctx, http.MethodPatch, zone, c.body, httpretry.Unsafe)
		if err != nil {
			doubt := inDoubt(err)
			err = p.chunkError(zone, chunks, i, applied, err)
			if doubt {
				return applied, &providers.InDoubtError{From: c.first, To: c.first + c.n, Err: err}
			}
			return applied, err
		}
		resp.Body.Close()
		applied += c.n
		if opts.Progress != nil {
			opts.Progress(i+1, len(chunks))
		}
	}
	return applied, nil
}

// inDoubt reports whether a PATCH that failed with err may have been
// applied: anything but an error answer from PowerDNS itself (which rolls
// the PATCH back first), a connection that could not be opened, or a
// request not sent because the context was done before.
func inDoubt(err error) bool {
	var nd notSent
	return !refused(err) && !httpretry.NotSent(err) && !errors.As(err, &nd)
}

// notSent marks the error of a PATCH never sent: the context was done
// before.
type notSent struct{ error }

func (e notSent) Unwrap() error { return e.error }

// chunkError says which chunk failed and what was applied before it.
func (p *Provider) chunkError(zone string, chunks []chunk, failed, applied int, err error) error {
	z := providers.CanonicalName(zone)
	c := chunks[failed]
	if len(chunks) == 1 {
		if inDoubt(err) {
			return fmt.Errorf("apply %d edits to zone %q: %w (PowerDNS may or may not have applied them)", c.n, z, err)
		}
		return fmt.Errorf("apply %d edits to zone %q: %w", c.n, z, err)
	}
	status := "PowerDNS may or may not have applied it"
	if !inDoubt(err) {
		status = "none of it was applied"
	}
	return fmt.Errorf("apply edits to zone %q: chunk %d of %d (edits %d-%d) failed and %s; %d of %d chunks (%d of %d edits) were applied before it: %w",
		z, failed+1, len(chunks), c.first+1, c.first+c.n, status, failed, len(chunks), applied, chunks[len(chunks)-1].first+chunks[len(chunks)-1].n, err)
}
