package powerdns

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/topo-dns/topo/providers"
)

// patchRRset is one RRset in a PATCH body. Without a "comments" key,
// PowerDNS leaves the RRset's comments as they are.
type patchRRset struct {
	Name       string      `json:"name"`
	Type       string      `json:"type"`
	TTL        *uint32     `json:"ttl,omitempty"`
	ChangeType string      `json:"changetype"`
	Records    []apiRecord `json:"records,omitempty"`
}

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
	var (
		out  []chunk
		cur  = chunk{body: []byte(bodyOpen)}
		keys = map[providers.Key]bool{}
		enc  bytes.Buffer
	)
	flush := func() {
		cur.body = append(cur.body, bodyClose...)
		out = append(out, cur)
	}
	for i, e := range edits {
		entry, err := encodeEdit(&enc, zone, e)
		if err != nil {
			return nil, fmt.Errorf("edit %d (%s): %w", i+1, e.Key(), err)
		}
		if need := len(bodyOpen) + len(entry) + len(bodyClose); need > p.maxBytes {
			return nil, fmt.Errorf("edit %d (%s): the RRset needs a %d-byte request, more than max_request_bytes (%d); raise max_request_bytes, and webserver-max-bodysize on the server with it",
				i+1, e.Key(), need, p.maxBytes)
		}
		sep := 0
		if cur.n > 0 {
			sep = 1
		}
		if cur.n > 0 && (len(cur.body)+sep+len(entry)+len(bodyClose) > p.maxBytes || keys[e.Key()]) {
			flush()
			cur = chunk{first: i, body: []byte(bodyOpen)}
			clear(keys)
			sep = 0
		}
		if sep == 1 {
			cur.body = append(cur.body, ',')
		}
		cur.body = append(cur.body, entry...)
		cur.n++
		keys[e.Key()] = true
	}
	flush()
	return out, nil
}

// encodeEdit checks one edit and encodes it as a PATCH entry: REPLACE with
// the new records, or DELETE. The bytes are valid until the next call.
func encodeEdit(enc *bytes.Buffer, zone string, e providers.Edit) ([]byte, error) {
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
	ps := patchRRset{Name: name + ".", Type: strings.ToUpper(k.Type), ChangeType: "DELETE"}
	if e.After != nil && len(e.After.Values) > 0 {
		ttl := e.After.TTL
		ps.TTL, ps.ChangeType = &ttl, "REPLACE"
		ps.Records = make([]apiRecord, len(e.After.Values))
		for i, v := range e.After.Values {
			c, err := content(ps.Type, v)
			if err != nil {
				return nil, err
			}
			ps.Records[i] = apiRecord{Content: c}
		}
	}
	enc.Reset()
	je := json.NewEncoder(enc)
	je.SetEscapeHTML(false)
	if err := je.Encode(ps); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(enc.Bytes(), []byte("\n")), nil
}
