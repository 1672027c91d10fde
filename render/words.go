package render

// TitleBreak judges a line break before character i of a centred title
// against the template's title words (Document.TitleWords, GB/T 9704
// 7.3.1: 词意完整): inside a listed word is bad, at the start or end of one
// is good. n is the number of characters and at(k) the k-th. known is
// false when no listed word starts, ends or spans i: the backend then
// falls back on its own rules (punctuation, script changes). Both the PDF
// and the DOCX backend judge by this one list, so they cannot drift apart.
func TitleBreak(words []string, n int, at func(int) rune, i int) (inside, boundary bool) {
	for _, w := range words {
		rs := []rune(w)
		// every occurrence of w that covers or touches position i
		for start := max(0, i-len(rs)); start <= i && start+len(rs) <= n; start++ {
			if !matchAt(rs, at, start) {
				continue
			}
			switch end := start + len(rs); {
			case start < i && i < end:
				return true, false
			case start == i || end == i:
				boundary = true
			}
		}
	}
	return false, boundary
}

func matchAt(rs []rune, at func(int) rune, start int) bool {
	for k, r := range rs {
		if at(start+k) != r {
			return false
		}
	}
	return true
}
