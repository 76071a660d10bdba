package topology_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/topo-dns/topo/topology"
)

func TestValidateEnums(t *testing.T) {
	runValidation(t, []validationCase{
		{"product with suggestion", "name    = \"t\"\nproduct = \"sfb-2015\"\n", nil, []diag{
			errAt(`Invalid product "sfb-2015"`, "2:11", `product must be one of "lync2010", "lync2013", "sfb2015" or "sfb2019". Did you mean "sfb2015"?`),
		}},
		{"product without suggestion", "name    = \"t\"\nproduct = \"office365\"\n", nil, []diag{
			errAt(`Invalid product "office365"`, "2:11", `product must be one of "lync2010", "lync2013", "sfb2015" or "sfb2019".`),
		}},
		{"view", zones("contoso.com", "internl"), nil, []diag{
			errAt(`Invalid view "internl"`, "3:10", `view must be one of "internal", "external" or "both". Did you mean "internal"?`),
		}},
		{"view case", zones("contoso.com", "External"), nil, []diag{
			errAt(`Invalid view "External"`, "3:10", `Did you mean "external"?`),
		}},
		{"ownership", "name = \"t\"\nzone \"contoso.com\" {\n  ownership = \"exclusiv\"\n}\n", nil, []diag{
			errAt(`Invalid ownership "exclusiv"`, "3:15", `ownership must be one of "shared" or "exclusive". Did you mean "exclusive"?`),
		}},
		{"adopt", "name = \"t\"\nzone \"contoso.com\" {\n  adopt = \"identicl\"\n}\n", nil, []diag{
			errAt(`Invalid adopt "identicl"`, "3:11", `adopt must be one of "identical" or "never". Did you mean "identical"?`),
		}},
		{"role", frontend("    role = \"frontent\"\n", "-"), nil, []diag{
			errAt(`Invalid role "frontent"`, "6:12", `role must be one of "frontend", "director", "edge" or "mediation". Did you mean "frontend"?`),
		}},
		{"load_balancing", frontend("    load_balancing = \"hardwre\"\n    vip = \"10.0.0.99\"\n", "-"), nil, []diag{
			errAt(`Invalid load_balancing "hardwre"`, "6:22", `Did you mean "hardware"?`),
		}},
		{"state", strings.Replace(server("fe01.contoso.com"), `ip   = "10.0.0.1"`, "ip   = \"10.0.0.1\"\n      state = \"drainig\"", 1), nil, []diag{
			errAt(`Invalid state "drainig"`, "10:15", `state must be one of "active", "draining" or "offline". Did you mean "draining"?`),
		}},
		{"state without suggestion", strings.Replace(server("fe01.contoso.com"), `ip   = "10.0.0.1"`, "ip   = \"10.0.0.1\"\n      state = \"maintenance\"", 1), nil, []diag{
			errAt(`Invalid state "maintenance"`, "10:15", `state must be one of "active", "draining" or "offline".`),
		}},
	})
}

