package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/spf13/cobra"

	"github.com/topo-dns/topo/providers"
)

type fmtOptions struct {
	io        *IO
	targets   []string
	check     bool
	diff      bool
	recursive bool
}

func newFmtCmd(io *IO) *cobra.Command {
	o := &fmtOptions{io: io}
	c := &cobra.Command{
		Use:   "fmt [FILE | DIR | -]...",
		Short: "Rewrite topology files in canonical format",
		Long: `Rewrite topology files in the canonical HCL layout (indentation, aligned
equals signs), as terraform fmt does. Each formatted file is listed on stdout.

Each target is a file (formatted whatever its name), a directory (its *.hcl
files; with --recursive those of every directory below it too, skipping
hidden ones), or - (stdin, formatted to stdout). Without a target: topology.hcl.

--check changes nothing and lists the files that need formatting; --diff
prints what formatting changes as a unified diff (with --check, without
writing). A file that does not parse is reported with file:line:col and left
as it is; the other files are still formatted.

Exit status: 0 formatted (or already canonical), 1 error (a file does not
parse or cannot be read), 3 --check found files that need formatting.`,
		Example: `  topo fmt                               # topology.hcl in the working directory
  topo fmt --check --diff                # CI: show what is off, exit 3 if anything is
  topo fmt --recursive dns/              # every *.hcl under dns/
  topo fmt - < topology.hcl              # an editor's format-on-save`,
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return []string{"hcl"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(c *cobra.Command, args []string) error {
			o.targets = args
			if len(o.targets) == 0 {
				o.targets = []string{"topology.hcl"}
			}
			return fmtRun(o)
		},
	}
	c.Flags().BoolVar(&o.check, "check", false, "change nothing; exit 3 if a file needs formatting")
	c.Flags().BoolVar(&o.diff, "diff", false, "print the formatting changes as a unified diff")
	c.Flags().BoolVarP(&o.recursive, "recursive", "R", false, "format the *.hcl files of directories below each DIR too")
	return c
}

func fmtRun(o *fmtOptions) error {
	var files []string
	failed := false
	for _, t := range o.targets {
		if t == "-" {
			files = append(files, t)
			continue
		}
		fs, err := fmtTargets(t, o.recursive)
		if err != nil {
			fmt.Fprintf(o.io.Err, "Error: %v\n", err)
			failed = true
			continue
		}
		files = append(files, fs...)
	}
	needs := 0
	for _, f := range files {
		changed, err := fmtFile(o, f)
		if err != nil {
			if !errors.Is(err, errReported) {
				fmt.Fprintf(o.io.Err, "Error: %v\n", err)
			}
			failed = true
			continue
		}
		if changed {
			needs++
		}
	}
	switch {
	case failed:
		return withCode(exitError)
	case o.check && needs > 0:
		verb := "need"
		if needs == 1 {
			verb = "needs"
		}
		fmt.Fprintf(o.io.Err, "%d file%s %s formatting: run topo fmt\n", needs, plural1(needs), verb)
		return withCode(exitFormat)
	}
	return nil
}

// errReported is a failure already printed as diagnostics.
var errReported = errors.New("reported")

// fmtTargets lists the files a target names: itself when it is a file;
// the *.hcl files of a directory, in name order, and with recursive those
// of the directories below it, skipping hidden ones.
func fmtTargets(target string, recursive bool) ([]string, error) {
	st, err := os.Stat(target)
	if err != nil {
		return nil, fmt.Errorf("read %q: %w", target, unwrapPath(err))
	}
	if !st.IsDir() {
		return []string{target}, nil
	}
	var files []string
	err = filepath.WalkDir(target, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("read %q: %w", path, unwrapPath(err))
		}
		if d.IsDir() {
			if path != target && (!recursive || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".hcl") && d.Type().IsRegular() {
			files = append(files, path)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// fmtFile formats one file (- is stdin to stdout) and reports whether it
// was not canonical.
func fmtFile(o *fmtOptions, path string) (bool, error) {
	var src []byte
	var err error
	name := path
	if path == "-" {
		name = "<stdin>"
		src, err = io.ReadAll(o.io.In)
	} else {
		src, err = os.ReadFile(path)
	}
	if err != nil {
		return false, fmt.Errorf("read %q: %w", name, unwrapPath(err))
	}
	// Refuse to "format" a file that does not parse (hclwrite would keep
	// the broken tokens and hide the problem), and check the bounds before
	// any hcl parser sees it: deep nesting overflows hcl's stack.
	var diags hcl.Diagnostics
	if d := planFileDiag(name, src); d != nil {
		diags = hcl.Diagnostics{d}
	} else {
		_, diags = hclParse(src, name)
	}
	if diags.HasErrors() {
		printDiagnostics(o.io, map[string]*hcl.File{name: {Bytes: src}}, diags)
		return false, errReported
	}
	out := hclwrite.Format(src)
	if path == "-" {
		if o.diff && !bytes.Equal(out, src) {
			_, err = io.WriteString(o.io.Out, unifiedDiff(name, src, out))
		} else if !o.check {
			_, err = o.io.Out.Write(out)
		}
		return !bytes.Equal(out, src), err
	}
	if bytes.Equal(out, src) {
		return false, nil
	}
	if !o.check {
		if err := providers.WriteFileAtomic(path, out, 0o644); err != nil {
			return true, err
		}
	}
	fmt.Fprintln(o.io.Out, path)
	if o.diff {
		if _, err := io.WriteString(o.io.Out, unifiedDiff(path, src, out)); err != nil {
			return true, err
		}
	}
	return true, nil
}
