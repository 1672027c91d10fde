package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// node is a parsed XML element with names kept as written ("w:p"), which
// is how the tests and the golden files talk about WordprocessingML.
type node struct {
	name     string
	attrs    []xml.Attr
	children []*node
	text     string // character data directly inside the element
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// parseXML checks that data is well-formed (strict decoder) and returns its
// root element.
func parseXML(data []byte) (*node, error) {
	strict := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := strict.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	var stack []*node
	var root *node
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &node{name: qname(t.Name), attrs: t.Attr}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}

func (n *node) attr(name string) string {
	for _, a := range n.attrs {
		if qname(a.Name) == name {
			return a.Value
		}
	}
	return ""
}

func (n *node) has(name string) bool {
	for _, a := range n.attrs {
		if qname(a.Name) == name {
			return true
		}
	}
	return false
}

// child returns the first direct child named name, nil if none.
func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// path follows direct children by name.
func (n *node) path(names ...string) *node {
	for _, name := range names {
		n = n.child(name)
	}
	return n
}

// all returns the descendants named name in document order.
func (n *node) all(name string) []*node {
	var out []*node
	var walk func(*node)
	walk = func(m *node) {
		for _, c := range m.children {
			if c.name == name {
				out = append(out, c)
			}
			walk(c)
		}
	}
	walk(n)
	return out
}

// wordText is the text of a paragraph or cell as Word shows it: w:t
// content, w:br as a line feed, w:tab as a tab.
func (n *node) wordText() string {
	var b strings.Builder
	var walk func(*node)
	walk = func(m *node) {
		switch m.name {
		case "w:t":
			b.WriteString(m.text)
		case "w:br":
			b.WriteByte('\n')
		case "w:tab":
			b.WriteByte('\t')
		}
		for _, c := range m.children {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// indented is the golden-file projection: one element per line, attributes
// in written order, character data inline.
func (n *node) indented() []byte {
	var b bytes.Buffer
	var walk func(*node, int)
	walk = func(m *node, depth int) {
		b.WriteString(strings.Repeat("  ", depth))
		b.WriteString("<" + m.name)
		for _, a := range m.attrs {
			fmt.Fprintf(&b, " %s=%q", qname(a.Name), a.Value)
		}
		switch {
		case len(m.children) == 0 && m.text == "":
			b.WriteString("/>\n")
		case len(m.children) == 0:
			b.WriteString(">")
			xml.EscapeText(&b, []byte(m.text))
			b.WriteString("</" + m.name + ">\n")
		default:
			b.WriteString(">\n")
			for _, c := range m.children {
				walk(c, depth+1)
			}
			b.WriteString(strings.Repeat("  ", depth) + "</" + m.name + ">\n")
		}
	}
	walk(n, 0)
	return b.Bytes()
}

// unzipParts returns the archive's entries by name and their stored order.
func unzipParts(t testing.TB, data []byte) (map[string][]byte, []*zip.File) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip archive: %v", err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		parts[f.Name] = b
	}
	return parts, zr.File
}

// parsePart parses one part of a rendered package, failing the test if it
// is missing or not well-formed.
func parsePart(t testing.TB, parts map[string][]byte, name string) *node {
	t.Helper()
	b, ok := parts[name]
	if !ok {
		t.Fatalf("no part %s", name)
	}
	n, err := parseXML(b)
	if err != nil {
		t.Fatalf("%s is not well-formed XML: %v", name, err)
	}
	return n
}
