package pdf

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// ttfInfo is what the PDF font dictionaries need from a subset TrueType
// font: glyph ids by code point, advances, and the descriptor metrics.
type ttfInfo struct {
	unitsPerEm              int
	numGlyphs               int
	bbox                    [4]int
	ascent, descent         int
	capHeight               int
	italicAngle             float64
	advances                []uint16 // by glyph id
	cmap                    map[rune]uint16
	fixedPitch, serif, bold bool
}

var errShortFont = errors.New("truncated font table")

// parseTTF reads the tables fonts.Subset writes (head, hhea, hmtx, maxp,
// cmap format 4, post, OS/2).
func parseTTF(b []byte) (*ttfInfo, error) {
	if len(b) < 12 {
		return nil, errShortFont
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	if 12+16*n > len(b) {
		return nil, errShortFont
	}
	tables := make(map[string][]byte, n)
	for i := 0; i < n; i++ {
		rec := b[12+16*i:]
		off, length := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(length) > uint64(len(b)) {
			return nil, fmt.Errorf("table %q: %w", rec[:4], errShortFont)
		}
		tables[string(rec[:4])] = b[off : off+length]
	}
	need := func(tag string, size int) ([]byte, error) {
		t := tables[tag]
		if len(t) < size {
			return nil, fmt.Errorf("table %s: %w", tag, errShortFont)
		}
		return t, nil
	}
	info := &ttfInfo{}
	head, err := need("head", 54)
	if err != nil {
		return nil, err
	}
	info.unitsPerEm = int(binary.BigEndian.Uint16(head[18:]))
	if info.unitsPerEm < 16 {
		return nil, fmt.Errorf("head: unitsPerEm %d", info.unitsPerEm)
	}
	for i := range info.bbox {
		info.bbox[i] = int(int16(binary.BigEndian.Uint16(head[36+2*i:])))
	}
	info.bold = binary.BigEndian.Uint16(head[44:])&1 != 0
	maxp, err := need("maxp", 6)
	if err != nil {
		return nil, err
	}
	info.numGlyphs = int(binary.BigEndian.Uint16(maxp[4:]))
	hhea, err := need("hhea", 36)
	if err != nil {
		return nil, err
	}
	info.ascent = int(int16(binary.BigEndian.Uint16(hhea[4:])))
	info.descent = int(int16(binary.BigEndian.Uint16(hhea[6:])))
	nhm := int(binary.BigEndian.Uint16(hhea[34:]))
	hmtx, err := need("hmtx", 4*nhm)
	if err != nil {
		return nil, err
	}
	if nhm == 0 || nhm > info.numGlyphs {
		return nil, fmt.Errorf("hhea: %d metrics for %d glyphs", nhm, info.numGlyphs)
	}
	info.advances = make([]uint16, info.numGlyphs)
	for g := range info.advances {
		if g < nhm {
			info.advances[g] = binary.BigEndian.Uint16(hmtx[4*g:])
		} else {
			info.advances[g] = info.advances[nhm-1]
		}
	}
	if os2 := tables["OS/2"]; len(os2) >= 78 {
		// Typographic metrics: what CJK faces mean by ascent and descent.
		info.ascent = int(int16(binary.BigEndian.Uint16(os2[68:])))
		info.descent = int(int16(binary.BigEndian.Uint16(os2[70:])))
		if len(os2) >= 90 && binary.BigEndian.Uint16(os2[0:]) >= 2 {
			info.capHeight = int(int16(binary.BigEndian.Uint16(os2[88:])))
		}
		family := os2[30]
		info.serif = family >= 1 && family <= 7
	}
	if info.capHeight == 0 {
		info.capHeight = info.ascent
	}
	if post := tables["post"]; len(post) >= 16 {
		info.italicAngle = float64(int32(binary.BigEndian.Uint32(post[4:]))) / 65536
		info.fixedPitch = binary.BigEndian.Uint32(post[12:]) != 0
	}
	cmap, err := need("cmap", 4)
	if err != nil {
		return nil, err
	}
	if info.cmap, err = parseCmap4(cmap); err != nil {
		return nil, err
	}
	return info, nil
}

// parseCmap4 reads the (3,1) format 4 subtable.
func parseCmap4(t []byte) (map[rune]uint16, error) {
	n := int(binary.BigEndian.Uint16(t[2:]))
	for i := 0; i < n; i++ {
		if 4+8*i+8 > len(t) {
			return nil, errShortFont
		}
		rec := t[4+8*i:]
		pid, eid := binary.BigEndian.Uint16(rec), binary.BigEndian.Uint16(rec[2:])
		off := int(binary.BigEndian.Uint32(rec[4:]))
		if pid != 3 || eid != 1 || off+14 > len(t) || binary.BigEndian.Uint16(t[off:]) != 4 {
			continue
		}
		sub := t[off:]
		length := int(binary.BigEndian.Uint16(sub[2:]))
		if length > len(sub) {
			return nil, errShortFont
		}
		sub = sub[:length]
		segX2 := int(binary.BigEndian.Uint16(sub[6:]))
		if 16+4*segX2 > len(sub) {
			return nil, errShortFont
		}
		ends, starts := sub[14:], sub[16+segX2:]
		deltas, ranges := sub[16+2*segX2:], sub[16+3*segX2:]
		m := make(map[rune]uint16)
		for s := 0; s < segX2/2; s++ {
			end := binary.BigEndian.Uint16(ends[2*s:])
			start := binary.BigEndian.Uint16(starts[2*s:])
			delta := binary.BigEndian.Uint16(deltas[2*s:])
			ro := int(binary.BigEndian.Uint16(ranges[2*s:]))
			if start == 0xFFFF {
				continue
			}
			for c := int(start); c <= int(end); c++ {
				var g uint16
				if ro == 0 {
					g = uint16(c) + delta
				} else {
					at := 16 + 3*segX2 + 2*s + ro + 2*(c-int(start))
					if at+2 > len(sub) {
						return nil, errShortFont
					}
					if g = binary.BigEndian.Uint16(sub[at:]); g != 0 {
						g += delta
					}
				}
				if g != 0 {
					m[rune(c)] = g
				}
			}
		}
		return m, nil
	}
	return nil, errors.New("font has no (3,1) format 4 cmap")
}
