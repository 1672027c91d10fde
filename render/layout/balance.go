package layout

import (
	"math"

	"gongwen/render"
)

// balancedLines breaks a centred paragraph (a title) into the fewest lines
// that fit, choosing among the break opportunities the ones that keep words
// whole and the lines of similar length (GB/T 9704: 排列对称，词意完整).
// It falls back to greedy breaking for more than three lines or when the
// paragraph has forced line breaks.
func (s *setter) balancedLines(width, tracking float64) {
	s.breakLines(width, width, tracking)
	k := len(s.lines)
	if k < 2 || k > 3 {
		return
	}
	// A narrow cell may take a third line rather than break inside a word
	// ("社会 / 公益 / 组织", not "社会公 / 益组织").
	extraLine := s.cell && k == 2
	g := s.glyphs
	for i := range g {
		if g[i].flags&newline != 0 {
			return
		}
	}
	em := 0.0
	for i := range s.spans {
		em = math.Max(em, s.spans[i].size)
	}
	if em == 0 {
		return
	}
	// Prefix sums make each candidate line's width O(1).
	pre := make([]float64, len(g)+1)
	for i := range g {
		pre[i+1] = pre[i] + g[i].adv + tracking
	}
	var cands []int
	var penalty []float64
	for i := 1; i < len(g); i++ {
		if g[i].flags&breakBefore != 0 {
			cands = append(cands, i)
			penalty = append(penalty, 4*s.wordPenalty(i))
		}
	}
	fits := func(a, b int) (float64, bool) {
		for b > a && g[b-1].flags&space != 0 {
			b--
		}
		w := pre[b] - pre[a]
		if b > a {
			w -= tracking
		}
		return w, w <= width+eps
	}
	best := math.Inf(1)
	var bestCuts [2]int
	bestK := k
	if k == 2 {
		for x, c := range cands {
			w1, ok1 := fits(0, c)
			w2, ok2 := fits(c, len(g))
			if !ok1 || !ok2 {
				continue
			}
			cost := shapeCost(w1/em, w2/em) + penalty[x]
			if cost < best {
				best, bestCuts[0] = cost, c
			}
		}
	}
	if k == 3 || extraLine {
		lineCost := 0.0
		if k == 2 {
			lineCost = 3 // worth a mid-word break, not a break at a likely word boundary
		}
		for x, c1 := range cands {
			w1, ok := fits(0, c1)
			if !ok {
				break // later first lines are longer still
			}
			for y := x + 1; y < len(cands); y++ {
				c2 := cands[y]
				w2, ok2 := fits(c1, c2)
				if !ok2 {
					break
				}
				w3, ok3 := fits(c2, len(g))
				if !ok3 {
					continue
				}
				mean := (w1 + w2 + w3) / 3 / em
				cost := math.Abs(w1/em-mean) + math.Abs(w2/em-mean) + math.Abs(w3/em-mean) + penalty[x] + penalty[y] + lineCost
				if cost < best {
					best, bestCuts, bestK = cost, [2]int{c1, c2}, 3
				}
			}
		}
	}
	if math.IsInf(best, 1) {
		return
	}
	s.lines = s.lines[:0]
	prev := 0
	for _, c := range bestCuts[:bestK-1] {
		s.lines = append(s.lines, s.measure(prev, c, tracking, false))
		prev = c
	}
	s.lines = append(s.lines, s.measure(prev, len(g), tracking, true))
}

// shapeCost prefers two lines of equal length, then a longer upper line
// ("自然 / 人", not "自 / 然人"). It grows linearly with the difference in
// ems, so a break after punctuation or at a word boundary (4 per penalty
// point) is worth a few ems of imbalance.
func shapeCost(w1, w2 float64) float64 {
	d := w1 - w2
	if d < 0 {
		return -d + 0.5
	}
	return d
}

// wordPenalty is 0 at a good word boundary before glyph i (after
// punctuation, at the edge of one of the document's title words), 3
// between two characters of a word.
func (s *setter) wordPenalty(i int) float64 {
	g := s.glyphs
	prev, cur := g[i-1].r, g[i].r
	switch {
	case s.afterListMarker(i):
		// "3. / 补正后申请内容仍不明确" strands the item number.
		return 5
	case isSpace(prev) || noLineStart(prev) || noLineEnd(cur):
		return 0
	case isDigit(prev) && cur == '年':
		return 3
	case isDigit(prev) != isDigit(cur) || isWide(prev) != isWide(cur):
		return 0.5
	}
	inside, boundary := render.TitleBreak(s.words, len(g), func(k int) rune { return g[k].r }, i)
	if boundary && !inside {
		return 0
	}
	if s.cell {
		// A short column head is mostly words of two characters
		// (社会公益组织, 法律服务机构, 结果维持): an even place in it is
		// likely between words. Longer labels are phrases with words of
		// any length (补正后申请内容仍不明确): no guess there.
		before, after := s.hanAround(i)
		if before%2 == 0 && before+after <= 6 {
			return 1
		}
	}
	return 3
}

// hanAround counts the ideographs before glyph i and from glyph i on in
// its run of ideographs.
func (s *setter) hanAround(i int) (before, after int) {
	for j := i - 1; j >= 0 && isIdeograph(s.glyphs[j].r); j-- {
		before++
	}
	for j := i; j < len(s.glyphs) && isIdeograph(s.glyphs[j].r); j++ {
		after++
	}
	return before, after
}

func isIdeograph(r rune) bool {
	return r >= 0x3400 && r <= 0x4DBF || r >= 0x4E00 && r <= 0x9FFF || r >= 0xF900 && r <= 0xFAFF || r >= 0x20000 && r <= 0x3FFFF
}

// afterListMarker reports whether glyph i follows a leading item number
// such as "3." or "12．".
func (s *setter) afterListMarker(i int) bool {
	g := s.glyphs
	if i < 2 || (g[i-1].r != '.' && g[i-1].r != '．') {
		return false
	}
	for j := 0; j < i-1; j++ {
		if !isDigit(g[j].r) {
			return false
		}
	}
	return true
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }
