package powerdns

import (
	"context"
	"strings"
	"testing"

	"github.com/topo-dns/topo/providers/internal/dnstest"
)

// TestFindNameServer asks a real PowerDNS 4.7 where it answers DNS: its
// configuration's local-address and local-port, a free port and not 53.
func TestFindNameServer(t *testing.T) {
	pd := server(t, dnstest.PowerDNSOptions{})
	px := dnstest.StartFaultProxy(t, strings.TrimPrefix(pd.URL, "http://"), dnstest.FrameHTTP)
	p, _ := newProvider(t, "http://"+px.Addr, pd.APIKey, nil)
	for range 2 {
		got, err := p.FindNameServer(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got != pd.DNSAddr {
			t.Errorf("FindNameServer = %q, want %q (local-address, local-port)", got, pd.DNSAddr)
		}
	}
	if n := len(px.Requests(nil)); n != 1 {
		t.Errorf("%d requests for two calls, want one: the answer is kept", n)
	}

	set, _ := newProvider(t, "http://"+px.Addr, pd.APIKey, func(c *Config) { c.DNSServer = "127.0.0.1:5399" })
	if got, err := set.FindNameServer(context.Background()); got != "127.0.0.1:5399" || err != nil {
		t.Errorf("with dns_server: %q, %v", got, err)
	}
	if n := len(px.Requests(nil)); n != 1 {
		t.Errorf("dns_server set, yet the API was asked")
	}

	bad, _ := newProvider(t, pd.URL, "wrong-key", nil)
	_, err := bad.FindNameServer(context.Background())
	if err == nil || !strings.Contains(err.Error(), "set dns_server") || !strings.Contains(err.Error(), "403") && !strings.Contains(err.Error(), "401") {
		t.Errorf("with a wrong key: %v", err)
	}
}

func TestPickNameServer(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		apiHost, addrs, port string
		want, wantErr        string
	}{
		{name: "loopback, as the tests run it", apiHost: "127.0.0.1", addrs: "127.0.0.1", port: "5300", want: "127.0.0.1:5300"},
		{name: "PowerDNS 4.7's default: every address", apiHost: "127.0.0.1", addrs: "0.0.0.0, ::", port: "53", want: "127.0.0.1:53"},
		{name: "every address, API by name", apiHost: "pdns.corp.contoso.com", addrs: "0.0.0.0, ::", port: "53", want: "pdns.corp.contoso.com:53"},
		{name: "every address, API on IPv6", apiHost: "2001:db8::53", addrs: "0.0.0.0, ::", port: "5300", want: "[2001:db8::53]:5300"},
		{name: "localhost", apiHost: "localhost", addrs: "0.0.0.0", port: "", want: "127.0.0.1:53"},
		{name: "the API's own address among several", apiHost: "10.0.0.53", addrs: "127.0.0.1 10.0.0.53", port: "53", want: "10.0.0.53:53"},
		{name: "an address with its own port", apiHost: "127.0.0.1", addrs: "127.0.0.1:5301, [::1]:5302", port: "53", want: "127.0.0.1:5301"},
		{name: "the IPv6 loopback", apiHost: "::1", addrs: "[::1]:5302", port: "53", want: "[::1]:5302"},
		{name: "API over loopback, DNS on a loopback address", apiHost: "127.0.0.1", addrs: "10.0.0.53, 127.0.0.2", port: "53", want: "127.0.0.2:53"},
		{name: "API over loopback, DNS elsewhere: never guessed", apiHost: "127.0.0.1", addrs: "10.0.0.53", port: "53", wantErr: "none of them the loopback address its API is reached on: set dns_server"},
		{name: "a remote API, DNS on one other address", apiHost: "pdns.corp.contoso.com", addrs: "10.0.0.53", port: "53", want: "10.0.0.53:53"},
		{name: "a remote API, DNS on its loopback only", apiHost: "10.0.0.8", addrs: "127.0.0.1", port: "53", wantErr: "none of them the API's host 10.0.0.8: set dns_server"},
		{name: "a remote API, DNS on several others", apiHost: "10.0.0.8", addrs: "10.0.0.53, 10.0.1.53", port: "53", wantErr: "set dns_server"},
		{name: "no address", apiHost: "127.0.0.1", addrs: "", port: "53", wantErr: "no local-address"},
		{name: "not an address", apiHost: "127.0.0.1", addrs: "eth0", port: "53", wantErr: `holds "eth0", not an address`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := pickNameServer(tc.apiHost, tc.addrs, tc.port)
			switch {
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("pickNameServer = %q, %v; want an error saying %q", got, err, tc.wantErr)
			case tc.wantErr == "" && (err != nil || got != tc.want):
				t.Errorf("pickNameServer = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
