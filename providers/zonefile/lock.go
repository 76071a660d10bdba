package zonefile

import "os"

// lock takes an exclusive lock on path (flock on Unix, LockFileEx on
// Windows), so two topo processes never interleave read-check-write on one
// zone. It blocks until the lock is free.
func lock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		unlockFile(f)
		f.Close()
	}, nil
}
