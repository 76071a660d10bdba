package cloudflare

import (
	"encoding/json"
	"testing"

	"github.com/topo-dns/topo/providers"
)

// FuzzListPage feeds arbitrary JSON to the reader of Cloudflare's list
// answers: decoding, typing and grouping records never panic, and every
// RRset it yields is normalized.
func FuzzListPage(f *testing.F) {
	f.Add([]byte(`{"success":true,"result":[{"id":"1","name":"a.contoso.com","type":"A","content":"10.0.0.1","ttl":1,"proxied":true}],"result_info":{"page":1,"per_page":20,"count":1,"total_count":1,"total_pages":1}}`))
	f.Add([]byte(`{"result":[{"id":"2","name":"_sip._tls.contoso.com","type":"SRV","content":"0 443 sip.contoso.com","priority":10,"data":{"priority":10,"weight":0,"port":443,"target":"sip.contoso.com"},"ttl":300}]}`))
	f.Add([]byte(`{"result":[{"id":"3","name":"contoso.com","type":"TXT","content":"\"v=spf1 \\\"x\\\" -all\"","ttl":3600},{"id":"4","name":"contoso.com","type":"MX","content":"mx.contoso.com","priority":5,"ttl":60}]}`))
	f.Add([]byte(`{"result":[{"id":"5","name":"x.contoso.com","type":"CAA","data":{"flags":0,"tag":"issue","value":"letsencrypt.org"},"ttl":300},{"name":"weird","type":"HTTPS","content":"1 . alpn=h2","ttl":-5}]}`))
	f.Add([]byte(`{"result":null,"result_info":{"total_pages":-1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var page listPage
		if json.Unmarshal(data, &page) != nil {
			return
		}
		_ = page.lastPage(1)
		recs := make([]record, 0, len(page.Result))
		for _, r := range page.Result {
			recs = append(recs, fromAPI("contoso.com", r))
		}
		for k, s := range rrsets("contoso.com", recs) {
			if s.Key() != k {
				t.Fatalf("RRset %v filed under %v", s.Key(), k)
			}
			n := s.Clone()
			n.Normalize()
			if !n.Equal(s) {
				t.Fatalf("RRset not normalized: %+v", s)
			}
			_ = providers.Index([]providers.RRset{s})
		}
	})
}
