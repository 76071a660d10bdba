package powerdns

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/httpretry"
)

// zoneID is the id PowerDNS gives a zone in API paths: the name with the
// trailing dot, every byte but letters, digits, '.' and '-' written as
// "=XX", and the root zone as "=2E" (apiZoneNameToId in PowerDNS's
// ws-api.cc).
func zoneID(zone string) string {
	name := providers.ZoneFQDN(zone)
	if name == "." {
		return "=2E"
	}
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '-':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "=%02X", c)
		}
	}
	return b.String()
}

// call sends one request for zone's API resource and returns the response
// for a 2xx status; any other status becomes an error. body, when not nil,
// is sent as JSON.
func (p *Provider) call(ctx context.Context, method, zone string, body []byte, safety httpretry.Safety) (*http.Response, error) {
	return p.callQuery(ctx, method, zone, "", body, safety)
}

// callQuery is call with a query string ("rrset_name=...") on the URL.
func (p *Provider) callQuery(ctx context.Context, method, zone, query string, body []byte, safety httpretry.Safety) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	u := p.zonesURL + zoneID(zone)
	if query != "" {
		u += "?" + query
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-API-Key", p.apiKey)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "topo")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := p.retry.Do(p.client, req, safety)
	if err != nil {
		if body != nil && (errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)) {
			// PowerDNS answers 400 to a body over its limit and closes the
			// connection at once; the client may see only the reset.
			return nil, fmt.Errorf("%w (PowerDNS drops the connection like this when a request body, here %d bytes, is larger than its webserver-max-bodysize: "+
				"set max_request_bytes (now %d) at or under the server's webserver-max-bodysize, or raise webserver-max-bodysize in pdns.conf)", err, len(body), p.maxBytes)
		}
		return nil, err
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<10))
	return nil, p.statusError(zone, resp.StatusCode, msg, len(body))
}

// statusError turns a PowerDNS error answer into an error that says what to
// do about it.
func (p *Provider) statusError(zone string, status int, body []byte, sent int) error {
	msg := strings.TrimSpace(string(body))
	var e struct {
		Error string `json:"error"`
	}
	isJSON := json.Unmarshal(body, &e) == nil && e.Error != ""
	if isJSON {
		msg = e.Error
	}
	if p.apiKey != "" {
		msg = strings.ReplaceAll(msg, p.apiKey, "[api_key]") // never echo the key
	}
	if len(msg) > 500 {
		msg = msg[:500] + "..."
	}
	answer := fmt.Sprintf("PowerDNS answered %d %s", status, http.StatusText(status))
	if msg != "" && msg != http.StatusText(status) {
		answer += ": " + msg
	}
	e2 := &apiError{Status: status}
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		e2.msg = answer + ": api_key is not the api-key the server is configured with"
	case status == http.StatusNotFound,
		status == http.StatusUnprocessableEntity && strings.Contains(msg, "Could not find domain"):
		e2.msg = fmt.Sprintf("%s: PowerDNS server %q has no zone %q (check the zone exists and server_id)",
			answer, p.serverID, providers.ZoneFQDN(zone))
		e2.wrapped = providers.ErrZoneNotFound
	case status == http.StatusBadRequest && sent > 0 && (!isJSON || strings.Contains(msg, "body size")):
		// topo's JSON is well formed, so a bare 400 to it means the body was
		// too large; PowerDNS 4.7 says no more than "Bad Request".
		e2.msg = fmt.Sprintf("%s to a %d-byte request: PowerDNS answers so when a request body is larger than its webserver-max-bodysize (in MiB, default 2, i.e. 2097152 bytes); "+
			"set max_request_bytes (now %d) at or under the server's webserver-max-bodysize, or raise webserver-max-bodysize in pdns.conf", answer, sent, p.maxBytes)
	case status/100 == 3:
		e2.msg = answer + ": url must point at the PowerDNS webserver itself; topo does not follow redirects, which would carry the API key elsewhere"
	default:
		e2.msg = answer
	}
	return e2
}

// apiError is an answer from the server other than 2xx.
type apiError struct {
	Status  int
	msg     string
	wrapped error
}

func (e *apiError) Error() string {
	if e.wrapped != nil {
		return e.msg + ": " + e.wrapped.Error()
	}
	return e.msg
}

func (e *apiError) Unwrap() error { return e.wrapped }

// refused reports whether err is an answer that says the request was not
// applied: PowerDNS runs a PATCH in one transaction and answers an error only
// after rolling it back. 502 and 504 come from a gateway that may have
// passed the request on, so they do not count.
func refused(err error) bool {
	var ae *apiError
	return errors.As(err, &ae) && ae.Status != http.StatusBadGateway && ae.Status != http.StatusGatewayTimeout
}
