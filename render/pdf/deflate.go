package pdf

import (
	"bytes"
	"encoding/binary"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/zlib"
	"hash/adler32"
	"io"
	"sync"
)

// Compressing the embedded fonts was half of a render. A font stream is
// compressed glyph by glyph instead: each glyph's TrueType data is deflated
// once per process, ending with a sync flush so that segments concatenate
// into one valid deflate stream, and cached by its bytes. A document then
// only deflates the small tables around glyf and copies cached glyphs.
// Independent segments compress about 13% worse than one stream over the
// whole font; the saving is most of the compression time of every later
// document that uses the same glyphs.

var (
	zlibPool = sync.Pool{New: func() any {
		w, _ := zlib.NewWriterLevel(io.Discard, zlib.BestSpeed)
		return w
	}}
	flatePool = sync.Pool{New: func() any {
		w, _ := flate.NewWriter(io.Discard, flate.BestSpeed)
		return w
	}}
)

// deflate appends data to dst as a zlib stream.
func deflate(dst *bytes.Buffer, data []byte) {
	w := zlibPool.Get().(*zlib.Writer)
	w.Reset(dst)
	w.Write(data)
	w.Close()
	zlibPool.Put(w)
}

// glyphCache maps glyph data to its deflate segment.
type glyphCache struct {
	mu    sync.RWMutex
	m     map[string][]byte
	bytes int
}

// maxGlyphCacheBytes bounds the cache: every glyph of five complete CJK
// faces is about 40 MB of segments; a process past the bound deflates new
// glyphs per document.
const maxGlyphCacheBytes = 64 << 20

var glyphSegments = glyphCache{m: map[string][]byte{}}

func (c *glyphCache) segment(glyph []byte) []byte {
	c.mu.RLock()
	seg, ok := c.m[string(glyph)]
	c.mu.RUnlock()
	if ok {
		return seg
	}
	var b bytes.Buffer
	w := flatePool.Get().(*flate.Writer)
	w.Reset(&b)
	w.Write(glyph)
	w.Flush()
	flatePool.Put(w)
	seg = b.Bytes()
	c.mu.Lock()
	if c.bytes < maxGlyphCacheBytes {
		if _, dup := c.m[string(glyph)]; !dup {
			c.m[string(glyph)] = seg
			c.bytes += len(seg) + len(glyph)
		}
	}
	c.mu.Unlock()
	return seg
}

// rawSegment deflates data as a sync-flushed segment (not cached).
func rawSegment(dst *bytes.Buffer, data []byte) {
	w := flatePool.Get().(*flate.Writer)
	w.Reset(dst)
	w.Write(data)
	w.Flush()
	flatePool.Put(w)
}

// deflateFont appends ttf to dst as a zlib stream assembled from cached
// glyph segments; glyfAt and loca (from the fonts.Subset) locate the
// glyphs, so the font is never parsed here.
func deflateFont(dst *bytes.Buffer, ttf []byte, glyfAt int, loca []uint32) {
	if len(loca) < 2 || glyfAt < 0 || glyfAt+int(loca[len(loca)-1]) > len(ttf) {
		deflate(dst, ttf)
		return
	}
	glyfEnd := glyfAt + int(loca[len(loca)-1])
	dst.Write([]byte{0x78, 0x01}) // zlib header: deflate, 32K window, fastest
	rawSegment(dst, ttf[:glyfAt])
	glyf := ttf[glyfAt:glyfEnd]
	for i := 0; i+1 < len(loca); i++ {
		a, b := loca[i], loca[i+1]
		if a < b && int(b) <= len(glyf) {
			dst.Write(glyphSegments.segment(glyf[a:b]))
		}
	}
	rawSegment(dst, ttf[glyfEnd:])
	dst.Write([]byte{0x03, 0x00}) // final empty block (fixed Huffman)
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], adler32.Checksum(ttf))
	dst.Write(sum[:])
}
