package main

import (
	"context"
	"errors"
	"fmt"
)

// Exit codes, the same for every command (see README "Exit codes").
const (
	exitOK = 0
	// exitError: invalid input, a refused or failed operation.
	exitError = 1
	// exitChanges: plan --detailed-exitcode found changes.
	exitChanges = 2
	// exitFormat: fmt --check found files to reformat.
	exitFormat = 3
)

// codeError carries an exit code through cobra. A nil err means the
// command already said everything it had to.
type codeError struct {
	code int
	err  error
}

func (e *codeError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *codeError) Unwrap() error { return e.err }

// withCode returns an error that exits with code, printing nothing more.
func withCode(code int) error { return &codeError{code: code} }

// exitCode maps an error from a command to the process exit code, printing
// it unless the command already reported it.
func exitCode(err error, io *IO) int {
	if err == nil {
		return exitOK
	}
	var ce *codeError
	if errors.As(err, &ce) {
		if ce.err != nil {
			fmt.Fprintf(io.Err, "Error: %v\n", ce.err)
		}
		return ce.code
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintf(io.Err, "Error: interrupted: %v\n", err)
		return exitError
	}
	fmt.Fprintf(io.Err, "Error: %v\n", err)
	return exitError
}
