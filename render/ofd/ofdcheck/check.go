package ofdcheck

import (
	"encoding/binary"
	"fmt"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/image/font/sfnt"
)

// Rule names, one per structural rule; a Problem says which it broke.
const (
	RuleEntry     = "entry"     // OFD.xml with Version 1.0, a known DocType, one DocBody with DocInfo/DocID and DocRoot
	RuleNamespace = "namespace" // every element in the OFD namespace
	RuleOrder     = "order"     // child elements in the schema's order, no unknown ones where order matters
	RuleRequired  = "required"  // required attributes and child elements
	RuleNumber    = "number"    // boxes, positions, sizes, DeltaX are well-formed numbers
	RuleID        = "id"        // IDs are positive integers, unique in the document; MaxUnitID is the largest
	RuleRef       = "ref"       // every ID reference names an object of the right kind
	RuleLoc       = "loc"       // every location resolves to a file inside the package
	RuleFont      = "font"      // fonts embedded, parseable, with a glyph for every character drawn, subset
	RuleOFDA      = "ofd-a"     // GB/T 42133: no permissions, only Goto actions, kept font tables, no interpolated images
)

// Problem is one broken rule.
type Problem struct {
	Rule string
	File string
	Msg  string
}

func (p Problem) String() string { return p.Rule + ": " + p.File + ": " + p.Msg }

