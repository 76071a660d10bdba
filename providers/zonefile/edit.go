package zonefile

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
)

// How topo edits a zone file.
//
// topo's records live in one block, at the end of the file the first
// time it is written:
//
//	; BEGIN topo managed records: topo rewrites these lines on every publish, do not edit them
//	pool01.contoso.com.	300	IN	A	10.0.1.11
//	_topo.pool01.contoso.com.	300	IN	TXT	"heritage=topo,topology=contoso"
//	; END topo managed records
//
// In the block every record is one line with its absolute name, TTL and
// class, so its meaning depends on no line before it, and the lines are
// in DNS canonical order (RFC 4034 section 6.1, a name's marker right
// after it) by name and type. The same RRsets always print as the same
// lines wherever the edits came from, so a re-plan reads back exactly
// what was written and a publish changing one RRset changes only its
// lines: re-plans are stable and diffs of the file are small.
//
// An edited RRset leaves the file wherever its records were (the block,
// or the operator's own lines of a record topo adopted or owns in an
// exclusive zone) and, unless it was deleted, goes into the block. Every
// other byte stays as it was: comments, blank lines, directives,
// parentheses, owner-name case, records of any type topo cannot even
// read. Two exceptions, both leaving what BIND loads unchanged: the SOA
// serial's digits; and where one of the operator's lines took its owner
// (it starts with a blank) or its TTL (RFC 1035 semantics, no $TTL) from
// a line topo removed or added, that owner or TTL is written out at the
// start of the line. A block emptied of records goes away, markers and
// all.

// change is what an edit does to a zone file.
type change struct {
	remove []bool // by entry: the lines that go
	add    []providers.RRset
}

// editChange turns RRset edits into a change: every record of an edited
// RRset leaves the file; what the edits leave of it goes into the block.
// guard refuses edits of the records topo never changes (see check).
func (z *zoneFile) editChange(edits []providers.Edit, guard bool) (change, error) {
	c := change{remove: make([]bool, len(z.entries))}
	final := make(map[providers.Key]*providers.RRset, len(edits))
	var order []providers.Key
	for _, e := range edits {
		k := e.Key()
		if e.After != nil && !dns.IsSubDomain(z.origin, dns.Fqdn(e.After.Name)) {
			return c, fmt.Errorf("record %s is outside the zone %s", e.After.Name, z.origin)
		}
		if _, seen := final[k]; !seen {
			order = append(order, k)
		}
		final[k] = e.After
	}
	// An RRset that already holds what the edits leave stays where it is
	// (an adopted record, a SetRecords of what is there).
	cur := z.index()
	for k, s := range final {
		if c, ok := cur[k]; ok && s != nil && c.Equal(*s) {
			delete(final, k)
		}
	}
	order = slices.DeleteFunc(order, func(k providers.Key) bool { _, ok := final[k]; return !ok })
	for _, r := range z.recs {
		if _, edited := final[r.key]; !edited {
			continue
		}
		if e := &z.entries[r.entry]; e.kind == kindGenerate {
			return c, fmt.Errorf("%s %s comes from the $GENERATE at line %d: topo will not rewrite it", r.key.Name, r.key.Type, e.line)
		}
		c.remove[r.entry] = true
	}
	for _, k := range order {
		if s := final[k]; s != nil && len(s.Values) > 0 {
			c.add = append(c.add, *s)
		}
	}
	return c, z.check(order, c, guard)
}

// deleteChange removes the records matching recs by libdns's rules
// ([providers.DeleteMatcher]) and returns them. Only the lines of the
// matching records go.
func (z *zoneFile) deleteChange(zone string, recs []libdns.Record) (change, []libdns.Record, error) {
	c := change{remove: make([]bool, len(z.entries))}
	m, err := providers.NewDeleteMatcher(zone, recs)
	if err != nil {
		return c, nil, err
	}
	var deleted []libdns.Record
	var keys []providers.Key
	for _, r := range z.recs {
		if !m.Match(r.key.Name, r.key.Type, r.ttl, r.value) {
			continue
		}
		if e := &z.entries[r.entry]; e.kind == kindGenerate {
			return c, nil, fmt.Errorf("%s %s comes from the $GENERATE at line %d: topo will not rewrite it", r.key.Name, r.key.Type, e.line)
		}
		c.remove[r.entry] = true
		deleted = append(deleted, r.rec)
		keys = append(keys, r.key)
	}
	return c, deleted, z.check(keys, c, false)
}

