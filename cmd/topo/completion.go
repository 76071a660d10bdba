package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/topo-dns/topo/topology"
)

// Shell completion: cobra's own "completion" command writes the bash,
// zsh, fish and PowerShell scripts; they call "topo __complete ARGS", which
// lands in the functions below.

// completeFile completes a file argument with the files ending in one of
// exts (and directories to descend into). The shell lists them itself,
// unless -C names another directory: then topo lists that one.
func completeFile(g *globalOptions, exts ...string) cobra.CompletionFunc {
	return func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		if g == nil || g.chdir == "" {
			return exts, cobra.ShellCompDirectiveFilterFileExt
		}
		return listFiles(g.chdir, toComplete, exts), cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
	}
}

// listFiles lists, relative to base, the entries of the directory
// toComplete is in whose names start as it does: directories (ending in
// a separator, to go on from) and files ending in one of exts.
func listFiles(base, toComplete string, exts []string) []string {
	dir, prefix := filepath.Split(toComplete)
	entries, err := os.ReadDir(filepath.Join(base, dir))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, prefix) || (strings.HasPrefix(name, ".") && !strings.HasPrefix(prefix, ".")) {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			if st, err := os.Stat(filepath.Join(base, dir, name)); err == nil {
				isDir = st.IsDir()
			}
		}
		switch {
		case isDir:
			out = append(out, dir+name+string(filepath.Separator))
		case slices.ContainsFunc(exts, func(x string) bool { return strings.HasSuffix(name, "."+x) }):
			out = append(out, dir+name)
		}
	}
	return out
}

// completeServers completes the SERVER of drain, resume and offline from
// the topology file: every server not already in state, by FQDN (always
// unique) with its path and state as the description, and by name where
// the name is unique; by path once "site." is typed.
func completeServers(s *IO, g *globalOptions, file string, state topology.State, toComplete string) ([]string, cobra.ShellCompDirective) {
	if g.chdir != "" && !filepath.IsAbs(file) {
		file = filepath.Join(g.chdir, file)
	}
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	t, _ := topology.Parse(src, file, topology.Options{LookupEnv: s.LookupEnv})
	if t == nil || t.File == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	type server struct {
		name, fqdn, path string
		state            topology.State
	}
	var all []server
	names := map[string]int{}
	for _, site := range t.File.Sites {
		for _, p := range site.Pools {
			for _, sv := range p.Servers {
				r := topology.ServerRef{Site: site.Name, Pool: p.Name, Server: sv.Name}
				all = append(all, server{sv.Name, strings.ToLower(p.ServerFQDN(sv)), r.Path(), sv.StateName()})
				names[strings.ToLower(sv.Name)]++
			}
		}
	}
	typed := strings.ToLower(toComplete)
	var out []string
	offer := func(value, desc string) {
		if value != "" && strings.HasPrefix(strings.ToLower(value), typed) {
			out = append(out, value+"\t"+desc)
		}
	}
	for _, sv := range all {
		if sv.state == state {
			continue
		}
		desc := sv.path + " (" + string(sv.state) + ")"
		if strings.HasPrefix(typed, "site.") {
			offer(sv.path, sv.fqdn+" ("+string(sv.state)+")")
			continue
		}
		offer(sv.fqdn, desc)
		if names[strings.ToLower(sv.name)] == 1 && !strings.EqualFold(sv.name, sv.fqdn) {
			offer(sv.name, desc)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
}
