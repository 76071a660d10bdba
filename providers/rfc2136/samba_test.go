package rfc2136

import (
	"context"

	"github.com/google/go-cmp/cmp"
	"testing"
	"time"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
	"github.com/topo-dns/topo/providers/providertest"
)

// sambaProvider signs as topo on the Samba DC: connect to its address,
// name its service principal DNS/dc1.topo.test with server_name.
func sambaProvider(s *dnstest.Samba) *Provider {
	return &Provider{
		Server:     s.Addr,
		Auth:       AuthGSS,
		Realm:      s.Realm,
		Username:   "topo",
		Password:   s.Passwords["topo"],
		ServerName: s.Host,
		KRB5Config: s.Config,
		Timeout:    10 * time.Second,
	}
}

func TestSambaUpdateAndNameRead(t *testing.T) {
	s := dnstest.StartSamba(t)
	p := sambaProvider(s)
	defer p.Close()
	ctx := context.Background()
	set := rrset("www.topo.test", "A", 300, "192.0.2.10")
	if _, err := p.ApplyEdits(ctx, "topo.test.", []providers.Edit{{After: set}}, providers.ApplyOptions{}); err != nil {
		t.Fatalf("update: %v", err)
	}
	p.SetNames("topo.test.", []string{"www.topo.test", "_topo.www.topo.test"})
	recs, err := p.GetRecords(ctx, "topo.test.")
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if p.gss.layout != layoutNoLength {
		t.Errorf("Samba's replies were checked in the %s layout, want Samba's", p.gss.layout)
	}
	want := providers.ReadScope{Names: true, Count: 3, Reason: providers.ReasonTransferRefused, Detail: "NOERROR without the zone's SOA", Server: s.Addr}
	if diff := cmp.Diff(want, p.ReadScope("topo.test.")); diff != "" {
		t.Errorf("read scope (-want +got):\n%s", diff)
	}
	got := providers.Index(providers.GroupRecords("topo.test", recs))
	if diff := cmp.Diff(*set, got[set.Key()]); diff != "" {
		t.Errorf("www A read by name (-want +got):\n%s", diff)
	}
	if _, ok := got[providers.Key{Name: "topo.test", Type: "SOA"}]; !ok {
		t.Error("the apex SOA was not read")
	}
}

// sambaSeed writes RRsets as another account of the domain would: the
// domain's Administrator, with its own GSS-TSIG context, who may write
// every record (the concurrent-change step overwrites one of topo's).
func sambaSeed(t *testing.T, s *dnstest.Samba, sets []providers.RRset) {
	t.Helper()
	p := sambaProvider(s)
	p.Username, p.Password = "Administrator", s.Passwords["Administrator"]
	defer p.Close()
	if _, err := p.SetRecords(context.Background(), s.Zone+".", providers.Flatten(s.Zone, sets)); err != nil {
		t.Fatalf("seed as other: %v", err)
	}
}

func TestContractSamba(t *testing.T) {
	enginetest.Run(t, func(t *testing.T) enginetest.Harness {
		s := dnstest.StartSamba(t)
		p := sambaProvider(s)
		t.Cleanup(func() { p.Close() })
		return providertest.Harness{
			Provider: p,
			Zone:     s.Zone,
			Seed:     func(t *testing.T, sets []providers.RRset) { sambaSeed(t, s, sets) },
		}
	})
}
