package providers

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWriteFileAtomic(t *testing.T) {
	unix := runtime.GOOS != "windows"
	for _, tc := range []struct {
		name string
		// setup prepares dir and returns the path to write.
		setup func(t *testing.T, dir string) string
		// file is where the data must land, relative to dir.
		file     string
		wantMode os.FileMode // checked on Unix only
	}{
		{
			name:     "new file gets perm",
			setup:    func(t *testing.T, dir string) string { return filepath.Join(dir, "z.zone") },
			file:     "z.zone",
			wantMode: 0o640,
		},
		{
			name: "existing file keeps its mode",
			setup: func(t *testing.T, dir string) string {
				p := filepath.Join(dir, "z.zone")
				write(t, p, "old", 0o600)
				return p
			},
			file:     "z.zone",
			wantMode: 0o600,
		},
		{
			name: "a symbolic link is written through",
			setup: func(t *testing.T, dir string) string {
				write(t, filepath.Join(dir, "real", "z.zone"), "old", 0o644)
				link := filepath.Join(dir, "z.zone")
				symlink(t, filepath.Join("real", "z.zone"), link)
				return link
			},
			file:     filepath.Join("real", "z.zone"),
			wantMode: 0o644,
		},
		{
			name: "a chain of links to a file not there yet",
			setup: func(t *testing.T, dir string) string {
				symlink(t, "b", filepath.Join(dir, "a"))
				symlink(t, filepath.Join(dir, "c"), filepath.Join(dir, "b"))
				return filepath.Join(dir, "a")
			},
			file:     "c",
			wantMode: 0o640,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := tc.setup(t, dir)
			before := listDir(t, dir)
			if err := WriteFileAtomic(path, []byte("new\n"), 0o640); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != "new\n" {
				t.Errorf("%s holds %q, want %q", tc.file, got, "new\n")
			}
			if st, err := os.Lstat(path); err != nil {
				t.Fatal(err)
			} else if path != filepath.Join(dir, tc.file) && st.Mode()&os.ModeSymlink == 0 {
				t.Errorf("%s is no longer a symbolic link", path)
			}
			if st, err := os.Stat(filepath.Join(dir, tc.file)); err != nil {
				t.Fatal(err)
			} else if unix && st.Mode().Perm() != tc.wantMode {
				t.Errorf("mode %v, want %v", st.Mode().Perm(), tc.wantMode)
			}
			after := listDir(t, dir)
			if !slices.Contains(before, tc.file) {
				before = append(before, tc.file)
			}
			if diff := cmp.Diff(slices.Sorted(slices.Values(before)), slices.Sorted(slices.Values(after))); diff != "" {
				t.Errorf("files in the directory (-want +got), no temporary file left:\n%s", diff)
			}
		})
	}
}

func TestWriteFileAtomicFailureLeavesNothingBehind(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFileAtomic(filepath.Join(dir, "missing-dir", "z.zone"), []byte("new"), 0o644); err == nil {
		t.Error("write into a directory that does not exist: want an error")
	}
	// The rename fails: a directory stands where the file should go.
	write(t, filepath.Join(dir, "z.zone", "keep"), "kept", 0o644)
	if err := WriteFileAtomic(filepath.Join(dir, "z.zone"), []byte("new"), 0o644); err == nil {
		t.Error("replace a directory: want an error")
	}
	// A link loop is refused before anything is written.
	symlink(t, "loop", filepath.Join(dir, "loop"))
	if err := WriteFileAtomic(filepath.Join(dir, "loop"), []byte("new"), 0o644); err == nil {
		t.Error("write through a link loop: want an error")
	}
	if diff := cmp.Diff([]string{"loop", filepath.Join("z.zone", "keep")}, listDir(t, dir)); diff != "" {
		t.Errorf("files (-want +got): the temporary file must be removed:\n%s", diff)
	}
}

func write(t *testing.T, path, data string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
}

// listDir lists the files below dir, relative to it, links included.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
