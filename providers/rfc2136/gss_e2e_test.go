package rfc2136_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/topo-dns/topo/providers/internal/dnstest"
	"github.com/topo-dns/topo/providers/providertest"
)

// adPool is a pool of three Front End servers with its web services
// override, in a site of its own.
type adPool struct {
	site, name string
	net        int // the pool's servers are 10.0.<net>.11 to .13
}

var (
	redmond = adPool{"redmond", "pool01", 1}
	dublin  = adPool{"dublin", "pool02", 2}
)

// adTopology writes, as examples/contoso does, a topology of zone through
// a GSS-TSIG provider block as the README shows it: the SIP domain's
// internal records and one pool per site. server_name names the DC's SPN
// when server is an address.
func adTopology(t *testing.T, path, zone, server, serverName string, pools ...adPool) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, `name    = "contoso"
product = "sfb2015"

provider "rfc2136" "ad" {
  server   = %q
  auth     = "gss-tsig"
  realm    = "TOPO.TEST"
  username = "topo"
  password = env("TOPO_AD_PASSWORD")
`, server)
	if serverName != "" {
		fmt.Fprintf(&b, "  server_name = %q\n", serverName)
	}
	fmt.Fprintf(&b, `}

zone %[1]q {
  view     = "internal"
  provider = "rfc2136.ad"
  ttl      = 300
}

sip_domain %[1]q {
  pool = "pool01.%[1]s"
}
`, zone)
	for _, p := range pools {
		fmt.Fprintf(&b, `
site %[1]q {
  pool %[2]q {
    fqdn = "%[2]s.%[3]s"
    web_services {
      internal_fqdn = "webint%02[4]d.%[3]s"
      internal_vip  = "10.0.%[4]d.100"
    }
`, p.site, p.name, zone, p.net)
		for i := 1; i <= 3; i++ {
			fmt.Fprintf(&b, "    server \"fe%[1]d%[2]d\" {\n      fqdn = \"fe%[1]d%[2]d.%[3]s\"\n      ip   = \"10.0.%[1]d.1%[2]d\"\n    }\n", p.net, i, zone)
		}
		b.WriteString("  }\n}\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// adRun is the topo binary run against one secure server.
type adRun struct {
	t        *testing.T
	bin      string
	env      []string
	password string
	path     string
	zone     string
	server   string
	// serverName is the provider's server_name, when server is an
	// address the DC's SPN is not named after.
	serverName string
	// tickets, when not nil, counts the service tickets the KDC issued
	// for the server's SPN so far.
	tickets func() int
}

// run runs topo and requires exit code want; it never prints the password.
func (r *adRun) run(step string, want int, args ...string) (stdout, stderr string) {
	r.t.Helper()
	out, errOut, code := providertest.RunTopo(r.t, r.bin, r.env, args...)
	if strings.Contains(out+errOut, r.password) {
		r.t.Fatalf("%s: topo printed the password", step)
	}
	if code != want {
		r.t.Fatalf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", step, code, want, out, errOut)
	}
	r.t.Logf("%s: topo %s\n%s%s", step, strings.Join(args, " "), out, errOut)
	return out, errOut
}

// says requires text to hold every one of want.
func says(t *testing.T, step, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s does not say %q:\n%s", step, w, text)
		}
	}
}

// publish publishes the topology and requires one negotiated context for
// the whole run (one service ticket: plan read, write, proof read).
func (r *adRun) publish(step string, args ...string) string {
	r.t.Helper()
	before := 0
	if r.tickets != nil {
		before = r.tickets()
	}
	out, _ := r.run(step, 0, append([]string{"publish", "--auto-approve"}, args...)...)
	says(r.t, step, out, fmt.Sprintf("zone %s (internal): written to %s and checked there", r.zone, r.server))
	if r.tickets != nil {
		if n := r.tickets() - before; n != 1 {
			r.t.Errorf("%s: the KDC issued %d service tickets, want 1: one GSS-TSIG context for the whole publish", step, n)
		}
	}
	return out
}

