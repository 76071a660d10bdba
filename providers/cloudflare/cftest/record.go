package cftest

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Record is a DNS record as the Cloudflare API shows it. Its JSON is the
// API's, as cloudflare-go's dns.RecordResponse decodes it: besides these
// fields every record carries meta, settings and tags, which the server
// writes empty; the zone_id and zone_name of older answers are gone.
type Record struct {
	ID string `json:"id"`
	// Name is the complete name, lowercase, without the trailing dot.
	Name string `json:"name"`
	Type string `json:"type"`
	// Content is the record data as Cloudflare prints it: for MX the
	// exchange alone (the preference is in Priority), for SRV "priority
	// weight port target" (also in Data), for CAA `flags tag "value"`, for
	// TXT whatever the client sent (quoted character-strings or bare text).
	Content string `json:"content"`
	// Priority is an MX record's preference; nil for other types.
	Priority *int `json:"priority,omitempty"`
	// Data holds the fields of SRV {priority, weight, port, target} and
	// CAA {flags, tag, value} records.
	Data map[string]any `json:"data,omitempty"`
	// TTL in seconds; 1 means automatic.
	TTL        int       `json:"ttl"`
	Proxied    bool      `json:"proxied"`
	Proxiable  bool      `json:"proxiable"`
	Comment    string    `json:"comment"`
	CreatedOn  time.Time `json:"created_on"`
	ModifiedOn time.Time `json:"modified_on"`
}

// MarshalJSON writes r as the API does, with the meta, settings and tags
// every record carries (meta is required by cloudflare-go's types).
func (r Record) MarshalJSON() ([]byte, error) {
	type plain Record
	return json.Marshal(struct {
		plain
		Meta     struct{} `json:"meta"`
		Settings struct{} `json:"settings"`
		Tags     []string `json:"tags"`
	}{plain: plain(r), Tags: []string{}})
}

// input is a record as a client sends it in a POST, PUT or PATCH: every
// field may be missing.
type input struct {
	ID       *string        `json:"id"`
	Name     *string        `json:"name"`
	Type     *string        `json:"type"`
	Content  *string        `json:"content"`
	Priority *float64       `json:"priority"`
	Data     map[string]any `json:"data"`
	TTL      *float64       `json:"ttl"`
	Proxied  *bool          `json:"proxied"`
	Comment  *string        `json:"comment"`
}

// asInput turns a stored record back into what a client would send, so that
// a PATCH can overlay its fields and the result be checked as a whole.
func (r Record) asInput() input {
	in := input{Name: &r.Name, Type: &r.Type, Content: &r.Content, Proxied: &r.Proxied, Comment: &r.Comment}
	ttl := float64(r.TTL)
	in.TTL = &ttl
	if r.Priority != nil {
		p := float64(*r.Priority)
		in.Priority = &p
	}
	return in
}

// overlay returns base with every field p sets replaced.
func overlay(base, p input) input {
	if p.Name != nil {
		base.Name = p.Name
	}
	if p.Type != nil {
		base.Type = p.Type
	}
	if p.Content != nil {
		base.Content = p.Content
	}
	if p.Priority != nil {
		base.Priority = p.Priority
	}
	if p.Data != nil {
		base.Data = p.Data
	}
	if p.TTL != nil {
		base.TTL = p.TTL
	}
	if p.Proxied != nil {
		base.Proxied = p.Proxied
	}
	if p.Comment != nil {
		base.Comment = p.Comment
	}
	return base
}

// types lists the record types the server accepts, as the API documents.
var types = []string{
	"A", "AAAA", "CAA", "CERT", "CNAME", "DNSKEY", "DS", "HTTPS", "LOC", "MX", "NAPTR",
	"NS", "OPENPGPKEY", "PTR", "SMIMEA", "SRV", "SSHFP", "SVCB", "TLSA", "TXT", "URI",
}

