//go:build windows

package providers

import (
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/windows"
)

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
	return fmt.Errorf("%w (another program keeps the file open; close it and try again)", err)
}

func sharingViolation(err error) bool {
	return errors.Is(err, windows.ERROR_SHARING_VIOLATION) || errors.Is(err, windows.ERROR_ACCESS_DENIED) || errors.Is(err, windows.ERROR_LOCK_VIOLATION)
}

// syncDir does nothing: Windows cannot flush a directory handle, and NTFS
// journals the rename itself.
func syncDir(string) {}
