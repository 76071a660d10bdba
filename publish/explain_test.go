package publish_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/publish"
)

// The topologies the note rules are tested on, written as an operator
// would: one zone for both views unless the test splits them.

func topoHCL(product, zones string, sites ...string) string {
	if zones == "" {
		zones = "zone \"contoso.com\" {\n  ttl = 300\n}\n"
	}
	return fmt.Sprintf("name    = \"contoso\"\nproduct = %q\n%s%s", product, zones, strings.Join(sites, ""))
}

func siteBlock(name string, pools ...string) string {
	return fmt.Sprintf("site %q {\n%s}\n", name, strings.Join(pools, ""))
}

// srv is a server block; state "" is active.
func srv(name, ip, state string) string {
	s := fmt.Sprintf("    server %q {\n      fqdn = \"%s.contoso.com\"\n      ip   = %q\n", name, name, ip)
	if state != "" {
		s += fmt.Sprintf("      state = %q\n", state)
	}
	return s + "    }\n"
}

// servers are n active servers name1..nameN at prefix.1..prefix.N.
func servers(name, prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = srv(fmt.Sprintf("%s%d", name, i+1), fmt.Sprintf("%s.%d", prefix, i+1), "")
	}
	return out
}

// dnsPool is a DNS-load-balanced pool of role (frontend, director) with
// its web services override; attrs go inside the pool block.
func dnsPool(name, role, attrs string, servers ...string) string {
	return fmt.Sprintf("  pool %q {\n    role = %q\n    fqdn = \"%s.contoso.com\"\n%s    web_services {\n      internal_fqdn = \"web-%s.contoso.com\"\n      internal_vip  = \"10.9.%d.100\"\n    }\n%s  }\n",
		name, role, name, attrs, name, len(name), strings.Join(servers, ""))
}

const splitZones = "zone \"contoso.com\" {\n  view = \"internal\"\n  ttl  = 300\n}\nzone \"contoso.com\" {\n  view = \"external\"\n  ttl  = 300\n}\n"

// edgePool is a DNS-load-balanced Edge pool whose servers e1..eN have the
// internal addresses 172.25.33.1N and Access Edge addresses
// 131.107.155.1N at sip.contoso.com; states per server ("" active).
func edgePool(states ...string) string {
	var b strings.Builder
	b.WriteString("  pool \"edge\" {\n    role = \"edge\"\n    fqdn = \"edgepool.contoso.com\"\n    edge {\n      access_fqdn = \"sip.contoso.com\"\n    }\n")
	for i, st := range states {
		fmt.Fprintf(&b, "    server \"e%d\" {\n      fqdn = \"e%d.contoso.com\"\n      ip   = \"172.25.33.1%d\"\n", i+1, i+1, i+1)
		if st != "" {
			fmt.Fprintf(&b, "      state = %q\n", st)
		}
		fmt.Fprintf(&b, "      edge {\n        access_ip = \"131.107.155.1%d\"\n      }\n    }\n", i+1)
	}
	b.WriteString("  }\n")
	return b.String()
}

// note is what a test checks of a Note.
type note struct {
	Kind              publish.NoteKind
	Zone              string
	Server, IP, Old   string
	Pool              string
	Before, After     int
	Added, Removed    []string
	Names             []string
	Backup            string
	TTL               uint32
	Product, PoolPath string
}

func notesOf(p *publish.Plan) []note {
	var out []note
	for _, n := range p.Notes {
		nn := note{Kind: n.Kind, Zone: n.Zone, Server: n.ServerName, Pool: n.PoolFQDN, Before: n.PoolBefore, After: n.PoolAfter,
			Added: n.Added, Removed: n.Removed, Names: n.Names, Backup: n.BackupFQDN, TTL: n.TTL, Product: string(n.Product), PoolPath: n.Pool}
		if n.IP.IsValid() {
			nn.IP = n.IP.String()
		}
		if n.OldIP.IsValid() {
			nn.Old = n.OldIP.String()
		}
		out = append(out, nn)
	}
	return out
}

