package layout

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gongwen/render"
)

// Cell padding and rule width of tables, in points.
const (
	cellPadX  = 2.0
	cellPadY  = 2.5
	ruleWidth = 0.5
	// A number too wide for its column shrinks to this size before it
	// takes the cell's padding, down to minCellPadX from the rules.
	numberFloorPt = 8.0
	minCellPadX   = 0.5
)

// tableLayout is a measured table: column positions, natural row heights
// and each cell's text set relative to its content box.
type tableLayout struct {
	colX    []float64 // left edge of each grid column, from the table's left edge, plus the right edge
	header  int
	heights []float64
	keep    []bool // row r must not end a page (render.Row.KeepWithNext)
	cells   []cellBox
	texts   []Text // cell texts; X from the content box's left, Y from its top
}

type cellBox struct {
	row, col, rowSpan, colSpan int
	textFrom, textTo           int
	contentH                   float64
	lineH                      float64 // height of one line of the cell's text
	valign                     render.VAlign
}

func (c *cellBox) need() float64 { return c.contentH + 2*cellPadY }

func (f *flow) measureTable(t *render.Table) (*tableLayout, error) {
	if tl, ok := f.tables[t]; ok {
		return tl, nil
	}
	tl, err := f.measureTableUncached(t)
	if err != nil {
		return nil, err
	}
	if f.tables == nil {
		f.tables = map[*render.Table]*tableLayout{}
	}
	f.tables[t] = tl
	return tl, nil
}

func (f *flow) measureTableUncached(t *render.Table) (*tableLayout, error) {
	ncol := len(t.Columns)
	if ncol == 0 {
		return nil, fmt.Errorf("table %q has no columns", t.Name)
	}
	total := 0.0
	for i, w := range t.Columns {
		if !(w > 0) {
			return nil, fmt.Errorf("table %q: column %d has width %v mm", t.Name, i, w)
		}
		total += w * ptPerMM
	}
	// A grid wider than the text block is scaled down rather than run past
	// the margin.
	scale := 1.0
	if avail := f.right - f.left; total > avail {
		scale = avail / total
	}
	tl := &tableLayout{colX: make([]float64, ncol+1)}
	for i, w := range t.Columns {
		tl.colX[i+1] = tl.colX[i] + w*ptPerMM*scale
	}
	nrow := len(t.Rows)
	tl.header = t.HeaderRows
	if tl.header < 0 {
		tl.header = 0
	}
	if tl.header > nrow {
		tl.header = nrow
	}
	tl.keep = make([]bool, nrow)
	for r := tl.header; r < nrow; r++ {
		tl.keep[r] = t.Rows[r].KeepWithNext()
	}
	occupied := make([]bool, nrow*ncol)
	minRow := 0.0
	if st, err := f.style(render.StyleTableText); err == nil {
		minRow = f.lineHeight(st) + 2*cellPadY
	}
	for r, row := range t.Rows {
		for _, c := range row.Cells {
			rs, cs := max(c.RowSpan, 1), max(c.ColSpan, 1)
			if c.Col < 0 || c.Col >= ncol || c.Col+cs > ncol {
				return nil, fmt.Errorf("table %q row %d: cell at column %d spanning %d is outside the %d columns", t.Name, r+1, c.Col+1, cs, ncol)
			}
			// A merge never crosses from the header rows into the body.
			limit := nrow
			if r < tl.header {
				limit = tl.header
			}
			if r+rs > limit {
				rs = limit - r
			}
			for y := r; y < r+rs; y++ {
				for x := c.Col; x < c.Col+cs; x++ {
					if occupied[y*ncol+x] {
						return nil, fmt.Errorf("table %q row %d column %d: cells overlap", t.Name, y+1, x+1)
					}
					occupied[y*ncol+x] = true
				}
			}
			box, err := f.setCell(tl, c, r, rs, cs)
			if err != nil {
				return nil, fmt.Errorf("table %q row %d column %d: %w", t.Name, r+1, c.Col+1, err)
			}
			tl.cells = append(tl.cells, box)
		}
	}
	tl.rowHeights(nrow, minRow)
	// A row never splits across pages, unless it is taller than a page on
	// its own: then its cells' lines continue in rows added below it, so
	// no text runs past the bottom edge.
	headH := 0.0
	for _, h := range tl.heights[:tl.header] {
		headH += h
	}
	if maxH := f.bot - f.top - headH; maxH > 0 {
		for r := nrow - 1; r >= tl.header; r-- {
			if tl.heights[r] > maxH+eps {
				nrow += tl.splitRow(r, maxH)
			}
		}
		tl.rowHeights(nrow, minRow)
	}
	return tl, nil
}

