package docx

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"

	"gongwen/internal/spare"
	"gongwen/render"
)

// writer holds what every part needs: the document, the resolved styles
// and faces, and the buffer of the part being written.
type writer struct {
	doc   *render.Document
	latin string
	// cellPadding is the left/right table cell padding in twips.
	cellPadding int
	textWidthPt float64 // width of the text block
	// lastLine and lastEm are the exact line height (twips) and em (pt)
	// of the paragraph written last, where a Rule's gap counts from.
	lastLine int
	lastEm   float64
	// ruleBelow is half the width (pt) of the border of a flowed rule
	// written last, 0 after anything else: the next rule's gap counts
	// from the rule's middle, the border's second half lies below it.
	ruleBelow float64
	// flowKnown: everything written so far is one-line paragraphs on the
	// first page, whose bottom is firstPageY (pt from the page top), so a
	// paragraph placed at TopMM can be put there by its space before.
	flowKnown  bool
	firstPageY float64
	// lastStart is where the last paragraph's first line starts (pt from
	// the text block's left edge), estimated.
	lastStart float64
	// styles in the order they are written to styles.xml.
	styleList []*styleInfo
	byName    map[string]*styleInfo
	faces     []string // distinct face names for fontTable.xml, in first-use order
	body      *styleInfo
	pageNum   *styleInfo // nil: no page numbers
	// numBefore and numAfter surround the PAGE field in the footers.
	numBefore, numAfter string
	embeds              []embeddedFont           // fonts stored in word/fonts
	packing             *spare.Work[*packedFont] // compressing embeds' programs; nil without embeds
	part                *bytes.Buffer
	num                 []byte // scratch for strconv.Append*
	err                 error  // first text error met by escaped
}

// styleInfo is a model style resolved for Word.
type styleInfo struct {
	render.Style
	id       string // w:styleId of the paragraph style
	charID   string // w:styleId of the linked character style, "" if none
	display  string // w:name shown to the clerk
	face     string // w:eastAsia
	ascii    string // w:ascii, w:hAnsi, w:cs
	halfPts  int
	line     int // exact line spacing in twips
	tracking int // character spacing in twips (negative tightens)
	outline  int // outline level shared by every paragraph of the style, 0 if none or mixed
	snap     bool
}

// displayNames are the names a clerk sees in Word's style gallery. They
// avoid Word's localised built-in names (正文, 标题 1) so that Word never
// merges our definitions into its own.
var displayNames = map[string]string{
	render.StyleTitle:       "公文标题",
	render.StyleBody:        "公文正文",
	render.StyleHeading1:    "一级标题",
	render.StyleHeading2:    "二级标题",
	render.StyleTableText:   "表格文字",
	render.StyleTableHeader: "表格表头",
	render.StyleSignature:   "发文机关署名",
	render.StyleDate:        "成文日期",
	render.StylePageNumber:  "页码",
}

// styleOrder puts the known styles first in styles.xml, in reading order.
var styleOrder = []string{
	render.StyleTitle, render.StyleBody, render.StyleHeading1, render.StyleHeading2,
	render.StyleTableText, render.StyleTableHeader, render.StyleSignature,
	render.StyleDate, render.StylePageNumber,
}

