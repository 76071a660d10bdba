package powerdns

import (
	"context"
	"net/url"
	"strings"

	"github.com/topo-dns/topo/providers"
)

var _ providers.RRsetReader = (*Provider)(nil)

// ReadRRsets implements providers.RRsetReader with one GET of the zone per
// key, filtered by rrset_name and rrset_type (PowerDNS 4.7 and later):
// what it returns is read as readZone reads the whole zone.
func (p *Provider) ReadRRsets(ctx context.Context, zone string, keys []providers.Key) ([]providers.RRset, error) {
	var out []providers.RRset
	for _, k := range keys {
		q := url.Values{"rrset_name": {k.Name + "."}, "rrset_type": {strings.ToUpper(k.Type)}}
		sets, err := p.read(ctx, zone, q.Encode())
		if err != nil {
			return nil, err
		}
		for _, s := range sets {
			// A server that ignores the filter returns the whole zone.
			if s.Key() == k {
				out = append(out, s)
			}
		}
	}
	providers.SortRRsets(out)
	return out, nil
}
