package zonefile

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
)

// zoneFile is a zone file as the editor sees it: its bytes split into
// entries, and the records it reads from them.
type zoneFile struct {
	origin  string // "example.test."
	data    []byte
	exists  bool
	entries []entry
	// eff holds, for each record and $GENERATE entry, the owner and TTL
	// it gets from the lines before it; the editor keeps them when it
	// removes or adds lines around it.
	eff  []effect
	recs []record
	// notes say what was kept as text without being fully read.
	notes []Note
	// begin and end index topo's marker entries, -1 when absent;
	// blockErr says why they cannot be used.
	begin, end int
	blockErr   error
	// soa indexes the apex SOA's entry, -1 when there is none.
	soa int
	idx map[providers.Key]providers.RRset // see index
}

// effect is what an entry's context gives it.
type effect struct {
	owner  string // absolute, as written
	origin string // $ORIGIN in effect
	ttl    uint32
	// first and n locate the entry's records in zone.recs.
	first, n int
}

// record is one record the provider reports.
type record struct {
	entry int
	key   providers.Key
	ttl   uint32
	// rr is miekg/dns's reading; nil when the record is opaque (kept and
	// reported as written).
	rr  dns.RR
	rec libdns.Record
	// value is the record's data as GetRecords reports it (rec.RR().Data).
	value string
}

// Note says how the provider read a line of a zone file that it keeps
// exactly as written without fully interpreting it: a record miekg/dns
// cannot parse (reported by GetRecords as an opaque [libdns.RR]), or
// one it leaves out (outside the zone, another class, a $GENERATE it
// cannot expand). Such lines never make a read or a plan fail, and a
// publish never rewrites them.
type Note struct {
	Line int    `json:"line"`
	Text string `json:"text"`
	// Reported tells whether GetRecords returns the record (as an opaque
	// libdns.RR) or leaves it out.
	Reported bool `json:"reported"`
}

func (n Note) String() string { return fmt.Sprintf("line %d: %s", n.Line, n.Text) }

var (
	errNoOwner = errors.New("a record with no owner name: the line starts with a blank and no record comes before it")
	errNoTTL   = errors.New("no TTL: no $TTL, no earlier record with a TTL, and no TTL on this line")
)

// lineState is what a master file's lines carry over to the next ones,
// as BIND's loader keeps it (lib/dns/master.c): the origin, the owner of
// the last record, the $TTL default and the last TTL used (RFC 1035
// semantics when there is no $TTL).
type lineState struct {
	origin                    string
	owner                     string
	defTTL, lastTTL           uint32
	hasOwner, hasDef, hasLast bool
}

// next applies entry e to st and returns the owner and TTL e's records
// get. $GENERATE keeps the owner and, with a TTL of its own, sets the
// last TTL (as BIND does).
func (st *lineState) next(data []byte, e *entry) (owner string, ttl uint32, err error) {
	text := func(s span) string { return string(data[s.start:s.end]) }
	switch e.kind {
	case kindOrigin:
		st.origin = join(text(e.arg), st.origin)
		return "", 0, nil
	case kindTTL:
		st.defTTL, _ = parseTTL(text(e.arg))
		st.hasDef = true
		return "", 0, nil
	case kindRecord:
		if !e.owner.empty() {
			st.owner, st.hasOwner = join(text(e.owner), st.origin), true
		} else if !st.hasOwner {
			return "", 0, errNoOwner
		}
		owner = st.owner
	case kindGenerate:
	default:
		return "", 0, nil
	}
	switch {
	case !e.ttl.empty():
		ttl, _ = parseTTL(text(e.ttl))
		st.lastTTL, st.hasLast = ttl, true
	case st.hasDef:
		ttl = st.defTTL
		st.lastTTL, st.hasLast = ttl, true
	case st.hasLast:
		ttl = st.lastTTL
	case e.kind == kindRecord && !e.soaMin.empty():
		// BIND: "no TTL specified; using SOA MINTTL instead", which
		// becomes the default for the lines after it.
		v, ok := parseTTL(text(e.soaMin))
		if !ok {
			return owner, 0, errNoTTL
		}
		ttl = v
		st.defTTL, st.hasDef = v, true
		st.lastTTL, st.hasLast = v, true
	default:
		return owner, 0, errNoTTL
	}
	return owner, ttl, nil
}

