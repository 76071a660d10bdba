package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// liveZone is what an authoritative server for example.test answers, by
// "name TYPE"; names not in it are NXDOMAIN.
func liveZone() map[string][]string {
	live := map[string][]string{
		"example.test SOA":                        {"ns.example.test. hostmaster.example.test. 1 3600 600 86400 300"},
		"e.example.test A":                        {"10.0.0.5"},
		"pool.example.test A":                     {"10.0.0.5", "10.0.0.2", "10.0.0.1"}, // the drain not yet seen
		"a.example.test A":                        {"10.0.0.1"},
		"b.example.test A":                        {"10.0.0.2"},
		"c.example.test AAAA":                     {"2001:DB8::3"}, // offline, still answering
		"web.example.test A":                      {"10.0.0.100"},
		"sip.example.test A":                      {"10.0.0.1", "10.0.0.5"},
		"lyncdiscoverinternal.example.test CNAME": {"web.example.test."},
		"_sipinternaltls._tcp.example.test SRV":   {"0 0 5061 Pool.Example.Test."},
	}
	for _, n := range []string{"e", "pool", "a", "b", "web", "sip", "lyncdiscoverinternal", "_sipinternaltls._tcp"} {
		live["_topo."+n+".example.test TXT"] = []string{"heritage=topo,topology=v"}
	}
	delete(live, "_topo.sip.example.test TXT") // a marker lost
	return live
}

func authoritative(live map[string][]string) engine.Asker {
	return func(_ context.Context, _ *topology.ZoneRecords, name, typ string) (engine.Answer, error) {
		vals, ok := live[name+" "+typ]
		a := engine.Answer{Server: "127.0.0.1:53", Rcode: "NOERROR", Authoritative: true, Values: vals}
		if typ == "SOA" && ok {
			a.SOA = name
		}
		if !ok {
			a.SOA = "example.test"
			a.Rcode = "NXDOMAIN"
		}
		return a, nil
	}
}

func TestVerify(t *testing.T) {
	d := enginetest.MustCompile(t, enginetest.VerifyTopology)
	l := engine.FromDesired(publish.Source{Desired: d}, nil)
	checks, err := l.Verify(context.Background(), engine.VerifyOptions{Ask: authoritative(liveZone())})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	whys := map[string]string{}
	for _, c := range checks {
		got[c.Name+" "+c.Type] = c.OK
		whys[c.Name+" "+c.Type] = c.Why
	}
	want := map[string]bool{
		"e.example.test A":                        true,
		"pool.example.test A":                     false,
		"a.example.test A":                        true,
		"b.example.test A":                        true,
		"c.example.test AAAA":                     false,
		"web.example.test A":                      true,
		"sip.example.test A":                      true, // the pool's active servers, a and e
		"lyncdiscoverinternal.example.test CNAME": true,
		"_sipinternaltls._tcp.example.test SRV":   true,
	}
	for _, n := range []string{"e", "pool", "a", "b", "web", "sip", "lyncdiscoverinternal", "_sipinternaltls._tcp"} {
		want["_topo."+n+".example.test TXT"] = n != "sip"
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("checks (-want +got):\n%s", diff)
	}
	for k, w := range map[string]string{
		"_topo.sip.example.test TXT":            "topo's ownership marker of sip.example.test",
		"_sipinternaltls._tcp.example.test SRV": "from sip_domain.example.test.sipinternaltls",
		"pool.example.test A":                   "pool FQDN: exactly the active servers",
	} {
		if whys[k] != w {
			t.Errorf("why of %s = %q, want %q", k, whys[k], w)
		}
	}

	boom := errors.New("no route")
	if _, err := l.Verify(context.Background(), engine.VerifyOptions{Ask: func(context.Context, *topology.ZoneRecords, string, string) (engine.Answer, error) {
		return engine.Answer{}, boom
	}}); !errors.Is(err, boom) {
		t.Errorf("a failed query: want its error, got %v", err)
	}
}

// A server that is not authoritative for the zone is named as such, not
// taken for a zone that differs.
func TestVerifyNotAuthoritative(t *testing.T) {
	d := enginetest.MustCompile(t, enginetest.VerifyTopology)
	l := engine.FromDesired(publish.Source{Desired: d}, nil)
	for _, tc := range []struct {
		name string
		// answer changes what the authoritative server would say.
		answer     func(name, typ string, a *engine.Answer)
		want       string
		wantChecks bool // the zone's SOA passed; names were asked
	}{
		{
			name:   "no AA bit: a resolver's cached answers",
			answer: func(_, _ string, a *engine.Answer) { a.Authoritative = false },
			want:   "server 127.0.0.1:53 is not authoritative for zone example.test (internal): it answered the query for the zone's SOA without the AA bit",
		},
		{
			name: "REFUSED",
			answer: func(_, _ string, a *engine.Answer) {
				*a = engine.Answer{Server: a.Server, Rcode: "REFUSED"}
			},
			want: "it refused the query for the zone's SOA (REFUSED): it does not serve the zone",
		},
		{
			name: "the SOA of another zone",
			answer: func(_, _ string, a *engine.Answer) {
				*a = engine.Answer{Server: a.Server, Rcode: "NXDOMAIN", Authoritative: true, SOA: "test"}
			},
			want: "it answers from zone test, not example.test (NXDOMAIN to the query for the zone's SOA)",
		},
		{
			name: "SERVFAIL",
			answer: func(_, _ string, a *engine.Answer) {
				*a = engine.Answer{Server: a.Server, Rcode: "SERVFAIL"}
			},
			want: "it answered the query for the zone's SOA with SERVFAIL",
		},
		{
			name: "a name delegated away",
			answer: func(name, _ string, a *engine.Answer) {
				if name == "pool.example.test" {
					*a = engine.Answer{Server: a.Server, Rcode: "NOERROR"}
				}
			},
			want:       "it answered pool.example.test A without the AA bit (is the name delegated away from the zone?)",
			wantChecks: true,
		},
		{
			name: "a name answered from a child zone",
			answer: func(name, _ string, a *engine.Answer) {
				if name == "_topo.web.example.test" {
					*a = engine.Answer{Server: a.Server, Rcode: "NXDOMAIN", Authoritative: true, SOA: "web.example.test"}
				}
			},
			want:       "it answers _topo.web.example.test from zone web.example.test, not example.test",
			wantChecks: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inner := authoritative(liveZone())
			ask := func(ctx context.Context, zr *topology.ZoneRecords, name, typ string) (engine.Answer, error) {
				a, err := inner(ctx, zr, name, typ)
				tc.answer(name, typ, &a)
				return a, err
			}
			checks, err := l.Verify(context.Background(), engine.VerifyOptions{Ask: ask})
			var ne *engine.NotAuthoritativeError
			if !errors.As(err, &ne) {
				t.Fatalf("want a *engine.NotAuthoritativeError, got %v", err)
			}
			if len(ne.Problems) != 1 || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error:\n%v\nwant one problem saying %q", err, tc.want)
			}
			if !strings.Contains(err.Error(), "--server") {
				t.Errorf("the error does not say what to do: %v", err)
			}
			if tc.wantChecks != (len(checks) > 0) {
				t.Errorf("%d checks returned", len(checks))
			}
		})
	}
}
