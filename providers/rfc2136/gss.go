package rfc2136

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/bodgit/tsig"
	"github.com/bodgit/tsig/gss"
	"github.com/miekg/dns"
)

// GSS-TSIG algorithm names: RFC 3645's, and the one Windows 2000 used
// before it.
const (
	GSSTSIG      = tsig.GSS // "gss-tsig."
	GSSMicrosoft = "gss.microsoft.com."
)

// macLayout is how a server lays out the request MAC in the data its
// reply's MAC covers.
type macLayout int

const (
	// layoutRFC8945: the request MAC with its 2-byte length prefix
	// (RFC 8945 section 4.3.1).
	layoutRFC8945 macLayout = iota
	// layoutNoLength: the request MAC without the length prefix, as
	// Samba's DNS server signs its replies.
	layoutNoLength
)

func (l macLayout) String() string {
	if l == layoutNoLength {
		return "request MAC without its length (Samba)"
	}
	return "RFC 8945"
}

// gssSession is one negotiated GSS-TSIG security context, reused for every
// message until it expires or the provider is closed.
type gssSession struct {
	client    *gss.Client
	keyname   string
	expiry    time.Time
	alg       string // the TSIG algorithm name messages carry
	principal string // who signs, for messages
	spn       string

	// mu serializes signing and verification: each advances the
	// context's sequence numbers.
	mu sync.Mutex
	// layout is chosen once, before the first reply is checked: a
	// second check of one reply within the context fails as a replay.
	layout macLayout
}

var _ signer = (*gssSession)(nil)

func (s *gssSession) keyName() string       { return s.keyname }
func (s *gssSession) algorithmName() string { return s.alg }
func (s *gssSession) who() string           { return "the GSS-TSIG context of " + s.principal }

// forClient gives the GSS library the TSIG record as it knows it: it
// accepts only the RFC 3645 name, the older one means the same.
func forClient(t *dns.TSIG) (*dns.TSIG, error) {
	switch dns.CanonicalName(t.Algorithm) {
	case GSSTSIG:
		return t, nil
	case GSSMicrosoft:
		c := *t
		c.Algorithm = GSSTSIG
		return &c, nil
	}
	return nil, dns.ErrKeyAlg
}

// Generate implements dns.TsigProvider.
func (s *gssSession) Generate(msg []byte, t *dns.TSIG) ([]byte, error) {
	t, err := forClient(t)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.client.Generate(msg, t)
}

// Verify implements dns.TsigProvider for the RFC 8945 layout.
func (s *gssSession) Verify(buf []byte, t *dns.TSIG) error {
	t, err := forClient(t)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.client.Verify(buf, t)
}

func (s *gssSession) verifier(requestMAC bool) dns.TsigProvider {
	if requestMAC && s.layout == layoutNoLength {
		return noLengthVerifier{s}
	}
	return s
}

// noLengthVerifier checks a reply signed over the request MAC without its
// 2-byte length. miekg/dns hands Verify the RFC 8945 layout: length, MAC,
// message, variables; dropping the length gives the other.
type noLengthVerifier struct{ s *gssSession }

func (v noLengthVerifier) Generate(msg []byte, t *dns.TSIG) ([]byte, error) {
	return v.s.Generate(msg, t)
}

func (v noLengthVerifier) Verify(buf []byte, t *dns.TSIG) error {
	if len(buf) < 2 || int(binary.BigEndian.Uint16(buf)) > len(buf)-2 {
		return dns.ErrSig
	}
	return v.s.Verify(buf[2:], t)
}

// gssSigner returns the provider's GSS-TSIG context, negotiating one when
// there is none or it is about to expire. qname is the name the first
// message is about: the first signed exchange of a new context asks its
// SOA to learn how the server signs replies.
func (p *Provider) gssSigner(ctx context.Context, qname string) (signer, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s := p.gss; s != nil {
		if time.Until(s.expiry) > time.Minute {
			return s, nil
		}
		p.gss = nil
		_ = s.client.DeleteContext(s.keyname)
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout())
	defer cancel()
	s, err := p.negotiate(ctx)
	if err != nil {
		return nil, err
	}
	if err := p.chooseLayout(ctx, s, qname); err != nil {
		_ = s.client.DeleteContext(s.keyname)
		return nil, err
	}
	p.gss = s
	return s, nil
}

