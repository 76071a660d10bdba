package publish

import (
	"cmp"
	"net/netip"
	"slices"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/topology"
)

// NoteKind is what a plan does to a server or a pool, as a note reports
// it. The text and Markdown views turn each kind and its fields into
// sentences; the plan's JSON keeps the kind and the fields.
type NoteKind string

// The kinds of note a plan carries. Server notes are one per server; the
// views write the notes of one kind about one pool as one sentence.
const (
	// NoteDraining: a draining server leaves its pool's load-balanced
	// names and keeps its own record (Server, ServerName, FQDN, IP, Pool,
	// PoolFQDN, Role, Names, TTL).
	NoteDraining NoteKind = "draining"
	// NoteOffline: an offline server leaves its pool's load-balanced names
	// and its own record is deleted (as NoteDraining).
	NoteOffline NoteKind = "offline"
	// NoteJoining: a server joins its pool's load-balanced names (Server,
	// ServerName, FQDN, IP, Pool, PoolFQDN, Role, Names).
	NoteJoining NoteKind = "joining"
	// NoteRenumbered: a server's own record moves to a new address (Server,
	// ServerName, FQDN, IP, OldIP, Pool, PoolFQDN, Role, TTL).
	NoteRenumbered NoteKind = "renumbered"
	// NoteRemovedFromPool: an address no longer in the topology leaves a
	// load-balanced name of a pool (IP, FQDN when a deleted name held it,
	// Pool, PoolFQDN: the name it leaves, Role, PoolBefore, PoolAfter, TTL).
	NoteRemovedFromPool NoteKind = "removed_from_pool"
	// NoteNamesRemoved: names no longer in the topology are deleted
	// (Names, TTL).
	NoteNamesRemoved NoteKind = "names_removed"
	// NotePoolResized: a pool gains or loses servers (Pool, PoolFQDN, Role,
	// PoolBefore, PoolAfter, Added, Removed, TTL): the topology must change
	// in Topology Builder too, and a Front End pool whose count goes to or
	// from 2 or 3 needs its registrar state reset.
	NotePoolResized NoteKind = "pool_resized"
	// NotePairing: a pool paired for disaster recovery is new or changes
	// size (Pool, PoolFQDN, Backup, BackupFQDN, PoolBefore (0 for a new
	// pool), PoolAfter).
	NotePairing NoteKind = "pairing"
)

// Label is the word the views tag a note with: the server's new state,
// "removed", "pool size", ...
func (k NoteKind) Label() string {
	switch k {
	case NoteRemovedFromPool, NoteNamesRemoved:
		return "removed"
	case NoteRenumbered:
		return "new address"
	case NotePoolResized:
		return "pool size"
	}
	return string(k)
}

// rank orders a pool's notes: what concerns the whole pool first.
func (k NoteKind) rank() int {
	return slices.Index([]NoteKind{NotePoolResized, NotePairing, NoteDraining, NoteOffline, NoteRenumbered, NoteJoining, NoteRemovedFromPool, NoteNamesRemoved}, k)
}

// perServer reports whether notes of the kind are one per server or
// address, which the views group per pool.
func (k NoteKind) perServer() bool {
	switch k {
	case NoteDraining, NoteOffline, NoteJoining, NoteRenumbered, NoteRemovedFromPool:
		return true
	}
	return false
}

