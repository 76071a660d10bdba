package publish

import (
	"bytes"
	"fmt"
	"io"

	"github.com/topo-dns/topo/topology"
)

// MarkdownOptions tune the Markdown form of a plan.
type MarkdownOptions struct {
	// MaxBytes, when positive, bounds the whole output, graph included: a
	// plan whose full Markdown is longer is summarised to fit (counts per
	// zone and per pool, then the first rows of each list), measured in
	// bytes. GitHub takes a pull-request comment of up to 65,536
	// characters and a step summary of up to 1 MiB.
	MaxBytes int
	// FullPlan says where the full plan is, for a summarised plan.
	FullPlan string
	// Topology and Desired, when both set, add a Mermaid graph of the
	// pools the plan changes: what the plan was made from.
	Topology *topology.File
	Desired  *topology.Desired
}

// graphFrame is what surrounds the Mermaid text in the Markdown.
const graphHead, graphTail = "#### Topology\n\n", "```\n"

// minGraph is the least room worth giving a graph: a few pools.
const minGraph = 4096

// WriteMarkdownWith prints the plan as Markdown for a pull-request comment
// or a step summary, within opts.MaxBytes, with a graph of what it changes
// when opts names the topology.
func WriteMarkdownWith(w io.Writer, p *Plan, opts MarkdownOptions) error {
	v := newView(p)
	max := opts.MaxBytes
	if max > 0 && max < MinMaxBytes {
		max = MinMaxBytes
	}
	if opts.Topology == nil || opts.Desired == nil || !p.HasChanges() {
		return bounded(w, max, v.most, func(s *sink, limit int) { v.markdown(s, opts.FullPlan, limit) })
	}
	// The plan in full when it leaves the graph enough room; else the
	// graph gets at most a third and the plan, summarised, the rest.
	full := sink{cap: max}
	v.markdown(&full, opts.FullPlan, -1)
	room := topology.MermaidMaxText
	if max > 0 {
		room = min(room, max-full.Len())
		if room < minGraph {
			room = min(topology.MermaidMaxText, max/3)
		}
	}
	graph, err := v.graph(opts, room)
	if err != nil {
		return err
	}
	var plan bytes.Buffer
	planMax := 0
	if max > 0 {
		planMax = max - len(graph)
	}
	if err := bounded(&plan, planMax, v.most, func(s *sink, limit int) { v.markdown(s, opts.FullPlan, limit) }); err != nil {
		return err
	}
	plan.Write(graph)
	_, err = w.Write(plan.Bytes())
	return err
}

// graph is the Markdown of the plan's graph in at most room bytes, or a
// line saying why there is none.
func (v *planView) graph(opts MarkdownOptions, room int) ([]byte, error) {
	names := map[string]bool{}
	for _, z := range v.p.Zones {
		for _, c := range z.Changes {
			if !c.Marker {
				names[c.Name] = true
			}
		}
	}
	for _, n := range v.p.Notes {
		for _, name := range append([]string{n.FQDN, n.PoolFQDN}, n.Names...) {
			if name != "" {
				names[name] = true
			}
		}
	}
	var caption string
	tooLarge := []byte(graphHead + "_The graph of what this plan changes is too large to draw here._\n")
	frame := len(graphHead) + len("```mermaid\n") + len(graphTail) + 200 // the caption
	if room-frame <= 0 {
		return tooLarge, nil
	}
	var mmd bytes.Buffer
	res, err := topology.WriteMermaidFocused(&mmd, opts.Topology, opts.Desired, topology.Focus{Names: names, MaxText: room - frame})
	if err != nil {
		return nil, err
	}
	switch {
	case res.Groups == 0:
		return []byte(graphHead + "_No pool of the topology changes: the plan only deletes names the topology no longer has._\n"), nil
	case res.Shown == 0:
		return tooLarge, nil
	case res.Shown < res.Groups:
		caption = fmt.Sprintf("_What this plan changes: the first %s of %s pools, active servers drawn as one node a pool._\n\n", num(res.Shown), num(res.Groups))
	case res.Collapsed:
		caption = fmt.Sprintf("_What this plan changes (%s), active servers drawn as one node a pool._\n\n", plural(res.Groups, "pool", "pools"))
	default:
		caption = fmt.Sprintf("_What this plan changes (%s)._\n\n", plural(res.Groups, "pool", "pools"))
	}
	return []byte(graphHead + caption + "```mermaid\n" + mmd.String() + graphTail), nil
}