// Error lists the problems of a package.
type Error struct{ Problems []Problem }

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "OFD breaks %d structure rule(s):", len(e.Problems))
	for i, p := range e.Problems {
		if i == 20 {
			fmt.Fprintf(&b, "\n  … %d more", len(e.Problems)-i)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Has reports whether some problem broke rule.
func (e *Error) Has(rule string) bool {
	return slices.ContainsFunc(e.Problems, func(p Problem) bool { return p.Rule == rule })
}

// Check reads pkg and checks every rule; the error is an *Error listing
// the problems, or a read error when pkg is no OFD at all.
func Check(pkg []byte) (*Package, error) {
	p, err := Read(pkg)
	if err != nil {
		return nil, err
	}
	c := &checker{p: p}
	c.run()
	if len(c.problems) > 0 {
		return p, &Error{Problems: c.problems}
	}
	return p, nil
}

type checker struct {
	p        *Package
	problems []Problem
	ids      map[string]string // ID -> kind (element name)
}

func (c *checker) add(rule, file, format string, args ...any) {
	c.problems = append(c.problems, Problem{rule, file, fmt.Sprintf(format, args...)})
}

// order lists, per element, its children in schema order; names in one
// group may interleave (TextObject's CGTransform/TextCode pairs).
var order = map[string][][]string{
	"OFD":         {{"DocBody"}},
	"DocBody":     {{"DocInfo"}, {"DocRoot"}, {"Versions"}, {"Signatures"}},
	"DocInfo":     {{"DocID"}, {"Title"}, {"Author"}, {"Subject"}, {"Abstract"}, {"CreationDate"}, {"ModDate"}, {"DocUsage"}, {"Cover"}, {"Keywords"}, {"Creator"}, {"CreatorVersion"}, {"CustomDatas"}},
	"Document":    {{"CommonData"}, {"Pages"}, {"Outlines"}, {"Permissions"}, {"Actions"}, {"VPreferences"}, {"Bookmarks"}, {"Annotations"}, {"CustomTags"}, {"Attachments"}, {"Extensions"}},
	"CommonData":  {{"MaxUnitID"}, {"PageArea"}, {"PublicRes"}, {"DocumentRes"}, {"TemplatePage"}, {"DefaultCS"}},
	"PageArea":    {{"PhysicalBox"}, {"ApplicationBox"}, {"ContentBox"}, {"BleedBox"}},
	"Pages":       {{"Page"}},
	"Page":        {{"Area"}, {"Template"}, {"PageRes"}, {"Content"}, {"Actions"}},
	"Content":     {{"Layer"}},
	"Res":         {{"ColorSpaces"}, {"DrawParams"}, {"Fonts"}, {"MultiMedias"}, {"CompositeGraphicUnits"}},
	"Font":        {{"FontFile"}},
	"TextObject":  {{"Actions"}, {"Clips"}, {"FillColor"}, {"StrokeColor"}, {"CGTransform", "TextCode"}},
	"PathObject":  {{"Actions"}, {"Clips"}, {"StrokeColor"}, {"FillColor"}, {"AbbreviatedData"}},
	"OutlineElem": {{"Actions"}, {"OutlineElem"}},
	"Attachment":  {{"FileLoc"}},
	"Attachments": {{"Attachment"}},
	"Layer":       {{"TextObject", "PathObject", "ImageObject", "CompositeObject", "PageBlock"}},
	"Outlines":    {{"OutlineElem"}},
	"Actions":     {{"Action"}},
	"Action":      {{"Region"}, {"Goto", "URI", "GotoA", "Sound", "Movie"}},
	"Goto":        {{"Dest", "Bookmark"}},
	"Keywords":    {{"Keyword"}},
	"CustomDatas": {{"CustomData"}},
	"Fonts":       {{"Font"}},
	"ColorSpaces": {{"ColorSpace"}},
}

// required attributes per element.
var required = map[string][]string{
	"OFD":         {"Version", "DocType"},
	"TextObject":  {"ID", "Boundary", "Font", "Size"},
	"PathObject":  {"ID", "Boundary"},
	"ImageObject": {"ID", "Boundary", "ResourceID"},
	"Layer":       {"ID"},
	"Font":        {"ID", "FontName"},
	"ColorSpace":  {"ID", "Type"},
	"CustomData":  {"Name"},
	"Action":      {"Event"},
	"Dest":        {"Type", "PageID"},
	"Attachment":  {"ID", "Name"},
	"OutlineElem": {"Title"},
	"TextCode":    {"X", "Y"},
	"CGTransform": {"CodePosition", "CodeCount"},
}

// requiredChildren per element.
var requiredChildren = map[string][]string{
	"DocBody":     {"DocInfo", "DocRoot"},
	"DocInfo":     {"DocID"},
	"Document":    {"CommonData", "Pages"},
	"CommonData":  {"MaxUnitID", "PageArea"},
	"PageArea":    {"PhysicalBox"},
	"Font":        {"FontFile"}, // we require embedding
	"PathObject":  {"AbbreviatedData"},
	"TextObject":  {"TextCode"},
	"Attachment":  {"FileLoc"},
	"Goto":        {"Dest"},
	"CGTransform": {"Glyphs"},
}

func (c *checker) run() {
	p := c.p
	c.ids = map[string]string{}
	c.tree("OFD.xml", p.OFD)
	if p.OFD.Name != "OFD" {
		c.add(RuleEntry, "OFD.xml", "root element is %s, want ofd:OFD", p.OFD.Name)
	}
	if v := p.OFD.Attr["Version"]; v != "1.0" {
		c.add(RuleEntry, "OFD.xml", "Version %q, want 1.0", v)
	}
	if dt := p.DocType; dt != "OFD" && dt != "OFD-A" {
		c.add(RuleEntry, "OFD.xml", "DocType %q, want OFD or OFD-A", dt)
	}
	bodies := p.OFD.All("DocBody")
	if len(bodies) == 0 {
		c.add(RuleEntry, "OFD.xml", "no DocBody")
		return
	}
	if p.DocType == "OFD-A" && len(bodies) > 1 {
		c.add(RuleOFDA, "OFD.xml", "%d documents in one package; OFD-A keeps one", len(bodies))
	}
	if did := bodies[0].Child("DocInfo").Child("DocID"); did != nil && strings.TrimSpace(did.Text) == "" {
		c.add(RuleEntry, "OFD.xml", "empty DocID")
	}
	dr := bodies[0].Child("DocRoot")
	if dr == nil {
		return
	}
	if c.loc("OFD.xml", "", strings.TrimSpace(dr.Text), "DocRoot") == "" || p.Document == nil {
		if _, ok := p.Files[p.DocRoot]; ok {
			c.add(RuleEntry, p.DocRoot, "unparseable document")
		}
		return
	}
	c.checkDocument()
}

// tree checks namespace, order, required attributes and children, and
// numbers of one XML file, and collects its IDs.
func (c *checker) tree(file string, root *Node) {
	root.walk(func(n *Node) {
		if n.Space != Namespace {
			c.add(RuleNamespace, file, "element %s in namespace %q", n.Name, n.Space)
		}
		for _, a := range required[n.Name] {
			if _, ok := n.Attr[a]; !ok {
				c.add(RuleRequired, file, "%s without %s", describe(n), a)
			}
		}
		for _, name := range requiredChildren[n.Name] {
			if n.Child(name) == nil {
				c.add(RuleRequired, file, "%s without %s", describe(n), name)
			}
		}
		if groups, ok := order[n.Name]; ok {
			c.order(file, n, groups)
		}
		if id, ok := n.Attr["ID"]; ok && isUnit(n) {
			c.id(file, n, id)
		}
		c.numbers(file, n)
	})
}

// isUnit: elements whose ID is one of the document's unit IDs (Page in
// Pages and resources and graphic units; not Page roots of content files).
func isUnit(n *Node) bool {
	return n.Name != "Page" || n.Attr["BaseLoc"] != ""
}

func describe(n *Node) string {
	if id := n.Attr["ID"]; id != "" {
		return n.Name + " " + id
	}
	return n.Name
}

func (c *checker) order(file string, n *Node, groups [][]string) {
	rank := map[string]int{}
	for i, g := range groups {
		for _, name := range g {
			rank[name] = i
		}
	}
	last := -1
	var lastName string
	for _, ch := range n.Children {
		r, ok := rank[ch.Name]
		if !ok {
			c.add(RuleOrder, file, "%s may not contain %s", describe(n), ch.Name)
			continue
		}
		if r < last {
			c.add(RuleOrder, file, "in %s, %s comes after %s", describe(n), ch.Name, lastName)
		}
		last, lastName = r, ch.Name
	}
	if n.Name == "TextObject" {
		// CGTransforms belong to the TextCode after them.
		kids := n.Children
		if len(kids) > 0 && kids[len(kids)-1].Name == "CGTransform" {
			c.add(RuleOrder, file, "in %s, a CGTransform after the last TextCode", describe(n))
		}
	}
}

func (c *checker) id(file string, n *Node, id string) {
	v, err := strconv.ParseUint(id, 10, 32)
	if err != nil || v == 0 {
		c.add(RuleID, file, "%s: ID %q is not a positive integer", n.Name, id)
		return
	}
	if prev, dup := c.ids[id]; dup {
		c.add(RuleID, file, "ID %s used by %s and %s", id, prev, n.Name)
		return
	}
	c.ids[id] = n.Name
}

// numbers checks the numeric attributes of n.
func (c *checker) numbers(file string, n *Node) {
	check := func(attr string, count int, nonNegFrom int) {
		s, ok := n.Attr[attr]
		if !ok {
			return
		}
		v, err := numbers(s)
		switch {
		case err != nil:
			c.add(RuleNumber, file, "%s %s: %v", describe(n), attr, err)
		case count > 0 && len(v) != count:
			c.add(RuleNumber, file, "%s %s %q: want %d numbers", describe(n), attr, s, count)
		default:
			for i, x := range v {
				if math.IsNaN(x) || math.IsInf(x, 0) || i >= nonNegFrom && x < 0 {
					c.add(RuleNumber, file, "%s %s %q: bad value %v", describe(n), attr, s, x)
				}
			}
		}
	}
	switch n.Name {
	case "TextObject", "PathObject", "ImageObject", "CompositeObject":
		check("Boundary", 4, 2)
		check("LineWidth", 1, 0)
		if n.Name == "TextObject" {
			if v, err := strconv.ParseFloat(n.Attr["Size"], 64); err != nil || !(v > 0) {
				c.add(RuleNumber, file, "%s Size %q is not a positive number", describe(n), n.Attr["Size"])
			}
		}
	case "TextCode":
		check("X", 1, 1)
		check("Y", 1, 1)
		chars := len([]rune(n.Text))
		for _, attr := range []string{"DeltaX", "DeltaY"} {
			if s, ok := n.Attr[attr]; ok {
				d, err := Deltas(s)
				if err != nil {
					c.add(RuleNumber, file, "TextCode %s: %v", attr, err)
				} else if len(d) > chars-1 && len([]rune(strings.TrimSpace(n.Text))) > 0 {
					c.add(RuleNumber, file, "TextCode %q: %s has %d values for %d characters", n.Text, attr, len(d), chars)
				}
			}
		}
		if strings.TrimSpace(n.Text) != n.Text {
			// Readers trim element text; the positions after it would shift.
			c.add(RuleNumber, file, "TextCode %q starts or ends with white space", n.Text)
		}
	case "PhysicalBox", "ApplicationBox", "ContentBox", "BleedBox":
		if v, err := numbers(n.Text); err != nil || len(v) != 4 || v[2] <= 0 || v[3] <= 0 {
			c.add(RuleNumber, file, "%s %q is not a box", n.Name, n.Text)
		}
	case "MaxUnitID":
		if _, err := strconv.ParseUint(strings.TrimSpace(n.Text), 10, 32); err != nil {
			c.add(RuleNumber, file, "MaxUnitID %q is not an integer", n.Text)
		}
	}
}

// loc checks a location named in file (whose directory is dir) and returns
// the package path, or "" when it does not resolve.
func (c *checker) loc(file, dir, loc, what string) string {
	if loc == "" {
		c.add(RuleLoc, file, "%s: empty location", what)
		return ""
	}
	if escapes(dir, loc) {
		c.add(RuleLoc, file, "%s %q points outside the package", what, loc)
		return ""
	}
	target := resolve(dir, loc)
	if _, ok := c.p.Files[target]; !ok {
		c.add(RuleLoc, file, "%s %q: %s is not in the package", what, loc, target)
		return ""
	}
	return target
}

func (c *checker) checkDocument() {
	p := c.p
	docFile := p.DocRoot
	dir := path.Dir(docFile)
	doc := p.Document
	if doc.Name != "Document" {
		c.add(RuleEntry, docFile, "root element is %s, want ofd:Document", doc.Name)
	}
	c.tree(docFile, doc)
	cd := doc.Child("CommonData")
	if cd == nil {
		return
	}
	// Resources: colour spaces, fonts (with their files), draw params.
	var fontIDs, csIDs []string
	for _, name := range []string{"PublicRes", "DocumentRes"} {
		for _, r := range cd.All(name) {
			rf := c.loc(docFile, dir, strings.TrimSpace(r.Text), name)
			if rf == "" {
				continue
			}
			res, err := p.parse(rf)
			if err != nil {
				c.add(RuleEntry, rf, "%v", err)
				continue
			}
			if res.Name != "Res" {
				c.add(RuleEntry, rf, "root element is %s, want ofd:Res", res.Name)
			}
			c.tree(rf, res)
			base := path.Dir(rf)
			if bl, ok := res.Attr["BaseLoc"]; ok {
				if escapes(base, bl) {
					c.add(RuleLoc, rf, "Res BaseLoc %q points outside the package", bl)
				}
				base = resolve(base, bl)
			}
			for _, cs := range res.Child("ColorSpaces").All("ColorSpace") {
				csIDs = append(csIDs, cs.Attr["ID"])
			}
			for _, f := range res.Child("Fonts").All("Font") {
				fontIDs = append(fontIDs, f.Attr["ID"])
				if ff := f.Child("FontFile"); ff != nil {
					c.loc(rf, base, strings.TrimSpace(ff.Text), "FontFile of font "+f.Attr["ID"])
				}
			}
			if name == "PublicRes" && res.Child("DrawParams") != nil && p.DocType == "OFD-A" {
				c.add(RuleOFDA, rf, "draw parameters belong in DocumentRes")
			}
			if name == "DocumentRes" && (res.Child("Fonts") != nil || res.Child("ColorSpaces") != nil) && p.DocType == "OFD-A" {
				c.add(RuleOFDA, rf, "fonts and colour spaces belong in PublicRes")
			}
			res.walk(func(n *Node) {
				if n.Name == "MultiMedia" {
					if mf := n.Child("MediaFile"); mf != nil {
						c.loc(rf, base, strings.TrimSpace(mf.Text), "MediaFile")
					}
				}
			})
		}
	}
	if dcs := cd.Child("DefaultCS"); dcs != nil && !slices.Contains(csIDs, strings.TrimSpace(dcs.Text)) {
		c.add(RuleRef, docFile, "DefaultCS %q names no ColorSpace", dcs.Text)
	}
	// Pages.
	var pageIDs []string
	for i, pg := range doc.Child("Pages").All("Page") {
		pageIDs = append(pageIDs, pg.Attr["ID"])
		if _, ok := pg.Attr["ID"]; !ok {
			c.add(RuleRequired, docFile, "page %d without ID", i+1)
		}
		pf := c.loc(docFile, dir, pg.Attr["BaseLoc"], "page "+pg.Attr["ID"])
		if pf == "" {
			continue
		}
		content, err := p.parse(pf)
		if err != nil {
			c.add(RuleEntry, pf, "%v", err)
			continue
		}
		if content.Name != "Page" {
			c.add(RuleEntry, pf, "root element is %s, want ofd:Page", content.Name)
		}
		c.tree(pf, content)
		c.pageRefs(pf, content, fontIDs, csIDs)
	}
	if len(pageIDs) == 0 {
		c.add(RuleRequired, docFile, "no pages")
	}
	// Outlines and any other actions: Goto destinations name pages.
	doc.walk(func(n *Node) {
		if n.Name == "Dest" && !slices.Contains(pageIDs, n.Attr["PageID"]) {
			c.add(RuleRef, docFile, "Dest names page %q, which is not in Pages", n.Attr["PageID"])
		}
	})
	// Attachments.
	for _, a := range doc.All("Attachments") {
		af := c.loc(docFile, dir, strings.TrimSpace(a.Text), "Attachments")
		if af == "" {
			continue
		}
		idx, err := p.parse(af)
		if err != nil {
			c.add(RuleEntry, af, "%v", err)
			continue
		}
		c.tree(af, idx)
		for _, at := range idx.All("Attachment") {
			if fl := at.Child("FileLoc"); fl != nil {
				c.loc(af, path.Dir(af), strings.TrimSpace(fl.Text), "attachment "+at.Attr["Name"])
			}
		}
	}
	// MaxUnitID is the largest ID.
	maxID := uint64(0)
	for id := range c.ids {
		v, _ := strconv.ParseUint(id, 10, 32)
		maxID = max(maxID, v)
	}
	if m := cd.Child("MaxUnitID"); m != nil {
		if v, err := strconv.ParseUint(strings.TrimSpace(m.Text), 10, 32); err == nil && v != maxID {
			c.add(RuleID, docFile, "MaxUnitID %d, but the largest ID is %d", v, maxID)
		}
	}
	c.fonts()
	if p.DocType == "OFD-A" {
		c.ofdA()
	}
}

// pageRefs checks the references of one page's graphic units.
func (c *checker) pageRefs(file string, content *Node, fontIDs, csIDs []string) {
	content.walk(func(n *Node) {
		switch n.Name {
		case "TextObject":
			if f, ok := n.Attr["Font"]; ok && !slices.Contains(fontIDs, f) {
				c.add(RuleRef, file, "%s uses font %q, which PublicRes does not declare", describe(n), f)
			}
		case "FillColor", "StrokeColor":
			if cs, ok := n.Attr["ColorSpace"]; ok && !slices.Contains(csIDs, cs) {
				c.add(RuleRef, file, "%s names colour space %q, which is not declared", n.Name, cs)
			}
		}
	})
}

// fonts checks every embedded font: parseable, a glyph for every
// character drawn with it, and a subset (it maps no character the document
// does not draw with it).
func (c *checker) fonts() {
	p := c.p
	used := map[string]map[rune]bool{}
	transformed := map[string]int{}
	for _, pg := range p.Pages {
		for _, ch := range pg.Chars {
			if used[ch.Font] == nil {
				used[ch.Font] = map[rune]bool{}
			}
			if ch.Glyph >= 0 {
				transformed[ch.Font]++
			}
			used[ch.Font][ch.R] = true
		}
	}
	ids := make([]string, 0, len(p.Fonts))
	for id := range p.Fonts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var buf sfnt.Buffer
	for _, id := range ids {
		f := p.Fonts[id]
		if f.File == "" || f.Data == nil {
			continue // reported as a missing FontFile / location
		}
		font, err := sfnt.Parse(f.Data)
		if err != nil {
			c.add(RuleFont, f.File, "font %s does not parse: %v", id, err)
			continue
		}
		tables, err := tableTags(f.Data)
		if err != nil {
			c.add(RuleFont, f.File, "font %s: %v", id, err)
			continue
		}
		if !tables["glyf"] && !tables["CFF "] {
			c.add(RuleFont, f.File, "font %s has no glyf or CFF table", id)
		}
		if p.DocType == "OFD-A" {
			for _, t := range []string{"cmap", "loca", "glyf", "head", "hhea", "hmtx", "maxp", "name", "OS/2", "post"} {
				if !tables[t] {
					c.add(RuleOFDA, f.File, "font %s lacks the %s table GB/T 42133 keeps", id, t)
				}
			}
		}
		n := font.NumGlyphs()
		var withGlyph []rune
		for _, pg := range p.Pages {
			for _, ch := range pg.Chars {
				if ch.Font != id {
					continue
				}
				if ch.Glyph >= 0 {
					if ch.Glyph == 0 || ch.Glyph >= n {
						c.add(RuleFont, pg.Path, "CGTransform of %q names glyph %d; font %s has %d", ch.R, ch.Glyph, id, n)
					}
					continue
				}
				g, err := font.GlyphIndex(&buf, ch.R)
				if err != nil || g == 0 {
					withGlyph = append(withGlyph, ch.R)
				}
			}
		}
		if len(withGlyph) > 0 {
			slices.Sort(withGlyph)
			withGlyph = slices.Compact(withGlyph)
			c.add(RuleFont, f.File, "font %s has no glyph for %q", id, string(withGlyph[:min(len(withGlyph), 10)]))
		}
		// Subset: every character the cmap maps is drawn with this font;
		// private-use entries stand for the characters drawn through a
		// CGTransform.
		extra, pua := 0, 0
		var example rune
		for r := rune(0x20); r <= 0xFFFF; r++ {
			if r >= 0xD800 && r < 0xE000 {
				continue
			}
			g, err := font.GlyphIndex(&buf, r)
			if err != nil || g == 0 {
				continue
			}
			if used[id][r] || unicode.IsSpace(r) { // spaces take room but no TextCode
				continue
			}
			if r >= 0xE000 && r <= 0xF8FF {
				pua++
				continue
			}
			if extra == 0 {
				example = r
			}
			extra++
		}
		if extra > 0 {
			c.add(RuleFont, f.File, "font %s is not a subset: it maps %d character(s) the document never draws with it, e.g. %q", id, extra, example)
		}
		if pua > 0 && pua > transformed[id] {
			c.add(RuleFont, f.File, "font %s is not a subset: %d private-use entries for %d transformed characters", id, pua, transformed[id])
		}
	}
	for _, pg := range p.Pages {
		for _, ch := range pg.Chars {
			if f := p.Fonts[ch.Font]; f != nil && f.File == "" {
				c.add(RuleFont, pg.Path, "font %s (%s) is not embedded", ch.Font, f.Name)
				return
			}
		}
	}
}

// tableTags lists the tables of a TrueType/OpenType font.
func tableTags(b []byte) (map[string]bool, error) {
	if len(b) < 12 {
		return nil, fmt.Errorf("too short for a font")
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	if len(b) < 12+16*n {
		return nil, fmt.Errorf("table directory truncated")
	}
	out := make(map[string]bool, n)
	for i := range n {
		out[string(b[12+16*i:16+16*i])] = true
	}
	return out, nil
}

// ofdA checks the GB/T 42133 restrictions not covered elsewhere.
func (c *checker) ofdA() {
	p := c.p
	docFile := p.DocRoot
	if p.Document.Child("Permissions") != nil {
		c.add(RuleOFDA, docFile, "Permissions are not allowed")
	}
	files := make([]string, 0, len(p.xml))
	for name := range p.xml {
		files = append(files, name)
	}
	slices.Sort(files)
	for _, name := range files {
		p.xml[name].walk(func(n *Node) {
			switch n.Name {
			case "Action":
				for _, a := range n.Children {
					if a.Name != "Goto" {
						c.add(RuleOFDA, name, "action %s; OFD-A allows only Goto", a.Name)
					}
				}
			case "ImageObject":
				if n.Attr["Interpolate"] == "true" {
					c.add(RuleOFDA, name, "ImageObject %s interpolates", n.Attr["ID"])
				}
			}
		})
	}
}
