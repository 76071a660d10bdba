package dnstest

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"
)

// Framing is how a FaultProxy tells requests apart in a byte stream.
type Framing int

const (
	// FrameDNS is DNS: messages over TCP, each after its two-byte length
	// (RFC 1035 section 4.2.2), and UDP datagrams. An answer belongs to
	// the request with its message ID; a zone transfer's many answers are
	// all the one request's.
	FrameDNS Framing = iota + 1
	// FrameHTTP is HTTP/1.1 over TCP: one request, then its response.
	FrameHTTP
)

// Action is what a FaultProxy does to one request and its answer.
type Action int

const (
	// Pass forwards the request and its answer.
	Pass Action = iota
	// Delay forwards the request at once and the answer Fault.Delay late,
	// to a client that may have given up by then.
	Delay
	// Hold forwards the request and reads the server's answer, then keeps
	// it: the client hears nothing until it gives up, or until Release.
	Hold
	// Drop forwards the request, reads the server's answer and throws it
	// away, then closes the client's connection: the connection drops
	// after the server acted.
	Drop
	// Cut forwards the request and closes both connections at once,
	// without waiting for the answer: the server may or may not act.
	Cut
	// Swallow never forwards the request and closes the client's
	// connection: the server never sees it.
	Swallow
)

var actionNames = [...]string{"pass", "delay", "hold", "drop", "cut", "swallow"}

func (a Action) String() string { return actionNames[a] }

// Request is what a FaultProxy knows of one request.
type Request struct {
	// Seq is the request's number, from 1, over every request the proxy
	// saw.
	Seq int
	// Net is "tcp" or "udp".
	Net string
	// Opcode is a DNS request's opcode (OpcodeUpdate for UPDATE), -1 for
	// HTTP.
	Opcode int
	// Method and Path are an HTTP request's.
	Method, Path string
}

// OpcodeUpdate is the DNS opcode of an RFC 2136 UPDATE.
const OpcodeUpdate = 5

// IsUpdate matches DNS UPDATE messages.
func IsUpdate(r Request) bool { return r.Opcode == OpcodeUpdate }

// IsMethod matches HTTP requests of method ("PATCH", "POST").
func IsMethod(method string) func(Request) bool {
	return func(r Request) bool { return r.Method == method }
}

// Fault says which request a FaultProxy misbehaves on, and how.
type Fault struct {
	// Match picks the requests the fault counts; nil counts every one.
	Match func(Request) bool
	// Nth is the matching request (from 1) the fault acts on; 0 acts on
	// every matching request.
	Nth int
	// Action is what is done to it; Delay is the wait of Action Delay.
	Action Action
	Delay  time.Duration

	seen int
}

// Event tells a test that a fault acted.
type Event struct {
	Request Request
	Action  Action
	// Answered is true when the server's answer had been read: the server
	// acted on the request.
	Answered bool
}

// FaultProxy forwards connections on 127.0.0.1 to a real server, request
// by request, and misbehaves on the requests its faults pick: it delays,
// holds or drops an answer, or cuts the connection, as a slow or broken
// network would. It stops when the test ends.
type FaultProxy struct {
	// Addr is "127.0.0.1:port", on TCP, and on UDP too with FrameDNS.
	Addr string

	t        testing.TB
	upstream string
	framing  Framing
	events   chan Event
	done     chan struct{}
	tcp      net.Listener
	udp      net.PacketConn

	mu      sync.Mutex
	seq     int
	faults  []*Fault
	seen    []Request
	release chan struct{}
	conns   map[io.Closer]struct{}
	wg      sync.WaitGroup
}

// StartFaultProxy listens on a free loopback port and forwards what it
// receives to upstream ("127.0.0.1:port", which must be a loopback
// address), framed as framing says.
func StartFaultProxy(t testing.TB, upstream string, framing Framing) *FaultProxy {
	t.Helper()
	host, _, err := net.SplitHostPort(upstream)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		t.Fatalf("fault proxy: upstream %q is not a loopback address", upstream)
	}
	p := &FaultProxy{t: t, upstream: upstream, framing: framing, events: make(chan Event, 64), done: make(chan struct{}),
		release: make(chan struct{}), conns: map[io.Closer]struct{}{}}
	for range 20 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatalf("fault proxy: %v", err)
		}
		if framing != FrameDNS {
			p.tcp = l
			break
		}
		u, err := net.ListenPacket("udp", l.Addr().String())
		if err != nil {
			l.Close()
			continue
		}
		p.tcp, p.udp = l, u
		break
	}
	if p.tcp == nil {
		t.Fatal("fault proxy: no loopback port free for TCP and UDP")
	}
	p.Addr = p.tcp.Addr().String()
	p.wg.Add(1)
	go p.accept()
	if p.udp != nil {
		p.wg.Add(1)
		go p.serveUDP()
	}
	t.Cleanup(p.close)
	return p
}

