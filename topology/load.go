package topology

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Options tune how a topology file is read.
type Options struct {
	// LookupEnv resolves env("NAME"). Nil means os.LookupEnv.
	LookupEnv func(name string) (string, bool)
}

// Topology is a parsed and decoded topology file.
type Topology struct {
	// File is the topology as written, with source ranges.
	File *File
	// Filename is the path it was read from, as given.
	Filename string
	// Source is the file's bytes; HCL files keyed by name, for diagnostics
	// with snippets.
	Source []byte
	Files  map[string]*hcl.File
	// SHA256 of Source, hex: saved plans use it to notice a changed file.
	SHA256 string
	// EvalContext is the context attributes were evaluated in (env()).
	// Provider blocks are decoded with it.
	EvalContext *hcl.EvalContext
}

// Dir is the directory relative paths in the topology are resolved from.
func (t *Topology) Dir() string { return filepath.Dir(t.Filename) }

// Load reads and decodes the topology file at path. It reads at most one
// byte past MaxFileSize, so a huge file is refused without being read whole.
func Load(path string, opts Options) (*Topology, hcl.Diagnostics) {
	src, size, err := readLimited(path, MaxFileSize+1)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read topology file",
			Detail:   fmt.Sprintf("read %q: %v", path, unwrapPathErr(err)),
		}}
	}
	return parse(src, path, opts, size)
}

// readLimited reads at most limit bytes of the file at path, and returns
// the file's size (what was read when the size is unknown: a pipe).
func readLimited(path string, limit int64) ([]byte, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, limit))
	if err != nil {
		return nil, 0, err
	}
	size := int64(len(src))
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > size {
		size = fi.Size()
	}
	return src, size, nil
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// Parse decodes src as a topology file named filename. It returns the
// topology whenever the file could be decoded at all (diagnostics may still
// hold errors), so callers can report every problem at once.
func Parse(src []byte, filename string, opts Options) (*Topology, hcl.Diagnostics) {
	return parse(src, filename, opts, int64(len(src)))
}

func parse(src []byte, filename string, opts Options, size int64) (*Topology, hcl.Diagnostics) {
	sum := sha256.Sum256(src)
	t := &Topology{
		Filename: filename,
		Source:   src,
		SHA256:   hex.EncodeToString(sum[:]),
		Files:    map[string]*hcl.File{},
	}
	if diags := checkSource(src, filename, size); diags.HasErrors() {
		return t, diags
	}
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if f != nil {
		t.Files[filename] = f
	}
	if diags.HasErrors() {
		return t, diags
	}
	t.EvalContext = NewEvalContext(opts)
	var file File
	diags = append(diags, gohcl.DecodeBody(f.Body, t.EvalContext, &file)...)
	t.File = &file
	return t, diags
}

// NewEvalContext returns the context topology attributes are evaluated in:
// no variables, one function, env("NAME"), which fails when NAME is unset
// rather than yielding an empty string.
func NewEvalContext(opts Options) *hcl.EvalContext {
	lookup := opts.LookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	return &hcl.EvalContext{
		Functions: map[string]function.Function{
			"env": function.New(&function.Spec{
				Description: "The value of an environment variable; an error when it is not set.",
				Params: []function.Parameter{{
					Name: "name",
					Type: cty.String,
				}},
				Type: function.StaticReturnType(cty.String),
				Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
					name := args[0].AsString()
					v, ok := lookup(name)
					if !ok {
						return cty.NilVal, fmt.Errorf("environment variable %q is not set; export it before running topo", name)
					}
					return cty.StringVal(v), nil
				},
			}),
		},
	}
}