func newWriter(doc *render.Document, opts Options) (*writer, error) {
	w := &writer{doc: doc, latin: opts.LatinFace, flowKnown: true, firstPageY: doc.Page.MarginTopMM / 25.4 * 72}
	if w.latin == "" {
		w.latin = DefaultLatinFace
	}
	if err := checkName("Options.LatinFace", w.latin); err != nil {
		return nil, err
	}
	pad := opts.CellPaddingMM
	if pad == 0 {
		pad = DefaultCellPaddingMM
	}
	if !(pad >= 0 && pad < 50) {
		return nil, fmt.Errorf("%w: cell padding %v mm", ErrDocument, opts.CellPaddingMM)
	}
	w.cellPadding = mmToTwips(pad)

	p := doc.Page
	if !(p.WidthMM > 0 && p.HeightMM > 0 && p.WidthMM < 2000 && p.HeightMM < 2000) {
		return nil, fmt.Errorf("%w: page size %v × %v mm", ErrDocument, p.WidthMM, p.HeightMM)
	}
	for _, m := range []float64{p.MarginTopMM, p.MarginBottomMM, p.MarginLeftMM, p.MarginRightMM} {
		if !(m >= 0 && m < 1000) {
			return nil, fmt.Errorf("%w: page margin %v mm", ErrDocument, m)
		}
	}
	textWidthMM := p.WidthMM - p.MarginLeftMM - p.MarginRightMM
	if !(textWidthMM > 0) || !(p.HeightMM-p.MarginTopMM-p.MarginBottomMM > 0) {
		return nil, fmt.Errorf("%w: margins leave no text block", ErrDocument)
	}
	if !(p.LinePitchPt >= 0 && p.LinePitchPt < 1000) {
		return nil, fmt.Errorf("%w: line pitch %v pt", ErrDocument, p.LinePitchPt)
	}

	w.textWidthPt = textWidthMM / 25.4 * 72
	if err := w.resolveStyles(opts, textWidthMM); err != nil {
		return nil, err
	}
	if err := w.scanBlocks(); err != nil {
		return nil, err
	}
	if err := w.resolvePageNumber(); err != nil {
		return nil, err
	}
	if opts.EmbedFonts != nil {
		if err := w.collectEmbeds(opts.EmbedFonts); err != nil {
			if w.packing != nil {
				_ = w.packing.Finish() // no goroutine left waiting for more
			}
			return nil, err
		}
	}
	return w, nil
}

