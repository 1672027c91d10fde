package cjkpunct

import "testing"

// Every bracket that may not end a line has its closing partner, which
// may not start one, and every mark Normalize writes is covered: the
// tables drifted when the PDF and DOCX backends each kept their own copy.
func TestLineBreakTablesAgree(t *testing.T) {
	pairs := map[rune]rune{
		'（': '）', '《': '》', '「': '」', '『': '』', '“': '”', '‘': '’', '〈': '〉', '【': '】',
		'〔': '〕', '〖': '〗', '｛': '｝', '［': '］', '(': ')', '[': ']', '{': '}',
	}
	for open, closing := range pairs {
		if !NoLineEnd(open) || NoLineStart(open) {
			t.Errorf("%c: want NoLineEnd only", open)
		}
		if !NoLineStart(closing) || NoLineEnd(closing) {
			t.Errorf("%c: want NoLineStart only", closing)
		}
	}
	for from, to := range fullWidth {
		if !NoLineStart(to) && !NoLineEnd(to) {
			t.Errorf("Normalize writes %c for %c, which no line-break rule covers", to, from)
		}
	}
	for _, r := range "，。、；：？！（）《》“”……——𥔲嘉" {
		if !IsWide(r) {
			t.Errorf("%c (U+%04X) is not wide", r, r)
		}
	}
	for _, r := range "a1%/.-( " {
		if IsWide(r) {
			t.Errorf("%q is wide", r)
		}
	}
}
