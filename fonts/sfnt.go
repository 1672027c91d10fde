package fonts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"unicode/utf16"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// This file reads just enough of the sfnt container (TrueType, CFF OpenType
// and collections) to index a face without parsing its outlines: the table
// directory, the name table and a few header fields. Everything is read with
// ReadAt so that indexing a 30 MB collection touches a few kilobytes.

const (
	tagTTCF = 0x74746366 // "ttcf"
	tagOTTO = 0x4F54544F // "OTTO"
	tagTrue = 0x74727565 // "true"
	sfntV1  = 0x00010000
)

var errNotFont = errors.New("not an sfnt font")

// tableRecord locates one table inside the file (offsets are absolute).
type tableRecord struct {
	offset, length uint32
}

// faceDirectory is the table directory of one face of a file.
type faceDirectory struct {
	version uint32 // sfntV1/tagTrue (glyf outlines) or tagOTTO (CFF)
	tables  map[string]tableRecord
}

func (d *faceDirectory) has(tag string) bool { _, ok := d.tables[tag]; return ok }

// faceOffsets returns the offsets of the table directories of every face in
// the file: one for a plain font, several for a collection.
func faceOffsets(r io.ReaderAt) ([]uint32, error) {
	var hdr [12]byte
	if _, err := r.ReadAt(hdr[:], 0); err != nil {
		return nil, err
	}
	switch tag := binary.BigEndian.Uint32(hdr[:]); tag {
	case sfntV1, tagTrue, tagOTTO:
		return []uint32{0}, nil
	case tagTTCF:
		n := binary.BigEndian.Uint32(hdr[8:])
		if n == 0 || n > 1024 {
			return nil, fmt.Errorf("collection with %d faces: %w", n, errNotFont)
		}
		buf := make([]byte, 4*n)
		if _, err := r.ReadAt(buf, 12); err != nil {
			return nil, err
		}
		offs := make([]uint32, n)
		for i := range offs {
			offs[i] = binary.BigEndian.Uint32(buf[4*i:])
		}
		return offs, nil
	default:
		return nil, errNotFont
	}
}

func readDirectory(r io.ReaderAt, off uint32) (*faceDirectory, error) {
	var hdr [12]byte
	if _, err := r.ReadAt(hdr[:], int64(off)); err != nil {
		return nil, err
	}
	d := &faceDirectory{version: binary.BigEndian.Uint32(hdr[:])}
	if d.version != sfntV1 && d.version != tagTrue && d.version != tagOTTO {
		return nil, errNotFont
	}
	n := int(binary.BigEndian.Uint16(hdr[4:]))
	if n == 0 || n > 512 {
		return nil, errNotFont
	}
	buf := make([]byte, 16*n)
	if _, err := r.ReadAt(buf, int64(off)+12); err != nil {
		return nil, err
	}
	d.tables = make(map[string]tableRecord, n)
	for i := 0; i < n; i++ {
		rec := buf[16*i:]
		d.tables[string(rec[:4])] = tableRecord{
			offset: binary.BigEndian.Uint32(rec[8:]),
			length: binary.BigEndian.Uint32(rec[12:]),
		}
	}
	return d, nil
}

// readTable reads a whole table; maxLen guards against absurd lengths.
func readTable(r io.ReaderAt, d *faceDirectory, tag string) ([]byte, error) {
	rec, ok := d.tables[tag]
	if !ok {
		return nil, fmt.Errorf("no %q table", tag)
	}
	if rec.length > 1<<28 {
		return nil, fmt.Errorf("%q table of %d bytes", tag, rec.length)
	}
	buf := make([]byte, rec.length)
	if _, err := r.ReadAt(buf, int64(rec.offset)); err != nil && !(errors.Is(err, io.EOF) && len(buf) == 0) {
		return nil, fmt.Errorf("reading %q table: %w", tag, err)
	}
	return buf, nil
}

// nameRecord is one decoded entry of the name table.
type nameRecord struct {
	id   uint16
	lang uint16 // Windows language ID (0x0409 English US, 0x0804 Chinese PRC), 0 for Mac Roman
	text string
}

