package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/builtin"
	"github.com/topo-dns/topo/providers/memory"
	"github.com/topo-dns/topo/publish"
)

// signalReader is stdin that says when the prompt first reads from it.
type signalReader struct {
	r       io.Reader
	reading chan struct{}
	once    bool
}

func (s *signalReader) Read(p []byte) (int, error) {
	if !s.once {
		s.once = true
		close(s.reading)
	}
	return s.r.Read(p)
}

// TestCLIPromptCancelled: Ctrl-C while the prompt waits for an answer on a
// pipe that never gives one ends the publish at once, changing nothing.
func TestCLIPromptCancelled(t *testing.T) {
	file := contoso(t)
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pw.Close()
	defer pr.Close()
	in := &signalReader{r: pr, reading: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-in.reading
		cancel() // Ctrl-C, as signal.NotifyContext turns it into
	}()
	done := make(chan ran, 1)
	go func() { done <- topo(t, cliOpts{inTTY: true, in: in, ctx: ctx}, "publish", file) }()
	var r ran
	select {
	case r = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("publish still waits for an answer after Ctrl-C")
	}
	r.wantCode(t, exitError)
	if !strings.HasSuffix(r.stderr, "Apply these changes? Only 'yes' is accepted: \nError: publish cancelled; nothing was changed\n") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(file), "zones")); !os.IsNotExist(err) {
		t.Errorf("a cancelled publish wrote zones: %v", err)
	}
}

// TestCLIPromptAnswers: what the prompt accepts, on a pipe.
func TestCLIPromptAnswers(t *testing.T) {
	for _, tc := range []struct {
		name, stdin string
		code        int
	}{
		{"yes", "yes\n", exitOK},
		{"yes with spaces", "  yes \n", exitOK},
		{"y", "y\n", exitError},
		{"YES", "YES\n", exitError},
		{"end of input", "", exitError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := contoso(t)
			pr, pw, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer pr.Close()
			go func() {
				io.WriteString(pw, tc.stdin)
				pw.Close()
			}()
			r := topo(t, cliOpts{inTTY: true, in: pr}, "publish", file).wantCode(t, tc.code)
			if tc.code != exitOK && !strings.Contains(r.stderr, "publish cancelled; nothing was changed") {
				t.Errorf("stderr:\n%s", r.stderr)
			}
		})
	}
}

// fakeClock returns a clock that moves step forward at each reading.
func fakeClock(step time.Duration) func() time.Time {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	return func() time.Time {
		t := now
		now = now.Add(step)
		return t
	}
}

