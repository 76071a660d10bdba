package topology

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// A topology drawn as a picture: sites as clusters, each pool with its
// servers (styled by state) and its VIPs, and the zones the compiled records
// land in. One model feeds both renderers, so Mermaid and DOT always show
// the same graph; both are byte-identical for the same input.

// Node classes: each decides a node's shape and colors.
const (
	classPool     = "pool"
	classActive   = string(StateActive)
	classDraining = string(StateDraining)
	classOffline  = string(StateOffline)
	classVIP      = "vip"
	classZone     = "zone"
	className     = "name"
)

// Edge styles.
const (
	edgeSolid  = "solid"
	edgeDashed = "dashed" // a draining server: out of the pool FQDN
	edgeDotted = "dotted" // an offline server: no record at all
	edgeRecord = "record" // records of a name landing in a zone
	edgePair   = "pair"   // two Front End pools paired for disaster recovery
)

type graphNode struct {
	id    string
	class string
	// path is the topology path of what the node stands for, as record
	// sources spell it.
	path string
	// lines is the label, one entry a line; the first names the node.
	lines []string
}

type graphCluster struct {
	id, label string
	nodes     []*graphNode
}

type graphEdge struct {
	from, to, label, style string
}

type graph struct {
	title    string
	clusters []*graphCluster
	loose    []*graphNode // nodes outside every cluster
	edges    []graphEdge
}

// idAllocator hands out node IDs safe in both Mermaid and DOT: ASCII
// letters, digits and underscores, always behind a kind prefix (so never a
// keyword such as "end" or "graph"), unique even when two names sanitize
// alike.
type idAllocator map[string]bool

func (a idAllocator) id(prefix string, parts ...string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for _, p := range parts {
		b.WriteByte('_')
		// A run of other characters becomes one underscore.
		gap := false
		for _, r := range p {
			if r < 128 && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
				if gap && !strings.HasSuffix(b.String(), "_") {
					b.WriteByte('_')
				}
				b.WriteRune(r)
				gap = false
			} else {
				gap = true
			}
		}
	}
	base := b.String()
	id := base
	for n := 2; a[id]; n++ {
		id = fmt.Sprintf("%s_%d", base, n)
	}
	a[id] = true
	return id
}

