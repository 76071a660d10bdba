package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/cobra"
)

// allCommands lists every command of the tree a person can run (not
// cobra's hidden __complete), parents first.
func allCommands(c *cobra.Command) []*cobra.Command {
	out := []*cobra.Command{c}
	for _, sub := range c.Commands() {
		if sub.Hidden {
			continue
		}
		out = append(out, allCommands(sub)...)
	}
	return out
}

func newTestRoot() *cobra.Command {
	return newRootCmd(&IO{LookupEnv: func(string) (string, bool) { return "", false }})
}

// exampleInvocation finds each topo invocation in a line of an Example: at
// the start, after &&, |, ; or in $(...) and <(...); it ends at a pipe, a
// redirection, a closing parenthesis or a comment.
var exampleInvocation = regexp.MustCompile(`(?:^|&& |\| |; |[$<]\()topo((?: [^|>&;)#]*)?)`)

// TestHelpExamples: every command's help has examples, and each topo
// invocation in them parses with the real command tree: the command
// exists, its flags do, and it takes that many arguments.
func TestHelpExamples(t *testing.T) {
	for _, c := range allCommands(newTestRoot()) {
		t.Run(c.CommandPath(), func(t *testing.T) {
			if strings.TrimSpace(c.Example) == "" {
				t.Fatalf("%s has no Example", c.CommandPath())
			}
			n := 0
			for _, line := range strings.Split(c.Example, "\n") {
				line = strings.TrimSpace(line)
				if strings.HasPrefix(line, "#") {
					continue
				}
				for _, m := range exampleInvocation.FindAllStringSubmatch(line, -1) {
					n++
					checkInvocation(t, strings.Fields(m[1]), line)
				}
			}
			if n == 0 {
				t.Errorf("no topo invocation among the examples:\n%s", c.Example)
			}
		})
	}
}

// checkInvocation parses args as the command line would and fails the
// test unless they name a command with those flags and arguments.
func checkInvocation(t *testing.T, args []string, line string) {
	t.Helper()
	root := newTestRoot()
	cmd, rest, err := root.Find(args)
	if err != nil {
		t.Errorf("%q: %v", line, err)
		return
	}
	if err := cmd.ParseFlags(rest); err != nil {
		t.Errorf("%q: %v", line, err)
		return
	}
	if cmd.Args != nil {
		if err := cmd.Args(cmd, cmd.Flags().Args()); err != nil {
			t.Errorf("%q: %v", line, err)
		}
	}
}