// Add arms a fault. Faults are tried in the order added; the first that
// acts on a request decides it.
func (p *FaultProxy) Add(f Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = append(p.faults, &f)
}

// Clear disarms every fault.
func (p *FaultProxy) Clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = nil
}

// Events receives an Event each time a fault acted: for Delay, Hold and
// Drop once the server's answer was read, for Cut once the request was
// forwarded, for Swallow once it was read.
func (p *FaultProxy) Events() <-chan Event { return p.events }

// Wait returns the next Event, failing the test after timeout.
func (p *FaultProxy) Wait(timeout time.Duration) Event {
	p.t.Helper()
	select {
	case e := <-p.events:
		return e
	case <-time.After(timeout):
		p.t.Fatalf("fault proxy: no fault acted within %s (requests seen: %+v)", timeout, p.Requests(nil))
		return Event{}
	}
}

// Release sends the answers held so far to clients still listening, and
// stops holding: later Hold faults hold again until the next Release.
func (p *FaultProxy) Release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	close(p.release)
	p.release = make(chan struct{})
}

// Requests returns the requests seen so far that match (all with nil).
func (p *FaultProxy) Requests(match func(Request) bool) []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Request
	for _, r := range p.seen {
		if match == nil || match(r) {
			out = append(out, r)
		}
	}
	return out
}

// decide numbers a request and picks its fault.
func (p *FaultProxy) decide(r Request) (Request, *Fault, <-chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seq++
	r.Seq = p.seq
	p.seen = append(p.seen, r)
	var hit *Fault
	for _, f := range p.faults {
		if f.Match != nil && !f.Match(r) {
			continue
		}
		f.seen++
		if hit == nil && (f.Nth == 0 || f.seen == f.Nth) && f.Action != Pass {
			hit = f
		}
	}
	return r, hit, p.release
}

func (p *FaultProxy) notify(r Request, a Action, answered bool) {
	select {
	case p.events <- Event{Request: r, Action: a, Answered: answered}:
	default:
		p.t.Logf("fault proxy: event of request %d dropped: nobody reads Events", r.Seq)
	}
}

// track remembers an open connection, to close it when the proxy stops;
// it returns false when the proxy is stopping.
func (p *FaultProxy) track(c io.Closer) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.done:
		return false
	default:
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *FaultProxy) untrack(c io.Closer) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	c.Close()
}

func (p *FaultProxy) close() {
	p.mu.Lock()
	select {
	case <-p.done:
		p.mu.Unlock()
		return
	default:
	}
	close(p.done)
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.tcp.Close()
	if p.udp != nil {
		p.udp.Close()
	}
	p.wg.Wait()
}

// hold waits until release is closed or the proxy stops; it reports
// whether the answer is to be sent.
func (p *FaultProxy) hold(release <-chan struct{}) bool {
	select {
	case <-release:
		return true
	case <-p.done:
		return false
	}
}

// sleep waits d unless the proxy stops first.
func (p *FaultProxy) sleep(d time.Duration) bool {
	select {
	case <-time.After(d):
		return true
	case <-p.done:
		return false
	}
}

func (p *FaultProxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.tcp.Accept()
		if err != nil {
			return
		}
		u, err := net.DialTimeout("tcp", p.upstream, 5*time.Second)
		if err != nil {
			c.Close()
			continue
		}
		if !p.track(c) || !p.track(u) {
			c.Close()
			u.Close()
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer p.untrack(c)
			defer p.untrack(u)
			if p.framing == FrameHTTP {
				p.serveHTTP(c, u)
			} else {
				p.serveDNS(c, u)
			}
		}()
	}
}

// pending is the fault of a DNS request in flight, by message ID.
type pending struct {
	req     Request
	fault   *Fault
	release <-chan struct{}
}

