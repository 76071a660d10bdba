package engine

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/topo-dns/topo/publish"
)

// LoadPlan reads a saved plan, data being the contents of planPath, and
// loads the topology it was made from (see TopologyOf). A plan of another
// format version, or not well formed, is an error. The topology may still
// have errors: check the Loaded's Desired (nil then, its Diags say why)
// before publishing. Publish refuses the plan if the topology file changed
// since it was made.
func LoadPlan(planPath string, data []byte, opts LoadOptions) (*Loaded, *publish.Plan, error) {
	p, err := publish.Unmarshal(data)
	if err != nil {
		return nil, nil, fmt.Errorf("read plan %q: %w", planPath, err)
	}
	return Load(TopologyOf(planPath, p), opts), p, nil
}

// TopologyOf returns the path of the topology file a saved plan was made
// from: its topology_file as given to plan, or, when that is relative and
// does not exist from here, the same path beside the plan file (a plan
// made in another directory, as a CI job does).
func TopologyOf(planPath string, p *publish.Plan) string {
	path := p.TopologyFile
	if _, err := os.Stat(path); err != nil && !filepath.IsAbs(path) {
		if alt := filepath.Join(filepath.Dir(planPath), path); fileExists(alt) {
			return alt
		}
	}
	return path
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
