package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/topo-dns/topo/providers/builtin"
)

// TestDesignExampleValidates checks the example topology of DESIGN.md,
// copied verbatim into testdata/design.hcl: valid with the secrets in the
// environment, and without them one clear error per missing variable.
func TestDesignExampleValidates(t *testing.T) {
	secrets := map[string]string{
		"TOPO_TSIG_SECRET":     "c2VjcmV0LXRzaWcta2V5LWZvci10b3BvLXRlc3RzLTEyMzQ=",
		"CLOUDFLARE_API_TOKEN": "cf-token-never-printed-4711",
	}
	for _, tc := range []struct {
		name     string
		env      map[string]string
		wantCode int
		want     []string
	}{
		{"with secrets", secrets, exitOK, []string{"is valid"}},
		{"without secrets", map[string]string{}, exitError, []string{`"TOPO_TSIG_SECRET" is not set`, `"CLOUDFLARE_API_TOKEN" is not set`, "design.hcl:8:20", "2 errors"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			s := &IO{
				In: strings.NewReader(""), Out: &out, Err: &errb,
				LookupEnv: func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok },
				Registry:  builtin.Registry(),
				Context:   context.Background(),
			}
			code := run([]string{"validate", "testdata/design.hcl"}, s)
			all := out.String() + errb.String()
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\n%s", code, tc.wantCode, all)
			}
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("output lacks %q:\n%s", w, all)
				}
			}
			for _, v := range secrets {
				if strings.Contains(all, v) {
					t.Errorf("a secret appeared in the output")
				}
			}
		})
	}
}