func proxiable(typ string) bool { return typ == "A" || typ == "AAAA" || typ == "CNAME" }

// Error codes the server answers with. Cloudflare's own where known.
const (
	codeValidation     = 1004
	codeNotProxiable   = 9004
	codeNoSuchRecord   = 81044
	codeCNAMEConflict  = 81053
	codeIdentical      = 81058
	codeBatchTooLarge  = 81059
	codeInjected       = 1099
	codeAuthentication = 10000
	codeRateLimited    = 971
	codeInternal       = 10001
	codeNoRoute        = 7003
	codeBadHeaders     = 6003
	codeMalformedJSON  = 6007
)

// normalize checks a record a client sent for zone and returns it in the
// form the server stores.
func normalize(zone string, in input) (Record, *Message) {
	bad := func(format string, args ...any) (Record, *Message) {
		return Record{}, &Message{Code: codeValidation, Message: "DNS Validation Error: " + fmt.Sprintf(format, args...)}
	}
	var r Record
	if in.Type == nil || *in.Type == "" {
		return bad("type is required")
	}
	r.Type = strings.ToUpper(*in.Type)
	if !slices.Contains(types, r.Type) {
		return bad("unsupported record type %q", r.Type)
	}
	if in.Name == nil || *in.Name == "" {
		return bad("name is required")
	}
	r.Name = strings.TrimSuffix(strings.ToLower(*in.Name), ".")
	if r.Name == "@" {
		r.Name = zone
	}
	if r.Name != zone && !strings.HasSuffix(r.Name, "."+zone) {
		return bad("name %q is not in zone %q (the API wants the complete name)", r.Name, zone)
	}
	r.TTL = 1
	if in.TTL != nil {
		r.TTL = int(*in.TTL)
		if float64(r.TTL) != *in.TTL || (r.TTL != 1 && (r.TTL < 60 || r.TTL > 86400)) {
			return bad("ttl must be 1 (automatic) or between 60 and 86400, not %v", *in.TTL)
		}
	}
	r.Proxiable = proxiable(r.Type)
	if in.Proxied != nil && *in.Proxied {
		if !r.Proxiable {
			return Record{}, &Message{Code: codeNotProxiable, Message: fmt.Sprintf("%s records cannot be proxied", r.Type)}
		}
		r.Proxied = true
		// Cloudflare answers for proxied records itself: their TTL is
		// always automatic, whatever the client asked.
		r.TTL = 1
	}
	if in.Comment != nil {
		r.Comment = *in.Comment
	}
	content := ""
	if in.Content != nil {
		content = *in.Content
	}
	switch r.Type {
	case "A", "AAAA":
		a, err := netip.ParseAddr(content)
		if err != nil || a.Is4() != (r.Type == "A") || a.Zone() != "" {
			return bad("content %q is not a valid %s address", content, map[string]string{"A": "IPv4", "AAAA": "IPv6"}[r.Type])
		}
		r.Content = a.String()
	case "CNAME", "NS", "PTR":
		r.Content = strings.TrimSuffix(strings.ToLower(content), ".")
		if r.Content == "" {
			return bad("%s content must be a host name", r.Type)
		}
	case "MX":
		r.Content = strings.TrimSuffix(strings.ToLower(content), ".")
		if in.Priority == nil {
			return bad("MX records need a priority")
		}
		p, ok := uint16Of(*in.Priority)
		if !ok || r.Content == "" {
			return bad("MX priority must be 0-65535 and content a host name")
		}
		r.Priority = p
	case "SRV":
		var err error
		r.Content, r.Data, err = srv(content, in)
		if err != nil {
			return bad("%v", err)
		}
	case "CAA":
		var err error
		r.Content, r.Data, err = caa(content, in.Data)
		if err != nil {
			return bad("%v", err)
		}
	default:
		if content == "" {
			return bad("%s content is required", r.Type)
		}
		r.Content = content
	}
	return r, nil
}

