package zonefile_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/providers"
	"github.com/topo-dns/topo/providers/providertest"
	"github.com/topo-dns/topo/providers/zonefile"
)

// seedFile appends records to a zone file the way a person with an editor
// would, creating the file with SOA and NS when it is missing.
func seedFile(t *testing.T, path, zone string, sets []providers.RRset) {
	t.Helper()
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		data = []byte(fmt.Sprintf("$ORIGIN %s.\n$TTL 3600\n@ IN SOA ns1.example.net. hostmaster.example.net. 7 3600 600 1209600 300\n@ IN NS ns1.example.net.\n", zone))
	} else if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.Write(data)
	for _, s := range sets {
		// Replace the RRset: drop its old lines first.
		lines := strings.Split(b.String(), "\n")
		b.Reset()
		for _, l := range lines {
			f := strings.Fields(l)
			if len(f) >= 4 && strings.TrimSuffix(f[0], ".") == s.Name && f[3] == s.Type {
				continue
			}
			if l != "" {
				b.WriteString(l + "\n")
			}
		}
		for _, v := range s.Values {
			if s.Type == "TXT" {
				v = fmt.Sprintf("%q", v)
			}
			fmt.Fprintf(&b, "%s. %d IN %s %s\n", s.Name, s.TTL, s.Type, v)
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestContract(t *testing.T) { enginetest.Run(t, harness) }

// TestLibdnsContract runs the libdns-level contract suite on the same
// harness.
func TestLibdnsContract(t *testing.T) { providertest.RunLibdns(t, harness) }

// TestOpaqueRecords runs the contracts for records of every type topo
// does not own, written into the file by hand: the libdns calls, then
// plan and publish beside them.
func TestOpaqueRecords(t *testing.T) {
	t.Run("libdns", func(t *testing.T) { providertest.RunOpaque(t, harness) })
	t.Run("publish", func(t *testing.T) { enginetest.RunOpaque(t, harness) })
}

func harness(t *testing.T) providertest.Harness {
	dir := t.TempDir()
	p := &zonefile.Provider{Dir: dir}
	zone := "example.test"
	return providertest.Harness{
		Provider: p,
		Zone:     zone,
		Seed: func(t *testing.T, sets []providers.RRset) {
			seedFile(t, filepath.Join(dir, zone+".zone"), zone, sets)
		},
	}
}
