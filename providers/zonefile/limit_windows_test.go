//go:build windows

package zonefile_test

import "errors"

// setFileSizeLimit has no Windows equivalent; the disk-full test runs on
// Unix only.
func setFileSizeLimit(uint64) error { return errors.New("no file size limit on Windows") }
