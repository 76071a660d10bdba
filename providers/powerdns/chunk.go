package powerdns

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

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
	var all bytes.Buffer
	enc := json.NewEncoder(&all)
	enc.SetEscapeHTML(false)
	ends := make([]int, len(edits)) // ends[i]: end of entry i in all
	for i, e := range edits {
		entry, err := patchEntry(zone, e)
		if err != nil {
			return nil, fmt.Errorf("edit %d (%s): %w", i+1, e.Key(), err)
		}
		start := all.Len()
		if i > 0 {
			all.WriteByte(',')
			start++
		}
		if err := enc.Encode(entry); err != nil {
			return nil, fmt.Errorf("edit %d (%s): %w", i+1, e.Key(), err)
		}
		all.Truncate(all.Len() - 1) // Encode ends each value with a newline
		ends[i] = all.Len()
		if need := len(bodyOpen) + all.Len() - start + len(bodyClose); need > p.maxBytes {
			return nil, fmt.Errorf("edit %d (%s): the RRset needs a %d-byte request, more than max_request_bytes (%d); raise max_request_bytes, and webserver-max-bodysize on the server with it",
				i+1, e.Key(), need, p.maxBytes)
		}
	}
	body := all.Bytes()
	var out []chunk
	keys := make(map[providers.Key]bool, min(len(edits), p.maxBytes/64))
	first, from := 0, 0 // the chunk's first edit and where its entries start in body
	for i, e := range edits {
		size := len(bodyOpen) + ends[i] - from + len(bodyClose)
		if i > first && (size > p.maxBytes || keys[e.Key()]) {
			out = append(out, newChunk(body[from:ends[i-1]], first, i-first))
			first, from = i, ends[i-1]+1 // skip the comma
			clear(keys)
		}
		keys[e.Key()] = true
	}
	return append(out, newChunk(body[from:], first, len(edits)-first)), nil
}

func newChunk(entries []byte, first, n int) chunk {
	body := make([]byte, 0, len(bodyOpen)+len(entries)+len(bodyClose))
	body = append(body, bodyOpen...)
	body = append(body, entries...)
	body = append(body, bodyClose...)
	return chunk{first: first, n: n, body: body}
}

// patchRRset is one entry of a PATCH body: REPLACE with the new records,
// or DELETE. Without a "comments" key PowerDNS leaves the RRset's comments
// as they are.
type patchRRset struct {
	Name       string        `json:"name"`
	Type       string        `json:"type"`
	TTL        *uint32       `json:"ttl,omitempty"`
	ChangeType changeType    `json:"changetype"`
	Records    []patchRecord `json:"records,omitempty"`
}

// changeType is what a PATCH entry does to its RRset.
type changeType string

const (
	// changeReplace makes the RRset hold exactly the entry's records.
	changeReplace changeType = "REPLACE"
	// changeDelete deletes the RRset.
	changeDelete changeType = "DELETE"
)

type patchRecord struct {
	Content  string `json:"content"`
	Disabled bool   `json:"disabled"`
}

// patchEntry checks one edit and returns its PATCH entry.
func patchEntry(zone string, e providers.Edit) (patchRRset, error) {
	if e.Before == nil && e.After == nil {
		return patchRRset{}, fmt.Errorf("edit has neither a before nor an after RRset")
	}
	if e.Before != nil && e.After != nil && e.Before.Key() != e.After.Key() {
		return patchRRset{}, fmt.Errorf("edit changes %s into %s: an edit replaces one RRset", e.Before.Key(), e.After.Key())
	}
	k := e.Key()
	name := providers.CanonicalName(k.Name)
	z := providers.CanonicalName(zone)
	if k.Type == "" {
		return patchRRset{}, fmt.Errorf("RRset has no type")
	}
	if name != z && !strings.HasSuffix(name, "."+z) {
		return patchRRset{}, fmt.Errorf("name %q is not in zone %q", k.Name, z)
	}
	entry := patchRRset{Name: name + ".", Type: strings.ToUpper(k.Type), ChangeType: changeDelete}
	if e.After == nil || len(e.After.Values) == 0 {
		return entry, nil
	}
	ttl := e.After.TTL
	entry.TTL, entry.ChangeType = &ttl, changeReplace
	entry.Records = make([]patchRecord, len(e.After.Values))
	for i, v := range e.After.Values {
		c, err := content(entry.Type, v)
		if err != nil {
			return patchRRset{}, err
		}
		entry.Records[i] = patchRecord{Content: c}
	}
	return entry, nil
}
