package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2"
	"golang.org/x/term"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/builtin"
	"github.com/topo-dns/topo/publish"
)

// IO is everything a command reads from or writes to outside its flags:
// the streams, the environment, and the provider kinds it may use. Tests
// build one with buffers.
type IO struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// InTTY, OutTTY and ErrTTY tell whether stdin, stdout and stderr are
	// terminals.
	InTTY, OutTTY, ErrTTY bool
	// NoANSI is true on a terminal that does not understand ANSI escape
	// sequences (an old Windows console): no colour there.
	NoANSI bool
	// NoColor is --no-color.
	NoColor bool
	// LookupEnv reads the environment.
	LookupEnv func(string) (string, bool)
	// Registry is the provider kinds available.
	Registry providers.Registry
	// Context is cancelled on Ctrl-C / SIGTERM.
	Context context.Context
	// Now is the clock progress is timed by; nil means time.Now.
	Now func() time.Time
}

func (s *IO) getenv(k string) string {
	v, _ := s.LookupEnv(k)
	return v
}

// colorAllowed is the part of the colour decision common to both streams:
// --no-color, NO_COLOR, TERM=dumb and a console without ANSI say no.
func (s *IO) colorAllowed() bool {
	return !s.NoColor && s.getenv("NO_COLOR") == "" && s.getenv("TERM") != "dumb" && !s.NoANSI
}

// ColorOut reports whether what goes to stdout may be coloured: only when
// stdout is a terminal.
func (s *IO) ColorOut() bool { return s.colorAllowed() && s.OutTTY }

// ColorErr reports whether what goes to stderr may be coloured: only when
// stderr is a terminal.
func (s *IO) ColorErr() bool { return s.colorAllowed() && s.ErrTTY }

// Progress returns the printer of a publish's progress on stderr.
func (s *IO) Progress() *Progress {
	now := s.Now
	if now == nil {
		now = time.Now
	}
	return &Progress{w: s.Err, tty: s.ErrTTY, ansi: !s.NoANSI, now: now}
}

// Progress prints, on stderr, each zone a publish writes and how long it
// took: "zone contoso.com (internal): applied 27 changes in 1.2s". A zone
// applied in several chunks gets a line per chunk too ("chunk 3/11,
// 4.1s"), rewritten in place on a terminal and one line each otherwise,
// so a CI log never holds a carriage return.
type Progress struct {
	w         io.Writer
	tty, ansi bool
	now       func() time.Time
	start     time.Time
	// open is the length of the chunk line left on a terminal without a
	// newline; 0 when there is none.
	open int
}

// Zone is engine.PublishOptions.Progress: done is 0 as a zone's apply
// starts, then the chunks applied of total.
func (p *Progress) Zone(z publish.ZonePlan, done, total int) {
	if done == 0 {
		p.start = p.now()
		return
	}
	took := elapsed(p.now().Sub(p.start))
	if done < total {
		p.line(fmt.Sprintf("zone %s: chunk %d/%d, %s", z.ID(), done, total, took), false)
		return
	}
	msg := fmt.Sprintf("zone %s: applied %d change%s in %s", z.ID(), len(z.Changes), plural1(len(z.Changes)), took)
	if total > 1 {
		msg += fmt.Sprintf(" (%d chunks)", total)
	}
	p.line(msg, true)
}

// End finishes a chunk line a failed publish left open, so what follows
// starts on a line of its own.
func (p *Progress) End() {
	if p.open > 0 {
		fmt.Fprintln(p.w)
		p.open = 0
	}
}

// line prints msg: over the open chunk line on a terminal, ending it when
// final; on its own line otherwise.
func (p *Progress) line(msg string, final bool) {
	if !p.tty {
		fmt.Fprintln(p.w, msg)
		return
	}
	var b strings.Builder
	if p.open > 0 {
		b.WriteByte('\r')
		if p.ansi {
			b.WriteString("\x1b[K") // clear to the end of the line
		} else if pad := p.open - len(msg); pad > 0 {
			msg += strings.Repeat(" ", pad)
		}
	}
	b.WriteString(msg)
	p.open = len(msg)
	if final {
		b.WriteByte('\n')
		p.open = 0
	}
	io.WriteString(p.w, b.String())
}

// elapsed formats a duration for people: "340ms", "1.2s", "2m3.4s".
func elapsed(d time.Duration) string {
	if d < time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.Round(100 * time.Millisecond).String()
}

// annotate prints diagnostics as GitHub Actions workflow commands on
// stderr when running in GitHub Actions, so they show on the pull
// request's diff and never mix with machine output on stdout.
func (s *IO) annotate(diags hcl.Diagnostics) {
	if s.getenv("GITHUB_ACTIONS") == "true" {
		writeAnnotations(s.Err, diags)
	}
}

func newSystemIO() *IO {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first Ctrl-C cancels what runs; a second one, if that takes
	// long, ends the process as it would without topo's handler.
	context.AfterFunc(ctx, stop)
	return &IO{
		In:        os.Stdin,
		Out:       os.Stdout,
		Err:       os.Stderr,
		InTTY:     isTerminal(os.Stdin),
		OutTTY:    isTerminal(os.Stdout),
		ErrTTY:    isTerminal(os.Stderr),
		NoANSI:    !enableANSI(os.Stdout) || !enableANSI(os.Stderr),
		LookupEnv: os.LookupEnv,
		Registry:  builtin.Registry(),
		Context:   ctx,
	}
}

// isTerminal asks the terminal driver (the console on Windows), so
// /dev/null, pipes and PowerShell ISE's redirected streams are not mistaken
// for a terminal.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
