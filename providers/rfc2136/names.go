package rfc2136

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/libdns/libdns"
	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
)

// nameTypes are the types read at each name when the zone is read by
// names: those topo publishes, and MX, which other clients put beside
// them. Ownership markers ("_topo.<name>") are read as TXT only.
var nameTypes = []uint16{dns.TypeA, dns.TypeAAAA, dns.TypeCNAME, dns.TypeSRV, dns.TypeTXT, dns.TypeMX}

// SetNames implements providers.NameReader: the names of zone a later
// read queries when the zone is read by names.
func (p *Provider) SetNames(zone string, names []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.names == nil {
		p.names = map[string][]string{}
	}
	p.names[providers.ZoneFQDN(zone)] = slices.Clone(names)
}

// ReadScope implements providers.NameReader: what the last read of zone
// covered. Before any read it reports the whole zone.
func (p *Provider) ReadScope(zone string) providers.ReadScope {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s, ok := p.scopes[providers.ZoneFQDN(zone)]; ok {
		return s
	}
	return providers.ReadScope{Server: p.Server}
}

func (p *Provider) setScope(zone string, s providers.ReadScope) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.scopes == nil {
		p.scopes = map[string]providers.ReadScope{}
	}
	p.scopes[providers.ZoneFQDN(zone)] = s
}

func (p *Provider) namesFor(zone string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.names[providers.ZoneFQDN(zone)]
}

// transferRefused reports a zone transfer the server would not give:
// REFUSED or NOTAUTH, or an answer without the zone's SOA (Samba answers
// NOERROR with no records), which means the same.
type transferRefused struct {
	detail string
}

func (e *transferRefused) Error() string { return "zone transfer refused (" + e.detail + ")" }

// zoneRRs reads the zone's records: a transfer, or by names when the
// provider reads by names or the server refuses the transfer. extra are
// names read besides those given to SetNames (the names a libdns call is
// about).
func (p *Provider) zoneRRs(ctx context.Context, zone string, extra []string) ([]dns.RR, providers.ReadScope, error) {
	scope := providers.ReadScope{Server: p.Server}
	if p.Read != ReadNames {
		rrs, err := p.transfer(ctx, zone)
		var refused *transferRefused
		if !errors.As(err, &refused) {
			return rrs, scope, err
		}
		scope.Reason, scope.Detail = providers.ReasonTransferRefused, refused.detail
	} else {
		scope.Reason = providers.ReasonConfigured
	}
	names := append(slices.Clone(p.namesFor(zone)), extra...)
	rrs, n, err := p.readNames(ctx, zone, names, scope.Detail)
	scope.Names, scope.Count = true, n
	return rrs, scope, err
}

// readNames queries, over one TCP connection and signed like every other
// message, the apex SOA and NS and each type of nameTypes at each name of
// names in zone. It returns the records found, each once, and how many
// names it asked about. transfer is the refused transfer's answer, for the
// error when the server turns out not to serve the zone at all.
func (p *Provider) readNames(ctx context.Context, zone string, names []string, transfer string) ([]dns.RR, int, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	zf := providers.ZoneFQDN(zone)
	r := &nameReader{p: p, ctx: ctx, zone: zone}
	defer r.close()

	resp, err := r.exchange(zf, dns.TypeSOA)
	if err != nil {
		return nil, 0, err
	}
	soa := r.records(resp, zf, dns.TypeSOA)
	if resp.Rcode != dns.RcodeSuccess || !resp.Authoritative || len(soa) == 0 {
		why := "SOA query: " + rcodeName(resp.Rcode)
		if resp.Rcode == dns.RcodeSuccess {
			why += ", not authoritative"
		}
		if transfer != "" {
			why = "zone transfer: " + transfer + "; " + why
		}
		return nil, 0, fmt.Errorf("server %s is not authoritative for zone %q (%s): %w", p.Server, zone, why, providers.ErrZoneNotFound)
	}
	out := soa
	ns, _, err := r.ask(zf, dns.TypeNS)
	if err != nil {
		return nil, 0, err
	}
	out = append(out, ns...)

	seen := map[string]bool{strings.ToLower(zf): true}
	count := 1
	for _, n := range names {
		fq := providers.ZoneFQDN(n)
		if seen[fq] || !dns.IsSubDomain(zf, fq) {
			continue
		}
		seen[fq] = true
		count++
		types := nameTypes
		if strings.HasPrefix(fq, "_topo.") {
			types = []uint16{dns.TypeTXT}
		}
		for _, t := range types {
			rrs, rcode, err := r.ask(fq, t)
			if err != nil {
				return nil, 0, err
			}
			out = append(out, rrs...)
			if rcode == dns.RcodeNameError {
				break // no such name: no other type either
			}
		}
	}
	return out, count, nil
}