// rowHeights sets each row's height from its cells; merged cells taller
// than their rows give the extra to the last row.
func (tl *tableLayout) rowHeights(nrow int, minRow float64) {
	tl.heights = make([]float64, nrow)
	for r := range tl.heights {
		tl.heights[r] = minRow
	}
	for _, c := range tl.cells {
		if c.rowSpan == 1 && c.need() > tl.heights[c.row] {
			tl.heights[c.row] = c.need()
		}
	}
	// Merged cells taller than their rows give the extra to the last row.
	for _, c := range tl.cells {
		if c.rowSpan == 1 {
			continue
		}
		have := 0.0
		for _, h := range tl.heights[c.row : c.row+c.rowSpan] {
			have += h
		}
		if have < c.need() {
			tl.heights[c.row+c.rowSpan-1] += c.need() - have
		}
	}
}

// splitRow cuts the one-row cells of row r into pieces of at most maxH,
// each piece in a new row below r, and returns the number of rows added.
func (tl *tableLayout) splitRow(r int, maxH float64) int {
	pieces := 1
	perPiece := map[int]int{} // cell index -> lines per piece
	for i, c := range tl.cells {
		if c.row != r || c.rowSpan != 1 || c.need() <= maxH+eps {
			continue
		}
		lines := int(c.contentH/c.lineH + 0.5)
		per := max(1, int((maxH-2*cellPadY)/c.lineH+eps))
		perPiece[i] = per
		pieces = max(pieces, (lines+per-1)/per)
	}
	if pieces == 1 {
		return 0
	}
	added := pieces - 1
	// The pieces of a split row may be parted; the last one keeps the
	// row's bond with the next.
	tl.keep = slices.Insert(tl.keep, r+1, make([]bool, added)...)
	tl.keep[r], tl.keep[r+added] = false, tl.keep[r]
	var extra []cellBox
	for i := range tl.cells {
		c := &tl.cells[i]
		switch {
		case c.row > r:
			c.row += added
		case c.row+c.rowSpan > r && c.rowSpan > 1:
			c.rowSpan += added // a merged cell covering r covers its pieces
		case c.row == r:
			per, ok := perPiece[i]
			if !ok {
				// A short cell keeps its text in the first piece and spans
				// the rest.
				c.rowSpan += added
				continue
			}
			texts := tl.texts[c.textFrom:c.textTo]
			lines := int(c.contentH/c.lineH + 0.5)
			for p := 1; p < pieces; p++ {
				piece := *c
				piece.row = r + p
				piece.textFrom = len(tl.texts)
				first, last := p*per, min((p+1)*per, lines)
				for _, t := range texts {
					if line := int(t.Y / c.lineH); line >= first && line < last {
						t.Y -= float64(first) * c.lineH
						tl.texts = append(tl.texts, t)
					}
				}
				piece.textTo = len(tl.texts)
				piece.contentH = float64(max(0, last-first)) * c.lineH
				if last <= first {
					piece.contentH = c.lineH
				}
				extra = append(extra, piece)
			}
			// The first piece keeps the first lines only.
			kept := c.textFrom
			for _, t := range tl.texts[c.textFrom:c.textTo] {
				if int(t.Y/c.lineH) < per {
					tl.texts[kept] = t
					kept++
				}
			}
			c.textTo = kept
			c.contentH = float64(min(per, lines)) * c.lineH
		}
	}
	tl.cells = append(tl.cells, extra...)
	// Draw (and so extract) row by row, the pieces in their place.
	slices.SortStableFunc(tl.cells, func(a, b cellBox) int {
		if a.row != b.row {
			return a.row - b.row
		}
		return a.col - b.col
	})
	return added
}

