package importer

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// The namespaces of the two documents' roots. Inside, elements are matched
// by local name: the WritableTopology, Topology, ServiceRoles and
// SimpleUrl namespaces (all ".2008", whatever the product version) only
// say which schema each element comes from.
const (
	nsBuilder  = "urn:schema:Microsoft.Rtc.Management.Deploy.TopologyBuilder.2008"
	nsTopology = "urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008"
)

// maxDepth bounds element nesting: Microsoft's documents nest about ten
// deep, and a bound keeps a hostile file from costing more than its size.
const maxDepth = 200

// node is one XML element with where it starts, enough of a DOM for the
// reader to walk both document forms and to point at any element.
type node struct {
	name  xml.Name
	attrs []xml.Attr
	kids  []*node
	text  strings.Builder
	rng   hcl.Range // "<Name" of the start tag
}

// The accessors accept a nil node (a missing element) and find nothing in
// it, so walks read as paths.

// attr returns the value of the attribute with this local name (the
// documents' attributes carry no namespace).
func (n *node) attr(local string) string {
	v, _ := n.lookup(local)
	return v
}

func (n *node) lookup(local string) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, a := range n.attrs {
		if a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// child returns the first child element with this local name, or nil.
func (n *node) child(local string) *node {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.name.Local == local {
			return k
		}
	}
	return nil
}

// children returns the child elements with this local name.
func (n *node) children(local string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, k := range n.kids {
		if k.name.Local == local {
			out = append(out, k)
		}
	}
	return out
}

// path follows child elements by local name; nil when one is missing.
func (n *node) path(locals ...string) *node {
	for _, l := range locals {
		if n == nil {
			return nil
		}
		n = n.child(l)
	}
	return n
}

// line is the element's line, for messages.
func (n *node) line() int { return n.rng.Start.Line }

// tag renders the start tag with the attributes that identify it, as
// messages and comments quote it: `Cluster Fqdn="pool01.contoso.com"`.
func (n *node) tag(attrs ...string) string {
	var b strings.Builder
	b.WriteString(n.name.Local)
	for _, a := range attrs {
		if v, ok := n.lookup(a); ok {
			fmt.Fprintf(&b, " %s=%q", a, v)
		}
	}
	return b.String()
}

// parseXML reads data into a tree. Errors say what the file is when it is
// not what topo reads: empty, not XML, truncated (with the elements left
// open), or XML of another kind (its root and namespace). The root's name is
// checked as soon as it is read, so a wrong document is named as such even
// when it is also broken.
func parseXML(filename string, data []byte) (*node, hcl.Diagnostics) {
	data, err := toUTF8(data)
	if err != nil {
		return nil, fileError(filename, "Not a topology document", err.Error())
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(trimmed) == 0 {
		return nil, fileError(filename, "Empty topology file", fmt.Sprintf("%s is empty. %s", filename, expected))
	}
	if trimmed[0] != '<' {
		return nil, fileError(filename, "Not an XML document", fmt.Sprintf("%s is not XML: it starts with %s. %s", filename, quoteStart(trimmed), expected))
	}

	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		// toUTF8 has already turned UTF-16 into UTF-8; US-ASCII is a subset.
		switch strings.ToLower(label) {
		case "utf-8", "utf8", "utf-16", "utf16", "unicode", "us-ascii", "ascii":
			return r, nil
		}
		return nil, fmt.Errorf("the document declares encoding %q; topo reads UTF-8 and UTF-16", label)
	}
	var root *node
	var stack []*node
	for {
		line, col := d.InputPos()
		start := hcl.Pos{Line: line, Column: col, Byte: int(d.InputOffset())}
		tok, err := d.Token()
		if err == io.EOF && root != nil && len(stack) == 0 {
			return root, nil
		}
		if err != nil {
			return nil, xmlError(filename, data, err, start, stack, root)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return nil, diagAt(filename, start, "XML nested too deeply", fmt.Sprintf("Element <%s> at line %d is nested %d elements deep; a topology document nests about ten.", t.Name.Local, start.Line, len(stack)))
			}
			// The range is "<Name": what a snippet underlines.
			w := 1 + len(t.Name.Local)
			n := &node{name: t.Name, attrs: t.Attr, rng: hcl.Range{
				Filename: filename,
				Start:    start,
				End:      hcl.Pos{Line: start.Line, Column: start.Column + w, Byte: start.Byte + w},
			}}
			if root == nil {
				root = n
				if ds := checkRoot(n); ds != nil {
					return nil, ds
				}
			} else if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.kids = append(top.kids, n)
			} else {
				return nil, diagAt(filename, start, "XML syntax error", fmt.Sprintf("A second root element <%s> at line %d: an XML document has one.", t.Name.Local, start.Line))
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		}
	}
}

