// Package pdf renders a render.Document as a print-ready GB/T 9704 PDF.
//
// The layout is ours (package render/layout): lines are broken by UAX #14
// plus the Chinese punctuation rules, justified on the 28 × 22 grid with the
// PDF character-spacing operator, tables are paginated with repeated header
// rows. This package only draws the laid-out pages with fpdf and embeds, per
// document, small TrueType subsets built by package fonts.
//
// # Why fpdf (design note)
//
// We use codeberg.org/go-pdf/fpdf, the maintained continuation of
// github.com/go-pdf/fpdf (archived in 2025; same API, adds AddOutputIntent),
// as the PDF writer and drawing layer only. It is pure Go, MIT-licensed,
// small, writes compact compressed PDFs with embedded CID TrueType fonts,
// outlines, XMP metadata and fixed dates, so output is byte-for-byte
// reproducible. Its own text layout is not usable for Chinese (MultiCell and
// SplitText drop a character at every automatic break, "J" alignment only
// stretches spaces) and it reads only BMP, plain-TrueType fonts and re-parses
// every font per document; so we lay out ourselves, draw each line with
// Text() and the Tc operator, and hand it per-document subsets in which
// characters outside the BMP (𥔲) are remapped to private-use code points
// and restored for text extraction with /ActualText. The alternatives
// (Typst, LibreOffice, Chromium) are external processes 10–500 times slower
// per document, or lose the font to Type 3 glyphs.
package pdf
