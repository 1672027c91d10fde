package layout

import (
	"strings"
	"sync"
	"sync/atomic"

	"gongwen/render"
)

// StableFonts is a Fonts that answers Segment the same for the same role
// and text for as long as it lives and is comparable (a loaded font book:
// the PDF and OFD renderers' fonts). Layout remembers the setting of a
// table's text cells set with one between documents, since most of them
// are the template's row and column labels, the same in every report:
// shaping, line-break analysis and line balancing were half of measuring
// a report's tables.
type StableFonts interface {
	Fonts
	SegmentsStable()
}

// cellKey is everything the setting of a text cell depends on: the font
// book, the document's title words (balancedLines), the text, its role
// and size, the line spacing, alignment and the width it is set in.
type cellKey struct {
	fonts       StableFonts
	words       string
	text, role  string
	size        float64
	lineSpacing float64
	align       render.Align
	width       float64
}

// cellSetting is a text cell as set: Texts relative to its content box
// and the height of its lines.
type cellSetting struct {
	texts    []Text
	contentH float64
}

// maxSettledCells bounds the cache: a template's labels are a few hundred;
// text reports write into their tables (rare) fills it this far, and then
// it starts again (as the PDF writer's font objects do), so the labels of
// a template first used late are still remembered, and a font book
// dropped by its user is not kept for good.
const maxSettledCells = 4096

var settledCells struct {
	m sync.Map // cellKey → *cellSetting; values are never modified
	n atomic.Int64
}

func lookupCell(k cellKey) (*cellSetting, bool) {
	v, ok := settledCells.m.Load(k)
	if !ok {
		return nil, false
	}
	return v.(*cellSetting), true
}

func rememberCell(k cellKey, texts []Text, contentH float64) {
	if settledCells.n.Load() >= maxSettledCells {
		settledCells.m.Clear()
		settledCells.n.Store(0)
	}
	if _, loaded := settledCells.m.LoadOrStore(k, &cellSetting{texts: append([]Text(nil), texts...), contentH: contentH}); !loaded {
		settledCells.n.Add(1)
	}
}

// wordsKey is the title words as one comparable string.
func wordsKey(words []string) string { return strings.Join(words, "\x00") }
