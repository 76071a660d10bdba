package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"

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
		LookupEnv: os.LookupEnv,
		Registry:  builtin.Registry(),
		Context:   ctx,
	}
}

// isTerminal asks the terminal driver, so /dev/null and pipes are not
// mistaken for a terminal.
func isTerminal(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}
