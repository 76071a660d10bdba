package publish

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/topo-dns/topo/providers"
)

// MinMaxBytes is the least bound a view takes (TextOptions.MaxBytes,
// MarkdownOptions.MaxBytes): the frame of a summarised plan (its totals,
// what it leaves out and where the full plan is) fits in it. A smaller
// positive bound is taken as MinMaxBytes.
const MinMaxBytes = 2048

// foldRows is how many rows of a Markdown table, or items of its notes,
// are shown open; more are folded in <details>.
const foldRows = 20

// TextOptions tune the text form of a plan.
type TextOptions struct {
	// Color adds ANSI colors: green creates, yellow updates, red deletes.
	Color bool
	// Now, when set, dates when each lifecycle change takes effect if the
	// plan is published now.
	Now time.Time
	// MaxBytes, when positive, bounds the text: a plan whose full text is
	// longer is summarised to fit (counts per zone and per pool, then the
	// first rows of each list and "and N more"), measured in bytes,
	// colour codes included.
	MaxBytes int
	// FullPlan says where the full plan is, for a summarised plan: "the
	// saved plan plan.json (topo show plan.json)". Empty: "the plan's JSON
	// form".
	FullPlan string
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
	if !on || color == "" {
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

// sink is the text being written, and the size past which a view stops
// writing: a view that has run over its bound is thrown away, so nothing
// after the bound needs writing.
type sink struct {
	strings.Builder
	cap int // 0: no bound
}

func (s *sink) printf(format string, args ...any) { fmt.Fprintf(&s.Builder, format, args...) }

// over reports whether the text has run past the bound.
func (s *sink) over() bool { return s.cap > 0 && s.Len() > s.cap }

// bounded writes the view at the largest detail that fits in max bytes:
// in full (limit -1) when it fits, otherwise summarised, listing the
// first limit items of every list for the largest limit that fits.
// most bounds the length of every list, past which a summary lists
// everything.
func bounded(w io.Writer, max, most int, write func(s *sink, limit int)) error {
	if max > 0 && max < MinMaxBytes {
		max = MinMaxBytes
	}
	try := func(limit int) (*sink, bool) {
		s := &sink{cap: max}
		write(s, limit)
		return s, !s.over()
	}
	s, ok := try(-1)
	if !ok {
		// The largest limit that fits: the size grows with it.
		lo, hi := 0, 1
		for {
			if _, fits := try(hi); !fits {
				break
			}
			if hi > most {
				// Everything listed, and it fits: a summary is shorter
				// than the whole plan when it leaves out the zones
				// without changes.
				lo = hi
				break
			}
			lo, hi = hi, hi*2
		}
		for lo+1 < hi {
			mid := (lo + hi) / 2
			if _, fits := try(mid); fits {
				lo = mid
			} else {
				hi = mid
			}
		}
		s, _ = try(lo)
	}
	_, err := io.WriteString(w, s.String())
	return err
}

// zoneView is a zone as the views show it: its record set changes (the
// ownership markers counted apart) and their counts per pool.
type zoneView struct {
	z                *ZonePlan
	records, markers Counts
	// index is the change to the zone's name index, if any.
	index   *Change
	changes []Change // markers left out
	pools   []poolCount
}

// poolCount is how many changes of a zone come from one pool (or
// another part of the topology, or no longer from any).
type poolCount struct {
	name string
	c    Counts
}

// planView is a plan prepared for the views.
type planView struct {
	p                *Plan
	zones            []zoneView
	records, markers Counts
	indexes          int // name index changes
	changed          int // zones with changes
	groups           []noteGroup
	notes            int // groups the views can write
	guard            []GuardViolation
	// most bounds the length of every list the views cut.
	most int
}

func newView(p *Plan) *planView {
	v := &planView{p: p}
	for i := range p.Zones {
		z := &p.Zones[i]
		zv := zoneView{z: z}
		byPool := map[string]int{}
		for _, c := range z.Changes {
			if c.Index {
				// topo's bookkeeping: said, not listed.
				zv.index = &c
				v.indexes++
				continue
			}
			if c.Marker {
				zv.markers.add(c.Action)
				continue
			}
			if c.AdoptMarker != nil {
				zv.markers.Create++ // an adoption writes its marker
			}
			zv.records.add(c.Action)
			zv.changes = append(zv.changes, c)
			key := ""
			if len(c.Sources) > 0 {
				key = sourceGroup(c.Sources[0])
			}
			j, ok := byPool[key]
			if !ok {
				j = len(zv.pools)
				byPool[key] = j
				zv.pools = append(zv.pools, poolCount{name: key})
			}
			zv.pools[j].c.add(c.Action)
		}
		slices.SortFunc(zv.pools, func(a, b poolCount) int {
			if (a.name == "") != (b.name == "") {
				if a.name == "" {
					return 1
				}
				return -1
			}
			return compareNatural(a.name, b.name)
		})
		for _, c := range zv.changes {
			v.most += 1 + len(valuesOf(c.Before)) + len(valuesOf(c.After))
		}
		v.records = plus(v.records, zv.records)
		v.markers = plus(v.markers, zv.markers)
		if len(z.Changes) > 0 {
			v.changed++
		}
		v.zones = append(v.zones, zv)
	}
	v.groups = groupNotes(p.Notes)
	for _, g := range v.groups {
		if _, _, ok := g.prose(0); ok {
			v.notes++
		}
	}
	if err, ok := CheckGuard(p).(*GuardError); ok {
		v.guard = err.Violations
	}
	v.most += len(p.Zones) + len(p.Notes) + len(v.guard)
	for _, n := range p.Notes {
		v.most += len(n.Names) + len(n.Added) + len(n.Removed)
	}
	return v
}

func valuesOf(s *providers.RRset) []string {
	if s == nil {
		return nil
	}
	return s.Values
}

// num writes a count with thousands separators: 14,000.
func num(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + num(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func plus(a, b Counts) Counts {
	return Counts{Create: a.Create + b.Create, Update: a.Update + b.Update, Delete: a.Delete + b.Delete, Adopt: a.Adopt + b.Adopt}
}

// sourceGroup is the part of the topology a source lies in, that a
// summarised plan counts changes by: the pool ("site.s.pool.p") or the
// Office Online Server farm of a site, else the source's first word
// ("sip_domain").
func sourceGroup(src string) string {
	parts := strings.Split(src, ".")
	if len(parts) >= 4 && parts[0] == "site" {
		for i := 2; i+1 < len(parts); i++ {
			if parts[i] == "pool" || parts[i] == "office_online_server" {
				return strings.Join(parts[:i+2], ".")
			}
		}
	}
	return parts[0]
}

func (p poolCount) label() string {
	if p.name == "" {
		return "no longer in the topology"
	}
	return p.name
}

// countsText writes a tally, ownership markers apart: "26 to create, 0
// to update, 0 to delete, plus 26 ownership markers to create".
func countsText(records, markers Counts) string {
	s := fmt.Sprintf("%s to create, %s to update, %s to delete", num(records.Create), num(records.Update), num(records.Delete))
	if records.Adopt > 0 {
		s += fmt.Sprintf(", %s to adopt", num(records.Adopt))
	}
	if markers.Total() == 0 {
		return s
	}
	var parts []string
	for _, x := range []struct {
		n    int
		verb string
	}{{markers.Create, "create"}, {markers.Update, "update"}, {markers.Delete, "delete"}} {
		if x.n > 0 {
			parts = append(parts, fmt.Sprintf("%s to %s", num(x.n), x.verb))
		}
	}
	what := plural(markers.Total(), "ownership marker", "ownership markers")
	if len(parts) == 1 {
		return s + ", plus " + what + " " + strings.SplitN(parts[0], " ", 2)[1]
	}
	return s + ", plus " + what + " (" + strings.Join(parts, ", ") + ")"
}

// shown cuts n items to limit (-1: all), and says how many are left out.
func shown(n, limit int) (show, more int) {
	if limit < 0 || n <= limit {
		return n, 0
	}
	return limit, n - limit
}

// summaryText says what a summarised plan leaves out and where the full
// plan is.
func (v *planView) summaryText(limit int, fullPlan string) string {
	if fullPlan == "" {
		fullPlan = "the plan's JSON form"
	}
	what := plural(v.records.Total(), "record set change", "record set changes") + " in " + plural(v.changed, "zone", "zones")
	if v.notes > 0 {
		what += " and " + plural(v.notes, "note", "notes")
	}
	return fmt.Sprintf("This plan is too large to show in full (%s): it shows counts per zone and per pool and the first %s of each list. The full plan: %s.", what, num(limit), fullPlan)
}

// WriteText prints the plan for people: per zone, each changed RRset with
// the values it gains and loses and the topology paths behind it; what it
// means for servers and pools; what publish will refuse. Ownership markers
// are counted, not listed. With opts.MaxBytes a large plan is summarised.
func WriteText(w io.Writer, p *Plan, opts TextOptions) error {
	v := newView(p)
	return bounded(w, opts.MaxBytes, v.most, func(s *sink, limit int) { v.text(s, opts, limit) })
}

func (v *planView) text(b *sink, opts TextOptions, limit int) {
	color := opts.Color
	if limit >= 0 {
		b.printf("%s\n\n", v.summaryText(limit, opts.FullPlan))
	}
	listed, unchanged := 0, 0
	for _, zv := range v.zones {
		z := zv.z
		if len(z.Changes) == 0 {
			if limit >= 0 {
				unchanged++
				continue
			}
			b.printf("%s via %s: no changes\n", paint(color, ansiBold, "zone "+z.ID()), z.Provider)
			writeScopeText(b, *z)
			writeKeptText(&b.Builder, *z, "  ", "\n")
			continue
		}
		if limit >= 0 && listed >= limit {
			continue
		}
		listed++
		b.printf("%s via %s: %s%s", paint(color, ansiBold, "zone "+z.ID()), z.Provider, countsText(zv.records, zv.markers), zv.indexText())
		if z.Chunks > 1 {
			b.printf(", applied in %d chunks", z.Chunks)
		}
		b.WriteString("\n")
		writeScopeText(b, *z)
		writeKeptText(&b.Builder, *z, "  ", "\n")
		if limit >= 0 {
			b.WriteString("  by pool:\n")
			n, more := shown(len(zv.pools), limit)
			for _, pc := range zv.pools[:n] {
				b.printf("    %s: %s\n", pc.label(), countsText(pc.c, Counts{}))
			}
			if more > 0 {
				b.printf("    and %s\n", plural(more, "more", "more"))
			}
		}
		n, more := shown(len(zv.changes), limit)
		for _, ch := range zv.changes[:n] {
			writeChangeText(b, ch, color, limit)
			if b.over() {
				return
			}
		}
		if more > 0 {
			b.printf("  and %s\n", plural(more, "more record set change", "more record set changes"))
		}
		b.WriteString("\n")
	}
	if limit >= 0 {
		if more := v.changed - listed; more > 0 {
			b.printf("and %s\n", plural(more, "more zone with changes", "more zones with changes"))
		}
		if unchanged > 0 {
			b.printf("%s without changes\n", plural(unchanged, "zone", "zones"))
		}
		if v.changed-listed > 0 || unchanged > 0 {
			b.WriteString("\n")
		}
	}
	v.notesText(b, opts, limit)
	v.guardText(b, limit)
	if v.records.Total()+v.markers.Total()+v.indexes == 0 {
		b.WriteString("\nNo changes. DNS matches the topology.\n")
	} else {
		b.printf("Plan: %s.\n", countsText(v.records, v.markers))
	}
	if v.records.Adopt > 0 {
		b.printf("\n%s\n", adoptText(v.records.Adopt))
	}
}

// writeScopeText says a zone was read name by name, and what that means.
func writeScopeText(b *sink, z ZonePlan) {
	if z.Server != "" {
		b.printf("  server %s: read, written and verified there; the zone's other servers get the changes by replication, later\n", z.Server)
	}
	s := z.ReadScope
	if s == nil || !s.Names {
		return
	}
	b.printf("  %s\n", scopeText(s))
	if line := indexText(z); line != "" {
		b.printf("  %s\n", line)
	}
}

// indexText says what a zone's name index added to a read by names.
func indexText(z ZonePlan) string {
	ix := z.NameIndex
	switch {
	case ix == nil:
	case len(ix.Gone) > 0:
		return fmt.Sprintf("the name index %s lists %d name(s) no longer in the topology, read too: %s", ix.Name, len(ix.Gone), sourcesText(ix.Gone, 5))
	case !ix.Found && creates(z.Changes, ix.Name):
		return fmt.Sprintf("no name index %s yet: this publish writes it; records at names removed from the topology before now are not seen", ix.Name)
	}
	return ""
}

// creates reports whether changes create the RRsets at name.
func creates(cs []Change, name string) bool {
	for _, c := range cs {
		if c.Name == name && c.Action == Create {
			return true
		}
	}
	return false
}

func scopeText(s *providers.ReadScope) string {
	why := "as configured (read = \"names\")"
	if s.Reason == providers.ReasonTransferRefused {
		why = "the server refused the zone transfer (" + s.Detail + ")"
	}
	return fmt.Sprintf("read name by name from %s: %s; ownership and conflict checks cover these %d names only", s.Server, why, s.Count)
}

func ttlText(ch Change, md bool) string {
	switch {
	case ch.After != nil && ch.Before != nil && ch.Before.TTL != ch.After.TTL:
		if md {
			return fmt.Sprintf("~~%d~~ %d", ch.Before.TTL, ch.After.TTL)
		}
		return fmt.Sprintf("TTL %d -> %d", ch.Before.TTL, ch.After.TTL)
	case ch.After != nil:
		if md {
			return fmt.Sprint(ch.After.TTL)
		}
		return fmt.Sprintf("TTL %d", ch.After.TTL)
	}
	if md {
		return fmt.Sprint(ch.Before.TTL)
	}
	return fmt.Sprintf("TTL %d", ch.Before.TTL)
}

func writeChangeText(b *sink, ch Change, color bool, limit int) {
	b.printf("  %s %s %s %s\n", paint(color, actionColor(ch.Action), ch.Action.Symbol()), ch.Name, ch.Type, ttlText(ch, false))
	vals := valueDiff(ch)
	n, more := shown(len(vals), limit)
	for _, vd := range vals[:n] {
		b.printf("      %s %s\n", paint(color, symbolColor(vd.sym), vd.sym), vd.value)
	}
	if more > 0 {
		b.printf("      and %s\n", plural(more, "more value", "more values"))
	}
	if len(ch.Sources) > 0 {
		b.printf("      from %s\n", sourcesText(ch.Sources, 3))
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
// space for kept, addresses by number (10.0.0.2 before 10.0.0.10).
func valueDiff(ch Change) []valueChange {
	var before, after []string
	if ch.Before != nil {
		before = ch.Before.Values
	}
	if ch.After != nil {
		after = ch.After.Values
	}
	inBefore := make(map[string]bool, len(before))
	for _, v := range before {
		inBefore[v] = true
	}
	inAfter := make(map[string]bool, len(after))
	for _, v := range after {
		inAfter[v] = true
	}
	out := make([]valueChange, 0, len(before)+len(after))
	for _, v := range before {
		sym := "-"
		if inAfter[v] {
			sym = " "
		}
		out = append(out, valueChange{sym, v})
	}
	for _, v := range after {
		if !inBefore[v] {
			out = append(out, valueChange{"+", v})
		}
	}
	slices.SortStableFunc(out, func(a, b valueChange) int { return compareValues(ch.Type, a.value, b.value) })
	return out
}

func sourcesText(src []string, max int) string {
	if len(src) <= max {
		return strings.Join(src, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(src[:max], ", "), len(src)-max)
}

// notesText prints what the plan means for servers and pools and what to
// do next, one item per group of notes.
func (v *planView) notesText(b *sink, opts TextOptions, limit int) {
	if v.notes == 0 {
		return
	}
	b.WriteString(paint(opts.Color, ansiBold, "What this means for servers") + "\n")
	n, more := shown(v.notes, limit)
	written := 0
	for _, g := range v.groups {
		if written == n || b.over() {
			break
		}
		dns, next, ok := g.prose(limit)
		if !ok {
			continue
		}
		written++
		b.printf("  * [%s] %s\n", g[0].Kind.Label(), dns)
		if ttl := g.ttl(); !opts.Now.IsZero() && ttl > 0 && g[0].Kind.timed() {
			b.printf("    Takes full effect by %s if published now.\n", opts.Now.UTC().Add(time.Duration(ttl)*time.Second).Format("15:04 UTC"))
		}
		for _, s := range next {
			b.printf("    - %s\n", s)
		}
	}
	if more > 0 {
		b.printf("  and %s\n", plural(more, "more note", "more notes"))
	}
	b.WriteString("\n")
}

// timed reports whether notes of the kind take effect once the TTL has
// passed.
func (k NoteKind) timed() bool {
	switch k {
	case NoteJoining, NotePoolResized, NotePairing:
		return false
	}
	return true
}

// guardText says which zones publish will refuse and how to go ahead.
func (v *planView) guardText(b *sink, limit int) {
	if len(v.guard) == 0 {
		return
	}
	b.WriteString("Publish will refuse this plan (the mass-change guard):\n")
	n, more := shown(len(v.guard), limit)
	for _, g := range v.guard[:n] {
		b.printf("  - zone %s: %s\n", g.Zone, g.text())
	}
	if more > 0 {
		b.printf("  and %s\n", plural(more, "more zone", "more zones"))
	}
	b.WriteString("  " + guardAdvice + "\n\n")
}

// guardAdvice is how to go ahead with a plan the guard refuses.
const guardAdvice = "Review the plan; if it is intended, publish with --allow-mass-change, or raise max_change on the zone."

// text says how much of a zone a violation changes.
func (g GuardViolation) text() string {
	return fmt.Sprintf("%s of %s owned record sets would be updated or deleted (%.0f%%, limit %.0f%%)", num(g.Changed), num(g.Owned), g.Fraction*100, g.Limit*100)
}

// WriteMarkdown prints the whole plan as Markdown: a table per zone of
// operation, name, type, TTL, value and source, tables of more than a
// screen folded in <details>. WriteMarkdownWith bounds its size and adds
// a graph.
func WriteMarkdown(w io.Writer, p *Plan) error {
	return WriteMarkdownWith(w, p, MarkdownOptions{})
}

func (v *planView) markdown(b *sink, fullPlan string, limit int) {
	p := v.p
	b.printf("### topo plan: %s\n\n", mdEscape(p.Topology))
	if v.records.Total()+v.markers.Total()+v.indexes == 0 {
		b.WriteString("No changes. DNS matches the topology.\n")
		return
	}
	b.printf("**%s.**\n\n", countsText(v.records, v.markers))
	if v.records.Adopt > 0 {
		b.printf("%s\n\n", mdEscape(adoptText(v.records.Adopt)))
	}
	if limit >= 0 {
		b.printf("> %s\n\n", mdEscape(v.summaryText(limit, fullPlan)))
	}
	v.guardMarkdown(b, limit)
	listed := 0
	for _, zv := range v.zones {
		z := zv.z
		if len(z.Changes) == 0 {
			continue
		}
		if limit >= 0 && listed >= limit {
			continue
		}
		listed++
		b.printf("#### Zone `%s` (%s) via `%s`: %s%s", z.Zone, z.View, z.Provider, countsText(zv.records, zv.markers), mdEscape(zv.indexText()))
		if z.Chunks > 1 {
			b.printf(", applied in %d chunks", z.Chunks)
		}
		b.WriteString("\n\n")
		if z.Server != "" {
			b.printf("> server %s: read, written and verified there; the zone's other servers get the changes by replication, later\n\n", mdEscape(z.Server))
		}
		if z.ReadScope != nil && z.ReadScope.Names {
			b.printf("> %s\n\n", mdEscape(scopeText(z.ReadScope)))
			if line := indexText(*z); line != "" {
				b.printf("> %s\n\n", mdEscape(line))
			}
		}
		writeKeptText(&b.Builder, *z, "_", "._\n\n")
		if limit >= 0 {
			n, more := shown(len(zv.pools), limit)
			foldPools := n > foldRows
			if foldPools {
				b.printf("<details><summary>Changes per pool: %s</summary>\n\n", plural(len(zv.pools), "pool", "pools"))
			}
			b.WriteString("| Pool | Create | Update | Delete |\n|---|---|---|---|\n")
			for _, pc := range zv.pools[:n] {
				b.printf("| %s | %d | %d | %d |\n", mdEscape(pc.label()), pc.c.Create, pc.c.Update, pc.c.Delete)
			}
			if more > 0 {
				b.printf("| _and %s more_ | | | |\n", num(more))
			}
			if foldPools {
				b.WriteString("\n</details>\n")
			}
			b.WriteString("\n")
		}
		if len(zv.changes) == 0 {
			continue
		}
		n, more := shown(len(zv.changes), limit)
		fold := n > foldRows || limit >= 0
		if fold {
			what := plural(len(zv.changes), "record set change", "record set changes")
			if more > 0 {
				what = fmt.Sprintf("The first %s of %s", num(n), what)
			}
			b.printf("<details><summary>%s</summary>\n\n", what)
		}
		b.WriteString("| Operation | Name | Type | TTL | Value | Source |\n|---|---|---|---|---|---|\n")
		for _, ch := range zv.changes[:n] {
			writeChangeMarkdown(b, ch, limit)
			if b.over() {
				return
			}
		}
		if more > 0 {
			b.printf("| | _and %s more_ | | | | |\n", num(more))
		}
		if fold {
			b.WriteString("\n</details>\n")
		}
		b.WriteString("\n")
	}
	if more := v.changed - listed; more > 0 {
		b.printf("_And %s._\n\n", plural(more, "more zone with changes", "more zones with changes"))
	}
	v.notesMarkdown(b, limit)
	if v.markers.Total() > 0 {
		b.WriteString("_Ownership markers (TXT records at `_topo.<name>` that mark the names topo manages) are counted, not listed._\n")
	}
}

func writeChangeMarkdown(b *sink, ch Change, limit int) {
	vd := valueDiff(ch)
	n, more := shown(len(vd), limit)
	vals := make([]string, 0, n+1)
	for _, x := range vd[:n] {
		v := mdEscape(x.value)
		switch x.sym {
		case "+":
			v = "+ " + v
		case "-":
			v = "~~" + v + "~~"
		}
		vals = append(vals, v)
	}
	if more > 0 {
		vals = append(vals, fmt.Sprintf("_and %s more_", num(more)))
	}
	src := "no longer in the topology"
	if len(ch.Sources) > 0 {
		src = mdEscape(sourcesText(ch.Sources, 3))
	}
	b.printf("| %s %s | `%s` | %s | %s | %s | %s |\n", ch.Action.Symbol(), ch.Action, ch.Name, ch.Type, ttlText(ch, true), strings.Join(vals, "<br>"), src)
}

// mdEscape escapes text for a Markdown table cell or list item.
var mdEscape = strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "`", "\\`").Replace

// guardMarkdown is guardText for pull-request comments: an alert near the
// top, where a reviewer reads first.
func (v *planView) guardMarkdown(b *sink, limit int) {
	if len(v.guard) == 0 {
		return
	}
	b.WriteString("> [!WARNING]\n> **Publish will refuse this plan** (the mass-change guard):\n")
	n, more := shown(len(v.guard), limit)
	for _, g := range v.guard[:n] {
		b.printf("> - zone `%s`: %s\n", g.Zone, g.text())
	}
	if more > 0 {
		b.printf("> - and %s\n", plural(more, "more zone", "more zones"))
	}
	b.WriteString(">\n> Review the plan; if it is intended, publish with `--allow-mass-change`, or raise `max_change` on the zone.\n\n")
}

// notesMarkdown is notesText for pull-request comments.
func (v *planView) notesMarkdown(b *sink, limit int) {
	if v.notes == 0 {
		return
	}
	b.WriteString("#### What this means for servers\n\n")
	n, more := shown(v.notes, limit)
	fold := n > foldRows
	if fold {
		b.printf("<details><summary>%s</summary>\n\n", plural(v.notes, "note", "notes"))
	}
	written := 0
	for _, g := range v.groups {
		if written == n || b.over() {
			break
		}
		dns, next, ok := g.prose(limit)
		if !ok {
			continue
		}
		written++
		b.printf("- **%s** %s\n", g[0].Kind.Label(), mdEscape(dns))
		for _, s := range next {
			b.printf("  - %s\n", mdEscape(s))
		}
	}
	if more > 0 {
		b.printf("- _and %s_\n", plural(more, "more note", "more notes"))
	}
	if fold {
		b.WriteString("\n</details>\n")
	}
	b.WriteString("\n")
}

// adoptText says what adopting record sets means.
func adoptText(n int) string {
	return fmt.Sprintf("%d record set(s) to adopt (=): the zone already holds exactly what the topology wants there, but topo does not own them yet. Publishing changes none of them: it writes only topo's ownership markers, after which topo manages them as its own.", n)
}

// indexText says what a zone's plan does to its name index:
// "; name index updated (2 names)".
func (zv zoneView) indexText() string {
	c := zv.index
	if c == nil {
		return ""
	}
	verb := map[Action]string{Create: "created", Update: "updated", Delete: "deleted"}[c.Action]
	if c.After == nil {
		return "; name index " + verb
	}
	return fmt.Sprintf("; name index %s (%s)", verb, plural(len(ParseIndex(zv.z.Zone, c.After.Values)), "name", "names"))
}