func uint16Of(f float64) (*int, bool) {
	i := int(f)
	if float64(i) != f || i < 0 || i > 65535 {
		return nil, false
	}
	return &i, true
}

func dataNumber(data map[string]any, key string) (*int, error) {
	f, ok := data[key].(float64)
	if !ok {
		return nil, fmt.Errorf("data.%s must be a number", key)
	}
	i, ok := uint16Of(f)
	if !ok {
		return nil, fmt.Errorf("data.%s must be 0-65535", key)
	}
	return i, nil
}

// srv reads an SRV record from data {priority, weight, port, target}, from
// priority plus content "weight port target", or from content "priority
// weight port target", as the API allows. It returns the content and data
// the API answers with; the priority is in both, not beside them.
func srv(content string, in input) (string, map[string]any, error) {
	var prio, weight, port *int
	var target string
	if in.Data != nil {
		var err error
		if prio, err = dataNumber(in.Data, "priority"); err != nil {
			return "", nil, err
		}
		if weight, err = dataNumber(in.Data, "weight"); err != nil {
			return "", nil, err
		}
		if port, err = dataNumber(in.Data, "port"); err != nil {
			return "", nil, err
		}
		target, _ = in.Data["target"].(string)
	} else {
		f := strings.Fields(content)
		nums := []**int{&weight, &port}
		switch {
		case len(f) == 3 && in.Priority != nil:
			var ok bool
			if prio, ok = uint16Of(*in.Priority); !ok {
				return "", nil, fmt.Errorf("SRV priority must be 0-65535")
			}
		case len(f) == 4:
			nums = []**int{&prio, &weight, &port}
		default:
			return "", nil, fmt.Errorf("SRV records need data {priority, weight, port, target}")
		}
		for i, dst := range nums {
			n, err := strconv.ParseFloat(f[i], 64)
			var ok bool
			if *dst, ok = uint16Of(n); err != nil || !ok {
				return "", nil, fmt.Errorf("SRV content %q is not \"[priority] weight port target\"", content)
			}
		}
		target = f[len(f)-1]
	}
	target = strings.TrimSuffix(strings.ToLower(target), ".")
	if target == "" {
		return "", nil, fmt.Errorf("SRV target is required")
	}
	data := map[string]any{"priority": *prio, "weight": *weight, "port": *port, "target": target}
	return fmt.Sprintf("%d %d %d %s", *prio, *weight, *port, target), data, nil
}

// caa reads a CAA record from data {flags, tag, value} or from content
// `flags tag "value"`.
func caa(content string, data map[string]any) (string, map[string]any, error) {
	if data == nil {
		f := strings.SplitN(content, " ", 3)
		if len(f) != 3 {
			return "", nil, fmt.Errorf("CAA records need data {flags, tag, value}")
		}
		flags, err := strconv.ParseUint(f[0], 10, 8)
		if err != nil {
			return "", nil, fmt.Errorf("CAA flags %q: %v", f[0], err)
		}
		v, err := strconv.Unquote(f[2])
		if err != nil {
			v = f[2]
		}
		data = map[string]any{"flags": float64(flags), "tag": f[1], "value": v}
	}
	flags, ok := data["flags"].(float64)
	tag, _ := data["tag"].(string)
	value, _ := data["value"].(string)
	if !ok || flags < 0 || flags > 255 || tag == "" {
		return "", nil, fmt.Errorf("CAA data needs flags (0-255), tag and value")
	}
	out := map[string]any{"flags": int(flags), "tag": tag, "value": value}
	return fmt.Sprintf("%d %s %q", int(flags), tag, value), out, nil
}

// identical reports whether a and b are the same record for the API's
// "an identical record already exists" rule.
func identical(a, b Record) bool {
	return a.Name == b.Name && a.Type == b.Type && a.Content == b.Content &&
		(a.Priority == nil) == (b.Priority == nil) && (a.Priority == nil || *a.Priority == *b.Priority)
}
