package pdf

import (
	"bytes"
	"fmt"
	"hash/crc32"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"unicode/utf16"

	"gongwen/fonts"
)

// Fonts are embedded as CIDFontType2 (Identity-H, CIDToGIDMap Identity):
// the page content shows the glyph ids of our subsets, and a ToUnicode CMap
// maps them back to the real characters, those outside the BMP included,
// so extraction needs no ActualText. Everything about a font's objects but
// their numbers follows from its immutable *fonts.Subset, so it is derived
// once per subset (the font book hands out the same Subset for the same
// characters in the same face) and kept in fontCache.

// embeddedFont is one subset font of the document being written.
type embeddedFont struct {
	sub  *fonts.Subset
	objs *fontObjects
	res  string // resource name in the page resources, e.g. "GW1"
}

// appendGlyphs appends the hex glyph ids of text to dst.
func (e *embeddedFont) appendGlyphs(dst []byte, text string) ([]byte, error) {
	const hexDigits = "0123456789ABCDEF"
	for _, r := range text {
		g, ok := e.sub.GlyphID(r)
		if !ok || g == 0 { // never show .notdef
			return nil, fmt.Errorf("subset %s has no glyph for %q (U+%04X)", e.sub.Name, r, r)
		}
		dst = append(dst, hexDigits[g>>12], hexDigits[g>>8&15], hexDigits[g>>4&15], hexDigits[g&15])
	}
	return dst, nil
}

// fontObjects are the parts of a subset's PDF objects that do not depend
// on the document: names, widths, descriptor entries and the compressed
// streams.
type fontObjects struct {
	baseFont   string
	widths     string // "/DW … /W […]"
	descriptor string // FontDescriptor entries but FontFile2 and CIDSet
	toUnicode  []byte // zlib
	cidSet     []byte // zlib
	length1    int    // uncompressed program length
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// newFontObjects derives the objects of sub. It reads only the typed
// fields of the Subset, never its TTF bytes (those are only compressed).
func newFontObjects(sub *fonts.Subset) *fontObjects {
	o := &fontObjects{length1: len(sub.TTF)}

	// BaseFont: the subset name with a six-letter tag derived from the
	// font bytes (deterministic, and different for different subsets).
	v := uint64(crc32.Checksum(sub.TTF, castagnoli))<<32 | uint64(len(sub.TTF))
	tag := make([]byte, 0, 7+len(sub.Name))
	for range 6 {
		tag = append(tag, byte('A'+v%26))
		v /= 26
	}
	tag = append(tag, '+')
	for _, c := range []byte(sub.Name) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' {
			tag = append(tag, c)
		}
	}
	o.baseFont = string(tag)

	// Widths: exactly the font program's advances in 1000ths of an em (a
	// finite decimal for the power-of-two and 1000-unit ems fonts have),
	// the most common one as /DW and runs of the others in /W.
	upem := float64(sub.UnitsPerEm)
	width := func(a uint16) string { return strconv.FormatFloat(float64(a)*1000/upem, 'f', -1, 64) }
	counts := map[uint16]int{}
	for _, a := range sub.Advances {
		counts[a]++
	}
	dw, best := uint16(0), -1
	for a, c := range counts {
		if c > best || c == best && a < dw {
			dw, best = a, c
		}
	}
	var b bytes.Buffer
	b.WriteString("/DW " + width(dw) + " /W [")
	for g := 0; g < len(sub.Advances); {
		if sub.Advances[g] == dw {
			g++
			continue
		}
		b.WriteString(" " + strconv.Itoa(g) + " [")
		// At most 1000 widths a run: PDF/A-1 caps arrays at 8191 elements.
		for n := 0; g < len(sub.Advances) && sub.Advances[g] != dw && n < 1000; n++ {
			b.WriteString(" " + width(sub.Advances[g]))
			g++
		}
		b.WriteString(" ]")
	}
	b.WriteString(" ]")
	o.widths = b.String()

	em := func(v int16) int {
		x := float64(v) * 1000 / upem
		if x < 0 {
			return -int(-x + 0.5)
		}
		return int(x + 0.5)
	}
	flags := 4 // symbolic: glyphs outside the Latin set
	if sub.FixedPitch {
		flags |= 1
	}
	if sub.Serif {
		flags |= 2
	}
	stemV := 80
	if sub.Bold {
		stemV = 140
	}
	o.descriptor = fmt.Sprintf("/Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%d %d %d %d] /ItalicAngle %s /Ascent %d /Descent %d /CapHeight %d /StemV %d",
		o.baseFont, flags, em(sub.BBox[0]), em(sub.BBox[1]), em(sub.BBox[2]), em(sub.BBox[3]),
		strconv.FormatFloat(sub.ItalicAngle, 'f', -1, 64), em(sub.Ascent), em(sub.Descent), em(sub.CapHeight), stemV)

	var z bytes.Buffer
	deflate(&z, toUnicode(sub))
	o.toUnicode = bytes.Clone(z.Bytes())
	sub.Packed() // the program: compressed once per subset, shared with the DOCX and OFD writers
	z.Reset()
	deflate(&z, sub.CIDSet())
	o.cidSet = bytes.Clone(z.Bytes())
	return o
}

