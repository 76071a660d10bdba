package publish

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/topo-dns/topo/topology"
)

// NoteKind is what a plan does to a server, as a note reports it. The text
// and Markdown views turn each kind and its fields into sentences; the
// plan's JSON keeps the kind and the fields.
type NoteKind string

// The kinds of note a plan carries.
const (
	// NoteDraining: a draining server leaves its pool FQDN and keeps its
	// own record (Server, ServerName, FQDN, IP, PoolFQDN, TTL).
	NoteDraining NoteKind = "draining"
	// NoteOffline: an offline server leaves its pool FQDN and its own
	// record is deleted (Server, ServerName, FQDN, IP, PoolFQDN, TTL).
	NoteOffline NoteKind = "offline"
	// NoteJoining: a server joins its pool FQDN (Server, ServerName, IP,
	// PoolFQDN).
	NoteJoining NoteKind = "joining"
	// NoteRemovedFromPool: an address no longer in the topology leaves a
	// pool FQDN (IP, PoolFQDN, PoolBefore, PoolAfter, TTL).
	NoteRemovedFromPool NoteKind = "removed_from_pool"
	// NoteNamesRemoved: names no longer in the topology are deleted
	// (Names, TTL).
	NoteNamesRemoved NoteKind = "names_removed"
)

// Label is the word the views tag a note with: the server's new state, or
// "removed".
func (k NoteKind) Label() string {
	switch k {
	case NoteRemovedFromPool, NoteNamesRemoved:
		return "removed"
	}
	return string(k)
}

// Note explains a server's lifecycle change in DNS terms: what happens,
// when it takes effect, and what the operator does next. It is data; the
// views write the prose.
type Note struct {
	// Zone is the zone and view the change is in: "contoso.com (internal)".
	Zone string `json:"zone"`
	// Kind says what happens; the fields it uses are listed with each
	// NoteKind.
	Kind NoteKind `json:"kind"`
	// Server is the server's topology path, ServerName its name and FQDN
	// its own name; empty for an address or names the topology no longer
	// has.
	Server     string `json:"server,omitempty"`
	ServerName string `json:"server_name,omitempty"`
	FQDN       string `json:"fqdn,omitempty"`
	// IP is the server's address, or the address leaving the pool.
	IP netip.Addr `json:"ip,omitzero"`
	// PoolFQDN is the pool FQDN the server leaves or joins.
	PoolFQDN string `json:"pool_fqdn,omitempty"`
	// PoolBefore and PoolAfter count the pool's servers before and after
	// the change (NoteRemovedFromPool): crossing the 2/3-server boundary
	// needs a quorum reset.
	PoolBefore int `json:"pool_before,omitempty"`
	PoolAfter  int `json:"pool_after,omitempty"`
	// Names are the names deleted (NoteNamesRemoved).
	Names []string `json:"names,omitempty"`
	// TTL is how long resolvers may still hand out the old answer after
	// publish, in seconds; 0 when unknown.
	TTL uint32 `json:"ttl"`
}

// subject is what the note is about, the key notes are ordered and told
// apart by within a zone.
func (n Note) subject() string {
	switch {
	case n.Server != "":
		return n.Server
	case n.Kind == NoteNamesRemoved:
		return strings.Join(n.Names, ", ")
	}
	return n.IP.String()
}

// Explain adds notes to the plan for every server it drains, takes
// offline, removes or returns to a pool, using the compiled topology for
// what DNS alone cannot tell (state, pool, pool size).
func Explain(p *Plan, d *topology.Desired) {
	p.Notes = nil
	// Only the servers at a name an address change is at matter.
	changed := map[string]bool{}
	for _, z := range p.Zones {
		for _, c := range z.Changes {
			if !c.Marker && (c.Type == "A" || c.Type == "AAAA") {
				changed[c.Name] = true
			}
		}
	}
	if len(changed) == 0 {
		return
	}
	byFQDN := map[string]topology.ServerInfo{}
	byPoolIP := map[[2]string]topology.ServerInfo{}
	pools := map[string]int{} // pool FQDN -> servers in the topology
	for _, s := range d.Servers {
		if changed[s.FQDN] {
			byFQDN[s.FQDN] = s
		}
		if changed[s.PoolFQDN] {
			byPoolIP[[2]string{s.PoolFQDN, s.IP.String()}] = s
			pools[s.PoolFQDN] = s.PoolSize
		}
	}
	for _, z := range p.Zones {
		var gone []string
		var goneTTL uint32
		seen := map[string]bool{}
		add := func(n Note) {
			key := n.subject() + "\x00" + n.Kind.Label()
			if seen[key] {
				return
			}
			seen[key] = true
			n.Zone = z.ID()
			p.Notes = append(p.Notes, n)
		}
		for _, c := range z.Changes {
			if c.Marker || (c.Type != "A" && c.Type != "AAAA") {
				continue
			}
			ttl := uint32(0)
			if c.Before != nil {
				ttl = c.Before.TTL
			}
			if _, isPool := pools[c.Name]; isPool {
				removed, added := valueSets(c)
				for _, ip := range removed {
					s, known := byPoolIP[[2]string{c.Name, ip}]
					switch {
					case known && s.State == topology.StateDraining:
						add(serverNote(NoteDraining, s, ttl))
					case known && s.State == topology.StateOffline:
						add(serverNote(NoteOffline, s, ttl))
					case !known:
						after := pools[c.Name]
						addr, _ := netip.ParseAddr(ip) // the values of A and AAAA RRsets are addresses
						add(Note{Kind: NoteRemovedFromPool, IP: addr, PoolFQDN: c.Name, PoolBefore: after + len(removed), PoolAfter: after, TTL: ttl})
					}
				}
				for _, ip := range added {
					if s, ok := byPoolIP[[2]string{c.Name, ip}]; ok {
						add(serverNote(NoteJoining, s, ttl))
					}
				}
				continue
			}
			if c.Action != Delete {
				continue
			}
			if s, ok := byFQDN[c.Name]; ok {
				if s.State == topology.StateOffline {
					add(serverNote(NoteOffline, s, ttl))
				}
				continue
			}
			gone = append(gone, c.Name)
			goneTTL = max(goneTTL, ttl)
		}
		if len(gone) > 0 {
			add(Note{Kind: NoteNamesRemoved, Names: gone, TTL: goneTTL})
		}
	}
	slices.SortStableFunc(p.Notes, func(a, b Note) int {
		return strings.Compare(a.Zone+a.subject(), b.Zone+b.subject())
	})
}

func serverNote(k NoteKind, s topology.ServerInfo, ttl uint32) Note {
	return Note{Kind: k, Server: s.Path, ServerName: s.Name, FQDN: s.FQDN, IP: s.IP, PoolFQDN: s.PoolFQDN, TTL: ttl}
}

func valueSets(c Change) (removed, added []string) {
	var before, after []string
	if c.Before != nil {
		before = c.Before.Values
	}
	if c.After != nil {
		after = c.After.Values
	}
	for _, v := range before {
		if !slices.Contains(after, v) {
			removed = append(removed, v)
		}
	}
	for _, v := range after {
		if !slices.Contains(before, v) {
			added = append(added, v)
		}
	}
	return removed, added
}
