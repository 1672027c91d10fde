package cjkpunct

// The line-breaking rules of Chinese text (GB/T 15834 and the 禁则 of
// Chinese typesetting, W3C clreq §3.1.7) shared by every backend: the PDF
// layout breaks lines with them and the DOCX writer breaks titles with
// them, so the two never disagree about where a line may end.

// NoLineStart reports closing punctuation that never starts a line: it
// stays at the end of the line before.
func NoLineStart(r rune) bool {
	switch r {
	case '，', '。', '、', '；', '：', '？', '！', '）', '》', '」', '』', '”', '’', '％', '〉', '】', '〕', '〗', '｝', '］',
		'．', '…', '‰', '℃', '·', '・', '～', '｡', '､',
		',', '.', ';', ':', '?', '!', ')', ']', '}', '%':
		return true
	}
	return false
}

// NoLineEnd reports opening punctuation that never ends a line: it moves
// to the start of the next.
func NoLineEnd(r rune) bool {
	switch r {
	case '（', '《', '「', '『', '“', '‘', '〈', '【', '〔', '〖', '｛', '［', '(', '[', '{':
		return true
	}
	return false
}

// IsWide reports characters set on the full-width grid of Chinese text,
// one em wide: ideographs, CJK and full-width punctuation, and the quotes,
// dash and ellipsis that Chinese fonts draw full width.
func IsWide(r rune) bool {
	switch {
	case r >= 0x2E80 && r <= 0x2FDF, // radicals
		r >= 0x3000 && r <= 0x303F,   // CJK symbols and punctuation
		r >= 0x3040 && r <= 0x31FF,   // kana, bopomofo, strokes
		r >= 0x3400 && r <= 0x4DBF,   // extension A
		r >= 0x4E00 && r <= 0x9FFF,   // unified ideographs
		r >= 0xF900 && r <= 0xFAFF,   // compatibility ideographs
		r >= 0xFE30 && r <= 0xFE4F,   // compatibility forms
		r >= 0xFF01 && r <= 0xFF60,   // full-width forms
		r >= 0x20000 && r <= 0x3FFFF: // extensions B and later
		return true
	}
	switch r {
	case '“', '”', '‘', '’', '—', '…':
		return true
	}
	return false
}
