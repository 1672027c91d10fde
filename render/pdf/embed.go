package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"slices"
	"strconv"
	"sync"
	"unicode/utf16"

	"gongwen/fonts"
)

// Fonts are embedded by us, not by fpdf: fpdf re-parses every font per
// document, keeps 64K-entry width tables, hashes them through JSON and
// allocates a new zlib compressor per stream, which cost more than the
// whole rest of a render. fpdf writes pages, outline and metadata; the page
// content shows glyph ids of our subsets (CIDFontType2, Identity-H,
// CIDToGIDMap Identity) and a ToUnicode CMap maps them back to the real
// characters, those outside the BMP included, so extraction needs no
// ActualText.

// embeddedFont is one subset font of the document being written.
type embeddedFont struct {
	sub    *fonts.Subset
	info   *ttfInfo
	res    string            // resource name in the page resources, e.g. "GW1"
	glyphs map[rune]uint16   // character → glyph id in the subset
	uni    map[uint16]string // glyph id → text it shows, for ToUnicode
}

func newEmbeddedFont(sub *fonts.Subset, i int) (*embeddedFont, error) {
	info, err := fontCache.info(sub)
	if err != nil {
		return nil, fmt.Errorf("subset %s: %w", sub.Name, err)
	}
	return &embeddedFont{
		sub: sub, info: info, res: "GW" + strconv.Itoa(i+1),
		glyphs: make(map[rune]uint16, len(info.cmap)),
		uni:    make(map[uint16]string, len(info.cmap)),
	}, nil
}

// appendGlyphs appends the hex glyph ids of text to dst.
func (e *embeddedFont) appendGlyphs(dst []byte, text string) ([]byte, error) {
	const hexDigits = "0123456789ABCDEF"
	for _, r := range text {
		g, ok := e.glyphs[r]
		if !ok {
			code, has := e.sub.CodePoint(r)
			if has {
				g = e.info.cmap[code]
			}
			if g == 0 {
				return nil, fmt.Errorf("subset %s has no glyph for %q (U+%04X)", e.sub.Name, r, r)
			}
			e.glyphs[r] = g
			if _, dup := e.uni[g]; !dup {
				e.uni[g] = string(r)
			}
		}
		dst = append(dst, hexDigits[g>>12], hexDigits[g>>8&15], hexDigits[g>>4&15], hexDigits[g&15])
	}
	return dst, nil
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// baseFont is the PostScript name with a subset tag derived from the font
// bytes (deterministic, and different for different subsets).
func (e *embeddedFont) baseFont() string {
	v := uint64(crc32.Checksum(e.sub.TTF, castagnoli))<<32 | uint64(len(e.sub.TTF))
	tag := make([]byte, 0, 7+len(e.sub.Name))
	for range 6 {
		tag = append(tag, byte('A'+v%26))
		v /= 26
	}
	tag = append(tag, '+')
	for _, c := range []byte(e.sub.Name) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' {
			tag = append(tag, c)
		}
	}
	return string(tag)
}

// objectWriter appends numbered objects and records their offsets.
type objectWriter struct {
	buf     *bytes.Buffer
	base    int // offset of buf's start in the file
	next    int // next object number
	offsets []int
	tmp     *bytes.Buffer // scratch for compressed streams, from scratchPool
}

// scratchPool recycles the buffers streams are compressed into: a render
// compresses a dozen streams of up to a few hundred kilobytes, and growing
// fresh buffers for each was a third of the bytes a render allocated.
var scratchPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (w *objectWriter) begin() int {
	n := w.next
	w.next++
	w.offsets = append(w.offsets, w.base+w.buf.Len())
	fmt.Fprintf(w.buf, "%d 0 obj\n", n)
	return n
}

func (w *objectWriter) dict(s string) {
	w.begin()
	w.buf.WriteString(s)
	w.buf.WriteString("\nendobj\n")
}

