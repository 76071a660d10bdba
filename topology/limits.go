package topology

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// Bounds on the input, checked before hcl parses a byte of it: hcl's parser
// recurses once per bracket, so a file of 100,000 nested "[" overflows the
// stack (a fatal error no recover catches), and a file of any size is read
// whole.
const (
	// MaxFileSize is the largest topology file topo reads: 4 MiB. A
	// topology of 1,000 pools of 12 servers is about 1.4 MB.
	MaxFileSize = 4 << 20
	// MaxNesting is the deepest brackets, braces, parentheses and template
	// interpolations may nest. A topology nests a handful of levels (site,
	// pool, web_services).
	MaxNesting = 64
)

// CheckSource reports a file that exceeds MaxFileSize or nests deeper than
// MaxNesting, pointing at the place the limit is crossed. Call it before
// handing src to any hcl parser (hclsyntax, hclwrite): Parse does.
func CheckSource(src []byte, filename string) hcl.Diagnostics {
	return checkSource(src, filename, int64(len(src)))
}

// checkSource is CheckSource for a src that may be the first bytes of a
// file of size bytes.
func checkSource(src []byte, filename string, size int64) hcl.Diagnostics {
	if len(src) > MaxFileSize {
		pos := posAt(src, MaxFileSize)
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Topology file too large",
			Detail:   fmt.Sprintf("The file is %d bytes; topo reads topology files of at most %d bytes (4 MiB), and this one goes past that here. A topology of 1,000 pools of 12 servers is about 1.4 MB: check that this is the file you meant.", size, MaxFileSize),
			Subject:  &hcl.Range{Filename: filename, Start: pos, End: pos},
		}}
	}
	if off, ok := tooDeep(src); ok {
		start := posAt(src, off)
		end := start
		end.Byte++
		end.Column++
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Nesting too deep",
			Detail:   fmt.Sprintf("Brackets, braces, parentheses, ${...} interpolations and unary operators (- and !) nest more than %d deep here. A topology nests a few levels (site, pool, server); topo stops before parsing a file nested this deep.", MaxNesting),
			Subject:  &hcl.Range{Filename: filename, Start: start, End: end},
		}}
	}
	return nil
}

// tooDeep scans src the way hcl's scanner splits it (expressions, quoted
// strings, heredocs, comments) and returns the offset of the first opening
// that nests deeper than MaxNesting. It only counts: a file it passes may
// still be a syntax error for hcl to report.
func tooDeep(src []byte) (int, bool) {
	type frame struct {
		kind   byte   // '(', '[', '{', 'i' (interpolation), '"' (string), 'h' (heredoc)
		marker []byte // a heredoc's closing marker
	}
	var stack []frame
	push := func(f frame) bool {
		stack = append(stack, f)
		return len(stack) > MaxNesting
	}
	top := func() byte {
		if len(stack) == 0 {
			return 0
		}
		return stack[len(stack)-1].kind
	}
	n := len(src)
	for i := 0; i < n; i++ {
		c := src[i]
		switch top() {
		case '"', 'h':
			heredoc := top() == 'h'
			if heredoc && (i == 0 || src[i-1] == '\n') {
				if end, ok := heredocEnd(src, i, stack[len(stack)-1].marker); ok {
					stack = stack[:len(stack)-1]
					i = end - 1
					continue
				}
			}
			switch {
			case c == '\\' && !heredoc:
				i++ // an escape: the next byte is literal
			case c == '"' && !heredoc:
				stack = stack[:len(stack)-1]
			case (c == '$' || c == '%') && i+2 < n && src[i+1] == c && src[i+2] == '{':
				i += 2 // $${ and %%{ are literal
			case (c == '$' || c == '%') && i+1 < n && src[i+1] == '{':
				if push(frame{kind: 'i'}) {
					return i, true
				}
				i++
			}
			continue
		}
		switch c {
		case '#':
			i = lineEnd(src, i)
		case '/':
			if i+1 < n && src[i+1] == '/' {
				i = lineEnd(src, i)
			} else if i+1 < n && src[i+1] == '*' {
				end := bytes.Index(src[i+2:], []byte("*/"))
				if end < 0 {
					return 0, false
				}
				i += 2 + end + 1
			}
		case '"':
			if push(frame{kind: '"'}) {
				return i, true
			}
		case '<':
			if marker, body, ok := heredocStart(src, i); ok {
				if push(frame{kind: 'h', marker: marker}) {
					return i, true
				}
				i = body - 1
			}
		case '-', '!':
			// Each unary operator is one more level of hcl's recursion:
			// "- - !x" nests three deep.
			ops, j := 0, i
			for ; j < n && (src[j] == '-' || src[j] == '!' || src[j] == ' ' || src[j] == '\t'); j++ {
				if src[j] != ' ' && src[j] != '\t' {
					ops++
				}
				if len(stack)+ops > MaxNesting {
					return j, true
				}
			}
			i = j - 1
		case '(', '[', '{':
			if push(frame{kind: c}) {
				return i, true
			}
		case ')', ']', '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	return 0, false
}

// heredocStart recognises "<<EOT\n" or "<<-EOT\n" at i: the marker, and
// the offset of the body's first byte.
func heredocStart(src []byte, i int) (marker []byte, body int, ok bool) {
	j := i + 2
	if j > len(src) || src[i+1] != '<' {
		return nil, 0, false
	}
	if j < len(src) && src[j] == '-' {
		j++
	}
	start := j
	for j < len(src) && isIdentByte(src[j], j == start) {
		j++
	}
	if j == start {
		return nil, 0, false
	}
	marker = src[start:j]
	if j < len(src) && src[j] == '\r' {
		j++
	}
	if j >= len(src) || src[j] != '\n' {
		return nil, 0, false
	}
	return marker, j + 1, true
}

// heredocEnd reports whether the line starting at i closes a heredoc
// (optional indentation, the marker, then the line's end), and the offset
// after the marker.
func heredocEnd(src []byte, i int, marker []byte) (int, bool) {
	j := i
	for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
		j++
	}
	if !bytes.HasPrefix(src[j:], marker) {
		return 0, false
	}
	j += len(marker)
	if j < len(src) && src[j] == '\r' {
		j++
	}
	if j < len(src) && src[j] != '\n' {
		return 0, false
	}
	return j, true
}

func isIdentByte(c byte, first bool) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || !first && (c >= '0' && c <= '9' || c == '-')
}

// lineEnd returns the offset of the newline ending the line at i (or the
// last byte).
func lineEnd(src []byte, i int) int {
	for ; i < len(src); i++ {
		if src[i] == '\n' {
			return i
		}
	}
	return len(src) - 1
}

// posAt is the hcl position of byte offset off: lines from 1, columns in
// characters from 1.
func posAt(src []byte, off int) hcl.Pos {
	pos := hcl.Pos{Line: 1, Column: 1, Byte: off}
	lineStart := 0
	for i := 0; i < off && i < len(src); i++ {
		if src[i] == '\n' {
			pos.Line++
			lineStart = i + 1
		}
	}
	pos.Column += utf8.RuneCount(src[lineStart:min(off, len(src))])
	return pos
}
