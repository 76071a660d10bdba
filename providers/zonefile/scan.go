package zonefile

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// This file splits a master file (RFC 1035 section 5) into its logical
// lines, knowing where each one starts and ends in the bytes, without
// interpreting any record. The editor keeps every line it does not own as
// these bytes, so the split follows BIND's lexer: parentheses join
// physical lines, ';' starts a comment outside quoted strings, '\' escapes
// the next byte, '"' starts a quoted string wherever it appears (it is one
// of BIND's "special" characters, like the parentheses and ';').

// entryKind says what one logical line is.
type entryKind uint8

const (
	kindBlank    entryKind = iota // blank lines and comments: no token
	kindRecord                    // a resource record
	kindOrigin                    // $ORIGIN
	kindTTL                       // $TTL
	kindGenerate                  // $GENERATE
	kindBegin                     // the comment opening topo's block
	kindEnd                       // the comment closing it
)

// span is a range of bytes of the file, [start, end).
type span struct{ start, end int }

func (s span) empty() bool { return s.end <= s.start }

// entry is one logical line: a record or a directive with its comments,
// over as many physical lines as its parentheses take, or a run of
// blanks and comments. A file is exactly the concatenation of its
// entries.
type entry struct {
	span     // the whole line, its newline included
	line int // line number of its first byte, from 1
	kind entryKind

	// Records and $GENERATE. An empty owner means the line starts with a
	// blank and the owner is the previous record's. For $GENERATE, owner
	// is the left-hand side and rng the range.
	owner, ttl, class, typ span
	rng                    span
	// rdata runs from the first data token to the end of the last one
	// (for $GENERATE: the right-hand side); ndata counts its tokens.
	rdata span
	ndata int
	// ttlAt is where a TTL can be written into the line: the start of the
	// first token after the owner (after the range and left-hand side of a
	// $GENERATE).
	ttlAt int
	// SOA: its serial and minimum fields.
	serial, soaMin span
	// $ORIGIN and $TTL: the argument.
	arg span
}

const (
	beginMarker = "; BEGIN topo managed records"
	endMarker   = "; END topo managed records"
)

// token is one token of a logical line.
type token struct {
	span
	quoted bool
}

// scanError reports a file that BIND would refuse to load as well.
type scanError struct {
	line int
	msg  string
}

