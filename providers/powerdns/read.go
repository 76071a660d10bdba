package powerdns

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/httpretry"
)

// apiRRset is the part of an RRset in PowerDNS's Zone object topo reads
// (decodeZone reads it; the tags say which keys, and let tests compare with
// encoding/json).
type apiRRset struct {
	Name    string      `json:"name"`
	Type    string      `json:"type"`
	TTL     uint32      `json:"ttl"`
	Records []apiRecord `json:"records"`
}

type apiRecord struct {
	Content  string `json:"content"`
	Disabled bool   `json:"disabled"`
}

// readZone fetches the zone with one GET and returns its RRsets in topo's
// form, in the order PowerDNS lists them: names lowercase without the
// trailing dot, data as libdns holds it, disabled records left out.
func (p *Provider) readZone(ctx context.Context, zone string) ([]providers.RRset, error) {
	return p.read(ctx, zone, "")
}

// read is readZone with a query string filtering the RRsets PowerDNS
// returns.
func (p *Provider) read(ctx context.Context, zone, query string) ([]providers.RRset, error) {
	resp, err := p.callQuery(ctx, "GET", zone, query, nil, httpretry.Idempotent)
	if err != nil {
		return nil, fmt.Errorf("read zone %q: %w", providers.CanonicalName(zone), err)
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	if resp.ContentLength > 0 {
		body.Grow(int(min(resp.ContentLength, 1<<30)))
	}
	if _, err := body.ReadFrom(resp.Body); err != nil {
		return nil, fmt.Errorf("read zone %q: %w", providers.CanonicalName(zone), err)
	}
	rrsets, err := decodeRRsets(body.Bytes())
	if err != nil {
		return nil, fmt.Errorf("read zone %q: decode PowerDNS's answer: %w", providers.CanonicalName(zone), err)
	}
	sets := make([]providers.RRset, 0, len(rrsets))
	for _, rs := range rrsets {
		s := providers.RRset{Name: rs.Name, Type: strings.ToUpper(rs.Type), TTL: rs.TTL}
		for _, r := range rs.Records {
			if !r.Disabled {
				s.Values = append(s.Values, data(s.Type, r.Content))
			}
		}
		if len(s.Values) == 0 {
			continue
		}
		s.Normalize()
		sets = append(sets, s)
	}
	return sets, nil
}

// decodeRRsets reads a zone document: decodeZone, a variable so that
// BenchmarkZoneReader can time plans with encoding/json instead.
var decodeRRsets = decodeZone
