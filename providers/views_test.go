package providers_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/libdns/libdns"

	"github.com/topo-dns/topo/providers"
)

// plain is a provider that serves one DNS zone per zone name, whatever the
// view; apart keeps views in separate stores.
type plain struct{}

func (plain) GetRecords(context.Context, string) ([]libdns.Record, error) { return nil, nil }
func (plain) SetRecords(context.Context, string, []libdns.Record) ([]libdns.Record, error) {
	return nil, nil
}
func (plain) DeleteRecords(context.Context, string, []libdns.Record) ([]libdns.Record, error) {
	return nil, nil
}

type apart struct{ plain }

func (a apart) ForView(string) providers.Provider { return a }

func kind(p providers.Provider) providers.Kind {
	return providers.Kind{Open: func(hcl.Body, *hcl.EvalContext, providers.OpenEnv) (providers.Provider, hcl.Diagnostics) {
		return p, nil
	}}
}

func TestCheckViews(t *testing.T) {
	reg := providers.Registry{"rfc2136": kind(plain{}), "zonefile": kind(apart{})}
	blocks := []providers.Block{
		{Kind: "rfc2136", Name: "corp", Body: hcl.EmptyBody()},
		{Kind: "zonefile", Name: "files", Body: hcl.EmptyBody()},
	}
	set, diags := providers.Open(reg, providers.Config{Blocks: blocks})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	at := func(line int) hcl.Range {
		return hcl.Range{Filename: "t.hcl", Start: hcl.Pos{Line: line, Column: 1}, End: hcl.Pos{Line: line, Column: 20}}
	}
	two := func(a, b string) []providers.ZoneUse {
		return []providers.ZoneUse{
			{Zone: "contoso.com", View: "internal", Provider: a, DefRange: at(4)},
			{Zone: "Contoso.com", View: "external", Provider: b, DefRange: at(8)},
		}
	}
	for _, tc := range []struct {
		name string
		uses []providers.ZoneUse
		want string // "line: detail prefix"; "" for none
	}{
		{"one network provider for both views", two("rfc2136.corp", "rfc2136.corp"),
			`8: Zone "Contoso.com" is declared for view "internal" at t.hcl:4:1 and for view "external" here, both through provider "rfc2136.corp".`},
		{"zone files keep views apart", two("zonefile.files", "zonefile.files"), ""},
		{"the default provider keeps views apart", two("zonefile.default", "zonefile.default"), ""},
		{"one provider per view", two("rfc2136.corp", "zonefile.files"), ""},
		{"an undeclared provider has its own diagnostic", two("rfc2136.nosuch", "rfc2136.nosuch"), ""},
		{"the same view twice is another rule's", []providers.ZoneUse{
			{Zone: "contoso.com", View: "internal", Provider: "rfc2136.corp", DefRange: at(4)},
			{Zone: "contoso.com", View: "internal", Provider: "rfc2136.corp", DefRange: at(8)},
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := set.CheckViews(tc.uses)
			if tc.want == "" {
				if len(ds) != 0 {
					t.Fatalf("want no diagnostics, got %v", ds)
				}
				return
			}
			if len(ds) != 1 {
				t.Fatalf("want one diagnostic, got %v", ds)
			}
			d := ds[0]
			line, detail, _ := strings.Cut(tc.want, ": ")
			if d.Summary != "Two views of a zone through one provider" || d.Severity != hcl.DiagError {
				t.Errorf("summary %q severity %v", d.Summary, d.Severity)
			}
			if got := d.Subject.Start.Line; line != itoa(got) {
				t.Errorf("at line %d, want %s", got, line)
			}
			if !strings.HasPrefix(d.Detail, detail) {
				t.Errorf("detail:\n got %s\nwant %s...", d.Detail, detail)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
