//go:build !windows

package main

import "os"

// enableANSI reports whether f understands ANSI escape sequences when it is
// a terminal: Unix terminals do.
func enableANSI(*os.File) bool { return true }
