package powerdns

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/topo-dns/topo/providers"
)

// chunk is one PATCH: a run of consecutive edits and its body.
type chunk struct {
	first, n int // edits[first : first+n]
	body     []byte
}

const (
	bodyOpen  = `{"rrsets":[`
	bodyClose = `]}`
)

// Chunks implements providers.Chunker: the number of PATCH requests
// ApplyEdits sends for edits (besides its one GET). Edits it cannot encode
// count as one chunk; ApplyEdits reports what is wrong with them.
func (p *Provider) Chunks(zone string, edits []providers.Edit) int {
	if len(edits) == 0 {
		return 0
	}
	chunks, err := p.chunk(zone, edits)
	if err != nil {
		return 1
	}
	return len(chunks)
}

// chunk encodes edits as PATCH bodies of at most maxBytes each, in order,
// filling each greedily. An RRset appears at most once per PATCH, since
// PowerDNS refuses duplicates.
func (p *Provider) chunk(zone string, edits []providers.Edit) ([]chunk, error) {
	// Every entry goes into one buffer, comma-separated, so that a chunk's
	// body is one copy of a contiguous run.
	size := 0
	for _, e := range edits {
		size += 80 + len(e.Key().Name)
		if e.After != nil {
			for _, v := range e.After.Values {
				size += 36 + len(v) + len(v)/4 // content, with room for escapes
			}
		}
	}
	all := make([]byte, 0, size)
	ends := make([]int, len(edits)) // ends[i]: end of entry i in all
	for i, e := range edits {
		start := len(all)
		if i > 0 {
			all = append(all, ',')
			start++
		}
		var err error
		if all, err = appendEdit(all, zone, e); err != nil {
			return nil, fmt.Errorf("edit %d (%s): %w", i+1, e.Key(), err)
		}
		ends[i] = len(all)
		if need := len(bodyOpen) + len(all) - start + len(bodyClose); need > p.maxBytes {
			return nil, fmt.Errorf("edit %d (%s): the RRset needs a %d-byte request, more than max_request_bytes (%d); raise max_request_bytes, and webserver-max-bodysize on the server with it",
				i+1, e.Key(), need, p.maxBytes)
		}
	}
	var out []chunk
	keys := make(map[providers.Key]bool, min(len(edits), p.maxBytes/64))
	first, from := 0, 0 // the chunk's first edit and where its entries start in all
	for i, e := range edits {
		size := len(bodyOpen) + ends[i] - from + len(bodyClose)
		if i > first && (size > p.maxBytes || keys[e.Key()]) {
			out = append(out, newChunk(all[from:ends[i-1]], first, i-first))
			first, from = i, ends[i-1]+1 // skip the comma
			clear(keys)
		}
		keys[e.Key()] = true
	}
	return append(out, newChunk(all[from:], first, len(edits)-first)), nil
}

func newChunk(entries []byte, first, n int) chunk {
	body := make([]byte, 0, len(bodyOpen)+len(entries)+len(bodyClose))
	body = append(body, bodyOpen...)
	body = append(body, entries...)
	body = append(body, bodyClose...)
	return chunk{first: first, n: n, body: body}
}

// appendEdit checks one edit and appends it as a PATCH entry: REPLACE with
// the new records, or DELETE. Without a "comments" key PowerDNS leaves the
// RRset's comments as they are.
func appendEdit(buf []byte, zone string, e providers.Edit) ([]byte, error) {
	if e.Before == nil && e.After == nil {
		return nil, fmt.Errorf("edit has neither a before nor an after RRset")
	}
	if e.Before != nil && e.After != nil && e.Before.Key() != e.After.Key() {
		return nil, fmt.Errorf("edit changes %s into %s: an edit replaces one RRset", e.Before.Key(), e.After.Key())
	}
	k := e.Key()
	name := providers.CanonicalName(k.Name)
	z := providers.CanonicalName(zone)
	if k.Type == "" {
		return nil, fmt.Errorf("RRset has no type")
	}
	if name != z && !strings.HasSuffix(name, "."+z) {
		return nil, fmt.Errorf("name %q is not in zone %q", k.Name, z)
	}
	typ := strings.ToUpper(k.Type)
	buf = append(buf, `{"name":`...)
	buf = appendJSONString(buf, name+".")
	buf = append(buf, `,"type":`...)
	buf = appendJSONString(buf, typ)
	if e.After == nil || len(e.After.Values) == 0 {
		return append(buf, `,"changetype":"DELETE"}`...), nil
	}
	buf = append(buf, `,"ttl":`...)
	buf = strconv.AppendUint(buf, uint64(e.After.TTL), 10)
	buf = append(buf, `,"changetype":"REPLACE","records":[`...)
	for i, v := range e.After.Values {
		c, err := content(typ, v)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, `{"content":`...)
		buf = appendJSONString(buf, c)
		buf = append(buf, `,"disabled":false}`...)
	}
	return append(buf, "]}"...), nil
}

// appendJSONString appends s as a JSON string, as encoding/json writes it
// without HTML escaping: invalid UTF-8 becomes U+FFFD.
func appendJSONString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				buf = append(buf, '\\', c)
			case c == '\n':
				buf = append(buf, '\\', 'n')
			case c == '\r':
				buf = append(buf, '\\', 'r')
			case c == '\t':
				buf = append(buf, '\\', 't')
			case c < 0x20:
				buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				buf = append(buf, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			buf = append(buf, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			// Valid JSON, but not valid JavaScript; encoding/json escapes them.
			buf = append(buf, `\u202`...)
			buf = append(buf, hex[r&0xf])
		default:
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return append(buf, '"')
}
