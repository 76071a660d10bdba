package rfc2136

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/miekg/dns"
)

// conn is one TCP connection to the server carrying one transaction: a
// request and its answer (UPDATE), or a request and a stream of answers
// (AXFR), each answer's signature chained to the previous one.
type conn struct {
	p     *Provider
	ctx   context.Context
	co    *dns.Conn
	key   signer // nil: unsigned
	mac   string // MAC of the last message, that the next one is signed over
	reads int
	stop  func() bool
}

// signer signs messages and checks the answers' signatures: a TSIG key,
// or a GSS-TSIG context.
type signer interface {
	dns.TsigProvider
	keyName() string
	algorithmName() string
	// who names the credentials in messages, never a secret.
	who() string
	// verifier checks an answer; requestMAC is true for the first
	// answer to a signed request, whose MAC covers the request's.
	verifier(requestMAC bool) dns.TsigProvider
}

// errUnverified is wrapped by errors reporting an answer whose signature
// does not verify.
var errUnverified = errors.New("signature does not verify")

// signer returns what signs messages about qname, nil for unsigned ones.
// With GSS-TSIG the first call negotiates the context.
func (p *Provider) signer(ctx context.Context, qname string) (signer, error) {
	switch p.Auth {
	case AuthGSS:
		return p.gssSigner(ctx, qname)
	case AuthNone:
		return nil, nil
	}
	k, err := p.key()
	if err != nil || k == nil {
		return nil, err
	}
	return k, nil
}

// dial connects to the server within ctx, which must carry a deadline,
// to send messages about qname. Cancelling ctx interrupts any read or
// write in progress.
func (p *Provider) dial(ctx context.Context, qname string) (*conn, error) {
	key, err := p.signer(ctx, qname)
	if err != nil {
		return nil, err
	}
	return p.dialWith(ctx, key)
}

func (p *Provider) dialWith(ctx context.Context, key signer) (*conn, error) {
	d := net.Dialer{Timeout: p.timeout()}
	nc, err := d.DialContext(ctx, "tcp", p.Server)
	if err != nil {
		return nil, p.netError(ctx, "connect to", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = nc.SetDeadline(dl)
	}
	c := &conn{p: p, ctx: ctx, co: &dns.Conn{Conn: nc}, key: key}
	// A past deadline makes a blocked read or write return at once.
	c.stop = context.AfterFunc(ctx, func() { _ = nc.SetDeadline(time.Unix(1, 0)) })
	return c, nil
}

func (c *conn) close() {
	c.stop()
	_ = c.co.Close()
}

// send signs m (when there is a key) and writes it, unless ctx is done: a
// cancelled context means the message is not sent.
func (c *conn) send(m *dns.Msg) error {
	var out []byte
	var err error
	c.reads = 0
	if c.key != nil {
		m.SetTsig(c.key.keyName(), c.key.algorithmName(), 300, time.Now().Unix())
		out, c.mac, err = dns.TsigGenerateWithProvider(m, c.key, "", false)
	} else {
		out, err = m.Pack()
	}
	if err != nil {
		return fmt.Errorf("pack message: %w", err)
	}
	if err := c.ctx.Err(); err != nil {
		return err
	}
	if _, err := c.co.Write(out); err != nil {
		return c.p.netError(c.ctx, "send to", err)
	}
	return nil
}

// recv reads one answer and checks its signature. An answer carrying a TSIG
// error (BADSIG, BADKEY, BADTIME) is returned without error: the caller
// reports it with the rest of the answer.
func (c *conn) recv() (*dns.Msg, error) {
	raw, err := c.co.ReadMsgHeader(nil)
	if err != nil {
		return nil, c.p.netError(c.ctx, "read answer from", err)
	}
	m := new(dns.Msg)
	if err := m.Unpack(raw); err != nil {
		return nil, fmt.Errorf("malformed answer from %s: %w", c.p.Server, err)
	}
	if c.key == nil {
		return m, nil
	}
	t := m.IsTsig()
	switch {
	case t == nil && m.Rcode == dns.RcodeSuccess:
		return nil, fmt.Errorf("answer from %s is not signed with %s: %w", c.p.Server, c.key.who(), errUnverified)
	case t == nil, t.Error != dns.RcodeSuccess:
		return m, nil
	}
	// Subsequent messages of a transfer are signed over the previous MAC
	// and the TSIG timers only (RFC 8945 section 5.3.1).
	err = dns.TsigVerifyWithProvider(raw, c.key.verifier(c.reads == 0), c.mac, c.reads > 0)
	c.mac = t.MAC
	c.reads++
	if err != nil && m.Rcode != dns.RcodeSuccess {
		// An error answer ends the transaction and changes nothing: report
		// its RCODE even when it cannot be verified (miekg/dns does not
		// verify NOTAUTH answers at all).
		return m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("answer from %s fails TSIG verification with %s: %w: %w", c.p.Server, c.key.who(), errUnverified, err)
	}
	return m, nil
}

// netError words a network failure, telling a timeout or cancellation
// apart from the server being unreachable.
func (p *Provider) netError(ctx context.Context, what string, err error) error {
	ctxErr := ctx.Err()
	if dl, ok := ctx.Deadline(); ok && ctxErr == nil && !time.Now().Before(dl) {
		// The connection's deadline, set from ctx's, can fire before
		// ctx's own timer does.
		ctxErr = context.DeadlineExceeded
	}
	if ctxErr != nil {
		if errors.Is(ctxErr, context.DeadlineExceeded) {
			return fmt.Errorf("%s %s: no answer in time (timeout %s): %w", what, p.Server, p.timeout(), ctxErr)
		}
		return fmt.Errorf("%s %s: %w", what, p.Server, ctxErr)
	}
	return fmt.Errorf("%s %s: %w", what, p.Server, err)
}

// exchange sends m in its own connection and returns the answer.
func (p *Provider) exchange(ctx context.Context, m *dns.Msg) (*dns.Msg, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout())
	defer cancel()
	c, err := p.dial(ctx, m.Question[0].Name)
	if err != nil {
		return nil, err
	}
	defer c.close()
	if err := c.send(m); err != nil {
		return nil, err
	}
	r, err := c.recv()
	if err != nil {
		return nil, err
	}
	if r.Id != m.Id {
		return nil, fmt.Errorf("answer from %s has ID %d, want %d", p.Server, r.Id, m.Id)
	}
	return r, nil
}