// buildGraph turns a topology and what it compiled to into the model. d
// may be nil: the zones are then left out.
func buildGraph(f *File, d *Desired) *graph {
	ids := idAllocator{}
	g := &graph{title: fmt.Sprintf("topology %s (%s)", f.Name, f.ProductName())}
	// byName lists the nodes that stand for a name; a record goes to the
	// one its source path lies under (the same FQDN may be one pool's
	// internal web services name and another's external one).
	byName := map[string][]*graphNode{}
	// order ranks nodes as declared, to sort the record edges.
	order := map[string]int{}
	poolByPath := map[string]*graphNode{}
	clusterByPath := map[string]*graphCluster{}
	add := func(c *graphCluster, n *graphNode) *graphNode {
		order[n.id] = len(order)
		if c == nil {
			g.loose = append(g.loose, n)
		} else {
			c.nodes = append(c.nodes, n)
		}
		return n
	}

	for _, s := range f.Sites {
		c := &graphCluster{id: ids.id("site", s.Name), label: "site " + s.Name}
		g.clusters = append(g.clusters, c)
		for _, p := range s.Pools {
			path := "site." + s.Name + ".pool." + p.Name
			pool := add(c, &graphNode{id: ids.id("pool", s.Name, p.Name), class: classPool, path: path, lines: poolLines(p)})
			poolByPath[path], clusterByPath[path] = pool, c
			byName[fold(p.FQDN)] = append(byName[fold(p.FQDN)], pool)
			if p.LB() == LBHardware && p.VIP != nil {
				vip := add(c, &graphNode{id: ids.id("hlb", s.Name, p.Name), class: classVIP, lines: []string{"HLB VIP", *p.VIP}})
				g.edges = append(g.edges, graphEdge{from: pool.id, to: vip.id, label: "hardware LB", style: edgeSolid})
			}
			if ws := p.WebServices; ws != nil {
				if ws.InternalFQDN != nil || ws.InternalVIP != nil {
					web := add(c, &graphNode{id: ids.id("webint", s.Name, p.Name), class: classVIP, lines: webLines("internal web services", p, ws.InternalFQDN, ws.InternalVIP)})
					if ws.InternalFQDN != nil && fold(*ws.InternalFQDN) != fold(p.FQDN) {
						web.path = path + ".web_services.internal"
						byName[fold(*ws.InternalFQDN)] = append(byName[fold(*ws.InternalFQDN)], web)
					}
					g.edges = append(g.edges, graphEdge{from: pool.id, to: web.id, label: "web internal", style: edgeSolid})
				}
				if ws.ExternalFQDN != nil || ws.ExternalProxyIP != nil || ws.ExternalVIP != nil {
					lines := webLines("external web services", p, ws.ExternalFQDN, nil)
					if ws.ExternalProxyIP != nil {
						lines = append(lines, "reverse proxy "+*ws.ExternalProxyIP)
					}
					if ws.ExternalVIP != nil {
						lines = append(lines, "VIP "+*ws.ExternalVIP+" (inside)")
					}
					web := add(c, &graphNode{id: ids.id("webext", s.Name, p.Name), class: classVIP, lines: lines})
					if ws.ExternalFQDN != nil {
						web.path = path + ".web_services.external"
						byName[fold(*ws.ExternalFQDN)] = append(byName[fold(*ws.ExternalFQDN)], web)
					}
					g.edges = append(g.edges, graphEdge{from: pool.id, to: web.id, label: "web external", style: edgeSolid})
				}
			}
			if p.RoleName() == RoleEdge {
				for _, svc := range edgeServices(p.Edge) {
					if svc.fqdn == nil {
						continue
					}
					n := add(c, &graphNode{id: ids.id("edgeext", s.Name, p.Name, svc.key), class: classVIP, path: path + ".edge." + svc.key, lines: edgeLines(p, svc)})
					byName[fold(*svc.fqdn)] = append(byName[fold(*svc.fqdn)], n)
					g.edges = append(g.edges, graphEdge{from: pool.id, to: n.id, label: "external", style: edgeSolid})
				}
			}
			for _, sv := range p.Servers {
				state := sv.StateName()
				fqdn := fold(p.ServerFQDN(sv))
				n := add(c, &graphNode{id: ids.id("srv", s.Name, p.Name, sv.Name), class: stateClass(state), path: path + ".server." + sv.Name, lines: serverLines(sv, fqdn, state)})
				byName[fqdn] = append(byName[fqdn], n)
				e := graphEdge{from: pool.id, to: n.id, style: edgeSolid}
				switch n.class {
				case classDraining:
					e.label, e.style = string(StateDraining), edgeDashed
				case classOffline:
					e.label, e.style = string(StateOffline), edgeDotted
				}
				g.edges = append(g.edges, e)
			}
		}
		for _, o := range s.OfficeOnline {
			path := "site." + s.Name + ".office_online_server." + o.Name
			lines := []string{"Office Online Server " + o.Name, fold(o.FQDN), "VIP " + o.VIP}
			if o.ExternalProxyIP != nil {
				ext := fold(o.FQDN)
				if o.ExternalFQDN != nil {
					ext = fold(*o.ExternalFQDN)
				}
				lines = append(lines, "external "+ext+" via reverse proxy "+*o.ExternalProxyIP)
			}
			n := add(c, &graphNode{id: ids.id("oos", s.Name, o.Name), class: classVIP, path: path, lines: lines})
			byName[fold(o.FQDN)] = append(byName[fold(o.FQDN)], n)
			if o.ExternalFQDN != nil && fold(*o.ExternalFQDN) != fold(o.FQDN) {
				byName[fold(*o.ExternalFQDN)] = append(byName[fold(*o.ExternalFQDN)], n)
			}
		}
	}
	// Disaster recovery pairs: one edge a pair, between the two pools.
	poolByFQDN := map[string]*graphNode{}
	for _, s := range f.Sites {
		for _, p := range s.Pools {
			poolByFQDN[fold(p.FQDN)] = poolByPath["site."+s.Name+".pool."+p.Name]
		}
	}
	paired := map[[2]string]bool{}
	for _, s := range f.Sites {
		for _, p := range s.Pools {
			if p.BackupPool == nil {
				continue
			}
			a, b := poolByPath["site."+s.Name+".pool."+p.Name], poolByFQDN[fold(*p.BackupPool)]
			if b == nil || a == b {
				continue
			}
			k := [2]string{a.id, b.id}
			if b.id < a.id {
				k = [2]string{b.id, a.id}
			}
			if !paired[k] {
				paired[k] = true
				g.edges = append(g.edges, graphEdge{from: a.id, to: b.id, label: "backup pool", style: edgePair})
			}
		}
	}
	if d == nil {
		return g
	}

	zones := &graphCluster{id: ids.id("zones"), label: "DNS zones"}
	g.clusters = append(g.clusters, zones)
	zoneRank := map[string]int{}
	type landing struct{ from, to string }
	counts := map[landing]map[string]int{}
	var landings []landing
	for _, zr := range d.Zones {
		recs := fmt.Sprintf("%d records", len(zr.Records))
		if len(zr.Records) == 1 {
			recs = "1 record"
		}
		zn := &graphNode{id: ids.id("zone", zr.Zone, string(zr.View)), class: classZone, lines: []string{zr.Zone, viewText(zr.View), "via " + zr.Provider, recs}}
		zones.nodes = append(zones.nodes, zn)
		zoneRank[zn.id] = len(zoneRank)
		for _, r := range zr.Records {
			from, ok := nodeFor(byName[r.Name], r.Source)
			if !ok {
				// A name no node stands for (a record kind this picture
				// does not know yet): draw it on its own, beside the pool
				// that made it when the source names one.
				from = &graphNode{id: ids.id("name", r.Name), class: className, lines: []string{r.Name}}
				pool, c := sourcePool(r.Source, poolByPath, clusterByPath)
				add(c, from)
				if pool != nil {
					g.edges = append(g.edges, graphEdge{from: pool.id, to: from.id, style: edgeSolid})
				}
				byName[r.Name] = append(byName[r.Name], from)
			}
			l := landing{from.id, zn.id}
			if counts[l] == nil {
				counts[l] = map[string]int{}
				landings = append(landings, l)
			}
			counts[l][r.Type]++
		}
	}
	slices.SortStableFunc(landings, func(a, b landing) int {
		return cmp.Or(cmp.Compare(order[a.from], order[b.from]), cmp.Compare(zoneRank[a.to], zoneRank[b.to]))
	})
	for _, l := range landings {
		types := make([]string, 0, len(counts[l]))
		for t := range counts[l] {
			types = append(types, t)
		}
		slices.Sort(types)
		for i, t := range types {
			if n := counts[l][t]; n > 1 {
				types[i] = fmt.Sprintf("%d %s", n, t)
			}
		}
		g.edges = append(g.edges, graphEdge{from: l.from, to: l.to, label: strings.Join(types, ", "), style: edgeRecord})
	}
	return g
}

