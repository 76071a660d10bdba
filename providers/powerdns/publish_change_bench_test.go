package powerdns

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
)

// BenchmarkPublishOneChange times topo publish of one change (a server
// drained) at 1,000 pools x 12 servers against a real PowerDNS, beside the
// floor: one GET of the zone and one PATCH of the changed RRset, sent with
// net/http.
//
//	go test -run '^$' -bench PublishOneChange -benchtime 5x ./providers/powerdns
func BenchmarkPublishOneChange(b *testing.B) {
	pd := dnstest.StartPowerDNS(b, dnstest.PowerDNSOptions{})
	const zone = "bench.test"
	pd.CreateZone(b, zone)
	p, err := New(Config{URL: pd.URL, APIKey: pd.APIKey})
	if err != nil {
		b.Fatal(err)
	}
	url := pd.URL + pd.ZonePath(zone)
	client := &http.Client{}
	do := func(b *testing.B, method string, body []byte) {
		req, err := http.NewRequest(method, url, bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("X-API-Key", pd.APIKey)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode/100 != 2 {
			b.Fatalf("%s %s: %d %v", method, url, resp.StatusCode, err)
		}
	}
	floor := func(b *testing.B, set providers.RRset) {
		do(b, http.MethodGet, nil)
		type record struct {
			Content  string `json:"content"`
			Disabled bool   `json:"disabled"`
		}
		type rrset struct {
			Name       string   `json:"name"`
			Type       string   `json:"type"`
			TTL        uint32   `json:"ttl"`
			ChangeType string   `json:"changetype"`
			Records    []record `json:"records"`
		}
		rs := rrset{Name: set.Name + ".", Type: set.Type, TTL: set.TTL, ChangeType: "REPLACE"}
		for _, v := range set.Values {
			rs.Records = append(rs.Records, record{Content: v})
		}
		body, err := json.Marshal(map[string][]rrset{"rrsets": {rs}})
		if err != nil {
			b.Fatal(err)
		}
		do(b, http.MethodPatch, body)
	}
	enginetest.BenchmarkPublishOneChange(b, p, zone, 1000, floor)
}
