package main

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// topoLine finds topo invocations in CI files: "topo ..." at the start of a
// command, after "- " or "run: ".
var topoLine = regexp.MustCompile(`(?:^|run: |- )topo ([^|>&;]*)`)

// TestCIExamplesAreValidInvocations parses every topo command in
// examples/ci with the real command tree: each must name a command and
// only flags that command has.
func TestCIExamplesAreValidInvocations(t *testing.T) {
	files, err := filepath.Glob("../../examples/ci/*.yml")
	if err != nil || len(files) < 2 {
		t.Fatalf("want the GitHub Actions and GitLab CI examples, found %v (%v)", files, err)
	}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		sc := bufio.NewScanner(fh)
		for line := 1; sc.Scan(); line++ {
			text := strings.TrimSpace(sc.Text())
			if strings.HasPrefix(text, "#") {
				continue
			}
			m := topoLine.FindStringSubmatch(text)
			if m == nil {
				continue
			}
			n++
			args := strings.Fields(m[1])
			root := newRootCmd(&IO{LookupEnv: func(string) (string, bool) { return "", false }})
			cmd, rest, err := root.Find(args)
			if err != nil || cmd == root {
				t.Errorf("%s:%d: %q is not a topo command: %v", f, line, m[0], err)
				continue
			}
			if err := cmd.ParseFlags(rest); err != nil {
				t.Errorf("%s:%d: %q: %v", f, line, m[0], err)
				continue
			}
			if cmd.Args != nil {
				if err := cmd.Args(cmd, cmd.Flags().Args()); err != nil {
					t.Errorf("%s:%d: %q: %v", f, line, m[0], err)
				}
			}
			if o := cmd.Flag("output"); o != nil && o.Changed {
				if !slices.Contains([]string{"text", "json", "markdown", "zone", "mermaid", "dot"}, o.Value.String()) {
					t.Errorf("%s:%d: unknown output %q", f, line, o.Value.String())
				}
			}
		}
		fh.Close()
		if n < 3 {
			t.Errorf("%s: found only %d topo invocations", f, n)
		}
	}
}
