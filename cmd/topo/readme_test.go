package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The README's ```sh blocks are run by TestREADME, each line with bash in
// a temporary copy of the checkout's examples/ (the zones/ folders the
// quick start writes are not copied), with a topo built from this checkout
// first on PATH; "go run ./cmd/topo" is run as that topo. A block whose
// first line starts with "$ " is a transcript: its "$ " lines are run and
// its other lines are output, which must appear in order ("..." stands for
// lines left out, a line ending in "..." for the rest of a line).
//
// Lines of HTML comment before a block say how to run it:
//
//	<!-- readme-test: in DIR -->              run in DIR of the copy (default: its root, as the checkout's root)
//	<!-- readme-test: in the checkout -->     run in the checkout itself, GOBIN a temporary directory: for commands that write nothing into it
//	<!-- readme-test: copy SRC DST -->        copy the checkout's SRC to DST in the working directory first
//	<!-- readme-test: exit N "PREFIX" -->     lines starting with PREFIX exit N (others 0)
//	<!-- readme-test: skip "PREFIX" (WHY) --> lines starting with PREFIX are not run
//	<!-- readme-test: skip (WHY) -->          the block is not run
type readmeBlock struct {
	line    int    // of the opening fence
	section string // the heading above it
	lines   []string
	// from the markers
	dir        string
	inCheckout bool
	copies     [][2]string
	exits      map[string]int
	skipLines  map[string]string
	skip       string
}

var readmeMarker = regexp.MustCompile(`^<!-- readme-test: (.*) -->$`)

var (
	markerIn       = regexp.MustCompile(`^in (\S+)$`)
	markerCopy     = regexp.MustCompile(`^copy (\S+) (\S+)$`)
	markerExit     = regexp.MustCompile(`^exit (\d+) "([^"]+)"$`)
	markerSkipLine = regexp.MustCompile(`^skip "([^"]+)" \((.+)\)$`)
	markerSkip     = regexp.MustCompile(`^skip \((.+)\)$`)
)

// readmeBlocks reads the ```sh blocks of a Markdown file and the markers
// before each.
func readmeBlocks(t *testing.T, path string) []*readmeBlock {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var blocks []*readmeBlock
	var markers []string
	var cur *readmeBlock
	inFence, section := false, ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		switch {
		case inFence && strings.TrimSpace(l) == "```":
			inFence = false
			if cur != nil {
				blocks = append(blocks, cur)
				cur = nil
			}
		case inFence:
			if cur != nil {
				cur.lines = append(cur.lines, l)
			}
		case strings.HasPrefix(strings.TrimSpace(l), "```"):
			inFence = true
			lang := strings.TrimPrefix(strings.TrimSpace(l), "```")
			if lang == "sh" {
				cur = &readmeBlock{line: n, section: section, exits: map[string]int{}, skipLines: map[string]string{}}
				for _, m := range markers {
					parseMarker(t, path, n, cur, m)
				}
			} else if len(markers) > 0 {
				t.Errorf("%s:%d: readme-test markers before a %q block, which is not run", path, n, lang)
			}
			markers = nil
		case readmeMarker.MatchString(l):
			markers = append(markers, readmeMarker.FindStringSubmatch(l)[1])
		case strings.HasPrefix(l, "#"):
			section = strings.TrimSpace(strings.TrimLeft(l, "#"))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return blocks
}

func parseMarker(t *testing.T, path string, line int, b *readmeBlock, m string) {
	t.Helper()
	switch {
	case m == "in the checkout":
		b.inCheckout = true
	case markerIn.MatchString(m):
		b.dir = markerIn.FindStringSubmatch(m)[1]
	case markerCopy.MatchString(m):
		s := markerCopy.FindStringSubmatch(m)
		b.copies = append(b.copies, [2]string{s[1], s[2]})
	case markerExit.MatchString(m):
		s := markerExit.FindStringSubmatch(m)
		code, _ := strconv.Atoi(s[1])
		b.exits[s[2]] = code
	case markerSkipLine.MatchString(m):
		s := markerSkipLine.FindStringSubmatch(m)
		b.skipLines[s[1]] = s[2]
	case markerSkip.MatchString(m):
		b.skip = markerSkip.FindStringSubmatch(m)[1]
	default:
		t.Errorf("%s: the block at line %d has an unknown readme-test marker %q", path, line, m)
	}
}

// commands returns the block's command lines (continuations joined) and,
// for a transcript, the output expected after each.
func (b *readmeBlock) commands() (cmds []string, outputs [][]string) {
	transcript := len(b.lines) > 0 && strings.HasPrefix(b.lines[0], "$ ")
	for i := 0; i < len(b.lines); i++ {
		l := b.lines[i]
		if transcript {
			if strings.HasPrefix(l, "$ ") {
				cmds = append(cmds, strings.TrimPrefix(l, "$ "))
				outputs = append(outputs, nil)
			} else if len(outputs) > 0 {
				outputs[len(outputs)-1] = append(outputs[len(outputs)-1], l)
			}
			continue
		}
		for strings.HasSuffix(l, "\\") && i+1 < len(b.lines) {
			i++
			l = strings.TrimSuffix(l, "\\") + "\n" + b.lines[i]
		}
		if t := strings.TrimSpace(l); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		cmds = append(cmds, l)
		outputs = append(outputs, nil)
	}
	return cmds, outputs
}

// matchesPrefix returns the value of the first key cmd starts with.
func matchesPrefix[V any](m map[string]V, cmd string) (V, bool) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if strings.HasPrefix(cmd, k) {
			return m[k], true
		}
	}
	var zero V
	return zero, false
}

