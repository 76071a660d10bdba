package zonefile

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/topo-dns/topo/providers"
)

// read reads the zone's file; a missing file is an empty zone.
func (p *Provider) read(zone string) (*zoneFile, error) {
	return p.readPath(zone, p.Path(zone))
}

func (p *Provider) readPath(zone, path string) (*zoneFile, error) {
	origin := providers.ZoneFQDN(zone)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if _, lerr := os.Lstat(path); lerr == nil {
			return nil, fmt.Errorf("read zone %q: %s is a symlink to a file that does not exist", zone, path)
		}
		return &zoneFile{origin: origin, begin: -1, end: -1, soa: -1}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read zone %q: %w", zone, err)
	}
	z, err := readZone(data, origin)
	if err != nil {
		return nil, fmt.Errorf("read zone %q: zone file %s: %w", zone, path, err)
	}
	return z, nil
}

// update runs edit on the zone under an exclusive lock and writes the
// result atomically, with the SOA serial moved on.
func (p *Provider) update(ctx context.Context, zoneName string, edit func(*zoneFile) (change, error)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	path := p.Path(zoneName)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return p.errorf(zoneName, "create directory: %w", err)
	}
	target, err := resolve(path)
	if err != nil {
		return p.errorf(zoneName, "%w", err)
	}
	unlock, err := lockDirs(filepath.Dir(path), filepath.Dir(target))
	if err != nil {
		return p.errorf(zoneName, "lock: %w", err)
	}
	defer unlock()
	if again, err := resolve(path); err != nil || again != target {
		return p.errorf(zoneName, "the symlink changed while topo waited for the lock; run the publish again")
	}
	z, err := p.readPath(zoneName, target)
	if err != nil {
		return err
	}
	c, err := edit(z)
	if err != nil {
		return p.errorf(zoneName, "%w", err)
	}
	if z.exists && len(c.add) == 0 && !slices.Contains(c.remove, true) {
		// Nothing to change: the file and its serial stay as they are.
		return nil
	}
	out, err := z.render(c, p)
	if err != nil {
		return p.errorf(zoneName, "%w", err)
	}
	// The last moment to give up: after this the rename is all or nothing.
	if err := ctx.Err(); err != nil {
		return err
	}
	// A temporary file beside the target, fsync, rename over it, fsync of
	// the directory: a crash leaves the old file or the new one.
	return providers.WriteFileAtomic(target, out, 0o644)
}

// resolve returns the file a zone file's path names: the path itself, or
// for a symlink the file it points to, which topo writes through to (the
// file BIND loads is the target; replacing the link by a regular file
// would leave it unchanged). A dangling symlink, or one to something
// other than a regular file, is refused.
func resolve(path string) (string, error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return path, nil
	}
	if err != nil {
		return "", err
	}
	if fi.Mode()&fs.ModeSymlink == 0 {
		if !fi.Mode().IsRegular() {
			return "", fmt.Errorf("%s is not a regular file", path)
		}
		return path, nil
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		link, _ := os.Readlink(path)
		return "", fmt.Errorf("%s is a symlink to %q, which cannot be followed (%v); topo writes through a symlink to the file it points to and will not create that file", path, link, err)
	}
	st, err := os.Stat(target)
	if err != nil {
		return "", err
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("%s is a symlink to %s, which is not a regular file", path, target)
	}
	return target, nil
}

// lockDirs takes the exclusive lock (.topo.lock) of each directory, the
// zone file's and its symlink target's, once each and in one order, so
// that topo processes reaching one file by two paths never interleave
// and never deadlock.
func lockDirs(dirs ...string) (func(), error) {
	var real []string
	for _, d := range dirs {
		if r, err := filepath.EvalSymlinks(d); err == nil {
			d = r
		}
		if a, err := filepath.Abs(d); err == nil {
			d = a
		}
		real = append(real, d)
	}
	slices.Sort(real)
	real = slices.Compact(real)
	var unlocks []func()
	release := func() {
		for i := len(unlocks) - 1; i >= 0; i-- {
			unlocks[i]()
		}
	}
	for _, d := range real {
		u, err := lock(filepath.Join(d, ".topo.lock"))
		if err != nil {
			release()
			return nil, err
		}
		unlocks = append(unlocks, u)
	}
	return release, nil
}
