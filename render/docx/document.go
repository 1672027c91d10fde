package docx

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"gongwen/cjkpunct"
	"gongwen/render"
)

// document writes word/document.xml: the blocks, then the section
// properties (page size, margins, line grid, footers).
func (w *writer) document() error {
	w.s(xmlHeader)
	w.s(`<w:document ` + nsW + ` ` + nsR + `><w:body>`)
	lastTable := false
	for i, blk := range w.doc.Blocks {
		switch b := blk.(type) {
		case *render.Paragraph:
			if err := w.paragraph(i, b, nextParagraph(w.doc.Blocks, i), ""); err != nil {
				return err
			}
			lastTable = false
		case *render.Rule:
			w.rule(b, "")
			lastTable = false
		case *render.PageBreak:
			w.flowKnown, w.ruleBelow = false, 0
			w.s(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
			lastTable = false
		case *render.Anchored:
			// One frame at the foot of the page, made of paragraphs with
			// the same frame properties (Word and LibreOffice join them).
			// Which page it lands on is the word processor's: the last
			// page of the text, even or not.
			if err := w.anchored(i, b); err != nil {
				return err
			}
			lastTable = true

		case *render.Table:
			w.flowKnown, w.ruleBelow = false, 0
			// Word joins two tables that touch into one; a paragraph
			// between them keeps them apart.
			if lastTable {
				w.emptyParagraph()
			}
			if err := w.table(i, b); err != nil {
				return err
			}
			lastTable = true
		}
	}
	// Word expects the body to end with a paragraph (it adds one to a
	// document ending in a table, which would change the page count).
	if lastTable || len(w.doc.Blocks) == 0 {
		w.emptyParagraph()
	}
	w.sectPr()
	w.s(`</w:body></w:document>`)
	return nil
}

func (w *writer) emptyParagraph() {
	if w.body != nil {
		w.s(`<w:p><w:pPr><w:pStyle w:val="`)
		w.s(w.body.id)
		w.s(`"/></w:pPr></w:p>`)
		return
	}
	w.s(`<w:p/>`)
}

func nextParagraph(blocks []render.Block, i int) *render.Paragraph {
	if i+1 < len(blocks) {
		p, _ := blocks[i+1].(*render.Paragraph)
		return p
	}
	return nil
}

// estWidthPt estimates a line's width without fonts: Chinese characters
// one em, others half (as balancedBreaks does), plus the tracking.
func estWidthPt(runs []render.Run, sizePt, trackingPt float64) float64 {
	w := 0.0
	for _, r := range runs {
		for _, c := range r.Text {
			if cjkpunct.IsWide(c) {
				w += sizePt
			} else {
				w += sizePt / 2
			}
			w += trackingPt
		}
	}
	return w
}

// anchored writes the anchored blocks at the foot of the page, the last
// rule on the text block's bottom edge: each paragraph a frame of its own
// at its page position (w:framePr w:vAnchor="page" w:y), each rule the top
// or bottom border of the paragraph it touches, of its own weight. Word and
// LibreOffice 7.4 both place a one-paragraph frame where w:y says;
// LibreOffice ignores the position of a floating table (w:tblpPr) and of a
// frame of several paragraphs, and sets them after the text. Which page
// the frames land on is the word processor's: the page of the paragraph
// that follows them, the last page of the text, even or not; text that
// reaches the frames on that page moves below them (w:wrap="notBeside").
func (w *writer) anchored(bi int, a *render.Anchored) error {
	type row struct {
		p           *render.Paragraph
		top, bottom *render.Rule
	}
	var rows []row
	var pending *render.Rule
	for _, blk := range a.Blocks {
		switch x := blk.(type) {
		case *render.Paragraph:
			rows = append(rows, row{p: x, top: pending})
			pending = nil
		case *render.Rule:
			if len(rows) > 0 && rows[len(rows)-1].bottom == nil {
				rows[len(rows)-1].bottom = x
			} else {
				pending = x
			}
		}
	}
	if len(rows) == 0 {
		return nil
	}
	heights := make([]int, len(rows))
	total := 0
	for k, r := range rows {
		ps := w.byName[r.p.Style]
		lh := ps.line
		if lh == 0 {
			lh = ptToTwips(1.2 * ps.SizePt)
		}
		tracking := float64(ps.tracking) / 20
		avail := w.textWidthPt - (ps.FirstLineIndentChars+ps.RightIndentChars)*(ps.SizePt+tracking)
		lines := max(1, int(math.Ceil(estWidthPt(append(slices.Clone(r.p.Runs), r.p.Right...), ps.SizePt, tracking)/avail)))
		heights[k] = lines * lh
		total += heights[k]
	}
	bottom := mmToTwips(w.doc.Page.HeightMM - w.doc.Page.MarginBottomMM)
	width := ptToTwips(w.textWidthPt)
	border := func(b *strings.Builder, side string, r *render.Rule) {
		if r == nil {
			return
		}
		// w:sz is in eighths of a point: 0.35 mm → 8, 0.25 mm → 6.
		fmt.Fprintf(b, `<w:%s w:val="single" w:sz="%d" w:space="0" w:color="%s"/>`,
			side, max(2, int(math.Round(r.WeightMM/25.4*72*8))), hexColor(r.Color))
	}
	y := bottom - total
	for k, r := range rows {
		var frame strings.Builder
		fmt.Fprintf(&frame, `<w:framePr w:w="%d" w:wrap="notBeside" w:vAnchor="page" w:hAnchor="margin" w:xAlign="left" w:y="%d"/>`, width, y)
		if r.top != nil || r.bottom != nil {
			frame.WriteString(`<w:pBdr>`)
			border(&frame, "top", r.top)
			border(&frame, "bottom", r.bottom)
			frame.WriteString(`</w:pBdr>`)
		}
		if err := w.paragraph(bi, r.p, nil, frame.String()); err != nil {
			return err
		}
		y += heights[k]
	}
	return nil
}

// ruleHeight is the exact height (twips) of a rule's paragraph: its bottom
// border lies GapMM below the em box of the line before.
func ruleHeight(r *render.Rule, lastLine int, lastEm float64) int {
	gap := r.GapMM / 25.4 * 72
	if lastLine > 0 {
		gap -= (float64(lastLine)/20 - lastEm) / 2 // from the em box's bottom, not the line's
	}
	return max(ptToTwips(gap), 20)
}

// rule writes a horizontal rule as the bottom border of an empty
// paragraph of exact height (a real Word object a clerk can edit): the
// height puts the border GapMM below the em box of the line before.
//
// Word and LibreOffice draw a paragraph's bottom border below its lines and
// add its width to the paragraph's height, where the PDF strokes a rule
// centred on its position: the paragraph is half the border's width
// shorter, and what follows flows the border's width further down.
func (w *writer) rule(r *render.Rule, frame string) {
	// w:sz is in eighths of a point: 0.35 mm → 8, 0.25 mm → 6.
	sz := max(2, int(math.Round(r.WeightMM/25.4*72*8)))
	halfBorder := float64(sz) / 16 // pt
	h := max(ruleHeight(r, w.lastLine, w.lastEm)-ptToTwips(halfBorder+w.ruleBelow), 20)
	if r.TopMM != nil {
		// Outside the flow: a one-paragraph frame whose bottom border is
		// the rule (LibreOffice places a frame of one paragraph).
		h = 20
		length := r.LengthMM
		if length <= 0 {
			length = w.textWidthPt * 25.4 / 72
		}
		// as wide as the rule: an empty frame would be as narrow as its text
		frame = fmt.Sprintf(`<w:framePr w:w="%d" w:wrap="notBeside" w:hAnchor="margin" w:vAnchor="page" w:xAlign="center" w:y="%d"/>`,
			mmToTwips(length), max(0, mmToTwips(*r.TopMM)-h-ptToTwips(halfBorder)))
		lastLine, lastEm := w.lastLine, w.lastEm
		defer func() { w.lastLine, w.lastEm = lastLine, lastEm }()
	}
	if frame == "" && r.TopMM == nil {
		w.firstPageY += float64(h)/20 + 2*halfBorder
	}
	if r.TopMM == nil && frame == "" {
		defer func() { w.ruleBelow = halfBorder }()
	}
	length := r.LengthMM / 25.4 * 72
	if length <= 0 {
		length = w.textWidthPt
	}
	ind := ptToTwips((w.textWidthPt - length) / 2)
	if r.TopMM != nil {
		ind = 0 // the frame has the rule's width
	}
	w.s(`<w:p><w:pPr>` + frame + `<w:pBdr><w:bottom w:val="single" w:space="0"`)
	w.attrInt("w:sz", sz)
	w.s(` w:color="` + hexColor(r.Color) + `"/></w:pBdr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0"`)
	w.attrInt("w:line", h)
	w.s(` w:lineRule="exact"/><w:ind`)
	w.attrInt("w:left", ind)
	w.attrInt("w:right", ind)
	w.s(` w:firstLine="0" w:leftChars="0" w:rightChars="0" w:firstLineChars="0"/><w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>`)
	w.lastLine, w.lastEm = 0, 0
}

func (w *writer) paragraph(bi int, p *render.Paragraph, next *render.Paragraph, frame string) error {
	ps := w.byName[p.Style] // scanBlocks checked it exists
	w.lastLine, w.lastEm, w.ruleBelow = ps.line, ps.SizePt, 0
	w.s(`<w:p><w:pPr><w:pStyle w:val="`)
	w.s(ps.id)
	w.s(`"/>`)
	tracking := float64(ps.tracking) / 20
	// The line's top when the em box is centred in the exact line.
	lineTop := 0.0
	if p.TopMM != nil {
		lineTop = *p.TopMM/25.4*72 - (float64(ps.line)/20-ps.SizePt)/2
	}
	placed, spacing := false, ""
	if p.TopMM != nil && frame == "" {
		if before := lineTop - w.firstPageY; w.flowKnown && before >= 0 {
			// Still on the first page with only one-line paragraphs above
			// (份号, 密级, 紧急程度): the space before puts it in place and
			// what follows flows below it, as in the PDF.
			placed = true
			defer func() { w.firstPageY = lineTop + float64(ps.line)/20 + ps.SpaceAfterPt }()
			spacing = fmt.Sprintf(`<w:spacing w:before="%d" w:after="%d"/>`, ptToTwips(before), ptToTwips(ps.SpaceAfterPt))
		} else {
			// Elsewhere: a frame at the page position.
			frame = `<w:framePr w:wrap="notBeside" w:hAnchor="margin" w:vAnchor="page" w:xAlign="center"` + fmt.Sprintf(` w:y="%d"/>`, ptToTwips(lineTop))
			if frameBottom := lineTop + float64(ps.line)/20; w.flowKnown && frameBottom > w.firstPageY {
				// Text may not run beside the frame (notBeside): the flow
				// goes on below it (the letter's mark, above the text block).
				w.firstPageY = frameBottom
			}
		}
	}
	if !placed && frame == "" && w.flowKnown {
		lh := float64(ps.line) / 20
		if ps.line == 0 {
			lh = 1.2 * ps.SizePt
		}
		avail := w.textWidthPt - (ps.FirstLineIndentChars+ps.RightIndentChars)*(ps.SizePt+tracking)
		lines := math.Ceil(estWidthPt(p.Runs, ps.SizePt, tracking)/avail - 1e-9)
		if lines > 1 {
			w.flowKnown = false // where Word breaks it is Word's
		}
		lh *= max(lines, 1)
		before := ps.SpaceBeforePt
		if w.firstPageY == w.doc.Page.MarginTopMM/25.4*72 {
			before = 0 // Word drops the space before at the top of a page
		}
		if pitch := w.doc.Page.LinePitchPt; ps.SnapToGrid && pitch > 0 && before > 0 {
			// Word sets exact lines where they fall; the PDF snaps grid
			// styles to the next grid line. Known positions let the space
			// before do the snapping here too.
			top := w.firstPageY + before - w.doc.Page.MarginTopMM/25.4*72
			if extra := math.Ceil(top/pitch-1e-3)*pitch - top; extra > 0.05 {
				before += extra
				spacing = fmt.Sprintf(`<w:spacing w:before="%d" w:after="%d"/>`, ptToTwips(before), ptToTwips(ps.SpaceAfterPt))
			}
		}
		w.firstPageY += before + lh + ps.SpaceAfterPt
	}
	w.s(frame)
	if len(p.Right) > 0 {
		w.s(`<w:tabs><w:tab w:val="right"`)
		w.attrInt("w:pos", ptToTwips(w.textWidthPt-ps.RightIndentChars*(ps.SizePt+tracking)))
		w.s(`/></w:tabs>`)
	}
	w.s(spacing)
	// Where the first line starts, estimated, for a following paragraph
	// that starts relative to it (StartAfterPrevious).
	charW := ps.SizePt + tracking
	mine := estWidthPt(p.Runs, ps.SizePt, tracking)
	start := ps.FirstLineIndentChars * charW
	switch ps.Align {
	case render.AlignRight:
		start = w.textWidthPt - ps.RightIndentChars*charW - mine
	case render.AlignCenter:
		start = (w.textWidthPt - mine) / 2
	}
	switch {
	case ps.StartAfterPrevious != nil:
		start = min(w.lastStart+*ps.StartAfterPrevious*charW, w.textWidthPt-mine)
		w.s(`<w:ind w:leftChars="0" w:rightChars="0" w:firstLineChars="0" w:firstLine="0" w:right="0"`)
		w.attrInt("w:left", max(0, ptToTwips(start)))
		w.s(`/><w:jc w:val="left"/>`)
	case ps.CenterOnNext && next != nil:
		// Centred over the next line (the date): right indent so that the
		// two centres meet, from estimated widths.
		ns := w.byName[next.Style]
		ntrack := float64(ns.tracking) / 20
		nw := estWidthPt(next.Runs, ns.SizePt, ntrack)
		right := max(0, ns.RightIndentChars*(ns.SizePt+ntrack)+(nw-mine)/2)
		start = w.textWidthPt - right - mine
		w.s(`<w:ind w:rightChars="0"`)
		w.attrInt("w:right", ptToTwips(right))
		w.s(`/><w:jc w:val="right"/>`)
	}
	if frame == "" {
		w.lastStart = start
	}
	if p.OutlineLevel != ps.outline {
		// w:outlineLvl counts from 0; 9 is Word's "body text" level.
		lvl := 9
		if p.OutlineLevel > 0 {
			lvl = p.OutlineLevel - 1
		}
		w.s(`<w:outlineLvl`)
		w.attrInt("w:val", lvl)
		w.s(`/>`)
	}
	w.s(`</w:pPr>`)
	if ps.Align == render.AlignCenter && len(p.Runs) == 1 && len(p.Right) == 0 && (p.Runs[0].Style == "" || p.Runs[0].Style == p.Style) {
		text := p.Runs[0].Text
		avail := w.textWidthPt - ps.RightIndentChars*(ps.SizePt+tracking)
		if cuts := balancedBreaks(text, w.doc.TitleWords, ps.SizePt, avail, tracking); cuts != nil {
			if err := CheckText(text); err != nil {
				return fmt.Errorf("%w: block %d (paragraph %q) run 0: %w", ErrDocument, bi, p.Path, err)
			}
			var b strings.Builder
			prev := 0
			for _, c := range cuts {
				b.WriteString(text[prev:c])
				b.WriteByte('\n')
				prev = c
			}
			b.WriteString(text[prev:])
			if err := w.run(b.String(), ""); err != nil {
				return fmt.Errorf("%w: block %d (paragraph %q): %w", ErrDocument, bi, p.Path, err)
			}
			w.s(`</w:p>`)
			return nil
		}
	}
	for ri, r := range p.Runs {
		charID := ""
		if r.Style != "" && r.Style != p.Style {
			charID = w.byName[r.Style].charID
		}
		if err := w.run(r.Text, charID); err != nil {
			return fmt.Errorf("%w: block %d (paragraph %q) run %d: %w", ErrDocument, bi, p.Path, ri, err)
		}
	}
	if len(p.Right) > 0 {
		w.s(`<w:r><w:tab/></w:r>`)
		for ri, r := range p.Right {
			charID := ""
			if r.Style != "" && r.Style != p.Style {
				charID = w.byName[r.Style].charID
			}
			if err := w.run(r.Text, charID); err != nil {
				return fmt.Errorf("%w: block %d (paragraph %q) right run %d: %w", ErrDocument, bi, p.Path, ri, err)
			}
		}
	}
	w.s(`</w:p>`)
	return nil
}

// run writes one w:r. A line feed (or CR LF, or CR) in the text becomes
// w:br, a tab w:tab: the model splits paragraphs already, so a stray line
// break is kept as a break within the paragraph rather than lost.
func (w *writer) run(text, charID string) error { return w.sizedRun(text, charID, 0) }

// sizedRun is run with its own size in half-points (0: the style's).
func (w *writer) sizedRun(text, charID string, halfPts int) error {
	if text == "" {
		return nil
	}
	w.s(`<w:r>`)
	hint := eastAsianAmbiguous(text)
	if charID != "" || hint || halfPts > 0 {
		w.s(`<w:rPr>`)
		if charID != "" {
			w.s(`<w:rStyle w:val="`)
			w.s(charID)
			w.s(`"/>`)
		}
		if hint {
			w.s(`<w:rFonts w:hint="eastAsia"/>`)
		}
		if halfPts > 0 {
			w.s(`<w:sz`)
			w.attrInt("w:val", halfPts)
			w.s(`/><w:szCs`)
			w.attrInt("w:val", halfPts)
			w.s(`/>`)
		}
		w.s(`</w:rPr>`)
	}
	start := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '\n' && c != '\r' && c != '\t' {
			continue
		}
		if err := w.t(text[start:i]); err != nil {
			return offsetBy(err, start)
		}
		if c == '\t' {
			w.s(`<w:tab/>`)
		} else {
			if c == '\r' && i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			w.s(`<w:br/>`)
		}
		start = i + 1
	}
	if err := w.t(text[start:]); err != nil {
		return offsetBy(err, start)
	}
	w.s(`</w:r>`)
	return nil
}

