package layout

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gongwen/render"
)

const ptPerMM = 72 / 25.4

// Ideographic em box: CJK faces put the baseline 0.12 em above the bottom
// of the em box. Lines centre the em box in the line's height.
const (
	emAscent  = 0.88
	emDescent = 0.12
)

// Layout lays out doc with the given fonts.
func Layout(doc *render.Document, fonts Fonts) (*Result, error) {
	if doc == nil {
		return nil, errors.New("layout: nil document")
	}
	if fonts == nil {
		return nil, errors.New("layout: no fonts")
	}
	f, err := newFlow(doc, fonts)
	if err != nil {
		return nil, err
	}
	for i, b := range doc.Blocks {
		var err error
		switch b := b.(type) {
		case *render.Paragraph:
			if b == nil {
				continue
			}
			err = f.paragraph(b, nextBlock(doc.Blocks, i))
		case *render.Table:
			if b == nil {
				continue
			}
			err = f.table(b)
		case *render.Rule:
			if b == nil {
				continue
			}
			f.rule(b)
		case *render.PageBreak:
			if b != nil && !f.fresh {
				f.newPage()
			}
		case *render.Anchored:
			if b == nil {
				continue
			}
			err = f.anchored(b)
		case nil:
			continue
		default:
			err = fmt.Errorf("unknown block type %T", b)
		}
		if err != nil {
			return nil, fmt.Errorf("layout: block %d: %w", i, err)
		}
	}
	if err := f.pageNumbers(); err != nil {
		return nil, fmt.Errorf("layout: page numbers: %w", err)
	}
	return f.res, nil
}

func nextBlock(blocks []render.Block, i int) render.Block {
	if i+1 < len(blocks) {
		return blocks[i+1]
	}
	return nil
}

// flow is the state of one document's layout.
type flow struct {
	doc   *render.Document
	res   *Result
	set   setter
	top   float64 // text block edges
	bot   float64
	left  float64
	right float64
	pitch float64 // grid line pitch
	y     float64 // cursor: top of the next line
	fresh bool    // nothing placed on the current page yet
	// emBottom is the bottom of the last line's em box (or the last
	// rule's centre line) on the current page: where Rule.GapMM counts from.
	emBottom float64
	// unnumbered pages (0-based): blank, or holding only an Anchored block
	unnumbered map[int]bool
	// lineStart is where the last paragraph's first line starts (StartAfterPrevious).
	lineStart float64
	runs      []textRun
	// tables measured ahead for keep-with-next
	tables map[*render.Table]*tableLayout
	// wordsKey is set.words as cellKey has them, made once per document.
	wordsKey *string
}

func newFlow(doc *render.Document, fonts Fonts) (*flow, error) {
	p := doc.Page
	if !(p.WidthMM > 0 && p.HeightMM > 0) || p.MarginTopMM < 0 || p.MarginBottomMM < 0 || p.MarginLeftMM < 0 || p.MarginRightMM < 0 {
		return nil, fmt.Errorf("layout: bad page setup %+v", p)
	}
	f := &flow{doc: doc, set: setter{fonts: fonts, words: doc.TitleWords}}
	f.res = &Result{WidthPt: p.WidthMM * ptPerMM, HeightPt: p.HeightMM * ptPerMM}
	f.top = p.MarginTopMM * ptPerMM
	f.bot = (p.HeightMM - p.MarginBottomMM) * ptPerMM
	f.left = p.MarginLeftMM * ptPerMM
	f.right = (p.WidthMM - p.MarginRightMM) * ptPerMM
	if f.bot-f.top < 36 || f.right-f.left < 36 {
		return nil, fmt.Errorf("layout: text block %.0f × %.0f mm is too small", (f.right-f.left)/ptPerMM, (f.bot-f.top)/ptPerMM)
	}
	f.pitch = p.LinePitchPt
	if f.pitch <= 0 && p.LinesPerPage > 0 {
		f.pitch = (f.bot - f.top) / float64(p.LinesPerPage)
	}
	if f.pitch <= 0 {
		return nil, errors.New("layout: page has neither LinePitchPt nor LinesPerPage")
	}
	f.newPage()
	return f, nil
}

func (f *flow) newPage() {
	f.res.Pages = append(f.res.Pages, Page{Number: len(f.res.Pages) + 1})
	f.y = f.top
	f.emBottom = f.top
	f.fresh = true
}

func (f *flow) page() *Page { return &f.res.Pages[len(f.res.Pages)-1] }

