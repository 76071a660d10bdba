//go:build !windows

package zonefile_test

import "syscall"

// setFileSizeLimit limits the size of files this process writes.
func setFileSizeLimit(limit uint64) error {
	return syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: limit, Max: limit})
}