func (w *writer) t(seg string) error {
	if seg == "" {
		return nil
	}
	if needsPreserve(seg) {
		w.s(`<w:t xml:space="preserve">`)
	} else {
		w.s(`<w:t>`)
	}
	if err := writeEscaped(w.part, seg); err != nil {
		return err
	}
	w.s(`</w:t>`)
	return nil
}

// offsetBy makes an *InvalidCharError's offset relative to the whole run.
func offsetBy(err error, n int) error {
	var ic *InvalidCharError
	if errors.As(err, &ic) {
		ic.Offset += n
	}
	return err
}

// placedCell is a model cell with its resolved grid position and spans.
type placedCell struct {
	row, col, rowSpan, colSpan int
	cell                       *render.Cell
}

// layoutGrid places every cell of t on the grid and checks the model's
// promise: each grid position is covered by exactly one cell. A hole or an
// overlap would make Word or LibreOffice shift cells silently, so it is an
// error here.
func layoutGrid(t *render.Table) ([]placedCell, []int32, error) {
	rows, cols := len(t.Rows), len(t.Columns)
	n := 0
	for _, r := range t.Rows {
		n += len(r.Cells)
	}
	placed := make([]placedCell, 0, n)
	owner := make([]int32, rows*cols) // index+1 into placed; 0 = not covered
	for ri := range t.Rows {
		for ci := range t.Rows[ri].Cells {
			c := &t.Rows[ri].Cells[ci]
			rs, cs := max(c.RowSpan, 1), max(c.ColSpan, 1)
			if c.RowSpan < 0 || c.ColSpan < 0 || c.Col < 0 || c.Col+cs > cols || ri+rs > rows {
				return nil, nil, fmt.Errorf("row %d cell %d (col %d, %d×%d) lies outside the %d×%d grid",
					ri, ci, c.Col, c.RowSpan, c.ColSpan, rows, cols)
			}
			placed = append(placed, placedCell{ri, c.Col, rs, cs, c})
			idx := int32(len(placed))
			for r := ri; r < ri+rs; r++ {
				for k := c.Col; k < c.Col+cs; k++ {
					if o := owner[r*cols+k]; o != 0 {
						p := placed[o-1]
						return nil, nil, fmt.Errorf("row %d cell %d overlaps the cell starting at row %d col %d (grid row %d col %d)",
							ri, ci, p.row, p.col, r, k)
					}
					owner[r*cols+k] = idx
				}
			}
		}
	}
	for i, o := range owner {
		if o == 0 {
			return nil, nil, fmt.Errorf("grid row %d col %d is covered by no cell", i/cols, i%cols)
		}
	}
	return placed, owner, nil
}

