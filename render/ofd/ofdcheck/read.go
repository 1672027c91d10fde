// Package ofdcheck reads an OFD package back and checks the structure rules
// archival readers enforce (GB/T 33190-2016, and GB/T 42133-2022 for
// DocType OFD-A): element order, required attributes, unique IDs and
// MaxUnitID, every reference and location resolving inside the package,
// fonts embedded, parseable and subset. No OFD validator can be installed
// here, so this is ours; tests run it on every package they write.
//
// Read also gives back what a reader draws — each character with its
// position in millimetres — so tests can compare an OFD with its PDF and
// with what a browser reader shows.
package ofdcheck

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// Namespace is the OFD namespace every element must be in.
const Namespace = "http://www.ofdspec.org/2016"

// Node is an element of a package's XML file.
type Node struct {
	Name     string // local name; Space is checked while reading
	Space    string
	Attr     map[string]string
	AttrList []string // attribute names in file order
	Children []*Node
	Text     string // character data directly inside
}

// Child is the first child named name, or nil.
func (n *Node) Child(name string) *Node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// text is n's character data; "" for a missing element.
func (n *Node) text() string {
	if n == nil {
		return ""
	}
	return n.Text
}

// All are the children named name.
func (n *Node) All(name string) []*Node {
	if n == nil {
		return nil
	}
	var out []*Node
	for _, c := range n.Children {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// walk visits n and its descendants depth-first.
func (n *Node) walk(f func(*Node)) {
	f(n)
	for _, c := range n.Children {
		c.walk(f)
	}
}

// Package is an OFD package read into memory.
type Package struct {
	Files    map[string][]byte // by path inside the ZIP
	Order    []string          // paths in ZIP order
	DocType  string
	OFD      *Node            // OFD.xml
	DocRoot  string           // path of Document.xml
	Document *Node            // nil if DocRoot is missing
	Pages    []Page           // in Pages order
	Fonts    map[string]*Font // by ID
	DocInfo  map[string]string
	Custom   []KV // CustomData in order

	xml map[string]*Node // parsed XML files by path
}

// KV is a CustomData entry.
type KV struct{ Name, Value string }

// Page is one page as drawn.
type Page struct {
	ID      string
	Path    string
	Content *Node
	Chars   []Char // in content order
	Paths   int    // PathObjects
}

// Char is one drawn character: its baseline origin in page millimetres.
type Char struct {
	R      rune
	X, Y   float64
	Font   string // font ID
	Size   float64
	Glyph  int // glyph id from a CGTransform, or -1
	Object string
}

// Font is a PublicRes font and its embedded file.
type Font struct {
	ID, Name, File string // File: package path of FontFile, "" if none
	Data           []byte
}

// Text is the page's characters in order, the way a reader lists them.
func (p *Page) Text() string {
	var b strings.Builder
	for _, c := range p.Chars {
		b.WriteRune(c.R)
	}
	return b.String()
}

// Read unzips and parses pkg without judging it (Check judges). It fails
// only when pkg is not a ZIP or OFD.xml is missing or unparseable.
func Read(pkg []byte) (*Package, error) {
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		return nil, fmt.Errorf("not a ZIP: %w", err)
	}
	p := &Package{Files: map[string][]byte{}, Fonts: map[string]*Font{}, DocInfo: map[string]string{}, xml: map[string]*Node{}}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		data, err := io.ReadAll(io.LimitReader(rc, 256<<20))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		if _, dup := p.Files[f.Name]; dup {
			return nil, fmt.Errorf("%s: twice in the ZIP", f.Name)
		}
		p.Files[f.Name] = data
		p.Order = append(p.Order, f.Name)
	}
	root, err := p.parse("OFD.xml")
	if err != nil {
		return nil, err
	}
	p.OFD = root
	p.DocType = root.Attr["DocType"]
	body := root.Child("DocBody")
	if info := body.Child("DocInfo"); info != nil {
		for _, c := range info.Children {
			if c.Name != "CustomDatas" && c.Name != "Keywords" {
				p.DocInfo[c.Name] = c.Text
			}
		}
		for _, c := range info.Child("CustomDatas").All("CustomData") {
			p.Custom = append(p.Custom, KV{c.Attr["Name"], c.Text})
		}
	}
	if dr := body.Child("DocRoot"); dr != nil {
		p.DocRoot = resolve("", strings.TrimSpace(dr.Text))
		if doc, err := p.parse(p.DocRoot); err == nil {
			p.Document = doc
		}
	}
	if p.Document != nil {
		p.readFonts()
		p.readPages()
	}
	return p, nil
}

// parse parses an XML file of the package once.
func (p *Package) parse(name string) (*Node, error) {
	if n, ok := p.xml[name]; ok {
		return n, nil
	}
	data, ok := p.Files[name]
	if !ok {
		return nil, fmt.Errorf("%s: not in the package", name)
	}
	n, err := parseXML(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	p.xml[name] = n
	return n, nil
}

func parseXML(data []byte) (*Node, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []*Node
	var root *Node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &Node{Name: t.Name.Local, Space: t.Name.Space, Attr: map[string]string{}}
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" && a.Name.Space == "" {
					continue
				}
				n.Attr[a.Name.Local] = a.Value
				n.AttrList = append(n.AttrList, a.Name.Local)
			}
			if len(stack) == 0 {
				if root != nil {
					return nil, fmt.Errorf("more than one root element")
				}
				root = n
			} else {
				parent := stack[len(stack)-1]
				parent.Children = append(parent.Children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(t)
			}
		}
	}
	if root == nil {
		return nil, fmt.Errorf("no root element")
	}
	return root, nil
}

