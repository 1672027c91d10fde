// Package fonts finds the fonts of a machine, maps the document's font roles
// to chains of faces, splits text into runs by glyph coverage, and builds the
// small per-document TrueType fonts the PDF backend embeds.
//
// # Font book
//
// A Book indexes the fonts of the configured directories and the standard
// Debian locations (SystemDirs): plain TrueType, CFF OpenType and every face
// of a collection (.ttc/.otc). Opening a book reads only table directories,
// name tables (every language, so "仿宋_GB2312" and "FangSong_GB2312" find
// the same face) and the OS/2 weight: about 20 ms for the ~100 faces of a
// Debian server. A face's cmap and metrics are read on its first use (Warm
// reads them all), its outlines when a subset first needs them; CFF tables
// are mapped from the file, not copied. Each file is read once per process.
// Default is the process-wide book; a Book is safe for concurrent use.
//
// # Roles
//
// The configuration (config.json, embedded; overridden by the file named in
// GONGWEN_FONT_CONFIG and the directories in GONGWEN_FONT_DIRS) lists, for
// each role (title, body, heading1, heading2, table, tableHeader,
// pageNumber), family names in order of preference: the official face first,
// then free substitutes, then wide-coverage fallbacks. Chain returns the
// installed faces; OfficialName the face a DOCX file should name. Faces whose
// licence bits forbid embedding are left out of chains. A command-line flag
// naming a configuration file is served by LoadConfig, Open and SetDefault
// before the first Default. Report and WriteReport describe the result for
// `gongwen fonts`; CheckText, JSONText and WriteCheck serve
// `gongwen fonts check FILE.json`.
//
// # Never lose a character
//
// Segment sets each character in the first face of the role's chain that
// has it. A character no face has is an error (*MissingGlyphError) naming it
// and its code point — never a blank, never a tofu box. Validation calls
// Missing (or CheckText) before rendering starts. Control characters are
// never covered (some fonts map them to empty glyphs), nor are private-use
// characters unless Config.AllowPrivateUse says the deployment's fonts
// define them.
//
// # Subset fonts
//
// A SubsetBuilder collects the text a document sets in each face; Build
// makes, per face, a TrueType font of just those glyphs. CFF outlines are
// converted to quadratic curves, TrueType glyphs are copied without
// hinting, and advances are copied exactly. Converted glyphs are cached in
// the face, so later documents only assemble tables (about 0.5 ms for the
// example report's seven fonts), and, with UseGlyphCache, on disk between
// processes (one file per CFF face, see diskcache.go), so a one-shot
// command does not convert them again. Packed compresses a subset's
// program once, for the PDF, DOCX and OFD writers alike (see packed.go for
// the level and why TrueType rather than CFF).
//
// # How exact converted outlines are
//
// Every original cubic lies within 2 font units of its final, rounded
// quadratic form, measured both ways as the largest distance from a point
// of either curve to the other. At 1000 units per em, 2 units are 0.002 em:
// 0.011 mm at 16 pt (三号, the body size), under a quarter of one dot of a
// 600-dpi printer (0.042 mm) and an eighth of a pixel at 300 dpi; the
// example's pages rendered at 300 dpi before and after the bound went from
// one unit to two differ only in the grey of edge pixels. The loosened
// bound is what lets the traced, curve-heavy Fandol outlines shrink: most
// joins between consecutive converted cubics are left implied (TrueType
// puts an omitted on-curve point halfway between its off-curve
// neighbours), their neighbours re-placed where needed, neighbouring
// pieces are merged into one quadratic where one follows them all, and
// each cubic needs fewer quadratic pieces. Each quadratic is checked
// against the cubics it replaces by sampling, with a margin (1.9 units)
// for what lies between samples and with the half unit a rasterizer may
// round an implied point by; the tests sample every converted cubic of
// the example's glyphs densely. This work is done once per glyph (about
// 0.13 ms of CPU per glyph of the example, four to six times the plain
// conversion) and cached in memory and on disk.
//
// A Subset is typed for its writers: the glyph id of each character
// (GlyphID), the advance of each glyph and the units per em, the
// descriptor metrics, the CID set (CIDSet) and where the glyphs lie in the
// program (GlyfOffset, Loca), so that the PDF writer never parses the font
// it embeds; TTF is the program itself, which an OFD writer embeds as is.
// Its cmap maps the real code points: format 4 for the BMP, plus format 12
// when a character such as 𥔲 (U+25532) lies beyond it.
package fonts
