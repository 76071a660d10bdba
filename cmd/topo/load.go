package main

import (
	"fmt"
	"os"

	"github.com/hashicorp/hcl/v2"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// load reads path and runs every check through the engine, with this
// process's environment and provider kinds. A saved plan handed where a
// topology belongs is one diagnostic saying which commands take it.
func load(io *IO, path string) *engine.Loaded {
	if d := planFileDiag(path, readSmall(path)); d != nil {
		return &engine.Loaded{Diags: hcl.Diagnostics{d}}
	}
	return engine.Load(path, loadOptions(io))
}

// readSmall returns the contents of path when it is a regular file no
// larger than a topology may be, else nil: engine.Load reports the rest.
func readSmall(path string) []byte {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() || st.Size() > topology.MaxFileSize {
		return nil
	}
	data, _ := os.ReadFile(path)
	return data
}

// planFileDiag is the error for a saved plan (src, the contents of path)
// given to a command that reads a topology, or nil when src is not one.
func planFileDiag(path string, src []byte) *hcl.Diagnostic {
	if !publish.IsPlan(src) {
		return nil
	}
	start := hcl.Pos{Line: 1, Column: 1, Byte: 0}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "A saved plan, not a topology",
		Detail: fmt.Sprintf("%s is a plan saved by 'topo plan --out'; this command reads a topology file (HCL). "+
			"Print the plan with: topo show %s (-o text, json or markdown). Apply exactly it with: topo publish %s",
			path, path, path),
		Subject: &hcl.Range{Filename: path, Start: start, End: hcl.Pos{Line: 1, Column: 2, Byte: 1}},
	}
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
