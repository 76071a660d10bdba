package main

import "github.com/topo-dns/topo/engine"

// load reads path and runs every check through the engine, with this
// process's environment and provider kinds.
func load(io *IO, path string) *engine.Loaded {
	return engine.Load(path, loadOptions(io))
}

// loadOptions are this process's environment and provider kinds.
func loadOptions(io *IO) engine.LoadOptions {
	return engine.LoadOptions{LookupEnv: io.LookupEnv, Registry: io.Registry}
}
