package powerdns

import (
	"context"
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
// their count with an error saying which chunk failed.
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
		resp, err := p.call(ctx, http.MethodPatch, zone, c.body, httpretry.Unsafe)
		if err != nil {
			return applied, p.chunkError(zone, chunks, i, applied, err)
		}
		resp.Body.Close()
		applied += c.n
		if opts.Progress != nil {
			opts.Progress(i+1, len(chunks))
		}
	}
	return applied, nil
}

// chunkError says which chunk failed and what was applied before it.
func (p *Provider) chunkError(zone string, chunks []chunk, failed, applied int, err error) error {
	z := providers.CanonicalName(zone)
	c := chunks[failed]
	if len(chunks) == 1 {
		return fmt.Errorf("apply %d edits to zone %q: %w", c.n, z, err)
	}
	status := "PowerDNS may or may not have applied it"
	if refused(err) {
		status = "none of it was applied"
	}
	return fmt.Errorf("apply edits to zone %q: chunk %d of %d (edits %d-%d) failed and %s; %d of %d chunks (%d of %d edits) were applied before it: %w",
		z, failed+1, len(chunks), c.first+1, c.first+c.n, status, failed, len(chunks), applied, chunks[len(chunks)-1].first+chunks[len(chunks)-1].n, err)
}
