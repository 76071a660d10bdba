// Package zonefile is topo's embedded default provider: zones as RFC 1035
// master files on disk, one file per zone and view, read with miekg/dns's
// parser.
//
// Guarantees: ApplyEdits is atomic per zone. It takes an exclusive lock on
// the zone (a .lock file beside it, flock(2)), re-reads the file, checks
// every edit's precondition, applies all edits, bumps the SOA serial, and
// replaces the file by writing a temporary file in the same directory,
// fsyncing it and renaming it over the old one, then fsyncing the
// directory. A crash leaves either the old zone or the new one, never half
// of one. Records topo does not touch keep their data, TTL and order. A
// zone whose file does not exist reads as empty and is created with an SOA
// and an NS record on the first write.
package zonefile

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
)

// Provider reads and writes zone files in Dir.
type Provider struct {
	// Dir holds the zone files.
	Dir string
	// View selects the file: "<zone>.zone" for "both" or "", else
	// "<zone>.<view>.zone".
	View string
	// Nameserver is the NS target written into a new zone ("localhost."
	// when empty).
	Nameserver string
	// Hostmaster is the SOA mailbox of a new zone ("hostmaster.<zone>."
	// when empty).
	Hostmaster string
}

var (
	_ providers.Provider    = (*Provider)(nil)
	_ providers.EditApplier = (*Provider)(nil)
	_ providers.Viewer      = (*Provider)(nil)
	_ libdns.RecordGetter   = (*Provider)(nil)
	_ libdns.RecordSetter   = (*Provider)(nil)
	_ libdns.RecordDeleter  = (*Provider)(nil)
)

// Config is the `provider "zonefile" "<name>"` block.
type Config struct {
	// Directory holds the zone files, relative to the topology file;
	// default "zones".
	Directory  *string `hcl:"directory,optional"`
	Nameserver *string `hcl:"nameserver,optional"`
	Hostmaster *string `hcl:"hostmaster,optional"`
}

// DefaultDir is where zone files go when no directory is configured,
// relative to the topology file.
const DefaultDir = "zones"

// Kind returns the zonefile provider kind for a registry.
func Kind() providers.Kind {
	return providers.Kind{Open: open}
}

func open(body hcl.Body, ectx *hcl.EvalContext, env providers.OpenEnv) (providers.Provider, hcl.Diagnostics) {
	var c Config
	diags := gohcl.DecodeBody(body, ectx, &c)
	if diags.HasErrors() {
		return nil, diags
	}
	p := &Provider{Dir: filepath.Join(env.BaseDir, DefaultDir)}
	if c.Directory != nil {
		d := *c.Directory
		if !filepath.IsAbs(d) {
			d = filepath.Join(env.BaseDir, d)
		}
		p.Dir = d
	}
	if c.Nameserver != nil {
		p.Nameserver = dotted(*c.Nameserver)
	}
	if c.Hostmaster != nil {
		p.Hostmaster = dotted(*c.Hostmaster)
	}
	return p, diags
}

// New returns the default provider for a topology in baseDir: zone files
// in baseDir/zones.
func New(baseDir string) *Provider {
	return &Provider{Dir: filepath.Join(baseDir, DefaultDir)}
}

func dotted(n string) string {
	if !strings.HasSuffix(n, ".") {
		return n + "."
	}
	return n
}

// ForView implements providers.Viewer.
func (p *Provider) ForView(view string) providers.Provider {
	q := *p
	q.View = view
	return &q
}

// Path returns the file of zone in the provider's view.
func (p *Provider) Path(zone string) string {
	name := providers.CanonicalName(zone)
	if p.View != "" && p.View != "both" {
		name += "." + p.View
	}
	return filepath.Join(p.Dir, name+".zone")
}

// GetRecords implements libdns.RecordGetter.
func (p *Provider) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	z, err := p.read(zone)
	if err != nil {
		return nil, err
	}
	var out []libdns.Record
	for _, s := range z.rrsets() {
		recs, err := s.Records(zone)
		if err != nil {
			return nil, err
		}
		out = append(out, recs...)
	}
	return out, nil
}

// ApplyEdits implements providers.EditApplier: all edits in one atomic
// rewrite of the zone file.
func (p *Provider) ApplyEdits(ctx context.Context, zone string, edits []providers.Edit, opts providers.ApplyOptions) (int, error) {
	err := p.update(ctx, zone, func(z *zoneData) error {
		if err := providers.CheckPreconditions(providers.CanonicalName(zone), z.index(), edits); err != nil {
			return err
		}
		return z.apply(edits)
	})
	if err != nil {
		return 0, err
	}
	if opts.Progress != nil {
		opts.Progress(1, 1)
	}
	return len(edits), nil
}

// SetRecords implements libdns.RecordSetter.
func (p *Provider) SetRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	sets := providers.GroupRecords(zone, recs)
	err := p.update(ctx, zone, func(z *zoneData) error {
		es := make([]providers.Edit, len(sets))
		for i := range sets {
			es[i] = providers.Edit{After: &sets[i]}
		}
		return z.apply(es)
	})
	if err != nil {
		return nil, err
	}
	return recs, nil
}

// DeleteRecords implements libdns.RecordDeleter with libdns's matching
// rules: an empty type, zero TTL or empty data matches any.
func (p *Provider) DeleteRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	var deleted []libdns.Record
	err := p.update(ctx, zone, func(z *zoneData) error {
		deleted = z.deleteMatching(zone, recs)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return deleted, nil
}

func (p *Provider) errorf(zone, format string, args ...any) error {
	return fmt.Errorf("zone file %q: %s", p.Path(zone), fmt.Sprintf(format, args...))
}