// Note explains what a plan means for a server or a pool in DNS terms:
// what happens, when it takes effect, and what the operator does next. It
// is data; the views write the prose.
type Note struct {
	// Zone is the zone and view the change is in: "contoso.com (internal)".
	Zone string `json:"zone"`
	// Kind says what happens; the fields it uses are listed with each
	// NoteKind.
	Kind NoteKind `json:"kind"`
	// Product is the topology's product, which decides the advice (which
	// cmdlets exist, whether the pool has Windows Fabric quorum); empty in
	// a plan saved before notes carried it, read as the default product.
	Product topology.Product `json:"product,omitempty"`
	// Server is the server's topology path, ServerName its name and FQDN
	// its own name; empty for an address or names the topology no longer
	// has, except FQDN, which then names a deleted name that held the
	// address, when one did.
	Server     string `json:"server,omitempty"`
	ServerName string `json:"server_name,omitempty"`
	FQDN       string `json:"fqdn,omitempty"`
	// IP is the server's address, or the address leaving the pool; OldIP
	// the address a renumbered server had.
	IP    netip.Addr `json:"ip,omitzero"`
	OldIP netip.Addr `json:"old_ip,omitzero"`
	// Pool is the pool's topology path, PoolFQDN its FQDN (for
	// NoteRemovedFromPool, the load-balanced name the address leaves) and
	// Role its role.
	Pool     string        `json:"pool,omitempty"`
	PoolFQDN string        `json:"pool_fqdn,omitempty"`
	Role     topology.Role `json:"role,omitempty"`
	// PoolBefore and PoolAfter count the pool's servers before and after
	// the change, whatever their state.
	PoolBefore int `json:"pool_before,omitempty"`
	PoolAfter  int `json:"pool_after,omitempty"`
	// Added and Removed are the servers a pool gains and loses
	// (NotePoolResized): server names, and for a server the topology no
	// longer has, the deleted name that held its address, or the address.
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
	// Backup and BackupFQDN are the pool paired with Pool (NotePairing).
	Backup     string `json:"backup,omitempty"`
	BackupFQDN string `json:"backup_fqdn,omitempty"`
	// Names are the names deleted (NoteNamesRemoved), or the load-balanced
	// names besides PoolFQDN a server leaves or joins: an Edge server's
	// external FQDNs.
	Names []string `json:"names,omitempty"`
	// TTL is how long resolvers may still hand out the old answer after
	// publish, in seconds; 0 when unknown.
	TTL uint32 `json:"ttl"`
}

// nameAt is a name a change is at, in its zone.
type nameAt struct {
	name, zone string
	ttl        uint32
}

// serverSeen is what the plan does to one server.
type serverSeen struct {
	left, joined []nameAt // load-balanced names its address leaves, joins
	own          *nameAt  // its own name, when it changes
	ownAction    Action
	oldIPs       []netip.Addr // its own name's addresses before, when they move
}

// poolSeen is what the plan does to one pool.
type poolSeen struct {
	path, fqdn string
	role       topology.Role
	servers    []int // indexes into Desired.Servers, in topology order
	// at is the change at the pool FQDN, when there is one; created is
	// set when it creates the pool FQDN.
	at      *nameAt
	created bool
	// left are addresses no server of the pool has that leave one of its
	// load-balanced names.
	left []leftAddr
}

type leftAddr struct {
	nameAt
	ip netip.Addr
}

