// Package docx renders a render.Document as an editable Word document
// (WordprocessingML, .docx) with the structure GB/T 9704 asks for: named
// paragraph styles carrying the official face names, an A4 page with the
// 22-line grid, tables with real merges, and "— N —" page numbers that
// change sides on odd and even pages.
//
// Layout is left to the word processor: the DOCX describes styles, grid and
// merges; Word or LibreOffice breaks lines and pages. Where a word
// processor would break the PDF layout's rules, the DOCX says so: rows of
// headings and a table's header with its first body row keep with the next
// (w:keepNext on their paragraphs, which Word and LibreOffice honour), a
// number too wide for its column gets a smaller size instead of wrapping,
// a short column head is broken between its two-character words with w:br
// (cells.go), a centred title at its balanced points (title.go). The font
// table gives every official face its alternates, and Options.EmbedFonts
// embeds subsets of substitutes that LibreOffice uses where it lacks the
// faces (embed.go). Render is a plain
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
// directly with careful escaping takes some 1,700 lines with comments,
// renders the example report in well under the 2 ms budget, and lets every
// element and attribute be chosen for Word and LibreOffice alike
// (w:firstLine next to w:firstLineChars, w:snapToGrid w:val="0" in table
// paragraphs, explicit tracking instead of a character grid LibreOffice
// misreads). encoding/xml
// is used only by the tests, to read the output back. Measured here: the
// example report renders in about 0.8 ms (median, 2-core machine) to a
// 13 KB file; python-docx reads back every paragraph, cell and merge, and
// LibreOffice 7.4 converts it to a five-page PDF holding all of its text.
//
// # What LibreOffice does differently
//
// The file is written for Word (and WPS, which follows Word). LibreOffice
// 7.4, used by the tests, differs where its DOCX import does: it reads
// w:overflowPunct inverted and always hangs closing punctuation into the
// margin (Word keeps it inside, as the PDF does); it ignores
// w:autoSpaceDE/DN=0 and adds a quarter-em between Chinese and digits, so
// its lines break earlier than Word's; with w:docGrid w:type="linesAndChars"
// and the usual w:charSpace="-849" it spreads body text to about 22
// characters per line, which is why the 28-character pitch is written as
// −0.3 pt tracking on a "lines" grid; and it does not repeat a vertically
// merged label (三、本年度办理结果) on the page a table continues on. In an
// exact-height line it sets the glyphs lower than the PDF's em box centred
// in the line, the more so the smaller the size (measured with the test
// fonts, 28.95 pt lines: 22 pt about 0.1 mm, 16 pt 0.4–0.5 mm, 14 pt
// 1.19 mm, which a baseline at 4/5 of the line's height gives exactly); the
// DOCX does not compensate: Word's placement (it has a compatibility
// option "Don't center exact line height lines") is not measured here, and
// a shift tuned to LibreOffice's substitute fonts could move Word's lines.
//
// A block anchored at the foot of the last page (the GB/T 9704 版记) is
// written as one-paragraph frames at page positions, its rules as
// paragraph borders (LibreOffice 7.4 places such frames as Word does; it
// ignores a floating table's position and misplaces a frame of several
// paragraphs). The frames stay on the page where the text ends: moving
// them to a new even page, and leaving that page without a number, is
// decided by the PDF layout only. In LibreOffice 7.4 (measured: the edge
// example's attachment runs one page longer there) text that reaches them
// pushes them to the next page, even or odd, which keeps its number.
package docx
