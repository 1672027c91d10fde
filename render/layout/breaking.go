package layout

import (
	"fmt"
	"unicode/utf8"

	"gongwen/cjkpunct"
	"gongwen/render"

	"github.com/go-text/typesetting/segmenter"
)

// glyph is one character of a paragraph being set.
type glyph struct {
	r     rune
	adv   float64 // natural advance in points, without tracking
	span  int32   // index into setter.spans
	off   int32   // byte offset of r in its span's text
	flags uint8
}

const (
	breakBefore  uint8 = 1 << iota // a line may start at this glyph
	clusterStart                   // first rune of a grapheme cluster
	newline                        // a forced line end; not drawn
	space                          // white space: hangs at a line end
	stretchy                       // justification may widen the gap after this glyph
)

// spanRef is text of one face at one size.
type spanRef struct {
	face  Face
	color render.Color
	text  string
	size  float64
	scale float64 // points per font unit
}

// textRun is styled input text: the role picks the fonts, size the scale.
type textRun struct {
	text  string
	role  string
	size  float64
	color render.Color
}

// line is a set line: glyphs [start,end).
type line struct {
	start, end int
	natural    float64 // width without trailing spaces, tracking between glyphs included
	count      int     // drawn glyphs without trailing spaces
	gaps       int     // stretchy gaps between them
	final      bool    // last line of the paragraph or before a forced break: not stretched
}

// setter shapes and breaks paragraphs. It keeps its buffers between
// paragraphs, so one setter per document allocates little.
type setter struct {
	fonts  Fonts
	words  []string // the document's title words (balancedLines)
	glyphs []glyph
	spans  []spanRef
	runes  []rune
	lines  []line
	seg    segmenter.Segmenter
	// cell: the paragraph is a table cell's text, whose lines balance
	// with the cell rules of balancedLines.
	cell bool
}

// shape measures runs into s.glyphs and marks break opportunities.
func (s *setter) shape(runs []textRun) error {
	if err := s.shapeUnbroken(runs); err != nil {
		return err
	}
	s.markBreaks()
	return nil
}

// shapeUnbroken is shape without the line-break analysis (UAX #14 and the
// Chinese rules of markBreaks), for text that breakLines sets at infinite
// width and that no one justifies: such a text breaks only at its forced
// line ends, which shape itself marks, so breakBefore, clusterStart and
// stretchy would go unread. A table's numbers are set so, and they are
// most of its cells.
func (s *setter) shapeUnbroken(runs []textRun) error {
	s.glyphs = s.glyphs[:0]
	s.spans = s.spans[:0]
	for _, run := range runs {
		if !utf8.ValidString(run.text) {
			return fmt.Errorf("text is not valid UTF-8: %q", run.text)
		}
		if r, ok := controlChar(run.text); ok {
			return fmt.Errorf("text contains the control character U+%04X: %q", r, run.text)
		}
		text := run.text
		for len(text) > 0 {
			piece, rest, hasNewline := cutLine(text)
			text = rest
			if piece != "" {
				if err := s.shapePiece(piece, run); err != nil {
					return err
				}
			}
			if hasNewline {
				s.glyphs = append(s.glyphs, glyph{r: '\n', span: -1, flags: newline | space})
			}
		}
	}
	return nil
}

// controlChar finds a control character other than the white space
// layout understands (tab, line breaks): it has no printed form, and a font
// that maps it would draw something arbitrary.
func controlChar(s string) (rune, bool) {
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f':
		case r < 0x20 || r >= 0x7f && r < 0xa0:
			return r, true
		}
	}
	return 0, false
}

// cutLine splits off the text before the first line break (\n, \r\n, \r,
// U+2028, U+2029).
func cutLine(text string) (piece, rest string, found bool) {
	for i, r := range text {
		switch r {
		case '\n', '\u2028', '\u2029':
			return text[:i], text[i+utf8.RuneLen(r):], true
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				return text[:i], text[i+2:], true
			}
			return text[:i], text[i+1:], true
		}
	}
	return text, "", false
}