// expected is what every "wrong file" message ends with.
const expected = `topo imports a Topology Builder document (.tbxml: <TopologyBuilder xmlns="` + nsBuilder + `">) or a published topology (Get-CsTopology -AsXml: <Topology xmlns="` + nsTopology + `">).`

func checkRoot(n *node) hcl.Diagnostics {
	switch {
	case n.name.Local == "TopologyBuilder" && n.name.Space == nsBuilder,
		n.name.Local == "Topology" && n.name.Space == nsTopology:
		return nil
	case n.name.Local == "TopologyBuilder" || n.name.Local == "Topology":
		return diagRange(n.rng, "Wrong XML namespace", fmt.Sprintf("The root element <%s> is in namespace %s, not the one Microsoft's tools write. %s", n.name.Local, nsText(n.name.Space), expected))
	}
	return diagRange(n.rng, "Not a Lync or Skype for Business topology", fmt.Sprintf("The root element is <%s> in namespace %s. %s", n.name.Local, nsText(n.name.Space), expected))
}

func nsText(ns string) string {
	if ns == "" {
		return "none"
	}
	return fmt.Sprintf("%q", ns)
}

// xmlError explains why the decoder stopped.
func xmlError(filename string, data []byte, err error, at hcl.Pos, stack []*node, root *node) hcl.Diagnostics {
	var se *xml.SyntaxError
	isEOF := errors.Is(err, io.EOF) || errors.As(err, &se) && strings.Contains(se.Msg, "unexpected EOF")
	switch {
	case err == io.EOF && root == nil:
		return fileError(filename, "Not an XML document", fmt.Sprintf("%s holds no XML element. %s", filename, expected))
	case isEOF && len(stack) > 0:
		open := make([]string, 0, len(stack))
		for i := len(stack) - 1; i >= 0 && len(open) < 4; i-- {
			open = append(open, fmt.Sprintf("<%s> (line %d)", stack[i].name.Local, stack[i].line()))
		}
		// The last line with anything on it: where the file was cut.
		line := 1 + bytes.Count(bytes.TrimRight(data, " \t\r\n"), []byte("\n"))
		at = hcl.Pos{Line: line, Column: 1}
		return diagAt(filename, at, "Truncated topology file", fmt.Sprintf("%s ends at line %d with %d element(s) still open: %s. Export the topology again (Get-CsTopology -AsXml, or save it in Topology Builder).", filename, line, len(stack), strings.Join(open, " in ")))
	case se != nil:
		return diagAt(filename, hcl.Pos{Line: se.Line, Column: 1}, "XML syntax error", fmt.Sprintf("%s line %d: %s.", filename, se.Line, se.Msg))
	}
	return diagAt(filename, at, "Cannot read the XML", fmt.Sprintf("%s line %d: %v.", filename, at.Line, err))
}

// toUTF8 turns a UTF-16 document (Windows PowerShell's `>` writes
// Get-CsTopology -AsXml that way) into UTF-8; others pass unchanged.
func toUTF8(data []byte) ([]byte, error) {
	var big bool
	switch {
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		big = true
	default:
		return data, nil
	}
	body := data[2:]
	if len(body)%2 != 0 {
		return nil, fmt.Errorf("the file starts with a UTF-16 byte order mark but has an odd number of bytes: it is truncated or not text")
	}
	u := make([]uint16, len(body)/2)
	for i := range u {
		if big {
			u[i] = uint16(body[2*i])<<8 | uint16(body[2*i+1])
		} else {
			u[i] = uint16(body[2*i+1])<<8 | uint16(body[2*i])
		}
	}
	out := make([]byte, 0, len(u))
	for _, r := range utf16.Decode(u) {
		out = utf8.AppendRune(out, r)
	}
	return out, nil
}

// quoteStart quotes the first line of a file that is not XML, shortened.
func quoteStart(b []byte) string {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	s := strings.TrimSpace(strings.ToValidUTF8(string(line), "\uFFFD"))
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "..."
	}
	return fmt.Sprintf("%q", s)
}

func fileError(filename, summary, detail string) hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: detail,
		Subject: &hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.InitialPos}}}
}

func diagAt(filename string, at hcl.Pos, summary, detail string) hcl.Diagnostics {
	return diagRange(hcl.Range{Filename: filename, Start: at, End: at}, summary, detail)
}

func diagRange(rng hcl.Range, summary, detail string) hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: &rng}}
}