func (w *writer) resolveStyles(opts Options, textWidthMM float64) error {
	names := make([]string, 0, len(w.doc.Styles))
	for name := range w.doc.Styles {
		if !slices.Contains(styleOrder, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	known := make([]string, 0, len(styleOrder))
	for _, name := range styleOrder {
		if _, ok := w.doc.Styles[name]; ok {
			known = append(known, name)
		}
	}
	names = append(known, names...)

	// Character pitch of the page grid: GB/T 9704 sets 28 characters of
	// 16 pt in a 156 mm line, which only fits with slightly negative
	// tracking. Word's "lines and characters" grid would do it, but
	// LibreOffice then spreads lines to ~18 characters, so the tracking is
	// written explicitly on the styles that snap to the grid.
	pitchPt := 0.0
	if w.doc.Page.CharsPerLine > 0 {
		pitchPt = textWidthMM / 25.4 * 72 / float64(w.doc.Page.CharsPerLine)
	}

	w.byName = make(map[string]*styleInfo, len(names))
	ids := make(map[string]bool, 2*len(names))
	faceSeen := map[string]bool{}
	addFace := func(f string) {
		if !faceSeen[f] {
			faceSeen[f] = true
			w.faces = append(w.faces, f)
		}
	}
	addFace(w.latin)
	for i, name := range names {
		s := w.doc.Styles[name]
		s.Name = name
		if err := checkName("style name", name); err != nil {
			return err
		}
		if !(s.SizePt >= 1 && s.SizePt <= 1638) {
			return fmt.Errorf("%w: style %q: size %v pt", ErrDocument, name, s.SizePt)
		}
		face, ok := opts.Faces[s.Role]
		if !ok {
			face, ok = defaultFaces[s.Role]
		}
		if !ok || face == "" {
			return fmt.Errorf("%w: style %q: no face for font role %q", ErrDocument, name, s.Role)
		}
		if err := checkName("face name", face); err != nil {
			return err
		}
		si := &styleInfo{Style: s, face: face, ascii: w.latin}
		// GB/T 9704 7.5 asks for 宋体 numerals in the page number, so its
		// digits take the role's face rather than the Latin one.
		if s.Role == render.RolePageNumber {
			si.ascii = face
		}
		addFace(si.ascii)
		addFace(face)
		// Word stores sizes in half-points. Every Chinese size name is a
		// multiple of 0.5 pt (五号 10.5, 小六 6.5); anything else would be
		// set at a different size than in the PDF, so it is refused.
		si.halfPts = roundInt(s.SizePt * 2)
		if math.Abs(float64(si.halfPts)-s.SizePt*2) > 1e-6 {
			return fmt.Errorf("%w: style %q: size %v pt is not a multiple of 0.5 pt (Word stores half-points)", ErrDocument, name, s.SizePt)
		}
		line := s.LineSpacingPt
		if line == 0 {
			line = 1.2 * s.SizePt
		}
		if !(line > 0 && line < 1584) {
			return fmt.Errorf("%w: style %q: line spacing %v pt", ErrDocument, name, s.LineSpacingPt)
		}
		si.line = ptToTwips(line)
		for _, v := range []float64{s.FirstLineIndentChars, s.RightIndentChars, s.HangingIndentChars, s.SpaceBeforePt, s.SpaceAfterPt} {
			if !(v >= 0 && v < 1000) {
				return fmt.Errorf("%w: style %q: indent or spacing %v", ErrDocument, name, v)
			}
		}
		// Not only grid-snapped styles: the run-in heading's character
		// style must track like the body text it sits in. One twip more
		// than the exact fit: LibreOffice 7.4 reads w:overflowPunct
		// inverted and always hangs a closing mark into the margin, and on
		// a line filled to within a point it then paints no mark at all
		// (four commas vanished from the example at −0.25 pt; none at
		// −0.30 pt). Word sets 28 characters either way.
		if pitchPt > 0 && s.SizePt > pitchPt && s.SizePt < pitchPt*1.1 {
			si.tracking = int(math.Floor((pitchPt-s.SizePt)*20)) - 1
		}
		// LibreOffice gives a snapped line as many grid lines as the
		// font's own line height needs (about 1.45 em for Noto CJK),
		// ignoring exact spacing, so a 22 pt title line would take two
		// 28.95 pt grid lines. Word ignores the grid under exact spacing.
		// Both agree when only styles whose lines fit one grid line snap.
		si.snap = s.SnapToGrid && (w.doc.Page.LinePitchPt == 0 || s.SizePt*1.45 <= w.doc.Page.LinePitchPt)
		si.id = styleID(name, i, ids)
		si.display = displayNames[name]
		if si.display == "" {
			si.display = name
			if reservedStyleNames[name] {
				si.display = "gongwen " + name
			}
		}
		w.styleList = append(w.styleList, si)
		w.byName[name] = si
	}
	w.body = w.byName[render.StyleBody]
	return nil
}

// reservedStyleNames are the names of the built-in styles styles.xml
// defines; a template style of the same name is displayed with a prefix.
var reservedStyleNames = map[string]bool{"Normal": true, "Default Paragraph Font": true, "Normal Table": true}

// styleID derives a stable w:styleId from a style name: "GW" and the name's
// ASCII letters and digits, so Word's own IDs (Normal, Heading1, Title) are
// never shadowed.
func styleID(name string, index int, taken map[string]bool) string {
	b := []byte("GW")
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z':
			if len(b) == 2 {
				c -= 'a' - 'A'
			}
			b = append(b, c)
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			b = append(b, c)
		}
	}
	id := string(b)
	if len(b) == 2 || taken[id] || taken[id+"Char"] {
		id = "GWStyle" + strconv.Itoa(index+1)
	}
	taken[id] = true
	taken[id+"Char"] = true
	return id
}

// scanBlocks checks that every style the blocks name exists, finds the
// styles used on runs (they get a linked character style) and the outline
// level each paragraph style carries.
func (w *writer) scanBlocks() error {
	mixed := map[*styleInfo]bool{}
	seen := map[*styleInfo]bool{}
	for bi, blk := range w.doc.Blocks {
		switch b := blk.(type) {
		case *render.Paragraph:
			if b == nil {
				return fmt.Errorf("%w: block %d: nil paragraph", ErrDocument, bi)
			}
			ps, ok := w.byName[b.Style]
			if !ok {
				return fmt.Errorf("%w: block %d: unknown paragraph style %q", ErrDocument, bi, b.Style)
			}
			if b.OutlineLevel < 0 || b.OutlineLevel > 9 {
				return fmt.Errorf("%w: block %d: outline level %d", ErrDocument, bi, b.OutlineLevel)
			}
			if !seen[ps] {
				seen[ps] = true
				ps.outline = b.OutlineLevel
			} else if ps.outline != b.OutlineLevel {
				mixed[ps] = true
			}
			for ri, r := range b.Runs {
				if r.Style == "" || r.Style == b.Style {
					continue
				}
				rs, ok := w.byName[r.Style]
				if !ok {
					return fmt.Errorf("%w: block %d run %d: unknown style %q", ErrDocument, bi, ri, r.Style)
				}
				rs.charID = rs.id + "Char"
			}
		case *render.Table:
			if b == nil {
				return fmt.Errorf("%w: block %d: nil table", ErrDocument, bi)
			}
			for ri, row := range b.Rows {
				for ci, c := range row.Cells {
					if _, ok := w.byName[w.cellStyle(&c)]; !ok {
						return fmt.Errorf("%w: table %q row %d cell %d: unknown style %q",
							ErrDocument, b.Name, ri, ci, w.cellStyle(&c))
					}
				}
			}
		case *render.Rule, *render.PageBreak:
		case *render.Anchored:
			for _, inner := range b.Blocks {
				if p, ok := inner.(*render.Paragraph); ok {
					if _, ok := w.byName[p.Style]; !ok {
						return fmt.Errorf("%w: block %d: unknown paragraph style %q", ErrDocument, bi, p.Style)
					}
					w.charStyles(p)
				}
			}
		default:
			return fmt.Errorf("%w: block %d: unsupported block %T", ErrDocument, bi, blk)
		}
		if p, ok := blk.(*render.Paragraph); ok {
			w.charStyles(p)
		}
	}
	for s := range mixed {
		s.outline = 0
	}
	return nil
}

