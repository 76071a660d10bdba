package rfc2136

import (
	"fmt"

	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers"
)

// change is one unit of an UPDATE message that must travel whole: an RRset
// edit's prerequisites and updates.
type change struct {
	key    providers.Key
	prereq []dns.RR // prerequisite section (RFC 2136 section 2.4)
	update []dns.RR // update section (section 2.5)
	// size is the change's uncompressed wire size: the most it can add to
	// a message, since name compression only ever shrinks it.
	size int
}

func (c *change) measure() {
	c.size = 0
	for _, rr := range c.prereq {
		c.size += dns.Len(rr)
	}
	for _, rr := range c.update {
		c.size += dns.Len(rr)
	}
}

// chunk is one UPDATE message carrying changes[start:end].
type chunk struct {
	start, end int
	msg        *dns.Msg
}

func newUpdate(zone string) *dns.Msg {
	m := new(dns.Msg)
	m.SetUpdate(zone)
	m.Compress = true
	return m
}

// splitChanges packs changes, in order, into as few UPDATE messages for zone as
// fit: each at most 65,535 bytes once packed, with room left for the TSIG
// record. Sizes are measured with Msg.Pack, compression included; the
// uncompressed size bounds spare most of the packing.
func splitChanges(zone string, changes []change, tsigSize int) ([]chunk, error) {
	limit := dns.MaxMsgSize - tsigSize
	var chunks []chunk
	cur := chunk{msg: newUpdate(zone)}
	empty, err := packedLen(cur.msg)
	if err != nil {
		return nil, err
	}
	bound, exact := empty, true // bound >= the packed size of cur.msg
	for i := 0; i < len(changes); {
		c := &changes[i]
		if bound+c.size <= limit {
			add(cur.msg, c)
			bound, exact = bound+c.size, false
			i++
			continue
		}
		if !exact {
			if bound, err = packedLen(cur.msg); err != nil {
				return nil, err
			}
			exact = true
			continue
		}
		np, nu := len(cur.msg.Answer), len(cur.msg.Ns)
		add(cur.msg, c)
		n, err := packedLen(cur.msg)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.key, err)
		}
		if n <= limit {
			bound = n
			i++
			continue
		}
		cur.msg.Answer, cur.msg.Ns = cur.msg.Answer[:np], cur.msg.Ns[:nu]
		if i == cur.start {
			return nil, fmt.Errorf("edit of %s takes %d bytes, more than one UPDATE message holds (%d)", c.key, n-empty, limit-empty)
		}
		cur.end = i
		chunks = append(chunks, cur)
		cur = chunk{start: i, msg: newUpdate(zone)}
		bound, exact = empty, true
	}
	if len(changes) > cur.start {
		cur.end = len(changes)
		chunks = append(chunks, cur)
	}
	return chunks, nil
}

func add(m *dns.Msg, c *change) {
	m.Answer = append(m.Answer, c.prereq...)
	m.Ns = append(m.Ns, c.update...)
}

func packedLen(m *dns.Msg) (int, error) {
	b, err := m.Pack()
	if err != nil {
		return 0, fmt.Errorf("pack UPDATE message: %w", err)
	}
	return len(b), nil
}
