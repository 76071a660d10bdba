package topology

import (
	"cmp"
	"slices"

	"github.com/hashicorp/hcl/v2"
)

// Pairing is two Front End pools paired for disaster recovery, as the
// topology declares it: the Backup Service replicates between them, and
// either can take the other's users.
type Pairing struct {
	// Pool and Backup are topology paths; PoolFQDN and BackupFQDN their
	// pool FQDNs.
	Pool       string `json:"pool"`
	PoolFQDN   string `json:"pool_fqdn"`
	Backup     string `json:"backup"`
	BackupFQDN string `json:"backup_fqdn"`
}

// checkPairings checks every backup_pool (issue: a Front End pool, in
// another site, of the same edition, paired with one pool at most, the
// two naming each other if both name one) and lists the pairs.
func (v *validator) checkPairings() {
	partner := map[*poolInfo]*poolInfo{}
	declared := map[*poolInfo]*poolInfo{} // who named whom
	for _, s := range v.f.Sites {
		for _, p := range s.Pools {
			if p.BackupPool == nil {
				continue
			}
			pi := v.poolInfo[fold(p.FQDN)]
			if pi == nil || pi.pool != p {
				continue // the pool's own FQDN is invalid or taken: reported
			}
			if pi.role != RoleFrontend {
				v.errorf(p.BackupPoolRange, "Backup pool on a pool that is not a Front End pool", "Pool %q is a %s pool; pool pairing for disaster recovery pairs Front End pools. Remove backup_pool.", p.Name, pi.role)
				continue
			}
			b, ok := v.poolInfo[fold(*p.BackupPool)]
			switch {
			case !ok:
				v.errorf(p.BackupPoolRange, "Unknown pool", "No pool in the topology has the FQDN %q. backup_pool names the FQDN of the Front End pool this one is paired with.", *p.BackupPool)
				continue
			case b == pi:
				v.errorf(p.BackupPoolRange, "Pool paired with itself", "Pool %q names itself as its backup pool; a backup pool is another Front End pool, in another site.", p.Name)
				continue
			case b.role != RoleFrontend:
				v.errorf(p.BackupPoolRange, "Backup pool is not a Front End pool", "Pool %q is a %s pool; a Front End pool is paired with another Front End pool.", b.pool.Name, b.role)
				continue
			case b.standalone != pi.standalone:
				v.warnf(p.BackupPoolRange, "Pools of different editions paired", "Pool %q is %s and pool %q is %s. Enterprise Edition pools pair only with Enterprise Edition pools and Standard Edition servers with Standard Edition servers; Topology Builder allows the pairing, but Microsoft does not support it.", p.Name, editionText(pi), b.pool.Name, editionText(b))
			case b.site == pi.site:
				v.warnf(p.BackupPoolRange, "Backup pool in the same site", "Pool %q and its backup pool %q are both in site %q: a disaster that takes the site takes both. Pair pools in two sites, far enough apart that one disaster does not hit both.", p.Name, b.pool.Name, pi.site.Name)
			}
			declared[pi] = b
			if prev, taken := partner[b]; taken && prev != pi {
				v.errorf(p.BackupPoolRange, "Pool paired twice", "Pool %q is already the backup pool of pool %q (%s); a pool is paired with one pool at most.", b.pool.Name, prev.pool.Name, at(pairedAt(prev.pool)))
				continue
			}
			if prev, taken := partner[pi]; taken && prev != b {
				v.errorf(p.BackupPoolRange, "Pool paired twice", "Pool %q is already paired with pool %q (%s); a pool is paired with one pool at most.", p.Name, prev.pool.Name, at(pairedAt(prev.pool)))
				continue
			}
			partner[pi], partner[b] = b, pi
		}
	}
	seen := map[*poolInfo]bool{}
	for pi, b := range declared {
		if partner[pi] != b || seen[pi] || seen[b] {
			continue
		}
		seen[pi], seen[b] = true, true
		a, c := pi, b
		if c.path < a.path {
			a, c = c, a
		}
		v.pairs = append(v.pairs, Pairing{Pool: a.path, PoolFQDN: fold(a.pool.FQDN), Backup: c.path, BackupFQDN: fold(c.pool.FQDN)})
	}
	slices.SortFunc(v.pairs, func(x, y Pairing) int { return cmp.Compare(x.Pool, y.Pool) })
}

// pairedAt is where a pool's pairing is written: its backup_pool, or the
// pool itself when another pool names it.
func pairedAt(p *Pool) hcl.Range {
	if p.BackupPool != nil {
		return p.BackupPoolRange
	}
	return p.DefRange
}

func editionText(pi *poolInfo) string {
	if pi.standalone {
		return "a Standard Edition server"
	}
	return "an Enterprise Edition pool"
}
