package fonts

import (
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf16"
)

// SubsetBuilder collects, for one document, the characters set in each
// face. It is not safe for concurrent use; make one per document.
type SubsetBuilder struct {
	// Built, when set, is called with each subset as soon as Build has
	// it (made, or found in the cache), in Build's order and goroutine: a
	// writer can start compressing the first program while the others
	// are still being made.
	Built func(*Subset)

	book  *Book
	order []*Face
	runes map[*Face]map[rune]struct{}
}

// NewSubsetBuilder starts the subset fonts of one document.
func (b *Book) NewSubsetBuilder() *SubsetBuilder {
	return &SubsetBuilder{book: b, runes: map[*Face]map[rune]struct{}{}}
}

// Add records that text is set in face f (normally a Span from Segment).
func (s *SubsetBuilder) Add(f *Face, text string) {
	set := s.runes[f]
	if set == nil {
		set = map[rune]struct{}{}
		s.runes[f] = set
		s.order = append(s.order, f)
	}
	for _, r := range text {
		set[r] = struct{}{}
	}
}

// Subset is a TrueType font holding only the glyphs one document sets in
// one face, with what a writer needs to embed it already known: the glyph
// of each character, the advance of each glyph and the descriptor metrics.
// A PDF writer shows glyph ids (CIDFontType2, Identity-H, CIDToGIDMap
// Identity) and never reads TTF back; an OFD writer embeds TTF, whose cmap
// maps the real code points (format 4 for the BMP, format 12 for all when
// a character such as 𥔲 U+25532 lies beyond it).
//
// A Subset is immutable and may be shared by documents that set the same
// characters in the same face.
type Subset struct {
	Face *Face
	Name string // unique within the document, ASCII letters and digits: "GWFandolFangRegular"
	TTF  []byte // the font program

	UnitsPerEm int
	// Advances are the hmtx advance widths by glyph id, in font units;
	// len(Advances) is the number of glyphs in TTF (glyph 0 is .notdef).
	Advances []uint16
	// BBox is the head table's box over all glyphs: xMin, yMin, xMax, yMax.
	BBox [4]int16
	// Ascent and Descent (negative) are the typographic metrics of OS/2
	// (hhea's when the face has no OS/2); CapHeight is OS/2's, else Ascent.
	Ascent, Descent, CapHeight int16
	ItalicAngle                float64 // degrees, from post
	FixedPitch, Serif, Bold    bool

	// GlyfOffset is where the glyf table starts in TTF and Loca the
	// offsets of each glyph within it (len(Advances)+1 entries), so that a
	// writer can compress glyph by glyph without parsing TTF.
	GlyfOffset int
	Loca       []uint32

	glyphs map[rune]uint16 // character -> glyph id in TTF

	packOnce sync.Once // Packed: TTF compressed once for every writer
	packed   *Packed
}

// GlyphID is the glyph of r in TTF (for writers that show glyph ids, as a
// CIDFontType2 with Identity CIDToGIDMap does); false if the subset lacks r.
// It is never 0 (.notdef) for a character the subset has.
func (s *Subset) GlyphID(r rune) (uint16, bool) {
	g, ok := s.glyphs[r]
	return g, ok
}