// nameReader sends queries one after another over a connection it opens
// again when the server closes it.
type nameReader struct {
	p    *Provider
	ctx  context.Context
	zone string
	c    *conn
}

func (r *nameReader) close() {
	if r.c != nil {
		r.c.close()
		r.c = nil
	}
}

// ask queries name's records of type t and returns those the server holds
// authoritatively at name itself (not a CNAME's target, not a
// delegation's), with the answer's RCODE.
func (r *nameReader) ask(name string, t uint16) ([]dns.RR, int, error) {
	resp, err := r.exchange(name, t)
	if err != nil {
		return nil, 0, err
	}
	switch resp.Rcode {
	case dns.RcodeSuccess, dns.RcodeNameError:
	case dns.RcodeRefused, dns.RcodeNotAuth:
		return nil, 0, fmt.Errorf("server %s refused to answer %s %s (%s): allow this client to query zone %q", r.p.Server, name, dns.Type(t), rcodeName(resp.Rcode), r.zone)
	default:
		return nil, 0, fmt.Errorf("server %s answered %s %s with %s", r.p.Server, name, dns.Type(t), rcodeName(resp.Rcode))
	}
	if !resp.Authoritative {
		// Below a delegation: the name is another zone's.
		return nil, resp.Rcode, nil
	}
	return r.records(resp, name, t), resp.Rcode, nil
}

// records picks the answer's records of type t owned by name.
func (r *nameReader) records(resp *dns.Msg, name string, t uint16) []dns.RR {
	var out []dns.RR
	for _, rr := range resp.Answer {
		h := rr.Header()
		if h.Rrtype == t && strings.EqualFold(h.Name, name) {
			out = append(out, rr)
		}
	}
	return out
}

// exchange sends one query and returns its verified answer.
func (r *nameReader) exchange(name string, t uint16) (*dns.Msg, error) {
	q := new(dns.Msg)
	q.SetQuestion(name, t)
	q.RecursionDesired = false
	var resp *dns.Msg
	for attempt := 0; ; attempt++ {
		if r.c == nil {
			c, err := r.p.dial(r.ctx, name)
			if err != nil {
				return nil, err
			}
			r.c = c
		}
		// Each query has the whole timeout; the connection lives on.
		dl := time.Now().Add(r.p.timeout())
		if cdl, ok := r.ctx.Deadline(); ok && cdl.Before(dl) {
			dl = cdl
		}
		_ = r.c.co.SetDeadline(dl)
		err := r.c.send(q)
		if err == nil {
			resp, err = r.c.recv()
		}
		if err == nil {
			break
		}
		// The server may close an idle or long-used connection: open
		// another once. Any other failure is the answer.
		r.close()
		if attempt > 0 || r.ctx.Err() != nil || errors.Is(err, errUnverified) {
			return nil, fmt.Errorf("read %s %s in zone %q: %w", name, dns.Type(t), r.zone, err)
		}
	}
	if resp.Id != q.Id {
		return nil, fmt.Errorf("answer from %s has ID %d, want %d", r.p.Server, resp.Id, q.Id)
	}
	if err := r.p.tsigError(resp); err != nil {
		return nil, err
	}
	return resp, nil
}

// recordNames are the fully qualified names of libdns records.
func recordNames(zone string, recs []libdns.Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = libdns.AbsoluteName(r.RR().Name, providers.ZoneFQDN(zone))
	}
	return out
}
