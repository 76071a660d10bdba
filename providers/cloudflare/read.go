package cloudflare

import (
	"context"
	"fmt"

	"github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
)

// perPage is how many records one list request asks for. The API allows
// up to 5,000,000; 5,000 keeps an answer to a few megabytes while a zone of
// 25,000 records still reads in 5 requests.
const perPage = 5000

// maxPages stops a listing that never ends, should a server keep
// answering full pages.
const maxPages = 100_000

// listPage is the envelope of a list answer. cloudflare-go decodes records
// into a union of one type per record type, which moves fields about (an
// SRV's priority into its typed data); topo reads the documented JSON.
type listPage struct {
	Result     []apiRecord `json:"result"`
	ResultInfo struct {
		Page       int `json:"page"`
		PerPage    int `json:"per_page"`
		Count      int `json:"count"`
		TotalCount int `json:"total_count"`
		TotalPages int `json:"total_pages"`
	} `json:"result_info"`
}

// lastPage tells from result_info whether page was the last one: by
// total_pages when the answer has it, else by a page that is not full.
func (l *listPage) lastPage(page int) bool {
	switch {
	case len(l.Result) == 0:
		return true
	case l.ResultInfo.TotalPages > 0:
		return page >= l.ResultInfo.TotalPages
	}
	return len(l.Result) < l.ResultInfo.PerPage
}

// list reads every record of a zone, page after page, until result_info
// says there are no more. Cloudflare offers no snapshot: a zone changed
// while it is read may show a mix of before and after.
func (p *Provider) list(ctx context.Context, id, zone string) ([]record, error) {
	var out []record
	for page := 1; ; page++ {
		if page > maxPages {
			return nil, fmt.Errorf("list records of zone %q: more than %d pages", zone, maxPages)
		}
		var params dns.RecordListParams
		params.ZoneID.Value, params.ZoneID.Present = id, true
		params.Page.Value, params.Page.Present = float64(page), true
		params.PerPage.Value, params.PerPage.Present = perPage, true
		var res listPage
		_, err := p.records.List(ctx, params, option.WithResponseBodyInto(&res))
		if err != nil {
			err = apiError(err)
			if isNotFound(err) {
				p.forget(zone)
				return nil, fmt.Errorf("list records of zone %q: %w: %w", zone, providers.ErrZoneNotFound, err)
			}
			return nil, fmt.Errorf("list records of zone %q (page %d): %w", zone, page, err)
		}
		for _, r := range res.Result {
			out = append(out, fromAPI(zone, r))
		}
		if res.lastPage(page) {
			return out, nil
		}
	}
}

// read returns the zone's id, canonical name and records.
func (p *Provider) read(ctx context.Context, zone string) (id, name string, recs []record, err error) {
	id, name, err = p.zone(ctx, zone)
	if err != nil {
		return "", name, nil, err
	}
	recs, err = p.list(ctx, id, name)
	if err == nil {
		p.mu.Lock()
		p.listed[name] = recs
		p.mu.Unlock()
	}
	return id, name, recs, err
}

// readAgain returns what read would, reusing the zone's last listing when
// it holds exactly current, the caller's own read of the zone made just
// before: its record ids are then those of the records current describes.
// Otherwise (no current, or a listing since changed) it reads the zone.
func (p *Provider) readAgain(ctx context.Context, zone string, current []providers.RRset) (id, name string, recs []record, err error) {
	if current == nil {
		return p.read(ctx, zone)
	}
	if id, name, err = p.zone(ctx, zone); err != nil {
		return "", name, nil, err
	}
	p.mu.Lock()
	recs, ok := p.listed[name]
	p.mu.Unlock()
	if ok && sameRRsets(rrsets(name, recs), current) {
		return id, name, recs, nil
	}
	return p.read(ctx, zone)
}

// sameRRsets reports whether the RRsets of idx are exactly sets.
func sameRRsets(idx map[providers.Key]providers.RRset, sets []providers.RRset) bool {
	if len(idx) != len(sets) {
		return false
	}
	for _, s := range sets {
		if c, ok := idx[s.Key()]; !ok || !c.Equal(s) {
			return false
		}
	}
	return true
}

// rrsets groups records into RRsets exactly as a plan made from
// GetRecords groups them.
func rrsets(zone string, recs []record) map[providers.Key]providers.RRset {
	rrs := make([]libdns.Record, len(recs))
	for i, r := range recs {
		rrs[i] = r.rr
	}
	return providers.Index(providers.GroupRecords(zone, rrs))
}
