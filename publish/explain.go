package publish

import (
	"fmt"
	"slices"
	"strings"

	"github.com/topo-dns/topo/topology"
)

// Lifecycle is what a plan does to one server.
type Lifecycle string

// The lifecycle events a plan explains.
const (
	Draining Lifecycle = "draining"
	Offline  Lifecycle = "offline"
	Removed  Lifecycle = "removed"
	Joining  Lifecycle = "joining"
)

// Note explains a server's lifecycle change in DNS terms: what happens,
// when it takes effect, and what the operator does next.
type Note struct {
	Zone     string    `json:"zone"`
	Server   string    `json:"server"`
	Event    Lifecycle `json:"event"`
	PoolFQDN string    `json:"pool_fqdn,omitempty"`
	// TTL is how long resolvers may still hand out the old answer after
	// publish, in seconds.
	TTL uint32 `json:"ttl"`
	// DNS says what changes in DNS; Next lists the operator's next steps.
	DNS  string   `json:"dns"`
	Next []string `json:"next,omitempty"`
}

// Explain adds notes to the plan for every server it drains, takes
// offline, removes or returns to a pool, using the compiled topology for
// what DNS alone cannot tell (state, pool, pool size).
func Explain(p *Plan, d *topology.Desired) {
	byFQDN := make(map[string]topology.ServerInfo, len(d.Servers))
	byPoolIP := make(map[[2]string]topology.ServerInfo, len(d.Servers))
	pools := make(map[string]int) // pool FQDN -> servers in the topology
	for _, s := range d.Servers {
		byFQDN[s.FQDN] = s
		byPoolIP[[2]string{s.PoolFQDN, s.IP.String()}] = s
		pools[s.PoolFQDN] = s.PoolSize
	}
	p.Notes = nil
	for _, z := range p.Zones {
		var gone []string
		var goneTTL uint32
		seen := map[string]bool{}
		add := func(n Note) {
			if seen[n.Server+string(n.Event)] {
				return
			}
			seen[n.Server+string(n.Event)] = true
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
						add(drainNote(s, ttl))
					case known && s.State == topology.StateOffline:
						add(offlineNote(s, ttl))
					case !known:
						add(removedNote(ip, c.Name, pools[c.Name], len(removed), ttl))
					}
				}
				for _, ip := range added {
					if s, ok := byPoolIP[[2]string{c.Name, ip}]; ok {
						add(Note{Server: s.Path, Event: Joining, PoolFQDN: s.PoolFQDN, TTL: ttl,
							DNS: fmt.Sprintf("%s (%s) joins %s: new clients may be sent to it as soon as the publish lands.", s.Name, ip, s.PoolFQDN)})
					}
				}
				continue
			}
			if c.Action != Delete {
				continue
			}
			if s, ok := byFQDN[c.Name]; ok {
				if s.State == topology.StateOffline {
					add(offlineNote(s, ttl))
				}
				continue
			}
			gone = append(gone, c.Name)
			goneTTL = max(goneTTL, ttl)
		}
		if len(gone) > 0 {
			add(Note{Server: strings.Join(gone, ", "), Event: Removed, TTL: goneTTL,
				DNS:  fmt.Sprintf("No longer in the topology, so their records are deleted: %s. Resolvers may still return them for up to %s after publish.", strings.Join(gone, ", "), seconds(goneTTL)),
				Next: []string{"If this takes servers or pools out of the deployment, remove them in Topology Builder too and publish the topology (Publish-CsTopology); publishing a pool change restarts every server in the pool at once, so plan a window."}})
		}
	}
	slices.SortStableFunc(p.Notes, func(a, b Note) int {
		return strings.Compare(a.Zone+a.Server, b.Zone+b.Server)
	})
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

func drainNote(s topology.ServerInfo, ttl uint32) Note {
	return Note{
		Server: s.Path, Event: Draining, PoolFQDN: s.PoolFQDN, TTL: ttl,
		DNS: fmt.Sprintf("%s (%s) is draining: it leaves %s, so no new client is sent to it, and keeps its own record %s for existing sessions and server-to-server traffic. Clients may still resolve it through the pool for up to %s after publish.",
			s.Name, s.IP, s.PoolFQDN, s.FQDN, seconds(ttl)),
		Next: []string{
			fmt.Sprintf("After the TTL has passed, drain the server itself: Stop-CsWindowsService -ComputerName %s -Graceful (existing calls and sessions end naturally).", s.FQDN),
			fmt.Sprintf("For patching: Invoke-CsComputerFailOver -ComputerName %s (waits up to an hour for sessions to drain), patch, then Invoke-CsComputerFailBack -ComputerName %s and 'topo resume %s'.", s.FQDN, s.FQDN, s.Name),
			"Draining servers count against pool quorum: keep enough of the pool running.",
		},
	}
}

func offlineNote(s topology.ServerInfo, ttl uint32) Note {
	return Note{
		Server: s.Path, Event: Offline, PoolFQDN: s.PoolFQDN, TTL: ttl,
		DNS: fmt.Sprintf("%s (%s) is offline: it leaves %s and its own record %s is deleted, so no client can reach it by name once %s have passed after publish.",
			s.Name, s.IP, s.PoolFQDN, s.FQDN, seconds(ttl)),
		Next: []string{
			"Make sure the server was drained first (Stop-CsWindowsService -Graceful), or its sessions drop.",
			"Offline servers count against pool quorum; 'topo resume " + s.Name + "' returns it.",
		},
	}
}

func removedNote(ip, pool string, after, removedHere int, ttl uint32) Note {
	n := Note{
		Server: ip, Event: Removed, PoolFQDN: pool, TTL: ttl,
		DNS:  fmt.Sprintf("%s is no longer in the topology: it leaves %s. Resolvers may return it for up to %s after publish.", ip, pool, seconds(ttl)),
		Next: []string{"Publishing the pool change to Lync / Skype for Business (Publish-CsTopology) restarts every server in the pool at once: plan a maintenance window."},
	}
	before := after + removedHere
	if (before > 2 && after <= 2) || (before > 3 && after <= 3) {
		n.Next = append(n.Next, fmt.Sprintf("The pool goes from %d to %d servers, crossing the 2/3-server quorum boundary: after publishing the topology run Reset-CsPoolRegistrarState -PoolFqdn %s -ResetType QuorumLossRecovery.", before, after, pool))
	}
	return n
}

func seconds(ttl uint32) string {
	if ttl == 0 {
		return "the record's TTL"
	}
	if ttl%60 == 0 {
		return fmt.Sprintf("%d s (%d min)", ttl, ttl/60)
	}
	return fmt.Sprintf("%d s", ttl)
}