func (s *setter) shapePiece(piece string, run textRun) error {
	// Tabs and other blank controls are set as spaces: fonts have no glyph
	// for them and a report never means a tab stop.
	for i := 0; i < len(piece); i++ {
		if piece[i] == '\t' || piece[i] == '\v' || piece[i] == '\f' {
			b := []byte(piece)
			for j := range b {
				if b[j] == '\t' || b[j] == '\v' || b[j] == '\f' {
					b[j] = ' '
				}
			}
			piece = string(b)
			break
		}
	}
	spans, err := s.fonts.Segment(run.role, piece)
	if err != nil {
		return err
	}
	for _, sp := range spans {
		upem := sp.Face.UnitsPerEm()
		if upem <= 0 {
			return fmt.Errorf("face for role %q reports %d units per em", run.role, upem)
		}
		scale := run.size / float64(upem)
		idx := int32(len(s.spans))
		s.spans = append(s.spans, spanRef{face: sp.Face, color: run.color, text: sp.Text, size: run.size, scale: scale})
		for off, r := range sp.Text {
			var fl uint8
			if isSpace(r) {
				fl = space
			}
			s.glyphs = append(s.glyphs, glyph{r: r, adv: float64(sp.Face.Advance(r)) * scale, span: idx, off: int32(off), flags: fl})
		}
	}
	return nil
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\u3000'
}

// markBreaks sets breakBefore and clusterStart: UAX #14 opportunities with
// the Chinese rules layered on top.
func (s *setter) markBreaks() {
	g := s.glyphs
	if len(g) == 0 {
		return
	}
	s.runes = s.runes[:0]
	for i := range g {
		s.runes = append(s.runes, g[i].r)
	}
	s.seg.Init(s.runes)
	for it := s.seg.LineIterator(); it.Next(); {
		l := it.Line()
		if end := l.Offset + len(l.Text); end < len(g) {
			g[end].flags |= breakBefore
		}
	}
	for it := s.seg.GraphemeIterator(); it.Next(); {
		gr := it.Grapheme()
		if gr.Offset < len(g) {
			g[gr.Offset].flags |= clusterStart
		}
	}
	for i := 1; i < len(g); i++ {
		prev, cur := g[i-1].r, g[i].r
		switch {
		case g[i-1].flags&newline != 0:
			g[i].flags |= breakBefore
		case noLineStart(cur) || noLineEnd(prev):
			g[i].flags &^= breakBefore
		case g[i].flags&clusterStart != 0 && isWide(prev) && isWide(cur) && !(isDashOrEllipsis(prev) && prev == cur):
			// Chinese text breaks between any two full-width characters,
			// quotes included (UAX #14 keeps ambiguous quotes glued).
			g[i].flags |= breakBefore
		}
	}
	s.markLatinBreaks()
	// Justification widens the gaps next to Chinese characters and spaces,
	// never the gaps inside a Latin word or a number: "w w w . g o v"
	// reads as letter-spaced, a wider gap between two 汉字 does not.
	for i := 0; i+1 < len(g); i++ {
		a, b := &g[i], &g[i+1]
		if isWide(a.r) || isWide(b.r) || a.flags&space != 0 || b.flags&space != 0 {
			a.flags |= stretchy
		}
	}
}

