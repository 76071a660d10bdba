package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/publish"
)

// structuredInternalZone writes the internal zone of the contoso example
// before topo ever touches it: the zone's name server lives in the zone,
// sub is delegated with glue, and somebody keeps other.contoso.com.
func structuredInternalZone(t *testing.T, file string) {
	t.Helper()
	zone := `$TTL 300
@       IN SOA ns1.contoso.com. hostmaster.contoso.com. 1 3600 600 86400 300
@       IN NS  ns1.contoso.com.
ns1     IN A   10.0.0.53
sub     IN NS  ns.sub.contoso.com.
ns.sub  IN A   10.0.0.54
other   IN A   10.0.0.99
`
	path := zonePaths(file)[0]
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(zone), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkzoneLocal runs named-checkzone on the internal zone file and
// returns its refusal ("" when it loads). -i local: no address lookups of
// names outside the zone, so nothing leaves the machine. Without
// named-checkzone it skips, or fails under CI=true.
func checkzoneLocal(t *testing.T, file string) string {
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
		if os.Getenv("CI") == "true" {
			t.Fatal("named-checkzone is not installed (apt-get install bind9-utils)")
		}
		t.Skip("named-checkzone is not installed (apt-get install bind9-utils)")
	}
	out, err := exec.Command(bin, "-i", "local", "contoso.com", zonePaths(file)[0]).CombinedOutput()
	if err != nil {
		return string(out)
	}
	return ""
}

