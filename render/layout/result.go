package layout

import "gongwen/render"

// Result is a laid-out document.
type Result struct {
	WidthPt, HeightPt float64
	Pages             []Page
	Outline           []Bookmark
}

// Page is one page of positioned text and rules.
type Page struct {
	Number int // 1-based
	Texts  []Text
	Rules  []Rule
}

// Text is a run of characters of one face and size drawn from a baseline
// origin. CharSpacing is added after every character (the PDF Tc operator):
// the grid's tracking plus the justification stretch of the line.
type Text struct {
	X, Y        float64 // left end of the baseline
	Size        float64
	CharSpacing float64
	Face        Face
	Text        string
	Color       render.Color // zero: black
	// Width is the drawn advance including CharSpacing after every
	// character but the last.
	Width float64
}

// Rule is a straight line (table borders).
type Rule struct {
	X1, Y1, X2, Y2 float64
	Width          float64
	Color          render.Color // zero: black
}

// Bookmark is an outline entry pointing at the top of a paragraph.
type Bookmark struct {
	Title string
	Level int // ≥ 1
	Page  int // 1-based
	Y     float64
}
