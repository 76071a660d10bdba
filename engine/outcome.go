package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
)

// Outcome is what became of one change of a zone whose apply failed.
type Outcome string

// The outcomes of a change.
const (
	// Applied: the RRset holds what the change writes.
	Applied Outcome = "applied"
	// NotApplied: the RRset holds what it held when planned, or the
	// provider says the change was never sent or was refused whole.
	NotApplied Outcome = "not_applied"
	// Unknown: nothing tells, for a change sent without a verdict whose
	// RRset could not be read again or holds neither its Before nor its
	// After (somebody else changed it).
	Unknown Outcome = "unknown"
)

// Evidence is what an outcome rests on.
type Evidence string

// The evidence of an outcome.
const (
	// HoldsAfter: read again, the RRset holds the change's After (for a
	// delete: it is gone).
	HoldsAfter Evidence = "after"
	// HoldsBefore: read again, the RRset holds the change's Before (for a
	// create: it does not exist).
	HoldsBefore Evidence = "before"
	// HoldsOther: read again, the RRset holds neither (Now says what).
	HoldsOther Evidence = "other"
	// ProviderWord: the zone could not be read again; the outcome is the
	// provider's own account (confirmed, in doubt, or never sent).
	ProviderWord Evidence = "provider"
)

// ChangeOutcome is the outcome of one change, with its evidence.
type ChangeOutcome struct {
	// Name and Type are the change's RRset.
	Name string `json:"name"`
	Type string `json:"type"`
	// Outcome is applied, not_applied or unknown.
	Outcome Outcome `json:"outcome"`
	// Evidence is after, before, other or provider.
	Evidence Evidence `json:"evidence"`
	// Now is the RRset as read again, with evidence "other" (absent from
	// the zone when nil).
	Now *providers.RRset `json:"now,omitempty"`
	// Before and After are the change's, for an unknown outcome, so that
	// the report is whole without the plan.
	Before *providers.RRset `json:"before,omitempty"`
	After  *providers.RRset `json:"after,omitempty"`
	// Why explains an unknown outcome, or a not_applied one whose RRset
	// holds something else.
	Why string `json:"why,omitempty"`
}

// DefaultRereadTimeout bounds the read Publish makes of a zone whose
// apply failed, unless PublishOptions.RereadTimeout says otherwise.
const DefaultRereadTimeout = 30 * time.Second

// claim is what the provider says of one change.
type claim int

const (
	claimNotApplied claim = iota // never sent, or refused whole
	claimApplied                 // confirmed
	claimInDoubt                 // sent, no verdict
)

// claims turns what a failed apply returned into a claim per change:
// the first n confirmed, the ones an *InDoubtError names in doubt, the
// rest not applied.
func claims(total, n int, err error) []claim {
	out := make([]claim, total)
	for i := range min(n, total) {
		out[i] = claimApplied
	}
	var d *providers.InDoubtError
	if errors.As(err, &d) {
		for i := max(d.From, n); i < min(d.To, total); i++ {
			out[i] = claimInDoubt
		}
	}
	return out
}

// settleReads and settleDelay bound how often a failed zone is read
// again while a request in doubt reads as not applied, and the first wait
// between reads (doubling): a server may still be applying a request
// whose answer timed out.
const (
	settleReads = 3
	settleDelay = 250 * time.Millisecond
)

