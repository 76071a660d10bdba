package engine_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

func TestVerify(t *testing.T) {
	d := enginetest.MustCompile(t, `name = "v"
zone "example.test" {}
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
      fqdn  = "b.example.test"
      ip    = "10.0.0.2"
      state = "draining"
    }
    server "c" {
      fqdn  = "c.example.test"
      ip    = "2001:db8::3"
      state = "offline"
    }
    server "e" {
      fqdn = "e.example.test"
      ip   = "10.0.0.5"
    }
  }
}`)
	live := map[string][]string{
		"e.example.test A":    {"10.0.0.5"},
		"pool.example.test A": {"10.0.0.5", "10.0.0.2", "10.0.0.1"}, // the drain not yet seen
		"a.example.test A":    {"10.0.0.1"},
		"b.example.test A":    {"10.0.0.2"},
		"c.example.test AAAA": {"2001:DB8::3"}, // offline, still answering
		"web.example.test A":  {"10.0.0.100"},
	}
	ask := func(_ context.Context, _ *topology.ZoneRecords, name, typ string) ([]string, error) {
		return live[name+" "+typ], nil
	}
	l := engine.FromDesired(publish.Source{Desired: d}, nil)
	checks, err := l.Verify(context.Background(), engine.VerifyOptions{Ask: ask})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, c := range checks {
		got[c.Name+" "+c.Type] = c.OK
	}
	want := map[string]bool{
		"e.example.test A":    true,
		"pool.example.test A": false,
		"a.example.test A":    true,
		"b.example.test A":    true,
		"c.example.test AAAA": false,
		"web.example.test A":  true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("checks (-want +got):\n%s", diff)
	}

	boom := errors.New("no route")
	if _, err := l.Verify(context.Background(), engine.VerifyOptions{Ask: func(context.Context, *topology.ZoneRecords, string, string) ([]string, error) {
		return nil, boom
	}}); !errors.Is(err, boom) {
		t.Errorf("a failed query: want its error, got %v", err)
	}
}
