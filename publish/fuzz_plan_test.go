package publish

import (
	"bytes"
	"testing"
)

// FuzzUnmarshalPlan feeds arbitrary bytes to the saved-plan reader: it
// never panics, and a plan it accepts survives a marshal round trip and
// only holds well-formed changes.
func FuzzUnmarshalPlan(f *testing.F) {
	f.Add([]byte(`{"format_version":1,"kind":"topo-plan","topology":"t","zones":[]}`))
	f.Add([]byte(`{"format_version":1,"kind":"topo-plan","zones":[{"zone":"contoso.com","view":"internal","provider":"zonefile.default","changes":[{"action":"create","name":"a.contoso.com","type":"A","after":{"name":"a.contoso.com","type":"A","ttl":300,"values":["10.0.0.1"]}}]}]}`))
	f.Add([]byte(`{"format_version":2,"kind":"topo-plan"}`))
	f.Add([]byte(`{"kind":"topo-plan","zones":[{"zone":"z","provider":"p","changes":[{"action":"delete","name":"x","type":"A"}]}]}`))
	f.Add([]byte(`name = "contoso"`))
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
	})
}
