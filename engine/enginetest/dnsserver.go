package enginetest

import (
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/miekg/dns"
)

// DNSServer answers DNS queries on 127.0.0.1, over UDP and TCP, from a
// fixed set of records, as an authoritative server of its zones does:
// the AA bit, NXDOMAIN and NODATA with the zone's SOA, REFUSED for names
// in no zone, a CNAME chased inside the zone, UDP answers over 512 bytes
// truncated. Its knobs make it answer as a server that is not
// authoritative does. It stops when the test ends.
type DNSServer struct {
	// Addr is "127.0.0.1:port", the same port for UDP and TCP.
	Addr string

	mu      sync.Mutex
	zones   []string
	records []dns.RR
	noAA    bool
	refuse  bool
	asked   int
}

// StartDNSServer serves zones (each gets an SOA and an NS record) and
// records, in presentation format ("pool.example.test. 300 IN A
// 10.0.0.1").
func StartDNSServer(t testing.TB, zones []string, records ...string) *DNSServer {
	t.Helper()
	s := &DNSServer{}
	s.SetZones(t, zones, records...)
	var pc net.PacketConn
	var l net.Listener
	for range 20 {
		var err error
		if l, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		if pc, err = net.ListenPacket("udp", l.Addr().String()); err == nil {
			break
		}
		l.Close()
		l = nil
	}
	if l == nil {
		t.Fatal("no loopback port free for UDP and TCP")
	}
	s.Addr = l.Addr().String()
	udp := &dns.Server{PacketConn: pc, Handler: s}
	tcp := &dns.Server{Listener: l, Handler: s}
	go func() { _ = udp.ActivateAndServe() }()
	go func() { _ = tcp.ActivateAndServe() }()
	t.Cleanup(func() {
		_ = udp.Shutdown()
		_ = tcp.Shutdown()
	})
	return s
}

// SetZones replaces the zones and records served.
func (s *DNSServer) SetZones(t testing.TB, zones []string, records ...string) {
	t.Helper()
	var rrs []dns.RR
	for _, z := range zones {
		z = dns.Fqdn(strings.ToLower(z))
		for _, line := range []string{z + " 300 IN SOA ns." + z + " hostmaster." + z + " 1 3600 600 86400 300", z + " 300 IN NS ns." + z} {
			rr, err := dns.NewRR(line)
			if err != nil {
				t.Fatal(err)
			}
			rrs = append(rrs, rr)
		}
	}
	for _, line := range records {
		rr, err := dns.NewRR(line)
		if err != nil {
			t.Fatalf("record %q: %v", line, err)
		}
		rrs = append(rrs, rr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.zones = nil
	for _, z := range zones {
		s.zones = append(s.zones, dns.Fqdn(strings.ToLower(z)))
	}
	s.records = rrs
}

// SetAuthoritative sets the AA bit of the answers (true by default):
// without it the server answers as a resolver or cache does.
func (s *DNSServer) SetAuthoritative(aa bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noAA = !aa
}

// SetRefuse makes the server answer REFUSED to every query, as a server
// that does not serve the zone (and does not recurse) does.
func (s *DNSServer) SetRefuse(refuse bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse = refuse
}

// Asked is how many queries the server answered.
func (s *DNSServer) Asked() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.asked
}

// ServeDNS implements dns.Handler.
func (s *DNSServer) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	s.mu.Lock()
	m := s.answer(req)
	s.asked++
	s.mu.Unlock()
	if _, udp := w.RemoteAddr().(*net.UDPAddr); udp {
		size := 512
		if o := req.IsEdns0(); o != nil {
			size = int(o.UDPSize())
		}
		m.Truncate(size)
	}
	_ = w.WriteMsg(m)
}

func (s *DNSServer) answer(req *dns.Msg) *dns.Msg {
	m := new(dns.Msg)
	m.SetReply(req)
	if s.refuse || len(req.Question) != 1 {
		m.Rcode = dns.RcodeRefused
		return m
	}
	q := req.Question[0]
	name := strings.ToLower(q.Name)
	zone := ""
	for _, z := range s.zones {
		if dns.IsSubDomain(z, name) && len(z) > len(zone) {
			zone = z
		}
	}
	if zone == "" {
		m.Rcode = dns.RcodeRefused
		return m
	}
	m.Authoritative = !s.noAA
	for range 8 { // CNAME chain, inside the zone
		var hit, cname []dns.RR
		exists := false
		for _, rr := range s.records {
			h := rr.Header()
			if !strings.EqualFold(h.Name, name) {
				continue
			}
			exists = true
			switch {
			case h.Rrtype == q.Qtype:
				hit = append(hit, rr)
			case h.Rrtype == dns.TypeCNAME:
				cname = append(cname, rr)
			}
		}
		switch {
		case len(hit) > 0:
			m.Answer = append(m.Answer, hit...)
			return m
		case len(cname) > 0:
			m.Answer = append(m.Answer, cname...)
			name = strings.ToLower(cname[0].(*dns.CNAME).Target)
			if !dns.IsSubDomain(zone, name) {
				return m
			}
			continue
		case !exists && len(m.Answer) == 0:
			m.Rcode = dns.RcodeNameError
		}
		break
	}
	for _, rr := range s.records {
		if rr.Header().Rrtype == dns.TypeSOA && strings.EqualFold(rr.Header().Name, zone) {
			m.Ns = append(m.Ns, rr)
		}
	}
	return m
}