// resolve is the package path of loc named in a file under dir: absolute
// locations start at the package root, others at dir.
func resolve(dir, loc string) string {
	if strings.HasPrefix(loc, "/") {
		return strings.TrimPrefix(path.Clean(loc), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Join("/", dir, loc)), "/")
}

// escapes reports whether loc leaves the package: a URL, a drive or UNC
// path, or a relative path climbing above the package root.
func escapes(dir, loc string) bool {
	if strings.Contains(loc, "://") || strings.HasPrefix(loc, `\\`) || len(loc) > 1 && loc[1] == ':' {
		return true
	}
	if strings.HasPrefix(loc, "/") {
		return strings.HasPrefix(path.Clean(loc), "/..")
	}
	clean := path.Clean(path.Join(dir, loc))
	return clean == ".." || strings.HasPrefix(clean, "../")
}

// resFiles are the PublicRes and DocumentRes files of the document.
func (p *Package) resFiles() []string {
	var out []string
	cd := p.Document.Child("CommonData")
	dir := path.Dir(p.DocRoot)
	for _, name := range []string{"PublicRes", "DocumentRes"} {
		for _, r := range cd.All(name) {
			out = append(out, resolve(dir, strings.TrimSpace(r.Text)))
		}
	}
	return out
}

func (p *Package) readFonts() {
	for _, rf := range p.resFiles() {
		res, err := p.parse(rf)
		if err != nil {
			continue
		}
		base := path.Dir(rf)
		if bl, ok := res.Attr["BaseLoc"]; ok {
			base = resolve(base, bl)
		}
		for _, f := range res.Child("Fonts").All("Font") {
			font := &Font{ID: f.Attr["ID"], Name: f.Attr["FontName"]}
			if ff := f.Child("FontFile"); ff != nil {
				font.File = resolve(base, strings.TrimSpace(ff.Text))
				font.Data = p.Files[font.File]
			}
			p.Fonts[font.ID] = font
		}
	}
}

func (p *Package) readPages() {
	dir := path.Dir(p.DocRoot)
	for _, pg := range p.Document.Child("Pages").All("Page") {
		page := Page{ID: pg.Attr["ID"], Path: resolve(dir, pg.Attr["BaseLoc"])}
		if n, err := p.parse(page.Path); err == nil {
			page.Content = n
			readChars(&page)
		}
		p.Pages = append(p.Pages, page)
	}
}

// readChars lists the characters of the page's text objects with the
// positions GB/T 33190 gives them: Boundary origin + TextCode X/Y, then
// DeltaX from each character to the next.
func readChars(page *Page) {
	for _, layer := range page.Content.Child("Content").All("Layer") {
		for _, obj := range layer.Children {
			switch obj.Name {
			case "PathObject":
				page.Paths++
			case "TextObject":
				box, _ := numbers(obj.Attr["Boundary"])
				if len(box) != 4 {
					continue
				}
				size, _ := strconv.ParseFloat(obj.Attr["Size"], 64)
				glyph := map[int]int{}
				for _, c := range obj.Children {
					switch c.Name {
					case "CGTransform":
						pos, _ := strconv.Atoi(c.Attr["CodePosition"])
						if g, err := numbers(c.Child("Glyphs").text()); err == nil && len(g) > 0 {
							glyph[pos] = int(g[0])
						}
					case "TextCode":
						x, _ := strconv.ParseFloat(c.Attr["X"], 64)
						y, _ := strconv.ParseFloat(c.Attr["Y"], 64)
						dx, _ := Deltas(c.Attr["DeltaX"])
						i := 0
						for _, r := range c.Text {
							if i > 0 && i-1 < len(dx) {
								x += dx[i-1]
							}
							g, ok := glyph[i]
							if !ok {
								g = -1
							}
							page.Chars = append(page.Chars, Char{R: r, X: box[0] + x, Y: box[1] + y, Font: obj.Attr["Font"], Size: size, Glyph: g, Object: obj.Attr["ID"]})
							i++
						}
						glyph = map[int]int{}
					}
				}
			}
		}
	}
}

// numbers parses a space-separated list of numbers.
func numbers(s string) ([]float64, error) {
	f := strings.Fields(s)
	out := make([]float64, len(f))
	for i, w := range f {
		v, err := strconv.ParseFloat(w, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", w)
		}
		out[i] = v
	}
	return out, nil
}

// Deltas expands a DeltaX/DeltaY list: numbers, and "g N v" for N copies
// of v.
func Deltas(s string) ([]float64, error) {
	f := strings.Fields(s)
	var out []float64
	for i := 0; i < len(f); i++ {
		if f[i] == "g" {
			if i+2 >= len(f) {
				return nil, fmt.Errorf("%q: g needs a count and a value", s)
			}
			n, err := strconv.Atoi(f[i+1])
			if err != nil || n < 1 {
				return nil, fmt.Errorf("%q: bad repeat count %q", s, f[i+1])
			}
			v, err := strconv.ParseFloat(f[i+2], 64)
			if err != nil {
				return nil, fmt.Errorf("%q: %q is not a number", s, f[i+2])
			}
			for range n {
				out = append(out, v)
			}
			i += 2
			continue
		}
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return nil, fmt.Errorf("%q: %q is not a number", s, f[i])
		}
		out = append(out, v)
	}
	return out, nil
}
