package publish_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/topo-dns/topo/engine/enginetest"
	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

func TestZZMeasure(t *testing.T) {
	src := enginetest.BigTopology("bench.test", 1000)
	top, diags := topology.Parse([]byte(src), "bench.hcl", topology.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	d, diags := topology.Compile(top.File)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	p := zones{}.plan(d)
	var txt, md, g bytes.Buffer
	publish.WriteText(&txt, p, publish.TextOptions{})
	publish.WriteMarkdown(&md, p)
	topology.WriteMermaid(&g, top.File, d)
	j, _ := p.Marshal()
	t.Logf("text lines %d bytes %d; md bytes %d; graph bytes %d; md+graph %d; json %d; joining %d", strings.Count(txt.String(), "\n"), txt.Len(), md.Len(), g.Len(), md.Len()+g.Len()+len("#### Topology\n\n```mermaid\n```\n"), len(j), strings.Count(txt.String(), "[joining]"))
}