// check refuses a change after which the zone would not load, and one of
// the SOA, which the provider keeps itself. With guard (topo's publish
// path, ApplyEdits) it also refuses a change of any record topo never
// changes: the libdns calls, SetRecords and DeleteRecords, do what their
// caller names, as libdns says.
func (z *zoneFile) check(keys []providers.Key, c change, guard bool) error {
	after, names := z.after(c)
	before := factsOf(z.origin, z.index(), names)
	for _, k := range keys {
		if why := before.protected(k); why != "" && (guard || k.Type == "SOA") {
			return &ProtectedError{Key: k, Reason: why}
		}
	}
	return checkLoads(before, factsOf(z.origin, after, names))
}

// after returns the RRsets the zone holds once c is made, and the names
// whose RRsets change (nil when an NS record does: then every name's
// checks may change).
func (z *zoneFile) after(c change) (map[providers.Key]providers.RRset, map[string]bool) {
	affected := map[providers.Key]bool{}
	for _, r := range z.recs {
		if c.remove[r.entry] {
			affected[r.key] = true
		}
	}
	for _, s := range c.add {
		affected[s.Key()] = true
	}
	idx := maps.Clone(z.index())
	names := make(map[string]bool, len(affected))
	allNames := false
	for k := range affected {
		delete(idx, k)
		names[k.Name] = true
		allNames = allNames || k.Type == "NS"
	}
	if allNames {
		names = nil
	}
	var kept []record
	for _, r := range z.recs {
		if !c.remove[r.entry] && affected[r.key] {
			kept = append(kept, r)
		}
	}
	maps.Copy(idx, group(kept))
	for _, s := range c.add {
		idx[s.Key()] = s
	}
	return idx, names
}

// piece is lines topo writes.
type piece struct {
	text  string
	owner string // the owner and TTL they leave for the next line
	ttl   uint32
	key   string // sort key within the block
}

// render writes the zone with c made and the SOA serial moved on.
func (z *zoneFile) render(c change, p *Provider) ([]byte, error) {
	if z.blockErr != nil {
		return nil, fmt.Errorf("topo's block of records is broken: %v; fix the markers by hand", z.blockErr)
	}
	var add []piece
	for _, s := range c.add {
		pc, err := rrsetPiece(s)
		if err != nil {
			return nil, err
		}
		add = append(add, pc)
	}
	slices.SortStableFunc(add, func(a, b piece) int { return cmp.Compare(a.key, b.key) })

	w := &writer{z: z, st: lineState{origin: z.origin}}
	w.out = make([]byte, 0, len(z.data)+len(add)*64+256)
	if !z.exists {
		w.out = append(w.out, "; zone "+z.origin+", created by topo. topo edits this file in place: lines it did not write stay as they are.\n$ORIGIN "+z.origin+"\n"...)
	}
	if z.soa < 0 {
		for _, pc := range p.newApex(z.origin) {
			w.piece(pc)
		}
	} else if e := &z.entries[z.soa]; e.kind != kindRecord {
		return nil, fmt.Errorf("the SOA record comes from the $GENERATE at line %d: topo cannot move its serial on", e.line)
	} else {
		// readZone made sure the serial is a number.
		text := string(z.data[e.serial.start:e.serial.end])
		old, _ := parseSerial(text)
		w.serial = strconv.FormatUint(uint64(nextSerial(old, text, p.now())), 10)
	}

	for i := 0; i < len(z.entries); i++ {
		if i == z.begin {
			w.block(c, add)
			i = z.end
			continue
		}
		if !c.remove[i] {
			w.entry(i)
		}
	}
	if z.begin < 0 {
		w.block(c, add)
	}
	return w.out, nil
}

