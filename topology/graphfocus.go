package topology

import (
	"fmt"
	"io"
	"maps"
)

// Mermaid's limits on a diagram (its configuration's maxTextSize and
// maxEdges): a longer text renders only "Maximum text size in diagram
// exceeded", more edges "Too many edges". maxEdges defaults to 500;
// Mermaid 10.6.0 allowed 280, so a focused graph keeps under that.
const (
	MermaidMaxText  = 50000
	MermaidMaxEdges = 280
)

// Focus bounds a Mermaid graph to what a plan touches and to Mermaid's
// limits.
type Focus struct {
	// Names are the record names the plan changes: the graph keeps the
	// pools and Office Online Server farms standing for one of them (each
	// with its servers, VIPs and web services) and the zones their records
	// land in. Nil keeps every pool.
	Names map[string]bool
	// MaxText bounds the diagram in bytes, never fewer than the characters
	// Mermaid counts; 0 means MermaidMaxText. MaxEdges bounds its edges; 0
	// means MermaidMaxEdges.
	MaxText  int
	MaxEdges int
}

// Focused says what a focused graph shows.
type Focused struct {
	// Groups counts the pools and farms the plan touches, Shown those
	// drawn: the first Shown in topology order, then one node saying how
	// many more. Shown is 0 and nothing is written when the plan touches
	// none, or when not even the node saying so fits.
	Groups, Shown int
	// Collapsed is set when each pool's active servers are drawn as one
	// node, to fit.
	Collapsed bool
}

// WriteMermaidFocused draws, as WriteMermaid does, the part of the
// topology a plan touches, within Mermaid's limits: everything touched
// when it fits; else with each pool's active servers as one node (its
// draining and offline servers, what a plan is usually about, stay
// apart); else the first pools in topology order and a node counting the
// rest.
func WriteMermaidFocused(w io.Writer, f *File, d *Desired, fo Focus) (Focused, error) {
	if f == nil {
		return Focused{}, errNoFile
	}
	maxText, maxEdges := fo.MaxText, fo.MaxEdges
	if maxText <= 0 {
		maxText = MermaidMaxText
	}
	if maxEdges <= 0 {
		maxEdges = MermaidMaxEdges
	}
	full := buildGraph(f, d)
	touched := map[string]bool{}
	for name := range fo.Names {
		for _, n := range full.byName[name] {
			touched[n.group] = true
		}
	}
	var groups []string
	seen := map[string]bool{}
	for _, n := range full.nodes() {
		if n.group != "" && !seen[n.group] && (fo.Names == nil || touched[n.group]) {
			seen[n.group] = true
			groups = append(groups, n.group)
		}
	}
	res := Focused{Groups: len(groups)}
	if len(groups) == 0 {
		return res, nil
	}
	try := func(k int, collapse bool) (string, bool) {
		keep := map[string]bool{}
		for _, gr := range groups[:k] {
			keep[gr] = true
		}
		g := full.focus(keep, collapse, len(groups)-k)
		if len(g.edges) > maxEdges {
			return "", false
		}
		text := mermaidText(g)
		return text, len(text) <= maxText
	}
	text, ok := try(len(groups), false)
	res.Shown = len(groups)
	if !ok {
		res.Collapsed = true
		text, ok = try(len(groups), true)
	}
	if !ok {
		lo, hi := 0, len(groups) // try(lo) fits (or lo is 0: none does), try(hi) does not
		for lo+1 < hi {
			mid := (lo + hi) / 2
			if _, fits := try(mid, true); fits {
				lo = mid
			} else {
				hi = mid
			}
		}
		if lo == 0 {
			return Focused{Groups: len(groups)}, nil
		}
		text, _ = try(lo, true)
		res.Shown = lo
	}
	_, err := io.WriteString(w, text)
	return res, err
}

// nodes lists every node of the graph in drawing order.
func (g *graph) nodes() []*graphNode {
	var out []*graphNode
	for _, c := range g.clusters {
		out = append(out, c.nodes...)
	}
	return append(out, g.loose...)
}

// focus returns the graph of the groups in keep and the zones their
// records land in, each pool's active servers as one node when collapse
// is set, and a node saying how many more groups the plan touches.
func (g *graph) focus(keep map[string]bool, collapse bool, more int) *graph {
	ids := maps.Clone(g.ids)
	out := &graph{title: g.title + ", what the plan changes", byName: g.byName, ids: ids}
	kept := map[string]bool{}    // node IDs
	alias := map[string]string{} // a collapsed server's ID -> its group's node
	servers := map[string]*graphNode{}
	count := map[*graphNode]int{}
	for _, c := range g.clusters {
		if c == g.zones {
			continue // below: the zones the kept records land in
		}
		nc := &graphCluster{id: c.id, label: c.label}
		for _, n := range c.nodes {
			if !keep[n.group] {
				continue
			}
			if collapse && n.class == classActive {
				sn := servers[n.group]
				if sn == nil {
					sn = &graphNode{id: ids.id("servers", n.group), class: classActive, group: n.group}
					servers[n.group] = sn
					nc.nodes = append(nc.nodes, sn)
					kept[sn.id] = true
				}
				count[sn]++
				alias[n.id] = sn.id
				continue
			}
			nc.nodes = append(nc.nodes, n)
			kept[n.id] = true
		}
		if len(nc.nodes) > 0 {
			out.clusters = append(out.clusters, nc)
		}
	}
	for sn, n := range count {
		sn.lines = []string{fmt.Sprintf("%d active servers", n)}
		if n == 1 {
			sn.lines = []string{"1 active server"}
		}
	}
	for _, n := range g.loose {
		if keep[n.group] {
			out.loose = append(out.loose, n)
			kept[n.id] = true
		}
	}
	// Edges between kept nodes and from them to the zones; the edges of
	// collapsed servers become one edge of their group's node, record
	// counts added up.
	zonesUsed := map[string]bool{}
	merged := map[[2]string]int{} // a merged edge's (from, to) -> index in out.edges
	for _, e := range g.edges {
		af, fromAlias := alias[e.from]
		at, toAlias := alias[e.to]
		if fromAlias {
			e.from = af
		}
		if toAlias {
			e.to = at
		}
		if !kept[e.from] || !(kept[e.to] || e.style == edgeRecord) {
			continue
		}
		if e.style == edgeRecord {
			zonesUsed[e.to] = true
		}
		if fromAlias || toAlias {
			k := [2]string{e.from, e.to}
			if i, ok := merged[k]; ok {
				if e.records != nil {
					sum := maps.Clone(out.edges[i].records)
					for t, n := range e.records {
						sum[t] += n
					}
					out.edges[i].records = sum
				}
				continue
			}
			merged[k] = len(out.edges)
		}
		out.edges = append(out.edges, e)
	}
	if g.zones != nil {
		nc := &graphCluster{id: g.zones.id, label: g.zones.label}
		for _, n := range g.zones.nodes {
			if zonesUsed[n.id] {
				nc.nodes = append(nc.nodes, n)
			}
		}
		if len(nc.nodes) > 0 {
			out.clusters = append(out.clusters, nc)
		}
	}
	if more > 0 {
		what := fmt.Sprintf("and %d more pools this plan changes, not drawn", more)
		if more == 1 {
			what = "and 1 more pool this plan changes, not drawn"
		}
		out.loose = append(out.loose, &graphNode{id: ids.id("more"), class: className, lines: []string{what}})
	}
	return out
}