func TestProgress(t *testing.T) {
	zone := func(name string, changes int) publish.ZonePlan {
		return publish.ZonePlan{Zone: name, View: "internal", Changes: make([]publish.Change, changes)}
	}
	a, b := zone("a.test", 27), zone("b.test", 1)
	// calls drive one publish: b in one step, a in three chunks.
	calls := func(p *Progress) {
		p.Zone(b, 0, 1)
		p.Zone(b, 1, 1)
		p.Zone(a, 0, 3)
		p.Zone(a, 1, 3)
		p.Zone(a, 2, 3)
		p.Zone(a, 3, 3)
	}
	tests := []struct {
		name      string
		tty, ansi bool
		step      time.Duration
		want      string
	}{
		{"a CI log: one line each, no carriage return", false, true, 1500 * time.Millisecond,
			"zone b.test (internal): applied 1 change in 1.5s\n" +
				"zone a.test (internal): chunk 1/3, 1.5s\n" +
				"zone a.test (internal): chunk 2/3, 3s\n" +
				"zone a.test (internal): applied 27 changes in 4.5s (3 chunks)\n"},
		{"a terminal: chunks rewritten in place", true, true, 1500 * time.Millisecond,
			"zone b.test (internal): applied 1 change in 1.5s\n" +
				"zone a.test (internal): chunk 1/3, 1.5s" +
				"\r\x1b[Kzone a.test (internal): chunk 2/3, 3s" +
				"\r\x1b[Kzone a.test (internal): applied 27 changes in 4.5s (3 chunks)\n"},
		{"a console without ANSI: padded over", true, false, 45 * time.Second,
			"zone b.test (internal): applied 1 change in 45s\n" +
				"zone a.test (internal): chunk 1/3, 45s" +
				"\rzone a.test (internal): chunk 2/3, 1m30s" +
				"\rzone a.test (internal): applied 27 changes in 2m15s (3 chunks)\n"},
		{"a console without ANSI: a shorter line padded", true, false, 999 * time.Millisecond,
			"zone b.test (internal): applied 1 change in 999ms\n" +
				"zone a.test (internal): chunk 1/3, 999ms" +
				"\rzone a.test (internal): chunk 2/3, 2s   " +
				"\rzone a.test (internal): applied 27 changes in 3s (3 chunks)\n"},
		{"milliseconds", false, true, 34 * time.Millisecond,
			"zone b.test (internal): applied 1 change in 34ms\n" +
				"zone a.test (internal): chunk 1/3, 34ms\n" +
				"zone a.test (internal): chunk 2/3, 68ms\n" +
				"zone a.test (internal): applied 27 changes in 102ms (3 chunks)\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			s := &IO{Err: &out, ErrTTY: tc.tty, NoANSI: !tc.ansi, Now: fakeClock(tc.step)}
			calls(s.Progress())
			if diff := cmp.Diff(tc.want, out.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	t.Run("End closes a chunk line a failure left open", func(t *testing.T) {
		var out bytes.Buffer
		p := (&IO{Err: &out, ErrTTY: true, Now: fakeClock(time.Second)}).Progress()
		p.Zone(a, 0, 3)
		p.Zone(a, 1, 3)
		p.End()
		p.End()
		if want := "zone a.test (internal): chunk 1/3, 1s\n"; out.String() != want {
			t.Errorf("got %q, want %q", out.String(), want)
		}
	})
}

// chunked is a provider that applies a zone's edits size at a time, one
// request per chunk, as PowerDNS or Cloudflare do.
type chunked struct {
	*memory.Provider
	size int
}

var (
	_ providers.EditApplier = (*chunked)(nil)
	_ providers.Chunker     = (*chunked)(nil)
)

func (c *chunked) Chunks(_ string, edits []providers.Edit) int {
	return (len(edits) + c.size - 1) / c.size
}

func (c *chunked) ApplyEdits(ctx context.Context, zone string, edits []providers.Edit, opts providers.ApplyOptions) (int, error) {
	n := c.Chunks(zone, edits)
	for i := range n {
		part := edits[i*c.size : min((i+1)*c.size, len(edits))]
		if _, err := c.Provider.ApplyEdits(ctx, zone, part, providers.ApplyOptions{}); err != nil {
			return i * c.size, err
		}
		if opts.Progress != nil {
			opts.Progress(i+1, n)
		}
	}
	return len(edits), nil
}

// TestCLIPublishProgress: a publish prints each zone with its time on
// stderr, zone files included, and each chunk of a chunked zone; with
// stderr not a terminal, one line each.
func TestCLIPublishProgress(t *testing.T) {
	file := contoso(t)
	edit(t, file, "zone \"contoso.com\" {\n  view = \"internal\"\n  ttl  = 300\n}",
		"provider \"chunked\" \"corp\" {\n}\n\nzone \"contoso.com\" {\n  view     = \"internal\"\n  ttl      = 300\n  provider = \"chunked.corp\"\n}")
	reg := builtin.Registry()
	prov := &chunked{Provider: &memory.Provider{}, size: 10}
	reg["chunked"] = providers.Kind{Open: func(hcl.Body, *hcl.EvalContext, providers.OpenEnv) (providers.Provider, hcl.Diagnostics) {
		return prov, nil
	}}
	r := topo(t, cliOpts{registry: reg, now: fakeClock(1200 * time.Millisecond)}, "publish", "--auto-approve", file).wantCode(t, exitOK)
	var progress []string
	for _, l := range strings.Split(r.stderr, "\n") {
		if strings.HasPrefix(l, "zone ") {
			progress = append(progress, l)
		}
	}
	want := []string{
		"zone contoso.com (external): applied 6 changes in 1.2s",
		"zone contoso.com (internal): chunk 1/5, 1.2s",
		"zone contoso.com (internal): chunk 2/5, 2.4s",
		"zone contoso.com (internal): chunk 3/5, 3.6s",
		"zone contoso.com (internal): chunk 4/5, 4.8s",
		"zone contoso.com (internal): applied 46 changes in 6s (5 chunks)",
	}
	if diff := cmp.Diff(want, progress); diff != "" {
		t.Errorf("progress (-want +got):\n%s\nstderr:\n%s", diff, r.stderr)
	}
	if strings.Contains(r.stderr, "\r") {
		t.Errorf("a carriage return in a log:\n%q", r.stderr)
	}

	t.Run("the real clock, zone files only", func(t *testing.T) {
		r := topo(t, cliOpts{}, "publish", "--auto-approve", contoso(t)).wantCode(t, exitOK)
		line := regexp.MustCompile(`(?m)^zone contoso\.com \((internal|external)\): applied (46|6) changes in [0-9.]+(ms|s|µs)$`)
		if n := len(line.FindAllString(r.stderr, -1)); n != 2 {
			t.Errorf("%d progress lines, want one per zone:\n%s", n, r.stderr)
		}
	})
	t.Run("-o json keeps stdout JSON", func(t *testing.T) {
		r := topo(t, cliOpts{}, "publish", "-o", "json", "--auto-approve", contoso(t)).wantCode(t, exitOK)
		if strings.Contains(r.stdout, "zone contoso.com") || !strings.Contains(r.stderr, "applied 46 changes") {
			t.Errorf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		}
	})
}
