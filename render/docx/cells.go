package docx

import (
	"math"
	"strings"

	"gongwen/render"
)

// The PDF layout measures a cell's text with the fonts; the DOCX names
// faces it cannot measure, so these rules estimate widths the way title.go
// does: a Chinese character is one em, and the digits of Times New Roman
// (the Latin face numbers are set in) exactly half an em.

// numberFloorPt is the smallest size a number is shrunk to while that fits
// its column, as in the PDF layout.
const numberFloorPt = 8.0

// fitCell returns the text to write for cell c of style st in a column
// widthTwips wide, and its own size in half-points (0: the style's). A
// number too wide for its column is set smaller rather than wrapped (Word
// and LibreOffice would break 12345 in a 9.75 mm column); a short column
// head of two-character words too long for one line is broken between
// them (社会 / 公益 / 组织, where a word processor breaks 社会公 / 益组织).
func (w *writer) fitCell(c *render.Cell, st *styleInfo, widthTwips int) (string, int) {
	avail := float64(widthTwips-2*w.cellPadding) / 20
	size := st.SizePt
	if avail <= 0 || size <= 0 {
		return c.Text, 0
	}
	if em, ok := numberEms(c.Text); ok {
		// A point to spare: a number exactly as wide as the cell wraps in
		// LibreOffice (measured: 123456 at 8.5 pt in 10.4 mm).
		avail--
		if em*size <= avail {
			return c.Text, 0
		}
		fit := max(numberFloorPt, avail/em)
		if em*fit > avail {
			fit = avail / em // smaller than the floor rather than broken
		}
		return c.Text, max(1, int(math.Floor(fit*2)))
	}
	if c.Header {
		return breakHead(c.Text, size, avail), 0
	}
	return c.Text, 0
}

// numberEms is the width of a number in ems of Times New Roman, and
// whether s is one (digits with . , % - + /).
func numberEms(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	em := 0.0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			em += 0.5
		case r == '.' || r == ',':
			em += 0.25
		case r == '%':
			em += 0.833
		case r == '-':
			em += 0.333
		case r == '+':
			em += 0.564
		case r == '/':
			em += 0.278
		default:
			return 0, false
		}
	}
	return em, true
}

// breakHead breaks a column head of at most six ideographs that does not
// fit on one line into lines of an even number of characters, the most
// that fit: like the PDF layout, it takes two-character words (社会公益组织,
// 法律服务机构, 结果维持) as the likely words of a short head.
func breakHead(text string, size, avail float64) string {
	rs := []rune(text)
	perLine := int(avail/size + 1e-9)
	if len(rs) > 6 || len(rs) <= perLine || perLine < 2 {
		return text
	}
	for _, r := range rs {
		if !isIdeograph(r) {
			return text
		}
	}
	n := perLine - perLine%2
	var b strings.Builder
	for i, r := range rs {
		if i > 0 && i%n == 0 {
			b.WriteByte('\n')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isIdeograph(r rune) bool {
	return r >= 0x3400 && r <= 0x4DBF || r >= 0x4E00 && r <= 0x9FFF || r >= 0xF900 && r <= 0xFAFF || r >= 0x20000 && r <= 0x3FFFF
}
