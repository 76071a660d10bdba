package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/builtin"
	"github.com/topo-dns/topo/providers/zonefile"
	"github.com/topo-dns/topo/publish"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// cliOpts is what a test varies in the IO a command runs with.
type cliOpts struct {
	env      map[string]string
	registry providers.Registry
	inTTY    bool
	outTTY   bool
	errTTY   bool
	noANSI   bool
	stdin    string
	// in, when set, is stdin instead of stdin (a pipe, say).
	in  io.Reader
	ctx context.Context
	// now is the clock of progress output; nil is time.Now.
	now func() time.Time
}

// ran is a finished command.
type ran struct {
	args           []string
	code           int
	stdout, stderr string
}

// topo runs the command line args through run, as main does, with buffers.
func topo(t *testing.T, o cliOpts, args ...string) ran {
	t.Helper()
	var out, errb bytes.Buffer
	reg := o.registry
	if reg == nil {
		reg = builtin.Registry()
	}
	ctx := o.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	var in io.Reader = strings.NewReader(o.stdin)
	if o.in != nil {
		in = o.in
	}
	s := &IO{
		In:     in,
		Out:    &out,
		Err:    &errb,
		InTTY:  o.inTTY,
		OutTTY: o.outTTY,
		ErrTTY: o.errTTY,
		NoANSI: o.noANSI,
		LookupEnv: func(k string) (string, bool) {
			v, ok := o.env[k]
			return v, ok
		},
		Registry: reg,
		Context:  ctx,
		Now:      o.now,
	}
	code := run(args, s)
	return ran{args: args, code: code, stdout: out.String(), stderr: errb.String()}
}

// wantCode fails the test unless the command exited with code.
func (r ran) wantCode(t *testing.T, code int) ran {
	t.Helper()
	if r.code != code {
		t.Fatalf("topo %s: exit %d, want %d\n--- stdout ---\n%s\n--- stderr ---\n%s", strings.Join(r.args, " "), r.code, code, r.stdout, r.stderr)
	}
	return r
}

// contoso copies examples/contoso into a fresh directory and returns the
// topology file's path there.
func contoso(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "examples", "contoso", "topology.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "topology.hcl")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func zonePaths(file string) []string {
	dir := filepath.Join(filepath.Dir(file), "zones")
	return []string{filepath.Join(dir, "contoso.com.internal.zone"), filepath.Join(dir, "contoso.com.external.zone")}
}

// snapshot reads the zone files of a topology (nil for a missing one).
func snapshot(t *testing.T, file string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	for _, p := range zonePaths(file) {
		data, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		m[filepath.Base(p)] = data
	}
	return m
}

func sameZones(t *testing.T, before, after map[string][]byte) {
	t.Helper()
	for name, b := range before {
		if !bytes.Equal(b, after[name]) {
			t.Errorf("zone file %s changed:\n--- before ---\n%s\n--- after ---\n%s", name, b, after[name])
		}
	}
}

// edit rewrites the topology file with old replaced by new exactly once.
func edit(t *testing.T, file, old, new string) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(src), old) != 1 {
		t.Fatalf("%q occurs %d times in %s", old, strings.Count(string(src), old), file)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(src), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// drainFE05 puts server fe05 of pool01 into draining.
func drainFE05(t *testing.T, file string) {
	edit(t, file, `ip   = "10.0.1.15"`, `ip    = "10.0.1.15"`+"\n      state = \"draining\"")
}

// position returns the line and column (1-based) of the first occurrence
// of s in file.
func position(t *testing.T, file, s string) (int, int) {
	t.Helper()
	src, _ := os.ReadFile(file)
	i := strings.Index(string(src), s)
	if i < 0 {
		t.Fatalf("%q not in %s", s, file)
	}
	line := strings.Count(string(src[:i]), "\n") + 1
	col := i - strings.LastIndex(string(src[:i]), "\n")
	return line, col
}

var clock = regexp.MustCompile(`\b\d\d:\d\d UTC\b`)

// goldenText compares got, with the test's directory written as $DIR and
// clock times as HH:MM, with testdata/cli/name.golden.
func goldenText(t *testing.T, name, dir, got string) {
	t.Helper()
	got = strings.ReplaceAll(got, dir, "$DIR")
	got = clock.ReplaceAllString(got, "HH:MM UTC")
	path := filepath.Join("testdata", "cli", name+".golden")
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/topo -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got); if intended, go test ./cmd/topo -update:\n%s", path, diff)
	}
}

