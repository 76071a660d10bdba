package topology_test

import (
	"testing"

	"github.com/topo-dns/topo/topology"
)

// clients is a Front End pool p with the given load balancing attributes
// and a clients block, on lines 6 on:
//
//	6  <pool attributes, one or two lines>
//	   clients {
//	     <attributes>
func withBlock(poolAttrs, block string) string {
	return frontend(poolAttrs+block, wsIntFQDN+wsIntVIP)
}

const hardware = "    load_balancing = \"hardware\"\n    vip            = \"10.0.0.99\"\n"

func TestValidateGuideline(t *testing.T) {
	runValidation(t, []validationCase{
		{"many legacy clients", withBlock("", "    clients {\n      legacy_clients = \"many\"\n    }\n"), nil, []diag{
			warnAt("DNS load balancing not recommended for this pool", "7:24", `Many users homed in pool "p" run clients older than Lync 2010.`),
		}},
		{"many legacy servers", withBlock("", "    clients {\n      legacy_servers = \"many\"\n    }\n"), nil, []diag{
			warnAt("DNS load balancing not recommended for this pool", "7:24", "servers older than Lync 2010 (Office Communications Server)"),
		}},
		{"older Exchange UM", withBlock("", "    clients {\n      exchange_um = \"older\"\n    }\n"), nil, []diag{
			warnAt("DNS load balancing not recommended for this pool", "7:21", "Exchange Unified Messaging older than Exchange 2010 SP1"),
		}},
		{"all three", withBlock("", "    clients {\n      legacy_clients = \"many\"\n      legacy_servers = \"many\"\n      exchange_um    = \"older\"\n    }\n"), nil, []diag{
			warnAt("DNS load balancing not recommended for this pool", "7:24", "clients older than Lync 2010"),
			warnAt("DNS load balancing not recommended for this pool", "8:24", "Office Communications Server"),
			warnAt("DNS load balancing not recommended for this pool", "9:24", "Exchange UM"),
		}},
		{"invalid amounts", withBlock("", "    clients {\n      legacy_clients = \"meny\"\n      legacy_servers = \"some\"\n      exchange_um    = \"2010\"\n    }\n"), nil, []diag{
			errAt(`Invalid legacy_clients "meny"`, "7:24", `legacy_clients must be one of "none", "few" or "many". Did you mean "many"?`),
			errAt(`Invalid legacy_servers "some"`, "8:24", `legacy_servers must be one of "none", "few" or "many".`),
			errAt(`Invalid exchange_um "2010"`, "9:24", `exchange_um must be one of "none", "2010sp1" or "older".`),
		}},
		{"edge facts on a Front End pool", withBlock("", "    edge {\n      public_im = true\n    }\n"), nil, []diag{
			errAt("Edge facts on a pool that is not an Edge pool", "6:5", `The edge block describes an Edge pool; pool "p" has role "frontend".`),
		}},
		{"Edge interfaces balanced differently", withBlock("    role = \"edge\"\n", "    edge {\n      external_load_balancing = \"hardware\"\n    }\n"), nil, []diag{
			errAt("Edge interfaces with different load balancing", "8:33", `Pool "p" balances its internal interface with "dns" and its external interface with "hardware".`),
		}},
		{"Edge external load balancing invalid", withBlock("    role = \"edge\"\n", "    edge {\n      external_load_balancing = \"dnss\"\n    }\n"), nil, []diag{
			errAt(`Invalid external_load_balancing "dnss"`, "8:33", `Did you mean "dns"?`),
		}},
		{"Edge with DNS loses failover", withBlock("    role = \"edge\"\n", "    edge {\n      federation_legacy = false\n      public_im         = true\n      remote_um_legacy  = true\n    }\n"), nil, []diag{
			warnAt("Edge DNS load balancing loses failover", "9:27", `With DNS load balancing on Edge pool "p" these still work but lose failover when an Edge server is down: public IM connectivity and XMPP federation; Exchange Unified Messaging for remote users with Exchange older than 2013.`),
		}},
		{"Edge with DNS and legacy federation", withBlock("    role = \"edge\"\n", "    edge {\n      federation_legacy = true\n    }\n"), nil, []diag{
			warnAt("Edge DNS load balancing loses failover", "8:27", "federation with partners running servers older than Lync 2010"),
		}},
	})
	for _, tc := range []struct{ name, src string }{
		{"few legacy clients", withBlock("", "    clients {\n      legacy_clients = \"few\"\n      legacy_servers = \"none\"\n      exchange_um    = \"2010sp1\"\n    }\n")},
		{"many legacy clients on a hardware load balancer", withBlock(hardware, "    clients {\n      legacy_clients = \"many\"\n      exchange_um    = \"older\"\n    }\n")},
		{"Edge on hardware on both sides", withBlock("    role = \"edge\"\n"+hardware, "    edge {\n      public_im               = true\n      external_load_balancing = \"hardware\"\n    }\n")},
		{"Edge with DNS and nothing lost", withBlock("    role = \"edge\"\n", "    edge {\n      federation_legacy       = false\n      public_im               = false\n      external_load_balancing = \"dns\"\n    }\n")},
	} {
		t.Run("valid/"+tc.name, func(t *testing.T) {
			if _, diags := run(t, tc.src, topology.Options{}); len(diags) != 0 {
				t.Errorf("want no diagnostics, got %v\n%s", reduce(diags), lines(tc.src))
			}
		})
	}
}
