package publish

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzUnmarshalPlan feeds arbitrary bytes to the saved-plan reader: it
// never panics, and a plan it accepts survives a marshal round trip, only
// holds well-formed changes, and renders within a bound.
func FuzzUnmarshalPlan(f *testing.F) {
	f.Add([]byte(`{"format_version":1,"kind":"topo-plan","topology":"t","zones":[]}`))
	f.Add([]byte(`{"format_version":1,"kind":"topo-plan","zones":[{"zone":"contoso.com","view":"internal","provider":"zonefile.default","changes":[{"action":"create","name":"a.contoso.com","type":"A","after":{"name":"a.contoso.com","type":"A","ttl":300,"values":["10.0.0.1"]}}]}]}`))
	f.Add([]byte(`{"format_version":2,"kind":"topo-plan"}`))
	f.Add([]byte(`{"kind":"topo-plan","zones":[{"zone":"z","provider":"p","changes":[{"action":"delete","name":"x","type":"A"}]}]}`))
	f.Add([]byte(`name = "contoso"`))
	// The first two as topo writes them, with their checksum.
	for _, seed := range []string{
		`{"format_version":1,"kind":"topo-plan","topology":"t","zones":[]}`,
		`{"format_version":1,"kind":"topo-plan","zones":[{"zone":"contoso.com","view":"internal","provider":"zonefile.default","changes":[{"action":"create","name":"a.contoso.com","type":"A","after":{"name":"a.contoso.com","type":"A","ttl":300,"values":["10.0.0.1"]}}]}]}`,
	} {
		var p Plan
		if err := json.Unmarshal([]byte(seed), &p); err != nil {
			f.Fatal(err)
		}
		data, err := p.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Unmarshal(data)
		if err != nil {
			if p != nil {
				t.Fatal("a refused plan must not be returned")
			}
			return
		}
		if !IsPlan(data) {
			t.Fatal("Unmarshal accepted what IsPlan rejects")
		}
		out, err := p.Marshal()
		if err != nil {
			t.Fatalf("marshal an accepted plan: %v", err)
		}
		again, err := Unmarshal(out)
		if err != nil {
			t.Fatalf("a re-marshalled plan is refused: %v", err)
		}
		out2, _ := again.Marshal()
		if !bytes.Equal(out, out2) {
			t.Fatal("marshal is not stable")
		}
		for _, z := range p.Zones {
			for _, c := range z.Changes {
				for _, e := range c.Edits() {
					_ = e.Key()
				}
			}
		}
		var b bytes.Buffer
		if err := WriteText(&b, p, TextOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := WriteMarkdown(&b, p); err != nil {
			t.Fatal(err)
		}
		// Bounded, the views keep their bound, whatever the plan holds
		// (but a topology name longer than a valid one: the title).
		for _, write := range []func(*bytes.Buffer) error{
			func(b *bytes.Buffer) error { return WriteText(b, p, TextOptions{MaxBytes: MinMaxBytes}) },
			func(b *bytes.Buffer) error { return WriteMarkdownWith(b, p, MarkdownOptions{MaxBytes: MinMaxBytes}) },
		} {
			var b bytes.Buffer
			if err := write(&b); err != nil {
				t.Fatal(err)
			}
			if len(p.Topology) < 256 && b.Len() > MinMaxBytes {
				t.Fatalf("bounded view of %d bytes, over %d:\n%s", b.Len(), MinMaxBytes, b.String())
			}
		}
	})
}
