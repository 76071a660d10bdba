package publish_test

import (
	"io"
	"testing"

	"github.com/topo-dns/topo/publish"
	"github.com/topo-dns/topo/topology"
)

// BenchmarkRenderBig times the views of the 1,000-pool workload's first
// plan: in full, and bounded to a pull-request comment (which renders the
// summary at several levels of detail to find the largest that fits).
func BenchmarkRenderBig(b *testing.B) {
	p, f := bigFirstPlan()
	d, diags := topology.Compile(f)
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	for _, bc := range []struct {
		name  string
		write func() error
	}{
		{"text/full", func() error { return publish.WriteText(io.Discard, p, publish.TextOptions{}) }},
		{"text/bounded", func() error {
			return publish.WriteText(io.Discard, p, publish.TextOptions{MaxBytes: prCommentBytes})
		}},
		{"markdown/full", func() error { return publish.WriteMarkdown(io.Discard, p) }},
		{"markdown/bounded", func() error {
			return publish.WriteMarkdownWith(io.Discard, p, publish.MarkdownOptions{MaxBytes: prCommentBytes})
		}},
		{"markdown+graph/bounded", func() error {
			return publish.WriteMarkdownWith(io.Discard, p, publish.MarkdownOptions{MaxBytes: prCommentBytes, Topology: f, Desired: d})
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if err := bc.write(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
