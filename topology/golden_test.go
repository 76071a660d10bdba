package topology_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/topology"
)

// TestCompileGolden compiles every testdata/compile/*.hcl to exactly its
// .golden.json: the record kinds the examples' golden files do not pin
// (go test ./topology -update rewrites them).
func TestCompileGolden(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "compile", "*.hcl"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no testdata/compile/*.hcl: %v", err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			tp, diags := topology.Load(path, topology.Options{LookupEnv: noEnv})
			if diags.HasErrors() || tp.File == nil {
				t.Fatalf("load: %v", diags)
			}
			d, diags := topology.Compile(tp.File)
			if len(diags) != 0 {
				t.Fatalf("compile: %v", diags)
			}
			got, err := json.MarshalIndent(d, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := strings.TrimSuffix(path, ".hcl") + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./topology -update to create it)", err)
			}
			if !bytes.Equal(want, got) {
				t.Errorf("%s compiles differently from %s (-want +got):\n%s", path, golden, cmp.Diff(string(want), string(got)))
			}
		})
	}
}