// checkzone runs named-checkzone on the zone files, when it is installed.
func checkzone(t *testing.T, file string) {
	t.Helper()
	bin, err := exec.LookPath("named-checkzone")
	if err != nil {
		for _, p := range []string{"/usr/sbin/named-checkzone", "/usr/bin/named-checkzone"} {
			if _, serr := os.Stat(p); serr == nil {
				bin = p
			}
		}
	}
	if bin == "" {
		t.Log("named-checkzone is not installed (apt-get install bind9-utils): zone files not checked")
		return
	}
	for _, p := range zonePaths(file) {
		if out, err := exec.Command(bin, "-i", "local", "contoso.com", p).CombinedOutput(); err != nil {
			t.Errorf("named-checkzone %s: %v\n%s", p, err, out)
		}
	}
}

func TestCLIValidate(t *testing.T) {
	t.Run("valid", func(t *testing.T) {
		file := contoso(t)
		r := topo(t, cliOpts{}, "validate", file).wantCode(t, 0)
		if r.stdout != file+" is valid.\n" || r.stderr != "" {
			t.Errorf("stdout %q, stderr %q", r.stdout, r.stderr)
		}
	})

	t.Run("invalid, every error with file:line:col", func(t *testing.T) {
		file := contoso(t)
		edit(t, file, `"10.0.1.13"`, `"10.0.1.300"`)
		edit(t, file, `"dub-fe02.contoso.com"`, `"dub_fe02.contoso.com"`)
		r := topo(t, cliOpts{}, "validate", file).wantCode(t, 1)
		for _, s := range []string{`"10.0.1.300"`, `"dub_fe02.contoso.com"`} {
			line, col := position(t, file, s)
			if loc := fmt.Sprintf("%s:%d:%d", file, line, col); !strings.Contains(r.stderr, loc) {
				t.Errorf("stderr does not point at %s:\n%s", loc, r.stderr)
			}
		}
		if !strings.Contains(r.stderr, "is invalid: 2 errors") {
			t.Errorf("stderr does not count the errors:\n%s", r.stderr)
		}
		if r.stdout != "" {
			t.Errorf("stdout: %q", r.stdout)
		}
		goldenText(t, "validate_invalid.stderr", filepath.Dir(file), r.stderr)
	})

	t.Run("a missing file", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "nope.hcl")
		r := topo(t, cliOpts{}, "validate", missing).wantCode(t, 1)
		if !strings.Contains(r.stderr, "nope.hcl") {
			t.Errorf("stderr does not name the file:\n%s", r.stderr)
		}
	})

	t.Run("a warning keeps it valid", func(t *testing.T) {
		file := contoso(t)
		edit(t, file, "view = \"external\"\n  ttl  = 300", "view = \"external\"\n  ttl  = 86400")
		r := topo(t, cliOpts{}, "validate", file).wantCode(t, 0)
		if r.stdout != file+" is valid with 1 warning.\n" || !strings.Contains(r.stderr, "Warning: Long TTL") {
			t.Errorf("stdout %q\nstderr %s", r.stdout, r.stderr)
		}
	})
}

// validateJSON is the documented shape of validate -o json.
type validateJSON struct {
	FormatVersion int   `json:"format_version"`
	Valid         *bool `json:"valid"`
	ErrorCount    *int  `json:"error_count"`
	WarningCount  *int  `json:"warning_count"`
	Diagnostics   []struct {
		Severity string `json:"severity"`
		Summary  string `json:"summary"`
		Detail   string `json:"detail"`
		Range    *struct {
			Filename string `json:"filename"`
			Start    struct {
				Line   int `json:"line"`
				Column int `json:"column"`
			} `json:"start"`
		} `json:"range"`
	} `json:"diagnostics"`
}

