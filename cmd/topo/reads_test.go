package main

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/memory"
)

// readCounter is a memory provider that counts zone reads.
type readCounter struct {
	*memory.Provider
	reads atomic.Int64
}

func (c *readCounter) GetRecords(ctx context.Context, zone string) ([]libdns.Record, error) {
	c.reads.Add(1)
	return c.Provider.GetRecords(ctx, zone)
}

// TestCLIReadsPerPublish pins how often topo publish reads the zone it
// changes: the plan's read stands for the read before writing when nothing
// ran in between (--auto-approve), a confirmation on a terminal is
// followed by a fresh read, a saved plan is read once before writing; and
// once after writing as proof, every time.
func TestCLIReadsPerPublish(t *testing.T) {
	file := contoso(t)
	// contoso's internal view (46 records, fe05 among them) goes to the
	// counting provider.
	edit(t, file, "zone \"contoso.com\" {\n  view = \"internal\"\n  ttl  = 300\n}",
		"provider \"fake\" \"corp\" {\n  api_token = env(\"FAKE_API_TOKEN\")\n}\n\nzone \"contoso.com\" {\n  view     = \"internal\"\n  ttl      = 300\n  provider = \"fake.corp\"\n}")
	counter := &readCounter{Provider: &memory.Provider{}}
	reg := tokenRegistry(nil, envSecret)
	open := reg["fake"].Open
	reg["fake"] = providers.Kind{Secrets: reg["fake"].Secrets, Open: func(body hcl.Body, ectx *hcl.EvalContext, env providers.OpenEnv) (providers.Provider, hcl.Diagnostics) {
		if _, diags := open(body, ectx, env); diags.HasErrors() {
			return nil, diags
		}
		return counter, nil
	}}
	o := cliOpts{registry: reg, env: map[string]string{"FAKE_API_TOKEN": envSecret}}
	topo(t, o, "publish", "--auto-approve", file).wantCode(t, 0)

	planFile := filepath.Join(t.TempDir(), "plan.json")
	confirmed := o
	confirmed.inTTY, confirmed.stdin = true, "yes\n"
	steps := []struct {
		name string
		// state, when set, is the topo command run first on fe05.
		state string
		o     cliOpts
		args  []string
		want  int64
	}{
		{"publish --auto-approve FILE", "drain", o, []string{"publish", "--auto-approve", file}, 2},
		{"publish FILE, confirmed on a terminal", "offline", confirmed, []string{"publish", file}, 3},
		{"plan --out", "resume", o, []string{"plan", "--out", planFile, file}, 1},
		{"publish PLANFILE", "", o, []string{"publish", "--auto-approve", planFile}, 2},
		{"publish with nothing to change", "", o, []string{"publish", "--auto-approve", file}, 1},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.state != "" {
				topo(t, o, st.state, "-f", file, "fe05").wantCode(t, 0)
			}
			counter.reads.Store(0)
			topo(t, st.o, st.args...).wantCode(t, 0)
			if got := counter.reads.Load(); got != st.want {
				t.Errorf("the internal zone was read %d times, want %d", got, st.want)
			}
		})
	}
}