// Explain adds notes to the plan for every server it drains, takes
// offline, renumbers, removes or returns to a pool, for every pool that
// gains or loses servers, and for every paired pool that is new or
// changes size, using the compiled topology for what DNS alone cannot
// tell (state, pool, product, pairings).
//
// A server counts as added to a pool when its own record is new in DNS, as
// removed when an address no server has leaves its pool FQDN: a server
// that returns from offline counts as added, and one removed after it was
// drained (its address already out of the pool FQDN) is only a deleted
// name, DNS holding no trace of its pool.
func Explain(p *Plan, d *topology.Desired) {
	p.Notes = nil
	changed := false
	for _, z := range p.Zones {
		for _, c := range z.Changes {
			changed = changed || isAddrChange(c)
		}
	}
	if !changed {
		return
	}

	// The topology, indexed by name.
	member := map[string]map[netip.Addr]int{} // load-balanced name -> address -> server
	poolOfName := map[string]*poolSeen{}
	own := map[string]int{} // a server's own FQDN -> server
	inTopology := map[string]bool{}
	pools := map[string]*poolSeen{}
	var poolList []*poolSeen
	for i, s := range d.Servers {
		ps := pools[s.Pool]
		if ps == nil {
			ps = &poolSeen{path: s.Pool, fqdn: s.PoolFQDN, role: s.Role}
			pools[s.Pool] = ps
			poolList = append(poolList, ps)
		}
		ps.servers = append(ps.servers, i)
		for _, b := range s.Balanced {
			if member[b.Name] == nil {
				member[b.Name] = map[netip.Addr]int{}
			}
			member[b.Name][b.IP] = i
			poolOfName[b.Name] = ps
			inTopology[b.Name] = true
		}
		if _, balanced := member[s.FQDN]; !balanced {
			own[s.FQDN] = i
		}
		inTopology[s.FQDN] = true
		inTopology[s.PoolFQDN] = true
	}
	for _, zr := range d.Zones {
		for _, r := range zr.Records {
			inTopology[r.Name] = true
		}
	}

	// What the plan does to each server and pool.
	seen := make([]serverSeen, len(d.Servers))
	deletedAt := map[netip.Addr]string{} // an address -> a deleted name that held it
	type gone struct {
		names []string
		ttl   uint32
	}
	goneIn := map[string]*gone{}
	zoneRank := map[string]int{}
	for zi, z := range p.Zones {
		zoneRank[z.ID()] = zi
		for _, c := range z.Changes {
			if !isAddrChange(c) {
				continue
			}
			at := nameAt{name: c.Name, zone: z.ID()}
			if c.Before != nil {
				at.ttl = c.Before.TTL
			}
			if m, ok := member[c.Name]; ok {
				ps := poolOfName[c.Name]
				if c.Name == ps.fqdn && ps.at == nil {
					ps.at, ps.created = &at, c.Action == Create
				}
				removed, added := addrSets(c)
				for _, a := range added {
					if i, ok := m[a]; ok {
						seen[i].joined = append(seen[i].joined, at)
					}
				}
				for _, a := range removed {
					if i, ok := m[a]; ok {
						seen[i].left = append(seen[i].left, at)
					} else {
						ps.left = append(ps.left, leftAddr{at, a})
					}
				}
				continue
			}
			if i, ok := own[c.Name]; ok {
				sv := &seen[i]
				sv.own, sv.ownAction = &at, c.Action
				if c.Action == Update {
					before, _ := addrSets(c)
					sv.oldIPs = before
				}
				continue
			}
			if c.Action == Delete && !inTopology[c.Name] {
				g := goneIn[z.ID()]
				if g == nil {
					g = &gone{}
					goneIn[z.ID()] = g
				}
				g.names = append(g.names, c.Name)
				g.ttl = max(g.ttl, at.ttl)
				for _, v := range c.Before.Values {
					if a, err := netip.ParseAddr(v); err == nil {
						deletedAt[a] = c.Name
					}
				}
			}
		}
	}

	type keyed struct {
		note Note
		zone int
		pool string // pool FQDN; "" sorts the zone's deleted names last
		idx  int    // server order within the pool
	}
	var out []keyed
	add := func(n Note, ps *poolSeen, idx int) {
		n.Product = d.Product
		k := keyed{note: n, zone: zoneRank[n.Zone], idx: idx}
		if ps != nil {
			k.pool = ps.fqdn
			k.note.Pool, k.note.Role = ps.path, ps.role
			if k.note.PoolFQDN == "" {
				k.note.PoolFQDN = ps.fqdn
			}
		}
		out = append(out, k)
	}
	paired := map[topology.Pairing]bool{}
	for _, ps := range poolList {
		var added []string
		renumbered := map[netip.Addr]bool{}
		var first *nameAt // the first change about the pool
		touch := func(at nameAt) {
			if first == nil {
				first = &at
			}
		}
		for pos, i := range ps.servers {
			s, sv := d.Servers[i], seen[i]
			base := Note{Server: s.Path, ServerName: s.Name, FQDN: s.FQDN, IP: s.IP}
			moved := sv.own != nil && len(sv.oldIPs) > 0 && !slices.Contains(sv.oldIPs, s.IP)
			if moved {
				for _, a := range sv.oldIPs {
					renumbered[a] = true
				}
				n := base
				n.Kind, n.Zone, n.OldIP, n.TTL = NoteRenumbered, sv.own.zone, sv.oldIPs[0], sv.own.ttl
				add(n, ps, pos)
				touch(*sv.own)
			}
			switch {
			case s.State == topology.StateDraining && len(sv.left) > 0:
				add(leaving(base, NoteDraining, ps, sv.left), ps, pos)
				touch(sv.left[0])
			case s.State == topology.StateOffline && (len(sv.left) > 0 || sv.ownAction == Delete):
				at := sv.left
				if sv.own != nil {
					at = append(slices.Clone(at), *sv.own)
				}
				add(leaving(base, NoteOffline, ps, at), ps, pos)
				touch(at[0])
			case s.State == topology.StateActive && len(sv.joined) > 0 && !moved:
				n := leaving(base, NoteJoining, ps, sv.joined)
				n.TTL = 0
				add(n, ps, pos)
				touch(sv.joined[0])
			}
			if sv.ownAction == Create && !moved {
				added = append(added, s.Name)
				touch(*sv.own)
			}
		}
		var removed []string
		// In a pool that was there, a new server at the address of a
		// deleted name replaces it: its address never left the pool FQDN.
		for _, i := range ps.servers {
			s := d.Servers[i]
			if name, ok := deletedAt[s.IP]; ok && seen[i].ownAction == Create && ps.fqdn != s.FQDN && !ps.created {
				removed = append(removed, name)
			}
		}
		var left []Note
		for _, l := range ps.left {
			if l.name == ps.fqdn && renumbered[l.ip] {
				continue
			}
			if l.name == ps.fqdn {
				removed = append(removed, cmp.Or(deletedAt[l.ip], l.ip.String()))
			}
			left = append(left, Note{Kind: NoteRemovedFromPool, Zone: l.zone, IP: l.ip, FQDN: deletedAt[l.ip], PoolFQDN: l.name, TTL: l.ttl})
			touch(l.nameAt)
		}
		size := len(ps.servers)
		before := size - len(added) + len(removed)
		existed := size-len(added) > 0 || len(removed) > 0
		for _, n := range left {
			if n.PoolFQDN == ps.fqdn {
				n.PoolBefore, n.PoolAfter = before, size
			}
			add(n, ps, size)
		}
		if first == nil {
			continue
		}
		if ps.at != nil {
			first = ps.at
		}
		resized := existed && len(added)+len(removed) > 0 && !standalone(d, ps)
		if resized {
			add(Note{Kind: NotePoolResized, Zone: first.zone, PoolBefore: before, PoolAfter: size, Added: added, Removed: removed, TTL: first.ttl}, ps, -1)
		}
		if existed && !resized {
			continue
		}
		// A paired pool that is new or changes size: once a pair.
		for _, pair := range d.Pairings {
			other, otherFQDN := pair.Backup, pair.BackupFQDN
			switch ps.path {
			case pair.Pool:
			case pair.Backup:
				other, otherFQDN = pair.Pool, pair.PoolFQDN
			default:
				continue
			}
			if paired[pair] {
				continue
			}
			paired[pair] = true
			n := Note{Kind: NotePairing, Zone: first.zone, PoolAfter: size, Backup: other, BackupFQDN: otherFQDN}
			if existed {
				n.PoolBefore = before
			}
			add(n, ps, -1)
		}
	}
	for zone, g := range goneIn {
		add(Note{Kind: NoteNamesRemoved, Zone: zone, Names: g.names, TTL: g.ttl}, nil, 0)
	}
	slices.SortStableFunc(out, func(a, b keyed) int {
		if c := cmp.Compare(a.zone, b.zone); c != 0 {
			return c
		}
		if (a.pool == "") != (b.pool == "") {
			if a.pool == "" {
				return 1
			}
			return -1
		}
		return cmp.Or(
			CompareNames(a.pool, b.pool),
			cmp.Compare(a.note.Kind.rank(), b.note.Kind.rank()),
			cmp.Compare(a.idx, b.idx),
			a.note.IP.Compare(b.note.IP),
		)
	})
	for _, k := range out {
		p.Notes = append(p.Notes, k.note)
	}
}