// readZone splits and reads a zone file's bytes. It fails only when the
// file is one BIND would refuse as a whole (see scan) or cannot know an
// owner or TTL; a record miekg/dns cannot read is kept as written.
func readZone(data []byte, origin string) (*zoneFile, error) {
	z := &zoneFile{origin: origin, data: data, exists: true, begin: -1, end: -1, soa: -1}
	entries, err := scan(data)
	if err != nil {
		return nil, err
	}
	z.entries = entries
	z.eff = make([]effect, len(entries))
	records := 0
	for i := range entries {
		if entries[i].kind == kindRecord {
			records++
		}
	}
	z.recs = make([]record, 0, records)
	st := lineState{origin: origin}
	for i := range entries {
		e := &entries[i]
		owner, ttl, err := st.next(data, e)
		if err != nil {
			return nil, &scanError{e.line, err.Error()}
		}
		z.eff[i] = effect{owner: owner, origin: st.origin, ttl: ttl}
		switch e.kind {
		case kindBegin:
			if z.begin >= 0 {
				z.blockErr = fmt.Errorf("a second %q at line %d", beginMarker, e.line)
			}
			z.begin = i
		case kindEnd:
			if z.end >= 0 {
				z.blockErr = fmt.Errorf("a second %q at line %d", endMarker, e.line)
			}
			z.end = i
		}
	}
	switch {
	case z.blockErr != nil:
	case z.begin >= 0 && z.end < 0:
		z.blockErr = fmt.Errorf("%q at line %d has no %q after it", beginMarker, entries[z.begin].line, endMarker)
	case z.end >= 0 && (z.begin < 0 || z.end < z.begin):
		z.blockErr = fmt.Errorf("%q at line %d has no %q before it", endMarker, entries[z.end].line, beginMarker)
	}
	z.interpret()
	// The serial to move on: the apex SOA's; in a zone with its SOA
	// elsewhere (which BIND refuses), that one's rather than a second.
	apex := providers.CanonicalName(origin)
	for _, r := range z.recs {
		if r.key.Type == "SOA" && (z.soa < 0 || r.key.Name == apex) {
			z.soa = r.entry
			if r.key.Name == apex {
				break
			}
		}
	}
	if z.soa >= 0 {
		// BIND refuses a zone whose SOA serial is not a 32-bit number;
		// topo could not move it on.
		e := &z.entries[z.soa]
		if e.kind == kindRecord {
			switch {
			case e.ndata == 0:
				return nil, &scanError{e.line, "the SOA record has no data"}
			case e.serial.empty():
				return nil, &scanError{e.line, "the SOA record has no serial"}
			}
			if _, ok := parseSerial(string(data[e.serial.start:e.serial.end])); !ok {
				return nil, &scanError{e.line, fmt.Sprintf("the SOA serial %q is not a number of 32 bits", data[e.serial.start:e.serial.end])}
			}
		}
	}
	return z, nil
}

// interpret reads the records with miekg/dns. Each record goes to the
// parser as one line with its owner and TTL written out (so its reading
// does not depend on the lines around it); one parser reads them all,
// and when it stops at a record it cannot read, that record is kept as
// text and a new parser carries on after it.
func (z *zoneFile) interpret() {
	if !z.interpretAll() {
		// The parser and the scanner disagree on where a record ends (a
		// quote or an escape read two ways): read each one on its own.
		z.recs, z.notes = z.recs[:0], z.notes[:0]
		for i := range z.eff {
			z.eff[i].first, z.eff[i].n = 0, 0
		}
		z.interpretEach()
	}
	z.fileOrder()
}

