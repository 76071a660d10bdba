package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/builtin"
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
