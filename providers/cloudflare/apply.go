package cloudflare

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/cloudflare/cloudflare-go/v6/option"

	"github.com/topo-dns/topo/providers"
)

// ApplyEdits implements providers.EditApplier.
//
// It reads the zone (the paginated list), checks every edit's Before
// against that read, turns the edits into record operations (deletes,
// patches and posts of single Cloudflare records, found by id in the read)
// and sends them in batches of at most batch_size operations, in order,
// never splitting an edit. Each batch is one Cloudflare transaction. On a
// failed batch it returns the number of edits the earlier batches held,
// which are applied; nothing of the failed batch or later ones is.
//
// When opts.Current is the zone as the caller has just read it through
// this provider (GetRecords), that read is the one the edits are checked
// against, and its listing gives the record ids: there is no list request.
// A record another client deleted since makes its batch fail whole.
//
// Requests: one zone lookup the first time a zone is used (none with
// zone_id), ceil(records/5000) list requests (none with opts.Current as
// above), and Chunks(edits) batches.
func (p *Provider) ApplyEdits(ctx context.Context, zone string, edits []providers.Edit, opts providers.ApplyOptions) (int, error) {
	if len(edits) == 0 {
		return 0, ctx.Err()
	}
	if err := p.checkProxied(zone, edits); err != nil {
		return 0, err
	}
	id, name, recs, err := p.readAgain(ctx, zone, opts.Current)
	if err != nil {
		return 0, err
	}
	if err := providers.CheckPreconditions(name, rrsets(name, recs), edits); err != nil {
		return 0, err
	}
	chunks, err := p.plan(name, index(recs), edits)
	if err != nil {
		return 0, err
	}
	return p.write(ctx, id, name, chunks, len(edits), opts.Progress)
}

// Chunks implements providers.Chunker: the number of batch requests
// ApplyEdits makes for edits, supposing the zone holds what their Before
// say.
func (p *Provider) Chunks(zone string, edits []providers.Edit) int {
	name := providers.CanonicalName(zone)
	idx := map[providers.Key][]record{}
	for _, e := range edits {
		if e.Before == nil {
			continue
		}
		for _, v := range e.Before.Values {
			idx[e.Key()] = append(idx[e.Key()], record{key: e.Key(), value: v, ttl: e.Before.TTL})
		}
	}
	chunks, err := p.plan(name, idx, edits)
	if err != nil {
		// ApplyEdits will refuse these edits before any request.
		return 0
	}
	return requests(chunks)
}

// checkProxied refuses, before anything is read or written, RRsets that
// would never stop changing: Cloudflare serves proxied records with its
// automatic TTL, so with proxied = true a proxiable RRset must ask for it.
func (p *Provider) checkProxied(zone string, edits []providers.Edit) error {
	if !p.proxied {
		return nil
	}
	for _, e := range edits {
		if e.After != nil && proxiable(e.After.Type) && e.After.TTL != AutoTTL {
			return fmt.Errorf("zone %q: %s has TTL %d, but this provider sets proxied = true and Cloudflare always serves proxied records with its automatic TTL (%d s): set the zone's ttl to %d or proxied = false",
				providers.CanonicalName(zone), e.Key(), e.After.TTL, AutoTTL, AutoTTL)
		}
	}
	return nil
}

// chunk is a run of consecutive edits sent as one batch request.
type chunk struct {
	edits int
	body  batchBody
}

// requests counts the chunks that need a request: edits already true in
// the zone need none.
func requests(chunks []chunk) int {
	n := 0
	for _, c := range chunks {
		if c.body.ops() > 0 {
			n++
		}
	}
	return n
}

func index(recs []record) map[providers.Key][]record {
	idx := make(map[providers.Key][]record)
	for _, r := range recs {
		idx[r.key] = append(idx[r.key], r)
	}
	return idx
}

// plan packs the edits' operations into chunks of at most batchSize
// operations, in order, an edit never split between two chunks.
func (p *Provider) plan(zone string, idx map[providers.Key][]record, edits []providers.Edit) ([]chunk, error) {
	var chunks []chunk
	var cur chunk
	for _, e := range edits {
		ops, err := p.ops(e, idx[e.Key()])
		if err != nil {
			return nil, fmt.Errorf("zone %q: %w", zone, err)
		}
		n := ops.ops()
		if n > p.batchSize {
			return nil, fmt.Errorf("zone %q: %s needs %d record operations, more than batch_size (%d) allows in the one batch that would keep it atomic", zone, e.Key(), n, p.batchSize)
		}
		if cur.body.ops()+n > p.batchSize {
			chunks = append(chunks, cur)
			cur = chunk{}
		}
		cur.edits++
		cur.body.Deletes = append(cur.body.Deletes, ops.Deletes...)
		cur.body.Patches = append(cur.body.Patches, ops.Patches...)
		cur.body.Posts = append(cur.body.Posts, ops.Posts...)
	}
	if cur.edits > 0 {
		chunks = append(chunks, cur)
	}
	return chunks, nil
}