// parseNames decodes the Unicode, Mac Roman and Windows PRC (GB) records of
// a name table, of the name ids in only (every id when only is empty).
// Undecodable records are skipped. Indexing a book needs six ids of a
// table that also holds the licence and description, often kilobytes in
// a dozen languages: decoding those made up half the time to open the
// book of the system's fonts.
func parseNames(tab []byte, only ...uint16) []nameRecord {
	if len(tab) < 6 {
		return nil
	}
	count := int(binary.BigEndian.Uint16(tab[2:]))
	strOff := int(binary.BigEndian.Uint16(tab[4:]))
	var out []nameRecord
	for i := 0; i < count; i++ {
		if 6+12*i+12 > len(tab) {
			break
		}
		rec := tab[6+12*i:]
		platform := binary.BigEndian.Uint16(rec)
		enc := binary.BigEndian.Uint16(rec[2:])
		lang := binary.BigEndian.Uint16(rec[4:])
		id := binary.BigEndian.Uint16(rec[6:])
		if len(only) > 0 && !slices.Contains(only, id) {
			continue
		}
		n := int(binary.BigEndian.Uint16(rec[8:]))
		o := strOff + int(binary.BigEndian.Uint16(rec[10:]))
		if o+n > len(tab) {
			continue
		}
		raw := tab[o : o+n]
		var text string
		switch {
		case platform == 0 || (platform == 3 && (enc == 1 || enc == 10 || enc == 0)):
			text = decodeUTF16BE(raw)
		case platform == 3 && (enc == 3 || enc == 4 || enc == 5):
			// Old Chinese fonts store GB 2312 bytes in 16-bit units.
			text = decodeGB(raw)
		case platform == 1 && enc == 0 && lang == 0:
			text = decodeLatin1(raw)
			lang = 0x409
		case platform == 1 && enc == 25: // Mac simplified Chinese
			text = decodeGB(raw)
			lang = 0x804
		default:
			continue
		}
		text = strings.TrimSpace(strings.TrimRight(text, "\x00"))
		if text != "" {
			out = append(out, nameRecord{id: id, lang: lang, text: text})
		}
	}
	return out
}

