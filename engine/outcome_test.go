package engine_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/memory"
	"github.com/topo-dns/topo/topology"
)

// faulty is a memory provider whose apply and reads misbehave as a test
// says: apply replaces ApplyEdits (it may call the memory provider's),
// readErr fails GetRecords once armed, block makes it wait for its
// context.
type faulty struct {
	*memory.Provider
	apply   func(ctx context.Context, zone string, edits []providers.Edit, opts providers.ApplyOptions) (int, error)
	armed   bool
	readErr error
	block   bool
	reads   int
}

func (f *faulty) ApplyEdits(ctx context.Context, zone string, edits []providers.Edit, opts providers.ApplyOptions) (int, error) {
	f.armed = true
	return f.apply(ctx, zone, edits, opts)
}

func (f *faulty) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	if f.armed {
		f.reads++
		if f.block {
			<-ctx.Done()
			return nil, ctx.Err()
		}
		if f.readErr != nil {
			return nil, f.readErr
		}
	}
	return f.Provider.GetRecords(ctx, zone)
}

// faultyReader is faulty that reads single RRsets too.
type faultyReader struct {
	*faulty
	keys int
}

func (f *faultyReader) ReadRRsets(ctx context.Context, zone string, keys []providers.Key) ([]providers.RRset, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.keys += len(keys)
	idx := providers.Index(f.RRsets(zone))
	var out []providers.RRset
	for _, k := range keys {
		if s, ok := idx[k]; ok {
			out = append(out, s)
		}
	}
	return out, nil
}

