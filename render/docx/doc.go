// Package docx renders a render.Document as an editable Word document
// (WordprocessingML, .docx) with the structure GB/T 9704 asks for: named
// paragraph styles carrying the official face names, an A4 page with the
// 22-line grid, tables with real merges, and "— N —" page numbers that
// change sides on odd and even pages.
//
// Layout is left to the word processor: the DOCX describes styles, grid and
// merges; Word or LibreOffice breaks lines and pages. Render is a plain
// function of the document and its options and is deterministic: the same
// input gives the same bytes (fixed archive times, fixed part order, dates
// from Document.Meta only).
//
// # Design note: why the WordprocessingML is written here
//
// The issue named github.com/nguyenthieu95/godocx, which the module proxy
// refuses (403). Its upstream, github.com/gomutex/godocx, is served only as
// a pseudo-version (v0.1.6-0.20250811222946-aefd2d814cd1), and its source
// fails four of the requirements: Cell.RowSpan writes revision markup
// (w:tcPr/w:cellMerge, docx/table.go) instead of w:vMerge, so table B's
// vertical merges would show as tracked changes or not at all; Run.Font sets
// only w:ascii and w:hAnsi, never w:eastAsia, so no official Chinese face
// could be named; Run.Size takes whole points (size*2), so 10.5 pt (五号)
// cannot be expressed; there is no footer or field API, and load→save drops
// exact line spacing and a second footer. It also costs 69–125 ms per small
// document because it parses its bundled styles every time, and its default
// template carries unrelated parts (thumbnail, customXml). Writing the parts
// directly with careful escaping takes about a thousand lines, renders the
// example report in well under the 2 ms budget, and lets every element and
// attribute be chosen for Word and LibreOffice alike (w:firstLine next to
// w:firstLineChars, w:snapToGrid w:val="0" in table paragraphs, explicit
// tracking instead of a character grid LibreOffice misreads). encoding/xml
// is used only by the tests, to read the output back.
package docx
