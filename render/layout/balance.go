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
	} else {
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
				cost := math.Abs(w1/em-mean) + math.Abs(w2/em-mean) + math.Abs(w3/em-mean) + penalty[x] + penalty[y]
				if cost < best {
					best, bestCuts = cost, [2]int{c1, c2}
				}
			}
		}
	}
	if math.IsInf(best, 1) {
		return
	}
	s.lines = s.lines[:0]
	prev := 0
	for _, c := range bestCuts[:k-1] {
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
	return 3
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
