package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/providers/builtin"
)

// graphTestIO is an IO with buffers and an empty environment.
func graphTestIO(t *testing.T) (*IO, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	var out, errb bytes.Buffer
	return &IO{
		In:        strings.NewReader(""),
		Out:       &out,
		Err:       &errb,
		LookupEnv: func(string) (string, bool) { return "", false },
		Registry:  builtin.Registry(),
		Context:   context.Background(),
	}, &out, &errb
}

const graphExample = "../../examples/contoso/topology.hcl"

// TestGraphCommand runs `topo graph` end to end; the drawing itself is
// pinned by the topology package's golden files, which the command must
// print byte for byte.
func TestGraphCommand(t *testing.T) {
	golden := func(name string) string {
		b, err := os.ReadFile(filepath.Join("..", "..", "topology", "testdata", "graph", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		wantOut string
		wantErr string
	}{
		{"default is mermaid", []string{"graph", graphExample}, exitOK, golden("contoso.mmd.golden"), ""},
		{"mermaid", []string{"graph", "-o", "mermaid", graphExample}, exitOK, golden("contoso.mmd.golden"), ""},
		{"dot", []string{"graph", graphExample, "--output", "dot"}, exitOK, golden("contoso.dot.golden"), ""},
		{"unknown format", []string{"graph", "-o", "json", graphExample}, exitError, "", `unknown output format "json": this command offers mermaid, dot`},
		{"missing file", []string{"graph", "testdata/graph-nonexistent.hcl"}, exitError, "", "Cannot read topology file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, out, errb := graphTestIO(t)
			if code := run(tc.args, s); code != tc.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tc.code, errb)
			}
			if diff := cmp.Diff(tc.wantOut, out.String()); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
			if tc.wantErr == "" && errb.Len() > 0 {
				t.Errorf("stderr not empty:\n%s", errb)
			}
			if !strings.Contains(errb.String(), tc.wantErr) {
				t.Errorf("stderr lacks %q:\n%s", tc.wantErr, errb)
			}
		})
	}
}

// TestGraphInvalid: an invalid topology draws nothing, says why on stderr
// with the file position, and exits 1.
func TestGraphInvalid(t *testing.T) {
	path := filepath.Join(t.TempDir(), "topology.hcl")
	src := `name = "broken"
zone "contoso.com" {}
site "redmond" {
  pool "pool01" {
    fqdn = "pool01.contoso.com"
    server "fe01" {
      fqdn = "fe01.contoso.com"
      ip   = "10.0.1.11"
    }
  }
}
`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	s, out, errb := graphTestIO(t)
	s.NoColor = true
	err := graphRun(&graphOptions{io: s, output: "mermaid", file: path})
	if code := exitCode(err, s); code != exitError {
		t.Errorf("exit code %d, want %d", code, exitError)
	}
	if out.Len() > 0 {
		t.Errorf("stdout not empty for an invalid topology:\n%s", out)
	}
	if !strings.Contains(errb.String(), "web services override") || !strings.Contains(errb.String(), "topology.hcl:4:3") {
		t.Errorf("stderr lacks the diagnostic with its position:\n%s", errb)
	}
}