func (w *writer) table(bi int, t *render.Table) error {
	fail := func(err error) error {
		return fmt.Errorf("%w: block %d (table %q): %w", ErrDocument, bi, t.Name, err)
	}
	cols := len(t.Columns)
	if cols == 0 || len(t.Rows) == 0 {
		return fail(fmt.Errorf("%d columns, %d rows", cols, len(t.Rows)))
	}
	if t.HeaderRows < 0 || t.HeaderRows > len(t.Rows) {
		return fail(fmt.Errorf("%d header rows of %d", t.HeaderRows, len(t.Rows)))
	}
	// Column edges are rounded, not widths, so that rounding never
	// accumulates: the table is as wide as the template says.
	edges := make([]int, cols+1)
	sum := 0.0
	for i, mm := range t.Columns {
		if !(mm > 0 && mm < 2000) {
			return fail(fmt.Errorf("column %d width %v mm", i, mm))
		}
		sum += mm
		edges[i+1] = mmToTwips(sum)
	}
	placed, owner, err := layoutGrid(t)
	if err != nil {
		return fail(err)
	}

	w.s(`<w:tbl><w:tblPr><w:tblW`)
	w.attrInt("w:w", edges[cols])
	w.s(` w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>` +
		`<w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/>` +
		`<w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/>` +
		`<w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/>` +
		`<w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/>` +
		`<w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/>` +
		`<w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/>` +
		`</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:top`)
	w.attrInt("w:w", ptToTwips(cellPaddingYPt))
	w.s(` w:type="dxa"/><w:left`)
	w.attrInt("w:w", w.cellPadding)
	w.s(` w:type="dxa"/><w:bottom`)
	w.attrInt("w:w", ptToTwips(cellPaddingYPt))
	w.s(` w:type="dxa"/><w:right`)
	w.attrInt("w:w", w.cellPadding)
	w.s(` w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>`)
	for i := 0; i < cols; i++ {
		w.s(`<w:gridCol`)
		w.attrInt("w:w", edges[i+1]-edges[i])
		w.s(`/>`)
	}
	w.s(`</w:tblGrid>`)

	for ri := range t.Rows {
		// A row never splits across pages (a number torn from its label is
		// unreadable); header rows repeat on every page the table runs onto.
		w.s(`<w:tr><w:trPr><w:cantSplit/>`)
		if ri < t.HeaderRows {
			w.s(`<w:tblHeader/>`)
		}
		w.s(`</w:trPr>`)
		// Rows keep with the next as in the PDF layout: a row of headings
		// (表二's 第二十条第（一）项) with the rows under it, the header with
		// the first two body rows. Word and LibreOffice both read keepNext
		// on a row's paragraphs as keeping the row with the next.
		keep := ri+1 < len(t.Rows) && (t.Rows[ri].KeepWithNext() || ri < t.HeaderRows+1)
		for col := 0; col < cols; {
			p := &placed[owner[ri*cols+col]-1]
			start := p.row == ri
			w.s(`<w:tc><w:tcPr><w:tcW`)
			w.attrInt("w:w", edges[p.col+p.colSpan]-edges[p.col])
			w.s(` w:type="dxa"/>`)
			if p.colSpan > 1 {
				w.s(`<w:gridSpan`)
				w.attrInt("w:val", p.colSpan)
				w.s(`/>`)
			}
			if p.rowSpan > 1 {
				if start {
					w.s(`<w:vMerge w:val="restart"/>`)
				} else {
					w.s(`<w:vMerge/>`)
				}
			}
			if p.cell.VAlign == render.VAlignMiddle {
				w.s(`<w:vAlign w:val="center"/>`)
			}
			w.s(`</w:tcPr>`)
			st := w.byName[w.cellStyle(p.cell)]
			w.s(`<w:p><w:pPr><w:pStyle w:val="`)
			w.s(st.id)
			w.s(`"/>`)
			if keep {
				w.s(`<w:keepNext/>`)
			}
			w.s(`<w:snapToGrid w:val="0"/>`)
			if p.cell.Align != "" && p.cell.Align != st.Align {
				w.s(`<w:jc w:val="`)
				w.s(jcValue(p.cell.Align))
				w.s(`"/>`)
			}
			w.s(`</w:pPr>`)
			if start {
				text, halfPts := w.fitCell(p.cell, st, edges[p.col+p.colSpan]-edges[p.col])
				if err := w.sizedRun(text, "", halfPts); err != nil {
					return fail(fmt.Errorf("row %d col %d (%q): %w", p.row, p.col, p.cell.Path, err))
				}
			}
			w.s(`</w:p></w:tc>`)
			col += p.colSpan
		}
		w.s(`</w:tr>`)
	}
	w.s(`</w:tbl>`)
	return nil
}