func (w *objectWriter) stream(dict string, data []byte) {
	w.begin()
	w.tmp.Reset()
	deflate(w.tmp, data)
	fmt.Fprintf(w.buf, "<< %s /Filter /FlateDecode /Length %d >>\nstream\n", dict, w.tmp.Len())
	w.buf.Write(w.tmp.Bytes())
	w.buf.WriteString("\nendstream\nendobj\n")
}

// writeFont appends the five objects of e starting at object w.next.
func (w *objectWriter) writeFont(e *embeddedFont) {
	k := w.next
	name := e.baseFont()
	info := e.info
	scale := 1000 / float64(info.unitsPerEm)
	em := func(v int) int {
		if v < 0 {
			return -int(float64(-v)*scale + 0.5)
		}
		return int(float64(v)*scale + 0.5)
	}
	w.dict(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", name, k+1, k+2))

	// Widths: the most common one as /DW, runs of the others in /W, exact
	// to 1/1000 of a unit so that text drawn by the viewer advances as the
	// layout measured it, whatever the font's units per em.
	counts := map[float64]int{}
	widths := make([]float64, len(info.advances))
	for g, a := range info.advances {
		widths[g] = float64(int64(float64(a)*scale*1000+0.5)) / 1000
		counts[widths[g]]++
	}
	dw, best := 1000.0, -1
	for v, c := range counts {
		if c > best || c == best && v < dw {
			dw, best = v, c
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW %s /W [", name, k+3, strconv.FormatFloat(dw, 'f', -1, 64))
	for g := 0; g < len(widths); {
		if widths[g] == dw {
			g++
			continue
		}
		fmt.Fprintf(&b, " %d [", g)
		for g < len(widths) && widths[g] != dw {
			b.WriteByte(' ')
			b.WriteString(strconv.FormatFloat(widths[g], 'f', -1, 64))
			g++
		}
		b.WriteString(" ]")
	}
	b.WriteString(" ] /CIDToGIDMap /Identity >>")
	w.dict(b.String())

	w.stream("", toUnicode(e.uni))

	flags := 4 // symbolic: glyphs outside the Latin set
	if info.fixedPitch {
		flags |= 1
	}
	if info.serif {
		flags |= 2
	}
	stemV := 80
	if info.bold {
		stemV = 140
	}
	w.dict(fmt.Sprintf("<< /Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%d %d %d %d] /ItalicAngle %g /Ascent %d /Descent %d /CapHeight %d /StemV %d /FontFile2 %d 0 R >>",
		name, flags, em(info.bbox[0]), em(info.bbox[1]), em(info.bbox[2]), em(info.bbox[3]), info.italicAngle,
		em(info.ascent), em(info.descent), em(info.capHeight), stemV, k+4))
	w.begin()
	program := fontCache.program(e.sub, w.tmp)
	fmt.Fprintf(w.buf, "<< /Length1 %d /Filter /FlateDecode /Length %d >>\nstream\n", len(e.sub.TTF), len(program))
	w.buf.Write(program)
	w.buf.WriteString("\nendstream\nendobj\n")
}

func hex16(b *bytes.Buffer, v uint16) {
	const hexDigits = "0123456789ABCDEF"
	b.Write([]byte{hexDigits[v>>12], hexDigits[v>>8&15], hexDigits[v>>4&15], hexDigits[v&15]})
}

// toUnicode is the CMap from glyph ids to UTF-16BE text.
func toUnicode(uni map[uint16]string) []byte {
	gids := make([]uint16, 0, len(uni))
	for g := range uni {
		gids = append(gids, g)
	}
	slices.Sort(gids)
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for i := 0; i < len(gids); i += 100 {
		chunk := gids[i:min(i+100, len(gids))]
		fmt.Fprintf(&b, "%d beginbfchar\n", len(chunk))
		for _, g := range chunk {
			b.WriteByte('<')
			hex16(&b, g)
			b.WriteString("> <")
			for _, r := range uni[g] {
				if r >= 0x10000 {
					r1, r2 := utf16.EncodeRune(r)
					hex16(&b, uint16(r1))
					hex16(&b, uint16(r2))
				} else {
					hex16(&b, uint16(r))
				}
			}
			b.WriteString(">\n")
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}

// finish rewrites fpdf's (uncompressed) output: page content streams are
// compressed with a pooled compressor (fpdf allocates a new one of about a
// megabyte per stream), the fonts are referenced from the shared resource
// dictionary (object 2) and appended as new objects, and the
// cross-reference table and trailer are rebuilt.
func finish(doc []byte, fonts []*embeddedFont) ([]byte, error) {
	xrefAt, offsets, root, info, err := readXref(doc)
	if err != nil {
		return nil, err
	}
	if len(offsets) < 3 {
		return nil, errors.New("fpdf output has no resource dictionary")
	}
	order := make([]int, 0, len(offsets)-1)
	for j := 1; j < len(offsets); j++ {
		order = append(order, j)
	}
	slices.SortFunc(order, func(a, b int) int { return offsets[a] - offsets[b] })
	first := offsets[order[0]]
	if first <= 0 || first > xrefAt {
		return nil, errors.New("fpdf output: bad object offsets")
	}
	size := len(offsets) // next object number
	out := bytes.NewBuffer(make([]byte, 0, len(doc)/2+400<<10))
	out.Write(doc[:first])
	newOffsets := make([]int, len(offsets))
	for i, j := range order {
		end := xrefAt
		if i+1 < len(order) {
			end = offsets[order[i+1]]
		}
		if offsets[j] > end {
			return nil, errors.New("fpdf output: overlapping objects")
		}
		obj := doc[offsets[j]:end]
		newOffsets[j] = out.Len()
		switch {
		case j == 2:
			marker := []byte("/Font <<\n")
			k := bytes.Index(obj, marker)
			if k < 0 {
				return nil, errors.New("fpdf output: object 2 is not the resource dictionary")
			}
			out.Write(obj[:k+len(marker)])
			for n, f := range fonts {
				fmt.Fprintf(out, "/%s %d 0 R\n", f.res, size+5*n)
			}
			out.Write(obj[k+len(marker):])
		default:
			if !compressStream(out, obj, j) {
				out.Write(obj)
			}
		}
	}
	w := &objectWriter{buf: out, next: size, tmp: scratchPool.Get().(*bytes.Buffer)}
	for _, f := range fonts {
		w.writeFont(f)
	}
	scratchPool.Put(w.tmp)
	newXref := out.Len()
	fmt.Fprintf(out, "xref\n0 %d\n0000000000 65535 f \n", w.next)
	for _, off := range newOffsets[1:] {
		fmt.Fprintf(out, "%010d 00000 n \n", off)
	}
	for _, off := range w.offsets {
		fmt.Fprintf(out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(out, "trailer\n<<\n/Size %d\n/Root %d 0 R\n/Info %d 0 R\n>>\nstartxref\n%d\n%%%%EOF\n", w.next, root, info, newXref)
	return out.Bytes(), nil
}

// compressStream writes obj compressed when it is one of fpdf's
// uncompressed page content streams ("<</Length n>>").
func compressStream(out *bytes.Buffer, obj []byte, num int) bool {
	head := fmt.Appendf(nil, "%d 0 obj\n<</Length ", num)
	if !bytes.HasPrefix(obj, head) {
		return false
	}
	rest := obj[len(head):]
	k := bytes.Index(rest, []byte(">>\nstream\n"))
	if k < 0 {
		return false
	}
	n, err := strconv.Atoi(string(rest[:k]))
	data := rest[k+len(">>\nstream\n"):]
	if err != nil || n < 0 || n > len(data) || !bytes.HasPrefix(data[n:], []byte("\nendstream\nendobj\n")) {
		return false
	}
	tmp := scratchPool.Get().(*bytes.Buffer)
	defer scratchPool.Put(tmp)
	tmp.Reset()
	deflate(tmp, data[:n])
	fmt.Fprintf(out, "%d 0 obj\n<</Filter /FlateDecode /Length %d>>\nstream\n", num, tmp.Len())
	out.Write(tmp.Bytes())
	out.WriteString("\nendstream\nendobj\n")
	return true
}

// readXref parses fpdf's cross-reference table and trailer.
func readXref(doc []byte) (xrefAt int, offsets []int, root, info int, err error) {
	bad := func(what string) (int, []int, int, int, error) {
		return 0, nil, 0, 0, fmt.Errorf("fpdf output: %s", what)
	}
	sx := bytes.LastIndex(doc, []byte("startxref\n"))
	if sx < 0 {
		return bad("no startxref")
	}
	rest := doc[sx+len("startxref\n"):]
	nl := bytes.IndexByte(rest, '\n')
	if nl < 0 {
		return bad("bad startxref")
	}
	xrefAt, err = strconv.Atoi(string(rest[:nl]))
	if err != nil || xrefAt <= 0 || xrefAt >= sx {
		return bad("bad startxref offset")
	}
	p := doc[xrefAt:sx]
	var n int
	if _, err := fmt.Sscanf(string(p[:min(len(p), 32)]), "xref\n0 %d\n", &n); err != nil || n < 1 {
		return bad("bad xref header")
	}
	start := bytes.Index(p, []byte("0000000000 65535 f "))
	if start < 0 || start+20*n > len(p) {
		return bad("bad xref entries")
	}
	offsets = make([]int, n)
	for j := 1; j < n; j++ {
		e := p[start+20*j : start+20*j+10]
		if offsets[j], err = strconv.Atoi(string(e)); err != nil {
			return bad("bad xref entry")
		}
	}
	trailer := p[start+20*n:]
	if root, err = refAfter(trailer, "/Root "); err != nil {
		return bad("no /Root")
	}
	if info, err = refAfter(trailer, "/Info "); err != nil {
		return bad("no /Info")
	}
	return xrefAt, offsets, root, info, nil
}

func refAfter(b []byte, key string) (int, error) {
	i := bytes.Index(b, []byte(key))
	if i < 0 {
		return 0, errors.New("missing")
	}
	var n int
	_, err := fmt.Sscanf(string(b[i+len(key):]), "%d 0 R", &n)
	return n, err
}

// fontCache keeps, per subset font, what writing it derives from its bytes:
// the parsed tables and the compressed font program. The font book hands
// out the same *fonts.Subset for a subset a recent document already had
// (the same report rendered again, the fixed table labels), and a Subset
// is immutable, so neither is computed twice for it.
var fontCache = embedCache{m: map[*fonts.Subset]*embedEntry{}}

type embedCache struct {
	mu sync.Mutex
	m  map[*fonts.Subset]*embedEntry
}

type embedEntry struct {
	info    *ttfInfo
	program []byte // the zlib-compressed TTF
}

// maxEmbedEntries bounds the cache; past it the cache starts over.
const maxEmbedEntries = 128

func (c *embedCache) entry(sub *fonts.Subset) *embedEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[sub]
	if !ok {
		if len(c.m) >= maxEmbedEntries {
			c.m = map[*fonts.Subset]*embedEntry{}
		}
		e = &embedEntry{}
		c.m[sub] = e
	}
	return e
}

func (c *embedCache) info(sub *fonts.Subset) (*ttfInfo, error) {
	e := c.entry(sub)
	c.mu.Lock()
	info := e.info
	c.mu.Unlock()
	if info != nil {
		return info, nil
	}
	info, err := parseTTF(sub.TTF)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	e.info = info
	c.mu.Unlock()
	return info, nil
}

// program returns the compressed font program of sub, compressing it into
// scratch (and keeping a copy) the first time.
func (c *embedCache) program(sub *fonts.Subset, scratch *bytes.Buffer) []byte {
	e := c.entry(sub)
	c.mu.Lock()
	p := e.program
	c.mu.Unlock()
	if p != nil {
		return p
	}
	scratch.Reset()
	deflateFont(scratch, sub.TTF)
	p = bytes.Clone(scratch.Bytes())
	c.mu.Lock()
	e.program = p
	c.mu.Unlock()
	return p
}