func TestCLIValidateJSON(t *testing.T) {
	decode := func(t *testing.T, stdout string) validateJSON {
		t.Helper()
		var v validateJSON
		if err := json.Unmarshal([]byte(stdout), &v); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
		}
		if v.FormatVersion != 1 || v.Valid == nil || v.ErrorCount == nil || v.WarningCount == nil || v.Diagnostics == nil {
			t.Fatalf("missing fields: %s", stdout)
		}
		return v
	}

	t.Run("valid", func(t *testing.T) {
		r := topo(t, cliOpts{}, "validate", "-o", "json", contoso(t)).wantCode(t, 0)
		v := decode(t, r.stdout)
		if !*v.Valid || *v.ErrorCount != 0 || *v.WarningCount != 0 || len(v.Diagnostics) != 0 {
			t.Errorf("valid topology: %s", r.stdout)
		}
		if !strings.Contains(r.stdout, `"diagnostics": []`) {
			t.Errorf("diagnostics of a valid topology should be [], not null: %s", r.stdout)
		}
	})

	t.Run("invalid", func(t *testing.T) {
		file := contoso(t)
		edit(t, file, `"10.0.1.13"`, `"10.0.1.300"`)
		edit(t, file, "view = \"external\"\n  ttl  = 300", "view = \"external\"\n  ttl  = 86400")
		r := topo(t, cliOpts{}, "validate", "-o", "json", file).wantCode(t, 1)
		v := decode(t, r.stdout)
		if *v.Valid || *v.ErrorCount != 1 || *v.WarningCount != 1 || len(v.Diagnostics) != 2 {
			t.Fatalf("invalid topology: %s", r.stdout)
		}
		line, col := position(t, file, `"10.0.1.300"`)
		found := false
		for _, d := range v.Diagnostics {
			if d.Severity == "error" {
				found = true
				if d.Range == nil || d.Range.Filename != file || d.Range.Start.Line != line || d.Range.Start.Column != col {
					t.Errorf("error range %+v, want %s:%d:%d", d.Range, file, line, col)
				}
				if d.Summary == "" || d.Detail == "" {
					t.Errorf("error without summary or detail: %+v", d)
				}
			}
		}
		if !found {
			t.Errorf("no error diagnostic: %s", r.stdout)
		}
	})
}

func TestCLIGitHubAnnotations(t *testing.T) {
	file := contoso(t)
	edit(t, file, `"10.0.1.13"`, `"10.0.1.300"`)
	edit(t, file, "view = \"external\"\n  ttl  = 300", "view = \"external\"\n  ttl  = 86400")
	env := map[string]string{"GITHUB_ACTIONS": "true"}
	eline, ecol := position(t, file, `"10.0.1.300"`)
	wline, wcol := position(t, file, "86400")
	wantErr := fmt.Sprintf("::error file=%s,line=%d,col=%d,", file, eline, ecol)
	wantWarn := fmt.Sprintf("::warning file=%s,line=%d,col=%d,", file, wline, wcol)
	check := func(t *testing.T, stream string) {
		t.Helper()
		var lines []string
		for _, l := range strings.Split(stream, "\n") {
			if strings.HasPrefix(l, "::") {
				lines = append(lines, l)
			}
		}
		if len(lines) != 2 {
			t.Fatalf("want 2 workflow commands, got %d:\n%s", len(lines), stream)
		}
		for _, want := range []string{wantErr, wantWarn} {
			ok := false
			for _, l := range lines {
				if strings.HasPrefix(l, want) && strings.Contains(l, "::") && len(strings.SplitN(l, "::", 3)[2]) > 0 {
					ok = true
				}
			}
			if !ok {
				t.Errorf("no workflow command starting %q in:\n%s", want, strings.Join(lines, "\n"))
			}
		}
	}
	t.Run("text", func(t *testing.T) {
		r := topo(t, cliOpts{env: env}, "validate", file).wantCode(t, 1)
		check(t, r.stderr)
		if strings.Contains(r.stdout, "::") {
			t.Errorf("workflow commands on stdout:\n%s", r.stdout)
		}
	})
	t.Run("json keeps stdout JSON", func(t *testing.T) {
		r := topo(t, cliOpts{env: env}, "validate", "-o", "json", file).wantCode(t, 1)
		if !json.Valid([]byte(r.stdout)) {
			t.Errorf("stdout is not JSON:\n%s", r.stdout)
		}
		check(t, r.stderr)
	})
	t.Run("plan annotates too", func(t *testing.T) {
		r := topo(t, cliOpts{env: env}, "plan", file).wantCode(t, 1)
		if !strings.Contains(r.stdout+r.stderr, wantErr) {
			t.Errorf("no annotation from plan:\n%s\n%s", r.stdout, r.stderr)
		}
	})
	t.Run("not without GITHUB_ACTIONS", func(t *testing.T) {
		r := topo(t, cliOpts{}, "validate", file).wantCode(t, 1)
		if strings.Contains(r.stdout+r.stderr, "::error") {
			t.Errorf("workflow commands outside GitHub Actions")
		}
	})
}

