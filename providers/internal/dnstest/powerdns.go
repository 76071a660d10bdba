package dnstest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// PowerDNSOptions configures a PowerDNS server started by StartPowerDNS. The
// zero value is PowerDNS's own defaults.
type PowerDNSOptions struct {
	// MaxBodyMB sets webserver-max-bodysize, the largest API request body
	// PowerDNS accepts, in its unit: MiB (2 means 2,097,152 bytes). Zero
	// keeps PowerDNS's default of 2.
	MaxBodyMB int
	// StartTimeout bounds the wait for the API to answer; default 20s.
	StartTimeout time.Duration
}

// PowerDNS is a running PowerDNS Authoritative Server (pdns_server) with the
// gsqlite3 backend and its HTTP API on 127.0.0.1. It is stopped when the
// test ends.
type PowerDNS struct {
	// URL is the API's base URL: "http://127.0.0.1:port".
	URL string
	// APIKey is the random key the API requires in X-API-Key.
	APIKey string
	// DNSAddr is "127.0.0.1:port", where it answers DNS over UDP and TCP.
	DNSAddr string
	// ServerID is the API's server id, always "localhost".
	ServerID string
	// Dir holds pdns.conf, the SQLite database and the server's log.
	Dir string

	cmd  *exec.Cmd
	done chan struct{}
}

// StartPowerDNS starts pdns_server in the foreground with a fresh
// configuration and SQLite database (created with the sqlite3 program from
// the schema pdns-backend-sqlite3 ships) in a temporary directory. DNS and
// the API listen on 127.0.0.1 on free ports; the security poll is off, so
// nothing leaves the loopback interface. It returns once the API answers,
// and stops the server when the test ends (SIGTERM, then SIGKILL).
func StartPowerDNS(t testing.TB, opts PowerDNSOptions) *PowerDNS {
	t.Helper()
	pdns := RequireBinary(t, "pdns_server", "pdns-server pdns-backend-sqlite3")
	sqlite := RequireBinary(t, "sqlite3", "sqlite3")
	schema := pdnsSchema(t)
	if opts.StartTimeout <= 0 {
		opts.StartTimeout = 20 * time.Second
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "pdns.sqlite3")
	create := exec.Command(sqlite, db, ".read "+schema)
	if out, err := create.CombinedOutput(); err != nil {
		t.Fatalf("create the PowerDNS database with %s: %v\n%s", schema, err, out)
	}
	key := make([]byte, 24)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	p := &PowerDNS{APIKey: hex.EncodeToString(key), ServerID: "localhost", Dir: dir}
	// A free port can be taken by someone else before pdns_server binds it:
	// try again with new ports when the server exits at start.
	var err error
	for range 3 {
		if err = p.start(t, pdns, db, opts); err == nil {
			break
		}
		if !errors.Is(err, errPDNSExited) {
			break
		}
	}
	if err != nil {
		t.Fatalf("start pdns_server: %v\n%s", err, p.Output())
	}
	t.Cleanup(p.stop)
	return p
}

var errPDNSExited = errors.New("pdns_server exited")

// pdnsSchema finds the SQLite schema the installed backend expects.
func pdnsSchema(t testing.TB) string {
	t.Helper()
	for _, p := range []string{
		"/usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql",
		"/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql",
	} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	msg := "the PowerDNS SQLite schema is not installed: apt-get install -y pdns-backend-sqlite3"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func (p *PowerDNS) start(t testing.TB, pdns, db string, opts PowerDNSOptions) error {
	dnsPort, webPort := FreePort(t), FreePort(t)
	p.DNSAddr = "127.0.0.1:" + strconv.Itoa(dnsPort)
	p.URL = "http://127.0.0.1:" + strconv.Itoa(webPort)
	conf := []string{
		"launch=gsqlite3",
		"gsqlite3-database=" + db,
		"local-address=127.0.0.1",
		"local-port=" + strconv.Itoa(dnsPort),
		"webserver=yes",
		"webserver-address=127.0.0.1",
		"webserver-port=" + strconv.Itoa(webPort),
		"webserver-allow-from=127.0.0.1",
		"api=yes",
		"api-key=" + p.APIKey,
		// An empty suffix turns the security status poll (a DNS query to
		// the outside world) off.
		"security-poll-suffix=",
		"daemon=no",
		"guardian=no",
		"disable-syslog=yes",
		"log-timestamp=no",
		"socket-dir=" + p.Dir,
		"write-pid=no",
		// Tests read what they just wrote over DNS too: no caching.
		"cache-ttl=0",
		"query-cache-ttl=0",
		"negquery-cache-ttl=0",
		"zone-cache-refresh-interval=0",
		// Two cores in CI: keep the server small.
		"receiver-threads=1",
		"distributor-threads=1",
		"signing-threads=1",
	}
	if opts.MaxBodyMB > 0 {
		conf = append(conf, "webserver-max-bodysize="+strconv.Itoa(opts.MaxBodyMB))
	}
	if err := os.WriteFile(filepath.Join(p.Dir, "pdns.conf"), []byte(strings.Join(conf, "\n")+"\n"), 0o600); err != nil {
		return err
	}
	logf, err := os.Create(filepath.Join(p.Dir, "pdns.log"))
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(pdns, "--config-dir="+p.Dir)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return err
	}
	p.cmd, p.done = cmd, make(chan struct{})
	go func() { _ = cmd.Wait(); close(p.done) }()

	deadline := time.Now().Add(opts.StartTimeout)
	for {
		status, _, err := p.call(context.Background(), "GET", "/api/v1/servers/localhost", nil)
		if err == nil && status == http.StatusOK {
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("%w at start (%v)", errPDNSExited, cmd.ProcessState)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.stop()
			return fmt.Errorf("API at %s did not answer within %v (last: status %d, %v)", p.URL, opts.StartTimeout, status, err)
		}
	}
}

