package publish

import (
	"fmt"
	"strings"

	"github.com/topo-dns/topo/topology"
)

// noteGroup is what the views write as one item: a pool-wide note, or the
// notes of one kind about the servers of one pool in one zone.
type noteGroup []Note

// groupNotes groups consecutive server notes of one kind, pool and zone;
// Explain orders notes so that they are consecutive.
func groupNotes(notes []Note) []noteGroup {
	var out []noteGroup
	for _, n := range notes {
		if l := len(out) - 1; l >= 0 && n.Kind.perServer() {
			last := out[l][0]
			if last.Kind == n.Kind && last.Zone == n.Zone && last.Pool == n.Pool && last.PoolFQDN == n.PoolFQDN {
				out[l] = append(out[l], n)
				continue
			}
		}
		out = append(out, noteGroup{n})
	}
	return out
}

// ttl is the longest TTL of the group's notes.
func (g noteGroup) ttl() uint32 {
	var t uint32
	for _, n := range g {
		t = max(t, n.TTL)
	}
	return t
}

// product is the product the advice is for.
func (n Note) product() topology.Product {
	if n.Product == "" {
		return topology.DefaultProduct
	}
	return n.Product
}

// hasComputerFailOver: Invoke-CsComputerFailOver and -FailBack exist from
// Skype for Business Server 2015 on.
func hasComputerFailOver(p topology.Product) bool {
	return p == topology.ProductSfB2015 || p == topology.ProductSfB2019
}

// hasFabric: Front End pools have Windows Fabric quorum (and
// Reset-CsPoolRegistrarState) from Lync Server 2013 on.
func hasFabric(p topology.Product) bool { return p != topology.ProductLync2010 }

// crossesTwoOrThree reports whether a pool's count of Front End servers
// changes to or from 2 or 3, which needs the registrar state reset
// (manage-front-end-servers.md): 2 to any, any to 2, 3 to any, any to 3.
func crossesTwoOrThree(before, after int) bool {
	return before != after && (before == 2 || before == 3 || after == 2 || after == 3)
}

// list writes items as "a, b and c", the first limit of them followed by
// "and N more" when limit >= 0 cuts the list.
func list(items []string, limit int) string {
	if limit >= 0 && len(items) > limit {
		shown := items[:limit]
		if len(shown) == 0 {
			return num(len(items))
		}
		return fmt.Sprintf("%s and %s more", strings.Join(shown, ", "), num(len(items)-limit))
	}
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return num(n) + " " + many
}

// servers writes the group's servers: "fe01 (10.0.0.11)".
func (g noteGroup) servers(limit int) string {
	items := make([]string, len(g))
	for i, n := range g {
		items[i] = fmt.Sprintf("%s (%s)", n.ServerName, n.IP)
	}
	return list(items, limit)
}

func (g noteGroup) fqdns(limit int) string {
	items := make([]string, len(g))
	for i, n := range g {
		items[i] = n.FQDN
	}
	return list(items, limit)
}