// interpretAll reads every record through one parser, restarted after
// each record it cannot read. It returns false when the parser's records
// do not line up with the entries.
func (z *zoneFile) interpretAll() bool {
	var (
		stream = make([]byte, 0, len(z.data)+len(z.data)/4)
		idx    = make([]int, 0, cap(z.recs)) // entry of each record line of stream
		starts = make([]int, 0, cap(z.recs)) // where it starts in stream
	)
	lastOrigin := ""
	for i := range z.entries {
		e := &z.entries[i]
		switch {
		case e.kind == kindGenerate:
			z.generate(i)
			continue
		case e.kind != kindRecord:
			continue
		case e.ndata == 0:
			z.opaque(i, "has no data")
			continue
		}
		if o := z.parseOrigin(i); o != lastOrigin {
			stream = append(stream, "$ORIGIN "...)
			stream = append(stream, o...)
			stream = append(stream, '\n')
			lastOrigin = o
		}
		idx = append(idx, i)
		starts = append(starts, len(stream))
		stream = z.line(stream, i)
	}
	for k := 0; k < len(idx); {
		prefix := strings.NewReader("$ORIGIN " + z.parseOrigin(idx[k]) + "\n")
		zp := dns.NewZoneParser(io.MultiReader(prefix, bytes.NewReader(stream[starts[k]:])), z.origin, "")
		zp.SetIncludeAllowed(false)
		for rr, more := zp.Next(); more; rr, more = zp.Next() {
			if k >= len(idx) || !z.matches(idx[k], rr) {
				return false
			}
			z.parsed(idx[k], rr)
			k++
		}
		if k == len(idx) {
			break
		}
		if zp.Err() == nil {
			return false
		}
		z.opaque(idx[k], miekgError(zp.Err()))
		k++
	}
	return true
}

// interpretEach reads each record with a parser of its own.
func (z *zoneFile) interpretEach() {
	var line []byte
	for i := range z.entries {
		e := &z.entries[i]
		switch {
		case e.kind == kindGenerate:
			z.generate(i)
			continue
		case e.kind != kindRecord:
			continue
		case e.ndata == 0:
			z.opaque(i, "has no data")
			continue
		}
		line = append(line[:0], "$ORIGIN "+z.parseOrigin(i)+"\n"...)
		line = z.line(line, i)
		zp := dns.NewZoneParser(bytes.NewReader(line), z.origin, "")
		zp.SetIncludeAllowed(false)
		rr, more := zp.Next()
		switch {
		case !more:
			z.opaque(i, miekgError(zp.Err()))
		case !z.matches(i, rr):
			z.opaque(i, "miekg/dns reads it as another record")
		default:
			if _, again := zp.Next(); again {
				z.opaque(i, "miekg/dns reads it as more than one record")
				continue
			}
			z.parsed(i, rr)
		}
	}
}

// fileOrder puts records and notes in file order: $GENERATE lines and
// records without data are read before the others.
func (z *zoneFile) fileOrder() {
	byEntry := func(a, b record) int { return cmp.Compare(a.entry, b.entry) }
	if !slices.IsSortedFunc(z.recs, byEntry) {
		slices.SortStableFunc(z.recs, byEntry)
		for i := range z.eff {
			z.eff[i].n = 0
		}
		for k, r := range z.recs {
			if z.eff[r.entry].n == 0 {
				z.eff[r.entry].first = k
			}
			z.eff[r.entry].n++
		}
	}
	slices.SortStableFunc(z.notes, func(a, b Note) int { return cmp.Compare(a.Line, b.Line) })
}

// parseOrigin is the $ORIGIN miekg/dns reads entry i's data with: the
// one in effect, or the zone's when that is no domain name (BIND refuses
// such a file; topo still reads the absolute lines of its own block).
func (z *zoneFile) parseOrigin(i int) string {
	if o := z.eff[i].origin; o == z.origin {
		return o
	} else if _, ok := dns.IsDomainName(o); ok {
		return o
	}
	return z.origin
}

// line writes entry i as the one line miekg/dns reads: owner, TTL,
// class, type and data, with comments, parentheses and line breaks
// turned into blanks.
func (z *zoneFile) line(b []byte, i int) []byte {
	e := &z.entries[i]
	if strings.HasPrefix(z.eff[i].owner, "$") {
		// An owner made of "@" and a $ORIGIN starting with '$': not a
		// directive.
		b = append(b, '\\')
	}
	b = append(b, z.eff[i].owner...)
	b = append(b, ' ')
	b = strconv.AppendUint(b, uint64(z.eff[i].ttl), 10)
	b = append(b, ' ')
	if !e.class.empty() {
		b = append(b, z.data[e.class.start:e.class.end]...)
		b = append(b, ' ')
	}
	b = append(b, z.data[e.typ.start:e.typ.end]...)
	b = append(b, ' ')
	b = flatten(b, z.data, e.rdata)
	return append(b, '\n')
}