// TestREADME runs the README's sh blocks (see readmeBlock).
func TestREADME(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the README's commands are not run")
	}
	if runtime.GOOS == "windows" {
		t.Skip("the README's sh blocks are bash; on Windows its PowerShell blocks apply")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	checkout, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	blocks := readmeBlocks(t, filepath.Join(checkout, "README.md"))
	if len(blocks) < 5 {
		t.Fatalf("found %d sh blocks in README.md", len(blocks))
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "topo"), ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, b := range blocks {
		t.Run(fmt.Sprintf("%s line %d", b.section, b.line), func(t *testing.T) {
			if b.skip != "" {
				t.Skipf("README.md:%d is marked skip: %s", b.line, b.skip)
			}
			runBlock(t, bash, checkout, bin, b)
		})
	}
}

func runBlock(t *testing.T, bash, checkout, bin string, b *readmeBlock) {
	work := t.TempDir()
	copyExamples(t, filepath.Join(checkout, "examples"), filepath.Join(work, "examples"))
	dir := filepath.Join(work, filepath.FromSlash(b.dir))
	if b.inCheckout {
		dir = checkout
	}
	for _, c := range b.copies {
		data, err := os.ReadFile(filepath.Join(checkout, filepath.FromSlash(c[0])))
		if err != nil {
			t.Fatalf("README.md:%d: copy: %v", b.line, err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(c[1])), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"), "GOBIN=" + filepath.Join(work, "gobin")}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		// Nothing of a CI job's summary or of a real topology's secrets.
		if k != "PATH" && k != "GOBIN" && !strings.HasPrefix(k, "GITHUB_") && !strings.HasPrefix(k, "TOPO_") && k != "CLOUDFLARE_API_TOKEN" {
			env = append(env, kv)
		}
	}
	cmds, outputs := b.commands()
	if len(cmds) == 0 {
		t.Fatalf("README.md:%d: no command in the block", b.line)
	}
	ran := 0
	for i, cmd := range cmds {
		if why, ok := matchesPrefix(b.skipLines, cmd); ok {
			t.Logf("README.md:%d: not run (%s): %s", b.line, why, cmd)
			continue
		}
		want, _ := matchesPrefix(b.exits, cmd)
		script := strings.Replace(cmd, "go run ./cmd/topo", "topo", 1)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		c := exec.CommandContext(ctx, bash, "-o", "pipefail", "-c", script)
		c.Dir, c.Env = dir, env
		var out bytes.Buffer
		c.Stdout, c.Stderr = &out, &out
		err := c.Run()
		cancel()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("README.md:%d: %s: %v", b.line, cmd, err)
		}
		ran++
		if code != want {
			t.Fatalf("README.md:%d (in %s): %s: exit %d, want %d\n%s", b.line, dirName(b), cmd, code, want, out.String())
		}
		if missing := transcriptMismatch(outputs[i], out.String()); missing != "" {
			t.Errorf("README.md:%d: %s: the output the README shows has %q, which the command did not print:\n%s", b.line, cmd, missing, out.String())
		}
	}
	t.Logf("README.md:%d: ran %d of %d commands in %s", b.line, ran, len(cmds), dirName(b))
}

func dirName(b *readmeBlock) string {
	switch {
	case b.inCheckout:
		return "the checkout"
	case b.dir != "":
		return b.dir
	}
	return "the root of a copy"
}

// transcriptMismatch returns the first line of want that got does not
// have, in order; "..." stands for any lines, a line ending in "..." for
// any line starting as it does.
func transcriptMismatch(want []string, got string) string {
	lines := strings.Split(got, "\n")
	at := 0
	for _, w := range want {
		if strings.TrimSpace(w) == "..." || strings.TrimSpace(w) == "" {
			continue
		}
		prefix, cut := strings.CutSuffix(w, "...")
		prefix = strings.TrimRight(prefix, " ")
		found := false
		for at < len(lines) {
			l := lines[at]
			at++
			if l == w || (cut && strings.HasPrefix(l, prefix)) {
				found = true
				break
			}
		}
		if !found {
			return w
		}
	}
	return ""
}

// copyExamples copies the examples tree, without the zones/ folders the
// quick start writes into the checkout's examples (ignored by git).
func copyExamples(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			if parts := strings.Split(filepath.ToSlash(rel), "/"); len(parts) == 2 && parts[1] == "zones" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTranscriptMismatch(t *testing.T) {
	got := "Warning: a\n  --> f:1:2\n   |\nsome long line here\nWarning: b\ndone.\n"
	tests := []struct {
		name string
		want []string
		miss string
	}{
		{"all, in order", []string{"Warning: a", "Warning: b", "done."}, ""},
		{"... and a cut line", []string{"Warning: a", "...", "some long ...", "done."}, ""},
		{"out of order", []string{"Warning: b", "Warning: a"}, "Warning: a"},
		{"a line not printed", []string{"Warning: a", "Warning: c"}, "Warning: c"},
		{"a cut line not printed", []string{"other ..."}, "other ..."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := transcriptMismatch(tc.want, got); got != tc.miss {
				t.Errorf("got %q, want %q", got, tc.miss)
			}
		})
	}
}