// writeFont writes the objects of e: Type0 font (number fontRef), its
// CIDFont, ToUnicode, descriptor, program and, for PDF/A-1, CIDSet.
func (w *fileWriter) writeFont(e *embeddedFont, fontRef int, withCIDSet bool) {
	o := e.objs
	cid, uni, desc, prog := w.alloc(), w.alloc(), w.alloc(), w.alloc()
	w.object(fontRef, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", o.baseFont, cid, uni))
	w.object(cid, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R %s /CIDToGIDMap /Identity >>", o.baseFont, desc, o.widths))
	w.rawStream(uni, "/Filter /FlateDecode", o.toUnicode)
	cidSet := ""
	var setRef int
	if withCIDSet {
		setRef = w.alloc()
		cidSet = fmt.Sprintf(" /CIDSet %d 0 R", setRef)
	}
	w.object(desc, fmt.Sprintf("<< %s /FontFile2 %d 0 R%s >>", o.descriptor, prog, cidSet))
	// The zlib stream of the program, written from its parts: the subset's
	// compressed tail is not copied into a stream of its own first.
	head, tail, adler := e.sub.ZlibParts()
	w.rawStream(prog, "/Length1 "+strconv.Itoa(o.length1)+" /Filter /FlateDecode", head, tail, adler)
	if withCIDSet {
		w.rawStream(setRef, "/Filter /FlateDecode", o.cidSet)
	}
}

func hex16(b *bytes.Buffer, v uint16) {
	const hexDigits = "0123456789ABCDEF"
	b.Write([]byte{hexDigits[v>>12], hexDigits[v>>8&15], hexDigits[v>>4&15], hexDigits[v&15]})
}

// toUnicode is the CMap from the subset's glyph ids to UTF-16BE text; a
// glyph two characters share maps to the first. The subset's glyph ids
// are dense, so the map is written as bfrange runs of consecutive ids with
// an array of destinations, `<0001> <0064> [<0025> <4E00> …]`: half the
// bytes of one bfchar line per glyph (`<0001> <0025>`), and about 35%
// fewer once compressed (measured over 13 reports).
func toUnicode(sub *fonts.Subset) []byte {
	runes := sub.Runes()
	type entry struct {
		gid uint16
		r   rune
	}
	seen := make(map[uint16]bool, len(runes))
	entries := make([]entry, 0, len(runes))
	for _, r := range runes {
		g, _ := sub.GlyphID(r)
		if !seen[g] {
			seen[g] = true
			entries = append(entries, entry{g, r})
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return int(a.gid) - int(b.gid) })
	// Runs of consecutive glyph ids; a range may not cross a multiple of
	// 256 (its codes may differ only in the last byte).
	type run struct{ from, to int } // entries[from:to]
	var runs []run
	for i := 0; i < len(entries); {
		j := i + 1
		for j < len(entries) && entries[j].gid == entries[j-1].gid+1 && entries[j].gid&0xFF != 0 {
			j++
		}
		runs = append(runs, run{i, j})
		i = j
	}
	var b bytes.Buffer
	b.Grow(300 + 7*len(entries) + 20*len(runs))
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for i := 0; i < len(runs); i += 100 { // at most 100 ranges a section
		chunk := runs[i:min(i+100, len(runs))]
		b.WriteString(strconv.Itoa(len(chunk)))
		b.WriteString(" beginbfrange\n")
		for _, r := range chunk {
			b.WriteByte('<')
			hex16(&b, entries[r.from].gid)
			b.WriteString("> <")
			hex16(&b, entries[r.to-1].gid)
			b.WriteString("> [")
			for k, e := range entries[r.from:r.to] {
				if k > 0 {
					b.WriteByte(' ')
				}
				b.WriteByte('<')
				if e.r >= 0x10000 {
					r1, r2 := utf16.EncodeRune(e.r)
					hex16(&b, uint16(r1))
					hex16(&b, uint16(r2))
				} else {
					hex16(&b, uint16(e.r))
				}
				b.WriteByte('>')
			}
			b.WriteString("]\n")
		}
		b.WriteString("endbfrange\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}

// fontCache keeps the objects of recent subsets.
var fontCache = embedCache{m: map[*fonts.Subset]*embedEntry{}}

type embedCache struct {
	mu sync.Mutex
	m  map[*fonts.Subset]*embedEntry
}

type embedEntry struct {
	once  sync.Once
	objs  *fontObjects
	ready atomic.Bool // objs is set
}

// maxEmbedEntries bounds the cache; past it the cache starts over.
const maxEmbedEntries = 128

func (c *embedCache) objects(sub *fonts.Subset) *fontObjects {
	c.mu.Lock()
	e, ok := c.m[sub]
	if !ok {
		if len(c.m) >= maxEmbedEntries {
			c.m = map[*fonts.Subset]*embedEntry{}
		}
		e = &embedEntry{}
		c.m[sub] = e
	}
	c.mu.Unlock()
	e.once.Do(func() {
		e.objs = newFontObjects(sub)
		e.ready.Store(true)
	})
	return e.objs
}

// ready says whether sub's objects are made already (a subset from the
// book's cache, rendered before): then there is nothing to hand to a
// spare core.
func (c *embedCache) ready(sub *fonts.Subset) bool {
	c.mu.Lock()
	e := c.m[sub]
	c.mu.Unlock()
	return e != nil && e.ready.Load()
}
