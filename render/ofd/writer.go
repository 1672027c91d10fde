package ofd

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"gongwen/fonts"
	"gongwen/render"
	"gongwen/render/layout"
)

// Namespace is the OFD namespace; elements carry the ofd prefix, attributes
// none.
const Namespace = "http://www.ofdspec.org/2016"

// mmPerPt converts the layout's points to OFD's millimetres.
const mmPerPt = 25.4 / 72

// Package paths. The document root is Doc_0; every other path is relative
// to the file that names it, as GB/T 33190 resolves them.
const (
	docDir        = "Doc_0/"
	publicResName = "PublicRes.xml"
	resDir        = "Res"
	attachDir     = "Attachs/"
	attachIndex   = "Attachments.xml"
	sourceFile    = "source.json"
)

// SourceUsage marks the attachment that is the report JSON the document was
// rendered from (ReadArchived looks for it).
const SourceUsage = "Source"

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// china is the default zone of document dates (the PDF's rule).
var china = time.FixedZone("CST", 8*3600)

// writer holds the state of one package being written.
type writer struct {
	doc     *render.Document
	res     *layout.Result
	subsets []*fonts.Subset
	opts    Options

	nextID  int
	csID    int
	fonts   map[layout.Face]*fontRes
	fontIDs []*fontRes
	pageIDs []int
	b       []byte // scratch for numbers
}

type fontRes struct {
	id  int
	sub *fonts.Subset
}

// file is one entry of the package, in writing order.
type file struct {
	name string
	data []byte
	font *fonts.Subset // set for font programs (compressed once per process)
}

func newWriter(doc *render.Document, res *layout.Result, subsets []*fonts.Subset, opts Options) *writer {
	return &writer{doc: doc, res: res, subsets: subsets, opts: opts, fonts: make(map[layout.Face]*fontRes, len(subsets))}
}

func (w *writer) id() int {
	w.nextID++
	return w.nextID
}

func (w *writer) write() ([]byte, error) {
	w.csID = w.id()
	for _, s := range w.subsets {
		if _, dup := w.fonts[s.Face]; dup {
			return nil, fmt.Errorf("two subsets of face %s", s.Face)
		}
		f := &fontRes{id: w.id(), sub: s}
		w.fonts[s.Face] = f
		w.fontIDs = append(w.fontIDs, f)
	}
	w.pageIDs = make([]int, len(w.res.Pages))
	for i := range w.pageIDs {
		w.pageIDs[i] = w.id()
	}

	files := make([]file, 0, 4+len(w.subsets)+len(w.res.Pages))
	// OFD.xml and Document.xml are filled in last (they carry MaxUnitID
	// and the DocID, which depend on everything else).
	files = append(files, file{name: "OFD.xml"}, file{name: docDir + "Document.xml"})
	files = append(files, file{name: docDir + publicResName, data: w.publicRes()})
	for _, f := range w.fontIDs {
		files = append(files, file{name: docDir + resDir + "/" + fontFileName(f.id), font: f.sub})
	}
	for i := range w.res.Pages {
		content, err := w.page(&w.res.Pages[i])
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", w.res.Pages[i].Number, err)
		}
		files = append(files, file{name: docDir + pagePath(i), data: content})
	}
	attach := w.opts.Standard == StandardA && w.opts.Source != nil
	if attach {
		files = append(files,
			file{name: docDir + attachDir + attachIndex, data: w.attachments(w.id())},
			file{name: docDir + attachDir + sourceFile, data: w.opts.Source.Data})
	}
	files[1].data = w.document(attach)
	files[0].data = w.ofdXML(docID(files[1:]))
	return writeZip(files)
}

func fontFileName(id int) string { return "font_" + strconv.Itoa(id) + ".ttf" }

func pagePath(i int) string { return "Pages/Page_" + strconv.Itoa(i) + "/Content.xml" }

