package providers

import (
	"context"
	"fmt"

	"github.com/libdns/libdns"
)

// ApplyEdits applies edits to zone through p: with p's own ApplyEdits when
// p is an [EditApplier]. Otherwise it uses the libdns calls alone: it checks
// every edit's precondition on opts.Current (on a fresh GetRecords when
// Current is nil), then writes the edits in order, SetRecords for an RRset
// that is written and DeleteRecords of Before's records for one that goes,
// calling opts.Progress after each. Such a provider applies nothing
// atomically: on failure ApplyEdits returns how many edits were applied.
func ApplyEdits(ctx context.Context, p Provider, zone string, edits []Edit, opts ApplyOptions) (int, error) {
	zf := ZoneFQDN(zone)
	if a, ok := p.(EditApplier); ok {
		return a.ApplyEdits(ctx, zf, edits, opts)
	}
	name := CanonicalName(zone)
	current := opts.Current
	if current == nil {
		recs, err := p.GetRecords(ctx, zf)
		if err != nil {
			return 0, fmt.Errorf("read zone %q: %w", name, err)
		}
		current = GroupRecords(name, recs)
	}
	if err := CheckPreconditions(name, Index(current), edits); err != nil {
		return 0, err
	}
	for i, e := range edits {
		if err := ctx.Err(); err != nil {
			return i, err
		}
		if err := writeEdit(ctx, p, zf, e); err != nil {
			return i, fmt.Errorf("zone %q: edit %d (%s): %w", name, i+1, e.Key(), err)
		}
		if opts.Progress != nil {
			opts.Progress(i+1, len(edits))
		}
	}
	return len(edits), nil
}

// writeEdit writes one edit with SetRecords, or DeleteRecords when the
// RRset goes.
func writeEdit(ctx context.Context, p Provider, zone string, e Edit) error {
	var err error
	var recs []libdns.Record
	switch {
	case e.After != nil:
		if recs, err = e.After.Records(zone); err == nil {
			_, err = p.SetRecords(ctx, zone, recs)
		}
	case e.Before != nil:
		if recs, err = e.Before.Records(zone); err == nil {
			_, err = p.DeleteRecords(ctx, zone, recs)
		}
	default:
		err = fmt.Errorf("edit has neither a before nor an after RRset")
	}
	return err
}
