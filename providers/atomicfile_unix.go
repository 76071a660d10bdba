//go:build !windows

package providers

import "os"

// replaceFile moves tmp over path atomically.
func replaceFile(tmp, path string) error { return os.Rename(tmp, path) }

// syncDir makes a rename in dir durable. A failure is not reported: the
// new file is in place, and some file systems cannot sync a directory.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
