package providers_test

import "flag"

// update is accepted so that `go test ./... -update`, which rewrites the
// golden files of the packages that have them, runs here too: a test
// binary stops at a flag it does not define. This package has none.
var _ = flag.Bool("update", false, "rewrite golden files under testdata/ (this package has none)")