// nodeFor picks, among the nodes standing for a record's name, the one
// its source lies under; failing that, the first declared.
func nodeFor(nodes []*graphNode, source string) (*graphNode, bool) {
	for _, n := range nodes {
		if n.path != "" && (source == n.path || strings.HasPrefix(source, n.path+".")) {
			return n, true
		}
	}
	if len(nodes) > 0 {
		return nodes[0], true
	}
	return nil, false
}

// sourcePool finds the pool a record's source path lies under, if any.
func sourcePool(source string, pools map[string]*graphNode, clusters map[string]*graphCluster) (*graphNode, *graphCluster) {
	for rest := source; rest != ""; {
		if p, ok := pools[rest]; ok {
			return p, clusters[rest]
		}
		i := strings.LastIndexByte(rest, '.')
		if i < 0 {
			break
		}
		rest = rest[:i]
	}
	return nil, nil
}

func viewText(view View) string {
	if view == ViewBoth {
		return "internal and external views"
	}
	return string(view) + " view"
}

func stateClass(state State) string {
	switch state {
	case StateDraining:
		return classDraining
	case StateOffline:
		return classOffline
	}
	return classActive
}

func poolLines(p *Pool) []string {
	lb := "DNS load balancing"
	if p.LB() == LBHardware {
		lb = "hardware load balancing"
	} else if p.LB() != LBDNS {
		lb = string(p.LB()) + " load balancing"
	}
	active := 0
	for _, s := range p.Servers {
		if s.StateName() == StateActive {
			active++
		}
	}
	what := string(p.RoleName()) + ", " + lb
	switch {
	case p.RoleName() == RoleFrontend && p.EditionName() == EditionStandard:
		what = "Standard Edition server"
	case p.oneServer():
		what = string(p.RoleName()) + ", single server"
	}
	return []string{
		p.Name,
		fold(p.FQDN),
		what,
		fmt.Sprintf("%d of %d servers active", active, len(p.Servers)),
	}
}