func (f *flow) style(name string) (render.Style, error) {
	st, ok := f.doc.Styles[name]
	if !ok {
		return st, fmt.Errorf("style %q is not defined", name)
	}
	if !(st.SizePt > 0 && st.SizePt < 200) {
		return st, fmt.Errorf("style %q has size %v pt", name, st.SizePt)
	}
	if st.Role == "" {
		return st, fmt.Errorf("style %q has no font role", name)
	}
	return st, nil
}

// lineHeight is the height one line of st occupies.
func (f *flow) lineHeight(st render.Style) float64 {
	h := st.LineSpacingPt
	if h <= 0 {
		h = 1.2 * st.SizePt
	}
	if st.SnapToGrid {
		h = math.Ceil(h/f.pitch-1e-3) * f.pitch
	}
	return h
}

// tracking is the letter spacing that puts a whole number of characters of
// st on a line: the grid's 28 characters of 三号 in 156 mm need −0.2 pt.
func (f *flow) tracking(st render.Style) float64 {
	if !st.SnapToGrid || f.doc.Page.CharsPerLine <= 0 {
		return 0
	}
	w := f.right - f.left
	n := math.Round(w / st.SizePt)
	if n < 1 {
		return 0
	}
	return w/n - st.SizePt
}

// snap moves the cursor down to the next grid line.
func (f *flow) snap() {
	n := math.Ceil((f.y-f.top)/f.pitch - 1e-3)
	f.y = f.top + n*f.pitch
}

// collectRuns resolves the run styles of p into f.runs.
func (f *flow) collectRuns(p *render.Paragraph, st render.Style) error {
	f.runs = f.runs[:0]
	for _, r := range p.Runs {
		rs := st
		if r.Style != "" && r.Style != p.Style {
			var err error
			if rs, err = f.style(r.Style); err != nil {
				return err
			}
		}
		f.runs = append(f.runs, textRun{text: r.Text, role: rs.Role, size: rs.SizePt, color: rs.Color})
	}
	return nil
}

// firstPieceHeight is how much of the page block b needs at least on the
// page it starts on (for keep-with-next).
func (f *flow) firstPieceHeight(b render.Block) float64 {
	switch b := b.(type) {
	case *render.Paragraph:
		if b == nil {
			return 0
		}
		st, err := f.style(b.Style)
		if err != nil {
			return 0
		}
		return st.SpaceBeforePt + f.lineHeight(st)
	case *render.Table:
		if b == nil {
			return 0
		}
		tl, err := f.measureTable(b)
		if err != nil || len(tl.heights) == 0 {
			return 0
		}
		// The header, the rows that keep with it and those that keep
		// with the next.
		h := 0.0
		n := min(tl.header+minBodyRows, len(tl.heights))
		for n < len(tl.heights) && tl.keep[n-1] {
			n++
		}
		for _, rh := range tl.heights[:n] {
			h += rh
		}
		return h
	}
	return 0
}