// markLatinBreaks adds the break opportunities UAX #14 lacks inside runs
// of Latin letters and digits, where Chinese typesetting breaks a long
// unit rather than letter-space the line it leaves: inside a URL or an
// e-mail address before any letter or digit (so after "/", ".", "-", never
// between two separators as in "//"), and before an opening bracket that
// follows a word ("COVID-19(2020)").
func (s *setter) markLatinBreaks() {
	g := s.glyphs
	for i := 0; i < len(g); {
		if isWide(g[i].r) || g[i].flags&(space|newline) != 0 {
			i++
			continue
		}
		j := i
		for j < len(g) && !isWide(g[j].r) && g[j].flags&(space|newline) == 0 {
			j++
		}
		if urlLike(g[i:j]) {
			// An address has no words to keep whole: like Word's
			// 允许西文在单词中间换行 in Chinese documents it breaks between
			// any two letters or digits and after a separator, so the line
			// it starts on is filled to the edge, not letter-spaced.
			for k := i + 1; k < j; k++ {
				if isAlnum(g[k].r) && (isAlnum(g[k-1].r) || urlSeparator(g[k-1].r)) && g[k].flags&clusterStart != 0 {
					g[k].flags |= breakBefore
				}
			}
		}
		for k := i + 1; k < j; k++ {
			if noLineEnd(g[k].r) && isAlnum(g[k-1].r) {
				g[k].flags |= breakBefore
			}
		}
		i = j
	}
}

// urlLike reports a run that is a web address or an e-mail address.
func urlLike(g []glyph) bool {
	slashes, dots, at := 0, 0, false
	for i := range g {
		switch g[i].r {
		case '/':
			slashes++
		case '.':
			dots++
		case '@':
			at = true
		}
	}
	return slashes >= 2 || at && dots > 0 || dots >= 2 && len(g) >= 12
}

func urlSeparator(r rune) bool {
	switch r {
	case '/', '.', '-', '_', '?', '&', '=', '#', '@', '~', '+':
		return true
	}
	return false
}