func webLines(title string, p *Pool, fqdn, vip *string) []string {
	lines := []string{title}
	switch {
	case fqdn == nil || fold(*fqdn) == fold(p.FQDN):
		lines = append(lines, fold(p.FQDN)+" (pool FQDN)")
	default:
		lines = append(lines, fold(*fqdn))
	}
	if vip != nil {
		lines = append(lines, "VIP "+*vip)
	}
	return lines
}

func serverLines(s *Server, fqdn string, state State) []string {
	what := string(state)
	switch state {
	case StateDraining:
		what = "draining: out of the pool FQDN"
	case StateOffline:
		what = "offline: no records"
	}
	lines := []string{s.Name, fqdn, s.IP}
	if s.Edge != nil {
		for _, svc := range edgeServices(nil) {
			ip, _ := svc.ip(s.Edge)
			pub, _ := svc.public(s.Edge)
			switch {
			case ip != nil && pub != nil:
				lines = append(lines, svc.key+" "+*ip+" (NAT "+*pub+")")
			case ip != nil:
				lines = append(lines, svc.key+" "+*ip)
			}
		}
	}
	return append(lines, what)
}

// edgeLines labels one service of an Edge pool's external interface.
func edgeLines(p *Pool, svc *edgeService) []string {
	lines := []string{svc.name + " (external)", fold(*svc.fqdn)}
	switch {
	case p.LB() == LBHardware && svc.vip != nil:
		lines = append(lines, "VIP "+*svc.vip)
	case p.LB() == LBHardware:
		lines = append(lines, "hardware load balancing")
	default:
		lines = append(lines, "DNS load balancing: one address a server")
	}
	return lines
}

var errNoFile = errors.New("draw topology: no topology file")

