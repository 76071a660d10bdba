// Package zonefile is topo's embedded default provider: zones as RFC 1035
// master files on disk, one file per zone and view.
//
// It edits the operator's file, it does not rewrite it: every byte
// outside the lines of the records topo writes stays as it was, and
// topo's records live in one marked block (see edit.go for the format).
// Records are read with miekg/dns's parser one line at a time, from a
// scanner that knows where each record's text starts and ends, so a
// record miekg/dns cannot read (a type it does not know, a syntax BIND
// accepts and it does not) is kept as written and reported as an opaque
// libdns.RR (see [Note]); it never makes a read or a plan fail.
//
// Guarantees: ApplyEdits is atomic per zone. It takes an exclusive lock on
// the zone (a .topo.lock file beside it, and beside its symlink target),
// re-reads the file, checks every edit's precondition, refuses edits of
// the records a zone needs (apex SOA and NS, delegations and glue, the
// name servers' addresses, DNSSEC records) and edits after which the zone
// would not load, applies all edits, moves the SOA serial on in place,
// and replaces the file by writing a temporary file in the same directory
// (the target's, for a symlink), fsyncing it and renaming it over the old
// one, then fsyncing the directory. A crash leaves either the old zone or
// the new one, never half of one. A zone whose file does not exist reads
// as empty and is created with an SOA and an NS record on the first
// write. $INCLUDE is refused: topo edits a zone that is one file.
package zonefile

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

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
	// Now is the clock for date-based SOA serials (YYYYMMDDnn, dated in
	// UTC); nil means time.Now.
	Now func() time.Time
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

// GetRecords implements libdns.RecordGetter. Records libdns cannot type
// (an SRV at a name without _service._proto, types it does not know) and
// records miekg/dns cannot read come back as opaque libdns.RR values with
// their data as written; Notes says which.
func (p *Provider) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	z, err := p.read(zone)
	if err != nil {
		return nil, err
	}
	out := make([]libdns.Record, len(z.recs))
	for i, r := range z.recs {
		out[i] = r.rec
	}
	return out, nil
}

// Notes lists the lines of zone's file that the provider keeps exactly as
// written without fully reading them: records miekg/dns cannot parse
// (GetRecords returns them as opaque records), records outside the zone
// or of another class, $GENERATE lines it cannot expand (left out). A
// caller shows them so that nobody is surprised by a record topo does not
// see.
func (p *Provider) Notes(ctx context.Context, zone string) ([]Note, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	z, err := p.read(zone)
	if err != nil {
		return nil, err
	}
	return z.notes, nil
}

// ApplyEdits implements providers.EditApplier: all edits in one atomic
// edit of the zone file.
func (p *Provider) ApplyEdits(ctx context.Context, zone string, edits []providers.Edit, opts providers.ApplyOptions) (int, error) {
	err := p.update(ctx, zone, func(z *zoneFile) (change, error) {
		if err := providers.CheckPreconditions(providers.CanonicalName(zone), z.index(), edits); err != nil {
			return change{}, err
		}
		return z.editChange(edits, true)
	})
	if err != nil {
		return 0, err
	}
	if opts.Progress != nil {
		opts.Progress(1, 1)
	}
	return len(edits), nil
}

// SetRecords implements libdns.RecordSetter. Like DeleteRecords it does
// what its caller names, as libdns says, DNSSEC records and delegations
// included; only ApplyEdits, topo's publish path, refuses to touch the
// records topo never changes. All three refuse a zone that would not
// load, and an edit of the SOA.
func (p *Provider) SetRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	sets := providers.GroupRecords(zone, recs)
	err := p.update(ctx, zone, func(z *zoneFile) (change, error) {
		es := make([]providers.Edit, len(sets))
		for i := range sets {
			es[i] = providers.Edit{After: &sets[i]}
		}
		return z.editChange(es, false)
	})
	if err != nil {
		return nil, err
	}
	return recs, nil
}

// DeleteRecords implements libdns.RecordDeleter with libdns's matching
// rules: an empty type, zero TTL or empty data matches any. Only the
// lines of the matching records go.
func (p *Provider) DeleteRecords(ctx context.Context, zone string, recs []libdns.Record) ([]libdns.Record, error) {
	var deleted []libdns.Record
	err := p.update(ctx, zone, func(z *zoneFile) (change, error) {
		c, d, err := z.deleteChange(zone, recs)
		deleted = d
		return c, err
	})
	if err != nil {
		return nil, err
	}
	return deleted, nil
}

func (p *Provider) errorf(zone, format string, args ...any) error {
	return fmt.Errorf("zone file %q: %w", p.Path(zone), fmt.Errorf(format, args...))
}
