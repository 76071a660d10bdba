package providers

import (
	"fmt"
	"os"
	"path/filepath"
)

// WriteFileAtomic replaces the file at path with data so that a reader, or
// a crash, sees either the old content or the new, never part of either: it
// writes a temporary file in the target's directory, fsyncs it, renames it
// over the target and fsyncs the directory. A symbolic link at path is
// followed: the file it points to is replaced and the link stays a link. A
// new file gets perm; an existing one keeps its permission bits.
//
// On Windows, where a file another program holds open cannot be replaced,
// the rename is tried again for a few seconds before it fails.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
	target, err := resolveLinks(path)
	if err != nil {
		return fmt.Errorf("write %q: %w", path, err)
	}
	mode := perm.Perm()
	if st, serr := os.Stat(target); serr == nil {
		mode = st.Mode().Perm()
	}
	dir := filepath.Dir(target)
	f, err := os.CreateTemp(dir, "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %q: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(mode)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %q: %w", path, err)
	}
	if err = replaceFile(tmp, target); err != nil {
		return fmt.Errorf("replace %q: %w", path, err)
	}
	syncDir(dir)
	return nil
}

// maxLinks bounds a chain of symbolic links, as Linux's ELOOP does.
const maxLinks = 40

// resolveLinks follows symbolic links at path (not in its directories,
// which the rename goes through anyway) to the file they name, which need
// not exist yet.
func resolveLinks(path string) (string, error) {
	for range maxLinks {
		st, err := os.Lstat(path)
		if os.IsNotExist(err) {
			return path, nil
		}
		if err != nil {
			return "", err
		}
		if st.Mode()&os.ModeSymlink == 0 {
			return path, nil
		}
		link, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(path), link)
		}
		path = link
	}
	return "", fmt.Errorf("more than %d symbolic links", maxLinks)
}
