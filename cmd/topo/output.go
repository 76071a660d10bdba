package main

import (
	"encoding/json"
	"fmt"
	"io"
)

// The format_version of each JSON document topo prints (see README "JSON
// output"); a plan's (plan -o json, plan --out) is publish.FormatVersion.
// A document's version changes when a field is removed or changes
// meaning; added fields keep it.
const (
	// validateFormatVersion: validate -o json.
	validateFormatVersion = 1
	// compileFormatVersion: compile -o json.
	compileFormatVersion = 1
	// verifyFormatVersion: verify -o json.
	verifyFormatVersion = 1
	// publishFormatVersion: publish -o json (the result, not the plan).
	publishFormatVersion = 1
)

// writeJSON prints v as indented JSON ending in a newline: every JSON
// document topo writes goes through it.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode JSON: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
