package docx

import (
	"math"
	"strings"
	"unicode/utf8"

	"gongwen/cjkpunct"
	"gongwen/render"
)

// A word processor breaks a centred title greedily: the example's title came
// out of LibreOffice as "𥔲嘉镇人民政府2024年度政府信息公开工作 / 年度报告".
// GB/T 9704 asks for whole words and symmetric lines (a trapezoid or a
// diamond), which the PDF backend (render/layout/balance.go) chooses by
// measuring glyphs. The DOCX has no fonts, but a title's width hardly
// depends on them: Chinese characters are one em, digits and Latin letters
// about half an em. balancedBreaks makes the same choice as the PDF backend
// on those widths and the title is written with w:br at the chosen points,
// which is also what a clerk does by hand in Word.

// titleChar is one character of a title with its estimated advance in ems.
type titleChar struct {
	r    rune
	off  int // byte offset in the text
	wide bool
}

// balancedBreaks returns the byte offsets in text before which a centred
// paragraph should break, or nil to leave breaking to the word processor:
// when the text fits one line, needs more than three, or already has a
// line break.
func balancedBreaks(text string, words []string, sizePt, widthPt, trackingPt float64) []int {
	if sizePt <= 0 || widthPt <= 0 || strings.ContainsAny(text, "\n\r") {
		return nil
	}
	cs := make([]titleChar, 0, utf8.RuneCountInString(text))
	for off, r := range text {
		cs = append(cs, titleChar{r: r, off: off, wide: cjkpunct.IsWide(r)})
	}
	n := len(cs)
	if n < 2 {
		return nil
	}
	// prefix[i] is the width of cs[:i] in points.
	prefix := make([]float64, n+1)
	for i, c := range cs {
		w := 0.5 * sizePt
		if c.wide {
			w = sizePt
		}
		prefix[i+1] = prefix[i] + w + trackingPt
	}
	width := func(a, b int) float64 { return prefix[b] - prefix[a] }
	var cands []int
	for i := 1; i < n; i++ {
		if canBreakBefore(cs, i) {
			cands = append(cands, i)
		}
	}
	// Greedy line count, as Word would set it.
	lines, start, prevCand := 1, 0, 0
	for _, c := range append(cands, n) {
		if width(start, c) <= widthPt {
			prevCand = c
			continue
		}
		if prevCand <= start {
			return nil // a word longer than the line: leave it to Word
		}
		lines++
		start = prevCand
		if width(start, c) > widthPt {
			return nil
		}
		prevCand = c
	}
	if lines < 2 || lines > 3 {
		return nil
	}
	fits := func(a, b int) (float64, bool) { w := width(a, b); return w / sizePt, w <= widthPt+0.01 }
	best := math.Inf(1)
	var cuts []int
	if lines == 2 {
		for _, c := range cands {
			w1, ok1 := fits(0, c)
			w2, ok2 := fits(c, n)
			if !ok1 || !ok2 {
				continue
			}
			d := w1 - w2
			cost := d*d + 4*titleWordPenalty(words, cs, c)
			if d > 0 { // a shorter upper line: the trapezoid
				cost += 0.5
			}
			if cost < best {
				best, cuts = cost, []int{c}
			}
		}
	} else {
		for x, c1 := range cands {
			w1, ok := fits(0, c1)
			if !ok {
				continue
			}
			for _, c2 := range cands[x+1:] {
				w2, ok2 := fits(c1, c2)
				w3, ok3 := fits(c2, n)
				if !ok2 || !ok3 {
					continue
				}
				mean := (w1 + w2 + w3) / 3
				cost := (w1-mean)*(w1-mean) + (w2-mean)*(w2-mean) + (w3-mean)*(w3-mean) +
					4*(titleWordPenalty(words, cs, c1)+titleWordPenalty(words, cs, c2))
				if cost < best {
					best, cuts = cost, []int{c1, c2}
				}
			}
		}
	}
	offs := make([]int, len(cuts))
	for i, c := range cuts {
		offs[i] = cs[c].off
	}
	return offs
}

func canBreakBefore(cs []titleChar, i int) bool {
	prev, cur := cs[i-1], cs[i]
	if !prev.wide && !cur.wide && prev.r != ' ' {
		return false // inside a number or a Latin word
	}
	return !cjkpunct.NoLineStart(cur.r) && !cjkpunct.NoLineEnd(prev.r)
}

// titleWordPenalty is 0 at a good word boundary before cs[i] (after
// punctuation, at the edge of one of the document's title words), up to 2
// inside a word.
func titleWordPenalty(words []string, cs []titleChar, i int) float64 {
	prev, cur := cs[i-1].r, cs[i].r
	digit := func(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }
	switch {
	case prev == ' ' || prev == '\u3000' || cjkpunct.NoLineStart(prev) || cjkpunct.NoLineEnd(cur):
		return 0
	case digit(prev) && cur == '年':
		return 3
	case digit(prev) != digit(cur) || cs[i-1].wide != cs[i].wide:
		return 0.5
	}
	inside, boundary := render.TitleBreak(words, len(cs), func(k int) rune { return cs[k].r }, i)
	if boundary && !inside {
		return 0
	}
	return 2
}