// TestCLIJSONWithAnnotations: under GitHub Actions, with a warning to
// annotate, every -o json command's stdout is still one JSON document; the
// annotation goes to stderr.
func TestCLIJSONWithAnnotations(t *testing.T) {
	file := contoso(t)
	edit(t, file, "view = \"external\"\n  ttl  = 300", "view = \"external\"\n  ttl  = 86400")
	wline, wcol := position(t, file, "86400")
	wantWarn := fmt.Sprintf("::warning file=%s,line=%d,col=%d,", file, wline, wcol)
	env := map[string]string{"GITHUB_ACTIONS": "true"}
	for _, args := range [][]string{
		{"validate", "-o", "json", file},
		{"compile", "-o", "json", file},
		{"plan", "-o", "json", file},
		{"publish", "-o", "json", "--auto-approve", file},
		{"plan", "-o", "json", file},
	} {
		t.Run(strings.Join(args[:3], " "), func(t *testing.T) {
			r := topo(t, cliOpts{env: env}, args...).wantCode(t, 0)
			var doc map[string]any
			if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
				t.Fatalf("stdout is not one JSON document: %v\n%s", err, r.stdout)
			}
			if _, ok := doc["format_version"]; !ok {
				t.Errorf("no format_version: %s", r.stdout)
			}
			if !strings.Contains(r.stderr, wantWarn) {
				t.Errorf("no annotation %q on stderr:\n%s", wantWarn, r.stderr)
			}
		})
	}
}