// flatten appends data[s] as one line: outside quoted strings, comments,
// parentheses and line breaks become one blank; an escaped line break
// becomes \010, the byte it stands for.
func flatten(b, data []byte, s span) []byte {
	quoted, blank := false, false
	for i := s.start; i < s.end; i++ {
		c := data[i]
		if c == '\\' && i+1 < s.end {
			if blank {
				b, blank = append(b, ' '), false
			}
			if data[i+1] == '\n' {
				b = append(b, `\010`...)
			} else {
				b = append(b, c, data[i+1])
			}
			i++
			continue
		}
		if quoted {
			b = append(b, c)
			quoted = c != '"'
			continue
		}
		switch c {
		case ';':
			for i+1 < s.end && data[i+1] != '\n' {
				i++
			}
			blank = true
		case ' ', '\t', '\r', '\n', '(', ')':
			blank = true
		default:
			if blank {
				b, blank = append(b, ' '), false
			}
			quoted = c == '"'
			b = append(b, c)
		}
	}
	return b
}

// matches reports whether rr is entry i's record: same owner and type.
func (z *zoneFile) matches(i int, rr dns.RR) bool {
	e := &z.entries[i]
	want, ok := typeCode(string(z.data[e.typ.start:e.typ.end]))
	return ok && rr.Header().Rrtype == want && sameName(rr.Header().Name, z.eff[i].owner)
}

// typeCode reads a type mnemonic or TYPEnnn.
func typeCode(s string) (uint16, bool) {
	u := strings.ToUpper(s)
	if t, ok := dns.StringToType[u]; ok {
		return t, true
	}
	if strings.HasPrefix(u, "TYPE") {
		if n, err := strconv.ParseUint(u[4:], 10, 16); err == nil {
			return uint16(n), true
		}
	}
	return 0, false
}

// classCode reads a class as isClass accepts it; 0 for one miekg/dns
// does not name.
func classCode(s string) uint16 {
	u := strings.ToUpper(s)
	switch u {
	case "CHAOS":
		u = "CH"
	case "HESIOD":
		u = "HS"
	case "CSNET":
		u = "CS"
	}
	if c, ok := dns.StringToClass[u]; ok {
		return c
	}
	if strings.HasPrefix(u, "CLASS") {
		if n, err := strconv.ParseUint(u[5:], 10, 16); err == nil {
			return uint16(n)
		}
	}
	return 0
}

// typeName is the type as topo keys it: "A", "TYPE65534".
func typeName(s string) string {
	if t, ok := typeCode(s); ok {
		return dns.Type(t).String()
	}
	return strings.ToUpper(s)
}

