// Package layout turns a render.Document into positioned pages: lines of
// text broken and justified on the GB/T 9704 grid, tables with merged cells
// paginated with repeated header rows, page numbers and an outline.
//
// Layout knows nothing about PDF. It measures text through the small Fonts
// interface (a font book splits text into face spans and reports advances),
// so line breaking and pagination are testable with a fake font. The PDF
// (render/pdf) and OFD (render/ofd) exporters both draw the one Result, so
// every character sits at the same place in both.
//
// Lines break at UAX #14 opportunities with the Chinese rules on top (the
// punctuation tables are cjkpunct's, shared with the DOCX backend), and
// also inside URLs and e-mail addresses and before a bracket after a word,
// so a long unit does not leave a short line behind. Justification widens
// the gaps next to Chinese characters by at most 0.15 em and those inside
// Latin words and numbers by at most 0.05 em; a line that needs more stays
// short of the edge rather than letter-spaced.
//
// Tables break between rows. A row of headings only (render.Row's
// KeepWithNext) stays with the next, a table's first page holds its header
// and two body rows, and a break leaves each merged label it cuts room for
// its text on both pages without stretching a row. A number never wraps in
// its cell: it shrinks to 8 pt, then takes the padding, then shrinks
// further. A short column head breaks between two-character words,
// taking a third line if need be (社会 / 公益 / 组织).
//
// Measuring tables is most of a report's layout, so two shortcuts keep the
// result the same and the work small: a number is shaped without the
// line-break analysis it never uses (it is set on one line), and with a
// StableFonts (a loaded font book) the setting of a text cell is
// remembered between documents, keyed by everything it depends on — a
// template's row and column labels are set once per process.
//
// Lengths in the result are PDF points, origin at the top-left corner of the
// page, y growing downwards; each exporter converts to its own space (PDF
// from the bottom-left, OFD in millimetres).
package layout