// docID is 32 hex digits (the length of the UUID GB/T 33190 suggests) of a
// hash of the package's content, so the same document keeps its ID.
func docID(files []file) string {
	h := sha256.New()
	var n [8]byte
	for _, f := range files {
		h.Write([]byte(f.name))
		data := f.data
		if f.font != nil {
			// A font program is a function of its face (PublicRes names it)
			// and of the characters the pages draw with it: hashing its
			// bytes again would add nothing.
			binary.BigEndian.PutUint64(n[:], uint64(len(f.font.TTF)))
			h.Write(n[:])
			continue
		}
		binary.BigEndian.PutUint64(n[:], uint64(len(data)))
		h.Write(n[:])
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// created is the document date in the options' zone.
func (w *writer) created() time.Time {
	t := w.doc.Meta.Created
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	zone := w.opts.Zone
	if zone == nil {
		zone = china
	}
	return t.In(zone)
}

func (w *writer) version() string {
	if w.opts.Version == "" {
		return "dev"
	}
	return w.opts.Version
}

// ofdXML is the entry file: DocInfo and the document root.
func (w *writer) ofdXML(id string) []byte {
	m := w.doc.Meta
	b := make([]byte, 0, 1024)
	b = append(b, xmlHeader...)
	docType := "OFD"
	if w.opts.Standard == StandardA {
		docType = "OFD-A"
	}
	b = append(b, `<ofd:OFD xmlns:ofd="`+Namespace+`" Version="1.0" DocType="`+docType+`"><ofd:DocBody><ofd:DocInfo>`...)
	b = element(b, "DocID", id)
	if m.Title != "" {
		b = element(b, "Title", m.Title)
	}
	if m.Author != "" {
		b = element(b, "Author", m.Author)
	}
	if m.Subject != "" {
		b = element(b, "Subject", m.Subject)
	}
	date := w.created().Format(time.DateOnly)
	b = element(b, "CreationDate", date)
	b = element(b, "ModDate", date)
	// Keywords as the PDF records them: the template's, then gongwen's notes.
	if len(m.Keywords)+len(m.Notes) > 0 {
		b = append(b, "<ofd:Keywords>"...)
		for _, k := range m.Keywords {
			b = element(b, "Keyword", k)
		}
		for _, k := range m.Notes {
			b = element(b, "Keyword", k)
		}
		b = append(b, "</ofd:Keywords>"...)
	}
	b = element(b, "Creator", "gongwen")
	b = element(b, "CreatorVersion", w.version())
	custom := w.customData()
	if len(custom) > 0 {
		b = append(b, "<ofd:CustomDatas>"...)
		for _, c := range custom {
			b = append(b, `<ofd:CustomData Name="`...)
			b = escape(b, c.Name, true)
			b = append(b, `">`...)
			b = escape(b, c.Value, false)
			b = append(b, "</ofd:CustomData>"...)
		}
		b = append(b, "</ofd:CustomDatas>"...)
	}
	b = append(b, "</ofd:DocInfo>"...)
	b = element(b, "DocRoot", docDir+"Document.xml")
	b = append(b, "</ofd:DocBody></ofd:OFD>\n"...)
	return b
}

// customData are the CustomData entries: the template, the document's own
// named facts (the template decides which: organ, year…), then the
// provenance of the render.
func (w *writer) customData() []Property {
	m := w.doc.Meta
	var out []Property
	if m.TemplateID != "" {
		out = append(out, Property{Name: "TemplateID", Value: m.TemplateID})
	}
	for _, c := range m.Custom {
		out = append(out, Property{Name: c.Name, Value: c.Value})
	}
	for _, p := range w.opts.Provenance {
		out = append(out, Property{Name: provenancePrefix + p.Name, Value: p.Value})
	}
	return out
}

// provenancePrefix sets gongwen's provenance entries apart from the
// document's own CustomData (as the PDF puts them in a gongwen namespace).
const provenancePrefix = "gongwen."

// document is Document.xml: CommonData, Pages, Outlines, Attachments — in
// the schema's order.
func (w *writer) document(attach bool) []byte {
	b := make([]byte, 0, 1024+64*len(w.pageIDs)+256*len(w.res.Outline))
	b = append(b, xmlHeader...)
	b = append(b, `<ofd:Document xmlns:ofd="`+Namespace+`"><ofd:CommonData>`...)
	b = element(b, "MaxUnitID", strconv.Itoa(w.nextID))
	b = append(b, "<ofd:PageArea><ofd:PhysicalBox>0 0 "...)
	b = w.num(b, w.res.WidthPt*mmPerPt)
	b = append(b, ' ')
	b = w.num(b, w.res.HeightPt*mmPerPt)
	b = append(b, "</ofd:PhysicalBox></ofd:PageArea>"...)
	b = element(b, "PublicRes", publicResName)
	b = element(b, "DefaultCS", strconv.Itoa(w.csID))
	b = append(b, "</ofd:CommonData><ofd:Pages>"...)
	for i, id := range w.pageIDs {
		b = append(b, `<ofd:Page ID="`...)
		b = strconv.AppendInt(b, int64(id), 10)
		b = append(b, `" BaseLoc="`...)
		b = append(b, pagePath(i)...)
		b = append(b, `"/>`...)
	}
	b = append(b, "</ofd:Pages>"...)
	b = w.outlines(b)
	if attach {
		b = element(b, "Attachments", attachDir+attachIndex)
	}
	b = append(b, "</ofd:Document>\n"...)
	return b
}

// outlines nests the layout's bookmarks by level; each entry goes to the
// top of its paragraph (a Goto action, which OFD-A allows).
func (w *writer) outlines(b []byte) []byte {
	marks := w.res.Outline
	if len(marks) == 0 {
		return b
	}
	b = append(b, "<ofd:Outlines>"...)
	var open []int // levels of the entries still open
	for _, m := range marks {
		level := max(m.Level, 1)
		for len(open) > 0 && open[len(open)-1] >= level {
			b = append(b, "</ofd:OutlineElem>"...)
			open = open[:len(open)-1]
		}
		b = append(b, `<ofd:OutlineElem Title="`...)
		b = escape(b, m.Title, true)
		b = append(b, `"><ofd:Actions><ofd:Action Event="CLICK"><ofd:Goto><ofd:Dest Type="XYZ" PageID="`...)
		page := min(max(m.Page, 1), len(w.pageIDs))
		if page > 0 {
			b = strconv.AppendInt(b, int64(w.pageIDs[page-1]), 10)
		}
		b = append(b, `" Left="0" Top="`...)
		b = w.num(b, m.Y*mmPerPt)
		b = append(b, `"/></ofd:Goto></ofd:Action></ofd:Actions>`...)
		open = append(open, level)
	}
	for range open {
		b = append(b, "</ofd:OutlineElem>"...)
	}
	return append(b, "</ofd:Outlines>"...)
}

// publicRes declares the colour space and the fonts.
func (w *writer) publicRes() []byte {
	b := make([]byte, 0, 512+160*len(w.fontIDs))
	b = append(b, xmlHeader...)
	b = append(b, `<ofd:Res xmlns:ofd="`+Namespace+`" BaseLoc="`+resDir+`"><ofd:ColorSpaces><ofd:ColorSpace ID="`...)
	b = strconv.AppendInt(b, int64(w.csID), 10)
	b = append(b, `" Type="RGB" BitsPerComponent="8"/></ofd:ColorSpaces>`...)
	if len(w.fontIDs) > 0 {
		b = append(b, "<ofd:Fonts>"...)
		for _, f := range w.fontIDs {
			face := f.sub.Face
			b = append(b, `<ofd:Font ID="`...)
			b = strconv.AppendInt(b, int64(f.id), 10)
			b = append(b, `" FontName="`...)
			b = escape(b, fontName(face), true)
			b = append(b, `" FamilyName="`...)
			b = escape(b, familyName(face), true)
			b = append(b, '"')
			if face.Weight() >= 600 {
				b = append(b, ` Bold="true"`...)
			}
			b = append(b, `><ofd:FontFile>`...)
			b = append(b, fontFileName(f.id)...)
			b = append(b, "</ofd:FontFile></ofd:Font>"...)
		}
		b = append(b, "</ofd:Fonts>"...)
	}
	return append(b, "</ofd:Res>\n"...)
}

// fontName is the name readers without embedded-font support look up in
// the system: the face's full name, e.g. "FZFangSong-Z02".
func fontName(f *fonts.Face) string {
	for _, s := range []string{f.PostScriptName(), f.FullName(), f.Family()} {
		if s != "" {
			return s
		}
	}
	return "font"
}

// familyName prefers the Chinese family name readers match (仿宋_GB2312).
func familyName(f *fonts.Face) string {
	if s := f.FamilyZh(); s != "" {
		return s
	}
	if s := f.Family(); s != "" {
		return s
	}
	return fontName(f)
}

// attachments is Attachments.xml: the report JSON the document came from.
func (w *writer) attachments(id int) []byte {
	src := w.opts.Source
	b := make([]byte, 0, 512)
	b = append(b, xmlHeader...)
	b = append(b, `<ofd:Attachments xmlns:ofd="`+Namespace+`"><ofd:Attachment ID="`...)
	b = strconv.AppendInt(b, int64(id), 10)
	b = append(b, `" Name="`...)
	name := src.Name
	if name == "" {
		name = sourceFile
	}
	b = escape(b, name, true)
	b = append(b, `" Format="json" CreationDate="`...)
	b = append(b, w.created().Format(time.RFC3339)...)
	b = append(b, `" Size="`...)
	b = w.num(b, float64(len(src.Data))/1024)
	b = append(b, `" Visible="true" Usage="`+SourceUsage+`"><ofd:FileLoc>`+sourceFile+`</ofd:FileLoc></ofd:Attachment></ofd:Attachments>`+"\n"...)
	return b
}

// page is one page's Content.xml: rules, then text, in one body layer —
// the PDF's drawing order.
func (w *writer) page(pg *layout.Page) ([]byte, error) {
	b := make([]byte, 0, 512+256*len(pg.Texts)+200*len(pg.Rules))
	b = append(b, xmlHeader...)
	b = append(b, `<ofd:Page xmlns:ofd="`+Namespace+`"><ofd:Content><ofd:Layer ID="`...)
	b = strconv.AppendInt(b, int64(w.id()), 10)
	b = append(b, `" Type="Body">`...)
	for i := 0; i < len(pg.Rules); {
		// Consecutive rules of one width and colour (a table's borders) are
		// one PathObject of several subpaths: the same strokes at a tenth of
		// the XML.
		j := i + 1
		for j < len(pg.Rules) && pg.Rules[j].Width == pg.Rules[i].Width && pg.Rules[j].Color == pg.Rules[i].Color {
			j++
		}
		b = w.rules(b, pg.Rules[i:j])
		i = j
	}
	var err error
	for i := 0; i < len(pg.Texts); {
		// Consecutive runs in one face, size and colour (a paragraph's
		// lines, a table's cells) share one TextObject, a TextCode each.
		t := pg.Texts[i]
		j := i + 1
		for j < len(pg.Texts) && pg.Texts[j].Face == t.Face && pg.Texts[j].Size == t.Size && pg.Texts[j].Color == t.Color {
			j++
		}
		if b, err = w.text(b, pg.Texts[i:j]); err != nil {
			return nil, err
		}
		i = j
	}
	return append(b, "</ofd:Layer></ofd:Content></ofd:Page>\n"...), nil
}

// rules is one stroked PathObject of straight lines that share a width and
// colour; its Boundary holds every stroke whole.
func (w *writer) rules(b []byte, rs []layout.Rule) []byte {
	rs = joinRules(rs)
	lw := rs[0].Width * mmPerPt
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, r := range rs {
		minX = min(minX, r.X1, r.X2)
		minY = min(minY, r.Y1, r.Y2)
		maxX = max(maxX, r.X1, r.X2)
		maxY = max(maxY, r.Y1, r.Y2)
	}
	bx, by := round3(minX*mmPerPt-lw/2), round3(minY*mmPerPt-lw/2)
	b = append(b, `<ofd:PathObject ID="`...)
	b = strconv.AppendInt(b, int64(w.id()), 10)
	b = append(b, `" Boundary="`...)
	b = w.box(b, bx, by, maxX*mmPerPt+lw/2-bx, maxY*mmPerPt+lw/2-by)
	b = append(b, `" LineWidth="`...)
	b = w.num(b, lw)
	b = append(b, `">`...)
	if rs[0].Color != (render.Color{}) {
		b = color(b, "StrokeColor", rs[0].Color)
	}
	b = append(b, "<ofd:AbbreviatedData>"...)
	for i, r := range rs {
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, "M "...)
		b = w.num(b, r.X1*mmPerPt-bx)
		b = append(b, ' ')
		b = w.num(b, r.Y1*mmPerPt-by)
		b = append(b, " L "...)
		b = w.num(b, r.X2*mmPerPt-bx)
		b = append(b, ' ')
		b = w.num(b, r.Y2*mmPerPt-by)
	}
	return append(b, "</ofd:AbbreviatedData></ofd:PathObject>"...)
}

// joinRules joins horizontal rules on one line, and vertical ones, that
// touch or overlap: a table draws each cell's borders, so its grid is
// mostly segments continuing one another. One stroke of the same width and
// colour covers exactly what the pieces covered (butt caps, no joins), at a
// fraction of the path data. Other rules are kept as they are.
func joinRules(rs []layout.Rule) []layout.Rule {
	type seg struct{ at, from, to float64 }
	var hs, vs []seg
	var out []layout.Rule
	for _, r := range rs {
		switch {
		case r.Y1 == r.Y2:
			hs = append(hs, seg{r.Y1, min(r.X1, r.X2), max(r.X1, r.X2)})
		case r.X1 == r.X2:
			vs = append(vs, seg{r.X1, min(r.Y1, r.Y2), max(r.Y1, r.Y2)})
		default:
			out = append(out, r)
		}
	}
	join := func(ss []seg) []seg {
		slices.SortFunc(ss, func(a, b seg) int {
			if c := cmp.Compare(a.at, b.at); c != 0 {
				return c
			}
			return cmp.Compare(a.from, b.from)
		})
		var j []seg
		for _, s := range ss {
			if n := len(j); n > 0 && j[n-1].at == s.at && s.from <= j[n-1].to {
				j[n-1].to = max(j[n-1].to, s.to)
				continue
			}
			j = append(j, s)
		}
		return j
	}
	proto := rs[0]
	for _, s := range join(hs) {
		proto.X1, proto.Y1, proto.X2, proto.Y2 = s.from, s.at, s.to, s.at
		out = append(out, proto)
	}
	for _, s := range join(vs) {
		proto.X1, proto.Y1, proto.X2, proto.Y2 = s.at, s.from, s.at, s.to
		out = append(out, proto)
	}
	return out
}

// text is one TextObject of a laid-out run. The run is cut into TextCodes
// at white space (a reader that trims element text must not shift the
// characters after it) and around each character outside the BMP (which
// gets a CGTransform naming its glyph). Each TextCode starts at its first
// character's position; DeltaX holds the advances to the next characters,
// character spacing included, so each character lands where the PDF draws
// it.
func (w *writer) text(b []byte, ts []layout.Text) ([]byte, error) {
	t := ts[0]
	f := w.fonts[t.Face]
	if f == nil {
		return nil, fmt.Errorf("no subset font for %q", t.Text)
	}
	face, ok := t.Face.(*fonts.Face)
	if !ok {
		return nil, fmt.Errorf("text %q set in a face of type %T", t.Text, t.Face)
	}
	upem := float64(face.UnitsPerEm())
	if upem <= 0 {
		return nil, fmt.Errorf("face %s reports %v units per em", face, upem)
	}
	size := t.Size * mmPerPt
	scale := size / upem
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, t := range ts {
		minX = min(minX, t.X)
		maxX = max(maxX, t.X+max(t.Width, t.Size))
		minY = min(minY, t.Y)
		maxY = max(maxY, t.Y)
	}
	bx, by := round3(minX*mmPerPt), round3(minY*mmPerPt-size)

	start := len(b)
	b = append(b, `<ofd:TextObject ID="`...)
	b = strconv.AppendInt(b, int64(w.id()), 10)
	b = append(b, `" Boundary="`...)
	b = w.box(b, bx, by, maxX*mmPerPt-bx, maxY*mmPerPt+size/4-by)
	b = append(b, `" Font="`...)
	b = strconv.AppendInt(b, int64(f.id), 10)
	b = append(b, `" Size="`...)
	b = w.num(b, size)
	b = append(b, `">`...)
	if t.Color != (render.Color{}) {
		b = color(b, "FillColor", t.Color)
	}

	codes := 0
	for _, t := range ts {
		spacing := t.CharSpacing * mmPerPt
		baseline := t.Y*mmPerPt - by
		text := t.Text
		pos := t.X * mmPerPt // position of the character at text[i]
		for i := 0; i < len(text); {
			r, n := utf8.DecodeRuneInString(text[i:])
			if unicode.IsSpace(r) {
				pos += float64(face.Advance(r))*scale + spacing
				i += n
				continue
			}
			// A code: one character outside the BMP, or a run of BMP
			// characters up to the next space or such character.
			j := i + n
			if r < 0x10000 {
				for j < len(text) {
					r2, n2 := utf8.DecodeRuneInString(text[j:])
					if r2 >= 0x10000 || unicode.IsSpace(r2) {
						break
					}
					j += n2
				}
			} else {
				gid, ok := f.sub.GlyphID(r)
				if !ok {
					return nil, fmt.Errorf("subset %s has no glyph for %q (U+%04X)", f.sub.Name, r, r)
				}
				b = append(b, `<ofd:CGTransform CodePosition="0" CodeCount="1" GlyphCount="1"><ofd:Glyphs>`...)
				b = strconv.AppendInt(b, int64(gid), 10)
				b = append(b, "</ofd:Glyphs></ofd:CGTransform>"...)
			}
			b = append(b, `<ofd:TextCode X="`...)
			b = w.num(b, pos-bx)
			b = append(b, `" Y="`...)
			b = w.num(b, baseline)
			b = append(b, '"')
			seg := text[i:j]
			if utf8.RuneCountInString(seg) > 1 {
				b = append(b, ` DeltaX="`...)
				b = w.deltaX(b, seg, scale, spacing, face)
				b = append(b, '"')
			}
			b = append(b, '>')
			for _, c := range seg {
				if !f.sub.Covers(c) {
					return nil, fmt.Errorf("subset %s has no glyph for %q (U+%04X)", f.sub.Name, c, c)
				}
				pos += float64(face.Advance(c))*scale + spacing
			}
			b = escape(b, seg, false)
			b = append(b, "</ofd:TextCode>"...)
			codes++
			i = j
		}
	}
	if codes == 0 { // only white space: nothing to draw
		w.nextID--
		return b[:start], nil
	}
	return append(b, "</ofd:TextObject>"...), nil
}

// deltaX writes the advances from each character of seg to the next, runs
// of equal values as "g N v" (justified Chinese lines are mostly one run).
func (w *writer) deltaX(b []byte, seg string, scale, spacing float64, face *fonts.Face) []byte {
	var prev float64
	count := 0
	flush := func() {
		if count == 0 {
			return
		}
		if len(b) > 0 && b[len(b)-1] != '"' {
			b = append(b, ' ')
		}
		if count > 1 {
			b = append(b, "g "...)
			b = strconv.AppendInt(b, int64(count), 10)
			b = append(b, ' ')
		}
		b = w.num(b, prev)
	}
	n := utf8.RuneCountInString(seg)
	k := 0
	for _, r := range seg {
		if k == n-1 {
			break
		}
		k++
		d := round3(float64(face.Advance(r))*scale + spacing)
		if count > 0 && d == prev {
			count++
			continue
		}
		flush()
		prev, count = d, 1
	}
	flush()
	return b
}

func (w *writer) box(b []byte, x, y, wd, ht float64) []byte {
	b = w.num(b, x)
	b = append(b, ' ')
	b = w.num(b, y)
	b = append(b, ' ')
	b = w.num(b, wd)
	b = append(b, ' ')
	return w.num(b, ht)
}

// num writes v in millimetres to the micrometre, without trailing zeros
// ("12.5", "7.8", "0"). Fixed-point by hand: strconv's shortest float
// formatting was a tenth of a render.
func (w *writer) num(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e12 {
		return strconv.AppendFloat(b, round3(v), 'f', -1, 64)
	}
	n := int64(math.Round(v * 1000))
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/1000, 10)
	if frac := n % 1000; frac != 0 {
		d := [4]byte{'.', byte('0' + frac/100), byte('0' + frac/10%10), byte('0' + frac%10)}
		k := 4
		for d[k-1] == '0' {
			k--
		}
		b = append(b, d[:k]...)
	}
	return b
}

