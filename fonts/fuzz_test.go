package fonts

import (
	"bytes"
	"os"
	"testing"
)

// The parsers below read fonts found on disk; a damaged file must give an
// error (or be skipped), never a panic.

func FuzzParseNames(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 0, 18, 0, 3, 0, 1, 4, 9, 0, 1, 0, 2, 0, 0, 0, 'A'})
	f.Fuzz(func(t *testing.T, tab []byte) {
		parseNames(tab)
	})
}

func FuzzParseCmap(f *testing.F) {
	f.Add(cmapFormat4([]mapping{{code: 'A', src: 1}, {code: 'B', src: 2}, {code: 0xE000, src: 3}}), 10)
	f.Fuzz(func(t *testing.T, tab []byte, numGlyphs int) {
		if numGlyphs < 0 || numGlyphs > 65536 {
			return
		}
		if c, err := parseCmap(tab, numGlyphs); err == nil {
			c.glyph('A')
			c.glyph(0x20000)
		}
	})
}

func FuzzFontFile(f *testing.F) {
	for _, path := range []string{"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"} {
		if data, err := os.ReadFile(path); err == nil && len(data) < 1<<20 {
			f.Add(data[:4096])
		}
	}
	f.Add([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		offs, err := faceOffsets(r)
		if err != nil {
			return
		}
		for _, off := range offs {
			d, err := readDirectory(r, off)
			if err != nil {
				continue
			}
			if tab, err := readTable(r, d, "name"); err == nil {
				parseNames(tab)
			}
		}
	})
}

// A glyph cache file is read from disk too: damaged, it is ignored or a
// glyph is converted again, never a panic; what is kept of it at the next
// save reads back.
func FuzzGlyphCacheFile(f *testing.F) {
	f.Add(encodeGlyphs(map[uint16]*glyphRecord{0: {}, 7: {data: []byte{0, 1, 0, 0, 0, 0, 1, 1, 0, 0}, points: 2, contours: 1}}, nil, 0), uint16(7))
	f.Fuzz(func(t *testing.T, data []byte, gid uint16) {
		n, err := checkGlyphIndex(data)
		if err != nil {
			return
		}
		if rec := findGlyphRecord(data, n, gid); rec != nil {
			decodeGlyphRecord(rec)
		}
		kept := encodeGlyphs(map[uint16]*glyphRecord{gid: {data: []byte{1}}}, data, n)
		if _, err := decodeGlyphs(kept); err != nil {
			t.Fatalf("a file written from a damaged one does not read back: %v", err)
		}
	})
}
