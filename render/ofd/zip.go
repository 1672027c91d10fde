package ofd

import (
	"archive/zip"
	"bytes"
	"hash/crc32"
	"io"
	"sync"

	"github.com/klauspost/compress/flate"

	"gongwen/fonts"
)

// dosDate1980 is every entry's timestamp, 1980-01-01 00:00 in MS-DOS form
// (no extended timestamp field): a package is a function of its document,
// not of when it was written.
const dosDate1980 = 1<<5 | 1

// writeZip writes files in order, deflated. Font programs are compressed
// once per process (a Subset is immutable and the font book hands the same
// one to the next render of the same characters) and copied in raw.
func writeZip(files []file) ([]byte, error) {
	size := 0
	for _, f := range files {
		size += len(f.data) / 3
		if f.font != nil {
			size += len(f.font.TTF) * 3 / 4
		}
	}
	var buf bytes.Buffer
	buf.Grow(size + 16<<10)
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, newPooledDeflater)
	for _, f := range files {
		if f.font != nil {
			c := compressedFonts.get(f.font)
			w, err := zw.CreateRaw(&zip.FileHeader{
				Name: f.name, Method: zip.Deflate, ModifiedDate: dosDate1980,
				CRC32: c.crc, CompressedSize64: uint64(len(c.data)), UncompressedSize64: uint64(len(f.font.TTF)),
			})
			if err != nil {
				return nil, err
			}
			if _, err := w.Write(c.data); err != nil {
				return nil, err
			}
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, ModifiedDate: dosDate1980})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(f.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// deflaters compress the XML parts. Level 1 is the PDF's choice for its
// content streams too: the XML is repetitive enough that higher levels gain
// a few percent for several times the time.
var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed)
	return w
}}

var glyphDeflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, 5)
	return w
}}

// pooledDeflater returns its flate.Writer to the pool when closed.
type pooledDeflater struct{ *flate.Writer }

func newPooledDeflater(out io.Writer) (io.WriteCloser, error) {
	fw := deflaters.Get().(*flate.Writer)
	fw.Reset(out)
	return pooledDeflater{fw}, nil
}

func (p pooledDeflater) Close() error {
	err := p.Writer.Close()
	deflaters.Put(p.Writer)
	return err
}

// Font programs are deflated glyph by glyph, as the PDF writer does: each
// glyph's TrueType data is compressed once per process into a sync-flushed
// segment, cached by its bytes, and segments concatenate into one valid
// deflate stream. A new document then compresses only the small tables
// around glyf; the glyphs of its characters were mostly compressed for an
// earlier one. (Deflating a 200 KB subset whole costs 4–13 ms; the PDF's
// render is 2 ms.)

// compressedFont is a font program as a raw deflate stream.
type compressedFont struct {
	crc  uint32
	data []byte
}

// compressFont deflates s.TTF from cached glyph segments.
func compressFont(s *fonts.Subset) compressedFont {
	ttf := s.TTF
	var buf bytes.Buffer
	buf.Grow(len(ttf) * 3 / 4)
	loca := s.Loca
	glyfAt := s.GlyfOffset
	if len(loca) < 2 || glyfAt <= 0 || glyfAt+int(loca[len(loca)-1]) > len(ttf) {
		segment(&buf, ttf, true)
		return compressedFont{crc32.ChecksumIEEE(ttf), buf.Bytes()}
	}
	glyfEnd := glyfAt + int(loca[len(loca)-1])
	segment(&buf, ttf[:glyfAt], false)
	glyf := ttf[glyfAt:glyfEnd]
	at := uint32(0) // glyf bytes written so far
	for i := 0; i+1 < len(loca); i++ {
		a, b := loca[i], loca[i+1]
		if a != at || b < a || int(b) > len(glyf) {
			// Not contiguous: write the rest of the font plainly.
			segment(&buf, ttf[glyfAt+int(at):], true)
			return compressedFont{crc32.ChecksumIEEE(ttf), buf.Bytes()}
		}
		if a < b {
			buf.Write(glyphSegments.segment(glyf[a:b]))
		}
		at = b
	}
	segment(&buf, ttf[glyfEnd:], true)
	return compressedFont{crc32.ChecksumIEEE(ttf), buf.Bytes()}
}

// segment deflates data as a sync-flushed segment, or as the final one.
func segment(dst *bytes.Buffer, data []byte, final bool) {
	w := deflaters.Get().(*flate.Writer)
	w.Reset(dst)
	w.Write(data)
	if final {
		w.Close()
	} else {
		w.Flush()
	}
	deflaters.Put(w)
}

type glyphCache struct {
	mu    sync.RWMutex
	m     map[string][]byte
	bytes int
}

// maxGlyphCacheBytes bounds the cache; past it the cache starts over.
const maxGlyphCacheBytes = 48 << 20

var glyphSegments glyphCache

func (c *glyphCache) segment(glyph []byte) []byte {
	c.mu.RLock()
	seg, ok := c.m[string(glyph)]
	c.mu.RUnlock()
	if ok {
		return seg
	}
	// A glyph is compressed once per process: level 5 is 2% smaller than
	// level 1 for a third more time once (9: 3% for three times).
	var b bytes.Buffer
	w := glyphDeflaters.Get().(*flate.Writer)
	w.Reset(&b)
	w.Write(glyph)
	w.Flush()
	glyphDeflaters.Put(w)
	seg = b.Bytes()
	c.mu.Lock()
	if c.m == nil || c.bytes+len(seg)+len(glyph) > maxGlyphCacheBytes {
		c.m, c.bytes = map[string][]byte{}, 0
	}
	if _, dup := c.m[string(glyph)]; !dup {
		c.m[string(glyph)] = seg
		c.bytes += len(seg) + len(glyph)
	}
	c.mu.Unlock()
	return seg
}

// compressedFonts keeps the compressed program of recent subsets: the font
// book hands the same immutable Subset to every document that sets the same
// characters in the same face (a clerk rendering again after a fix, the
// fixed table labels of every report).
var compressedFonts fontCache

type fontCache struct {
	mu    sync.Mutex
	m     map[*fonts.Subset]compressedFont
	bytes int
}

// maxFontCacheBytes bounds the compressed programs kept; past it the cache
// starts over, like the book's subset cache.
const maxFontCacheBytes = 16 << 20

func (c *fontCache) get(s *fonts.Subset) compressedFont {
	c.mu.Lock()
	cf, ok := c.m[s]
	c.mu.Unlock()
	if ok {
		return cf
	}
	cf = compressFont(s)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.bytes+len(cf.data) > maxFontCacheBytes {
		c.m, c.bytes = map[*fonts.Subset]compressedFont{}, 0
	}
	c.m[s] = cf
	c.bytes += len(cf.data)
	return cf
}