// WriteMermaid draws the topology as a Mermaid flowchart (`flowchart LR`):
// a subgraph per site holding its pools, servers (solid when active, dashed
// orange when draining, grey when offline) and VIPs, a subgraph of the
// zones of d, and an edge from each name to the zone its records land in,
// labelled with their types and count. d may be nil to leave DNS out.
//
// The text is what goes between "```mermaid" and "```" in Markdown, so a
// plan or README can embed it as is. Labels are quoted and escaped with
// Mermaid entity codes and IDs are plain identifiers, so any site, pool or
// server name renders.
func WriteMermaid(w io.Writer, f *File, d *Desired) error {
	if f == nil {
		return errNoFile
	}
	g := buildGraph(f, d)
	var b strings.Builder
	// The comment goes after the diagram type: older Mermaid releases
	// detect the type from the first line.
	b.WriteString("flowchart LR\n")
	fmt.Fprintf(&b, "  %%%% topo graph: %s\n", mermaidComment(g.title))
	var classes [][2]string // class, id
	node := func(indent string, n *graphNode) {
		open, close := mermaidShape(n.class)
		texts := make([]string, len(n.lines))
		for i, l := range n.lines {
			texts[i] = mermaidText(l)
		}
		fmt.Fprintf(&b, "%s%s%s\"%s\"%s\n", indent, n.id, open, strings.Join(texts, "<br>"), close)
		classes = append(classes, [2]string{n.class, n.id})
	}
	for _, c := range g.clusters {
		fmt.Fprintf(&b, "  subgraph %s [\"%s\"]\n", c.id, mermaidText(c.label))
		for _, n := range c.nodes {
			node("    ", n)
		}
		b.WriteString("  end\n")
	}
	for _, n := range g.loose {
		node("  ", n)
	}
	linkStyles := map[string][]string{}
	for i, e := range g.edges {
		arrow := "-->"
		switch e.style {
		case edgeDashed:
			arrow = "-.->"
		case edgeDotted:
			arrow = "-.-"
		case edgeRecord:
			arrow = "==>"
		case edgePair:
			arrow = "-.-"
		}
		if e.style != edgeSolid {
			linkStyles[e.style] = append(linkStyles[e.style], fmt.Sprint(i))
		}
		label := ""
		if e.label != "" {
			label = "|\"" + mermaidText(e.label) + "\"|"
		}
		fmt.Fprintf(&b, "  %s %s%s %s\n", e.from, arrow, label, e.to)
	}
	for _, s := range []string{edgeDashed, edgeDotted, edgeRecord, edgePair} {
		if len(linkStyles[s]) > 0 {
			fmt.Fprintf(&b, "  linkStyle %s %s\n", strings.Join(linkStyles[s], ","), mermaidLinkStyle[s])
		}
	}
	used := map[string][]string{}
	for _, c := range classes {
		used[c[0]] = append(used[c[0]], c[1])
	}
	for _, cl := range classOrder {
		if len(used[cl]) == 0 {
			continue
		}
		fmt.Fprintf(&b, "  classDef %s %s\n", cl, mermaidClassDef[cl])
		fmt.Fprintf(&b, "  class %s %s\n", strings.Join(used[cl], ","), cl)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// classOrder is the order classes are defined in, for stable output.
var classOrder = []string{classPool, classActive, classDraining, classOffline, classVIP, classZone, className}

var mermaidClassDef = map[string]string{
	classPool:     "fill:#e3f2fd,stroke:#1565c0,stroke-width:2px,color:#0d1b2a",
	classActive:   "fill:#e8f5e9,stroke:#2e7d32,color:#1b2e1c",
	classDraining: "fill:#fff3e0,stroke:#e65100,stroke-width:2px,stroke-dasharray:5 5,color:#4e2600",
	classOffline:  "fill:#eeeeee,stroke:#9e9e9e,stroke-dasharray:2 2,color:#9e9e9e",
	classVIP:      "fill:#f3e5f5,stroke:#6a1b9a,color:#2a0a3d",
	classZone:     "fill:#fffde7,stroke:#f9a825,color:#3e2f00",
	className:     "fill:#ffffff,stroke:#616161,color:#212121",
}

var mermaidLinkStyle = map[string]string{
	edgeDashed: "stroke:#e65100,stroke-width:2px,stroke-dasharray:5 5",
	edgeDotted: "stroke:#9e9e9e,stroke-dasharray:2 2",
	edgeRecord: "stroke:#f9a825",
	edgePair:   "stroke:#6a1b9a,stroke-width:2px,stroke-dasharray:8 4",
}

func mermaidShape(class string) (open, close string) {
	switch class {
	case classPool, className:
		return "[", "]"
	case classVIP:
		return "{{", "}}"
	case classZone:
		return "[(", ")]"
	}
	return "(", ")" // servers: rounded
}

// mermaidText escapes a label for a quoted Mermaid string with entity
// codes: quotes would end the string, # starts an entity, < > & would be
// read as HTML, a backtick as Markdown.
var mermaidText = strings.NewReplacer(
	`"`, "#quot;",
	"#", "#35;",
	"<", "#lt;",
	">", "#gt;",
	"&", "#amp;",
	"`", "#96;",
	"\n", " ", "\r", " ", "\t", " ",
).Replace

func mermaidComment(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
}

// WriteDOT draws the same graph as WriteMermaid in Graphviz DOT: `digraph
// topo`, a `subgraph cluster_...` per site and one for the zones, node
// styles by state (an offline server struck through and grey). Render it
// with `dot -Tsvg`.
func WriteDOT(w io.Writer, f *File, d *Desired) error {
	if f == nil {
		return errNoFile
	}
	g := buildGraph(f, d)
	var b strings.Builder
	b.WriteString("digraph topo {\n")
	fmt.Fprintf(&b, "  graph [rankdir=LR, fontname=\"Helvetica\", label=%s, labelloc=t];\n", dotString(g.title))
	b.WriteString("  node [fontname=\"Helvetica\", fontsize=10];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=9];\n")
	for _, c := range g.clusters {
		fmt.Fprintf(&b, "\n  subgraph cluster_%s {\n", c.id)
		fmt.Fprintf(&b, "    label=%s;\n    style=\"rounded\";\n    color=\"#9e9e9e\";\n", dotString(c.label))
		for _, n := range c.nodes {
			writeDOTNode(&b, "    ", n)
		}
		b.WriteString("  }\n")
	}
	if len(g.loose) > 0 {
		b.WriteString("\n")
	}
	for _, n := range g.loose {
		writeDOTNode(&b, "  ", n)
	}
	if len(g.edges) > 0 {
		b.WriteString("\n")
	}
	for _, e := range g.edges {
		var attrs []string
		if e.label != "" {
			attrs = append(attrs, "label="+dotString(e.label))
		}
		if s := dotEdgeStyle[e.style]; s != "" {
			attrs = append(attrs, s)
		}
		fmt.Fprintf(&b, "  %s -> %s", e.from, e.to)
		if len(attrs) > 0 {
			fmt.Fprintf(&b, " [%s]", strings.Join(attrs, ", "))
		}
		b.WriteString(";\n")
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

var dotNodeStyle = map[string]string{
	classPool:     `shape=box, style="filled,bold", fillcolor="#e3f2fd", color="#1565c0"`,
	classActive:   `shape=box, style="rounded,filled", fillcolor="#e8f5e9", color="#2e7d32"`,
	classDraining: `shape=box, style="rounded,filled,dashed,bold", fillcolor="#fff3e0", color="#e65100"`,
	classOffline:  `shape=box, style="rounded,filled,dotted", fillcolor="#eeeeee", color="#9e9e9e", fontcolor="#9e9e9e"`,
	classVIP:      `shape=hexagon, style="filled", fillcolor="#f3e5f5", color="#6a1b9a"`,
	classZone:     `shape=cylinder, style="filled", fillcolor="#fffde7", color="#f9a825"`,
	className:     `shape=box, style="filled", fillcolor="#ffffff", color="#616161"`,
}

var dotEdgeStyle = map[string]string{
	edgeDashed: `style=dashed, color="#e65100", fontcolor="#e65100"`,
	edgeDotted: `style=dotted, color="#9e9e9e", fontcolor="#9e9e9e", arrowhead=none`,
	edgeRecord: `style=bold, color="#f9a825"`,
	edgePair:   `style=dashed, dir=both, color="#6a1b9a", fontcolor="#6a1b9a", penwidth=2`,
}

func writeDOTNode(b *strings.Builder, indent string, n *graphNode) {
	lines := make([]string, len(n.lines))
	for i, l := range n.lines {
		lines[i] = dotHTML(l)
	}
	if len(lines) > 0 {
		if n.class == classOffline {
			lines[0] = "<S>" + lines[0] + "</S>"
		}
		lines[0] = "<B>" + lines[0] + "</B>"
	}
	fmt.Fprintf(b, "%s%s [%s, label=<%s>];\n", indent, n.id, dotNodeStyle[n.class], strings.Join(lines, "<BR/>"))
}

// dotHTML escapes text for a DOT HTML-like label.
var dotHTML = strings.NewReplacer(
	"&", "&amp;",
	"<", "&lt;",
	">", "&gt;",
	`"`, "&quot;",
	"\n", " ", "\r", " ", "\t", " ",
).Replace

// dotString quotes s as a DOT string. A backslash is doubled so it stays a
// backslash rather than starting an escape such as \n or \N.
func dotString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", " ", "\r", " ").Replace(s) + `"`
}
