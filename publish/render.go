package publish

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/topo-dns/topo/providers"
)

// TextOptions tune the text form of a plan.
type TextOptions struct {
	// Color adds ANSI colors: green creates, yellow updates, red deletes.
	Color bool
	// Now, when set, dates when each lifecycle change takes effect if the
	// plan is published now.
	Now time.Time
}

const (
	ansiReset  = "\x1b[0m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiRed    = "\x1b[31m"
	ansiCyan   = "\x1b[36m"
	ansiBold   = "\x1b[1m"
)

func paint(on bool, color, s string) string {
	if !on {
		return s
	}
	return color + s + ansiReset
}

func actionColor(a Action) string {
	switch a {
	case Create:
		return ansiGreen
	case Update:
		return ansiYellow
	case Adopt:
		return ansiCyan
	}
	return ansiRed
}

// WriteText prints the plan for people: per zone, each changed RRset with
// the values it gains and loses and the topology paths behind it.
// Ownership markers are counted, not listed.
func WriteText(w io.Writer, p *Plan, opts TextOptions) error {
	var b strings.Builder
	total := p.Counts()
	for _, z := range p.Zones {
		c := z.Counts()
		if c.Total() == 0 {
			fmt.Fprintf(&b, "%s via %s: no changes\n", paint(opts.Color, ansiBold, "zone "+z.ID()), z.Provider)
			writeScopeText(&b, z)
			continue
		}
		fmt.Fprintf(&b, "%s via %s: %s", paint(opts.Color, ansiBold, "zone "+z.ID()), z.Provider, countsText(c))
		if z.Chunks > 1 {
			fmt.Fprintf(&b, ", applied in %d chunks", z.Chunks)
		}
		b.WriteString("\n")
		writeScopeText(&b, z)
		for _, ch := range z.Changes {
			if !ch.Marker {
				writeChangeText(&b, ch, opts.Color)
			}
		}
		if markers := markerCount(z.Changes); markers > 0 {
			fmt.Fprintf(&b, "  (%d ownership marker record set(s) %s)\n", markers, markerVerb(z.Changes))
		}
		b.WriteString("\n")
	}
	if total.Adopt > 0 {
		fmt.Fprintf(&b, "%s\n\n", adoptText(total.Adopt))
	}
	writeNotesText(&b, p.Notes, opts)
	if total.Total() == 0 {
		b.WriteString("\nNo changes. DNS matches the topology.\n")
	} else {
		fmt.Fprintf(&b, "Plan: %s.\n", countsText(total))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeScopeText says a zone was read name by name, and what that means.
func writeScopeText(b *strings.Builder, z ZonePlan) {
	s := z.ReadScope
	if s == nil || !s.Names {
		return
	}
	why := "as configured (read = \"names\")"
	if s.Reason == providers.ReasonTransferRefused {
		why = "the server refused the zone transfer (" + s.Detail + ")"
	}
	fmt.Fprintf(b, "  read name by name from %s: %s; ownership and conflict checks cover these %d names only\n", s.Server, why, s.Count)
}

// markerCount counts the ownership markers a zone's changes write or
// delete: marker changes, and the markers adoptions carry.
func markerCount(cs []Change) int {
	n := 0
	for _, c := range cs {
		if c.Marker || c.AdoptMarker != nil {
			n++
		}
	}
	return n
}

func markerVerb(cs []Change) string {
	var acts []string
	seen := map[Action]bool{}
	for _, c := range cs {
		a := c.Action
		if c.AdoptMarker != nil {
			a = Create // an adoption creates its marker
		} else if !c.Marker {
			continue
		}
		if !seen[a] {
			seen[a] = true
			acts = append(acts, string(a)+"d")
		}
	}
	slices.Sort(acts)
	return strings.Join(acts, ", ")
}

func countsText(c Counts) string {
	s := fmt.Sprintf("%d to create, %d to update, %d to delete", c.Create, c.Update, c.Delete)
	if c.Adopt > 0 {
		s += fmt.Sprintf(", %d to adopt", c.Adopt)
	}
	return s
}

// adoptText says what adopting record sets means.
func adoptText(n int) string {
	return fmt.Sprintf("%d record set(s) to adopt (=): the zone already holds exactly what the topology wants there, but topo does not own them yet. Publishing changes none of them: it writes only topo's ownership markers, after which topo manages them as its own.", n)
}

func writeChangeText(b *strings.Builder, ch Change, color bool) {
	ttl := ""
	switch {
	case ch.After != nil && ch.Before != nil && ch.Before.TTL != ch.After.TTL:
		ttl = fmt.Sprintf("TTL %d -> %d", ch.Before.TTL, ch.After.TTL)
	case ch.After != nil:
		ttl = fmt.Sprintf("TTL %d", ch.After.TTL)
	default:
		ttl = fmt.Sprintf("TTL %d", ch.Before.TTL)
	}
	fmt.Fprintf(b, "  %s %s %s %s\n", paint(color, actionColor(ch.Action), ch.Action.Symbol()), ch.Name, ch.Type, ttl)
	for _, vd := range valueDiff(ch) {
		fmt.Fprintf(b, "      %s %s\n", paint(color, symbolColor(vd.sym), vd.sym), vd.value)
	}
	if len(ch.Sources) > 0 {
		fmt.Fprintf(b, "      from %s\n", sourcesText(ch.Sources, 3))
	} else if ch.Action == Delete {
		b.WriteString("      no longer in the topology\n")
	}
}

func symbolColor(sym string) string {
	switch sym {
	case "+":
		return ansiGreen
	case "-":
		return ansiRed
	}
	return ""
}

type valueChange struct{ sym, value string }

// valueDiff lists an RRset's values with + for gained, - for lost and a
// space for kept, in value order.
func valueDiff(ch Change) []valueChange {
	var before, after []string
	if ch.Before != nil {
		before = ch.Before.Values
	}
	if ch.After != nil {
		after = ch.After.Values
	}
	var out []valueChange
	i, j := 0, 0
	for i < len(before) || j < len(after) {
		switch {
		case j >= len(after) || (i < len(before) && before[i] < after[j]):
			out = append(out, valueChange{"-", before[i]})
			i++
		case i >= len(before) || after[j] < before[i]:
			out = append(out, valueChange{"+", after[j]})
			j++
		default:
			out = append(out, valueChange{" ", after[j]})
			i++
			j++
		}
	}
	return out
}

func sourcesText(src []string, max int) string {
	if len(src) <= max {
		return strings.Join(src, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(src[:max], ", "), len(src)-max)
}

// WriteMarkdown prints the plan as Markdown for a pull-request comment: a
// table per zone of operation, name, type, TTL, value and source.
func WriteMarkdown(w io.Writer, p *Plan) error {
	var b strings.Builder
	total := p.Counts()
	fmt.Fprintf(&b, "### topo plan: %s\n\n", p.Topology)
	if total.Total() == 0 {
		b.WriteString("No changes. DNS matches the topology.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "**%s.**\n\n", countsText(total))
	for _, z := range p.Zones {
		if len(z.Changes) == 0 {
			continue
		}
		fmt.Fprintf(&b, "#### Zone `%s` (%s) via `%s`: %s", z.Zone, z.View, z.Provider, countsText(z.Counts()))
		if z.Chunks > 1 {
			fmt.Fprintf(&b, ", applied in %d chunks", z.Chunks)
		}
		if z.ReadScope != nil && z.ReadScope.Names {
			var sb strings.Builder
			writeScopeText(&sb, z)
			b.WriteString("\n\n> " + strings.TrimSpace(sb.String()))
		}
		b.WriteString("\n\n| Operation | Name | Type | TTL | Value | Source |\n|---|---|---|---|---|---|\n")
		for _, ch := range z.Changes {
			if ch.Marker {
				continue
			}
			ttl := ""
			switch {
			case ch.After != nil && ch.Before != nil && ch.Before.TTL != ch.After.TTL:
				ttl = fmt.Sprintf("~~%d~~ %d", ch.Before.TTL, ch.After.TTL)
			case ch.After != nil:
				ttl = fmt.Sprint(ch.After.TTL)
			default:
				ttl = fmt.Sprint(ch.Before.TTL)
			}
			var vals []string
			for _, vd := range valueDiff(ch) {
				v := mdEscape(vd.value)
				switch vd.sym {
				case "+":
					v = "+ " + v
				case "-":
					v = "~~" + v + "~~"
				}
				vals = append(vals, v)
			}
			src := "no longer in the topology"
			if len(ch.Sources) > 0 {
				src = mdEscape(sourcesText(ch.Sources, 3))
			}
			fmt.Fprintf(&b, "| %s %s | `%s` | %s | %s | %s | %s |\n", ch.Action.Symbol(), ch.Action, ch.Name, ch.Type, ttl, strings.Join(vals, "<br>"), src)
		}
		if markers := markerCount(z.Changes); markers > 0 {
			fmt.Fprintf(&b, "\n_%d ownership marker record set(s) %s._\n", markers, markerVerb(z.Changes))
		}
		b.WriteString("\n")
	}
	if total.Adopt > 0 {
		fmt.Fprintf(&b, "%s\n\n", mdEscape(adoptText(total.Adopt)))
	}
	writeNotesMarkdown(&b, p.Notes)
	_, err := io.WriteString(w, b.String())
	return err
}

func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "`", "\\`").Replace(s)
}

// writeNotesText prints what each server lifecycle change means and what to
// do next.
func writeNotesText(b *strings.Builder, notes []Note, opts TextOptions) {
	if len(notes) == 0 {
		return
	}
	b.WriteString(paint(opts.Color, ansiBold, "What this means for servers") + "\n")
	for _, n := range notes {
		dns, next, ok := n.prose()
		if !ok {
			continue
		}
		fmt.Fprintf(b, "  * [%s] %s\n", n.Kind.Label(), dns)
		if !opts.Now.IsZero() && n.TTL > 0 && n.Kind != NoteJoining {
			fmt.Fprintf(b, "    Takes full effect by %s if published now.\n", opts.Now.UTC().Add(time.Duration(n.TTL)*time.Second).Format("15:04 UTC"))
		}
		for _, s := range next {
			fmt.Fprintf(b, "    - %s\n", s)
		}
	}
	b.WriteString("\n")
}

// writeNotesMarkdown is writeNotesText for pull-request comments.
func writeNotesMarkdown(b *strings.Builder, notes []Note) {
	if len(notes) == 0 {
		return
	}
	b.WriteString("#### What this means for servers\n\n")
	for _, n := range notes {
		dns, next, ok := n.prose()
		if !ok {
			continue
		}
		fmt.Fprintf(b, "- **%s** %s\n", n.Kind.Label(), mdEscape(dns))
		for _, s := range next {
			fmt.Fprintf(b, "  - %s\n", mdEscape(s))
		}
	}
	b.WriteString("\n")
}