// The reproducer of issue 13: an exclusive zone whose name server's
// address lives in the zone, with a delegation and its glue. Publish
// deleted both addresses, wrote a zone named-checkzone refuses and said
// "DNS now matches".
func TestCLIExclusiveZoneKeepsItsStructure(t *testing.T) {
	file := contoso(t)
	edit(t, file, "zone \"contoso.com\" {\n  view = \"internal\"\n", "zone \"contoso.com\" {\n  view      = \"internal\"\n  ownership = \"exclusive\"\n")
	structuredInternalZone(t, file)
	if why := checkzoneLocal(t, file); why != "" {
		t.Fatalf("the zone before publishing does not load:\n%s", why)
	}
	r := topo(t, cliOpts{}, "plan", file).wantCode(t, 0)
	for _, s := range []string{
		"keeps 2 record set(s) at the zone apex (SOA, NS)",
		"keeps 1 record set(s) at or below a delegation point (NS below the apex)",
		"keeps 1 record set(s) of glue: addresses of delegated name servers",
		"keeps 1 record set(s) of addresses of the zone's own name servers",
	} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("the plan does not say %q:\n%s", s, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, "- other.contoso.com A") {
		t.Errorf("the plan does not delete other.contoso.com A, which an exclusive zone gives topo:\n%s", r.stdout)
	}
	r = topo(t, cliOpts{}, "plan", "-o", "json", file).wantCode(t, 0)
	var doc struct {
		Zones []struct {
			View string              `json:"view"`
			Kept []publish.KeptRRset `json:"kept"`
		} `json:"zones"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	want := []publish.KeptRRset{
		{Name: "contoso.com", Type: "NS", Reason: publish.KeepApex},
		{Name: "contoso.com", Type: "SOA", Reason: publish.KeepApex},
		{Name: "ns.sub.contoso.com", Type: "A", Reason: publish.KeepGlue},
		{Name: "ns1.contoso.com", Type: "A", Reason: publish.KeepNameServer},
		{Name: "sub.contoso.com", Type: "NS", Reason: publish.KeepDelegation},
	}
	for _, z := range doc.Zones {
		if z.View == "internal" && !equalKept(want, z.Kept) || z.View == "external" && len(z.Kept) != 0 {
			t.Errorf("plan -o json, zone %s: kept %+v", z.View, z.Kept)
		}
	}

	topo(t, cliOpts{}, "publish", "--auto-approve", file).wantCode(t, 0)
	data, err := os.ReadFile(zonePaths(file)[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, rr := range []string{"ns1.contoso.com.", "ns.sub.contoso.com.", "sub.contoso.com."} {
		if !strings.Contains(string(data), rr) {
			t.Errorf("the zone file lost %s:\n%s", rr, data)
		}
	}
	if why := checkzoneLocal(t, file); why != "" {
		t.Errorf("named-checkzone refuses the published zone:\n%s\n%s", why, data)
	}
	topo(t, cliOpts{}, "plan", "--detailed-exitcode", file).wantCode(t, 0)
}

func equalKept(a, b []publish.KeptRRset) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// rewritePlan edits a saved plan file as a person or a tool would, and
// writes it back with a checksum made again (anyone can), so that what
// must catch the edit is publish re-deriving the plan.
func rewritePlan(t *testing.T, planFile string, fn func(*publish.Plan)) {
	t.Helper()
	data, err := os.ReadFile(planFile)
	if err != nil {
		t.Fatal(err)
	}
	var p publish.Plan
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	fn(&p)
	if data, err = p.Marshal(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(planFile, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// filesUnder lists every file below dir.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(path string, de fs.DirEntry, err error) error {
		if err == nil && !de.IsDir() {
			out = append(out, path)
		}
		return nil
	})
	return out
}

func TestCLISavedPlanVerified(t *testing.T) {
	// setup writes the structured internal zone, publishes contoso into it
	// (shared: other.contoso.com and the delegation are not topo's),
	// drains fe05 and saves a plan of that, in a directory three levels
	// below the test's root.
	setup := func(t *testing.T) (root, file, planFile string) {
		root = t.TempDir()
		file = contoso(t)
		deep := filepath.Join(root, "a", "b", "c")
		if err := os.MkdirAll(deep, 0o755); err != nil {
			t.Fatal(err)
		}
		src, _ := os.ReadFile(file)
		file = filepath.Join(deep, "topology.hcl")
		os.WriteFile(file, src, 0o644)
		structuredInternalZone(t, file)
		topo(t, cliOpts{}, "publish", "--auto-approve", file).wantCode(t, 0)
		drainFE05(t, file)
		planFile = filepath.Join(deep, "plan.json")
		topo(t, cliOpts{}, "plan", "--out", planFile, file).wantCode(t, 0)
		return root, file, planFile
	}
	deleteChange := func(name, typ string, ttl uint32, values ...string) func(*publish.Plan) {
		return func(p *publish.Plan) {
			for i := range p.Zones {
				if p.Zones[i].View != "internal" {
					continue
				}
				before := rsOf(name, typ, ttl, values...)
				p.Zones[i].Changes = append(p.Zones[i].Changes, publish.Change{Action: publish.Delete, Name: name, Type: typ, Before: &before})
			}
		}
	}
	tests := []struct {
		name string
		// edit changes the plan file: through rewritePlan, or raw.
		edit    func(*publish.Plan)
		editRaw func(string) string
		want    []string
	}{
		{
			name: "an edited plan deletes an unowned A",
			edit: deleteChange("other.contoso.com", "A", 300, "10.0.0.99"),
			want: []string{"zone contoso.com (internal), other.contoso.com A", "the plan file says delete (TTL 300: 10.0.0.99)", "topo derives no change"},
		},
		{
			name: "an edited plan deletes a delegation",
			edit: deleteChange("sub.contoso.com", "NS", 300, "ns.sub.contoso.com."),
			want: []string{"sub.contoso.com NS", "the plan file says delete", "topo derives no change"},
		},
		{
			// With the fingerprint of the empty zone a file that does not
			// exist reads as: the zone file provider would have written
			// a/b/escaped.zone.
			name: "a path-escaping view",
			edit: func(p *publish.Plan) {
				after := rsOf("escaped.contoso.com", "A", 300, "192.0.2.66")
				p.Zones[0].View = "x/../../../escaped"
				p.Zones[0].Fingerprint = publish.Fingerprint(nil)
				p.Zones[0].Changes = []publish.Change{{Action: publish.Create, Name: after.Name, Type: "A", After: &after}}
			},
			want: []string{`view "x/../../../escaped"`, "a view is internal, external or both"},
		},
		{
			name: "max_change raised in the file",
			edit: func(p *publish.Plan) {
				for i := range p.Zones {
					if p.Zones[i].View != "internal" {
						continue
					}
					p.Zones[i].MaxChange = 1
					for _, fe := range []string{"fe01", "fe02", "fe03", "fe04", "fe06", "fe07"} {
						before := rsOf(fe+".contoso.com", "A", 300, "10.0.1.1"+fe[3:])
						p.Zones[i].Changes = append(p.Zones[i].Changes, publish.Change{Action: publish.Delete, Name: before.Name, Type: "A", Before: &before})
					}
				}
			},
			want: []string{"refusing a mass change", "contoso.com (internal)", "limit 30%"},
		},
		{
			name:    "a truncated plan file",
			editRaw: func(s string) string { return s[:len(s)/2] },
			want:    []string{"the plan file was edited or truncated after topo wrote it", "unexpected end of JSON input"},
		},
		{
			name:    "a plan file edited by hand",
			editRaw: func(s string) string { return strings.Replace(s, `"ttl": 300`, `"ttl": 30`, 1) },
			want:    []string{"the plan file was edited or truncated after topo wrote it", "does not match its checksum"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, file, planFile := setup(t)
			if tt.edit != nil {
				rewritePlan(t, planFile, tt.edit)
			} else {
				data, _ := os.ReadFile(planFile)
				edited := tt.editRaw(string(data))
				if edited == string(data) {
					t.Fatal("the edit changed nothing")
				}
				os.WriteFile(planFile, []byte(edited), 0o600)
			}
			before := snapshot(t, file)
			files := filesUnder(t, root)
			r := topo(t, cliOpts{}, "publish", "--auto-approve", planFile).wantCode(t, 1)
			for _, s := range tt.want {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("the refusal does not say %q:\n%s", s, r.stderr)
				}
			}
			if strings.Contains(r.stdout, "Published") {
				t.Errorf("stdout says it published:\n%s", r.stdout)
			}
			sameZones(t, before, snapshot(t, file))
			if got := filesUnder(t, root); strings.Join(got, "\n") != strings.Join(files, "\n") {
				t.Errorf("files written or removed:\nbefore:\n%s\nafter:\n%s", strings.Join(files, "\n"), strings.Join(got, "\n"))
			}
		})
	}
}

// rsOf builds a normalized RRset.
func rsOf(name, typ string, ttl uint32, values ...string) providers.RRset {
	s := providers.RRset{Name: name, Type: typ, TTL: ttl, Values: values}
	s.Normalize()
	return s
}