// leaving is a server note about the load-balanced names at: the pool
// FQDN's zone and TTL when it is one of them, the other names in Names.
func leaving(n Note, k NoteKind, ps *poolSeen, at []nameAt) Note {
	n.Kind, n.Zone, n.TTL = k, at[0].zone, at[0].ttl
	for _, a := range at {
		switch {
		case a.name == ps.fqdn:
			n.Zone, n.TTL = a.zone, a.ttl
		case a.name != n.FQDN:
			n.Names = append(n.Names, a.name)
			n.TTL = max(n.TTL, a.ttl)
		}
	}
	return n
}

// standalone reports whether the pool is one server that is its own pool
// (a Standard Edition server): it has no size to change.
func standalone(d *topology.Desired, ps *poolSeen) bool {
	return len(ps.servers) == 1 && d.Servers[ps.servers[0]].FQDN == ps.fqdn
}

// isAddrChange reports whether c changes an address RRset (markers and
// other types tell nothing about servers).
func isAddrChange(c Change) bool {
	return !c.Marker && (c.Type == "A" || c.Type == "AAAA")
}

// addrSets returns the addresses an address change removes and adds, in
// order.
func addrSets(c Change) (removed, added []netip.Addr) {
	before, after := addrsOf(c.Before), addrsOf(c.After)
	for a := range before {
		if !after[a] {
			removed = append(removed, a)
		}
	}
	for a := range after {
		if !before[a] {
			added = append(added, a)
		}
	}
	slices.SortFunc(removed, netip.Addr.Compare)
	slices.SortFunc(added, netip.Addr.Compare)
	return removed, added
}

func addrsOf(s *providers.RRset) map[netip.Addr]bool {
	m := map[netip.Addr]bool{}
	if s == nil {
		return m
	}
	for _, v := range s.Values {
		if a, err := netip.ParseAddr(v); err == nil {
			m[a] = true
		}
	}
	return m
}
