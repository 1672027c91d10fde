package layout

// Face is one font face as layout needs it: advances in font units.
// *fonts.Face satisfies it.
type Face interface {
	UnitsPerEm() int
	Advance(r rune) int
}

// Span is a piece of text set in one face.
type Span struct {
	Face Face
	Text string
}

// Fonts splits text of a font role into spans of faces that have glyphs for
// it. It returns an error when some character has no face at all; layout
// wraps it with the place in the document.
type Fonts interface {
	Segment(role, text string) ([]Span, error)
}