func (f *flow) paragraph(p *render.Paragraph, next render.Block) error {
	st, err := f.style(p.Style)
	if err != nil {
		return err
	}
	// Measure what follows a heading before this paragraph's text takes
	// the setter's buffers.
	nextNeed := 0.0
	if st.KeepWithNext {
		nextNeed = f.firstPieceHeight(next)
	}
	centre, centred := 0.0, false
	if st.CenterOnNext {
		if np, ok := next.(*render.Paragraph); ok && np != nil {
			centre, centred = f.firstLineCentre(np)
		}
	}
	if err := f.collectRuns(p, st); err != nil {
		return err
	}
	if err := f.set.shape(f.runs); err != nil {
		return err
	}
	width := f.right - f.left
	em := st.SizePt
	tracking := f.tracking(st)
	charW := em + tracking
	rightIndent := st.RightIndentChars * charW
	firstIndent := st.FirstLineIndentChars * charW
	avail := width - rightIndent
	if avail < em {
		avail = width
		rightIndent = 0
	}
	firstAvail := avail - firstIndent
	if firstAvail < em {
		firstAvail, firstIndent = avail, 0
	}
	hang := st.HangingIndentChars * charW
	if avail-hang < em {
		hang = 0
	}
	if st.Align == render.AlignCenter {
		f.set.balancedLines(avail, tracking)
	} else {
		f.set.breakLines(firstAvail, avail-hang, tracking)
	}
	lh := f.lineHeight(st)

	// Placement.
	if p.TopMM != nil {
		// The em box's top at TopMM: lines centre the em box in their height.
		y := *p.TopMM*ptPerMM - lh/2 + em/2
		if y < f.y-eps && !f.fresh {
			f.newPage()
		}
		f.y = y
	} else {
		if !f.fresh {
			f.y += st.SpaceBeforePt
		}
		if st.SnapToGrid {
			f.snap()
		}
	}
	// A heading keeps its lines and the start of what follows together
	// (unless that is more than a page); any paragraph needs its first line.
	need := lh
	if st.KeepWithNext {
		need = lh*float64(len(f.set.lines)) + st.SpaceAfterPt + nextNeed
		if need > f.bot-f.top {
			need = lh
		}
	}
	if !f.fresh && f.y+need > f.bot+eps {
		f.newPage()
	}
	if p.OutlineLevel > 0 {
		f.res.Outline = append(f.res.Outline, Bookmark{Title: outlineTitle(p), Level: p.OutlineLevel, Page: len(f.res.Pages), Y: f.y})
	}
	firstStart := f.left
	for i, l := range f.set.lines {
		if f.y+lh > f.bot+eps && !f.fresh {
			f.newPage()
		}
		x := f.left
		lineAvail := avail
		if i == 0 && !(st.Align == render.AlignCenter) {
			x += firstIndent
			lineAvail = firstAvail
		} else if i > 0 && st.Align != render.AlignCenter {
			x += hang
			lineAvail = avail - hang
		}
		// Justified lines reach the right edge; any line a hair too long
		// for it (a full last line with the grid's negative tracking) is
		// tightened to fit.
		var sp spacing
		w := l.natural
		if st.Align == render.AlignJustify && !l.final || l.natural > lineAvail {
			sp, w = justify(l, lineAvail, em)
		}
		switch {
		case i == 0 && st.StartAfterPrevious != nil:
			x = min(f.lineStart+*st.StartAfterPrevious*charW, f.right-w)
		case centred:
			x = min(centre-w/2, f.right-w)
		case st.Align == render.AlignCenter:
			x += (lineAvail - w) / 2
		case st.Align == render.AlignRight:
			x += lineAvail - w
		}
		baseline := f.y + lh/2 + (emAscent-emDescent)/2*em
		pg := f.page()
		pg.Texts = f.set.emit(pg.Texts, l, x, baseline, tracking, sp)
		f.emBottom = baseline + emDescent*em
		if i == 0 {
			firstStart = x
		}
		f.y += lh
		f.fresh = false
	}
	if len(f.set.lines) > 0 {
		f.lineStart = firstStart
	}
	if len(p.Right) > 0 && len(f.set.lines) > 0 {
		baseline := f.y - lh + lh/2 + (emAscent-emDescent)/2*em
		if err := f.rightPart(p, st, baseline, rightIndent); err != nil {
			return err
		}
	}
	f.y += st.SpaceAfterPt
	return nil
}

// pageNumbers writes the folio on every page, GB/T 9704 clause 7.5.
func (f *flow) pageNumbers() error {
	pn := f.doc.Page.PageNumber
	if pn.Format == "" {
		return nil
	}
	st, err := f.style(pn.Style)
	if err != nil {
		return err
	}
	below := pn.BelowMM * ptPerMM
	baseline := f.bot + below + emAscent*st.SizePt
	if baseline > f.res.HeightPt {
		baseline = f.res.HeightPt - emDescent*st.SizePt
	}
	inset := pn.InsetChars * st.SizePt
	for i := range f.res.Pages {
		pg := &f.res.Pages[i]
		if f.unnumbered[i] || i == 0 && pn.SkipFirst {
			continue
		}
		text := strings.ReplaceAll(pn.Format, "{n}", strconv.Itoa(pg.Number))
		if err := f.set.shape([]textRun{{text: text, role: st.Role, size: st.SizePt}}); err != nil {
			return err
		}
		f.set.breakLines(math.Inf(1), math.Inf(1), 0)
		l := f.set.lines[0]
		align := pn.OddAlign
		if pg.Number%2 == 0 {
			align = pn.EvenAlign
		}
		var x float64
		switch align {
		case render.AlignRight:
			x = f.right - inset - l.natural
		case render.AlignCenter:
			x = (f.left+f.right)/2 - l.natural/2
		default:
			x = f.left + inset
		}
		pg.Texts = f.set.emit(pg.Texts, l, x, baseline, 0, spacing{})
	}
	return nil
}

// outlineTitle is the run-in heading of a paragraph that starts with one
// (a first run in another style), else the paragraph's text.
func outlineTitle(p *render.Paragraph) string {
	if len(p.Runs) > 1 && p.Runs[0].Style != "" && p.Runs[0].Style != p.Style {
		return p.Runs[0].Text
	}
	return p.Text()
}
