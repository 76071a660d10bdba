//go:build windows

package zonefile

import (
	"errors"
	"fmt"
	"os"
	"time"

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

// replaceFile moves tmp over path. Windows refuses to replace a file that
// another process (a DNS server, an editor, a virus scanner) holds open
// without FILE_SHARE_DELETE; such holds are short, so try again for a while
// before giving up.
func replaceFile(tmp, path string) error {
	var err error
	for wait := 10 * time.Millisecond; wait < 3*time.Second; wait *= 2 {
		if err = os.Rename(tmp, path); err == nil || !sharingViolation(err) {
			return err
		}
		time.Sleep(wait)
	}
	return fmt.Errorf("%w (another program keeps the zone file open; close it and publish again)", err)
}

func sharingViolation(err error) bool {
	return errors.Is(err, windows.ERROR_SHARING_VIOLATION) || errors.Is(err, windows.ERROR_ACCESS_DENIED) || errors.Is(err, windows.ERROR_LOCK_VIOLATION)
}
