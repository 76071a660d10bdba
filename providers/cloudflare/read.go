package cloudflare

import (
	"context"
	"fmt"
	"strconv"

	"github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/cloudflare/cloudflare-go/v6/packages/pagination"
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
		res, err := p.records.List(ctx, params)
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
		if lastPage(res, page) {
			return out, nil
		}
	}
}

// lastPage tells from result_info whether page was the last one: by
// total_pages when the answer has it, else by a page that is not full.
func lastPage(res *pagination.V4PagePaginationArray[dns.RecordResponse], page int) bool {
	if len(res.Result) == 0 {
		return true
	}
	if f, ok := res.ResultInfo.JSON.ExtraFields["total_pages"]; ok {
		if total, err := strconv.Atoi(f.Raw()); err == nil {
			return page >= total
		}
	}
	return int64(len(res.Result)) < res.ResultInfo.PerPage
}

// read returns the zone's id, canonical name and records.
func (p *Provider) read(ctx context.Context, zone string) (id, name string, recs []record, err error) {
	id, name, err = p.zone(ctx, zone)
	if err != nil {
		return "", name, nil, err
	}
	recs, err = p.list(ctx, id, name)
	return id, name, recs, err
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