// setCell breaks the cell's text into its column width.
func (f *flow) setCell(tl *tableLayout, c render.Cell, r, rs, cs int) (cellBox, error) {
	box := cellBox{row: r, col: c.Col, rowSpan: rs, colSpan: cs, valign: c.VAlign}
	styleName := c.Style
	if styleName == "" {
		styleName = render.StyleTableText
		if c.Header {
			styleName = render.StyleTableHeader
		}
	}
	st, err := f.style(styleName)
	if err != nil {
		return box, err
	}
	if box.valign == "" {
		box.valign = render.VAlignMiddle
	}
	align := c.Align
	if align == "" {
		align = st.Align
	}
	if align == "" {
		align = render.AlignLeft
		if c.Header || looksNumeric(c.Text) {
			align = render.AlignCenter
		}
	}
	width := tl.colX[c.Col+cs] - tl.colX[c.Col] - 2*cellPadX
	if width < st.SizePt {
		width = st.SizePt
	}
	size := st.SizePt
	numeric := looksNumeric(c.Text)
	lh := st.LineSpacingPt
	if lh <= 0 {
		lh = 1.2 * st.SizePt
	}
	box.lineH = lh
	var key cellKey
	stable, cacheable := f.set.fonts.(StableFonts)
	cacheable = cacheable && !numeric
	if cacheable {
		if f.wordsKey == nil {
			w := wordsKey(f.set.words)
			f.wordsKey = &w
		}
		key = cellKey{fonts: stable, words: *f.wordsKey, text: c.Text, role: st.Role, size: size, lineSpacing: lh, align: align, width: width}
		if cs, ok := lookupCell(key); ok {
			box.textFrom = len(tl.texts)
			tl.texts = append(tl.texts, cs.texts...)
			box.textTo = len(tl.texts)
			box.contentH = cs.contentH
			return box, nil
		}
	}
	// A number is set on one line at infinite width: where it could break
	// is never asked (shapeUnbroken), and the analysis was half the time of
	// measuring a table of counts.
	shape := f.set.shape
	if numeric {
		shape = f.set.shapeUnbroken
	}
	if err := shape([]textRun{{text: c.Text, role: st.Role, size: size}}); err != nil {
		return box, err
	}
	inset := 0.0 // how far the text may reach into the padding on each side
	if numeric {
		// A number is never broken: it is set smaller, down to
		// numberFloorPt, then into the cell's padding, and only then
		// smaller still (a nine-digit count in a 9.75 mm column).
		if natural := f.set.naturalWidth(); natural > width+eps {
			fitted := max(numberFloorPt, size*width/natural)
			if natural*fitted/size > width+eps {
				inset = cellPadX - minCellPadX
				fitted = min(fitted, size*(width+2*inset)/natural)
			}
			size = fitted
			if err := shape([]textRun{{text: c.Text, role: st.Role, size: size}}); err != nil {
				return box, err
			}
		}
		f.set.breakLines(math.Inf(1), math.Inf(1), 0)
	} else {
		// Wrapped labels get lines of even length ("（四） / 无法提供", not
		// "（四）无法提 / 供").
		f.set.cell = true
		f.set.balancedLines(width, 0)
		f.set.cell = false
	}
	box.textFrom = len(tl.texts)
	for i, l := range f.set.lines {
		x := max(-inset, min(0, width+inset-l.natural))
		var sp spacing
		switch align {
		case render.AlignCenter:
			x = (width - l.natural) / 2
		case render.AlignRight:
			x = max(width-l.natural, -inset)
		case render.AlignJustify:
			if !l.final && l.natural < width {
				sp, _ = justify(l, width, size)
			}
		}
		baseline := float64(i)*lh + lh/2 + (emAscent-emDescent)/2*size
		tl.texts = f.set.emit(tl.texts, l, x, baseline, 0, sp)
	}
	box.textTo = len(tl.texts)
	if strings.TrimSpace(c.Text) == "" {
		box.contentH = lh
	} else {
		box.contentH = lh * float64(len(f.set.lines))
	}
	if cacheable {
		rememberCell(key, tl.texts[box.textFrom:box.textTo], box.contentH)
	}
	return box, nil
}

func looksNumeric(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || r == '-' || r == '+' || r == ',' || r == '/' || r == '%') {
			return false
		}
	}
	return true
}

// table places t, splitting it between rows across pages, repeating the
// header rows and any merged label cut by a page break.
func (f *flow) table(t *render.Table) error {
	tl, err := f.measureTable(t)
	if err != nil {
		return err
	}
	n := len(tl.heights)
	if n == 0 {
		return nil
	}
	x0 := f.left + (f.right-f.left-tl.colX[len(tl.colX)-1])/2
	headH := 0.0
	for _, h := range tl.heights[:tl.header] {
		headH += h
	}
	extra := make([]float64, n)
	a := tl.header
	for {
		avail := f.bot - f.y - headH
		b := a
		used := 0.0
		for b < n && used+tl.heights[b] <= avail+eps {
			used += tl.heights[b]
			b++
		}
		if b == a && !f.fresh && (a < n || avail < -eps) {
			f.newPage()
			continue
		}
		if b == a && a < n {
			b = a + 1 // only when the header rows alone nearly fill a page
		}
		if b < n {
			// The table breaks: where it may is decided by the rows that
			// keep with the next, the first rows that keep with the header
			// and the merged labels that need room on both pages.
			nb := tl.breakAt(a, b, !f.fresh)
			if nb == a && !f.fresh {
				f.newPage()
				continue
			}
			if nb > a {
				b = nb
			}
		}
		// Merged cells cut by the page break need room for their text on
		// each page; give it to the portion's last row, and move rows to
		// the next page while that overfills this one.
		for {
			used = tl.fixCutCells(a, b, extra)
			if used <= avail+eps || b-a <= 1 {
				break
			}
			b--
		}
		if !f.fresh && used > avail+eps {
			f.newPage()
			continue
		}
		y := tl.draw(f.page(), x0, f.y, 0, tl.header, nil)
		f.y = tl.draw(f.page(), x0, y, a, b, extra)
		f.fresh = false
		a = b
		if a >= n {
			return nil
		}
		f.newPage()
	}
}

