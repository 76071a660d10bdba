//go:build windows

package main

import (
	"os"

	"golang.org/x/sys/windows"
)

// enableANSI turns on virtual terminal processing on a Windows console, so
// that Windows Terminal and conhost show colours. It reports false for a
// console that refuses it (before Windows 10), where colour stays off. A
// stream that is not a console (redirected, PowerShell ISE) is left alone:
// it gets no colour anyway.
func enableANSI(f *os.File) bool {
	h := windows.Handle(f.Fd())
	var mode uint32
	if err := windows.GetConsoleMode(h, &mode); err != nil {
		return true
	}
	if mode&windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0 {
		return true
	}
	return windows.SetConsoleMode(h, mode|windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING) == nil
}
