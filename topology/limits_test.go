package topology_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/topology"
)

// TestParseLimits: input that would overflow hcl's recursive parser, or is
// too large to read, is refused before parsing with a diagnostic at the
// place the limit is crossed; brackets that do not nest (in strings,
// comments, heredocs, escapes) do not count.
func TestParseLimits(t *testing.T) {
	deep := func(open, close string, n int) string { return strings.Repeat(open, n) + strings.Repeat(close, n) }
	big := "name = \"t\"\n" + strings.Repeat("# padding\n", topology.MaxFileSize/10)
	for _, tc := range []struct {
		name string
		src  string
		want []diag
	}{
		// issue 13: 200 KB of 100,000 "[" crashed topo with a stack overflow.
		{"100,000 nested [", "name = " + strings.Repeat("[", 100000), []diag{
			errAt("Nesting too deep", "1:72", "nest more than 64 deep here"),
		}},
		{"nested blocks", "name = \"t\"\n" + deep("b {\n", "}\n", 65), []diag{
			errAt("Nesting too deep", "66:3", ""),
		}},
		// A string and its interpolation are two levels: the 65th is the
		// 33rd quote.
		{"nested interpolations", "name = " + deep(`"${`, `}"`, 40), []diag{
			errAt("Nesting too deep", "1:104", ""),
		}},
		// The heredoc, then two levels a "${(": the 65th is the 32nd "(".
		{"interpolations in a heredoc", "name = <<EOT\n" + strings.Repeat("${(", 40) + "\nEOT\n", []diag{
			errAt("Nesting too deep", "2:96", ""),
		}},
		{"unary operators", "name = " + strings.Repeat("-", 1000000) + "1", []diag{
			errAt("Nesting too deep", "1:72", "unary operators"),
		}},
		{"unary operators inside brackets", "name = [[[[" + strings.Repeat("! ", 61) + "true]]]]", []diag{
			errAt("Nesting too deep", "1:132", ""),
		}},
		{"past 4 MiB", big, []diag{
			errAt("Topology file too large", sprintf("%d:%d", 1+strings.Count(big[:topology.MaxFileSize], "\n"), topology.MaxFileSize-strings.LastIndex(big[:topology.MaxFileSize], "\n")), sprintf("The file is %d bytes", len(big))),
		}},
		// 64 levels: 63 parentheses and the string.
		{"64 levels", "name = " + strings.Repeat("(", 63) + `"t"` + strings.Repeat(")", 63), nil},
		{"brackets in a string", `name = "` + strings.Repeat("[", 1000) + `"`, []diag{
			errAt("Invalid topology name", "1:8", ""),
		}},
		{"escaped quote and literal interpolation", `name = "\"` + strings.Repeat("$${[", 100) + `"`, []diag{
			errAt("Invalid topology name", "1:8", ""),
		}},
		{"brackets in comments", "# " + strings.Repeat("[", 100) + "\n// " + strings.Repeat("(", 100) + "\n/* " + strings.Repeat("{", 100) + " */\nname = \"t\"\n", nil},
		{"brackets in a heredoc", "name = <<-EOT\n  " + strings.Repeat("[", 100) + "\n  EOT\n", []diag{
			errAt("Invalid topology name", "1:8", ""),
		}},
		{"hyphens in a comment", "# " + strings.Repeat("-", 100) + "\nname = \"t\"\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := run(t, tc.src, topology.Options{})
			got := reduce(diags)
			if diff := cmp.Diff(tc.want, matchDetails(tc.want, got)); diff != "" {
				t.Errorf("diagnostics mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoadTooLarge: Load refuses a file past the limit without reading it
// whole, and names its real size.
func TestLoadTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "topology.hcl")
	const size = 64 << 20
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("name = \"t\"\n"); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	tp, diags := topology.Load(path, topology.Options{LookupEnv: noEnv})
	want := []diag{errAt("Topology file too large", "2:4194294", sprintf("The file is %d bytes;", size))}
	if diff := cmp.Diff(want, matchDetails(want, reduce(diags))); diff != "" {
		t.Errorf("diagnostics mismatch (-want +got):\n%s", diff)
	}
	if tp == nil || tp.File != nil || len(tp.Source) > topology.MaxFileSize+1 {
		t.Errorf("Load kept %d bytes and a decoded file %v; want at most %d bytes and none", len(tp.Source), tp.File != nil, topology.MaxFileSize+1)
	}
}

// TestLimitsFitRealTopologies: the generated topology of 1,000 pools (the
// benchmark's) is well inside the size limit and passes the nesting check.
func TestLimitsFitRealTopologies(t *testing.T) {
	src := generate(1000, benchServers)
	if len(src) > topology.MaxFileSize/2 {
		t.Errorf("1,000 pools take %d bytes, more than half of MaxFileSize (%d)", len(src), topology.MaxFileSize)
	}
	if diags := topology.CheckSource(src, testFile); len(diags) != 0 {
		t.Errorf("CheckSource: %v", diags)
	}
	t.Logf("1,000 pools of %d servers: %d bytes", benchServers, len(src))
}
