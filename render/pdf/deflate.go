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
// glyph segments. It falls back to plain deflate when the font's glyf and
// loca tables are not laid out as fonts.Subset writes them.
func deflateFont(dst *bytes.Buffer, ttf []byte) {
	glyfOff, glyfLen, loca, ok := glyfLayout(ttf)
	if !ok {
		deflate(dst, ttf)
		return
	}
	dst.Write([]byte{0x78, 0x01}) // zlib header: deflate, 32K window, fastest
	rawSegment(dst, ttf[:glyfOff])
	glyf := ttf[glyfOff : glyfOff+glyfLen]
	for i := 0; i+8 <= len(loca); i += 4 {
		a, b := binary.BigEndian.Uint32(loca[i:]), binary.BigEndian.Uint32(loca[i+4:])
		if a < b {
			dst.Write(glyphSegments.segment(glyf[a:b]))
		}
	}
	rawSegment(dst, ttf[glyfOff+glyfLen:])
	dst.Write([]byte{0x03, 0x00}) // final empty block (fixed Huffman)
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], adler32.Checksum(ttf))
	dst.Write(sum[:])
}

// glyfLayout finds the glyf table and long loca offsets that cover it
// contiguously from 0 to its end.
func glyfLayout(ttf []byte) (glyfOff, glyfLen int, loca []byte, ok bool) {
	if len(ttf) < 12 {
		return 0, 0, nil, false
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	if 12+16*n > len(ttf) {
		return 0, 0, nil, false
	}
	var head []byte
	for i := 0; i < n; i++ {
		rec := ttf[12+16*i:]
		off, l := int(binary.BigEndian.Uint32(rec[8:])), int(binary.BigEndian.Uint32(rec[12:]))
		if off < 0 || l < 0 || off+l > len(ttf) {
			return 0, 0, nil, false
		}
		switch string(rec[:4]) {
		case "glyf":
			glyfOff, glyfLen = off, l
		case "loca":
			loca = ttf[off : off+l]
		case "head":
			head = ttf[off : off+l]
		}
	}
	if glyfLen == 0 || len(loca) < 8 || len(head) < 54 || binary.BigEndian.Uint16(head[50:]) != 1 {
		return 0, 0, nil, false
	}
	prev := uint32(0)
	if binary.BigEndian.Uint32(loca) != 0 {
		return 0, 0, nil, false
	}
	for i := 0; i+4 <= len(loca); i += 4 {
		v := binary.BigEndian.Uint32(loca[i:])
		if v < prev || int(v) > glyfLen {
			return 0, 0, nil, false
		}
		prev = v
	}
	// Trailing bytes of glyf past the last glyph (table padding) would be
	// lost; then compress the plain way.
	return glyfOff, glyfLen, loca, int(prev) == glyfLen
}
