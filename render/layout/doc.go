// Package layout turns a render.Document into positioned pages: lines of
// text broken and justified on the GB/T 9704 grid, tables with merged cells
// paginated with repeated header rows, page numbers and an outline.
//
// Layout knows nothing about PDF. It measures text through the small Fonts
// interface (a font book splits text into face spans and reports advances),
// so line breaking and pagination are testable with a fake font; the PDF
// backend (render/pdf) draws the result with fpdf.
//
// Lengths in the result are PDF points, origin at the top-left corner of the
// page, y growing downwards (fpdf's convention with unit "pt").
package layout