// charStyles gives the styles of a paragraph's right part a linked
// character style (the runs' are given above).
func (w *writer) charStyles(p *render.Paragraph) {
	for _, r := range append(slices.Clone(p.Runs), p.Right...) {
		if rs, ok := w.byName[r.Style]; ok && r.Style != p.Style {
			rs.charID = rs.id + "Char"
		}
	}
}

func (w *writer) cellStyle(c *render.Cell) string {
	switch {
	case c.Style != "":
		return c.Style
	case c.Header:
		return render.StyleTableHeader
	default:
		return render.StyleTableText
	}
}

func (w *writer) resolvePageNumber() error {
	pn := w.doc.Page.PageNumber
	if pn.Format == "" {
		return nil
	}
	name := pn.Style
	if name == "" {
		name = render.StylePageNumber
	}
	s, ok := w.byName[name]
	if !ok {
		return fmt.Errorf("%w: page number style %q is not defined", ErrDocument, name)
	}
	i := bytes.Index([]byte(pn.Format), []byte("{n}"))
	if i < 0 {
		return fmt.Errorf("%w: page number format %q has no {n}", ErrDocument, pn.Format)
	}
	if err := CheckText(pn.Format); err != nil {
		return fmt.Errorf("%w: page number format: %w", ErrDocument, err)
	}
	if !(pn.BelowMM >= 0 && pn.BelowMM < w.doc.Page.MarginBottomMM+1) || !(pn.InsetChars >= 0 && pn.InsetChars < 100) {
		return fmt.Errorf("%w: page number placement below %v mm, inset %v", ErrDocument, pn.BelowMM, pn.InsetChars)
	}
	w.pageNum = s
	w.numBefore, w.numAfter = pn.Format[:i], pn.Format[i+3:]
	return nil
}

func checkName(what, s string) error {
	if err := CheckText(s); err != nil {
		return fmt.Errorf("%w: %s %q: %w", ErrDocument, what, s, err)
	}
	return nil
}

// Small writing helpers; the parts are built with direct writes because
// encoding/xml's reflection would cost more than the rest of the render.

func (w *writer) s(s string) { w.part.WriteString(s) }

func (w *writer) int(n int) {
	w.num = strconv.AppendInt(w.num[:0], int64(n), 10)
	w.part.Write(w.num)
}

// attr writes ` name="value"` for an integer value.
func (w *writer) attrInt(name string, n int) {
	w.part.WriteByte(' ')
	w.part.WriteString(name)
	w.part.WriteString(`="`)
	w.int(n)
	w.part.WriteByte('"')
}

// escaped writes s escaped. Text reaching it has been checked already
// (names in newWriter, block text by the caller with its location); should
// anything slip through, the first failure is kept in w.err, whose
// location is the part, and Render returns it instead of a file.
func (w *writer) escaped(s string) {
	if err := writeEscaped(w.part, s); err != nil && w.err == nil {
		w.err = err
	}
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

const nsW = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
const nsR = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
