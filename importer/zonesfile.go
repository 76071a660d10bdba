package importer

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/topo-dns/topo/topology"
)

// ZonesFile is a zones file (ZONES.hcl): the provider and zone blocks of
// a topology, written exactly as a topology writes them, and nothing else.
type ZonesFile struct {
	Filename string
	Source   []byte
	// Files are the parsed file, for diagnostics that quote it.
	Files map[string]*hcl.File
	// File holds the decoded blocks as a topology file would.
	File *topology.File
	// Zones are the zones, defaulted as compile does (view, provider,
	// ownership, TTL), each with its block.
	Zones []ZoneBlock
	// EvalContext is what the provider blocks are decoded with (env()).
	EvalContext *hcl.EvalContext
}

// ZoneBlock is one zone of a zones file.
type ZoneBlock struct {
	*topology.ZoneRecords
	Block hcl.Range
}

// ParseZones reads a zones file: provider and zone blocks only (anything
// else is an error naming it), the zones checked as topo validate checks a
// topology's. It returns every diagnostic at once; the file is nil when
// any is an error.
func ParseZones(filename string, src []byte, opts topology.Options) (*ZonesFile, hcl.Diagnostics) {
	zf := &ZonesFile{Filename: filename, Source: src, Files: map[string]*hcl.File{}}
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if f != nil {
		zf.Files[filename] = f
	}
	if diags.HasErrors() {
		return nil, diags
	}
	body := f.Body.(*hclsyntax.Body)
	for _, a := range body.Attributes {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Not a provider or zone block",
			Detail:   fmt.Sprintf("A zones file holds only provider and zone blocks, as a topology writes them; %q belongs in the topology topo import writes (name is taken from DNS).", a.Name),
			Subject:  a.NameRange.Ptr(),
		})
	}
	for _, b := range body.Blocks {
		if b.Type != "provider" && b.Type != "zone" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Not a provider or zone block",
				Detail:   fmt.Sprintf("A zones file holds only provider and zone blocks, as a topology writes them; a %s block is not read here: topo import writes the %s blocks it infers.", b.Type, b.Type),
				Subject:  b.TypeRange.Ptr(),
			})
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	zf.EvalContext = topology.NewEvalContext(opts)
	var blocks struct {
		Providers []*topology.ProviderBlock `hcl:"provider,block"`
		Zones     []*topology.Zone          `hcl:"zone,block"`
	}
	diags = append(diags, gohcl.DecodeBody(f.Body, zf.EvalContext, &blocks)...)
	if diags.HasErrors() {
		return nil, diags
	}
	if len(blocks.Zones) == 0 {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "No zone blocks",
			Detail:   "The zones file declares no zone: write a zone block for each zone (and view) to read, as in a topology.",
			Subject:  &hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.InitialPos},
		})
		return nil, diags
	}
	// The zone checks are the language's: compile a topology of these
	// blocks alone (the name is a placeholder; it has no records).
	zf.File = &topology.File{Name: "import", Providers: blocks.Providers, Zones: blocks.Zones}
	d, ds := topology.Compile(zf.File)
	diags = append(diags, ds...)
	if diags.HasErrors() {
		return nil, diags
	}
	for _, zr := range d.Zones {
		zb := ZoneBlock{ZoneRecords: zr}
		for _, z := range blocks.Zones {
			if strings.TrimSuffix(strings.ToLower(z.Name), ".") == zr.Zone && z.ViewName() == zr.View {
				zb.Block = z.DefRange
			}
		}
		zf.Zones = append(zf.Zones, zb)
	}
	return zf, diags
}