func TestValidateUnknownAttributes(t *testing.T) {
	runValidation(t, []validationCase{
		{"top level", "name = \"t\"\nprodcut = \"sfb2015\"\n", nil, []diag{
			errAt("Unsupported argument", "2:1", `An argument named "prodcut" is not expected here. Did you mean "product"?`),
		}},
		{"zone", "name = \"t\"\nzone \"contoso.com\" {\n  tll = 300\n}\n", nil, []diag{
			errAt("Unsupported argument", "3:3", `An argument named "tll" is not expected here. Did you mean "ttl"?`),
		}},
		{"server", strings.Replace(server("fe01.contoso.com"), `ip   = "10.0.0.1"`, "ip   = \"10.0.0.1\"\n      stat = \"draining\"", 1), nil, []diag{
			errAt("Unsupported argument", "10:7", `An argument named "stat" is not expected here. Did you mean "state"?`),
		}},
		{"web_services", frontend("", wsIntFQDN+wsIntVIP+"      external_ip = \"203.0.113.1\"\n"), nil, []diag{
			errAt("Unsupported argument", "9:7", `An argument named "external_ip" is not expected here. Did you mean "external_vip"?`),
		}},
		{"pool", frontend("    load_balancng = \"dns\"\n", wsIntFQDN+wsIntVIP), nil, []diag{
			errAt("Unsupported argument", "6:5", `Did you mean "load_balancing"?`),
		}},
		{"block type", strings.Replace(server("fe01.contoso.com"), `server "a"`, `sever "a"`, 1), nil, []diag{
			errAt("Pool without servers", "4:3", ""),
			errAt("Unsupported block type", "7:5", `Blocks of type "sever" are not expected here. Did you mean "server"?`),
		}},
		{"attribute written as a block", "name = \"t\"\nzone \"contoso.com\" {\n  view {\n  }\n}\n", nil, []diag{
			errAt("Unsupported block type", "3:3", `Blocks of type "view" are not expected here. Did you mean to define argument "view"?`),
		}},
	})
}

// TestValidateMissingRequired: a missing required attribute is hcl's
// diagnostic, once, at the block that lacks it.
func TestValidateMissingRequired(t *testing.T) {
	runValidation(t, []validationCase{
		// issue 9 item 2: a server's fqdn is required unless it is the one
		// server of its pool (which then is the pool).
		{"server fqdn", strings.Replace(twoServers("s2", "s2.contoso.com", "10.0.0.2"), "      fqdn = \"s2.contoso.com\"\n", "", 1), nil, []diag{
			errAt("Missing server FQDN", "11:5", `Server "s2" has no fqdn. Only the one server of a single-server pool may leave it out (the pool FQDN is then its own); each of the 2 servers of pool "p" needs an FQDN of its own.`),
		}},
		{"server ip", strings.Replace(server("fe01.contoso.com"), "      ip   = \"10.0.0.1\"\n", "", 1), nil, []diag{
			errAt("Missing required argument", "7:16", `The argument "ip" is required`),
		}},
		{"topology name", "zone \"contoso.com\" {}\n", nil, []diag{
			errAt("Missing required argument", "1:1", `The argument "name" is required`),
		}},
	})
}

