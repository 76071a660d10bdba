// Package cloudflare publishes topo's records to Cloudflare DNS through the
// v4 API, with cloudflare-go's dns service (and its zones service for the
// lookup of a zone id by name).
//
// Reads page through GET /zones/{id}/dns_records. Writes go through the
// batch endpoint, POST /zones/{id}/dns_records/batch, which Cloudflare runs
// as one database transaction: ApplyEdits splits a zone's edits into
// batches of at most batch_size record operations, never splitting an
// edit, so that every edit is applied whole or not at all, and reports how
// many edits the batches that succeeded held. Cloudflare has no
// conditional writes, so preconditions are checked on a fresh read just
// before the first batch: ApplyEdits lists the zone, unless the caller
// passes the zone it has just read through this provider as
// ApplyOptions.Current.
//
// Record model: Cloudflare names are absolute ("pool01.contoso.com"),
// libdns names relative to the zone ("pool01"). Cloudflare's TTL 1 means
// "automatic", which Cloudflare serves as 300 s: it reads as 300, so a zone
// whose TTL is 300 plans no change for it. A record's proxy status is not
// part of an RRset and never causes a change; topo writes the configured
// one (proxied, default false) on the A, AAAA and CNAME records it creates.
//
// Requests that fail with 429 (honouring Retry-After; without one, backing
// off 2 s, 4 s, 8 s... up to 30 s), 5xx or a dropped connection are
// repeated up to max_retries times by cloudflare-go.
// Repeating a batch is safe: a batch that did reach the zone fails whole
// when sent again (its deletes find no record, its posts an identical one)
// unless it only held patches, which are idempotent.
package cloudflare

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/cloudflare/cloudflare-go/v6/zones"
	"github.com/hashicorp/hcl/v2"

	"github.com/topo-dns/topo/providers"
)

// requestTimeout bounds one attempt of one request; the caller's context
// bounds them all.
const requestTimeout = time.Minute

// Provider publishes to Cloudflare. It is safe for concurrent use.
type Provider struct {
	zoneID     string
	baseURL    string
	batchSize  int
	maxRetries int
	proxied    bool

	records *dns.RecordService
	zones   *zones.ZoneService

	mu sync.Mutex
	// ids caches zone ids by zone name ("contoso.com").
	ids map[string]string
	// bound is the zone a configured zone_id was first used for.
	bound string
	// listed holds each zone's last listing (by zone name), which
	// ApplyEdits reuses for the record ids when the caller's read
	// (ApplyOptions.Current) is that listing.
	listed map[string][]record
}

var (
	_ providers.Provider    = (*Provider)(nil)
	_ providers.EditApplier = (*Provider)(nil)
	_ providers.Chunker     = (*Provider)(nil)
)

// New returns a provider for cfg, which must be valid (see Config.Validate).
// It does not contact Cloudflare.
func New(cfg Config) (*Provider, error) {
	if diags := cfg.Validate(hcl.Range{}); diags.HasErrors() {
		var msgs []error
		for _, d := range diags {
			msgs = append(msgs, fmt.Errorf("%s: %s", d.Summary, d.Detail))
		}
		return nil, errors.Join(msgs...)
	}
	p := &Provider{
		zoneID:     cfg.ZoneID,
		baseURL:    cfg.baseURL(),
		batchSize:  cfg.batchSize(),
		maxRetries: cfg.maxRetries(),
		proxied:    cfg.Proxied,
		ids:        map[string]string{},
		listed:     map[string][]record{},
	}
	// The token lives only in the SDK's request options: nothing topo
	// prints or returns can reach it.
	opts := []option.RequestOption{
		option.WithBaseURL(p.baseURL),
		option.WithAPIToken(cfg.APIToken),
		option.WithMaxRetries(p.maxRetries),
		option.WithRequestTimeout(requestTimeout),
	}
	p.records = dns.NewRecordService(opts...)
	p.zones = zones.NewZoneService(opts...)
	return p, nil
}

// String describes the provider, without its token.
func (p *Provider) String() string {
	return fmt.Sprintf("cloudflare provider (base_url %q, batch_size %d)", providers.RedactURL(p.baseURL), p.batchSize)
}

// zone returns the zone's id and its canonical name ("contoso.com"),
// looking the id up by name the first time a zone is used.
func (p *Provider) zone(ctx context.Context, zone string) (id, name string, err error) {
	name = providers.CanonicalName(zone)
	if p.zoneID != "" {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.bound == "" {
			p.bound = name
		}
		if p.bound != name {
			return "", name, fmt.Errorf("zone %q: this provider has zone_id set for zone %q and serves no other zone; declare another provider block for %q", name, p.bound, name)
		}
		return p.zoneID, name, nil
	}
	p.mu.Lock()
	id, ok := p.ids[name]
	p.mu.Unlock()
	if ok {
		return id, name, nil
	}
	var params zones.ZoneListParams
	params.Name.Value, params.Name.Present = name, true
	page, err := p.zones.List(ctx, params)
	if err != nil {
		return "", name, fmt.Errorf("look up zone %q: %w", name, apiError(err))
	}
	var found []string
	for _, z := range page.Result {
		if providers.CanonicalName(z.Name) == name {
			found = append(found, z.ID)
		}
	}
	switch len(found) {
	case 0:
		return "", name, fmt.Errorf("zone %q: no such zone in the accounts the API token can read: %w", name, providers.ErrZoneNotFound)
	case 1:
	default:
		return "", name, fmt.Errorf("zone %q: %d zones of that name are visible to the API token; set zone_id to choose one", name, len(found))
	}
	p.mu.Lock()
	p.ids[name] = found[0]
	p.mu.Unlock()
	return found[0], name, nil
}

// forget drops a cached zone id that the API no longer knows.
func (p *Provider) forget(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.ids, name)
	delete(p.listed, name)
}