// Output returns what pdns_server logged so far.
func (p *PowerDNS) Output() string {
	b, _ := os.ReadFile(filepath.Join(p.Dir, "pdns.log"))
	return string(b)
}

// stop ends the server: SIGTERM, and SIGKILL if it lingers.
func (p *PowerDNS) stop() {
	if p.cmd == nil || p.cmd.Process == nil {
		return
	}
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// call sends one API request with the key and returns the status and body.
func (p *PowerDNS) call(ctx context.Context, method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, p.URL+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("X-API-Key", p.APIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// API sends one request to the API as another client would, with the key,
// body marshalled as JSON unless nil, and fails the test unless the status
// is 2xx. It returns the response body.
func (p *PowerDNS) API(t testing.TB, method, path string, body any) []byte {
	t.Helper()
	status, out, err := p.call(context.Background(), method, path, body)
	if err != nil {
		t.Fatalf("PowerDNS API %s %s: %v", method, path, err)
	}
	if status/100 != 2 {
		t.Fatalf("PowerDNS API %s %s: status %d: %s", method, path, status, out)
	}
	return out
}

// ZonePath returns the API path of zone ("example.test", with or without
// the trailing dot).
func (p *PowerDNS) ZonePath(zone string) string {
	return "/api/v1/servers/" + p.ServerID + "/zones/" + strings.TrimSuffix(zone, ".") + "."
}

// CreateZone creates a Native zone through the API with an SOA and one NS
// record (ns1.<zone>.).
func (p *PowerDNS) CreateZone(t testing.TB, name string) {
	t.Helper()
	z := strings.TrimSuffix(name, ".") + "."
	p.API(t, "POST", "/api/v1/servers/"+p.ServerID+"/zones", map[string]any{
		"name":        z,
		"kind":        "Native",
		"nameservers": []string{},
		"rrsets": []PowerDNSRRset{
			{Name: z, Type: "SOA", TTL: 3600, Records: []PowerDNSRecord{{Content: "ns1." + z + " hostmaster." + z + " 1 10800 3600 604800 3600"}}},
			{Name: z, Type: "NS", TTL: 3600, Records: []PowerDNSRecord{{Content: "ns1." + z}}},
		},
	})
}

// PowerDNSRRset is an RRset as the PowerDNS API writes it.
type PowerDNSRRset struct {
	// Name is absolute with the trailing dot.
	Name string `json:"name"`
	Type string `json:"type"`
	TTL  uint32 `json:"ttl"`
	// ChangeType is REPLACE or DELETE in a PATCH, empty elsewhere.
	ChangeType string            `json:"changetype,omitempty"`
	Records    []PowerDNSRecord  `json:"records"`
	Comments   []PowerDNSComment `json:"comments,omitempty"`
}

// PowerDNSRecord is one record of an RRset, its content in PowerDNS's
// presentation format (TXT quoted, names with the trailing dot).
type PowerDNSRecord struct {
	Content  string `json:"content"`
	Disabled bool   `json:"disabled"`
}

// PowerDNSComment is a comment PowerDNS keeps beside an RRset.
type PowerDNSComment struct {
	Content    string `json:"content"`
	Account    string `json:"account"`
	ModifiedAt int64  `json:"modified_at,omitempty"`
}

// SetRRset writes one RRset as another client would, with one PATCH:
// REPLACE with contents (PowerDNS presentation format), or DELETE when
// contents is empty. name is absolute, with or without the trailing dot.
func (p *PowerDNS) SetRRset(t testing.TB, zone, name, typ string, ttl uint32, contents ...string) {
	t.Helper()
	set := PowerDNSRRset{Name: strings.TrimSuffix(name, ".") + ".", Type: typ, TTL: ttl, ChangeType: "REPLACE"}
	for _, c := range contents {
		set.Records = append(set.Records, PowerDNSRecord{Content: c})
	}
	if len(contents) == 0 {
		set.ChangeType = "DELETE"
	}
	p.PatchRRsets(t, zone, set)
}

// PatchRRsets sends sets in one PATCH of the zone, as another client would.
func (p *PowerDNS) PatchRRsets(t testing.TB, zone string, sets ...PowerDNSRRset) {
	t.Helper()
	p.API(t, "PATCH", p.ZonePath(zone), map[string]any{"rrsets": sets})
}

// RRsets reads the zone's RRsets as the API returns them.
func (p *PowerDNS) RRsets(t testing.TB, zone string) []PowerDNSRRset {
	t.Helper()
	var z struct {
		RRsets []PowerDNSRRset `json:"rrsets"`
	}
	if err := json.Unmarshal(p.API(t, "GET", p.ZonePath(zone), nil), &z); err != nil {
		t.Fatalf("decode zone %q: %v", zone, err)
	}
	return z.RRsets
}

// Version asks the API which PowerDNS this is: "PowerDNS Authoritative
// 4.7.3", for messages about what a version cannot do.
func (p *PowerDNS) Version(t testing.TB) string {
	t.Helper()
	var s struct {
		DaemonType string `json:"daemon_type"`
		Version    string `json:"version"`
	}
	if err := json.Unmarshal(p.API(t, "GET", "/api/v1/servers/"+p.ServerID, nil), &s); err != nil {
		t.Fatalf("PowerDNS API: server object: %v", err)
	}
	return "PowerDNS " + s.DaemonType + " " + s.Version
}
