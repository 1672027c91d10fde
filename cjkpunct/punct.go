// Package cjkpunct sets ASCII punctuation typed in Chinese text in its
// full-width form (GB/T 15834), leaving Latin text, numbers and times alone.
//
// Clerks often type "(一)主动公开情况。" or "渠道,加大" with a Western input
// method; printed, the half-width marks look wrong in an official document.
// A mark is replaced only when it stands next to Chinese text, so "10:30",
// "COVID-19 (2020)" and "3.5" are kept.
package cjkpunct

import (
	"strings"
	"unicode"
)

// Change records one replacement.
type Change struct {
	Index int // rune index in the original text
	From  rune
	To    rune
}

var fullWidth = map[rune]rune{
	',': '，', ':': '：', ';': '；', '?': '？', '!': '！', '(': '（', ')': '）',
}

// isChinese reports whether r is a Han character or full-width CJK
// punctuation, i.e. text whose neighbours should be full-width.
func isChinese(r rune) bool {
	return unicode.Is(unicode.Han, r) ||
		(r >= 0x3000 && r <= 0x303f) || // CJK symbols and punctuation: 、。「」
		(r >= 0xff00 && r <= 0xffef) || // full-width forms: ，（）：
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—'
}

// Normalize returns s with ASCII punctuation next to Chinese text replaced
// by its full-width form, and the list of changes.
func Normalize(s string) (string, []Change) {
	if !strings.ContainsAny(s, ",:;?!()") {
		return s, nil
	}
	rs := []rune(s)
	var changes []Change
	prevSig := func(i int) rune { // nearest non-space rune before i
		for j := i - 1; j >= 0; j-- {
			if rs[j] != ' ' {
				return rs[j]
			}
		}
		return 0
	}
	nextSig := func(i int) rune {
		for j := i + 1; j < len(rs); j++ {
			if rs[j] != ' ' {
				return rs[j]
			}
		}
		return 0
	}
	replace := func(i int) {
		to := fullWidth[rs[i]]
		changes = append(changes, Change{Index: i, From: rs[i], To: to})
		rs[i] = to
	}
	decided := map[int]bool{} // closing brackets settled together with their '('
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch r {
		case '(':
			j := matching(rs, i)
			if j < 0 {
				if isChinese(nextSig(i)) || isChinese(prevSig(i)) {
					replace(i)
				}
				continue
			}
			decided[j] = true
			// A bracket pair is Chinese when its content or what it follows is.
			if containsChinese(rs[i+1:j]) || isChinese(prevSig(i)) {
				replace(i)
				replace(j)
			}
		case ')':
			// Unmatched closing bracket (matched ones were handled with their '(').
			if !decided[i] && (isChinese(prevSig(i)) || isChinese(nextSig(i))) {
				replace(i)
			}
		case ',', ';', '?', '!':
			// "共100条,办结率" is Chinese text too: a Chinese neighbour on either side decides.
			if isChinese(prevSig(i)) || isChinese(nextSig(i)) {
				replace(i)
			}
		case ':':
			// "10:30" has no Chinese neighbour and stays.
			if isChinese(prevSig(i)) || isChinese(nextSig(i)) {
				replace(i)
			}
		}
	}
	if len(changes) == 0 {
		return s, nil
	}
	// Index order: pairs were recorded open-then-close, out of order.
	sortChanges(changes)
	return string(rs), changes
}

// matching returns the index of the ')' closing the '(' at i, or -1.
func matching(rs []rune, i int) int {
	depth := 0
	for j := i; j < len(rs); j++ {
		switch rs[j] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

func containsChinese(rs []rune) bool {
	for _, r := range rs {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func sortChanges(c []Change) {
	for i := 1; i < len(c); i++ {
		for j := i; j > 0 && c[j].Index < c[j-1].Index; j-- {
			c[j], c[j-1] = c[j-1], c[j]
		}
	}
}