func renderText(t *testing.T, p *publish.Plan) string {
	t.Helper()
	var b bytes.Buffer
	if err := publish.WriteText(&b, p, publish.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestExplain: every note rule, a topology before and after in, the notes
// and what the text says out (issue 9 item 12, issue 12 item 4).
func TestExplain(t *testing.T) {
	const both = "contoso.com (both)"
	fe3 := func(product, state3 string) string {
		return topoHCL(product, "", siteBlock("a", dnsPool("pool01", "frontend", "", srv("fe1", "10.0.1.1", ""), srv("fe2", "10.0.1.2", ""), srv("fe3", "10.0.1.3", state3))))
	}
	feN := func(product string, n int) string {
		return topoHCL(product, "", siteBlock("a", dnsPool("pool01", "frontend", "", servers("fe", "10.0.1", n)...)))
	}
	drained := func(product string) note {
		return note{Kind: publish.NoteDraining, Zone: both, Server: "fe3", IP: "10.0.1.3", Pool: "pool01.contoso.com", TTL: 300, Product: product, PoolPath: "site.a.pool.pool01"}
	}
	resized := func(product string, before, after int, added, removed []string) note {
		return note{Kind: publish.NotePoolResized, Zone: both, Pool: "pool01.contoso.com", Before: before, After: after, Added: added, Removed: removed, TTL: 300, Product: product, PoolPath: "site.a.pool.pool01"}
	}
	joined := func(name, ip string) note {
		return note{Kind: publish.NoteJoining, Zone: both, Server: name, IP: ip, Pool: "pool01.contoso.com", Product: "sfb2015", PoolPath: "site.a.pool.pool01"}
	}
	left := func(ip, fqdn string, before, after int, product string) note {
		return note{Kind: publish.NoteRemovedFromPool, Zone: both, IP: ip, Pool: "pool01.contoso.com", Before: before, After: after, TTL: 300, Product: product, PoolPath: "site.a.pool.pool01"}
	}
	gone := func(product string, names ...string) note {
		return note{Kind: publish.NoteNamesRemoved, Zone: both, Names: names, TTL: 300, Product: product}
	}
	// The restart sentences, quoted once per pool.
	const restartAll, restartOne = "publishing the topology restarts all servers of the pool at the same time", "restart the Front End servers one at a time"
	fullReset := "Reset-CsPoolRegistrarState -ResetType FullReset -PoolFqdn pool01.contoso.com, then Start-CsPool -PoolFqdn pool01.contoso.com"
	renumbered := func(n int, prefix string) string {
		return topoHCL("sfb2015", "", siteBlock("a", dnsPool("pool01", "frontend", "", servers("fe", prefix, n)...)))
	}

	for _, tc := range []struct {
		name          string
		before, after string
		want          []note
		has, not      []string
		// count pins how often a sentence appears in the text.
		count map[string]int
	}{
		{
			name:   "draining, Skype for Business Server 2015: FailOver and FailBack",
			before: fe3("sfb2015", ""), after: fe3("sfb2015", "draining"),
			want: []note{drained("sfb2015")},
			has: []string{"fe3 (10.0.1.3) is draining: it leaves pool01.contoso.com", "Stop-CsWindowsService -ComputerName fe3.contoso.com -Graceful",
				"Invoke-CsComputerFailOver -ComputerName fe3.contoso.com", "Invoke-CsComputerFailBack -ComputerName fe3.contoso.com and 'topo resume fe3'", "count against pool quorum"},
		},
		{
			name:   "draining, Skype for Business Server 2019: FailOver and FailBack",
			before: fe3("sfb2019", ""), after: fe3("sfb2019", "draining"),
			want: []note{drained("sfb2019")},
			has:  []string{"Invoke-CsComputerFailOver", "count against pool quorum"},
		},
		{
			name:   "draining, Lync Server 2013: no FailOver, the services stopped gracefully",
			before: fe3("lync2013", ""), after: fe3("lync2013", "draining"),
			want: []note{drained("lync2013")},
			has:  []string{"Stop-CsWindowsService -ComputerName fe3.contoso.com -Graceful", "Start-CsWindowsService -ComputerName fe3.contoso.com", "count against pool quorum"},
			not:  []string{"Invoke-CsComputerFailOver", "Invoke-CsComputerFailBack"},
		},
		{
			name:   "draining, Lync Server 2010: no FailOver, no pool quorum",
			before: fe3("lync2010", ""), after: fe3("lync2010", "draining"),
			want: []note{drained("lync2010")},
			has:  []string{"Stop-CsWindowsService -ComputerName fe3.contoso.com -Graceful"},
			not:  []string{"Invoke-CsComputerFailOver", "quorum"},
		},
		{
			name:   "offline from active: leaves the pool and loses its own record",
			before: fe3("sfb2015", ""), after: fe3("sfb2015", "offline"),
			want: []note{{Kind: publish.NoteOffline, Zone: both, Server: "fe3", IP: "10.0.1.3", Pool: "pool01.contoso.com", TTL: 300, Product: "sfb2015", PoolPath: "site.a.pool.pool01"}},
			has:  []string{"fe3 (10.0.1.3) is offline: it leaves pool01.contoso.com and its own record fe3.contoso.com is deleted", "Offline servers count against pool quorum"},
			not:  []string{"No longer in the topology", "pool size"},
		},
		{
			name:   "offline after draining: only its own record goes",
			before: fe3("sfb2015", "draining"), after: fe3("sfb2015", "offline"),
			want: []note{{Kind: publish.NoteOffline, Zone: both, Server: "fe3", IP: "10.0.1.3", Pool: "pool01.contoso.com", TTL: 300, Product: "sfb2015", PoolPath: "site.a.pool.pool01"}},
		},
		{
			name:   "resumed: joins the pool again, and is not an added server",
			before: fe3("sfb2015", "draining"), after: fe3("sfb2015", ""),
			want: []note{joined("fe3", "10.0.1.3")},
			has:  []string{"fe3 (10.0.1.3) joins pool01.contoso.com: new clients may be sent to it"},
			not:  []string{"pool size", "Reset-CsPoolRegistrarState"},
		},
		{
			name:   "a new pool: its servers join in one sentence, no resize",
			before: topoHCL("sfb2015", ""), after: feN("sfb2015", 4),
			want:  []note{joined("fe1", "10.0.1.1"), joined("fe2", "10.0.1.2"), joined("fe3", "10.0.1.3"), joined("fe4", "10.0.1.4")},
			has:   []string{"4 servers join pool01.contoso.com: fe1 (10.0.1.1), fe2 (10.0.1.2), fe3 (10.0.1.3) and fe4 (10.0.1.4). New clients may be sent to them"},
			not:   []string{"pool size", "Reset-CsPoolRegistrarState", "restart"},
			count: map[string]int{"[joining]": 1},
		},
		{
			name:   "2 to 3 servers: the registrar reset, then Start-CsPool",
			before: feN("sfb2015", 2), after: feN("sfb2015", 3),
			want:  []note{resized("sfb2015", 2, 3, []string{"fe3"}, nil), joined("fe3", "10.0.1.3")},
			has:   []string{"Pool pool01.contoso.com goes from 2 to 3 Front End servers: fe3 added.", fullReset, "Not -QuorumLossRecovery"},
			count: map[string]int{restartAll: 1, restartOne: 1},
		},
		{
			name:   "3 to 2 servers, one removed while active: the reset too",
			before: feN("sfb2015", 3), after: feN("sfb2015", 2),
			want:  []note{resized("sfb2015", 3, 2, nil, []string{"fe3.contoso.com"}), left("10.0.1.3", "fe3.contoso.com", 3, 2, "sfb2015"), gone("sfb2015", "fe3.contoso.com")},
			has:   []string{"goes from 3 to 2 Front End servers: fe3.contoso.com removed.", fullReset, "10.0.1.3 (fe3.contoso.com) is no longer in the topology: it leaves pool01.contoso.com"},
			count: map[string]int{restartAll: 1, restartOne: 1},
		},
		{
			name:   "3 to 2 servers, Lync Server 2013: the reset, then the services (no Start-CsPool)",
			before: feN("lync2013", 3), after: feN("lync2013", 2),
			want: []note{resized("lync2013", 3, 2, nil, []string{"fe3.contoso.com"}), left("10.0.1.3", "fe3.contoso.com", 3, 2, "lync2013"), gone("lync2013", "fe3.contoso.com")},
			has:  []string{"Reset-CsPoolRegistrarState -ResetType FullReset -PoolFqdn pool01.contoso.com, then start the Front End services on every server"},
			not:  []string{"then Start-CsPool"},
		},
		{
			name:   "3 to 2 servers, Lync Server 2010: no Windows Fabric, no reset",
			before: feN("lync2010", 3), after: feN("lync2010", 2),
			want:  []note{resized("lync2010", 3, 2, nil, []string{"fe3.contoso.com"}), left("10.0.1.3", "fe3.contoso.com", 3, 2, "lync2010"), gone("lync2010", "fe3.contoso.com")},
			not:   []string{"Reset-CsPoolRegistrarState"},
			count: map[string]int{restartAll: 1},
		},
		{
			name:   "4 to 3 servers: any to 3 resets",
			before: feN("sfb2015", 4), after: feN("sfb2015", 3),
			want: []note{resized("sfb2015", 4, 3, nil, []string{"fe4.contoso.com"}), left("10.0.1.4", "fe4.contoso.com", 4, 3, "sfb2015"), gone("sfb2015", "fe4.contoso.com")},
			has:  []string{fullReset},
		},
		{
			name:   "4 to 1 server: neither end is 2 or 3, no reset",
			before: feN("sfb2015", 4), after: feN("sfb2015", 1),
			want: []note{
				resized("sfb2015", 4, 1, nil, []string{"fe2.contoso.com", "fe3.contoso.com", "fe4.contoso.com"}),
				left("10.0.1.2", "fe2.contoso.com", 4, 1, "sfb2015"), left("10.0.1.3", "fe3.contoso.com", 4, 1, "sfb2015"), left("10.0.1.4", "fe4.contoso.com", 4, 1, "sfb2015"),
				gone("sfb2015", "fe2.contoso.com", "fe3.contoso.com", "fe4.contoso.com"),
			},
			has:   []string{"goes from 4 to 1 Front End servers", "3 addresses no longer in the topology leave pool01.contoso.com: 10.0.1.2 (fe2.contoso.com), 10.0.1.3 (fe3.contoso.com) and 10.0.1.4 (fe4.contoso.com)."},
			not:   []string{"Reset-CsPoolRegistrarState"},
			count: map[string]int{restartAll: 1, restartOne: 1, "[removed]": 2},
		},
		{
			name:   "a server replaced by one at its address: the pool keeps its size",
			before: feN("sfb2015", 3),
			after:  topoHCL("sfb2015", "", siteBlock("a", dnsPool("pool01", "frontend", "", srv("fe1", "10.0.1.1", ""), srv("fe2", "10.0.1.2", ""), srv("fe9", "10.0.1.3", "")))),
			want: []note{
				func() note {
					n := resized("sfb2015", 3, 3, []string{"fe9"}, []string{"fe3.contoso.com"})
					n.TTL = 0 // the pool FQDN does not change: no old answer to wait out
					return n
				}(),
				gone("sfb2015", "fe3.contoso.com"),
			},
			has:   []string{"Pool pool01.contoso.com keeps 3 Front End servers: fe9 added, fe3.contoso.com removed."},
			not:   []string{"Reset-CsPoolRegistrarState"},
			count: map[string]int{restartAll: 1},
		},
		{
			name:   "6 to 4 servers: the restart sentences once for the pool, no reset",
			before: feN("sfb2015", 6), after: feN("sfb2015", 4),
			want: []note{
				resized("sfb2015", 6, 4, nil, []string{"fe5.contoso.com", "fe6.contoso.com"}),
				left("10.0.1.5", "fe5.contoso.com", 6, 4, "sfb2015"), left("10.0.1.6", "fe6.contoso.com", 6, 4, "sfb2015"),
				gone("sfb2015", "fe5.contoso.com", "fe6.contoso.com"),
			},
			not:   []string{"Reset-CsPoolRegistrarState"},
			count: map[string]int{restartAll: 1, restartOne: 1},
		},
		{
			name:   "a renumbered 12-server pool: new addresses, not removals, no restart",
			before: renumbered(12, "10.0.1"), after: renumbered(12, "10.1.1"),
			want: func() []note {
				var out []note
				for i := 1; i <= 12; i++ {
					out = append(out, note{Kind: publish.NoteRenumbered, Zone: both, Server: fmt.Sprintf("fe%d", i), IP: fmt.Sprintf("10.1.1.%d", i), Old: fmt.Sprintf("10.0.1.%d", i), Pool: "pool01.contoso.com", TTL: 300, Product: "sfb2015", PoolPath: "site.a.pool.pool01"})
				}
				return out
			}(),
			has:   []string{"12 servers of pool01.contoso.com move to new addresses: fe1 10.0.1.1 -> 10.1.1.1, fe2 10.0.1.2 -> 10.1.1.2,", "each dead address costs them a connect timeout"},
			not:   []string{"restart", "pool size", "Reset-CsPoolRegistrarState", "no longer in the topology"},
			count: map[string]int{"[new address]": 1},
		},
		{
			name:   "a renumbered 2-server Director: it keeps its 2 servers",
			before: topoHCL("sfb2015", "", siteBlock("a", dnsPool("dir01", "director", "", servers("dir", "10.0.2", 2)...))),
			after:  topoHCL("sfb2015", "", siteBlock("a", dnsPool("dir01", "director", "", servers("dir", "10.1.2", 2)...))),
			want: []note{
				{Kind: publish.NoteRenumbered, Zone: both, Server: "dir1", IP: "10.1.2.1", Old: "10.0.2.1", Pool: "dir01.contoso.com", TTL: 300, Product: "sfb2015", PoolPath: "site.a.pool.dir01"},
				{Kind: publish.NoteRenumbered, Zone: both, Server: "dir2", IP: "10.1.2.2", Old: "10.0.2.2", Pool: "dir01.contoso.com", TTL: 300, Product: "sfb2015", PoolPath: "site.a.pool.dir01"},
			},
			not: []string{"4 to 2", "goes from", "restart"},
		},
		{
			name:   "a Director pool grows: Topology Builder, no Front End advice",
			before: topoHCL("sfb2015", "", siteBlock("a", dnsPool("dir01", "director", "", servers("dir", "10.0.2", 2)...))),
			after:  topoHCL("sfb2015", "", siteBlock("a", dnsPool("dir01", "director", "", servers("dir", "10.0.2", 3)...))),
			want: []note{
				{Kind: publish.NotePoolResized, Zone: both, Pool: "dir01.contoso.com", Before: 2, After: 3, Added: []string{"dir3"}, TTL: 300, Product: "sfb2015", PoolPath: "site.a.pool.dir01"},
				{Kind: publish.NoteJoining, Zone: both, Server: "dir3", IP: "10.0.2.3", Pool: "dir01.contoso.com", Product: "sfb2015", PoolPath: "site.a.pool.dir01"},
			},
			has: []string{"Pool dir01.contoso.com goes from 2 to 3 servers: dir3 added.", "Change the pool in Topology Builder too"},
			not: []string{"restart", "Reset-CsPoolRegistrarState"},
		},
		{
			name:   "a draining Edge server leaves its external names too, which are not removed names",
			before: topoHCL("sfb2015", splitZones, siteBlock("a", edgePool("", ""))),
			after:  topoHCL("sfb2015", splitZones, siteBlock("a", edgePool("", "draining"))),
			want:   []note{{Kind: publish.NoteDraining, Zone: "contoso.com (internal)", Server: "e2", IP: "172.25.33.12", Pool: "edgepool.contoso.com", Names: []string{"sip.contoso.com"}, TTL: 300, Product: "sfb2015", PoolPath: "site.a.pool.edge"}},
			has:    []string{"e2 (172.25.33.12) is draining: it leaves edgepool.contoso.com and the external name sip.contoso.com, so no new client is sent to it", "Stop-CsWindowsService -ComputerName e2.contoso.com -Graceful"},
			not:    []string{"Invoke-CsComputerFailOver", "quorum", "No longer in the topology"},
		},
		{
			name:   "the last active Edge server draining: its external name's records go, still not a removed name",
			before: topoHCL("sfb2015", splitZones, siteBlock("a", edgePool("", "draining"))),
			after:  topoHCL("sfb2015", splitZones, siteBlock("a", edgePool("draining", "draining"))),
			want:   []note{{Kind: publish.NoteDraining, Zone: "contoso.com (internal)", Server: "e1", IP: "172.25.33.11", Pool: "edgepool.contoso.com", Names: []string{"sip.contoso.com"}, TTL: 300, Product: "sfb2015", PoolPath: "site.a.pool.edge"}},
			not:    []string{"No longer in the topology", "removed"},
		},
		{
			name:   "a Standard Edition server offline: its one name goes",
			before: topoHCL("sfb2015", "", siteBlock("a", "  pool \"se\" {\n    edition = \"standard\"\n    fqdn    = \"se.contoso.com\"\n    server \"se\" {\n      ip = \"10.0.5.10\"\n    }\n  }\n")),
			after:  topoHCL("sfb2015", "", siteBlock("a", "  pool \"se\" {\n    edition = \"standard\"\n    fqdn    = \"se.contoso.com\"\n    server \"se\" {\n      ip    = \"10.0.5.10\"\n      state = \"offline\"\n    }\n  }\n")),
			want:   []note{{Kind: publish.NoteOffline, Zone: both, Server: "se", IP: "10.0.5.10", Pool: "se.contoso.com", TTL: 300, Product: "sfb2015", PoolPath: "site.a.pool.se"}},
			not:    []string{"No longer in the topology", "pool size"},
		},
		{
			name:   "a new pair of pools: one pairing note",
			before: topoHCL("sfb2015", ""),
			after: topoHCL("sfb2015", "", siteBlock("a", dnsPool("pool01", "frontend", "    backup_pool = \"pool02.contoso.com\"\n", servers("fe", "10.0.1", 3)...)),
				siteBlock("b", dnsPool("pool02", "frontend", "", servers("be", "10.0.2", 3)...))),
			want: []note{
				{Kind: publish.NotePairing, Zone: both, Pool: "pool01.contoso.com", After: 3, Backup: "pool02.contoso.com", Product: "sfb2015", PoolPath: "site.a.pool.pool01"},
				joined("fe1", "10.0.1.1"), joined("fe2", "10.0.1.2"), joined("fe3", "10.0.1.3"),
				{Kind: publish.NoteJoining, Zone: both, Server: "be1", IP: "10.0.2.1", Pool: "pool02.contoso.com", Product: "sfb2015", PoolPath: "site.b.pool.pool02"},
				{Kind: publish.NoteJoining, Zone: both, Server: "be2", IP: "10.0.2.2", Pool: "pool02.contoso.com", Product: "sfb2015", PoolPath: "site.b.pool.pool02"},
				{Kind: publish.NoteJoining, Zone: both, Server: "be3", IP: "10.0.2.3", Pool: "pool02.contoso.com", Product: "sfb2015", PoolPath: "site.b.pool.pool02"},
			},
			has:   []string{"Pool pool01.contoso.com is new, and paired with pool02.contoso.com for disaster recovery (backup_pool).", "the Backup Service copies user and conference data", "Invoke-CsBackupServiceSync -PoolFqdn pool01.contoso.com"},
			count: map[string]int{"[pairing]": 1},
		},
		{
			name: "a paired pool changes size: the pairing note says what it means",
			before: topoHCL("sfb2015", "", siteBlock("a", dnsPool("pool01", "frontend", "    backup_pool = \"pool02.contoso.com\"\n", servers("fe", "10.0.1", 4)...)),
				siteBlock("b", dnsPool("pool02", "frontend", "", servers("be", "10.0.2", 3)...))),
			after: topoHCL("sfb2015", "", siteBlock("a", dnsPool("pool01", "frontend", "    backup_pool = \"pool02.contoso.com\"\n", servers("fe", "10.0.1", 5)...)),
				siteBlock("b", dnsPool("pool02", "frontend", "", servers("be", "10.0.2", 3)...))),
			want: []note{
				resized("sfb2015", 4, 5, []string{"fe5"}, nil),
				{Kind: publish.NotePairing, Zone: both, Pool: "pool01.contoso.com", Before: 4, After: 5, Backup: "pool02.contoso.com", Product: "sfb2015", PoolPath: "site.a.pool.pool01"},
				joined("fe5", "10.0.1.5"),
			},
			has: []string{"Pool pool01.contoso.com goes from 4 to 5 servers while paired with pool02.contoso.com", "After a failover one pool carries the users of both"},
			not: []string{"Reset-CsPoolRegistrarState"},
		},
		{
			name:   "an unpaired pool changes size: no pairing note",
			before: feN("sfb2015", 4), after: feN("sfb2015", 5),
			want: []note{resized("sfb2015", 4, 5, []string{"fe5"}, nil), joined("fe5", "10.0.1.5")},
			not:  []string{"pairing", "Backup Service"},
		},
		{
			name:   "nothing changes: no notes",
			before: feN("sfb2015", 3), after: feN("sfb2015", 3),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			z := zones{}
			z.apply(z.plan(compileHCL(t, tc.before)))
			p := z.plan(compileHCL(t, tc.after))
			if diff := cmp.Diff(tc.want, notesOf(p)); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
			text := renderText(t, p)
			notes := text
			if i := strings.Index(text, "What this means for servers"); i >= 0 {
				notes = text[i:]
			} else {
				notes = ""
			}
			for _, s := range tc.has {
				if !strings.Contains(notes, s) {
					t.Errorf("the notes lack %q:\n%s", s, notes)
				}
			}
			for _, s := range tc.not {
				if strings.Contains(notes, s) {
					t.Errorf("the notes say %q:\n%s", s, notes)
				}
			}
			for s, n := range tc.count {
				if got := strings.Count(notes, s); got != n {
					t.Errorf("the notes say %q %d times, want %d:\n%s", s, got, n, notes)
				}
			}
		})
	}
}
