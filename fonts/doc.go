// Package fonts finds the fonts of a machine, maps the document's font roles
// to chains of faces, splits text into runs by glyph coverage, and builds the
// small per-document TrueType fonts the PDF backend embeds.
//
// # Font book
//
// A Book indexes the fonts of the configured directories and the standard
// Debian locations (SystemDirs): plain TrueType, CFF OpenType and every face
// of a collection (.ttc/.otc). Opening a book reads only table directories,
// name tables (every language, so "仿宋_GB2312" and "FangSong_GB2312" both
// find the same face) and the OS/2 weight; a face's cmap and metrics are
// read on its first use and its outlines when a subset needs them. Each file
// is read once per process.
//
// # Roles
//
// The configuration (config.json, embedded; overridden by GONGWEN_FONT_CONFIG
// and GONGWEN_FONT_DIRS) lists, for each role (title, body, heading1,
// heading2, table, tableHeader, pageNumber), family names in order of
// preference: the official face first, then free substitutes, then
// wide-coverage fallbacks. Chain returns the faces found; OfficialName the
// face a DOCX file should name.
//
// # Never lose a character
//
// Segment sets each character in the first face of the role's chain that
// has it. A character no face has is an error (*MissingGlyphError) naming it
// and its code point — never a blank, never a tofu box. Validation calls
// Missing before rendering starts.
//
// # Subset fonts
//
// fpdf embeds only plain TrueType with BMP characters and re-parses each font
// it is given. A SubsetBuilder collects the text a document sets in each
// face and Build makes, per face, a TrueType font of just those glyphs: CFF
// outlines are converted to quadratic curves (within a quarter of a font unit
// before rounding, under one unit after), TrueType glyphs are copied without
// hinting, and advances are copied exactly. Converted glyphs are cached in the
// face, so later documents only assemble tables. Characters outside the BMP
// (𥔲 U+25532) are given private-use code points inside the subset; Subset.Encode
// returns the text fpdf must draw, and the PDF backend wraps such runs in
// /ActualText marked content (ActualText helps) so extraction still yields
// the real characters.
package fonts
