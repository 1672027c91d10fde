// Package cjkpunct sets ASCII punctuation typed in Chinese text in its
// full-width form (GB/T 15834), leaving Latin text, numbers and times alone.
//
// Clerks often type "(一)主动公开情况。" or "渠道,加大" with a Western input
// method; printed, the half-width marks look wrong in an official document.
// A mark is replaced only when it stands next to Chinese text, so "10:30",
// "COVID-19 (2020)" and "3.5" are kept.
//
// It also holds the one copy of the line-breaking tables of Chinese text
// (NoLineStart, NoLineEnd, IsWide) that the PDF layout and the DOCX writer
// both break lines with.
package cjkpunct

import (
	"slices"
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
// by its full-width form, and the list of changes. It is linear in the
// length of s, whatever the text: report text is untrusted input.
func Normalize(s string) (string, []Change) {
	if !strings.ContainsAny(s, ",:;?!()") {
		return s, nil
	}
	rs := []rune(s)
	n := len(rs)
	// Neighbours skipping spaces, bracket pairs and Han counts, each in one
	// pass, so no character is scanned more than a constant number of times.
	prev := make([]rune, n) // nearest non-space rune before i (0 if none)
	var last rune
	for i, r := range rs {
		prev[i] = last
		if r != ' ' {
			last = r
		}
	}
	next := make([]rune, n)
	last = 0
	for i := n - 1; i >= 0; i-- {
		next[i] = last
		if rs[i] != ' ' {
			last = rs[i]
		}
	}
	match := make([]int, n)
	var open []int
	for i, r := range rs {
		match[i] = -1
		switch r {
		case '(':
			open = append(open, i)
		case ')':
			if k := len(open); k > 0 {
				match[open[k-1]], match[i] = i, open[k-1]
				open = open[:k-1]
			}
		}
	}
	han := make([]int, n+1) // han[k]: Han characters in rs[:k]
	for i, r := range rs {
		han[i+1] = han[i]
		if unicode.Is(unicode.Han, r) {
			han[i+1]++
		}
	}
	orig := slices.Clone(rs)
	var changes []Change
	replace := func(i int) {
		to := fullWidth[orig[i]]
		changes = append(changes, Change{Index: i, From: orig[i], To: to})
		rs[i] = to
	}
	for i, r := range orig {
		switch r {
		case '(':
			j := match[i]
			if j < 0 {
				if isChinese(next[i]) || isChinese(prev[i]) {
					replace(i)
				}
				continue
			}
			// A bracket pair is Chinese when its content or what it follows is.
			if han[j]-han[i+1] > 0 || isChinese(prev[i]) {
				replace(i)
				replace(j)
			}
		case ')':
			// Unmatched closing bracket (matched ones were settled with their '(').
			if match[i] < 0 && (isChinese(prev[i]) || isChinese(next[i])) {
				replace(i)
			}
		case ',', ';', '?', '!', ':':
			// "共100条,办结率" is Chinese text too: a Chinese neighbour on either
			// side decides; "10:30" has none and stays.
			if isChinese(prev[i]) || isChinese(next[i]) {
				replace(i)
			}
		}
	}
	if len(changes) == 0 {
		return s, nil
	}
	// Index order: pairs were recorded open-then-close, out of order.
	slices.SortFunc(changes, func(a, b Change) int { return a.Index - b.Index })
	return string(rs), changes
}
