package rfc2136

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// The GSS library negotiates every security context with TKEY records of
// algorithm gss-tsig, and a server keys the context by the algorithm its
// TKEY named: BIND then refuses messages signed "gss.microsoft.com." as of
// an unknown key, Samba as a bad signature. For Windows 2000's name the
// negotiation goes through an algorithmRelay, which renames the TKEY
// records' algorithm on the way to the server and back, so that the
// context the server sets up is one of gss.microsoft.com.

// algorithmRelay forwards DNS over TCP between a loopback port and the
// server, renaming the algorithm of the TKEY records it carries: local
// (what the library speaks) to remote on the way out, back on the way in.
// It listens on 127.0.0.1 only, for one negotiation, and is closed after.
type algorithmRelay struct {
	ln            net.Listener
	server        string
	timeout       time.Duration
	local, remote string

	wg   sync.WaitGroup
	mu   sync.Mutex
	done bool
	open []net.Conn
}

// startRelay listens on a free loopback port and relays each connection to
// server.
func startRelay(server string, timeout time.Duration, local, remote string) (*algorithmRelay, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &algorithmRelay{ln: ln, server: server, timeout: timeout, local: dns.CanonicalName(local), remote: dns.CanonicalName(remote)}
	r.wg.Add(1)
	go r.serve()
	return r, nil
}

// port is the relay's loopback port.
func (r *algorithmRelay) port() string {
	return strconv.Itoa(r.ln.Addr().(*net.TCPAddr).Port)
}

func (r *algorithmRelay) serve() {
	defer r.wg.Done()
	for {
		c, err := r.ln.Accept()
		if err != nil {
			return
		}
		if !r.track(c) {
			c.Close()
			return
		}
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.relay(c)
		}()
	}
}

// track remembers c to close it with the relay; false once closed.
func (r *algorithmRelay) track(c net.Conn) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done {
		return false
	}
	r.open = append(r.open, c)
	return true
}

// relay forwards the messages of one client connection, each way.
func (r *algorithmRelay) relay(client net.Conn) {
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
	defer cancel()
	var d net.Dialer
	server, err := d.DialContext(ctx, "tcp", r.server)
	if err != nil {
		return
	}
	if !r.track(server) {
		server.Close()
		return
	}
	defer server.Close()
	_ = server.SetDeadline(time.Now().Add(r.timeout))
	_ = client.SetDeadline(time.Now().Add(r.timeout))
	back := make(chan struct{})
	go func() {
		defer close(back)
		_ = copyMessages(client, server, r.remote, r.local)
		_ = client.Close()
	}()
	_ = copyMessages(server, client, r.local, r.remote)
	_ = server.Close()
	<-back
}

// close stops the relay and every connection it carries.
func (r *algorithmRelay) close() {
	r.mu.Lock()
	r.done = true
	open := r.open
	r.open = nil
	r.mu.Unlock()
	_ = r.ln.Close()
	for _, c := range open {
		_ = c.Close()
	}
	r.wg.Wait()
}

// maxMessage bounds a message the relay reads.
const maxMessage = 65535

// copyMessages reads DNS messages (each after its 2-byte length) from src
// and writes them to dst, with the algorithm of every TKEY record from
// renamed to. A message it cannot parse is passed on as it came.
func copyMessages(dst io.Writer, src io.Reader, from, to string) error {
	var n [2]byte
	for {
		if _, err := io.ReadFull(src, n[:]); err != nil {
			return err
		}
		buf := make([]byte, binary.BigEndian.Uint16(n[:]))
		if _, err := io.ReadFull(src, buf); err != nil {
			return err
		}
		out := renameTKEY(buf, from, to)
		if len(out) > maxMessage {
			return errors.New("message too long")
		}
		if _, err := dst.Write(append(binary.BigEndian.AppendUint16(nil, uint16(len(out))), out...)); err != nil {
			return err
		}
	}
}

// renameTKEY returns msg with the algorithm of its TKEY and TSIG records
// renamed from one name to the other, or msg itself when it holds none.
func renameTKEY(msg []byte, from, to string) []byte {
	m := new(dns.Msg)
	if err := m.Unpack(msg); err != nil {
		return msg
	}
	changed := false
	for _, sec := range [][]dns.RR{m.Answer, m.Ns, m.Extra} {
		for _, rr := range sec {
			switch t := rr.(type) {
			case *dns.TKEY:
				if dns.CanonicalName(t.Algorithm) == from {
					t.Algorithm, changed = to, true
				}
			case *dns.TSIG:
				// The server's signature of its last TKEY answer: the
				// library checks its algorithm only.
				if dns.CanonicalName(t.Algorithm) == from {
					t.Algorithm, changed = to, true
				}
			}
		}
	}
	if !changed {
		return msg
	}
	out, err := m.Pack()
	if err != nil {
		return msg
	}
	return out
}
