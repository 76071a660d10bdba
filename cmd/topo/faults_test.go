package main

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/topo-dns/topo/engine"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/memory"
)

// TestCLIPartialFailure: the provider of the second zone fails mid-publish.
// topo stops, says what was applied and what was not, exits 1, and the
// next publish converges with nothing lost.
func TestCLIPartialFailure(t *testing.T) {
	file := contoso(t)
	// The internal view (applied second, after "external") goes to the
	// fake provider.
	edit(t, file, "zone \"contoso.com\" {\n  view = \"internal\"\n  ttl  = 300\n}",
		"provider \"fake\" \"corp\" {\n  api_token = env(\"FAKE_API_TOKEN\")\n}\n\nzone \"contoso.com\" {\n  view     = \"internal\"\n  ttl      = 300\n  provider = \"fake.corp\"\n}")
	mem := &memory.Provider{}
	fail := true
	mem.FailApply = func(string, []providers.Edit) error {
		if fail {
			return errors.New("injected: HTTP 500 after retries")
		}
		return nil
	}
	o := cliOpts{registry: tokenRegistry(mem, envSecret), env: map[string]string{"FAKE_API_TOKEN": envSecret}}

	r := topo(t, o, "publish", "--auto-approve", file).wantCode(t, 1)
	for _, s := range []string{
		"injected: HTTP 500",
		"contoso.com (external): 6 of 6 changes applied",
		"contoso.com (internal): 0 of 46 changes applied (FAILED)",
	} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr does not say %q:\n%s", s, r.stderr)
		}
	}
	if len(mem.RRsets("contoso.com")) != 0 {
		t.Errorf("the failed zone holds records")
	}

	r = topo(t, o, "publish", "-o", "json", "--auto-approve", file).wantCode(t, 1)
	var res struct {
		Published bool                `json:"published"`
		Applied   int                 `json:"applied"`
		Zones     []engine.ZoneResult `json:"zones"`
		Error     string              `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("publish -o json after a failure: %v\n%s", err, r.stdout)
	}
	if res.Published || res.Applied != 0 || len(res.Zones) != 1 || res.Zones[0].Error == "" || res.Error == "" {
		t.Errorf("the second attempt, with only the internal zone left: %s", r.stdout)
	}

	fail = false
	r = topo(t, o, "publish", "--auto-approve", file).wantCode(t, 0)
	if !strings.Contains(r.stdout, "Published 46 changes in 1 zone") {
		t.Errorf("the re-run:\n%s", r.stdout)
	}
	topo(t, o, "plan", "--detailed-exitcode", file).wantCode(t, 0)
}
