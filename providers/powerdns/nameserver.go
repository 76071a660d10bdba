package powerdns

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/httpretry"
)

var _ providers.NameServerFinder = (*Provider)(nil)

// FindNameServer implements providers.NameServerFinder: dns_server when
// it is set; otherwise where PowerDNS says it answers DNS, read from its
// configuration (GET /api/v1/servers/{server_id}/config: local-address and
// local-port, as PowerDNS 4.7 names them) and kept for later calls.
//
// The address is the API's own host when PowerDNS listens on every
// address (0.0.0.0 or ::) or on that host; otherwise the one address it
// listens on. It never guesses: an API reached over loopback only ever
// leads to a loopback DNS address, and PowerDNS listening on several
// addresses none of which is the API's host is an error asking for
// dns_server.
func (p *Provider) FindNameServer(ctx context.Context) (string, error) {
	if p.dns != "" {
		return p.dns, nil
	}
	p.mu.Lock()
	found := p.found
	p.mu.Unlock()
	if found != "" {
		return found, nil
	}
	settings, err := p.config(ctx)
	if err != nil {
		return "", fmt.Errorf("read the server's configuration to find its DNS address (set dns_server to skip this): %w", err)
	}
	found, err = pickNameServer(p.apiHost, settings["local-address"], settings["local-port"])
	if err != nil {
		return "", err
	}
	p.mu.Lock()
	p.found = found
	p.mu.Unlock()
	return found, nil
}

// config reads the server's configuration settings by name.
func (p *Provider) config(ctx context.Context) (map[string]string, error) {
	u := strings.TrimSuffix(p.zonesURL, "zones/") + "config"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-API-Key", p.apiKey)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "topo")
	resp, err := p.retry.Do(p.client, req, httpretry.Idempotent)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		if resp.StatusCode == http.StatusNotFound {
			return nil, fmt.Errorf("PowerDNS answered 404 Not Found: no server %q (check server_id)", p.serverID)
		}
		return nil, p.statusError("", resp.StatusCode, body, 0)
	}
	var list []struct {
		Name  string `json:"name"`
		Type  string `json:"type"`
		Value string `json:"value"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, fmt.Errorf("decode PowerDNS's configuration: %w", err)
	}
	out := make(map[string]string, len(list))
	for _, s := range list {
		if s.Type == "ConfigSetting" {
			out[s.Name] = s.Value
		}
	}
	return out, nil
}

// pickNameServer chooses the "host:port" to ask from PowerDNS's
// local-address (addresses separated by commas or spaces, each with or
// without its own port: "127.0.0.1", "[::1]:5300") and local-port (53 when
// empty), for an API reached at apiHost.
func pickNameServer(apiHost, localAddress, localPort string) (string, error) {
	if localPort == "" {
		localPort = "53"
	}
	apiAddr, err := netip.ParseAddr(strings.Trim(apiHost, "[]"))
	apiIsIP := err == nil
	apiLoopback := apiHost == "localhost" || apiIsIP && apiAddr.IsLoopback()
	type listen struct {
		addr netip.Addr
		port string
	}
	var ls []listen
	for _, f := range strings.FieldsFunc(localAddress, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if ap, err := netip.ParseAddrPort(f); err == nil {
			ls = append(ls, listen{ap.Addr(), fmt.Sprint(ap.Port())})
			continue
		}
		a, err := netip.ParseAddr(strings.Trim(f, "[]"))
		if err != nil {
			return "", fmt.Errorf("PowerDNS's local-address %q holds %q, not an address: set dns_server", localAddress, f)
		}
		ls = append(ls, listen{a, localPort})
	}
	if len(ls) == 0 {
		return "", fmt.Errorf("PowerDNS's configuration has no local-address: set dns_server")
	}
	at := func(host string, l listen) string { return net.JoinHostPort(host, l.port) }
	// PowerDNS answers at the API's host: on every address, or on that one.
	for _, l := range ls {
		switch {
		case l.addr.IsUnspecified() && apiHost == "localhost":
			if l.addr.Is4() {
				return at("127.0.0.1", l), nil
			}
			return at("::1", l), nil
		case l.addr.IsUnspecified() && (!apiIsIP || apiAddr.Unmap().Is4() == l.addr.Is4()):
			return at(strings.Trim(apiHost, "[]"), l), nil
		case apiIsIP && l.addr == apiAddr.Unmap():
			return at(l.addr.String(), l), nil
		}
	}
	if apiLoopback {
		for _, l := range ls {
			if l.addr.IsLoopback() {
				return at(l.addr.String(), l), nil
			}
		}
		return "", fmt.Errorf("PowerDNS answers DNS on %s only, none of them the loopback address its API is reached on: set dns_server to where topo verify can ask it", localAddress)
	}
	if len(ls) == 1 && !ls[0].addr.IsLoopback() {
		return at(ls[0].addr.String(), ls[0]), nil
	}
	return "", fmt.Errorf("PowerDNS answers DNS on %s, none of them the API's host %s: set dns_server to the one topo verify should ask", localAddress, apiHost)
}
