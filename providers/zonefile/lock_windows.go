//go:build windows

package zonefile

import (
	"os"

	"golang.org/x/sys/windows"
)

// The whole file, as far as a 64-bit length reaches.
const lockAll = ^uint32(0)

func lockFile(f *os.File) error {
	var ol windows.Overlapped
	return windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK, 0, lockAll, lockAll, &ol)
}

func unlockFile(f *os.File) error {
	var ol windows.Overlapped
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, lockAll, lockAll, &ol)
}
