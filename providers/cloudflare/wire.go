package cloudflare

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
)

// AutoTTL is what Cloudflare's "automatic" TTL (1) means in seconds, and
// how topo reads it.
const AutoTTL = 300

// record is one Cloudflare record as topo sees it.
type record struct {
	id      string
	key     providers.Key
	value   string // canonical data, as in RRset.Values
	ttl     uint32 // seconds; automatic reads as AutoTTL
	proxied bool
	rr      libdns.RR // name relative to the zone
}

// apiRecord is a record as the API lists it.
type apiRecord struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Type     string  `json:"type"`
	Content  string  `json:"content"`
	Priority float64 `json:"priority"`
	// Data is decoded only for the types topo reads it of: what it
	// holds for others must not fail a whole listing.
	Data    json.RawMessage `json:"data"`
	TTL     float64         `json:"ttl"`
	Proxied bool            `json:"proxied"`
}

// data returns the record's data object, or nil.
func (r apiRecord) data() map[string]any {
	var d map[string]any
	if json.Unmarshal(r.Data, &d) != nil {
		return nil
	}
	return d
}

// fromAPI reads a record of the zone named zone ("contoso.com").
func fromAPI(zone string, r apiRecord) record {
	typ := strings.ToUpper(r.Type)
	name := providers.CanonicalName(r.Name)
	data := dataOf(typ, r)
	ttl := uint32(r.TTL)
	if r.TTL == float64(dns.TTL1) {
		ttl = AutoTTL
	}
	return record{
		id:      r.ID,
		key:     providers.Key{Name: name, Type: typ},
		value:   providers.CanonicalData(typ, data),
		ttl:     ttl,
		proxied: r.Proxied,
		rr:      libdns.RR{Name: providers.RelativeName(name, zone), TTL: time.Duration(ttl) * time.Second, Type: typ, Data: data},
	}
}

// dataOf returns a record's data in libdns's RR.Data form. Cloudflare keeps
// the priority of MX and SRV records apart from their content, SRV and CAA
// fields also in data, and names without the trailing dot.
func dataOf(typ string, r apiRecord) string {
	switch typ {
	case "MX":
		return fmt.Sprintf("%d %s", int(r.Priority), providers.ZoneFQDN(r.Content))
	case "SRV":
		d := r.data()
		prio, ok1 := d["priority"].(float64)
		weight, ok2 := d["weight"].(float64)
		port, ok3 := d["port"].(float64)
		target, ok4 := d["target"].(string)
		if ok1 && ok2 && ok3 && ok4 {
			return fmt.Sprintf("%d %d %d %s", int(prio), int(weight), int(port), providers.ZoneFQDN(target))
		}
		// Without data: content "priority weight port target", as
		// cloudflare-go documents it, or "weight port target" with the
		// priority apart, as older answers have it.
		f := strings.Fields(r.Content)
		if len(f) == 4 {
			f[3] = providers.ZoneFQDN(f[3])
			return strings.Join(f, " ")
		}
		if len(f) == 3 {
			f[2] = providers.ZoneFQDN(f[2])
		}
		return fmt.Sprintf("%d %s", int(r.Priority), strings.Join(f, " "))
	case "CNAME", "NS", "PTR":
		return providers.ZoneFQDN(r.Content)
	case "TXT":
		return txtText(r.Content)
	case "CAA":
		if d := r.data(); r.Content == "" && d != nil {
			flags, _ := d["flags"].(float64)
			tag, _ := d["tag"].(string)
			value, _ := d["value"].(string)
			return fmt.Sprintf("%d %s %q", int(flags), tag, value)
		}
	}
	return r.Content
}

// wireRecord is a record in a batch request: a post, or with ID a patch.
// cloudflare-go models the batch body as a union of one type per record
// type, whose fields only its root package can set; this is the same JSON.
type wireRecord struct {
	ID       string  `json:"id,omitempty"`
	Name     string  `json:"name,omitempty"`
	Type     string  `json:"type,omitempty"`
	Content  string  `json:"content,omitempty"`
	Priority *uint16 `json:"priority,omitempty"`
	Data     any     `json:"data,omitempty"`
	TTL      uint32  `json:"ttl,omitempty"`
	Proxied  *bool   `json:"proxied,omitempty"`
}

type wireID struct {
	ID string `json:"id"`
}

type batchBody struct {
	Deletes []wireID     `json:"deletes,omitempty"`
	Patches []wireRecord `json:"patches,omitempty"`
	Posts   []wireRecord `json:"posts,omitempty"`
}

func (b batchBody) ops() int { return len(b.Deletes) + len(b.Patches) + len(b.Posts) }

func proxiable(typ string) bool { return typ == "A" || typ == "AAAA" || typ == "CNAME" }

// toAPI returns the record topo writes for one value of an RRset: name
// absolute without the trailing dot, the configured proxy status on
// proxiable types.
func (p *Provider) toAPI(name, typ string, ttl uint32, value string) (wireRecord, error) {
	w := wireRecord{Name: name, Type: typ, TTL: ttl}
	if proxiable(typ) {
		proxied := p.proxied
		w.Proxied = &proxied
		if p.proxied {
			w.TTL = uint32(dns.TTL1)
		}
	}
	bad := func(want string) (wireRecord, error) {
		return wireRecord{}, fmt.Errorf("%s %s %q: not %s", name, typ, value, want)
	}
	switch typ {
	case "CNAME", "NS", "PTR":
		w.Content = strings.TrimSuffix(value, ".")
	case "MX":
		f := strings.Fields(value)
		if len(f) != 2 {
			return bad(`"preference exchange"`)
		}
		prio, err := strconv.ParseUint(f[0], 10, 16)
		if err != nil {
			return bad(`"preference exchange"`)
		}
		pr := uint16(prio)
		w.Priority, w.Content = &pr, strings.TrimSuffix(f[1], ".")
	case "SRV":
		f := strings.Fields(value)
		if len(f) != 4 {
			return bad(`"priority weight port target"`)
		}
		var n [3]uint64
		for i := range n {
			v, err := strconv.ParseUint(f[i], 10, 16)
			if err != nil {
				return bad(`"priority weight port target"`)
			}
			n[i] = v
		}
		w.Data = map[string]any{"priority": n[0], "weight": n[1], "port": n[2], "target": strings.TrimSuffix(f[3], ".")}
	case "CAA":
		f := strings.SplitN(value, " ", 3)
		if len(f) != 3 {
			return bad(`'flags tag "value"'`)
		}
		flags, err := strconv.ParseUint(f[0], 10, 8)
		if err != nil {
			return bad(`'flags tag "value"'`)
		}
		v, err := strconv.Unquote(f[2])
		if err != nil {
			v = f[2]
		}
		w.Data = map[string]any{"flags": flags, "tag": f[1], "value": v}
	case "TXT":
		w.Content = providers.QuoteTXT(value)
	default:
		w.Content = value
	}
	return w, nil
}

// txtText reads TXT content: quoted character-strings (RFC 1035
// presentation, as the API documents it and topo writes it) are joined and
// unescaped by providers.UnquoteTXT; content that does not start with a
// quote is what another client wrote as bare text, which Cloudflare serves
// as that text.
func txtText(content string) string {
	if !strings.HasPrefix(content, `"`) {
		return content
	}
	return providers.UnquoteTXT(content)
}