func isAlnum(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

// The punctuation rules and the full-width test are cjkpunct's, shared with
// the DOCX backend.
func noLineStart(r rune) bool { return cjkpunct.NoLineStart(r) }
func noLineEnd(r rune) bool   { return cjkpunct.NoLineEnd(r) }
func isWide(r rune) bool      { return cjkpunct.IsWide(r) }

func isDashOrEllipsis(r rune) bool { return r == '—' || r == '…' || r == '─' }

const eps = 1e-6

// breakLines breaks s.glyphs into s.lines; the first line has firstWidth,
// the others width. tracking is added after each glyph. A unit wider than
// a line is cut at grapheme boundaries: text never runs past the edge
// unless one grapheme alone is wider than the line.
func (s *setter) breakLines(firstWidth, width, tracking float64) {
	s.lines = s.lines[:0]
	g := s.glyphs
	start := 0
	for start < len(g) {
		limit := width
		if len(s.lines) == 0 {
			limit = firstWidth
		}
		end, forced := s.fit(start, limit, tracking)
		s.lines = append(s.lines, s.measure(start, end, tracking, forced || end == len(g)))
		start = end
	}
	if len(g) == 0 {
		s.lines = append(s.lines, line{final: true})
	}
}

// naturalWidth is the width of all of s.glyphs set on one line.
func (s *setter) naturalWidth() float64 {
	w := 0.0
	for i := range s.glyphs {
		w += s.glyphs[i].adv
	}
	return w
}

// fit returns the end of the line starting at start.
func (s *setter) fit(start int, limit, tracking float64) (end int, forced bool) {
	g := s.glyphs
	w := 0.0
	lastBreak := -1
	for i := start; i < len(g); i++ {
		gl := &g[i]
		if i > start && gl.flags&breakBefore != 0 {
			lastBreak = i
		}
		if gl.flags&newline != 0 {
			return i + 1, true
		}
		// Negative tracking (the 28-per-line grid) belongs to the character
		// cell, so the last character of a full line may use it.
		if gl.flags&space == 0 && w+gl.adv+min(tracking, 0) > limit+eps && i > start {
			if lastBreak > start {
				return lastBreak, false
			}
			// A unit wider than the line is cut at a grapheme boundary,
			// where the punctuation rules allow if possible.
			for j := i; j > start; j-- {
				if g[j].flags&clusterStart != 0 && g[j].flags&space == 0 && !noLineStart(g[j].r) && !noLineEnd(g[j-1].r) {
					return j, false
				}
			}
			for j := i; j > start; j-- {
				if g[j].flags&clusterStart != 0 {
					return j, false
				}
			}
			// One grapheme wider than the line: it stands alone.
			for j := start + 1; j < len(g); j++ {
				if g[j].flags&clusterStart != 0 {
					return j, false
				}
			}
			return len(g), false
		}
		w += gl.adv + tracking
	}
	return len(g), false
}

func (s *setter) measure(start, end int, tracking float64, final bool) line {
	l := line{start: start, end: end, final: final}
	last := end
	for last > start && s.glyphs[last-1].flags&space != 0 {
		last--
	}
	for i := start; i < last; i++ {
		l.natural += s.glyphs[i].adv + tracking
		l.count++
		if i+1 < last && s.glyphs[i].flags&stretchy != 0 {
			l.gaps++
		}
	}
	if l.count > 0 {
		l.natural -= tracking
	}
	return l
}

// maxStretch caps the space justification adds to a gap next to a
// Chinese character, in ems: a line that would need more (an unbreakable
// unit moved to the next line left it short) stays short of the right
// edge, as a typesetter sets it, rather than letter-spaced. What the
// Chinese gaps cannot take is spread over every gap up to maxLatinStretch,
// which inside a Latin word or a number is not seen as spacing.
const (
	maxStretch      = 0.15
	maxLatinStretch = 0.05
)

// spacing is how a line is justified: the stretchy gaps (next to Chinese
// characters and spaces) get extra, the others base.
type spacing struct{ base, extra float64 }

// justify returns the spacing that brings l to avail, within the caps,
// and the line's resulting width.
func justify(l line, avail, em float64) (spacing, float64) {
	if l.count < 2 {
		return spacing{}, l.natural
	}
	need := avail - l.natural
	if need < 0 {
		// A hair too long (the grid's last character): tighten evenly.
		d := need / float64(l.count-1)
		return spacing{base: d, extra: d}, avail
	}
	var sp spacing
	if l.gaps > 0 {
		sp.extra = min(need/float64(l.gaps), maxStretch*em)
		need -= sp.extra * float64(l.gaps)
	}
	if others := l.count - 1 - l.gaps; others > 0 {
		sp.base = min(need/float64(others), maxLatinStretch*em)
	}
	return sp, l.natural + sp.extra*float64(l.gaps) + sp.base*float64(l.count-1-l.gaps)
}

// emit appends the Texts of line l, its left end at x and baseline y.
// tracking and sp.base follow every glyph, sp.extra the glyphs whose gap
// is stretchy. A Text holds glyphs of one span with the same spacing
// after them.
func (s *setter) emit(dst []Text, l line, x, y, tracking float64, sp spacing) []Text {
	g := s.glyphs
	i := l.start
	end := l.end
	// White space at the end of a line is not drawn: it would hang past the
	// right edge.
	for end > i && g[end-1].flags&space != 0 {
		end--
	}
	gapOf := func(k int) float64 {
		if g[k].flags&stretchy != 0 && k+1 < end {
			return tracking + sp.extra
		}
		return tracking + sp.base
	}
	for i < end {
		if g[i].flags&newline != 0 {
			i++
			continue
		}
		sp := g[i].span
		cs := gapOf(i)
		j := i
		w := 0.0
		for j < end && g[j].span == sp && g[j].flags&newline == 0 {
			// The last glyph of the line has no gap after it: it joins
			// whatever Text comes before it.
			if j > i && gapOf(j) != cs && j+1 < end {
				break
			}
			w += g[j].adv + cs
			j++
		}
		ref := &s.spans[sp]
		endOff := int(g[j-1].off) + utf8.RuneLen(g[j-1].r)
		dst = append(dst, Text{
			X: x, Y: y, Size: ref.size, CharSpacing: cs, Face: ref.face, Color: ref.color,
			Text: ref.text[g[i].off:endOff], Width: w - cs,
		})
		x += w
		i = j
	}
	return dst
}