// minBodyRows is how many body rows the first page of a table holds at
// least: a header with a single row under it at a page foot moves to the
// next page with the rest.
const minBodyRows = 2

// breakAt returns the last row boundary in (a, b] where rows [a, b') may
// end a page, or a when none may. A boundary is good when the row above
// it does not keep with the next, the table's first page (first) holds
// minBodyRows, and every merged cell it cuts has room for its text on
// both sides without stretching a row (the label is repeated below the
// break). When no boundary is good, the merged cells give way: a taller
// row beats a heading torn from its rows.
func (tl *tableLayout) breakAt(a, b int, first bool) int {
	n := len(tl.heights)
	minEnd := a + 1
	if first && a == tl.header {
		minEnd = min(a+minBodyRows, n)
	}
	for _, strict := range []bool{true, false} {
		for nb := b; nb >= minEnd && nb > a; nb-- {
			if tl.keep[nb-1] {
				continue
			}
			if strict && !tl.cutCellsFit(a, nb) {
				continue
			}
			return nb
		}
	}
	return a
}

// cutCellsFit reports whether every merged cell cut at row boundary b
// needs no more than its rows give it above the break (from a) and below.
func (tl *tableLayout) cutCellsFit(a, b int) bool {
	for i := range tl.cells {
		c := &tl.cells[i]
		if c.rowSpan == 1 || c.row < tl.header || c.row >= b || c.row+c.rowSpan <= b {
			continue
		}
		above, below := 0.0, 0.0
		for r := max(c.row, a); r < b; r++ {
			above += tl.heights[r]
		}
		for r := b; r < c.row+c.rowSpan; r++ {
			below += tl.heights[r]
		}
		if above < c.need()-eps || below < c.need()-eps {
			return false
		}
	}
	return true
}

// fixCutCells sets extra for rows [a,b) so that merged cells cut by the
// fragment's edges have room for their text, and returns the fragment's
// height.
func (tl *tableLayout) fixCutCells(a, b int, extra []float64) float64 {
	for i := a; i < b; i++ {
		extra[i] = 0
	}
	for i := range tl.cells {
		c := &tl.cells[i]
		if c.row < tl.header || c.rowSpan == 1 {
			continue
		}
		s, e := max(c.row, a), min(c.row+c.rowSpan, b)
		if s >= e || (c.row >= a && c.row+c.rowSpan <= b) {
			continue
		}
		have := 0.0
		for r := s; r < e; r++ {
			have += tl.heights[r] + extra[r]
		}
		if have < c.need() {
			extra[e-1] += c.need() - have
		}
	}
	h := 0.0
	for r := a; r < b; r++ {
		h += tl.heights[r] + extra[r]
	}
	return h
}

// draw places rows [a,b) at y and returns the y below them.
func (tl *tableLayout) draw(pg *Page, x0, y float64, a, b int, extra []float64) float64 {
	if a >= b {
		return y
	}
	rowY := make([]float64, b-a+1)
	rowY[0] = y
	for r := a; r < b; r++ {
		h := tl.heights[r]
		if extra != nil {
			h += extra[r]
		}
		rowY[r-a+1] = rowY[r-a] + h
	}
	right := x0 + tl.colX[len(tl.colX)-1]
	for i := range tl.cells {
		c := &tl.cells[i]
		s, e := max(c.row, a), min(c.row+c.rowSpan, b)
		if s >= e {
			continue
		}
		top, bottom := rowY[s-a], rowY[e-a]
		left, cellRight := x0+tl.colX[c.col], x0+tl.colX[c.col+c.colSpan]
		pg.Rules = append(pg.Rules,
			Rule{X1: left, Y1: top, X2: cellRight, Y2: top, Width: ruleWidth},
			Rule{X1: left, Y1: top, X2: left, Y2: bottom, Width: ruleWidth})
		if e == b {
			pg.Rules = append(pg.Rules, Rule{X1: left, Y1: bottom, X2: cellRight, Y2: bottom, Width: ruleWidth})
		}
		if cellRight >= right-eps {
			pg.Rules = append(pg.Rules, Rule{X1: cellRight, Y1: top, X2: cellRight, Y2: bottom, Width: ruleWidth})
		}
		dy := top + cellPadY
		if c.valign != render.VAlignTop {
			if free := bottom - top - c.need(); free > 0 {
				dy += free / 2
			}
		}
		dx := left + cellPadX
		for _, t := range tl.texts[c.textFrom:c.textTo] {
			t.X += dx
			t.Y += dy
			pg.Texts = append(pg.Texts, t)
		}
	}
	return rowY[b-a]
}
