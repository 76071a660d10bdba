package version

import (
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFromBuildInfo(t *testing.T) {
	vcs := []debug.BuildSetting{
		{Key: "-trimpath", Value: "true"},
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "125b45b0c6f1a3e2d4b5c6d7e8f9a0b1c2d3e4f5"},
		{Key: "vcs.time", Value: "2025-12-01T11:26:00Z"},
		{Key: "vcs.modified", Value: "false"},
	}
	dirty := append(append([]debug.BuildSetting{}, vcs[:4]...), debug.BuildSetting{Key: "vcs.modified", Value: "true"})
	for _, tc := range []struct {
		name   string
		bi     *debug.BuildInfo
		linked string
		want   Info
	}{
		{
			name:   "release build: the linked version wins over the module's",
			bi:     &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/topo-dns/topo", Version: "(devel)"}, Settings: vcs},
			linked: "v0.1.0",
			want:   Info{Version: "v0.1.0", Revision: "125b45b0c6f1a3e2d4b5c6d7e8f9a0b1c2d3e4f5", Time: "2025-12-01T11:26:00Z", Go: "go1.26.8", OS: "windows", Arch: "arm64"},
		},
		{
			name: "go install of a tagged module: its version",
			bi:   &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/topo-dns/topo", Version: "v0.2.0"}},
			want: Info{Version: "v0.2.0", Go: "go1.26.8", OS: "windows", Arch: "arm64"},
		},
		{
			name: "checkout with uncommitted changes",
			bi:   &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/topo-dns/topo", Version: "v0.0.0-20251201112600-125b45b0c6f1+dirty"}, Settings: dirty},
			want: Info{Version: "v0.0.0-20251201112600-125b45b0c6f1+dirty", Revision: "125b45b0c6f1a3e2d4b5c6d7e8f9a0b1c2d3e4f5", Time: "2025-12-01T11:26:00Z", Modified: true, Go: "go1.26.8", OS: "windows", Arch: "arm64"},
		},
		{
			name: "no module version recorded",
			bi:   &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/topo-dns/topo"}},
			want: Info{Version: "(devel)", Go: "go1.26.8", OS: "windows", Arch: "arm64"},
		},
		{
			name: "no build information at all",
			want: Info{Version: "unknown", Go: runtime.Version(), OS: "windows", Arch: "arm64"},
		},
		{
			name:   "no build information, linked version",
			linked: "v1.0.0",
			want:   Info{Version: "v1.0.0", Go: runtime.Version(), OS: "windows", Arch: "arm64"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := fromBuildInfo(tc.bi, tc.linked, "windows", "arm64")
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("fromBuildInfo (-want +got):\n%s", d)
			}
		})
	}
}

func TestString(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Info
		want string
	}{
		{
			name: "clean checkout",
			in:   Info{Version: "v0.1.0", Revision: "125b45b", Time: "2025-12-01T11:26:00Z", Go: "go1.26.8", OS: "linux", Arch: "amd64"},
			want: "topo v0.1.0\nrevision:    125b45b\ncommit time: 2025-12-01T11:26:00Z\ngo:          go1.26.8\nplatform:    linux/amd64\n",
		},
		{
			name: "modified",
			in:   Info{Version: "(devel)", Revision: "125b45b", Time: "2025-12-01T11:26:00Z", Modified: true, Go: "go1.26.8", OS: "darwin", Arch: "arm64"},
			want: "topo (devel)\nrevision:    125b45b (with uncommitted changes)\ncommit time: 2025-12-01T11:26:00Z\ngo:          go1.26.8\nplatform:    darwin/arm64\n",
		},
		{
			name: "no VCS information",
			in:   Info{Version: "v0.1.0", Go: "go1.26.8", OS: "windows", Arch: "amd64"},
			want: "topo v0.1.0\nrevision:    unknown (built without VCS information)\ngo:          go1.26.8\nplatform:    windows/amd64\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, tc.in.String()); d != "" {
				t.Errorf("String (-want +got):\n%s", d)
			}
		})
	}
}