// ops returns the record operations that make the records cur of one
// (name, type) hold e.After. Records holding a wanted value stay (a patch
// fixes their TTL if needed; a proxied one whose TTL is not the automatic
// one is refused, as it would never change); a record whose value goes is
// patched to hold a new value rather than deleted while one is left to
// add, which keeps batches small; what remains is deleted or posted.
func (p *Provider) ops(e providers.Edit, cur []record) (batchBody, error) {
	var b batchBody
	if e.After == nil {
		for _, r := range cur {
			b.Deletes = append(b.Deletes, wireID{ID: r.id})
		}
		return b, nil
	}
	after := e.After.Clone()
	after.Normalize()
	want := make(map[string]bool, len(after.Values))
	for _, v := range after.Values {
		want[v] = true
	}
	kept := map[string]bool{}
	var gone []record
	for _, r := range cur {
		if !want[r.value] || kept[r.value] {
			gone = append(gone, r)
			continue
		}
		kept[r.value] = true
		if r.ttl != after.TTL && r.proxied {
			// Cloudflare would take the patch and go on serving the
			// automatic TTL: the RRset would never converge.
			return batchBody{}, fmt.Errorf("%s: the record %q is proxied in Cloudflare, which serves proxied records with its automatic TTL (%d s) whatever is asked, not %d: set the zone's ttl to %d, or stop proxying the record", e.Key(), r.value, AutoTTL, after.TTL, AutoTTL)
		}
		if r.ttl != after.TTL {
			b.Patches = append(b.Patches, wireRecord{ID: r.id, Name: after.Name, Type: after.Type, TTL: after.TTL})
		}
	}
	for _, v := range after.Values {
		if kept[v] {
			continue
		}
		w, err := p.toAPI(after.Name, after.Type, after.TTL, v)
		if err != nil {
			return batchBody{}, err
		}
		if len(gone) > 0 {
			w.ID = gone[0].id
			gone = gone[1:]
			b.Patches = append(b.Patches, w)
		} else {
			b.Posts = append(b.Posts, w)
		}
	}
	for _, r := range gone {
		b.Deletes = append(b.Deletes, wireID{ID: r.id})
	}
	return b, nil
}

// write sends the chunks in order and returns how many edits they applied.
func (p *Provider) write(ctx context.Context, id, zone string, chunks []chunk, edits int, progress func(done, total int)) (int, error) {
	total := requests(chunks)
	applied, done := 0, 0
	for _, c := range chunks {
		if c.body.ops() > 0 {
			if err := ctx.Err(); err != nil {
				return applied, fmt.Errorf("zone %q: stopped before batch %d of %d; %d of %d edits were applied: %w", zone, done+1, total, applied, edits, err)
			}
			if err := p.batch(ctx, id, zone, c.body); err != nil {
				return applied, fmt.Errorf("zone %q: batch %d of %d failed, nothing of it was applied; %d of %d edits were applied before it: %w", zone, done+1, total, applied, edits, err)
			}
			done++
		}
		applied += c.edits
		if c.body.ops() > 0 && progress != nil {
			progress(done, total)
		}
	}
	return applied, nil
}

// batch sends one batch request: one Cloudflare transaction.
func (p *Provider) batch(ctx context.Context, id, zone string, body batchBody) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	var params dns.RecordBatchParams
	params.ZoneID.Value, params.ZoneID.Present = id, true
	// topo needs nothing of the answer but its verdict; decoding the
	// records it echoes into cloudflare-go's types would cost most of an
	// apply's time.
	var ack struct {
		Success bool `json:"success"`
	}
	_, err = p.records.Batch(ctx, params, option.WithRequestBody("application/json", raw), option.WithResponseBodyInto(&ack))
	if err == nil && !ack.Success {
		err = fmt.Errorf("batch answered without success")
	}
	if err != nil {
		err = apiError(err)
		if isNotFound(err) {
			p.forget(zone)
			return fmt.Errorf("%w: %w", providers.ErrZoneNotFound, err)
		}
		return err
	}
	return nil
}
