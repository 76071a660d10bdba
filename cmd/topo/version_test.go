package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/internal/version"
)

func TestVersion(t *testing.T) {
	text := version.Get().String()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"command", []string{"version"}, text},
		{"flag", []string{"--version"}, text},
		{"command with -o text", []string{"version", "-o", "text"}, text},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := topo(t, cliOpts{}, tc.args...).wantCode(t, exitOK)
			if d := cmp.Diff(tc.want, r.stdout); d != "" {
				t.Errorf("topo %v (-want +got):\n%s", tc.args, d)
			}
		})
	}

	t.Run("json", func(t *testing.T) {
		r := topo(t, cliOpts{}, "version", "-o", "json").wantCode(t, exitOK)
		var got map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
			t.Fatalf("topo version -o json: %v\n%s", err, r.stdout)
		}
		in := version.Get()
		want := map[string]any{
			"format_version": float64(1), "version": in.Version, "revision": in.Revision,
			"time": in.Time, "modified": in.Modified, "go": runtime.Version(),
			"os": runtime.GOOS, "arch": runtime.GOARCH,
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("topo version -o json (-want +got):\n%s", d)
		}
	})

	t.Run("refuses other output formats", func(t *testing.T) {
		topo(t, cliOpts{}, "version", "-o", "markdown").wantCode(t, exitError)
	})
	t.Run("takes no arguments", func(t *testing.T) {
		topo(t, cliOpts{}, "version", "extra").wantCode(t, exitError)
	})
}

// TestVersionLinked builds topo as .ci/release does and checks the version
// set at link time and the revision the build recorded reach the output.
func TestVersionLinked(t *testing.T) {
	if testing.Short() {
		t.Skip("builds topo; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "topo")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	build := exec.Command("go", "build", "-buildvcs=true", "-ldflags", "-X "+version.LinkVariable+"=v9.8.7-test", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		// Outside a git checkout (a source archive) there is no VCS
		// information to embed; build without it.
		build = exec.Command("go", "build", "-buildvcs=false", "-ldflags", "-X "+version.LinkVariable+"=v9.8.7-test", "-o", bin, ".")
		if out2, err2 := build.CombinedOutput(); err2 != nil {
			t.Fatalf("go build: %v\n%s\n%s", err2, out, out2)
		}
	}
	out, err := exec.Command(bin, "version", "-o", "json").Output()
	if err != nil {
		t.Fatalf("%s version -o json: %v", bin, err)
	}
	var got version.Info
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Version != "v9.8.7-test" {
		t.Errorf("version = %q, want the linked v9.8.7-test", got.Version)
	}
	if got.OS != runtime.GOOS || got.Arch != runtime.GOARCH || got.Go != runtime.Version() {
		t.Errorf("platform = %s/%s %s, want %s/%s %s", got.OS, got.Arch, got.Go, runtime.GOOS, runtime.GOARCH, runtime.Version())
	}
	// The go command records VCS information from a repository whose
	// .git is a directory (a clone, as CI has), not from a git worktree,
	// whose .git is a file, nor from a source archive.
	if fi, err := os.Stat(filepath.Join("..", "..", ".git")); err != nil || !fi.IsDir() {
		t.Logf("no .git directory at the module root: no revision to compare (got %q)", got.Revision)
		return
	}
	rev, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatalf("git rev-parse HEAD: %v", err)
	}
	if want := strings.TrimSpace(string(rev)); got.Revision != want {
		t.Errorf("revision = %q, want HEAD %q", got.Revision, want)
	}
	if _, err := time.Parse(time.RFC3339, got.Time); err != nil {
		t.Errorf("commit time %q: %v", got.Time, err)
	}
}
