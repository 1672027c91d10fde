package render

import "unicode/utf8"

// TitleBreak judges a line break before character i of a centred title
// against the template's title words (Document.TitleWords, GB/T 9704
// 7.3.1: 词意完整): inside a listed word is bad, at the start or end of one
// is good. n is the number of characters and at(k) the k-th. known is
// false when no listed word starts, ends or spans i: the backend then
// falls back on its own rules (punctuation, script changes). Both the PDF
// and the DOCX backend judge by this one list, so they cannot drift apart.
func TitleBreak(words []string, n int, at func(int) rune, i int) (inside, boundary bool) {
	for _, w := range words {
		size := utf8.RuneCountInString(w) // not []rune(w): this runs per break candidate
		// every occurrence of w that covers or touches position i
		for start := max(0, i-size); start <= i && start+size <= n; start++ {
			if !matchAt(w, at, start) {
				continue
			}
			switch end := start + size; {
			case start < i && i < end:
				return true, false
			case start == i || end == i:
				boundary = true
			}
		}
	}
	return false, boundary
}

func matchAt(w string, at func(int) rune, start int) bool {
	k := start
	for _, r := range w {
		if at(k) != r {
			return false
		}
		k++
	}
	return true
}
