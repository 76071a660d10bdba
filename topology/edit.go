package topology

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/topo-dns/topo/internal/suggest"
)

// ServerRef locates one server block in a topology.
type ServerRef struct {
	Site, Pool, Server string
	FQDN               string
	State              State
}

// Path is the server's topology path: "site.redmond.pool.pool01.server.fe01".
func (r ServerRef) Path() string {
	return "site." + r.Site + ".pool." + r.Pool + ".server." + r.Server
}

// FindServer resolves what a person typed (a server name, its FQDN or its
// topology path) to exactly one server. An unknown or ambiguous name is an
// error listing the candidates.
func FindServer(f *File, query string) (ServerRef, error) {
	q := strings.ToLower(strings.TrimSuffix(query, "."))
	var all, hits []ServerRef
	for _, s := range f.Sites {
		for _, p := range s.Pools {
			for _, sv := range p.Servers {
				r := ServerRef{Site: s.Name, Pool: p.Name, Server: sv.Name, FQDN: fold(p.ServerFQDN(sv)), State: sv.StateName()}
				all = append(all, r)
				if strings.ToLower(sv.Name) == q || r.FQDN == q || r.Path() == q {
					hits = append(hits, r)
				}
			}
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], nil
	case 0:
		msg := fmt.Sprintf("no server %q in the topology", query)
		if len(all) == 0 {
			return ServerRef{}, fmt.Errorf("%s: it has no servers", msg)
		}
		near := closestServers(q, all)
		const shown = 8
		lines := make([]string, 0, shown+1)
		for _, r := range near[:min(shown, len(near))] {
			lines = append(lines, describe(r))
		}
		if len(near) > shown {
			lines = append(lines, fmt.Sprintf("... and %d more", len(near)-shown))
		}
		return ServerRef{}, fmt.Errorf("%s (name a server by its name, FQDN or path); the closest are:\n  %s", msg, strings.Join(lines, "\n  "))
	default:
		var c []string
		for _, r := range hits {
			c = append(c, describe(r))
		}
		return ServerRef{}, fmt.Errorf("%q names %d servers; name one by its FQDN or path:\n  %s", query, len(hits), strings.Join(c, "\n  "))
	}
}

// closestServers orders servers by how close their name, FQDN or path is
// to what was typed (a part of the FQDN or name counts as closest), then in
// topology order.
func closestServers(q string, all []ServerRef) []ServerRef {
	dist := func(r ServerRef) int {
		host, _, _ := strings.Cut(r.FQDN, ".")
		d := min(suggest.Distance(q, r.Server), suggest.Distance(q, host), suggest.Distance(q, r.FQDN), suggest.Distance(q, r.Path()))
		if strings.Contains(r.FQDN, q) || strings.Contains(strings.ToLower(r.Server), q) {
			d = min(d, 1)
		}
		return d
	}
	out := slices.Clone(all)
	d := make(map[string]int, len(all))
	for _, r := range all {
		d[r.Path()] = dist(r)
	}
	slices.SortStableFunc(out, func(a, b ServerRef) int { return d[a.Path()] - d[b.Path()] })
	return out
}

func describe(r ServerRef) string {
	return fmt.Sprintf("%s (%s, %s)", r.Path(), r.FQDN, r.State)
}

// SetServerState rewrites the topology source so that the server ref has
// state, keeping every comment and the rest of the formatting. Active is
// written by removing the state attribute (its default). It refuses a
// change that takes a Front End pool below quorum, explaining the rule.
func SetServerState(src []byte, filename string, f *File, ref ServerRef, state State) ([]byte, error) {
	if !slices.Contains(states, state) {
		return nil, fmt.Errorf("unknown state %q: one of %s", state, quoteList(states))
	}
	if err := checkStateChange(f, ref, state); err != nil {
		return nil, err
	}
	if diags := CheckSource(src, filename); diags.HasErrors() {
		return nil, diags
	}
	wf, diags := hclwrite.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	blk := findBlock(wf.Body(), "site", ref.Site)
	if blk != nil {
		blk = findBlock(blk.Body(), "pool", ref.Pool)
	}
	if blk != nil {
		blk = findBlock(blk.Body(), "server", ref.Server)
	}
	if blk == nil {
		return nil, fmt.Errorf("server %s not found in %s", ref.Path(), filename)
	}
	if state == StateActive {
		blk.Body().RemoveAttribute("state")
	} else {
		blk.Body().SetAttributeValue("state", cty.StringVal(string(state)))
	}
	return wf.Bytes(), nil
}

func findBlock(b *hclwrite.Body, typ, label string) *hclwrite.Block {
	for _, blk := range b.Blocks() {
		if blk.Type() == typ && len(blk.Labels()) == 1 && blk.Labels()[0] == label {
			return blk
		}
	}
	return nil
}

// checkStateChange refuses a state change that takes the server's Front
// End pool below quorum (never for Lync Server 2010, which has no pool
// quorum).
func checkStateChange(f *File, ref ServerRef, state State) error {
	for _, s := range f.Sites {
		if s.Name != ref.Site {
			continue
		}
		for _, p := range s.Pools {
			if p.Name != ref.Pool || p.RoleName() != RoleFrontend {
				continue
			}
			order := make([]State, len(p.Servers))
			for i, sv := range p.Servers {
				order[i] = sv.StateName()
				if sv.Name == ref.Server {
					order[i] = state
				}
			}
			n := len(order)
			if n < 2 || state == StateActive {
				return nil
			}
			if ok, active, _ := QuorumCheck(f.ProductName(), order); !ok {
				return fmt.Errorf("refusing: with %s %s, pool %q would keep only %d active of the servers that count, but a pool of %d servers needs %s running to keep quorum. Bring another server back first (topo resume SERVER)",
					ref.Server, state, p.Name, active, n, quorumText(f.ProductName(), n))
			}
		}
	}
	return nil
}
