package topology_test

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/topology"
)

func parseFile(t *testing.T, src string) *topology.File {
	t.Helper()
	tp, diags := topology.Parse([]byte(src), testFile, topology.Options{LookupEnv: noEnv})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return tp.File
}

func TestFindServer(t *testing.T) {
	// Server "s1" in two sites; FQDNs s1.contoso.com and s2.contoso.com.
	src := strings.Replace(twoSites("b", "q", "s2.contoso.com", "10.0.0.2"), `server "s2"`, `server "s1"`, 1)
	f := parseFile(t, src)
	for _, tc := range []struct {
		query   string
		want    string // the path found
		wantErr string
	}{
		{query: "s2.contoso.com", want: "site.b.pool.q.server.s1"},
		{query: "S2.Contoso.com.", want: "site.b.pool.q.server.s1"},
		{query: "site.a.pool.p.server.s1", want: "site.a.pool.p.server.s1"},
		{query: "s1", wantErr: `"s1" names 2 servers; name one by its FQDN or path:
  site.a.pool.p.server.s1 (s1.contoso.com, active)
  site.b.pool.q.server.s1 (s2.contoso.com, active)`},
		{query: "s3", wantErr: `no server "s3" in the topology (name a server by its name, FQDN or path); the closest are:
  site.a.pool.p.server.s1 (s1.contoso.com, active)
  site.b.pool.q.server.s1 (s2.contoso.com, active)`},
		// Nothing is close: every server is a candidate, in topology order.
		{query: "fe01", wantErr: `no server "fe01" in the topology (name a server by its name, FQDN or path); the closest are:
  site.a.pool.p.server.s1 (s1.contoso.com, active)
  site.b.pool.q.server.s1 (s2.contoso.com, active)`},
		// The closest first: s2.contoso.com's host is one edit from "s2x".
		{query: "s2x", wantErr: `no server "s2x" in the topology (name a server by its name, FQDN or path); the closest are:
  site.b.pool.q.server.s1 (s2.contoso.com, active)
  site.a.pool.p.server.s1 (s1.contoso.com, active)`},
	} {
		t.Run(tc.query, func(t *testing.T) {
			ref, err := topology.FindServer(f, tc.query)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Errorf("error = %v\nwant %s", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ref.Path() != tc.want {
				t.Errorf("found %s, want %s", ref.Path(), tc.want)
			}
		})
	}
}

// Many servers: the closest eight, then how many more there are.
func TestFindServerManyCandidates(t *testing.T) {
	a := topology.StateActive
	f := parseFile(t, frontendPool("sfb2015", a, a, a, a, a, a, a, a, a, a, a, a))
	_, err := topology.FindServer(f, "s1")
	if err == nil {
		t.Fatal("found a server named s1")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 10 {
		t.Fatalf("want a line, 8 candidates and the rest counted; got:\n%s", err)
	}
	// s01 and s10-s12 are one edit from "s1"; the rest two.
	for i, want := range []string{"s01", "s10", "s11", "s12"} {
		if !strings.Contains(lines[i+1], ".server."+want+" ") {
			t.Errorf("candidate %d is %q, want server %s", i+1, lines[i+1], want)
		}
	}
	if lines[9] != "  ... and 4 more" {
		t.Errorf("line 10 = %q", lines[9])
	}
}

func TestSetServerState(t *testing.T) {
	a, d := topology.StateActive, topology.StateDraining
	src := frontendPool("sfb2015", a, a, a, d)
	// A comment that must survive the edit.
	src = strings.Replace(src, `      state = "draining"`, `      state = "draining" # patching`, 1)
	f := parseFile(t, src)
	ref := func(name string) topology.ServerRef {
		r, err := topology.FindServer(f, name)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	t.Run("drain", func(t *testing.T) {
		out, err := topology.SetServerState([]byte(src), testFile, f, ref("s02"), topology.StateDraining)
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Replace(src, "      ip    = \"10.0.0.2\"\n      state = \"active\"", "      ip    = \"10.0.0.2\"\n      state = \"draining\"", 1)
		if diff := cmp.Diff(want, string(out)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		// The result is a topology that still validates, with s02 out of
		// the pool FQDN.
		if _, diags := run(t, string(out), topology.Options{}); diags.HasErrors() {
			t.Errorf("edited topology: %v", reduce(diags))
		}
	})
	t.Run("resume removes the state", func(t *testing.T) {
		out, err := topology.SetServerState([]byte(src), testFile, f, ref("s04"), topology.StateActive)
		if err != nil {
			t.Fatal(err)
		}
		// The attribute goes with its comment; the block's remaining
		// attributes are realigned.
		want := strings.Replace(src, "      fqdn  = \"s04.contoso.com\"\n      ip    = \"10.0.0.4\"\n      state = \"draining\" # patching\n", "      fqdn = \"s04.contoso.com\"\n      ip   = \"10.0.0.4\"\n", 1)
		if diff := cmp.Diff(want, string(out)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("refuses to break quorum", func(t *testing.T) {
		f2 := parseFile(t, frontendPool("sfb2015", a, a, d, d))
		r, err := topology.FindServer(f2, "s01")
		if err != nil {
			t.Fatal(err)
		}
		_, err = topology.SetServerState([]byte(frontendPool("sfb2015", a, a, d, d)), testFile, f2, r, topology.StateOffline)
		want := `refusing: with s01 offline, pool "p" would keep only 1 active of the servers that count, but a pool of 4 servers needs 2 of its 4 servers running to keep quorum. Bring another server back first (topo resume SERVER)`
		if err == nil || err.Error() != want {
			t.Errorf("error = %v\nwant %s", err, want)
		}
	})
	t.Run("refuses to break either sfb2019 row", func(t *testing.T) {
		src := frontendPool("sfb2019", join(repeat(d, 4), repeat(a, 5), repeat(d, 1), repeat(a, 2))...)
		f2 := parseFile(t, src)
		r, err := topology.FindServer(f2, "s11")
		if err != nil {
			t.Fatal(err)
		}
		_, err = topology.SetServerState([]byte(src), testFile, f2, r, topology.StateDraining)
		want := `refusing: with s11 draining, pool "p" would keep only 6 active of the servers that count, but a pool of 12 servers needs 5 of its first 9 servers and 7 of its first 12 servers (topology order) running to keep quorum. Bring another server back first (topo resume SERVER)`
		if err == nil || err.Error() != want {
			t.Errorf("error = %v\nwant %s", err, want)
		}
	})
	t.Run("lync2010 has no pool quorum to refuse for", func(t *testing.T) {
		src := frontendPool("lync2010", a, d, d, d)
		f2 := parseFile(t, src)
		r, err := topology.FindServer(f2, "s01")
		if err != nil {
			t.Fatal(err)
		}
		out, err := topology.SetServerState([]byte(src), testFile, f2, r, topology.StateOffline)
		if err != nil {
			t.Fatalf("SetServerState: %v", err)
		}
		if want := strings.Replace(src, `state = "active"`, `state = "offline"`, 1); string(out) != want {
			t.Errorf("(-want +got):\n%s", cmp.Diff(want, string(out)))
		}
	})
	t.Run("unknown state", func(t *testing.T) {
		_, err := topology.SetServerState([]byte(src), testFile, f, ref("s01"), "paused")
		if err == nil || !strings.Contains(err.Error(), `unknown state "paused"`) {
			t.Errorf("error = %v, want unknown state", err)
		}
	})
}

func TestLoad(t *testing.T) {
	t.Run("missing file", func(t *testing.T) {
		tp, diags := topology.Load(t.TempDir()+"/nope.hcl", topology.Options{})
		if tp != nil {
			t.Error("want no topology for a missing file")
		}
		got := reduce(diags)
		want := []diag{errAt("Cannot read topology file", "", "no such file or directory")}
		if diff := cmp.Diff(want, matchDetails(want, got)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("syntax error", func(t *testing.T) {
		tp, diags := topology.Parse([]byte("name = \"t\"\nsite \"s\" {\n"), testFile, topology.Options{})
		if tp == nil || tp.File != nil {
			t.Fatalf("want a topology without a decoded file, got %+v", tp)
		}
		if tp.Validate() != nil {
			t.Error("Validate of an undecoded topology must report nothing more")
		}
		want := []diag{errAt("Unclosed configuration block", "2:10", "")}
		if diff := cmp.Diff(want, matchDetails(want, reduce(diags))); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("a file", func(t *testing.T) {
		path := t.TempDir() + "/topology.hcl"
		if err := writeFile(path, "name = \"t\"\n"); err != nil {
			t.Fatal(err)
		}
		tp, diags := topology.Load(path, topology.Options{})
		if len(diags) != 0 {
			t.Fatal(diags)
		}
		if sum := sha256.Sum256([]byte("name = \"t\"\n")); tp.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("SHA256 = %q, want the file's", tp.SHA256)
		}
		if tp.Dir() != strings.TrimSuffix(path, "/topology.hcl") {
			t.Errorf("Dir() = %q", tp.Dir())
		}
		if tp.Files[path] == nil {
			t.Error("Files does not hold the file for snippets")
		}
	})
}