func (e *scanError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// scan splits data into entries. It fails only on what makes the file
// unreadable to BIND too: unbalanced parentheses or quotes, an unknown or
// $INCLUDE directive, a record with no type.
func scan(data []byte) ([]entry, error) {
	entries := make([]entry, 0, bytes.Count(data, []byte{'\n'})+1)
	toks := make([]token, 0, 16)
	line := 1
	for i := 0; i < len(data); {
		e := entry{span: span{start: i}, line: line}
		toks = toks[:0]
		depth := 0
		lineDone := false
		for i < len(data) && !lineDone {
			c := data[i]
			switch c {
			case '\n':
				line++
				i++
				lineDone = depth == 0
			case ' ', '\t', '\r':
				i++
			case ';':
				for i < len(data) && data[i] != '\n' {
					i++
				}
			case '(':
				depth++
				i++
			case ')':
				if depth == 0 {
					return nil, &scanError{line, "unbalanced parentheses"}
				}
				depth--
				i++
			case '"':
				j := i + 1
				for ; j < len(data) && data[j] != '"'; j++ {
					switch data[j] {
					case '\\':
						j++
						if j < len(data) && data[j] == '\n' {
							line++
						}
					case '\n':
						return nil, &scanError{line, "unbalanced quotes"}
					}
				}
				if j >= len(data) {
					return nil, &scanError{line, "unbalanced quotes"}
				}
				toks = append(toks, token{span: span{i, j + 1}, quoted: true})
				i = j + 1
			default:
				j := i
			word:
				for j < len(data) {
					switch data[j] {
					case '\\':
						// BIND reads no escaped line break outside quotes.
						if j+1 >= len(data) || data[j+1] == '\n' {
							return nil, &scanError{line, "a backslash at the end of a line"}
						}
						j += 2
					case ' ', '\t', '\r', '\n', ';', '(', ')', '"':
						break word
					default:
						j++
					}
				}
				toks = append(toks, token{span: span{i, j}})
				i = j
			}
		}
		if depth > 0 {
			return nil, &scanError{e.line, "unbalanced parentheses"}
		}
		e.end = i
		if err := classify(data, &e, toks); err != nil {
			return nil, err
		}
		// Runs of blanks and comments are one entry, unless they are
		// topo's markers.
		if n := len(entries); e.kind == kindBlank && n > 0 && entries[n-1].kind == kindBlank {
			entries[n-1].end = e.end
			continue
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// classify fills in what the entry is from its tokens.
func classify(data []byte, e *entry, toks []token) error {
	if len(toks) == 0 {
		text := bytes.TrimLeft(data[e.start:e.end], " \t")
		switch {
		case bytes.HasPrefix(text, []byte(beginMarker)):
			e.kind = kindBegin
		case bytes.HasPrefix(text, []byte(endMarker)):
			e.kind = kindEnd
		}
		return nil
	}
	str := func(t token) string { return string(data[t.start:t.end]) }
	blankStart := data[e.start] == ' ' || data[e.start] == '\t'
	if !blankStart && !toks[0].quoted && data[toks[0].start] == '$' {
		name := strings.ToUpper(str(toks[0]))
		switch name {
		case "$ORIGIN", "$TTL":
			if len(toks) != 2 {
				return &scanError{e.line, name + " takes one argument"}
			}
			e.kind = kindOrigin
			if name == "$TTL" {
				e.kind = kindTTL
				if _, ok := parseTTL(str(toks[1])); !ok {
					return &scanError{e.line, fmt.Sprintf("$TTL %q is not a TTL", str(toks[1]))}
				}
			}
			e.arg = toks[1].span
			return nil
		case "$INCLUDE":
			return &scanError{e.line, "$INCLUDE: topo edits a zone that is one file, and will not follow it"}
		case "$GENERATE":
			if len(toks) < 5 {
				return &scanError{e.line, "$GENERATE needs a range, an owner, a type and data"}
			}
			e.kind = kindGenerate
			e.rng, e.owner = toks[1].span, toks[2].span
			return header(data, e, toks, 3)
		}
		return &scanError{e.line, fmt.Sprintf("unknown directive %s", str(toks[0]))}
	}
	e.kind = kindRecord
	k := 0
	if !blankStart {
		e.owner = toks[0].span
		k = 1
	}
	return header(data, e, toks, k)
}

// header reads [class] [TTL] [class] type data, in BIND's order, from
// toks[k:].
func header(data []byte, e *entry, toks []token, k int) error {
	str := func(t token) string { return string(data[t.start:t.end]) }
	if k < len(toks) {
		e.ttlAt = toks[k].start
	} else {
		e.ttlAt = e.end
	}
	if k < len(toks) && !toks[k].quoted && isClass(str(toks[k])) {
		e.class = toks[k].span
		k++
	}
	if k < len(toks) && !toks[k].quoted {
		if _, ok := parseTTL(str(toks[k])); ok {
			e.ttl = toks[k].span
			k++
		}
	}
	if e.class.empty() && k < len(toks) && !toks[k].quoted && isClass(str(toks[k])) {
		e.class = toks[k].span
		k++
	}
	if k >= len(toks) {
		return &scanError{e.line, "a record with no type"}
	}
	e.typ = toks[k].span
	k++
	if k < len(toks) {
		e.rdata = span{toks[k].start, toks[len(toks)-1].end}
		e.ndata = len(toks) - k
	}
	if e.kind == kindRecord && strings.EqualFold(str(toks[k-1]), "SOA") {
		// SOA data: mname rname serial refresh retry expire minimum.
		if n := len(toks) - k; n >= 3 {
			e.serial = toks[k+2].span
		}
		if n := len(toks) - k; n >= 7 {
			e.soaMin = toks[k+6].span
		}
	}
	return nil
}

// isClass reports whether s names a class as BIND reads one.
func isClass(s string) bool {
	switch strings.ToUpper(s) {
	case "IN", "CH", "CHAOS", "HS", "HESIOD", "NONE", "ANY", "CS", "CSNET":
		return true
	}
	if len(s) > 5 && strings.EqualFold(s[:5], "CLASS") {
		_, err := strconv.ParseUint(s[5:], 10, 16)
		return err == nil
	}
	return false
}

// maxTTL is the largest TTL BIND keeps; a larger one is read as 0 (RFC
// 2181 section 8).
const maxTTL = 1<<31 - 1

// parseTTL reads a TTL as BIND does: seconds, or groups of a number and a
// unit (1w2d3h4m5s, any case). ok is false when s is not a TTL at all (it
// may be a type); values past 2^31-1 read as 0.
func parseTTL(s string) (ttl uint32, ok bool) {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	var total uint64
	var n uint64
	digits := false
	units := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			n = n*10 + uint64(c-'0')
			if n > 1<<32 {
				return 0, false
			}
			digits = true
			continue
		}
		if !digits {
			return 0, false
		}
		var mult uint64
		switch c | 0x20 {
		case 'w':
			mult = 7 * 24 * 3600
		case 'd':
			mult = 24 * 3600
		case 'h':
			mult = 3600
		case 'm':
			mult = 60
		case 's':
			mult = 1
		default:
			return 0, false
		}
		total += n * mult
		if total > 1<<32-1 {
			return 0, false
		}
		n, digits, units = 0, false, true
	}
	if digits {
		if units {
			// "1h30": BIND wants a unit after every number once one is used.
			return 0, false
		}
		total = n
	}
	if total > 1<<32-1 {
		return 0, false
	}
	if total > maxTTL {
		return 0, true
	}
	return uint32(total), true
}

// absolute reports whether a name as written ends in an unescaped dot.
func absolute(name string) bool {
	if !strings.HasSuffix(name, ".") {
		return false
	}
	n := 0
	for i := len(name) - 2; i >= 0 && name[i] == '\\'; i-- {
		n++
	}
	return n%2 == 0
}

// join makes a name as written absolute against origin.
func join(name, origin string) string {
	switch {
	case name == "@":
		return origin
	case absolute(name):
		return name
	case origin == ".":
		return name + "."
	}
	return name + "." + origin
}
