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

// redirect is a shell redirection ("> plan.md", "2>&1"): the invocation
// ends there.
var redirect = regexp.MustCompile(`\s[0-9]*(?:>>?|<)`)

// ciFiles are the CI files whose topo invocations must be valid: the
// examples, the GitHub Action and the workflow that tests it.
func ciFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{"../../examples/ci/*.yml", "../../action.yml", "../../.github/workflows/*.yml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	for _, want := range []string{"examples/ci/github-actions.yml", "examples/ci/gitlab-ci.yml", "examples/ci/azure-pipelines.yml", "action.yml"} {
		if !slices.ContainsFunc(files, func(f string) bool { return strings.HasSuffix(filepath.ToSlash(f), want) }) {
			t.Fatalf("want %s among the CI files, found %v", want, files)
		}
	}
	return files
}

func readLines(t *testing.T, f string) []string {
	t.Helper()
	fh, err := os.Open(f)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var lines []string
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// TestCIExamplesAreValidInvocations parses every topo command in the CI
// files with the real command tree: each must name a command and only flags
// that command has. A file that runs topo through the action instead must
// pass it only inputs action.yml declares.
func TestCIExamplesAreValidInvocations(t *testing.T) {
	inputs := actionInputs(t, "../../action.yml")
	for _, f := range ciFiles(t) {
		lines := readLines(t, f)
		n := 0
		for i, raw := range lines {
			line := i + 1
			text := strings.TrimSpace(raw)
			if strings.HasPrefix(text, "#") {
				continue
			}
			if loc := redirect.FindStringIndex(text); loc != nil {
				text = text[:loc[0]]
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
		uses := checkActionUses(t, f, lines, inputs)
		if n < 3 && uses == 0 {
			t.Errorf("%s: found only %d topo invocations and no use of the topo action", f, n)
		}
	}
}

// actionUse is a step that runs the topo action: this repository's
// (uses: ./) or a pinned copy of it (uses: OWNER/topo@REF).
var actionUse = regexp.MustCompile(`^(\s*)(?:- )?uses: (?:\./|[\w.-]+/topo@\S+)\s*(?:#.*)?$`)

// checkActionUses checks the with: inputs of every step of f that uses the
// topo action, and returns how many such steps there are.
func checkActionUses(t *testing.T, f string, lines []string, inputs []string) int {
	t.Helper()
	n := 0
	for i, l := range lines {
		m := actionUse.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		n++
		// The step's keys are indented like "uses" itself.
		keyIndent := len(m[1])
		if strings.HasPrefix(strings.TrimSpace(l), "- ") {
			keyIndent += 2
		}
		with := -1
		for j := i + 1; j < len(lines); j++ {
			if strings.TrimSpace(lines[j]) == "" {
				continue
			}
			ind := indent(lines[j])
			if ind < keyIndent || (ind == keyIndent && strings.HasPrefix(strings.TrimSpace(lines[j]), "- ")) {
				break
			}
			if ind == keyIndent && strings.TrimSpace(lines[j]) == "with:" {
				with = j
				break
			}
		}
		if with < 0 {
			continue
		}
		for j := with + 1; j < len(lines); j++ {
			text := strings.TrimSpace(lines[j])
			if text == "" || strings.HasPrefix(text, "#") {
				continue
			}
			if indent(lines[j]) <= keyIndent {
				break
			}
			key, value, _ := strings.Cut(text, ":")
			if !slices.Contains(inputs, key) {
				t.Errorf("%s:%d: the topo action has no input %q (it has %v)", f, j+1, key, inputs)
			}
			if v := strings.TrimSpace(value); key == "command" && v != "plan" && v != "publish" {
				t.Errorf("%s:%d: command %q: the topo action runs plan or publish", f, j+1, v)
			}
		}
	}
	return n
}

// actionInputs reads the input names of action.yml: the keys indented by
// two spaces under the top-level "inputs:".
func actionInputs(t *testing.T, path string) []string {
	t.Helper()
	var names []string
	in := false
	key := regexp.MustCompile(`^  ([a-z][a-z0-9-]*):\s*$`)
	for _, l := range readLines(t, path) {
		switch {
		case l == "inputs:":
			in = true
		case in && l != "" && indent(l) == 0 && !strings.HasPrefix(l, "#"):
			in = false
		case in:
			if m := key.FindStringSubmatch(l); m != nil {
				names = append(names, m[1])
			}
		}
	}
	for _, want := range []string{"command", "working-directory", "topology"} {
		if !slices.Contains(names, want) {
			t.Fatalf("%s: no input %q among %v", path, want, names)
		}
	}
	return names
}

func indent(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }
