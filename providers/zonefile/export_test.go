package zonefile

// Exported for the tests of package zonefile_test.
var (
	LockFile   = lockFile
	UnlockFile = unlockFile
	RecordLine = recordLine
)