func TestValidateEnv(t *testing.T) {
	src := "name = env(\"TOPO_NAME\")\nzone \"contoso.com\" {}\n"
	t.Run("set", func(t *testing.T) {
		d, diags := run(t, src, topology.Options{LookupEnv: envOf(map[string]string{"TOPO_NAME": "from-env"})})
		if len(diags) != 0 {
			t.Fatalf("want no diagnostics, got %v", reduce(diags))
		}
		if d.Topology != "from-env" {
			t.Errorf("topology name = %q, want %q", d.Topology, "from-env")
		}
	})
	t.Run("set to the empty string", func(t *testing.T) {
		_, diags := run(t, src, topology.Options{LookupEnv: envOf(map[string]string{"TOPO_NAME": ""})})
		want := []diag{errAt("Empty topology name", "1:8", "")}
		if diff := cmp.Diff(want, matchDetails(want, reduce(diags))); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("unset", func(t *testing.T) {
		_, diags := run(t, src, topology.Options{LookupEnv: envOf(map[string]string{"OTHER": "x"})})
		// The problem is the call itself, naming the variable. (gohcl adds
		// its own "Unsuitable value: value must be known" at the same place.)
		want := errAt("Error in function call", "1:8", `Call to function "env" failed: environment variable "TOPO_NAME" is not set; export it before running topo.`)
		var got []diag
		for _, g := range reduce(diags) {
			if g.Summary == want.Summary {
				got = append(got, g)
			}
		}
		if diff := cmp.Diff([]diag{want}, matchDetails([]diag{want}, got)); diff != "" {
			t.Errorf("(-want +got):\n%s\nall: %v", diff, reduce(diags))
		}
		if !diags.HasErrors() {
			t.Error("an unset variable must be an error")
		}
	})
	t.Run("default lookup is the process environment", func(t *testing.T) {
		t.Setenv("TOPO_TEST_ENV_NAME", "process")
		ctx := topology.NewEvalContext(topology.Options{})
		expr, diags := hclsyntax.ParseExpression([]byte(`env("TOPO_TEST_ENV_NAME")`), "e.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		v, diags := expr.Value(ctx)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		if got := v.AsString(); got != "process" {
			t.Errorf("env() = %q, want %q", got, "process")
		}
	})
	t.Run("wrong argument", func(t *testing.T) {
		_, diags := run(t, "name = env(1, 2)\n", topology.Options{})
		if !diags.HasErrors() {
			t.Errorf("env with two arguments: want an error, got %v", reduce(diags))
		}
	})
}

func TestValidateTTLAndMaxChange(t *testing.T) {
	zone := func(attr string) string { return "name = \"t\"\nzone \"contoso.com\" {\n  " + attr + "\n}\n" }
	runValidation(t, []validationCase{
		{"zero TTL", zone("ttl = 0"), nil, []diag{
			errAt("Invalid TTL", "3:9", "A TTL is a number of seconds from 1 to 2147483647."),
		}},
		{"negative TTL", zone("ttl = -300"), nil, []diag{
			errAt("Invalid TTL", "3:9", ""),
		}},
		{"TTL past 2^31-1", zone("ttl = 2147483648"), nil, []diag{
			errAt("Invalid TTL", "3:9", ""),
		}},
		{"long TTL", zone("ttl = 3601"), nil, []diag{
			warnAt("Long TTL for DNS load balancing", "3:9", "With a TTL of 3601 s, clients keep resolving a drained or removed server"),
		}},
		{"longest TTL", zone("ttl = 2147483647"), nil, []diag{
			warnAt("Long TTL for DNS load balancing", "3:9", ""),
		}},
		{"TTL as a string", zone(`ttl = "five minutes"`), nil, []diag{
			errAt("Unsuitable value type", "3:10", "a number is required"),
		}},
		{"pool TTL zero", frontend("    ttl = 0\n", wsIntFQDN+wsIntVIP), nil, []diag{
			errAt("Invalid TTL", "6:11", ""),
		}},
		{"pool TTL too large", frontend("    ttl = 4294967296\n", wsIntFQDN+wsIntVIP), nil, []diag{
			errAt("Invalid TTL", "6:11", ""),
		}},
		{"max_change zero", zone("max_change = 0"), nil, []diag{
			errAt("Invalid max_change", "3:16", "greater than 0 and at most 1 (0.3 is 30%)"),
		}},
		{"max_change negative", zone("max_change = -0.1"), nil, []diag{
			errAt("Invalid max_change", "3:16", ""),
		}},
		{"max_change above 1", zone("max_change = 1.5"), nil, []diag{
			errAt("Invalid max_change", "3:16", ""),
		}},
		{"max_change as a percentage", zone("max_change = 30"), nil, []diag{
			errAt("Invalid max_change", "3:16", ""),
		}},
	})
	for _, attr := range []string{"ttl = 1", "ttl = 3600", "max_change = 1", "max_change = 0.3", "max_change = 0.001"} {
		t.Run("valid/"+attr, func(t *testing.T) {
			if _, diags := run(t, zone(attr), topology.Options{}); len(diags) != 0 {
				t.Errorf("want no diagnostics, got %v", reduce(diags))
			}
		})
	}
}

func TestValidateTopologyName(t *testing.T) {
	named := func(n string) string { return "name = \"" + n + "\"\n" }
	runValidation(t, []validationCase{
		{"empty", named(""), nil, []diag{
			errAt("Empty topology name", "1:8", "give it a short name"),
		}},
		{"capitals", named("Contoso"), nil, []diag{
			errAt("Invalid topology name", "1:8", `The name "Contoso" is written into ownership markers in DNS; use lowercase letters, digits and hyphens, starting with a letter or digit.`),
		}},
		{"leading hyphen", named("-contoso"), nil, []diag{
			errAt("Invalid topology name", "1:8", ""),
		}},
		{"underscore", named("contoso_prod"), nil, []diag{
			errAt("Invalid topology name", "1:8", ""),
		}},
		{"dot", named("contoso.com"), nil, []diag{
			errAt("Invalid topology name", "1:8", ""),
		}},
		{"space", named("contoso prod"), nil, []diag{
			errAt("Invalid topology name", "1:8", ""),
		}},
		{"64 characters", named(strings.Repeat("a", 64)), nil, []diag{
			errAt("Invalid topology name", "1:8", ""),
		}},
	})
	for _, n := range []string{"contoso", "contoso-prod", "2026", strings.Repeat("a", 63)} {
		t.Run("valid/"+n, func(t *testing.T) {
			if _, diags := run(t, named(n), topology.Options{}); len(diags) != 0 {
				t.Errorf("want no diagnostics, got %v", reduce(diags))
			}
		})
	}
}

func TestValidateProviderReferences(t *testing.T) {
	runValidation(t, []validationCase{
		{"undeclared", "name = \"t\"\nprovider \"zonefile\" \"local\" {}\nzone \"contoso.com\" {\n  provider = \"rfc2136.corp\"\n}\n", nil, []diag{
			errAt("Unknown provider", "4:14", `The zone names provider "rfc2136.corp", but no provider block (provider "rfc2136" "corp" { ... }) is declared. Declared: "zonefile.local".`),
		}},
		{"none declared", "name = \"t\"\nzone \"contoso.com\" {\n  provider = \"cloudflare.public\"\n}\n", nil, []diag{
			errAt("Unknown provider", "3:14", "No provider blocks are declared; omit provider to use the embedded zone file provider."),
		}},
		{"not kind.name", "name = \"t\"\nzone \"contoso.com\" {\n  provider = \"corp\"\n}\n", nil, []diag{
			errAt("Unknown provider", "3:14", `(provider references are written "<kind>.<name>", for example "rfc2136.corp")`),
		}},
	})
	for _, tc := range []struct{ name, src string }{
		{"declared", "name = \"t\"\nprovider \"zonefile\" \"local\" {}\nzone \"contoso.com\" {\n  provider = \"zonefile.local\"\n}\n"},
		{"the embedded default by name", "name = \"t\"\nzone \"contoso.com\" {\n  provider = \"zonefile.default\"\n}\n"},
		// Whether a kind exists is the providers package's question.
		{"a kind topology does not know", "name = \"t\"\nprovider \"nosuchkind\" \"x\" {}\nzone \"contoso.com\" {\n  provider = \"nosuchkind.x\"\n}\n"},
	} {
		t.Run("valid/"+tc.name, func(t *testing.T) {
			if _, diags := run(t, tc.src, topology.Options{}); len(diags) != 0 {
				t.Errorf("want no diagnostics, got %v", reduce(diags))
			}
		})
	}
}

// TestValidateAllAtOnce: five different problems in one file come back
// together, each once, from one run.
func TestValidateAllAtOnce(t *testing.T) {
	src := `name    = "Contoso"
product = "sfb-2015"
zone "contoso.com" {
  tll = 300
}
site "s" {
  pool "p" {
    role = "edge"
    fqdn = "pool.contoso.com"
    server "a" {
      fqdn = "fe_01.contoso.com"
      ip   = "10.0.0.300"
    }
  }
}
`
	runValidation(t, []validationCase{{"five problems", src, nil, []diag{
		errAt("Invalid topology name", "1:11", ""),
		errAt(`Invalid product "sfb-2015"`, "2:11", ""),
		errAt("Unsupported argument", "4:3", ""),
		errAt("Invalid FQDN", "11:14", ""),
		errAt("Invalid IP address", "12:14", ""),
	}}})
}
