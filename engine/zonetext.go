package engine

import (
	"bufio"
	"fmt"
	"io"

	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/topology"
)

// WriteZoneText prints each compiled zone's records as master file text,
// each record as miekg/dns writes it (so TXT text is quoted and escaped,
// names are absolute) with its topology path as a comment. A record
// miekg/dns cannot read is an error naming it.
func WriteZoneText(w io.Writer, d *topology.Desired) error {
	b := bufio.NewWriter(w)
	for i, z := range d.Zones {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(b, "; zone %s, view %s, provider %s\n$ORIGIN %s\n", z.Zone, z.View, z.Provider, dns.Fqdn(z.Zone))
		for _, r := range z.Records {
			rr, err := toRR(r)
			if err != nil {
				return fmt.Errorf("zone %s (%s): %w", z.Zone, z.View, err)
			}
			fmt.Fprintf(b, "%s ; %s\n", rr.String(), r.Source)
		}
	}
	return b.Flush()
}

// toRR reads a compiled record as miekg/dns does a zone file line: TXT
// values are plain text, quoted here; every other type's value is already
// presentation form.
func toRR(r topology.Record) (dns.RR, error) {
	data := r.Value
	if r.Type == "TXT" {
		data = providers.QuoteTXT(r.Value)
	}
	rr, err := dns.NewRR(fmt.Sprintf("%s %d IN %s %s", dns.Fqdn(r.Name), r.TTL, r.Type, data))
	if err != nil {
		return nil, fmt.Errorf("record %s %s %q: %w", r.Name, r.Type, r.Value, err)
	}
	if rr == nil {
		return nil, fmt.Errorf("record %s %s: no data", r.Name, r.Type)
	}
	return rr, nil
}
