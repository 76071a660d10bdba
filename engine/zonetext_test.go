package engine_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/miekg/dns"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/topology"
)

// TestWriteZoneText: every record kind comes out as master file text
// miekg/dns reads back to the same record, TXT text with quotes, spaces,
// backslashes and a semicolon included.
func TestWriteZoneText(t *testing.T) {
	records := []topology.Record{
		{Name: "sip.contoso.com", Type: "A", TTL: 300, Value: "203.0.113.5", Source: "sip_domain.contoso.com"},
		{Name: "sip.contoso.com", Type: "AAAA", TTL: 300, Value: "2001:db8::5", Source: "sip_domain.contoso.com"},
		{Name: "_sip._tls.contoso.com", Type: "SRV", TTL: 3600, Value: "0 0 443 sip.contoso.com.", Source: "sip_domain.contoso.com"},
		{Name: "meet.contoso.com", Type: "CNAME", TTL: 60, Value: "rp.contoso.com.", Source: "sip_domain.contoso.com.meet"},
		{Name: "txt.contoso.com", Type: "TXT", TTL: 300, Value: `v=1; say "hi" \ there`, Source: "site.s"},
		{Name: "long.contoso.com", Type: "TXT", TTL: 300, Value: strings.Repeat("x", 300), Source: "site.s"},
	}
	d := &topology.Desired{Topology: "t", Zones: []*topology.ZoneRecords{
		{Zone: "contoso.com", View: "external", Provider: "zonefile.default", TTL: 300, Records: records},
	}}
	var b strings.Builder
	if err := engine.WriteZoneText(&b, d); err != nil {
		t.Fatal(err)
	}
	zp := dns.NewZoneParser(strings.NewReader(b.String()), "contoso.com.", "compile")
	var got []string
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		got = append(got, rr.String())
	}
	if err := zp.Err(); err != nil {
		t.Fatalf("not master file text: %v\n%s", err, b.String())
	}
	want := []string{
		"sip.contoso.com.\t300\tIN\tA\t203.0.113.5",
		"sip.contoso.com.\t300\tIN\tAAAA\t2001:db8::5",
		"_sip._tls.contoso.com.\t3600\tIN\tSRV\t0 0 443 sip.contoso.com.",
		"meet.contoso.com.\t60\tIN\tCNAME\trp.contoso.com.",
		"txt.contoso.com.\t300\tIN\tTXT\t\"v=1; say \\\"hi\\\" \\\\ there\"",
		"long.contoso.com.\t300\tIN\tTXT\t\"" + strings.Repeat("x", 255) + "\" \"" + strings.Repeat("x", 45) + "\"",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records read back (-want +got):\n%s\n%s", diff, b.String())
	}
	if !strings.Contains(b.String(), "\"v=1; say \\\"hi\\\" \\\\ there\" ; site.s\n") {
		t.Errorf("the source comment does not follow the record:\n%s", b.String())
	}
}