// lifecycle runs, with the topo binary, what an operator does with a zone
// of an Active Directory DC that will not transfer it, every read by
// names: publish two pools, re-plan empty, verify; drain a server and
// resume it; remove a pool from the file, which the name index makes topo
// see and delete (past the mass-change guard, through a saved plan);
// re-plan empty and verify again; verify against another DC that has not
// replicated differs.
func (r *adRun) lifecycle(otherDC string) {
	t := r.t
	adTopology(t, r.path, r.zone, r.server, r.serverName, redmond, dublin)
	index := "contoso._topo-index." + r.zone

	out, _ := r.run("plan", 2, "plan", "--detailed-exitcode", r.path)
	says(t, "plan", out,
		"read name by name from "+r.server, "ownership and conflict checks cover these",
		"server "+r.server+": read, written and verified there",
		"no name index "+index+" yet: this publish writes it",
		"name index created (13 names)")
	r.publish("publish", r.path)
	if out, _ = r.run("re-plan", 0, "plan", "--detailed-exitcode", r.path); !strings.Contains(out, "No changes") {
		t.Errorf("re-plan after publish:\n%s", out)
	}
	r.run("verify", 0, "verify", r.path)
	if got := answer(t, r.server, index, dns.TypeTXT); !slices.Equal(got, []string{
		"_sipinternaltls._tcp fe11 fe12 fe13 fe21 fe22 fe23 lyncdiscoverinternal pool01 pool02 sip webint01 webint02",
	}) {
		t.Errorf("%s TXT = %q", index, got)
	}

	// Drain fe12: out of pool01, its own name still resolves.
	r.run("drain", 0, "drain", "-f", r.path, "fe12")
	r.publish("publish the drain", r.path)
	r.run("verify the drain", 0, "verify", r.path)
	if got := answer(t, r.server, "pool01."+r.zone, dns.TypeA); !slices.Equal(got, []string{"10.0.1.11", "10.0.1.13"}) {
		t.Errorf("pool01 while fe12 drains = %v", got)
	}
	if got := answer(t, r.server, "fe12."+r.zone, dns.TypeA); !slices.Equal(got, []string{"10.0.1.12"}) {
		t.Errorf("fe12 while it drains = %v", got)
	}
	r.run("resume", 0, "resume", "-f", r.path, "fe12")
	r.publish("publish the resume", r.path)

	// Remove pool02 and its site from the file altogether.
	adTopology(t, r.path, r.zone, r.server, r.serverName, redmond)
	gone := []string{"fe21." + r.zone, "fe22." + r.zone, "fe23." + r.zone, "pool02." + r.zone, "webint02." + r.zone}
	out, _ = r.run("plan without pool02", 2, "plan", "--detailed-exitcode", r.path)
	says(t, "plan without pool02", out,
		"the name index "+index+" lists 5 name(s) no longer in the topology, read too",
		"- pool02."+r.zone+" A", "- fe21."+r.zone+" A", "no longer in the topology",
		"name index updated (8 names)", "0 to create, 0 to update, 5 to delete, plus 5 ownership markers to delete")
	js, _ := r.run("plan -o json", 2, "plan", "--detailed-exitcode", "-o", "json", r.path)
	var plan struct {
		Zones []struct {
			Server    string   `json:"server"`
			ReadNames []string `json:"read_names"`
			NameIndex struct {
				Name  string   `json:"name"`
				Found bool     `json:"found"`
				Gone  []string `json:"gone"`
			} `json:"name_index"`
			Changes []struct {
				Action string `json:"action"`
				Name   string `json:"name"`
				Index  bool   `json:"index"`
			} `json:"changes"`
		} `json:"zones"`
	}
	if err := json.Unmarshal([]byte(js), &plan); err != nil || len(plan.Zones) != 1 {
		t.Fatalf("plan -o json: %v\n%s", err, js)
	}
	z := plan.Zones[0]
	if z.Server != r.server || z.NameIndex.Name != index || !z.NameIndex.Found {
		t.Errorf("plan JSON: server %q, name index %+v", z.Server, z.NameIndex)
	}
	if diff := cmp.Diff(gone, z.NameIndex.Gone); diff != "" {
		t.Errorf("plan JSON name_index.gone (-want +got):\n%s", diff)
	}
	if last := z.Changes[len(z.Changes)-1]; !last.Index || last.Action != "update" || last.Name != index {
		t.Errorf("the index is not the plan's last change: %+v", last)
	}
	// 5 of the 13 RRsets topo owns: past the 30% guard, which sees them
	// only through the index.
	_, errOut := r.run("publish past the guard", 1, "publish", "--auto-approve", r.path)
	says(t, "publish past the guard", errOut, "refusing a mass change", "5 of 13 owned record sets")
	saved := filepath.Join(t.TempDir(), "plan.json")
	r.run("plan --out", 2, "plan", "--detailed-exitcode", "--out", saved, r.path)
	r.publish("publish the saved plan", "--allow-mass-change", saved)
	for _, n := range gone {
		if got := answer(t, r.server, n, dns.TypeA); len(got) != 0 {
			t.Errorf("%s still resolves to %v", n, got)
		}
		if got := answer(t, r.server, "_topo."+n, dns.TypeTXT); len(got) != 0 {
			t.Errorf("the marker of %s is still there: %v", n, got)
		}
	}
	if out, _ = r.run("re-plan without pool02", 0, "plan", "--detailed-exitcode", r.path); !strings.Contains(out, "No changes") {
		t.Errorf("re-plan after removing pool02:\n%s", out)
	}
	r.run("verify without pool02", 0, "verify", r.path)

	// Another DC that has not replicated the changes: verify --server
	// asks it and finds DNS differs.
	out, _ = r.run("verify --server another DC", 2, "verify", "--server", otherDC, r.path)
	says(t, "verify --server another DC", out, "pool01."+r.zone)
}