// extra writes the load-balanced names besides the pool FQDN that the
// group's servers leave or join: " and the external names a, b".
func (g noteGroup) extra() string {
	var names []string
	seen := map[string]bool{}
	for _, n := range g {
		for _, x := range n.Names {
			if !seen[x] {
				seen[x] = true
				names = append(names, x)
			}
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " and the external " + map[bool]string{true: "name ", false: "names "}[len(names) == 1] + list(names, -1)
}

// prose writes a group as the text and Markdown views show it: what
// changes in DNS, and the operator's next steps. limit >= 0 cuts the lists
// of servers and names to that many. ok is false for a kind this topo does
// not know (a plan saved by another version), which the views leave out.
func (g noteGroup) prose(limit int) (dns string, next []string, ok bool) {
	n := g[0]
	product := n.product()
	frontEnd := n.Role == topology.RoleFrontend || n.Role == ""
	one := len(g) == 1
	switch n.Kind {
	case NoteDraining:
		if one {
			dns = fmt.Sprintf("%s (%s) is draining: it leaves %s%s, so no new client is sent to it, and keeps its own record %s for existing sessions and server-to-server traffic.", n.ServerName, n.IP, n.PoolFQDN, g.extra(), n.FQDN)
		} else {
			dns = fmt.Sprintf("%d servers of %s are draining: %s. They leave %s%s, so no new client is sent to them, and keep their own records for existing sessions and server-to-server traffic.", len(g), n.PoolFQDN, g.servers(limit), n.PoolFQDN, g.extra())
		}
		dns += fmt.Sprintf(" Clients may still resolve them through the pool for up to %s after publish.", seconds(g.ttl()))
		if one {
			dns = strings.Replace(dns, "resolve them", "resolve it", 1)
		}
		computer, resume := n.FQDN, "'topo resume "+n.ServerName+"'"
		if !one {
			computer, resume = "<server>", "'topo resume <server>'"
		}
		if one {
			next = append(next, fmt.Sprintf("After the TTL has passed, drain the server itself: Stop-CsWindowsService -ComputerName %s -Graceful (existing calls and sessions end naturally).", computer))
		} else {
			next = append(next, fmt.Sprintf("After the TTL has passed, drain each server itself: Stop-CsWindowsService -ComputerName <server> -Graceful for each of %s (existing calls and sessions end naturally).", g.fqdns(limit)))
		}
		if frontEnd && hasComputerFailOver(product) {
			next = append(next, fmt.Sprintf("For patching: Invoke-CsComputerFailOver -ComputerName %s (waits up to an hour for sessions to drain), patch, then Invoke-CsComputerFailBack -ComputerName %s and %s.", computer, computer, resume))
		} else {
			next = append(next, fmt.Sprintf("For patching: once its sessions have ended, patch the server, start its services again (Start-CsWindowsService -ComputerName %s) and run %s.", computer, resume))
		}
		if frontEnd && hasFabric(product) {
			next = append(next, "Draining servers count against pool quorum: keep enough of the pool running.")
		}
		return dns, next, true
	case NoteOffline:
		if one {
			dns = fmt.Sprintf("%s (%s) is offline: it leaves %s%s and its own record %s is deleted, so no client can reach it by name once %s have passed after publish.", n.ServerName, n.IP, n.PoolFQDN, g.extra(), n.FQDN, seconds(g.ttl()))
		} else {
			dns = fmt.Sprintf("%d servers of %s are offline: %s. They leave %s%s and their own records are deleted, so no client can reach them by name once %s have passed after publish.", len(g), n.PoolFQDN, g.servers(limit), n.PoolFQDN, g.extra(), seconds(g.ttl()))
		}
		resume := "'topo resume " + n.ServerName + "' returns it"
		if !one {
			resume = "'topo resume <server>' returns one"
		}
		next = append(next, "Make sure the server was drained first (Stop-CsWindowsService -Graceful), or its sessions drop.")
		if frontEnd && hasFabric(product) {
			next = append(next, "Offline servers count against pool quorum; "+resume+".")
		} else {
			next = append(next, strings.ToUpper(resume[:1])+resume[1:]+".")
		}
		return dns, next, true
	case NoteJoining:
		if one {
			return fmt.Sprintf("%s (%s) joins %s%s: new clients may be sent to it as soon as the publish lands.", n.ServerName, n.IP, n.PoolFQDN, g.extra()), nil, true
		}
		return fmt.Sprintf("%d servers join %s%s: %s. New clients may be sent to them as soon as the publish lands.", len(g), n.PoolFQDN, g.extra(), g.servers(limit)), nil, true
	case NoteRenumbered:
		items := make([]string, len(g))
		for i, m := range g {
			items[i] = fmt.Sprintf("%s %s -> %s", m.ServerName, m.OldIP, m.IP)
		}
		if one {
			dns = fmt.Sprintf("%s moves from %s to %s: its own record %s and %s answer with the new address.", n.ServerName, n.OldIP, n.IP, n.FQDN, n.PoolFQDN)
		} else {
			dns = fmt.Sprintf("%d servers of %s move to new addresses: %s. Their own records and the pool's answer with the new addresses.", len(g), n.PoolFQDN, list(items, limit))
		}
		dns += fmt.Sprintf(" For up to %s after publish, clients may still get an old address and try it first: each dead address costs them a connect timeout before they try the next one.", seconds(g.ttl()))
		return dns, []string{"Keep the old addresses answering until the TTL has passed, or change them in a quiet hour."}, true
	case NoteRemovedFromPool:
		items := make([]string, len(g))
		for i, m := range g {
			items[i] = m.IP.String()
			if m.FQDN != "" {
				items[i] += " (" + m.FQDN + ")"
			}
		}
		if one {
			dns = fmt.Sprintf("%s is no longer in the topology: it leaves %s.", items[0], n.PoolFQDN)
		} else {
			dns = fmt.Sprintf("%d addresses no longer in the topology leave %s: %s.", len(g), n.PoolFQDN, list(items, limit))
		}
		them := "them"
		if one {
			them = "it"
		}
		return dns + fmt.Sprintf(" Resolvers may return %s for up to %s after publish.", them, seconds(g.ttl())), nil, true
	case NoteNamesRemoved:
		return fmt.Sprintf("No longer in the topology, so their records are deleted: %s. Resolvers may still return them for up to %s after publish.", list(n.Names, limit), seconds(n.TTL)),
			[]string{"If this takes servers or pools out of the deployment, remove them in Topology Builder too and publish the topology (Publish-CsTopology)."}, true
	case NotePoolResized:
		return n.resizedProse(limit)
	case NotePairing:
		return n.pairingProse()
	}
	return "", nil, false
}

func (n Note) resizedProse(limit int) (string, []string, bool) {
	var what []string
	if len(n.Added) > 0 {
		what = append(what, list(n.Added, limit)+" added")
	}
	if len(n.Removed) > 0 {
		what = append(what, list(n.Removed, limit)+" removed")
	}
	role := "servers"
	if n.Role == topology.RoleFrontend {
		role = "Front End servers"
	}
	dns := fmt.Sprintf("Pool %s goes from %d to %d %s: %s.", n.PoolFQDN, n.PoolBefore, n.PoolAfter, role, strings.Join(what, ", "))
	if n.PoolBefore == n.PoolAfter {
		dns = fmt.Sprintf("Pool %s keeps %d %s: %s.", n.PoolFQDN, n.PoolAfter, role, strings.Join(what, ", "))
	}
	if len(n.Added) > 0 {
		dns += " (A server counts as added when its own record is new in DNS: one that only returns from offline was in the pool all along.)"
	}
	next := []string{"Change the pool in Topology Builder too and publish the topology (Publish-CsTopology)."}
	if n.Role != topology.RoleFrontend {
		return dns, next, true
	}
	next = append(next, "Microsoft's pages disagree on restarts after a Front End pool changes: manage-front-end-servers.md says publishing the topology restarts all servers of the pool at the same time; high-availability.md and the Lync Server 2013 page on adding and removing Front End servers say to restart the Front End servers one at a time. Plan a maintenance window for the pool either way.")
	if !crossesTwoOrThree(n.PoolBefore, n.PoolAfter) || !hasFabric(n.product()) {
		return dns, next, true
	}
	reset := fmt.Sprintf("Reset-CsPoolRegistrarState -ResetType FullReset -PoolFqdn %s", n.PoolFQDN)
	start := fmt.Sprintf("Start-CsPool -PoolFqdn %s", n.PoolFQDN)
	if n.product() == topology.ProductLync2013 {
		start = "start the Front End services on every server of the pool (Start-CsWindowsService; Lync Server 2013 has no Start-CsPool)"
	}
	next = append(next, fmt.Sprintf("The number of Front End servers goes from %d to %d, to or from 2 or 3: after publishing the topology run %s, then %s. Not -QuorumLossRecovery: that is for a pool that lost quorum, not for a resize.", n.PoolBefore, n.PoolAfter, reset, start))
	return dns, next, true
}

func (n Note) pairingProse() (string, []string, bool) {
	dns := fmt.Sprintf("Pool %s is new, and paired with %s for disaster recovery (backup_pool).", n.PoolFQDN, n.BackupFQDN)
	if n.PoolBefore > 0 {
		dns = fmt.Sprintf("Pool %s goes from %d to %d servers while paired with %s for disaster recovery (backup_pool).", n.PoolFQDN, n.PoolBefore, n.PoolAfter, n.BackupFQDN)
	}
	if !hasFabric(n.product()) {
		dns += " In Lync Server 2010 the backup pool is a backup Registrar: while a pool is down its users can sign in to the other, with limited features; no data is copied between them."
		return dns, []string{"Set the backup Registrar in Topology Builder too and publish the topology (Publish-CsTopology)."}, true
	}
	dns += " Each pool is the other's backup: the Backup Service copies user and conference data between them, and when one fails its users can be signed in to the other (Invoke-CsPoolFailOver, then Invoke-CsPoolFailBack once it is back)."
	if n.PoolBefore > 0 {
		return dns, []string{fmt.Sprintf("After a failover one pool carries the users of both: check that %s and %s can.", n.PoolFQDN, n.BackupFQDN)}, true
	}
	return dns, []string{fmt.Sprintf("Pair the pools in Topology Builder too and publish the topology (Publish-CsTopology), then copy the data now rather than at the next synchronization: Invoke-CsBackupServiceSync -PoolFqdn %s, and the same for %s.", n.PoolFQDN, n.BackupFQDN)}, true
}

// seconds writes a TTL for people: "300 s (5 min)".
func seconds(ttl uint32) string {
	if ttl == 0 {
		return "the record's TTL"
	}
	if ttl%60 == 0 {
		return fmt.Sprintf("%d s (%d min)", ttl, ttl/60)
	}
	return fmt.Sprintf("%d s", ttl)
}