func decodeUTF16BE(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.BigEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

func decodeLatin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func decodeGB(b []byte) string {
	packed := make([]byte, 0, len(b))
	for _, c := range b {
		if c != 0 {
			packed = append(packed, c)
		}
	}
	s, err := simplifiedchinese.GBK.NewDecoder().Bytes(packed)
	if err != nil {
		return ""
	}
	return string(s)
}

// cmapRange maps runes lo..hi to glyphs gid..gid+(hi-lo).
type cmapRange struct {
	lo, hi rune
	gid    uint32
}

// coverage is a sorted list of cmap ranges with a dense table for the BMP,
// which holds almost every lookup of Chinese text.
type coverage struct {
	bmp    []uint16 // glyph of each BMP rune; nil if the font maps none
	astral []cmapRange
	count  int // number of mapped runes
}

func (c *coverage) glyph(r rune) uint16 {
	if r >= 0 && r < 0x10000 {
		if c.bmp == nil {
			return 0
		}
		return c.bmp[r]
	}
	a := c.astral
	i := sort.Search(len(a), func(i int) bool { return a[i].hi >= r })
	if i < len(a) && a[i].lo <= r {
		return uint16(a[i].gid + uint32(r-a[i].lo))
	}
	return 0
}

// parseCmap builds the coverage from the best Unicode subtable: a full
// repertoire (format 12) when present, else the BMP one (format 4).
func parseCmap(tab []byte, numGlyphs int) (*coverage, error) {
	if len(tab) < 4 {
		return nil, errors.New("cmap table too short")
	}
	n := int(binary.BigEndian.Uint16(tab[2:]))
	best, bestScore := -1, 0
	for i := 0; i < n; i++ {
		if 4+8*i+8 > len(tab) {
			break
		}
		rec := tab[4+8*i:]
		platform := binary.BigEndian.Uint16(rec)
		enc := binary.BigEndian.Uint16(rec[2:])
		off := int(binary.BigEndian.Uint32(rec[4:]))
		if off+2 > len(tab) {
			continue
		}
		format := binary.BigEndian.Uint16(tab[off:])
		score := 0
		switch {
		case format == 12 && (platform == 3 && enc == 10 || platform == 0):
			score = 4
		case format == 4 && (platform == 3 && enc == 1 || platform == 0):
			score = 3
		case format == 4 && platform == 3 && enc == 0: // symbol fonts
			score = 1
		}
		if score > bestScore {
			best, bestScore = off, score
		}
	}
	if best < 0 {
		return nil, errors.New("no Unicode cmap subtable (format 4 or 12)")
	}
	c := &coverage{}
	var ranges []cmapRange
	// A damaged or hostile cmap could describe billions of overlapping
	// mappings; real fonts stay far below this many.
	budget := 1 << 22
	spend := func(n int) error {
		budget -= n
		if budget < 0 {
			return errors.New("cmap maps implausibly many characters")
		}
		return nil
	}
	switch binary.BigEndian.Uint16(tab[best:]) {
	case 12:
		sub := tab[best:]
		if len(sub) < 16 {
			return nil, errors.New("cmap format 12 too short")
		}
		groups := int(binary.BigEndian.Uint32(sub[12:]))
		if 16+12*groups > len(sub) {
			return nil, errors.New("cmap format 12 truncated")
		}
		for g := 0; g < groups; g++ {
			p := sub[16+12*g:]
			lo := rune(binary.BigEndian.Uint32(p))
			hi := rune(binary.BigEndian.Uint32(p[4:]))
			gid := binary.BigEndian.Uint32(p[8:])
			if hi < lo || hi > 0x10FFFF {
				continue
			}
			ranges = append(ranges, cmapRange{lo, hi, gid})
		}
	case 4:
		sub := tab[best:]
		if len(sub) < 14 {
			return nil, errors.New("cmap format 4 too short")
		}
		segs := int(binary.BigEndian.Uint16(sub[6:])) / 2
		if 16+8*segs > len(sub) {
			return nil, errors.New("cmap format 4 truncated")
		}
		ends := sub[14:]
		starts := sub[16+2*segs:]
		deltas := sub[16+4*segs:]
		rangeOffs := sub[16+6*segs:]
		for s := 0; s < segs; s++ {
			end := rune(binary.BigEndian.Uint16(ends[2*s:]))
			start := rune(binary.BigEndian.Uint16(starts[2*s:]))
			delta := binary.BigEndian.Uint16(deltas[2*s:])
			ro := int(binary.BigEndian.Uint16(rangeOffs[2*s:]))
			if start > end {
				continue
			}
			if err := spend(int(end - start + 1)); err != nil {
				return nil, err
			}
			if ro == 0 {
				// Split where glyph ids wrap around 0xFFFF.
				for r := start; r <= end; r++ {
					gid := uint32(uint16(r) + delta)
					if n := len(ranges); n > 0 && ranges[n-1].hi == r-1 && ranges[n-1].gid+uint32(r-ranges[n-1].lo) == gid {
						ranges[n-1].hi = r
					} else {
						ranges = append(ranges, cmapRange{r, r, gid})
					}
				}
				continue
			}
			base := 16 + 6*segs + 2*s + ro // offset within sub of glyphIdArray entry for start
			for r := start; r <= end; r++ {
				p := base + 2*int(r-start)
				if p+2 > len(sub) {
					break
				}
				g := binary.BigEndian.Uint16(sub[p:])
				if g == 0 {
					continue
				}
				gid := uint32(g + delta)
				if n := len(ranges); n > 0 && ranges[n-1].hi == r-1 && ranges[n-1].gid+uint32(r-ranges[n-1].lo) == gid {
					ranges[n-1].hi = r
				} else {
					ranges = append(ranges, cmapRange{r, r, gid})
				}
			}
		}
	default:
		return nil, errors.New("unsupported cmap format")
	}
	sort.Slice(ranges, func(i, j int) bool { return ranges[i].lo < ranges[j].lo })
	for _, rg := range ranges {
		if err := spend(int(min(rg.hi, 0xFFFF) - rg.lo + 1)); err != nil && rg.lo < 0x10000 {
			return nil, err
		}
		for r := rg.lo; r <= rg.hi; r++ {
			gid := rg.gid + uint32(r-rg.lo)
			if gid == 0 || int(gid) >= numGlyphs || isControl(r) {
				continue
			}
			if r < 0x10000 {
				if c.bmp == nil {
					c.bmp = make([]uint16, 0x10000)
				}
				if r == 0xFFFF {
					continue
				}
				c.bmp[r] = uint16(gid)
				c.count++
				continue
			}
			// Astral ranges are kept as ranges (they are long and few).
			end := rg.hi
			if last := rune(numGlyphs-1) - rune(rg.gid) + rg.lo; last < end {
				end = last
			}
			if end >= r {
				c.astral = append(c.astral, cmapRange{r, end, gid})
				c.count += int(end - r + 1)
			}
			break
		}
	}
	return c, nil
}

func u16(b []byte, off int) uint16 {
	if off+2 > len(b) {
		return 0
	}
	return binary.BigEndian.Uint16(b[off:])
}

func i16(b []byte, off int) int16 { return int16(u16(b, off)) }

// isControl reports C0 and C1 control characters. Some fonts map them to
// empty glyphs; treating them as covered would let an invisible character
// through, so no face covers them.
func isControl(r rune) bool { return r < 0x20 || (r >= 0x7F && r < 0xA0) }