// answer asks server for name's records of type t, as strings.
func answer(t *testing.T, server, name string, qt uint16) []string {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qt)
	c := &dns.Client{Net: "tcp"}
	r, _, err := c.Exchange(m, server)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, rr := range r.Answer {
		switch v := rr.(type) {
		case *dns.A:
			out = append(out, v.A.String())
		case *dns.TXT:
			out = append(out, strings.Join(v.Txt, ""))
		}
	}
	slices.Sort(out)
	return out
}

// otherDC is a DNS server holding zone as a domain controller does before
// replication brings it topo's changes: the zone, empty.
func otherDC(t *testing.T, zone string) string {
	return dnstest.StartBIND(t, dnstest.BINDOptions{Zones: []string{zone}}).Addr
}

// TestNoTransferZoneByNames: closed.test on the GSS-TSIG BIND refuses
// every transfer; the operator's whole lifecycle runs through name reads.
func TestNoTransferZoneByNames(t *testing.T) {
	k := dnstest.StartKDC(t, dnstest.KDCOptions{})
	b := dnstest.StartBIND(t, dnstest.BINDOptions{
		Zones:      []string{"closed.test"},
		GSSKeytab:  k.ServiceKeytab(),
		GSSGrant:   []string{"topo@" + k.Realm},
		NoTransfer: []string{"closed.test"},
		Env:        k.Env(),
	})
	r := &adRun{
		t: t, bin: providertest.TopoBinary(t), password: k.Passwords["topo"],
		env:  []string{"TOPO_AD_PASSWORD=" + k.Passwords["topo"], "KRB5_CONFIG=" + k.Config, "NO_COLOR=1"},
		path: filepath.Join(t.TempDir(), "topology.hcl"), zone: "closed.test", server: b.Addr,
		tickets: func() int { return strings.Count(k.Log(), "for DNS/127.0.0.1@"+k.Realm) },
	}
	r.lifecycle(otherDC(t, "closed.test"))
}

// TestSambaPublishAndVerify runs the same lifecycle against the Samba AD
// DC: server is its address, server_name its name for the SPN.
func TestSambaPublishAndVerify(t *testing.T) {
	s := dnstest.StartSamba(t)
	r := &adRun{
		t: t, bin: providertest.TopoBinary(t), password: s.Passwords["topo"],
		env:  []string{"TOPO_AD_PASSWORD=" + s.Passwords["topo"], "KRB5_CONFIG=" + s.Config, "NO_COLOR=1"},
		path: filepath.Join(t.TempDir(), "topology.hcl"), zone: s.Zone, server: s.Addr, serverName: s.Host,
	}
	r.lifecycle(otherDC(t, s.Zone))
}
