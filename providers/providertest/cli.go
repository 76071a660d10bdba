package providertest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// topoBinary is built once per test binary.
var topoBinary = sync.OnceValues(func() (string, error) {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	dir, err := os.MkdirTemp("", "topo-e2e-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "topo")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/topo")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/topo: %v\n%s", err, out)
	}
	return bin, nil
})

// TopoBinary returns the topo command built from this checkout, for tests
// that run it as a process: exit codes, signals, concurrent publishes.
func TopoBinary(t testing.TB) string {
	t.Helper()
	bin, err := topoBinary()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// RunTopo runs bin with args and env added to the environment, and returns
// its output and exit code.
func RunTopo(t testing.TB, bin string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatalf("run topo %v: %v", args, err)
	}
	return o.String(), e.String(), code
}