// spnHost is the host name of the server's service principal.
func (p *Provider) spnHost() string {
	if p.ServerName != "" {
		return strings.TrimSuffix(p.ServerName, ".")
	}
	host, _, _ := net.SplitHostPort(p.Server)
	return host
}

// principal names who signs, for messages: never a secret.
func (p *Provider) principal() string {
	switch {
	case p.Username != "" && p.Realm != "":
		return p.Username + "@" + strings.ToUpper(p.Realm)
	case p.Username != "":
		return p.Username
	}
	return defaultCredentials
}

func (p *Provider) gssAlgorithm() string {
	if p.GSSAlgorithm == "" {
		return GSSTSIG
	}
	return dns.CanonicalName(p.GSSAlgorithm)
}

// negotiate sets up a security context with the server through TKEY
// (RFC 3645 section 3), with the configured credentials.
func (p *Provider) negotiate(ctx context.Context) (*gssSession, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	host, port, err := net.SplitHostPort(p.Server)
	if err != nil {
		return nil, fmt.Errorf("server %q: %w", p.Server, err)
	}
	spnHost := p.spnHost()
	kc, err := p.kerberosConfig()
	if err != nil {
		return nil, err
	}
	timeout := p.timeout()
	if dl, ok := ctx.Deadline(); ok {
		timeout = time.Until(dl)
	}
	dc := &dns.Client{Net: "tcp", Timeout: timeout}
	if !strings.EqualFold(spnHost, host) {
		// The library connects to the host it names the service
		// principal after: make that name lead to Server, whatever the
		// system's resolver says of it.
		addrs, err := serverAddrs(ctx, host)
		if err != nil {
			return nil, fmt.Errorf("resolve %s: %w", host, err)
		}
		dc.Dialer = pinnedDialer(addrs)
	}
	client, err := gss.NewClient(dc, kc.options()...)
	if err != nil {
		return nil, fmt.Errorf("GSS-TSIG: %w", err)
	}
	target := net.JoinHostPort(spnHost, port)
	type result struct {
		keyname string
		expiry  time.Time
		err     error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		switch {
		case p.Password != "":
			r.keyname, r.expiry, r.err = client.NegotiateContextWithCredentials(target, strings.ToUpper(p.Realm), p.Username, p.Password)
		case p.Keytab != "":
			r.keyname, r.expiry, r.err = client.NegotiateContextWithKeytab(target, strings.ToUpper(p.Realm), p.Username, p.Keytab)
		default:
			r.keyname, r.expiry, r.err = client.NegotiateContext(target)
		}
		done <- r
	}()
	var r result
	select {
	case r = <-done:
	case <-ctx.Done():
		// The negotiation goes on in the background until its own
		// timeouts; its context is dropped with the client.
		go func() { <-done; _ = client.Close() }()
		return nil, fmt.Errorf("negotiate GSS-TSIG with %s: %w", p.Server, ctx.Err())
	}
	if r.err != nil {
		_ = client.Close()
		return nil, p.gssError(r.err, kc)
	}
	return &gssSession{
		client:    client,
		keyname:   r.keyname,
		expiry:    r.expiry,
		alg:       p.gssAlgorithm(),
		principal: p.principal(),
		spn:       "DNS/" + spnHost,
	}, nil
}

// chooseLayout learns how the server signs replies before any update is
// sent: it asks qname's SOA, signed, and checks the reply in the RFC 8945
// layout; when that fails it asks again (a new message, so no replay) and
// checks in Samba's. A server that signs in neither is an error.
func (p *Provider) chooseLayout(ctx context.Context, s *gssSession, qname string) error {
	var errs []error
	for _, l := range []macLayout{layoutRFC8945, layoutNoLength} {
		s.layout = l
		m := new(dns.Msg)
		m.SetQuestion(dns.Fqdn(qname), dns.TypeSOA)
		c, err := p.dialWith(ctx, s)
		if err != nil {
			return err
		}
		err = c.send(m)
		if err == nil {
			_, err = c.recv()
		}
		c.close()
		if err == nil {
			return nil
		}
		if !errors.Is(err, errUnverified) {
			return err
		}
		errs = append(errs, fmt.Errorf("%s: %w", l, err))
	}
	return fmt.Errorf("server %s signs its answers in no layout topo knows: %w", p.Server, errors.Join(errs...))
}

