package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

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

// Progress returns a printer of chunk progress on stderr: rewritten in
// place on a terminal, one line per chunk otherwise (CI logs), and only for
// zones applied in several chunks.
func (s *IO) Progress() func(publish.ZonePlan, int, int) {
	return func(z publish.ZonePlan, done, total int) {
		if total <= 1 {
			return
		}
		if s.ErrTTY {
			fmt.Fprintf(s.Err, "\rzone %s: chunk %d/%d", z.ID(), done, total)
			if done == total {
				fmt.Fprintln(s.Err)
			}
			return
		}
		fmt.Fprintf(s.Err, "zone %s: applied chunk %d/%d\n", z.ID(), done, total)
	}
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
	ctx, _ := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
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