func (p *FaultProxy) serveDNS(c, u net.Conn) {
	var mu sync.Mutex
	inFlight := map[uint16]pending{}
	answers := make(chan struct{})
	go func() {
		defer close(answers)
		for {
			msg, err := readFramed(u)
			if err != nil {
				c.Close()
				return
			}
			id := binary.BigEndian.Uint16(msg)
			mu.Lock()
			pe, ok := inFlight[id]
			delete(inFlight, id)
			mu.Unlock()
			if ok && pe.fault != nil {
				p.notify(pe.req, pe.fault.Action, true)
				switch pe.fault.Action {
				case Delay:
					if !p.sleep(pe.fault.Delay) {
						return
					}
				case Hold:
					if !p.hold(pe.release) {
						return
					}
				case Drop:
					c.Close()
					u.Close()
					return
				}
			}
			if writeFramed(c, msg) != nil {
				return
			}
		}
	}()
	for {
		msg, err := readFramed(c)
		if err != nil {
			break
		}
		r, f, release := p.decide(Request{Net: "tcp", Opcode: int(msg[2]>>3) & 0xF})
		if f != nil && f.Action == Swallow {
			p.notify(r, Swallow, false)
			break
		}
		mu.Lock()
		inFlight[binary.BigEndian.Uint16(msg)] = pending{req: r, fault: f, release: release}
		mu.Unlock()
		if writeFramed(u, msg) != nil {
			break
		}
		if f != nil && f.Action == Cut {
			p.notify(r, Cut, false)
			break
		}
	}
	c.Close()
	u.Close()
	<-answers
}

// readFramed reads one length-prefixed DNS message (at least a header).
func readFramed(r io.Reader) ([]byte, error) {
	var n [2]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, err
	}
	msg := make([]byte, binary.BigEndian.Uint16(n[:]))
	if _, err := io.ReadFull(r, msg); err != nil {
		return nil, err
	}
	if len(msg) < 12 {
		return nil, errors.New("short DNS message")
	}
	return msg, nil
}

func writeFramed(w io.Writer, msg []byte) error {
	b := make([]byte, 2+len(msg))
	binary.BigEndian.PutUint16(b, uint16(len(msg)))
	copy(b[2:], msg)
	_, err := w.Write(b)
	return err
}

func (p *FaultProxy) serveHTTP(c, u net.Conn) {
	cr, ur := bufio.NewReader(c), bufio.NewReader(u)
	for {
		req, err := http.ReadRequest(cr)
		if err != nil {
			return
		}
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return
		}
		r, f, release := p.decide(Request{Net: "tcp", Opcode: -1, Method: req.Method, Path: req.URL.Path})
		if f != nil && f.Action == Swallow {
			p.notify(r, Swallow, false)
			return
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
		if err := req.Write(u); err != nil {
			return
		}
		if f != nil && f.Action == Cut {
			p.notify(r, Cut, false)
			return
		}
		resp, err := http.ReadResponse(ur, req)
		if err != nil {
			return
		}
		rbody, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return
		}
		resp.Body = io.NopCloser(bytes.NewReader(rbody))
		resp.ContentLength = int64(len(rbody))
		resp.TransferEncoding = nil
		if f != nil {
			p.notify(r, f.Action, true)
			switch f.Action {
			case Delay:
				if !p.sleep(f.Delay) {
					return
				}
			case Hold:
				if !p.hold(release) {
					return
				}
			case Drop:
				return
			}
		}
		if err := resp.Write(c); err != nil || resp.Close {
			return
		}
	}
}

func (p *FaultProxy) serveUDP() {
	defer p.wg.Done()
	buf := make([]byte, 65535)
	for {
		n, from, err := p.udp.ReadFrom(buf)
		if err != nil {
			return
		}
		if n < 12 {
			continue
		}
		msg := append([]byte(nil), buf[:n]...)
		r, f, release := p.decide(Request{Net: "udp", Opcode: int(msg[2]>>3) & 0xF})
		if f != nil && f.Action == Swallow {
			p.notify(r, Swallow, false)
			continue
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			u, err := net.Dial("udp", p.upstream)
			if err != nil {
				return
			}
			if !p.track(u) {
				u.Close()
				return
			}
			defer p.untrack(u)
			if _, err := u.Write(msg); err != nil {
				return
			}
			if f != nil && f.Action == Cut {
				p.notify(r, Cut, false)
				return
			}
			_ = u.SetReadDeadline(time.Now().Add(10 * time.Second))
			ans := make([]byte, 65535)
			m, err := u.Read(ans)
			if err != nil {
				return
			}
			if f != nil {
				p.notify(r, f.Action, true)
				switch f.Action {
				case Delay:
					if !p.sleep(f.Delay) {
						return
					}
				case Hold:
					if !p.hold(release) {
						return
					}
				case Drop:
					return
				}
			}
			_, _ = p.udp.WriteTo(ans[:m], from)
		}()
	}
}
