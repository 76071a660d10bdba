package publish

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/topology"
)

func TestManagedNames(t *testing.T) {
	src := `name = "t"
zone "example.test" {
}
site "s" {
  pool "p" {
    fqdn = "pool.example.test"
    web_services {
      internal_fqdn = "web.example.test"
      internal_vip  = "10.0.0.100"
    }
    server "a" {
      fqdn = "a.example.test"
      ip   = "10.0.0.1"
    }
    server "b" {
      fqdn = "b.example.test"
      ip   = "10.0.0.2"
    }
    server "c" {
      fqdn  = "c.example.test"
      ip    = "10.0.0.3"
    }
    server "d" {
      fqdn  = "d.example.test"
      ip    = "10.0.0.4"
      state = "offline"
    }
  }
}
`
	top, diags := topology.Parse([]byte(src), "t.hcl", topology.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	d, diags := topology.Compile(top.File)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	zr := d.Zones[0]
	got := ManagedNames(zr, WantFor(zr, d.Topology), d)
	want := []string{
		"_topo.a.example.test", "_topo.b.example.test", "_topo.c.example.test", "_topo.d.example.test",
		"_topo.pool.example.test", "_topo.web.example.test",
		"a.example.test", "b.example.test", "c.example.test", "d.example.test",
		"pool.example.test", "web.example.test",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ManagedNames (-want +got):\n%s", diff)
	}
}

func TestPlanSaysReadByNames(t *testing.T) {
	p := &Plan{Zones: []ZonePlan{{
		Zone: "closed.test", View: "both", Provider: "rfc2136.ad", Changes: []Change{},
		ReadScope: &providers.ReadScope{Names: true, Count: 7, Reason: providers.ReasonTransferRefused, Detail: "REFUSED", Server: "192.0.2.53:53"},
	}}}
	var b strings.Builder
	if err := WriteText(&b, p, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	want := "  read name by name from 192.0.2.53:53: the server refused the zone transfer (REFUSED); ownership and conflict checks cover these 7 names only\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("text plan lacks %q:\n%s", want, b.String())
	}
}