func jcValue(a render.Align) string {
	switch a {
	case render.AlignCenter:
		return "center"
	case render.AlignRight:
		return "right"
	case render.AlignJustify:
		return "both"
	default:
		return "left"
	}
}

func (w *writer) sectPr() {
	p := w.doc.Page
	w.s(`<w:sectPr><w:footerReference w:type="default" r:id="rId4"/><w:footerReference w:type="even" r:id="rId5"/><w:pgSz`)
	w.attrInt("w:w", mmToTwips(p.WidthMM))
	w.attrInt("w:h", mmToTwips(p.HeightMM))
	if p.WidthMM > p.HeightMM {
		w.s(` w:orient="landscape"`)
	}
	w.s(`/><w:pgMar`)
	w.attrInt("w:top", mmToTwips(p.MarginTopMM))
	w.attrInt("w:right", mmToTwips(p.MarginRightMM))
	w.attrInt("w:bottom", mmToTwips(p.MarginBottomMM))
	w.attrInt("w:left", mmToTwips(p.MarginLeftMM))
	w.attrInt("w:header", min(851, mmToTwips(p.MarginTopMM)))
	w.attrInt("w:footer", w.footerDistance())
	w.s(` w:gutter="0"/><w:cols w:space="425"/>`)
	if p.PageNumber.SkipFirst {
		// A first page without a first-page footer: no number (GB/T 9704 10.1).
		w.s(`<w:titlePg/>`)
	}
	if p.LinePitchPt > 0 {
		w.s(`<w:docGrid w:type="lines"`)
		w.attrInt("w:linePitch", ptToTwips(p.LinePitchPt))
		w.s(`/>`)
	}
	w.s(`</w:sectPr>`)
}

// footerDistance is w:footer, the distance from the bottom edge of the page
// to the bottom of the footer's line. The page number's line starts
// PageNumber.BelowMM (7 mm) below the text block, as the PDF backend sets
// it (GB/T 9704 7.5); its line is one exact line of the page-number style.
func (w *writer) footerDistance() int {
	p := w.doc.Page
	if w.pageNum == nil {
		return min(992, mmToTwips(p.MarginBottomMM))
	}
	d := mmToTwips(p.MarginBottomMM-p.PageNumber.BelowMM) - w.pageNum.line
	return max(d, 0)
}