// rrsetPiece prints an RRset as block lines.
func rrsetPiece(s providers.RRset) (piece, error) {
	rrs, err := s.DNSRRs()
	if err != nil {
		return piece{}, err
	}
	var b strings.Builder
	for _, rr := range rrs {
		switch v := rr.(type) {
		case *dns.A:
			if plainName(v.Hdr.Name) {
				// What rr.String() prints, without its allocations.
				b.WriteString(v.Hdr.Name)
				b.WriteByte('\t')
				b.WriteString(strconv.FormatUint(uint64(v.Hdr.Ttl), 10))
				b.WriteString("\tIN\tA\t")
				b.WriteString(v.A.String())
				b.WriteByte('\n')
				continue
			}
		}
		b.WriteString(recordLine(rr))
		b.WriteByte('\n')
	}
	return piece{text: b.String(), owner: dns.Fqdn(s.Name), ttl: s.TTL, key: sortKey(s.Name, s.Type)}, nil
}

// recordLine is rr as a master file line. miekg/dns prints an owner name
// that starts with '$' as it is, and a master file reads such a line as a
// directive: the '$' is escaped (RFC 1035 \$), so the line reads back as
// the same name.
func recordLine(rr dns.RR) string {
	s := rr.String()
	if strings.HasPrefix(s, "$") {
		return `\` + s
	}
	return s
}

// plainName reports whether miekg/dns prints name as it is: letters,
// digits, '-', '_' and dots only.
func plainName(name string) bool {
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_', c == '.', c >= 'A' && c <= 'Z':
		default:
			return false
		}
	}
	return name != ""
}

// sortKey orders names as RFC 4034 section 6.1 does (label by label
// from the right, a name before the names below it), then types.
func sortKey(name, typ string) string {
	var b strings.Builder
	b.Grow(len(name) + len(typ) + 2)
	for end := len(name); end > 0; {
		start := labelStart(name, end)
		label := name[start:end]
		if strings.IndexByte(label, '\\') < 0 {
			b.WriteString(label)
		} else {
			// Compare the label's bytes, as on the wire: \001 before *.
			for i := 0; i < len(label); i++ {
				c := label[i]
				if c == '\\' && i+3 < len(label) && isDigit(label[i+1]) && isDigit(label[i+2]) && isDigit(label[i+3]) {
					c = (label[i+1]-'0')*100 + (label[i+2]-'0')*10 + (label[i+3] - '0')
					i += 3
				} else if c == '\\' && i+1 < len(label) {
					i++
					c = label[i]
				}
				b.WriteByte(c)
			}
		}
		b.WriteByte(0)
		end = start - 1
	}
	b.WriteByte(0)
	b.WriteString(typ)
	return b.String()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// labelStart returns where the last label of name[:end] starts.
func labelStart(name string, end int) int {
	start := 0
	for i := 0; i < end; i++ {
		switch name[i] {
		case '\\':
			i++
		case '.':
			start = i + 1
		}
	}
	return start
}

// newApex returns the SOA and NS lines of a zone topo creates.
func (p *Provider) newApex(origin string) []piece {
	ns := p.Nameserver
	if ns == "" {
		ns = "localhost."
	}
	mbox := p.Hostmaster
	if mbox == "" {
		mbox = "hostmaster." + origin
	}
	soa := &dns.SOA{
		Hdr:     dns.RR_Header{Name: origin, Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: 3600},
		Ns:      ns,
		Mbox:    mbox,
		Serial:  1,
		Refresh: 3600,
		Retry:   600,
		Expire:  1209600,
		Minttl:  300,
	}
	nsrr := &dns.NS{Hdr: dns.RR_Header{Name: origin, Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: 3600}, Ns: ns}
	return []piece{{text: soa.String() + "\n" + nsrr.String() + "\n", owner: origin, ttl: 3600}}
}

func (p *Provider) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// writer prints the edited zone, following what each line leaves for
// the next one.
type writer struct {
	z      *zoneFile
	st     lineState
	out    []byte
	serial string // the SOA's new serial
}

// block writes topo's block, nothing when it would hold no record: the
// block's lines that stay, in their order, with the new ones (sorted)
// merged in before the first line that sorts after them.
func (w *writer) block(c change, add []piece) {
	z := w.z
	records := len(add) > 0
	for i := z.begin + 1; i < z.end && !records; i++ {
		records = !c.remove[i] && z.entries[i].kind == kindRecord
	}
	if !records {
		return
	}
	if z.begin >= 0 {
		w.entry(z.begin)
	} else {
		if n := len(w.out); n > 0 && w.out[n-1] != '\n' {
			w.out = append(w.out, '\n')
		}
		w.out = append(w.out, beginMarker+": topo rewrites these lines on every publish, do not edit them\n"...)
	}
	j := 0
	for i := z.begin + 1; i < z.end; i++ {
		if c.remove[i] {
			continue
		}
		if ef := z.eff[i]; j < len(add) && ef.n > 0 {
			r := z.recs[ef.first]
			key := sortKey(r.key.Name, r.key.Type)
			for ; j < len(add) && add[j].key < key; j++ {
				w.piece(add[j])
			}
		}
		w.entry(i)
	}
	for ; j < len(add); j++ {
		w.piece(add[j])
	}
	if z.end >= 0 {
		w.entry(z.end)
		if n := len(w.out); n > 0 && w.out[n-1] != '\n' {
			w.out = append(w.out, '\n')
		}
	} else {
		w.out = append(w.out, endMarker+"\n"...)
	}
}

// piece writes lines of topo's own.
func (w *writer) piece(pc piece) {
	if n := len(w.out); n > 0 && w.out[n-1] != '\n' {
		w.out = append(w.out, '\n')
	}
	w.out = append(w.out, pc.text...)
	w.st.owner, w.st.hasOwner = pc.owner, true
	w.st.lastTTL, w.st.hasLast = pc.ttl, true
}

// entry writes one of the file's entries as it was, but for the SOA's
// serial and for an owner or TTL it would now take from other lines than
// before, which it writes out.
func (w *writer) entry(i int) {
	z := w.z
	e := &z.entries[i]
	if n := len(w.out); n > 0 && w.out[n-1] != '\n' {
		// The line before has no newline: it was the file's last line and
		// lines were added after it.
		w.out = append(w.out, '\n')
	}
	var ownerAt, ttlAt = -1, -1
	if e.kind == kindRecord || e.kind == kindGenerate {
		ef := z.eff[i]
		saved := w.st
		owner, ttl, err := w.st.next(z.data, e)
		if err != nil || (e.kind == kindRecord && !sameName(owner, ef.owner)) || ttl != ef.ttl {
			w.st = saved
			if e.kind == kindRecord {
				if e.owner.empty() && (err == errNoOwner || !sameName(w.st.owner, ef.owner)) {
					ownerAt = e.start
				}
				w.st.owner, w.st.hasOwner = ef.owner, true
			}
			probe := w.st
			if _, t, err := probe.next(z.data, e); err == nil && t == ef.ttl {
				w.st = probe
			} else {
				ttlAt = e.ttlAt
				w.st.lastTTL, w.st.hasLast = ef.ttl, true
			}
		}
	} else {
		w.st.next(z.data, e)
	}
	text := z.data[e.start:e.end]
	if ownerAt < 0 && ttlAt < 0 && (i != z.soa || w.serial == "") {
		w.out = append(w.out, text...)
		return
	}
	pos := e.start
	if ownerAt >= 0 {
		if strings.HasPrefix(z.eff[i].owner, "$") {
			w.out = append(w.out, '\\') // a name, not a directive
		}
		w.out = append(w.out, z.eff[i].owner...)
	}
	if ttlAt >= 0 {
		w.out = append(w.out, z.data[pos:ttlAt]...)
		w.out = strconv.AppendUint(w.out, uint64(z.eff[i].ttl), 10)
		w.out = append(w.out, ' ')
		pos = ttlAt
	}
	if i == z.soa && w.serial != "" {
		w.out = append(w.out, z.data[pos:e.serial.start]...)
		w.out = append(w.out, w.serial...)
		pos = e.serial.end
	}
	w.out = append(w.out, z.data[pos:e.end]...)
}