// sameName compares two names as DNS does: ASCII case folded, escapes
// read.
func sameName(a, b string) bool {
	if !strings.Contains(a, `\`) && !strings.Contains(b, `\`) {
		return providers.ASCIILower(a) == providers.ASCIILower(b)
	}
	return canonicalOwner(a) == canonicalOwner(b)
}

// miekgError is the parser's message without its position in the
// one-line text it was given.
func miekgError(err error) string {
	if err == nil {
		return "miekg/dns cannot read it"
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, " at line: "); i >= 0 {
		msg = msg[:i]
	}
	return "miekg/dns cannot read it (" + msg + ")"
}

// inZone says why a record with this owner and class is left out, or "".
func (z *zoneFile) outside(owner string, class uint16) string {
	in := owner == z.origin || z.origin == "." ||
		(strings.HasSuffix(owner, z.origin) && owner[len(owner)-len(z.origin)-1] == '.' && !strings.Contains(owner, `\`))
	if !in && !dns.IsSubDomain(z.origin, owner) {
		return fmt.Sprintf("record %s is outside the zone %s (BIND ignores it)", owner, z.origin)
	}
	if class != dns.ClassINET {
		return fmt.Sprintf("record %s is of class %s, not IN", owner, dns.Class(class))
	}
	return ""
}

// parsed adds a record miekg/dns read from entry i.
func (z *zoneFile) parsed(i int, rr dns.RR) {
	h := rr.Header()
	h.Name = canonicalOwner(h.Name)
	if why := z.outside(h.Name, h.Class); why != "" {
		z.note(i, why, false)
		return
	}
	typ := dns.Type(h.Rrtype).String()
	z.add(i, record{
		entry: i,
		key:   providers.Key{Name: providers.CanonicalName(h.Name), Type: typ},
		ttl:   h.Ttl,
		rr:    rr,
	}, providers.DNSData(rr))
}

// opaque adds entry i's record as written: miekg/dns cannot read it.
func (z *zoneFile) opaque(i int, why string) {
	e := &z.entries[i]
	owner := canonicalOwner(z.eff[i].owner)
	class := uint16(dns.ClassINET)
	if !e.class.empty() {
		class = classCode(string(z.data[e.class.start:e.class.end]))
	}
	if out := z.outside(owner, class); out != "" {
		z.note(i, out, false)
		return
	}
	typ := typeName(string(z.data[e.typ.start:e.typ.end]))
	data := string(flatten(nil, z.data, e.rdata))
	z.note(i, fmt.Sprintf("%s %s %s: %s; kept as written and read as an opaque record", providers.CanonicalName(owner), typ, data, why), true)
	z.add(i, record{
		entry: i,
		key:   providers.Key{Name: providers.CanonicalName(owner), Type: typ},
		ttl:   z.eff[i].ttl,
	}, data)
}

// add appends r with its libdns record as [providers.Typed] types it: an
// opaque libdns.RR for every type but those topo writes, and for data
// libdns would print back differently (an SRV at a name without
// _service._proto, an HTTPS record's parameters).
func (z *zoneFile) add(i int, r record, data string) {
	raw := libdns.RR{Name: providers.RelativeName(r.key.Name, z.origin), TTL: time.Duration(r.ttl) * time.Second, Type: r.key.Type, Data: data}
	r.rec = providers.Typed(raw)
	r.value = r.rec.RR().Data
	if z.eff[i].n == 0 {
		z.eff[i].first = len(z.recs)
	}
	z.eff[i].n++
	z.recs = append(z.recs, r)
}

func (z *zoneFile) note(i int, text string, reported bool) {
	z.notes = append(z.notes, Note{Line: z.entries[i].line, Text: text, Reported: reported})
}

// generate expands a $GENERATE line with miekg/dns, its TTL written out:
// miekg/dns gives generated records a default of 3600 where BIND uses
// the file's $TTL or the last TTL.
func (z *zoneFile) generate(i int) {
	e := &z.entries[i]
	var b []byte
	b = append(b, "$ORIGIN "+z.parseOrigin(i)+"\n$GENERATE "...)
	b = append(b, z.data[e.rng.start:e.rng.end]...)
	b = append(b, ' ')
	b = append(b, z.data[e.owner.start:e.owner.end]...)
	b = append(b, ' ')
	b = strconv.AppendUint(b, uint64(z.eff[i].ttl), 10)
	b = append(b, ' ')
	if !e.class.empty() {
		b = append(b, z.data[e.class.start:e.class.end]...)
		b = append(b, ' ')
	}
	b = append(b, z.data[e.typ.start:e.typ.end]...)
	b = append(b, ' ')
	b = flatten(b, z.data, e.rdata)
	b = append(b, '\n')
	zp := dns.NewZoneParser(bytes.NewReader(b), z.origin, "")
	zp.SetIncludeAllowed(false)
	mark, marks := len(z.recs), len(z.notes)
	for rr, more := zp.Next(); more; rr, more = zp.Next() {
		z.parsed(i, rr)
	}
	if err := zp.Err(); err != nil {
		z.recs, z.notes = z.recs[:mark], z.notes[:marks]
		z.eff[i].n = 0
		z.note(i, "$GENERATE "+strings.TrimPrefix(miekgError(err), "miekg/dns cannot read it ")+": its records are kept as written and left out", false)
	}
}

// index returns the zone's RRsets by key, grouped once.
func (z *zoneFile) index() map[providers.Key]providers.RRset {
	if z.idx == nil {
		z.idx = group(z.recs)
	}
	return z.idx
}

// group makes RRsets of records. The TTL of an RRset is the lowest of its
// records' TTLs, as resolvers treat it.
func group(recs []record) map[providers.Key]providers.RRset {
	at := make(map[providers.Key]int, len(recs))
	sets := make([]providers.RRset, 0, len(recs))
	for _, r := range recs {
		i, ok := at[r.key]
		if !ok {
			i = len(sets)
			at[r.key] = i
			sets = append(sets, providers.RRset{Name: r.key.Name, Type: r.key.Type, TTL: r.ttl})
		} else if r.ttl < sets[i].TTL {
			sets[i].TTL = r.ttl
		}
		sets[i].Values = append(sets[i].Values, r.value)
	}
	idx := make(map[providers.Key]providers.RRset, len(sets))
	for _, s := range sets {
		s.Normalize()
		idx[s.Key()] = s
	}
	return idx
}

// Parse reads a master file strictly: it returns the records miekg/dns
// reads (names lowercased, inside the zone, in file order, $GENERATE
// expanded), and an error naming every line it could not read that way:
// a record miekg/dns cannot parse or cannot print back the same, one with
// no data, one outside the zone, an $INCLUDE. The provider itself is not
// strict: it keeps such lines as written (see [Note]).
func Parse(data []byte, origin, filename string) ([]dns.RR, error) {
	z, err := readZone(data, dns.Fqdn(origin))
	if err != nil {
		return nil, fmt.Errorf("parse zone file %s: %w", filename, err)
	}
	var errs []error
	for _, n := range z.notes {
		errs = append(errs, fmt.Errorf("parse zone file %s: %s", filename, n))
	}
	var rrs []dns.RR
	for _, r := range z.recs {
		if r.rr == nil {
			continue
		}
		if !commonTypes[r.rr.Header().Rrtype] {
			// Some types miekg/dns prints in a form it cannot read back
			// (NULL as a comment, NXT with an empty bitmap).
			back, err := dns.NewRR(r.rr.String())
			if err != nil || back == nil || !dns.IsDuplicate(r.rr, back) {
				errs = append(errs, fmt.Errorf("parse zone file %s: line %d: record %s %s cannot be written back faithfully", filename, z.entries[r.entry].line, r.key.Name, r.key.Type))
				continue
			}
		}
		rrs = append(rrs, r.rr)
	}
	return rrs, errors.Join(errs...)
}

// commonTypes print and parse back exactly.
var commonTypes = map[uint16]bool{
	dns.TypeSOA: true, dns.TypeNS: true, dns.TypeA: true, dns.TypeAAAA: true, dns.TypeCNAME: true,
	dns.TypeTXT: true, dns.TypeSRV: true, dns.TypeMX: true, dns.TypePTR: true, dns.TypeCAA: true,
}

// canonicalOwner lowercases a name's letters in wire form and prints it
// back, so that escaped letters (\070) fold too and the name reads back
// the same once written.
func canonicalOwner(name string) string {
	if !strings.Contains(name, `\`) {
		// No escapes: fold A-Z and keep every other byte as written.
		return providers.ASCIILower(name)
	}
	buf := make([]byte, 256)
	off, err := dns.PackDomainName(name, buf, 0, nil, false)
	if err != nil {
		return providers.ASCIILower(name)
	}
	for i := 0; i < off && buf[i] != 0; i += int(buf[i]) + 1 {
		for j := i + 1; j <= i+int(buf[i]) && j < off; j++ {
			if c := buf[j]; c >= 'A' && c <= 'Z' {
				buf[j] = c + 'a' - 'A'
			}
		}
	}
	n, _, err := dns.UnpackDomainName(buf[:off], 0)
	if err != nil {
		return providers.ASCIILower(name)
	}
	return n
}