// settle works out what a failed apply of t did: it reads the zone (or
// just the changed RRsets) again and sets each change's outcome from what
// it holds now, falling back to the provider's word where the read
// cannot tell. The read runs on a fresh context when ctx is done (an
// interrupt must not keep topo from saying what it did), bounded by
// timeout either way. While changes in doubt read as not applied, it
// reads again a little later (settleReads): a request the server is still
// working on lands in the meantime, or is taken for not applied. A request
// still read as partly applied (the server applies one whole) is unknown.
func (l *Loaded) settle(ctx context.Context, t target, n int, applyErr error, timeout time.Duration, zr *ZoneResult) {
	if timeout <= 0 {
		timeout = DefaultRereadTimeout
	}
	if ctx.Err() != nil {
		ctx = context.WithoutCancel(ctx)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cl := claims(len(t.zp.Changes), n, applyErr)
	var out []ChangeOutcome
	for attempt := 1; ; attempt++ {
		now, err := l.reread(ctx, t)
		if err != nil {
			if out == nil {
				zr.ReadError = fmt.Sprintf("read zone %s from %s again: %v", t.zp.ID(), t.zp.Provider, err)
				out = outcomes(t.zp.Changes, cl, nil)
			}
			break
		}
		out = outcomes(t.zp.Changes, cl, now)
		if !waiting(out, cl) {
			break
		}
		if attempt == settleReads || !sleep(ctx, settleDelay<<(attempt-1)) {
			torn(out, cl, t.zp.Changes)
			break
		}
	}
	zr.Changes = out
	zr.Applied, zr.NotApplied, zr.Unknown = 0, 0, 0
	for _, c := range zr.Changes {
		switch c.Outcome {
		case Applied:
			zr.Applied++
		case NotApplied:
			zr.NotApplied++
		default:
			zr.Unknown++
		}
	}
}

// waiting reports whether a change in doubt reads as not applied yet.
func waiting(out []ChangeOutcome, cl []claim) bool {
	for i, o := range out {
		if cl[i] == claimInDoubt && o.Evidence == HoldsBefore {
			return true
		}
	}
	return false
}

// torn makes the changes in doubt unknown when they read partly applied
// and partly not: they went in one request, which the server applies
// whole, so it was still applying it while they were read.
func torn(out []ChangeOutcome, cl []claim, changes []publish.Change) {
	before, after := false, false
	for i, o := range out {
		if cl[i] == claimInDoubt {
			before = before || o.Evidence == HoldsBefore
			after = after || o.Evidence == HoldsAfter
		}
	}
	if !before || !after {
		return
	}
	for i := range out {
		if cl[i] == claimInDoubt && (out[i].Evidence == HoldsBefore || out[i].Evidence == HoldsAfter) {
			out[i].Outcome, out[i].Before, out[i].After = Unknown, changes[i].Before, changes[i].After
			out[i].Why = "its request read partly applied and partly not, though the server applies one whole: it was still being applied when read"
		}
	}
}

// sleep waits d, or returns false when ctx is done first.
func sleep(ctx context.Context, d time.Duration) bool {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// reread reads the RRsets a zone plan changes: one by one from a provider
// that can (few changes), else the zone whole.
func (l *Loaded) reread(ctx context.Context, t target) (map[providers.Key]providers.RRset, error) {
	if rr, ok := t.prov.(providers.RRsetReader); ok && len(t.zp.Changes) <= maxReadBack {
		keys := make([]providers.Key, len(t.zp.Changes))
		for i, c := range t.zp.Changes {
			keys[i] = c.Key()
		}
		sets, err := rr.ReadRRsets(ctx, providers.ZoneFQDN(t.zp.Zone), keys)
		if err != nil {
			return nil, err
		}
		return providers.Index(sets), nil
	}
	if t.zp.ReadNames != nil {
		setNames(t.prov, t.zp.Zone, t.zp.ReadNames)
	}
	sets, err := ReadZone(ctx, t.prov, t.zp.Zone)
	if err != nil {
		return nil, err
	}
	return providers.Index(sets), nil
}

// outcomes decides each change from the zone as read again (nil when the
// read failed) and the provider's claims.
func outcomes(changes []publish.Change, cl []claim, now map[providers.Key]providers.RRset) []ChangeOutcome {
	out := make([]ChangeOutcome, len(changes))
	for i, c := range changes {
		o := ChangeOutcome{Name: c.Name, Type: c.Type}
		switch {
		case now == nil:
			o.Evidence = ProviderWord
			switch cl[i] {
			case claimApplied:
				o.Outcome = Applied
			case claimNotApplied:
				o.Outcome = NotApplied
			default:
				o.Outcome = Unknown
				o.Why = "sent without an answer, and the zone could not be read again to tell"
			}
		default:
			have, exists := now[c.Key()]
			switch {
			case holds(have, exists, c.After):
				o.Outcome, o.Evidence = Applied, HoldsAfter
			case holds(have, exists, c.Before) && cl[i] == claimApplied:
				o.Outcome, o.Evidence = Unknown, HoldsBefore
				o.Why = "the server confirmed the change, but the RRset holds what it held before it: somebody changed it back since"
			case holds(have, exists, c.Before):
				o.Outcome, o.Evidence = NotApplied, HoldsBefore
			default:
				o.Evidence = HoldsOther
				if exists {
					o.Now = &have
				}
				switch cl[i] {
				case claimNotApplied:
					o.Outcome = NotApplied
					o.Why = "never sent or refused whole, and the RRset holds neither what it held when planned nor what the change writes: somebody else changed it"
				case claimApplied:
					o.Outcome = Unknown
					o.Why = "the server confirmed the change, but the RRset holds something else now: somebody else changed it since"
				default:
					o.Outcome = Unknown
					o.Why = "sent without an answer, and the RRset holds neither what it held when planned nor what the change writes: somebody else changed it"
				}
			}
		}
		if o.Outcome == Unknown {
			o.Before, o.After = c.Before, c.After
		}
		out[i] = o
	}
	return out
}

// holds reports whether an RRset as read (have, when exists) is want (nil:
// no such RRset).
func holds(have providers.RRset, exists bool, want *providers.RRset) bool {
	if want == nil {
		return !exists
	}
	return exists && have.Equal(*want)
}
