// Package examples_test checks every example topology end to end: it
// validates, compiles to exactly its golden JSON, and publishes through the
// real path to zone files that named-checkzone accepts.
package examples_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/providers/builtin"
	"github.com/topo-dns/topo/providers/zonefile"
)

var update = flag.Bool("update", false, "rewrite examples/*/testdata/compile.golden.json from the current compiler")

// goldenName is each example's compiled output, beside its input.
const goldenName = "testdata/compile.golden.json"

// exampleEnv stands in for the environment: examples take credentials
// through env(), and the tests must not depend on real ones.
func exampleEnv(name string) (string, bool) { return "example-" + strings.ToLower(name), true }

func examples(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("*/topology.hcl")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no examples/*/topology.hcl found")
	}
	return paths
}

// load runs what `topo validate` runs: parse, validate and compile, open
// the providers. Any error fails the test; warnings are logged.
func load(t *testing.T, path string) *engine.Loaded {
	t.Helper()
	l := engine.Load(path, engine.LoadOptions{LookupEnv: exampleEnv, Registry: builtin.Registry()})
	if l.Topology == nil || l.Topology.File == nil {
		t.Fatalf("load %s: %v", path, l.Diags)
	}
	for _, d := range l.Diags {
		if d.Severity == hcl.DiagWarning {
			t.Logf("warning: %s", d.Error())
		}
	}
	if l.Diags.HasErrors() {
		t.Fatalf("%s is invalid:\n%s", path, l.Diags.Errs())
	}
	return l
}

func TestExamples(t *testing.T) {
	for _, path := range examples(t) {
		dir := filepath.Dir(path)
		t.Run(dir, func(t *testing.T) {
			t.Run("compile", func(t *testing.T) { testGolden(t, path) })
			t.Run("publish", func(t *testing.T) { testPublish(t, path) })
		})
	}
}

func testGolden(t *testing.T, path string) {
	d := load(t, path).Desired
	got, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join(filepath.Dir(path), goldenName)
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./examples -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s compiles differently from %s (-want +got):\n%s\nIf the change is intended, run go test ./examples -update and review the diff.",
			path, golden, cmp.Diff(string(want), string(got)))
	}
}

// testPublish publishes a copy of the example to a temporary directory
// through the same calls `topo publish` makes, then plans again: nothing
// may be left to change. Every zone file written must pass named-checkzone.
func testPublish(t *testing.T, path string) {
	dir := t.TempDir()
	copyDir(t, filepath.Dir(path), dir)
	l := load(t, filepath.Join(dir, "topology.hcl"))
	d, set := l.Desired, l.Providers

	// The publish test needs no network: every zone must be a zone file.
	files := map[string]string{} // zone file -> zone
	for _, zr := range d.Zones {
		p, err := set.Get(zr.Provider, string(zr.View))
		if err != nil {
			t.Fatal(err)
		}
		zf, ok := p.(*zonefile.Provider)
		if !ok {
			t.Skipf("zone %s (%s) publishes through %s, not a zone file; not published here", zr.Zone, zr.View, zr.Provider)
		}
		files[zf.Path(zr.Zone)] = zr.Zone
	}

	ctx := context.Background()
	plan, err := l.Plan(ctx)
	if err != nil || !plan.Applyable() {
		t.Fatalf("plan: %v %v", err, plan.Err())
	}
	if !plan.HasChanges() {
		t.Fatal("the first plan of an empty directory has no changes")
	}
	res, err := l.Publish(ctx, plan, engine.PublishOptions{})
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	if n := plan.Counts().Total(); res.Applied() != n {
		t.Errorf("publish applied %d changes, the plan has %d", res.Applied(), n)
	}

	again, err := l.Plan(ctx)
	if err != nil || !again.Applyable() {
		t.Fatalf("plan after publish: %v %v", err, again.Err())
	}
	if again.HasChanges() {
		b, _ := json.MarshalIndent(again, "", "  ")
		t.Errorf("plan after publish is not empty:\n%s", b)
	}

	for file, zone := range files {
		checkZone(t, zone, file)
	}
}

// checkZone runs BIND's named-checkzone on a zone file topo wrote. Without
// it the check is skipped, except in CI (CI=true), where it is a failure.
func checkZone(t *testing.T, zone, file string) {
	t.Helper()
	bin, err := exec.LookPath("named-checkzone")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/named-checkzone"); serr == nil {
			bin, err = "/usr/sbin/named-checkzone", nil
		}
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("named-checkzone not found (install bind9-utils): %v", err)
		}
		t.Skipf("named-checkzone not found (install bind9-utils to check %s): %v", file, err)
	}
	// -k fail: names that are not valid host names are errors, as they
	// would be in a BIND that loads the zone with check-names fail.
	out, err := exec.Command(bin, "-i", "local", "-k", "fail", zone, file).CombinedOutput()
	if err != nil {
		zf, _ := os.ReadFile(file)
		t.Errorf("named-checkzone %s %s: %v\n%s\nzone file:\n%s", zone, file, err, out, zf)
	}
}

// copyDir copies an example's own files into dst: the regular files at its
// top level (topology.hcl and whatever it names beside it). Its folders are
// left behind: testdata/ holds the goldens, and zones/ is what running the
// README's quick start in the checkout wrote (git ignores it); copying it
// would make the first plan start from that run's zones.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestQuickStartLeavesTestsAlone checks the two halves of the README's
// quick start cannot break each other: what `topo publish` writes into an
// example (zones/) is not copied by the tests, and git ignores it.
func TestQuickStartLeavesTestsAlone(t *testing.T) {
	t.Run("copy", func(t *testing.T) {
		src := t.TempDir()
		for name, data := range map[string]string{
			"topology.hcl":                     "name = \"x\"\n",
			"zones/contoso.com.internal.zone":  "; written by the quick start\n",
			"testdata/compile.golden.json":     "{}\n",
			"testdata/fuzz/FuzzX/seed":         "go test fuzz v1\n",
			"zones/nested/deeper/another.zone": ";\n",
		} {
			p := filepath.Join(src, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		dst := t.TempDir()
		copyDir(t, src, dst)
		var got []string
		filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
			if err == nil && p != dst {
				rel, _ := filepath.Rel(dst, p)
				got = append(got, filepath.ToSlash(rel))
			}
			return err
		})
		if d := cmp.Diff([]string{"topology.hcl"}, got); d != "" {
			t.Errorf("copied (-want +got):\n%s", d)
		}
	})
	t.Run("gitignore", func(t *testing.T) {
		if _, err := exec.LookPath("git"); err != nil {
			t.Skipf("git not found: %v", err)
		}
		if err := exec.Command("git", "rev-parse", "--git-dir").Run(); err != nil {
			t.Skipf("not in a git checkout (a source archive?): %v", err)
		}
		for _, path := range examples(t) {
			zone := filepath.ToSlash(filepath.Join("examples", filepath.Dir(path), "zones", "contoso.com.internal.zone"))
			cmd := exec.Command("git", "check-ignore", "-q", "--no-index", zone)
			cmd.Dir = ".."
			if err := cmd.Run(); err != nil {
				t.Errorf("git does not ignore %s (add examples/*/zones/ to .gitignore): %v", zone, err)
			}
		}
	})
}