func TestCLICompile(t *testing.T) {
	file := contoso(t)
	dir := filepath.Dir(file)
	t.Run("text", func(t *testing.T) {
		r := topo(t, cliOpts{}, "compile", file).wantCode(t, 0)
		goldenText(t, "compile.txt", dir, r.stdout)
	})
	t.Run("json", func(t *testing.T) {
		r := topo(t, cliOpts{}, "compile", "-o", "json", file).wantCode(t, 0)
		var out struct {
			FormatVersion int    `json:"format_version"`
			Topology      string `json:"topology"`
			Zones         []struct {
				Zone    string `json:"zone"`
				View    string `json:"view"`
				Records []struct {
					Name, Type, Value, Source string
				} `json:"records"`
			} `json:"zones"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatal(err)
		}
		if out.FormatVersion != 1 || out.Topology != "contoso" || len(out.Zones) != 2 {
			t.Fatalf("compile JSON: %s", r.stdout)
		}
		for _, z := range out.Zones {
			for _, rec := range z.Records {
				if rec.Source == "" {
					t.Errorf("record without source: %+v", rec)
				}
			}
		}
		goldenText(t, "compile.json", dir, r.stdout)
	})
	t.Run("zone", func(t *testing.T) {
		r := topo(t, cliOpts{}, "compile", "-o", "zone", file).wantCode(t, 0)
		goldenText(t, "compile.zone", dir, r.stdout)
		// Each section is master file text.
		for _, section := range strings.Split(r.stdout, "\n\n") {
			if _, err := zonefile.Parse([]byte(section), "contoso.com.", "compile"); err != nil {
				t.Errorf("compile -o zone is not a master file: %v\n%s", err, section)
			}
		}
	})
	t.Run("deterministic", func(t *testing.T) {
		a := topo(t, cliOpts{}, "compile", "-o", "json", file).wantCode(t, 0)
		b := topo(t, cliOpts{}, "compile", "-o", "json", file).wantCode(t, 0)
		if a.stdout != b.stdout {
			t.Errorf("two compiles differ")
		}
	})
	t.Run("invalid", func(t *testing.T) {
		bad := contoso(t)
		edit(t, bad, `"10.0.1.13"`, `"10.0.1.300"`)
		r := topo(t, cliOpts{}, "compile", bad).wantCode(t, 1)
		if r.stdout != "" {
			t.Errorf("compile of an invalid topology printed: %s", r.stdout)
		}
	})
}

func TestCLIPlanAndPublish(t *testing.T) {
	file := contoso(t)
	dir := filepath.Dir(file)
	nothing := snapshot(t, file)

	r := topo(t, cliOpts{}, "plan", file).wantCode(t, 0)
	if !strings.Contains(r.stdout, "Plan: 26 to create, 0 to update, 0 to delete, plus 26 ownership markers to create.") {
		t.Errorf("plan text:\n%s", r.stdout)
	}
	goldenText(t, "plan_fresh.txt", dir, r.stdout)
	topo(t, cliOpts{}, "plan", "--detailed-exitcode", file).wantCode(t, 2)

	r = topo(t, cliOpts{}, "plan", "-o", "json", file).wantCode(t, 0)
	if !publish.IsPlan([]byte(r.stdout)) {
		t.Fatalf("plan -o json is not a plan:\n%s", r.stdout)
	}
	p, err := publish.Unmarshal([]byte(r.stdout))
	if err != nil {
		t.Fatal(err)
	}
	if p.Counts() != (publish.Counts{Create: 52}) || p.TopologyFile != file {
		t.Errorf("plan JSON: counts %+v, topology file %q", p.Counts(), p.TopologyFile)
	}

	r = topo(t, cliOpts{}, "plan", "-o", "markdown", file).wantCode(t, 0)
	if !strings.Contains(r.stdout, "| Operation | Name | Type | TTL | Value | Source |") {
		t.Errorf("plan -o markdown has no table:\n%s", r.stdout)
	}
	goldenText(t, "plan_fresh.md", dir, r.stdout)
	markdown := r.stdout

	summary := filepath.Join(t.TempDir(), "summary.md")
	os.WriteFile(summary, []byte("## an earlier step\n"), 0o644)
	env := map[string]string{"GITHUB_STEP_SUMMARY": summary}
	topo(t, cliOpts{env: env}, "plan", file).wantCode(t, 0)
	got, _ := os.ReadFile(summary)
	if want := "## an earlier step\n" + markdown; string(got) != want {
		t.Errorf("GITHUB_STEP_SUMMARY (-want +got):\n%s", cmp.Diff(want, string(got)))
	}

	planFile := filepath.Join(t.TempDir(), "plan.json")
	r = topo(t, cliOpts{}, "plan", "--out", planFile, file).wantCode(t, 0)
	if data, err := os.ReadFile(planFile); err != nil || !publish.IsPlan(data) {
		t.Fatalf("--out did not write a plan: %v", err)
	}
	if !strings.Contains(r.stderr, planFile) {
		t.Errorf("plan --out does not say where the plan went:\n%s", r.stderr)
	}
	sameZones(t, nothing, snapshot(t, file))

	// No terminal to confirm on, no --auto-approve: refused.
	r = topo(t, cliOpts{}, "publish", file).wantCode(t, 1)
	if !strings.Contains(r.stderr, "--auto-approve") {
		t.Errorf("refusal does not say what to do:\n%s", r.stderr)
	}
	sameZones(t, nothing, snapshot(t, file))
	// A terminal, and an answer other than yes.
	r = topo(t, cliOpts{inTTY: true, stdin: "y\n"}, "publish", file).wantCode(t, 1)
	if !strings.Contains(r.stderr, "cancelled") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	sameZones(t, nothing, snapshot(t, file))

	r = topo(t, cliOpts{}, "publish", "--auto-approve", file).wantCode(t, 0)
	if !strings.Contains(r.stdout, "Published 52 changes in 2 zones") {
		t.Errorf("publish output:\n%s", r.stdout)
	}
	for _, p := range zonePaths(file) {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("zone file not written: %v", err)
		}
	}
	checkzone(t, file)
	published := snapshot(t, file)

	r = topo(t, cliOpts{}, "plan", file).wantCode(t, 0)
	if !strings.Contains(r.stdout, "No changes") {
		t.Errorf("plan after publish:\n%s", r.stdout)
	}
	topo(t, cliOpts{}, "plan", "--detailed-exitcode", file).wantCode(t, 0)
	// Publishing what is already there writes nothing, not even a serial.
	topo(t, cliOpts{}, "publish", "--auto-approve", file).wantCode(t, 0)
	sameZones(t, published, snapshot(t, file))

	// A terminal and "yes" publishes.
	drainFE05(t, file)
	r = topo(t, cliOpts{inTTY: true, stdin: "yes\n"}, "publish", file).wantCode(t, 0)
	if !strings.Contains(r.stdout, "Published 1 change in 1 zone") {
		t.Errorf("publish after drain:\n%s", r.stdout)
	}
	topo(t, cliOpts{}, "plan", "--detailed-exitcode", file).wantCode(t, 0)
}

func TestCLIPublishJSON(t *testing.T) {
	file := contoso(t)
	r := topo(t, cliOpts{}, "publish", "-o", "json", "--auto-approve", file).wantCode(t, 0)
	var out struct {
		FormatVersion int  `json:"format_version"`
		Published     bool `json:"published"`
		Applied       int  `json:"applied"`
		Zones         []engine.ZoneResult
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("publish -o json: %v\n%s", err, r.stdout)
	}
	if !out.Published || out.Applied != 52 || len(out.Zones) != 2 {
		t.Errorf("publish -o json: %s", r.stdout)
	}
}

func TestCLIPublishSavedPlan(t *testing.T) {
	file := contoso(t)
	topo(t, cliOpts{}, "publish", "--auto-approve", file).wantCode(t, 0)
	drainFE05(t, file)
	planFile := filepath.Join(t.TempDir(), "plan.json")
	topo(t, cliOpts{}, "plan", "--out", planFile, file).wantCode(t, 0)
	data, _ := os.ReadFile(planFile)
	p, err := publish.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Counts(); c != (publish.Counts{Update: 1}) {
		t.Fatalf("the drain plan: %+v", c)
	}

	readZone := func(view string) map[providers.Key]providers.RRset {
		prov := zonefile.New(filepath.Dir(file)).ForView(view)
		sets, err := engine.ReadZone(context.Background(), prov, "contoso.com")
		if err != nil {
			t.Fatal(err)
		}
		m := providers.Index(sets)
		delete(m, providers.Key{Name: "contoso.com", Type: "SOA"}) // its serial moves
		return m
	}
	before := readZone("internal")
	beforeExternal := snapshot(t, file)["contoso.com.external.zone"]

	r := topo(t, cliOpts{}, "publish", "--auto-approve", planFile).wantCode(t, 0)
	if !strings.Contains(r.stdout, "Published 1 change") {
		t.Errorf("publish PLANFILE:\n%s", r.stdout)
	}
	// Exactly the plan: its change, and nothing else.
	want := before
	for _, z := range p.Zones {
		for _, c := range z.Changes {
			if z.View != "internal" {
				t.Fatalf("change in zone %s", z.ID())
			}
			if c.After == nil {
				delete(want, c.Key())
			} else {
				want[c.Key()] = *c.After
			}
		}
	}
	if diff := cmp.Diff(want, readZone("internal")); diff != "" {
		t.Errorf("the zone after publishing the plan (-want +got):\n%s", diff)
	}
	if after := snapshot(t, file)["contoso.com.external.zone"]; !bytes.Equal(beforeExternal, after) {
		t.Errorf("the external zone, which the plan does not change, was rewritten")
	}
	topo(t, cliOpts{}, "plan", "--detailed-exitcode", file).wantCode(t, 0)
	checkzone(t, file)
}

func TestCLISavedPlanRefused(t *testing.T) {
	// setup publishes contoso, drains fe05 and saves a plan of it.
	setup := func(t *testing.T) (file, planFile string) {
		file = contoso(t)
		topo(t, cliOpts{}, "publish", "--auto-approve", file).wantCode(t, 0)
		drainFE05(t, file)
		planFile = filepath.Join(t.TempDir(), "plan.json")
		topo(t, cliOpts{}, "plan", "--out", planFile, file).wantCode(t, 0)
		return file, planFile
	}

	t.Run("a zone changed since the plan", func(t *testing.T) {
		file, planFile := setup(t)
		internal := zonePaths(file)[0]
		f, err := os.OpenFile(internal, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(f, "intruder.contoso.com. 300 IN A 192.0.2.66")
		f.Close()
		before := snapshot(t, file)
		r := topo(t, cliOpts{}, "publish", "--auto-approve", planFile).wantCode(t, 1)
		if !strings.Contains(r.stderr, "stale") || !strings.Contains(r.stderr, "contoso.com (internal)") {
			t.Errorf("refusal does not say the plan is stale and which zone:\n%s", r.stderr)
		}
		sameZones(t, before, snapshot(t, file))
	})

	t.Run("the topology file changed since the plan", func(t *testing.T) {
		file, planFile := setup(t)
		edit(t, file, "name    = \"contoso\"", "name    = \"contoso\" # edited after the plan")
		before := snapshot(t, file)
		r := topo(t, cliOpts{}, "publish", "--auto-approve", planFile).wantCode(t, 1)
		if !regexp.MustCompile(`topology file .*changed`).MatchString(r.stderr) {
			t.Errorf("refusal does not say the topology file changed:\n%s", r.stderr)
		}
		sameZones(t, before, snapshot(t, file))
	})

	t.Run("another format version", func(t *testing.T) {
		file, planFile := setup(t)
		data, _ := os.ReadFile(planFile)
		os.WriteFile(planFile, bytes.Replace(data, []byte(`"format_version": 1`), []byte(`"format_version": 2`), 1), 0o600)
		before := snapshot(t, file)
		r := topo(t, cliOpts{}, "publish", "--auto-approve", planFile).wantCode(t, 1)
		if !strings.Contains(r.stderr, "format version 2") {
			t.Errorf("refusal does not name the version:\n%s", r.stderr)
		}
		sameZones(t, before, snapshot(t, file))
	})

	t.Run("a malformed plan", func(t *testing.T) {
		file, planFile := setup(t)
		data, _ := os.ReadFile(planFile)
		os.WriteFile(planFile, bytes.Replace(data, []byte(`"action": "update"`), []byte(`"action": "upsert"`), 1), 0o600)
		before := snapshot(t, file)
		r := topo(t, cliOpts{}, "publish", "--auto-approve", planFile).wantCode(t, 1)
		if !strings.Contains(r.stderr, "upsert") {
			t.Errorf("refusal does not say what is wrong:\n%s", r.stderr)
		}
		sameZones(t, before, snapshot(t, file))
	})
}

func TestCLIMassChangeGuard(t *testing.T) {
	file := contoso(t)
	topo(t, cliOpts{}, "publish", "--auto-approve", file).wantCode(t, 0)

	// Draining one server of twelve passes.
	drainFE05(t, file)
	topo(t, cliOpts{}, "publish", "--auto-approve", file).wantCode(t, 0)

	// Removing site redmond deletes most of the internal zone.
	src, _ := os.ReadFile(file)
	start := strings.Index(string(src), "site \"redmond\" {")
	end := strings.Index(string(src), "site \"dublin\" {")
	if start < 0 || end < start {
		t.Fatal("cannot find site redmond")
	}
	os.WriteFile(file, append(src[:start:start], src[end:]...), 0o644)
	topo(t, cliOpts{}, "validate", file).wantCode(t, 0)

	before := snapshot(t, file)
	r := topo(t, cliOpts{}, "publish", "--auto-approve", file).wantCode(t, 1)
	for _, s := range []string{"mass change", "contoso.com (internal)", "--allow-mass-change"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("refusal does not say %q:\n%s", s, r.stderr)
		}
	}
	sameZones(t, before, snapshot(t, file))

	topo(t, cliOpts{}, "publish", "--auto-approve", "--allow-mass-change", file).wantCode(t, 0)
	topo(t, cliOpts{}, "plan", "--detailed-exitcode", file).wantCode(t, 0)
	checkzone(t, file)
}

func TestCLIFmt(t *testing.T) {
	file := contoso(t)
	topo(t, cliOpts{}, "fmt", "--check", file).wantCode(t, 0)

	edit(t, file, "    server \"fe01\" {\n      fqdn = \"fe01.contoso.com\"", "    server \"fe01\" {\n fqdn =    \"fe01.contoso.com\"")
	bad, _ := os.ReadFile(file)
	r := topo(t, cliOpts{}, "fmt", "--check", file).wantCode(t, 3)
	if r.stdout != file+"\n" {
		t.Errorf("fmt --check should list the file: %q", r.stdout)
	}
	if now, _ := os.ReadFile(file); !bytes.Equal(now, bad) {
		t.Errorf("fmt --check changed the file")
	}
	topo(t, cliOpts{}, "fmt", file).wantCode(t, 0)
	topo(t, cliOpts{}, "fmt", "--check", file).wantCode(t, 0)
	orig, _ := os.ReadFile(filepath.Join("..", "..", "examples", "contoso", "topology.hcl"))
	if now, _ := os.ReadFile(file); !bytes.Equal(now, orig) {
		t.Errorf("fmt did not restore the canonical layout:\n%s", cmp.Diff(string(orig), string(now)))
	}

	t.Run("a file that does not parse", func(t *testing.T) {
		broken := filepath.Join(t.TempDir(), "broken.hcl")
		os.WriteFile(broken, []byte("name = \"x\"\nsite \"a\" {\n"), 0o644)
		topo(t, cliOpts{}, "fmt", "--check", broken).wantCode(t, 1)
		topo(t, cliOpts{}, "fmt", broken).wantCode(t, 1)
		if now, _ := os.ReadFile(broken); string(now) != "name = \"x\"\nsite \"a\" {\n" {
			t.Errorf("fmt rewrote a file that does not parse")
		}
	})
}

func TestCLIUsageErrors(t *testing.T) {
	file := contoso(t)
	tests := [][]string{
		{"plan", "--bogus", file},
		{"validate", "-x", file},
		{"validate", "-o", "yaml", file},
		{"compile", "-o", "markdown", file},
		{"plan", "-o", "zone", file},
		{"publish", "-o", "markdown", "--auto-approve", file},
		{"validate", file, "extra"},
		{"frobnicate"},
	}
	for _, args := range tests {
		t.Run(strings.ReplaceAll(strings.Join(args, " "), file, "FILE"), func(t *testing.T) {
			r := topo(t, cliOpts{}, args...).wantCode(t, 1)
			if r.stderr == "" {
				t.Errorf("no message on stderr")
			}
		})
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(file), "zones")); !os.IsNotExist(err) {
		t.Errorf("a refused command wrote zones: %v", err)
	}
}

func TestCLIColor(t *testing.T) {
	file := contoso(t)
	tests := []struct {
		name  string
		o     cliOpts
		args  []string
		color bool
	}{
		{"terminal", cliOpts{outTTY: true}, []string{"plan", file}, true},
		{"not a terminal", cliOpts{}, []string{"plan", file}, false},
		{"NO_COLOR", cliOpts{outTTY: true, env: map[string]string{"NO_COLOR": "1"}}, []string{"plan", file}, false},
		{"--no-color", cliOpts{outTTY: true}, []string{"plan", "--no-color", file}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := topo(t, tt.o, tt.args...).wantCode(t, 0)
			if got := strings.Contains(r.stdout, "\x1b["); got != tt.color {
				t.Errorf("color = %v, want %v", got, tt.color)
			}
		})
	}
}

// TestCLIColorPerStream: stdout and stderr are coloured each by its own
// terminal, and never with --no-color, NO_COLOR, TERM=dumb or a console
// without ANSI.
func TestCLIColorPerStream(t *testing.T) {
	file := contoso(t)
	drainFE05(t, file)                                                                        // a plan note, in bold on a terminal
	edit(t, file, "view = \"external\"\n  ttl  = 300", "view = \"external\"\n  ttl  = 86400") // a warning on stderr
	tests := []struct {
		name     string
		o        cliOpts
		args     []string
		out, err bool
	}{
		{"stdout a terminal", cliOpts{outTTY: true}, nil, true, false},
		{"stderr a terminal", cliOpts{errTTY: true}, nil, false, true},
		{"both", cliOpts{outTTY: true, errTTY: true}, nil, true, true},
		{"--no-color", cliOpts{outTTY: true, errTTY: true}, []string{"--no-color"}, false, false},
		{"NO_COLOR", cliOpts{outTTY: true, errTTY: true, env: map[string]string{"NO_COLOR": "1"}}, nil, false, false},
		{"TERM=dumb", cliOpts{outTTY: true, errTTY: true, env: map[string]string{"TERM": "dumb"}}, nil, false, false},
		{"no ANSI console", cliOpts{outTTY: true, errTTY: true, noANSI: true}, nil, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := topo(t, tt.o, append([]string{"plan", file}, tt.args...)...).wantCode(t, 0)
			if got := strings.Contains(r.stdout, "\x1b["); got != tt.out {
				t.Errorf("stdout color = %v, want %v", got, tt.out)
			}
			if !strings.Contains(r.stderr, "Long TTL") {
				t.Fatalf("no warning on stderr:\n%s", r.stderr)
			}
			if got := strings.Contains(r.stderr, "\x1b["); got != tt.err {
				t.Errorf("stderr color = %v, want %v", got, tt.err)
			}
		})
	}
}

func TestCLICancelled(t *testing.T) {
	file := contoso(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := topo(t, cliOpts{ctx: ctx}, "publish", "--auto-approve", file).wantCode(t, 1)
	if !strings.Contains(r.stderr, "interrupted") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(file), "zones")); err == nil {
		ents, _ := os.ReadDir(filepath.Join(filepath.Dir(file), "zones"))
		for _, e := range ents {
			if strings.HasSuffix(e.Name(), ".zone") || strings.Contains(e.Name(), ".tmp") {
				t.Errorf("a cancelled publish left %s", e.Name())
			}
		}
	}
}

// TestCLIConcurrentPublish runs two publishes of the same topology at
// once: they never interleave into a state neither planned.
func TestCLIConcurrentPublish(t *testing.T) {
	for round := range 5 {
		file := contoso(t)
		var wg sync.WaitGroup
		results := make([]ran, 2)
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = topo(t, cliOpts{}, "publish", "--auto-approve", file)
			}()
		}
		wg.Wait()
		ok := 0
		for _, r := range results {
			switch r.code {
			case 0:
				ok++
			case 1:
				if !strings.Contains(r.stderr, "stale") && !strings.Contains(r.stderr, "changed since it was read") {
					t.Errorf("round %d: the losing publish does not say why:\n%s", round, r.stderr)
				}
			default:
				t.Errorf("round %d: exit %d", round, r.code)
			}
		}
		if ok == 0 {
			t.Fatalf("round %d: neither publish succeeded:\n%s\n%s", round, results[0].stderr, results[1].stderr)
		}
		topo(t, cliOpts{}, "plan", "--detailed-exitcode", file).wantCode(t, 0)
		checkzone(t, file)
	}
}