// Close implements io.Closer: it deletes the GSS-TSIG context, at the
// server (a TKEY delete, RFC 2930 section 4.2; a server that does not
// support it lets the context expire) and here. The provider negotiates a
// new one if it is used again. Close is a no-op without a context.
func (p *Provider) Close() error {
	p.mu.Lock()
	s := p.gss
	p.gss = nil
	p.mu.Unlock()
	if s == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), p.timeout())
	defer cancel()
	m := new(dns.Msg)
	m.Id = dns.Id()
	m.Question = []dns.Question{{Name: s.keyname, Qtype: dns.TypeTKEY, Qclass: dns.ClassANY}}
	m.Extra = []dns.RR{&dns.TKEY{
		Hdr:       dns.RR_Header{Name: s.keyname, Rrtype: dns.TypeTKEY, Class: dns.ClassANY},
		Algorithm: GSSTSIG,
		Mode:      5, // delete
	}}
	if c, err := p.dialWith(ctx, s); err == nil {
		if c.send(m) == nil {
			_, _ = c.recv()
		}
		c.close()
	}
	if err := s.client.DeleteContext(s.keyname); err != nil {
		return fmt.Errorf("delete GSS-TSIG context: %w", err)
	}
	return nil
}

// serverAddrs resolves the server's host (an address stays itself).
func serverAddrs(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	return ips, nil
}

// pinnedDialer is a dialer whose resolver answers every name with addrs,
// from memory: the GSS library dials the host it names the service
// principal after, and that host must lead to the configured server
// without asking any DNS server.
func pinnedDialer(addrs []netip.Addr) *net.Dialer {
	return &net.Dialer{Resolver: &net.Resolver{
		PreferGo: true,
		Dial: func(context.Context, string, string) (net.Conn, error) {
			client, server := net.Pipe()
			go answerPinned(server, addrs)
			return client, nil
		},
	}}
}

// answerPinned answers the Go resolver's queries on c (DNS over a stream:
// each message after its 2-byte length) with addrs.
func answerPinned(c net.Conn, addrs []netip.Addr) {
	defer c.Close()
	co := &dns.Conn{Conn: c}
	for {
		q, err := co.ReadMsg()
		if err != nil {
			return
		}
		r := new(dns.Msg)
		r.SetReply(q)
		r.Authoritative = true
		for _, qq := range q.Question {
			for _, a := range addrs {
				hdr := dns.RR_Header{Name: qq.Name, Class: dns.ClassINET, Ttl: 60}
				switch {
				case qq.Qtype == dns.TypeA && a.Unmap().Is4():
					hdr.Rrtype = dns.TypeA
					r.Answer = append(r.Answer, &dns.A{Hdr: hdr, A: a.Unmap().AsSlice()})
				case qq.Qtype == dns.TypeAAAA && a.Is6() && !a.Is4In6():
					hdr.Rrtype = dns.TypeAAAA
					r.Answer = append(r.Answer, &dns.AAAA{Hdr: hdr, AAAA: a.AsSlice()})
				}
			}
		}
		if err := co.WriteMsg(r); err != nil {
			return
		}
	}
}

// gssTSIGSize bounds the TSIG record of a GSS-TSIG message: a key name of
// at most 255 bytes and a MIC token of at most 64.
func gssTSIGSize() int {
	t := &dns.TSIG{
		Hdr:       dns.RR_Header{Name: strings.Repeat("a.", 127), Rrtype: dns.TypeTSIG, Class: dns.ClassANY},
		Algorithm: GSSMicrosoft,
		MACSize:   64,
		MAC:       strings.Repeat("00", 64),
		OtherLen:  6,
		OtherData: strings.Repeat("00", 6),
	}
	return dns.Len(t)
}