// applyPart applies edits[:n] to m, as a server that acted on them.
func applyPart(t *testing.T, m *memory.Provider, zone string, edits []providers.Edit, n int) {
	t.Helper()
	if _, err := m.ApplyEdits(context.Background(), zone, edits[:n], providers.ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestPublishFailureIsReadAgain: whatever a provider's failed apply
// returns, Publish reads the zone again and reports each change as the
// zone holds it, falling back to the provider's word only when the read
// fails too; a fresh publish converges.
func TestPublishFailureIsReadAgain(t *testing.T) {
	lost := errors.New("read answer from 127.0.0.1:53: i/o timeout")
	type want struct {
		applied, notApplied, unknown int
		evidence                     []engine.Evidence // per change, in plan order
		readError                    string            // a substring; empty: the read worked
		message                      []string
	}
	for _, tc := range []struct {
		name string
		// apply is the provider's apply; cancel cancels the publish's context.
		apply  func(t *testing.T, m *memory.Provider, cancel func()) func(context.Context, string, []providers.Edit, providers.ApplyOptions) (int, error)
		reader bool // the provider reads single RRsets
		fault  func(f *faulty)
		want   want
		// reread is the RereadTimeout; default 5s.
		reread time.Duration
		// tidy runs before publishing again, as an operator would.
		tidy func(t *testing.T, m *memory.Provider)
	}{
		{
			name: "the answer was lost after the server applied everything",
			apply: func(t *testing.T, m *memory.Provider, _ func()) func(context.Context, string, []providers.Edit, providers.ApplyOptions) (int, error) {
				return func(_ context.Context, zone string, edits []providers.Edit, _ providers.ApplyOptions) (int, error) {
					applyPart(t, m, zone, edits, len(edits))
					return 0, &providers.InDoubtError{From: 0, To: len(edits), Err: lost}
				}
			},
			want: want{applied: 8, evidence: repeat(engine.HoldsAfter, 8), message: []string{"a.test (both): 8 of 8 changes applied (FAILED; as the zone holds them, read again)"}},
		},
		{
			name:   "the same, read back RRset by RRset",
			reader: true,
			apply: func(t *testing.T, m *memory.Provider, _ func()) func(context.Context, string, []providers.Edit, providers.ApplyOptions) (int, error) {
				return func(_ context.Context, zone string, edits []providers.Edit, _ providers.ApplyOptions) (int, error) {
					applyPart(t, m, zone, edits, len(edits))
					return 0, &providers.InDoubtError{From: 0, To: len(edits), Err: lost}
				}
			},
			want: want{applied: 8, evidence: repeat(engine.HoldsAfter, 8)},
		},
		{
			name: "interrupted while a request was in flight",
			apply: func(t *testing.T, m *memory.Provider, cancel func()) func(context.Context, string, []providers.Edit, providers.ApplyOptions) (int, error) {
				return func(ctx context.Context, zone string, edits []providers.Edit, _ providers.ApplyOptions) (int, error) {
					applyPart(t, m, zone, edits, 6) // two requests of 3 landed
					cancel()
					return 3, &providers.InDoubtError{From: 3, To: 6, Err: ctx.Err()}
				}
			},
			want: want{applied: 6, notApplied: 2, evidence: append(repeat(engine.HoldsAfter, 6), engine.HoldsBefore, engine.HoldsBefore),
				message: []string{"6 of 8 changes applied, 2 not applied"}},
		},
		{
			name: "the request in doubt did not land",
			apply: func(t *testing.T, m *memory.Provider, _ func()) func(context.Context, string, []providers.Edit, providers.ApplyOptions) (int, error) {
				return func(_ context.Context, zone string, edits []providers.Edit, _ providers.ApplyOptions) (int, error) {
					applyPart(t, m, zone, edits, 4)
					return 4, &providers.InDoubtError{From: 4, To: 8, Err: lost}
				}
			},
			want: want{applied: 4, notApplied: 4, evidence: append(repeat(engine.HoldsAfter, 4), repeat(engine.HoldsBefore, 4)...)},
		},
		{
			name: "the server applies the request a while after its answer timed out",
			apply: func(t *testing.T, m *memory.Provider, _ func()) func(context.Context, string, []providers.Edit, providers.ApplyOptions) (int, error) {
				return func(_ context.Context, zone string, edits []providers.Edit, _ providers.ApplyOptions) (int, error) {
					edits = slices.Clone(edits)
					time.AfterFunc(300*time.Millisecond, func() { _, _ = m.ApplyEdits(context.Background(), zone, edits, providers.ApplyOptions{}) })
					return 0, &providers.InDoubtError{From: 0, To: 8, Err: lost}
				}
			},
			want: want{applied: 8, evidence: repeat(engine.HoldsAfter, 8)},
		},
		{
			name: "a request reads partly applied: unknown",
			apply: func(t *testing.T, m *memory.Provider, _ func()) func(context.Context, string, []providers.Edit, providers.ApplyOptions) (int, error) {
				return func(_ context.Context, zone string, edits []providers.Edit, _ providers.ApplyOptions) (int, error) {
					applyPart(t, m, zone, edits, 5)
					return 2, &providers.InDoubtError{From: 2, To: 8, Err: lost}
				}
			},
			want: want{applied: 2, unknown: 6, evidence: append(repeat(engine.HoldsAfter, 5), repeat(engine.HoldsBefore, 3)...),
				message: []string{"unknown a.test (both): fe2.a.test A: its request read partly applied and partly not, though the server applies one whole: it was still being applied when read; now [10.0.0.12] ttl 300"}},
		},
		{
			name: "the zone cannot be read again: the provider's word",
			apply: func(t *testing.T, m *memory.Provider, _ func()) func(context.Context, string, []providers.Edit, providers.ApplyOptions) (int, error) {
				return func(_ context.Context, zone string, edits []providers.Edit, _ providers.ApplyOptions) (int, error) {
					applyPart(t, m, zone, edits, 5)
					return 3, &providers.InDoubtError{From: 3, To: 5, Err: lost}
				}
			},
			fault: func(f *faulty) { f.readErr = errors.New("connection refused") },
			want: want{applied: 3, notApplied: 3, unknown: 2, evidence: repeat(engine.ProviderWord, 8), readError: "connection refused",
				message: []string{
					"3 of 8 changes applied, 3 not applied, 2 unknown (FAILED; as the provider tells it: read zone a.test (both) from memory.a again: connection refused)",
					"unknown a.test (both): _topo.fe2.a.test TXT: sent without an answer, and the zone could not be read again to tell; before (none), sent [heritage=topo,topology=t] ttl 300",
				}},
		},
		{
			name: "the read again is bounded in time",
			apply: func(t *testing.T, m *memory.Provider, _ func()) func(context.Context, string, []providers.Edit, providers.ApplyOptions) (int, error) {
				return func(_ context.Context, zone string, edits []providers.Edit, _ providers.ApplyOptions) (int, error) {
					return 0, &providers.InDoubtError{From: 0, To: 8, Err: lost}
				}
			},
			fault:  func(f *faulty) { f.block = true },
			reread: 200 * time.Millisecond,
			want:   want{unknown: 8, evidence: repeat(engine.ProviderWord, 8), readError: "context deadline exceeded"},
		},
		{
			name: "somebody else changed an RRset in doubt",
			apply: func(t *testing.T, m *memory.Provider, _ func()) func(context.Context, string, []providers.Edit, providers.ApplyOptions) (int, error) {
				return func(ctx context.Context, zone string, edits []providers.Edit, _ providers.ApplyOptions) (int, error) {
					applyPart(t, m, zone, edits, 8)
					other := rs("fe1.a.test", "A", 60, "192.0.2.7")
					if _, err := m.SetRecords(ctx, zone, mustRecords(t, "a.test", other)); err != nil {
						t.Fatal(err)
					}
					return 0, &providers.InDoubtError{From: 0, To: 8, Err: lost}
				}
			},
			want: want{applied: 7, unknown: 1, evidence: append([]engine.Evidence{engine.HoldsOther}, repeat(engine.HoldsAfter, 7)...),
				message: []string{"unknown a.test (both): fe1.a.test A: sent without an answer, and the RRset holds neither what it held when planned nor what the change writes: somebody else changed it; now [192.0.2.7] ttl 60; before (none), sent [10.0.0.11] ttl 300"}},
		},
		{
			name: "refused whole, and somebody else's change is why",
			apply: func(t *testing.T, m *memory.Provider, _ func()) func(context.Context, string, []providers.Edit, providers.ApplyOptions) (int, error) {
				return func(ctx context.Context, zone string, edits []providers.Edit, _ providers.ApplyOptions) (int, error) {
					other := rs("fe1.a.test", "A", 60, "192.0.2.7")
					if _, err := m.SetRecords(ctx, zone, mustRecords(t, "a.test", other)); err != nil {
						t.Fatal(err)
					}
					return 0, &providers.ConflictError{Zone: zone, Key: edits[0].Key(), Detail: "YXRRSET"}
				}
			},
			want: want{notApplied: 8, evidence: append([]engine.Evidence{engine.HoldsOther}, repeat(engine.HoldsBefore, 7)...)},
			tidy: func(t *testing.T, m *memory.Provider) {
				if _, err := m.DeleteRecords(context.Background(), "a.test.", mustRecords(t, "a.test", rs("fe1.a.test", "A", 60, "192.0.2.7"))); err != nil {
					t.Fatal(err)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			m := &memory.Provider{}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			f := &faulty{Provider: m, apply: tc.apply(t, m, cancel)}
			if tc.fault != nil {
				tc.fault(f)
			}
			var reader *faultyReader
			e.provs["memory.a"] = f
			if tc.reader {
				reader = &faultyReader{faulty: f}
				e.provs["memory.a"] = reader
			}
			d := &topology.Desired{Topology: "t", Zones: []*topology.ZoneRecords{poolZone("a.test", "memory.a", 3)}}
			l, p := e.plan(d)
			if tc.reread == 0 {
				tc.reread = 5 * time.Second
			}
			start := time.Now()
			res, err := l.Publish(ctx, p, engine.PublishOptions{RereadTimeout: tc.reread})
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("publish took %s to fail", d)
			}
			var ae *engine.ApplyError
			if !errors.As(err, &ae) {
				t.Fatalf("want an *engine.ApplyError, got %v", err)
			}
			z := res.Zones[0]
			if got := [3]int{z.Applied, z.NotApplied, z.Unknown}; got != [3]int{tc.want.applied, tc.want.notApplied, tc.want.unknown} {
				t.Errorf("applied, not applied, unknown = %v, want %v", got, [3]int{tc.want.applied, tc.want.notApplied, tc.want.unknown})
			}
			var evidence []engine.Evidence
			for i, c := range z.Changes {
				evidence = append(evidence, c.Evidence)
				if ch := p.Zones[0].Changes[i]; c.Name != ch.Name || c.Type != ch.Type {
					t.Errorf("outcome %d is of %s %s, the change of %s %s", i, c.Name, c.Type, ch.Name, ch.Type)
				}
			}
			if diff := cmp.Diff(tc.want.evidence, evidence); diff != "" {
				t.Errorf("evidence (-want +got):\n%s", diff)
			}
			if (tc.want.readError == "") != (z.ReadError == "") || !strings.Contains(z.ReadError, tc.want.readError) {
				t.Errorf("read error %q, want one saying %q", z.ReadError, tc.want.readError)
			}
			if reader != nil && (reader.keys != 8 || f.reads != 0) {
				t.Errorf("read again %d RRsets one by one and %d zones whole, want the 8 changed RRsets only", reader.keys, f.reads)
			}
			for _, s := range tc.want.message {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("the error does not say %q:\n%v", s, err)
				}
			}
			// Every claim is what the zone holds.
			if z.ReadError == "" {
				idx := providers.Index(m.RRsets("a.test"))
				for i, c := range z.Changes {
					ch := p.Zones[0].Changes[i]
					have, ok := idx[ch.Key()]
					landed := (ch.After == nil && !ok) || (ch.After != nil && ok && have.Equal(*ch.After))
					if c.Outcome != engine.Unknown && landed != (c.Outcome == engine.Applied) {
						t.Errorf("%s %s reported %s, but the zone holds %v", c.Name, c.Type, c.Outcome, have)
					}
				}
			}
			// Publishing again converges.
			f.apply = m.ApplyEdits
			f.armed, f.readErr, f.block = false, nil, false
			if tc.tidy != nil {
				tc.tidy(t, m)
			}
			l, again := e.plan(d)
			if _, err := l.Publish(context.Background(), again, engine.PublishOptions{AllowMassChange: true}); err != nil {
				t.Fatalf("publish again: %v", err)
			}
			if _, last := e.plan(d); last.HasChanges() {
				t.Fatalf("not converged: %+v", last.Counts())
			}
		})
	}
}

func repeat(e engine.Evidence, n int) []engine.Evidence {
	out := make([]engine.Evidence, n)
	for i := range out {
		out[i] = e
	}
	return out
}

// A zone after the failed one is not attempted: all its changes are not
// applied, by the provider's word, and it is not read again.
func TestPublishFailureLeavesLaterZonesUntouched(t *testing.T) {
	e := newEnv(t)
	e.mem("memory.a").FailApply = func(string, []providers.Edit) error { return errors.New("injected") }
	l, p := e.plan(twoZones())
	res, err := l.Publish(context.Background(), p, engine.PublishOptions{})
	if err == nil {
		t.Fatal("publish succeeded")
	}
	if diff := cmp.Diff(engine.ZoneResult{Zone: "b.test", View: "both", NotApplied: 8, Total: 8}, res.Zones[1]); diff != "" {
		t.Errorf("the zone after the failed one (-want +got):\n%s", diff)
	}
	if !strings.Contains(err.Error(), "b.test (both): 0 of 8 changes applied (not attempted)") {
		t.Errorf("error: %v", err)
	}
	if res.Applied() != 0 || res.NotApplied() != 16 || res.Unknown() != 0 {
		t.Errorf("totals %d %d %d", res.Applied(), res.NotApplied(), res.Unknown())
	}
}
