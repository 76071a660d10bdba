// Package version tells which build of topo is running: its version, the
// VCS revision and commit time it was built from, the Go toolchain and the
// platform. `topo version` prints it; a saved plan can embed it.
package version

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// version is set at link time by release builds:
//
//	go build -ldflags "-X github.com/topo-dns/topo/internal/version.version=v1.2.3" ./cmd/topo
//
// Empty (any other build) means the main module's version from the build
// information: "(devel)" in a checkout without tags, or a pseudo-version.
var version string

// LinkVariable is the name to give -ldflags -X to set the version.
const LinkVariable = "github.com/topo-dns/topo/internal/version.version"

// Info describes one build. Every field is always present in JSON; an
// empty string means the build did not record it (a binary built without
// VCS information, for example with -buildvcs=false or from a source
// archive, has no revision and no time).
type Info struct {
	// Version is the release version set at link time, else the main
	// module's version.
	Version string `json:"version"`
	// Revision is the VCS commit the binary was built from (vcs.revision).
	Revision string `json:"revision"`
	// Time is that commit's time, RFC 3339 (vcs.time).
	Time string `json:"time"`
	// Modified is true when the working tree had uncommitted changes
	// (vcs.modified).
	Modified bool `json:"modified"`
	// Go is the toolchain that built the binary, as "go1.26.8".
	Go string `json:"go"`
	// OS and Arch are the platform it was built for (GOOS, GOARCH).
	OS   string `json:"os"`
	Arch string `json:"arch"`
}

// Get returns the running binary's build information.
func Get() Info {
	bi, _ := debug.ReadBuildInfo()
	return fromBuildInfo(bi, version, runtime.GOOS, runtime.GOARCH)
}

// fromBuildInfo assembles an Info; bi may be nil (a binary built without
// module support), linked is the link-time version ("" when not set).
func fromBuildInfo(bi *debug.BuildInfo, linked, goos, goarch string) Info {
	in := Info{Version: linked, Go: runtime.Version(), OS: goos, Arch: goarch}
	if bi == nil {
		if in.Version == "" {
			in.Version = "unknown"
		}
		return in
	}
	if bi.GoVersion != "" {
		in.Go = bi.GoVersion
	}
	if in.Version == "" {
		in.Version = bi.Main.Version
	}
	if in.Version == "" {
		in.Version = "(devel)"
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			in.Revision = s.Value
		case "vcs.time":
			in.Time = s.Value
		case "vcs.modified":
			in.Modified = s.Value == "true"
		}
	}
	return in
}

// String is the text `topo version` prints.
func (in Info) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "topo %s\n", in.Version)
	switch {
	case in.Revision == "":
		b.WriteString("revision:    unknown (built without VCS information)\n")
	case in.Modified:
		fmt.Fprintf(&b, "revision:    %s (with uncommitted changes)\n", in.Revision)
	default:
		fmt.Fprintf(&b, "revision:    %s\n", in.Revision)
	}
	if in.Time != "" {
		fmt.Fprintf(&b, "commit time: %s\n", in.Time)
	}
	fmt.Fprintf(&b, "go:          %s\n", in.Go)
	fmt.Fprintf(&b, "platform:    %s/%s\n", in.OS, in.Arch)
	return b.String()
}