func round3(x float64) float64 {
	if x < 0 {
		return -float64(int64(-x*1000+0.5)) / 1000
	}
	return float64(int64(x*1000+0.5)) / 1000
}

func color(b []byte, name string, c render.Color) []byte {
	b = append(b, "<ofd:"...)
	b = append(b, name...)
	b = append(b, ` Value="`...)
	b = strconv.AppendInt(b, int64(c.R), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(c.G), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(c.B), 10)
	return append(b, `"/>`...)
}

// element writes <ofd:name>text</ofd:name>.
func element(b []byte, name, text string) []byte {
	b = append(b, "<ofd:"...)
	b = append(b, name...)
	b = append(b, '>')
	b = escape(b, text, false)
	b = append(b, "</ofd:"...)
	b = append(b, name...)
	return append(b, '>')
}

// escape appends s as XML character data (attr: inside double quotes).
// Characters XML 1.0 cannot carry become U+FFFD rather than an unreadable
// package.
func escape(b []byte, s string, attr bool) []byte {
	for _, r := range s {
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case attr && r == '"':
			b = append(b, "&quot;"...)
		case attr && (r == '\n' || r == '\t' || r == '\r'):
			b = append(b, "&#"...)
			b = strconv.AppendInt(b, int64(r), 10)
			b = append(b, ';')
		case r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r < 0xD800 || r >= 0xE000 && r < 0xFFFE || r >= 0x10000 && r <= 0x10FFFF:
			b = utf8.AppendRune(b, r)
		default:
			b = append(b, "\uFFFD"...)
		}
	}
	return b
}