// Runes lists the characters of the subset in code point order.
func (s *Subset) Runes() []rune {
	out := make([]rune, 0, len(s.glyphs))
	for r := range s.glyphs {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// Covers reports whether the subset font has a glyph for r.
func (s *Subset) Covers(r rune) bool { _, ok := s.glyphs[r]; return ok }

// NumGlyphs is the number of glyphs in TTF.
func (s *Subset) NumGlyphs() int { return len(s.Advances) }

// CIDSet is the PDF CIDSet bitset of the subset shown with CIDs equal to
// glyph ids: one bit per glyph present in the font program, .notdef (CID
// 0) and the components of composite glyphs included, high bit first.
func (s *Subset) CIDSet() []byte {
	n := len(s.Advances)
	set := make([]byte, (n+7)/8)
	for g := range n {
		set[g/8] |= 0x80 >> (g % 8)
	}
	return set
}

// Build makes one subset font per face added, in the order faces were
// first added. A character its face lacks is a *MissingGlyphError: text
// must come from Segment.
func (s *SubsetBuilder) Build() ([]*Subset, error) {
	out := make([]*Subset, 0, len(s.order))
	used := make(map[string]bool, len(s.order))
	for i, f := range s.order {
		// Named after the face alone, so that the same characters in the
		// same face make the same subset whichever faces come before it:
		// the DOCX writer, asking for one face at a time, then embeds the
		// PDF's subset, compressed once (Packed). Two faces of one name
		// in a document are told apart by their place.
		name := "GW" + asciiName(f)
		if used[name] {
			name = fmt.Sprintf("GW%d%s", i+1, asciiName(f))
		}
		used[name] = true
		runes := sortedRunes(s.runes[f]) // once, for the key and the build
		key := subsetKey(f, runes, name)
		if sub := s.book.subsets.get(key); sub != nil {
			out = append(out, sub)
			if s.Built != nil {
				s.Built(sub)
			}
			continue
		}
		if dir := s.book.glyphCacheDir(); dir != "" {
			f.loadGlyphs(dir)
		}
		sub, err := buildSubset(f, runes, name)
		if err != nil {
			return nil, err
		}
		s.book.subsets.put(key, sub)
		out = append(out, sub)
		if s.Built != nil {
			s.Built(sub)
		}
	}
	return out, nil
}

// asciiName is a face's PostScript name (or full name) reduced to letters
// and digits, for readable PDF font names.
func asciiName(f *Face) string {
	src := f.psName
	if src == "" {
		src = f.fullName
	}
	var b strings.Builder
	for _, r := range src {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
		if b.Len() >= 40 {
			break
		}
	}
	return b.String()
}

// mapping is one cmap entry of a subset font.
type mapping struct {
	code rune   // code point in the subset's cmap
	src  uint16 // glyph id in the source face (in cmap tables: in the subset)
	r    rune   // the real character
}

// buildSubset makes the subset of f for runes, in ascending order.
func buildSubset(f *Face, runes []rune, name string) (*Subset, error) {
	if err := f.load(); err != nil {
		return nil, err
	}
	if f.m.fsTypeRestricted {
		return nil, fmt.Errorf("font %s forbids embedding (OS/2 fsType)", f)
	}
	sub := &Subset{Face: f, Name: name}

	var missing []rune
	var maps []mapping
	for _, r := range runes {
		gid := f.glyphIndex(r)
		if gid == 0 {
			missing = append(missing, r)
			continue
		}
		maps = append(maps, mapping{r, gid, r})
	}
	if len(missing) > 0 {
		return nil, &MissingGlyphError{Runes: missing}
	}

	// New glyph order: .notdef, the mapped glyphs in code order, then
	// components of composite glyphs.
	// Sized for the mapped glyphs up front: grown from empty, the map's
	// rehashing was a fifth of building a report's subsets.
	newID := make(map[uint16]uint16, len(maps)+1)
	newID[0] = 0
	order := make([]uint16, 1, len(maps)+1)
	assign := func(src uint16) uint16 {
		if id, ok := newID[src]; ok {
			return id
		}
		id := uint16(len(order))
		newID[src] = id
		order = append(order, src)
		return id
	}
	cmap := make([]mapping, len(maps)) // code -> new glyph id
	sub.glyphs = make(map[rune]uint16, len(maps))
	for i, m := range maps {
		cmap[i] = mapping{code: m.code, src: assign(m.src), r: m.r}
		sub.glyphs[m.r] = cmap[i].src
	}
	recs := make([]*glyphRecord, 0, len(order))
	for i := 0; i < len(order); i++ {
		if len(order) > 0xFFFE {
			return nil, fmt.Errorf("font %s: subset needs more than 65534 glyphs", f)
		}
		g, err := f.glyph(order[i])
		if err != nil {
			return nil, err
		}
		for _, c := range g.components {
			if int(c) >= f.m.numGlyphs {
				return nil, fmt.Errorf("font %s: glyph %d refers to missing glyph %d", f, order[i], c)
			}
			assign(c)
		}
		recs = append(recs, g)
	}
	if err := assembleFont(sub, recs, newID, cmap); err != nil {
		return nil, err
	}
	return sub, nil
}

// assembleFont writes the TrueType tables of a subset into sub.TTF and
// records the metrics a writer needs.
func assembleFont(sub *Subset, recs []*glyphRecord, newID map[uint16]uint16, cmap []mapping) error {
	f, name := sub.Face, sub.Name
	m := f.m
	n := len(recs)

	// glyf is the bulk of the font: lay it out (loca offsets) now and copy
	// the glyph data straight into the output in writeSFNT.
	loca := make([]byte, 0, 4*(n+1))
	glyfLen := 0
	var bbox [4]int16 // xMin yMin xMax yMax over all glyphs
	bboxSet := false
	var maxPoints, maxContours, maxCompPoints, maxCompContours, maxCompElems, maxDepth int
	hmtx := make([]byte, 0, 4*n)
	var advMax uint16
	minLSB, minRSB, maxExtent := int16(0x7FFF), int16(0x7FFF), int16(-0x8000)
	for _, g := range recs {
		loca = binary.BigEndian.AppendUint32(loca, uint32(glyfLen))
		glyfLen += (len(g.data) + 3) &^ 3
		hmtx = binary.BigEndian.AppendUint16(hmtx, g.advance)
		hmtx = binary.BigEndian.AppendUint16(hmtx, uint16(g.lsb))
		advMax = max(advMax, g.advance)
		if len(g.data) == 0 {
			continue
		}
		if !bboxSet {
			bbox = [4]int16{g.xMin, g.yMin, g.xMax, g.yMax}
			bboxSet = true
		}
		bbox[0], bbox[1] = min(bbox[0], g.xMin), min(bbox[1], g.yMin)
		bbox[2], bbox[3] = max(bbox[2], g.xMax), max(bbox[3], g.yMax)
		minLSB = min(minLSB, g.lsb)
		minRSB = min(minRSB, int16(int(g.advance)-int(g.lsb)-int(g.xMax-g.xMin)))
		maxExtent = max(maxExtent, int16(int(g.lsb)+int(g.xMax-g.xMin)))
		if len(g.components) == 0 {
			maxPoints, maxContours = max(maxPoints, g.points), max(maxContours, g.contours)
		} else {
			p, c, d := f.compositeTotals(g, 1)
			maxCompPoints, maxCompContours = max(maxCompPoints, p), max(maxCompContours, c)
			maxCompElems, maxDepth = max(maxCompElems, len(g.components)), max(maxDepth, d)
		}
	}
	loca = binary.BigEndian.AppendUint32(loca, uint32(glyfLen))
	sub.Loca = make([]uint32, 0, n+1)
	sub.Advances = make([]uint16, n)
	for i, g := range recs {
		sub.Loca = append(sub.Loca, binary.BigEndian.Uint32(loca[4*i:]))
		sub.Advances[i] = g.advance
	}
	sub.Loca = append(sub.Loca, uint32(glyfLen))
	if !bboxSet {
		minLSB, minRSB, maxExtent = 0, 0, 0
	}
	writeGlyf := func(dst []byte) {
		p := 0
		for _, g := range recs {
			copy(dst[p:], g.data)
			for i, at := range g.compAt {
				binary.BigEndian.PutUint16(dst[p+at:], newID[g.components[i]])
			}
			p += (len(g.data) + 3) &^ 3
		}
	}

	head := slices.Clone(m.head[:54])
	binary.BigEndian.PutUint32(head[8:], 0)           // checkSumAdjustment, set below
	binary.BigEndian.PutUint32(head[12:], 0x5F0F3CF5) // magic
	for i, v := range bbox {
		binary.BigEndian.PutUint16(head[36+2*i:], uint16(v))
	}
	binary.BigEndian.PutUint16(head[50:], 1) // long loca
	binary.BigEndian.PutUint16(head[52:], 0) // glyphDataFormat

	hhea := slices.Clone(m.hhea[:36])
	binary.BigEndian.PutUint16(hhea[10:], advMax)
	binary.BigEndian.PutUint16(hhea[12:], uint16(minLSB))
	binary.BigEndian.PutUint16(hhea[14:], uint16(minRSB))
	binary.BigEndian.PutUint16(hhea[16:], uint16(maxExtent))
	binary.BigEndian.PutUint16(hhea[32:], 0) // metricDataFormat
	binary.BigEndian.PutUint16(hhea[34:], uint16(n))

	maxp := make([]byte, 32)
	binary.BigEndian.PutUint32(maxp, 0x00010000)
	for i, v := range []int{n, maxPoints, maxContours, maxCompPoints, maxCompContours, 2, 0, 0, 0, 0, 0, 0, maxCompElems, maxDepth} {
		binary.BigEndian.PutUint16(maxp[4+2*i:], uint16(v))
	}

	post := make([]byte, 32)
	binary.BigEndian.PutUint32(post, 0x00030000)
	if len(m.post) >= 16 {
		copy(post[4:16], m.post[4:16]) // italic angle, underline, fixed pitch
	}

	tables := map[string][]byte{
		"cmap": cmapTable(cmap),
		"glyf": nil, // written by writeGlyf
		"head": head,
		"hhea": hhea,
		"hmtx": hmtx,
		"loca": loca,
		"maxp": maxp,
		"name": subsetNameTable(f, name),
		"post": post,
	}
	if len(m.os2) >= 78 {
		tables["OS/2"] = m.os2
	}
	sub.TTF, sub.GlyfOffset = writeSFNT(tables, glyfLen, writeGlyf)
	sub.describe(bbox)
	return nil
}

// describe records the descriptor metrics of sub from its face's tables
// (the same values the subset's own tables carry).
func (sub *Subset) describe(bbox [4]int16) {
	m := sub.Face.m
	sub.UnitsPerEm = m.unitsPerEm
	sub.BBox = bbox
	sub.Bold = u16(m.head, 44)&1 != 0
	sub.Ascent, sub.Descent = i16(m.hhea, 4), i16(m.hhea, 6)
	if len(m.os2) >= 78 {
		// Typographic metrics: what CJK faces mean by ascent and descent.
		sub.Ascent, sub.Descent = i16(m.os2, 68), i16(m.os2, 70)
		if len(m.os2) >= 90 && u16(m.os2, 0) >= 2 {
			sub.CapHeight = i16(m.os2, 88)
		}
		family := m.os2[30]
		sub.Serif = family >= 1 && family <= 7
	}
	if sub.Descent > 0 { // some fonts (FandolSong) store it positive
		sub.Descent = -sub.Descent
	}
	if sub.CapHeight == 0 {
		sub.CapHeight = sub.Ascent
	}
	if len(m.post) >= 16 {
		sub.ItalicAngle = float64(int32(binary.BigEndian.Uint32(m.post[4:]))) / 65536
		sub.FixedPitch = binary.BigEndian.Uint32(m.post[12:]) != 0
	}
}

// compositeTotals sums the points and contours of a composite glyph's
// components recursively, for maxp.
func (f *Face) compositeTotals(g *glyphRecord, depth int) (points, contours, maxDepth int) {
	maxDepth = depth
	if depth > 16 {
		return
	}
	for _, c := range g.components {
		cg, err := f.glyph(c)
		if err != nil {
			continue
		}
		if len(cg.components) > 0 {
			p, k, d := f.compositeTotals(cg, depth+1)
			points, contours, maxDepth = points+p, contours+k, max(maxDepth, d)
		} else {
			points, contours = points+cg.points, contours+cg.contours
		}
	}
	return
}

// cmapTable writes a cmap with a (3,1) format 4 subtable of the BMP
// characters and, when any character lies beyond the BMP, a (3,10) format
// 12 subtable of all of them. maps is sorted by code.
func cmapTable(maps []mapping) []byte {
	bmp := maps
	for i, m := range maps {
		if m.code >= 0x10000 {
			bmp = maps[:i]
			break
		}
	}
	f4 := cmapFormat4(bmp)
	var f12 []byte
	if len(bmp) < len(maps) {
		f12 = cmapFormat12(maps)
	}
	n := 1
	if f12 != nil {
		n = 2
	}
	out := make([]byte, 0, 4+8*n+len(f4)+len(f12))
	out = binary.BigEndian.AppendUint16(out, 0) // version
	out = binary.BigEndian.AppendUint16(out, uint16(n))
	out = binary.BigEndian.AppendUint16(out, 3)
	out = binary.BigEndian.AppendUint16(out, 1)
	out = binary.BigEndian.AppendUint32(out, uint32(4+8*n))
	if f12 != nil {
		out = binary.BigEndian.AppendUint16(out, 3)
		out = binary.BigEndian.AppendUint16(out, 10)
		out = binary.BigEndian.AppendUint32(out, uint32(4+8*n+len(f4)))
	}
	out = append(out, f4...)
	return append(out, f12...)
}

// cmapFormat12 is a format 12 subtable, one group per run of consecutive
// codes with consecutive glyph ids.
func cmapFormat12(maps []mapping) []byte {
	var groups [][3]uint32
	for i := 0; i < len(maps); {
		j := i + 1
		for j < len(maps) && maps[j].code == maps[j-1].code+1 && maps[j].src == maps[j-1].src+1 {
			j++
		}
		groups = append(groups, [3]uint32{uint32(maps[i].code), uint32(maps[j-1].code), uint32(maps[i].src)})
		i = j
	}
	out := make([]byte, 0, 16+12*len(groups))
	out = binary.BigEndian.AppendUint16(out, 12)
	out = binary.BigEndian.AppendUint16(out, 0)
	out = binary.BigEndian.AppendUint32(out, uint32(16+12*len(groups)))
	out = binary.BigEndian.AppendUint32(out, 0) // language
	out = binary.BigEndian.AppendUint32(out, uint32(len(groups)))
	for _, g := range groups {
		out = binary.BigEndian.AppendUint32(out, g[0])
		out = binary.BigEndian.AppendUint32(out, g[1])
		out = binary.BigEndian.AppendUint32(out, g[2])
	}
	return out
}

// cmapFormat4 writes a format 4 subtable, one segment per run of
// consecutive codes with consecutive glyph ids.
func cmapFormat4(maps []mapping) []byte {
	type seg struct{ start, end, delta uint16 }
	var segs []seg
	for i := 0; i < len(maps); {
		j := i + 1
		for j < len(maps) && maps[j].code == maps[j-1].code+1 && maps[j].src == maps[j-1].src+1 {
			j++
		}
		segs = append(segs, seg{uint16(maps[i].code), uint16(maps[j-1].code), maps[i].src - uint16(maps[i].code)})
		i = j
	}
	segs = append(segs, seg{0xFFFF, 0xFFFF, 1})
	nseg := len(segs)
	sr, es := 1, 0
	for sr*2 <= nseg {
		sr *= 2
		es++
	}
	sub := make([]byte, 0, 16+8*nseg)
	sub = binary.BigEndian.AppendUint16(sub, 4)
	sub = binary.BigEndian.AppendUint16(sub, uint16(16+8*nseg))
	sub = binary.BigEndian.AppendUint16(sub, 0) // language
	sub = binary.BigEndian.AppendUint16(sub, uint16(2*nseg))
	sub = binary.BigEndian.AppendUint16(sub, uint16(2*sr))
	sub = binary.BigEndian.AppendUint16(sub, uint16(es))
	sub = binary.BigEndian.AppendUint16(sub, uint16(2*nseg-2*sr))
	for _, s := range segs {
		sub = binary.BigEndian.AppendUint16(sub, s.end)
	}
	sub = binary.BigEndian.AppendUint16(sub, 0) // reservedPad
	for _, s := range segs {
		sub = binary.BigEndian.AppendUint16(sub, s.start)
	}
	for _, s := range segs {
		sub = binary.BigEndian.AppendUint16(sub, s.delta)
	}
	for range segs {
		sub = binary.BigEndian.AppendUint16(sub, 0) // idRangeOffset
	}
	return sub
}

// subsetNameTable names the subset after its PDF font name (a renamed copy,
// as the fonts' reserved-name clauses ask) and keeps the source's copyright
// notice and licence URL. The licence description (name 13; 331 characters
// of OFL summary and disclaimer in each Noto face, more than half of the
// table) is left out, as fontTools' subsetter does by default: no consumer
// reads it (PDF readers use the descriptor's FontName; LibreOffice and
// Word match an embedded DOCX font by names 1, 4 and 6; ofd.js by the
// file the OFD names), and the URL still says which licence applies.
func subsetNameTable(f *Face, name string) []byte {
	notice := func(id uint16) string { return f.m.notices[id] }
	src := f.psName
	if src == "" {
		src = f.fullName
	}
	type rec struct {
		id   uint16
		text string
	}
	list := []rec{
		{0, notice(0)},
		{1, name},
		{2, "Regular"},
		{3, "gongwen subset " + name + " of " + src},
		{4, name},
		{6, name},
		{14, notice(14)},
	}
	var strs []byte
	var dir []byte
	count := 0
	for _, r := range list {
		if r.text == "" {
			continue
		}
		u := utf16.Encode([]rune(r.text))
		if len(u) > 16000 {
			u = u[:16000]
		}
		dir = binary.BigEndian.AppendUint16(dir, 3)
		dir = binary.BigEndian.AppendUint16(dir, 1)
		dir = binary.BigEndian.AppendUint16(dir, 0x409)
		dir = binary.BigEndian.AppendUint16(dir, r.id)
		dir = binary.BigEndian.AppendUint16(dir, uint16(2*len(u)))
		dir = binary.BigEndian.AppendUint16(dir, uint16(len(strs)))
		for _, c := range u {
			strs = binary.BigEndian.AppendUint16(strs, c)
		}
		count++
	}
	out := make([]byte, 0, 6+len(dir)+len(strs))
	out = binary.BigEndian.AppendUint16(out, 0)
	out = binary.BigEndian.AppendUint16(out, uint16(count))
	out = binary.BigEndian.AppendUint16(out, uint16(6+len(dir)))
	out = append(out, dir...)
	return append(out, strs...)
}

// writeSFNT lays out tables in tag order with checksums and sets the head
// checkSumAdjustment. The glyf table (glyfLen bytes, a multiple of 4) is
// written in place by writeGlyf, saving a copy of the largest table; its
// offset is returned.
func writeSFNT(tables map[string][]byte, glyfLen int, writeGlyf func([]byte)) (font []byte, glyfAt int) {
	tags := make([]string, 0, len(tables))
	total := 12 + 16*len(tables)
	for t, d := range tables {
		tags = append(tags, t)
		if t == "glyf" {
			total += glyfLen
		} else {
			total += (len(d) + 3) &^ 3
		}
	}
	sort.Strings(tags)
	n := len(tags)
	sr, es := 1, 0
	for sr*2 <= n {
		sr *= 2
		es++
	}
	out := make([]byte, total)
	binary.BigEndian.PutUint32(out, sfntV1)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(16*sr))
	binary.BigEndian.PutUint16(out[8:], uint16(es))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-16*sr))
	off := 12 + 16*n
	headAt := 0
	// The whole font's checksum is the directory's plus the tables': each
	// starts on a 4-byte boundary and is padded with zeros, so the bytes
	// are summed once, not twice.
	var sum uint32
	for i, t := range tags {
		var body []byte
		if t == "glyf" {
			body = out[off : off+glyfLen]
			writeGlyf(body)
			glyfAt = off
		} else {
			body = out[off : off+len(tables[t])]
			copy(body, tables[t])
		}
		if t == "head" {
			headAt = off
		}
		rec := out[12+16*i:]
		copy(rec, t)
		c := checksum(body)
		sum += c
		binary.BigEndian.PutUint32(rec[4:], c)
		binary.BigEndian.PutUint32(rec[8:], uint32(off))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(body)))
		off += (len(body) + 3) &^ 3
	}
	sum += checksum(out[:12+16*n])
	binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-sum)
	return out, glyfAt
}

func checksum(b []byte) uint32 {
	var sum uint32
	i := 0
	for ; i+8 <= len(b); i += 8 {
		v := binary.BigEndian.Uint64(b[i:])
		sum += uint32(v>>32) + uint32(v)
	}
	for ; i+4 <= len(b); i += 4 {
		sum += binary.BigEndian.Uint32(b[i:])
	}
	if rem := len(b) % 4; rem != 0 {
		var last [4]byte
		copy(last[:], b[len(b)-rem:])
		sum += binary.BigEndian.Uint32(last[:])
	}
	return sum
}
