// Package ofd renders a render.Document as OFD (GB/T 33190-2016, 电子文件存储与
// 交换格式 版式文档), the Chinese national fixed-layout format, optionally in the
// OFD-A archival profile (GB/T 42133-2022).
//
// It draws the same laid-out pages as the PDF exporter (package
// render/layout) with the same per-document font subsets (package fonts):
// every character sits where it sits in the PDF, because its position comes
// from the same advances and character spacing, written as TextCode X/Y and
// DeltaX in millimetres (origin top-left, y down, as OFD measures).
// Consecutive runs in one face, size and colour share a TextObject, a
// TextCode per run; consecutive rules of one width and colour (a table's
// borders) share a PathObject. Colours are FillColor/StrokeColor in an RGB
// colour space declared in PublicRes.
//
// The package is a ZIP: OFD.xml → Doc_0/Document.xml (CommonData, Pages,
// Outlines, Attachments), Doc_0/PublicRes.xml (colour space
// and fonts, each font a TrueType subset under Doc_0/Res), one
// Doc_0/Pages/Page_N/Content.xml per page and, under OFD-A, the report JSON
// as an attachment (Doc_0/Attachs). Files are written in a fixed order with
// fixed timestamps, so the same document and options give the same bytes.
//
// Characters outside the BMP (𥔲) are mapped by the subset's format 12
// cmap, and their TextCode also carries a CGTransform naming the glyph, for
// readers that only read format 4. Each such character gets a TextCode of
// its own: readers disagree on whether DeltaX counts UTF-16 units or
// characters (ofd.js counts units), and a lone character needs no DeltaX.
//
// Font programs are stored as the font book compressed them, once per
// subset and shared with the PDF and DOCX writers (fonts.Subset.RawDeflate),
// so a render costs what the PDF's does (BenchmarkRender) and the example's
// package is smaller than its PDF.
//
// Entry points: Render(doc, opts) with the process-wide font book,
// New(book).Render(doc, opts), or Write(doc, res, subsets, opts) for a
// caller that already laid the document out. Package ofdcheck reads a
// package back and checks the structure rules archival readers enforce.
package ofd
