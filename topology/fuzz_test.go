package topology_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/topo-dns/topo/topology"
)

const fuzzFile = "fuzz.hcl"

// fuzzEnv knows a few variables, so env() succeeds and fails.
var fuzzEnv = envOf(map[string]string{"TOPO_NAME": "fuzz", "POOL": "pool", "TTL": "300"})

// fuzzRun is parse, validate and compile, as `topo validate` runs them:
// the compiled JSON ("null" when there is none), every diagnostic, and how
// many of them came from hcl's parser and decoder (the first ones).
func fuzzRun(t *testing.T, src []byte) ([]byte, hcl.Diagnostics, int) {
	tp, diags := topology.Parse(src, fuzzFile, topology.Options{LookupEnv: fuzzEnv})
	parsed := len(diags)
	if tp == nil {
		t.Fatal("Parse returned a nil topology")
	}
	var d *topology.Desired
	if tp.File != nil {
		var ds hcl.Diagnostics
		d, ds = topology.Compile(tp.File)
		diags = append(diags, ds...)
		if ds.HasErrors() != (d == nil) {
			t.Fatalf("Compile returned desired=%v with errors=%v", d != nil, ds.HasErrors())
		}
		// Validate is the same rules without the result.
		if got, want := len(tp.Validate()), len(ds); got != want {
			t.Fatalf("Validate found %d diagnostics, Compile %d", got, want)
		}
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatalf("marshal the compiled topology: %v", err)
	}
	return b, diags, parsed
}

// diagKeys formats diagnostics for comparing two runs, in a stable order:
// hcl's decoder reports one block's problems in map order.
func diagKeys(diags hcl.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		k := fmt.Sprintf("%d %s | %s", d.Severity, d.Summary, d.Detail)
		if d.Subject != nil {
			k += fmt.Sprintf(" @%d-%d", d.Subject.Start.Byte, d.Subject.End.Byte)
		}
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// checkRange reports why a diagnostic's subject is not a range within src.
// Lines are checked against the bytes only for topo's own diagnostics:
// hcl's scanner, reporting a file that is not UTF-8, may count an invalid
// byte and the newline after it as one character on one line
// (testdata/fuzz/FuzzTopology/invalid-utf8-before-newline).
func checkRange(src []byte, r *hcl.Range, ours bool) string {
	switch {
	case r.Filename != fuzzFile:
		return fmt.Sprintf("filename %q, want %q", r.Filename, fuzzFile)
	case r.Start.Byte < 0 || r.Start.Byte > r.End.Byte || r.End.Byte > len(src):
		return fmt.Sprintf("bytes %d-%d outside the file's %d", r.Start.Byte, r.End.Byte, len(src))
	case r.Start.Line < 1 || r.Start.Column < 1 || r.End.Line < r.Start.Line:
		return fmt.Sprintf("lines %d:%d-%d:%d", r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
	case ours && r.Start.Line != 1+bytes.Count(src[:r.Start.Byte], []byte("\n")):
		return fmt.Sprintf("starts on line %d, but byte %d is on line %d", r.Start.Line, r.Start.Byte, 1+bytes.Count(src[:r.Start.Byte], []byte("\n")))
	}
	return ""
}

// FuzzTopology: parse, validate and compile of any bytes never panics,
// gives the same JSON and diagnostics twice, and every diagnostic that
// points somewhere points inside the file.
func FuzzTopology(f *testing.F) {
	f.Add([]byte(compileSrc))
	f.Fuzz(func(t *testing.T, src []byte) {
		first, diags, parsed := fuzzRun(t, src)
		second, again, _ := fuzzRun(t, src)
		if !bytes.Equal(first, second) {
			t.Fatalf("two compiles differ:\n%s\n%s", first, second)
		}
		if a, b := diagKeys(diags), diagKeys(again); !slices.Equal(a, b) {
			t.Fatalf("two runs report differently:\n%q\n%q", a, b)
		}
		for i, d := range diags {
			if d.Subject == nil {
				continue
			}
			if why := checkRange(src, d.Subject, i >= parsed); why != "" {
				t.Errorf("%q: subject %s", d.Summary, why)
			}
		}
	})
}