// TestOutputFlags: -o is a flag of exactly the commands that print data,
// each with its formats, the first the default; no command inherits one.
func TestOutputFlags(t *testing.T) {
	want := map[string][]string{
		"topo validate": {"text", "json"},
		"topo compile":  {"text", "json", "zone"},
		"topo plan":     {"text", "json", "markdown"},
		"topo show":     {"text", "json", "markdown"},
		"topo publish":  {"text", "json"},
		"topo verify":   {"text", "json"},
		"topo version":  {"text", "json"},
		"topo graph":    {"mermaid", "dot"},
	}
	got := map[string][]string{}
	for _, c := range allCommands(newTestRoot()) {
		f := c.Flags().Lookup("output")
		if f == nil || f.Hidden {
			if c.InheritedFlags().Lookup("output") != nil {
				t.Errorf("%s inherits an -o", c.CommandPath())
			}
			continue
		}
		fv, ok := f.Value.(*formatValue)
		if !ok {
			t.Errorf("%s: -o is a %T, not a format list", c.CommandPath(), f.Value)
			continue
		}
		if f.Shorthand != "o" || f.DefValue != fv.formats[0] {
			t.Errorf("%s: -o shorthand %q default %q", c.CommandPath(), f.Shorthand, f.DefValue)
		}
		got[c.CommandPath()] = fv.formats
		// The shell completes exactly those formats.
		args := append(strings.Fields(strings.TrimPrefix(c.CommandPath(), "topo")), "-o", "")
		if got, _ := completions(t, cliOpts{}, args...); !slices.Equal(got, fv.formats) {
			t.Errorf("%s -o completes %v, want %v", c.CommandPath(), got, fv.formats)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("commands with -o (-want +got):\n%s", diff)
	}
}

// completions runs "topo __complete ARGS" as a shell's completion script
// does and returns the candidates (without descriptions) and the
// directive line.
func completions(t *testing.T, o cliOpts, args ...string) ([]string, string) {
	t.Helper()
	r := topo(t, o, append([]string{"__complete"}, args...)...).wantCode(t, exitOK)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	var out []string
	for _, l := range lines[:len(lines)-1] {
		v, _, _ := strings.Cut(l, "\t")
		out = append(out, v)
	}
	return out, lines[len(lines)-1]
}

func TestCompletion(t *testing.T) {
	file := contoso(t)
	dir := filepath.Dir(file)
	t.Chdir(dir)
	fileDirective := ":8" // ShellCompDirectiveFilterFileExt
	tests := []struct {
		name      string
		args      []string
		want      []string
		directive string
	}{
		{"plan -o", []string{"plan", "-o", ""}, []string{"text", "json", "markdown"}, ":4"},
		{"compile --output", []string{"compile", "--output", ""}, []string{"text", "json", "zone"}, ":4"},
		{"graph -o", []string{"graph", "-o", ""}, []string{"mermaid", "dot"}, ":4"},
		{"validate FILE", []string{"validate", ""}, []string{"hcl"}, fileDirective},
		{"publish FILE or PLANFILE", []string{"publish", ""}, []string{"hcl", "json"}, fileDirective},
		{"show PLANFILE", []string{"show", ""}, []string{"json"}, fileDirective},
		{"validate: one FILE only", []string{"validate", "topology.hcl", ""}, nil, ":4"},
		// fe01 to fe03 are names in two pools: offered by FQDN only.
		{"drain, a prefix", []string{"drain", "fe0"}, []string{
			"fe01.contoso.com", "fe02.contoso.com", "fe03.contoso.com",
			"fe04.contoso.com", "fe04", "fe05.contoso.com", "fe05", "fe06.contoso.com", "fe06",
			"fe07.contoso.com", "fe07", "fe08.contoso.com", "fe08", "fe09.contoso.com", "fe09",
		}, ":36"},
		// fe12 is draining in the example: it cannot be drained again.
		{"drain leaves out a draining server", []string{"drain", "fe1"}, []string{
			"fe10.contoso.com", "fe10", "fe11.contoso.com", "fe11",
		}, ":36"},
		{"resume offers only servers not active", []string{"resume", ""}, []string{"fe12.contoso.com", "fe12"}, ":36"},
		{"offline by path", []string{"offline", "site.dublin."}, []string{
			"site.dublin.pool.pool02.server.fe01", "site.dublin.pool.pool02.server.fe02", "site.dublin.pool.pool02.server.fe03",
		}, ":36"},
		{"drain: FILE after SERVER", []string{"drain", "fe05.contoso.com", ""}, []string{"hcl"}, fileDirective},
		{"drain: nothing after FILE", []string{"drain", "fe05.contoso.com", "topology.hcl", ""}, nil, ":4"},
		{"drain with a missing topology", []string{"drain", "-f", "nope.hcl", ""}, nil, ":4"},
		{"fmt", []string{"fmt", ""}, []string{"hcl"}, fileDirective},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, directive := completions(t, cliOpts{}, tc.args...)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("candidates (-want +got):\n%s", diff)
			}
			if directive != tc.directive {
				t.Errorf("directive %s, want %s", directive, tc.directive)
			}
		})
	}

	t.Run("-C DIR: servers and files of that directory", func(t *testing.T) {
		t.Chdir(t.TempDir())
		got, _ := completions(t, cliOpts{}, "-C", dir, "resume", "")
		if diff := cmp.Diff([]string{"fe12.contoso.com", "fe12"}, got); diff != "" {
			t.Errorf("resume -C (-want +got):\n%s", diff)
		}
		os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o644)
		os.Mkdir(filepath.Join(dir, "sub"), 0o755)
		got, directive := completions(t, cliOpts{}, "-C", dir, "validate", "")
		if diff := cmp.Diff([]string{"sub" + string(filepath.Separator), "topology.hcl"}, got); diff != "" {
			t.Errorf("validate -C (-want +got):\n%s", diff)
		}
		if directive != ":6" { // NoSpace | NoFileComp
			t.Errorf("directive %s", directive)
		}
	})

	t.Run("the completion command writes each shell's script", func(t *testing.T) {
		for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
			r := topo(t, cliOpts{}, "completion", shell).wantCode(t, exitOK)
			if !strings.Contains(r.stdout, "__complete") {
				t.Errorf("completion %s: no call of topo __complete in:\n%.300s", shell, r.stdout)
			}
		}
	})
}

// TestChdir: -C DIR runs the command as if started in DIR.
func TestChdir(t *testing.T) {
	file := contoso(t)
	t.Chdir(t.TempDir())
	r := topo(t, cliOpts{}, "-C", filepath.Dir(file), "validate").wantCode(t, exitOK)
	if r.stdout != "topology.hcl is valid.\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	r = topo(t, cliOpts{}, "--chdir", filepath.Join(filepath.Dir(file), "nope"), "validate").wantCode(t, exitError)
	if !strings.Contains(r.stderr, "-C "+filepath.Join(filepath.Dir(file), "nope")) {
		t.Errorf("stderr: %s", r.stderr)
	}
	if !slices.Contains(strings.Fields(r.stderr), "directory") {
		t.Errorf("stderr does not say why: %s", r.stderr)
	}
}
