package main

import (
	"fmt"

	"github.com/topo-dns/topo/engine"
)

// load reads path and runs every check through the engine, with this
// process's environment and provider kinds.
func load(io *IO, path string) *engine.Loaded {
	return engine.Load(path, loadOptions(io))
}

// done closes what the providers of l hold open, once a command is done
// with them; a failure to close is only worth a warning.
func done(s *IO, l *engine.Loaded) {
	if err := l.Close(); err != nil {
		fmt.Fprintf(s.Err, "Warning: %v\n", err)
	}
}

// loadOptions are this process's environment and provider kinds.
func loadOptions(io *IO) engine.LoadOptions {
	return engine.LoadOptions{LookupEnv: io.LookupEnv, Registry: io.Registry}
}
