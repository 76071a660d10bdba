package publish

import (
	"fmt"
	"strings"
)

// prose writes a note as the text and Markdown views show it: what
// changes in DNS, and the operator's next steps. ok is false for a kind
// this topo does not know (a plan saved by another version), which the
// views leave out.
func (n Note) prose() (dns string, next []string, ok bool) {
	switch n.Kind {
	case NoteDraining:
		return fmt.Sprintf("%s (%s) is draining: it leaves %s, so no new client is sent to it, and keeps its own record %s for existing sessions and server-to-server traffic. Clients may still resolve it through the pool for up to %s after publish.",
				n.ServerName, n.IP, n.PoolFQDN, n.FQDN, seconds(n.TTL)),
			[]string{
				fmt.Sprintf("After the TTL has passed, drain the server itself: Stop-CsWindowsService -ComputerName %s -Graceful (existing calls and sessions end naturally).", n.FQDN),
				fmt.Sprintf("For patching: Invoke-CsComputerFailOver -ComputerName %s (waits up to an hour for sessions to drain), patch, then Invoke-CsComputerFailBack -ComputerName %s and 'topo resume %s'.", n.FQDN, n.FQDN, n.ServerName),
				"Draining servers count against pool quorum: keep enough of the pool running.",
			}, true
	case NoteOffline:
		return fmt.Sprintf("%s (%s) is offline: it leaves %s and its own record %s is deleted, so no client can reach it by name once %s have passed after publish.",
				n.ServerName, n.IP, n.PoolFQDN, n.FQDN, seconds(n.TTL)),
			[]string{
				"Make sure the server was drained first (Stop-CsWindowsService -Graceful), or its sessions drop.",
				"Offline servers count against pool quorum; 'topo resume " + n.ServerName + "' returns it.",
			}, true
	case NoteJoining:
		return fmt.Sprintf("%s (%s) joins %s: new clients may be sent to it as soon as the publish lands.", n.ServerName, n.IP, n.PoolFQDN), nil, true
	case NoteRemovedFromPool:
		next = []string{"Publishing the pool change to Lync / Skype for Business (Publish-CsTopology) restarts every server in the pool at once: plan a maintenance window."}
		if crossesQuorumBoundary(n.PoolBefore, n.PoolAfter) {
			next = append(next, fmt.Sprintf("The pool goes from %d to %d servers, crossing the 2/3-server quorum boundary: after publishing the topology run Reset-CsPoolRegistrarState -PoolFqdn %s -ResetType QuorumLossRecovery.", n.PoolBefore, n.PoolAfter, n.PoolFQDN))
		}
		return fmt.Sprintf("%s is no longer in the topology: it leaves %s. Resolvers may return it for up to %s after publish.", n.IP, n.PoolFQDN, seconds(n.TTL)), next, true
	case NoteNamesRemoved:
		names := strings.Join(n.Names, ", ")
		return fmt.Sprintf("No longer in the topology, so their records are deleted: %s. Resolvers may still return them for up to %s after publish.", names, seconds(n.TTL)),
			[]string{"If this takes servers or pools out of the deployment, remove them in Topology Builder too and publish the topology (Publish-CsTopology); publishing a pool change restarts every server in the pool at once, so plan a window."}, true
	}
	return "", nil, false
}

// crossesQuorumBoundary reports whether a pool shrinking from before to
// after servers crosses 3 -> 2 or 4 -> 3, where pool quorum works
// differently and the registrar state needs a reset.
func crossesQuorumBoundary(before, after int) bool {
	return (before > 2 && after <= 2) || (before > 3 && after <= 3)
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
