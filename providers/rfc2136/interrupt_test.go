package rfc2136_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/internal/dnstest"
	"github.com/topo-dns/topo/providers/providertest"
	"github.com/topo-dns/topo/providers/rfc2136"
)

// TestInterruptWhileAnUpdateIsInFlight sends SIGINT to `topo publish` of
// several UPDATE messages while BIND has applied message 2 and its answer
// is held back by a proxy: topo reads the zone again and reports exactly
// what BIND holds (messages 1 and 2 applied, the rest not), in the text
// on stderr and in the JSON document, exits 1, and a re-run converges.
func TestInterruptWhileAnUpdateIsInFlight(t *testing.T) {
	b := dnstest.StartBIND(t, dnstest.BINDOptions{Zones: []string{"big.test"}})
	proxy := dnstest.StartFaultProxy(t, b.Addr, dnstest.FrameDNS)
	bin := providertest.TopoBinary(t)
	path := bigTopology(t, proxy.Addr, b.KeyName, b.KeyAlgorithm, 300)
	env := []string{"TOPO_TSIG_SECRET=" + b.KeySecret, "NO_COLOR=1"}
	proxy.Add(dnstest.Fault{Match: dnstest.IsUpdate, Nth: 2, Action: dnstest.Hold})

	cmd := exec.Command(bin, "publish", "-o", "json", "--auto-approve", path)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if e := proxy.Wait(2 * time.Minute); !e.Answered || e.Action != dnstest.Hold {
		t.Fatalf("event %+v", e)
	}
	// BIND applied message 2; its answer is held. Ctrl-C now.
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("interrupted publish: want exit 1, got %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	t.Logf("stderr:\n%s", stderr.String())
	var doc struct {
		Published  bool                `json:"published"`
		Applied    int                 `json:"applied"`
		NotApplied int                 `json:"not_applied"`
		Unknown    int                 `json:"unknown"`
		Zones      []engine.ZoneResult `json:"zones"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("publish -o json: %v\n%s", err, stdout.String())
	}
	if doc.Published || len(doc.Zones) != 1 || doc.Unknown != 0 || doc.Zones[0].ReadError != "" {
		t.Fatalf("result: published %v, %d zones, %d unknown\n%s", doc.Published, len(doc.Zones), doc.Unknown, stderr.String())
	}

	// What BIND holds, read directly.
	truth := &rfc2136.Provider{Server: b.Addr, TSIGKey: b.KeyName, TSIGAlgorithm: b.KeyAlgorithm + ".", TSIGSecret: b.KeySecret}
	sets, err := engine.ReadZone(context.Background(), truth, "big.test")
	if err != nil {
		t.Fatal(err)
	}
	held := providers.Index(sets)
	z := doc.Zones[0]
	applied := 0
	for _, c := range z.Changes {
		_, exists := held[providers.Key{Name: c.Name, Type: c.Type}]
		if exists != (c.Outcome == engine.Applied) || c.Outcome == engine.Unknown {
			t.Errorf("%s %s reported %s; BIND holds it: %v", c.Name, c.Type, c.Outcome, exists)
		}
		if exists {
			applied++
		}
	}
	if doc.Applied != applied || z.Applied != applied || doc.NotApplied != z.Total-applied || len(z.Changes) != z.Total {
		t.Errorf("reported %d applied and %d not of %d (%d outcomes); BIND holds %d", doc.Applied, doc.NotApplied, z.Total, len(z.Changes), applied)
	}
	if applied == 0 || applied == z.Total {
		t.Errorf("BIND holds %d of %d changes: the interrupt did not land between messages", applied, z.Total)
	}
	for _, s := range []string{"interrupted", "message 2 of", "was sent but its answer is lost", "context canceled"} {
		if !strings.Contains(stderr.String(), s) {
			t.Errorf("stderr does not say %q:\n%s", s, stderr.String())
		}
	}
	text := "big.test (both): " + strconv.Itoa(applied) + " of " + strconv.Itoa(z.Total) + " changes applied, " + strconv.Itoa(z.Total-applied) + " not applied (FAILED; as the zone holds them, read again)"
	if !strings.Contains(stderr.String(), text) {
		t.Errorf("stderr does not say %q:\n%s", text, stderr.String())
	}

	// Publishing again converges.
	proxy.Clear()
	proxy.Release()
	if o, e, code := providertest.RunTopo(t, bin, env, "publish", "--auto-approve", path); code != 0 {
		t.Fatalf("publish after the interrupt: exit %d\n%s\n%s", code, o, e)
	}
	if o, _, code := providertest.RunTopo(t, bin, env, "plan", "--detailed-exitcode", path); code != 0 {
		t.Fatalf("plan after converging: exit %d\n%s", code, o)
	}
}
