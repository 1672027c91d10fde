package fonts

import (
	"bytes"
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
	"io"
	"sync"

	"github.com/klauspost/compress/flate"
)

// Every writer stores a subset's program deflated: the PDF as a zlib
// stream, the DOCX (after obfuscating its first 32 bytes) and the OFD as
// zip entries. The program is compressed once per Subset, as one stream,
// and each writer wraps the same bytes.
//
// Why one stream at level 2 and not glyph by glyph (as before) or at a
// higher level, measured on the example's five subsets (316 KB of
// TrueType): glyph-by-glyph segments, each compressed once per process and
// concatenated, made 273 KB — every glyph paid for its own Huffman table
// and could not refer to the glyphs before it. One stream makes 228 KB at
// level 1, 222 KB at level 2, 215 KB at level 5 and 211 KB at level 9 for
// 1.7, 1.7, 5.0 and 14 ms of CPU per document whose subsets are new (a
// render that finds its subsets in the book's cache pays nothing). Level 2
// keeps most of the gain for the cost of level 1. Embedding the CFF
// outlines as they are (FontFile3) was measured too and is larger here:
// 233 KB at zlib level 9 for the same glyphs (FandolFang has no
// subroutines to share, and TrueType coordinates compress better).

// PackedHead is how many leading bytes of the program Packed leaves out of
// its compressed tail: the bytes DOCX font obfuscation rewrites.
const PackedHead = 32

// Packed is a subset's program compressed for embedding.
type Packed struct {
	// Tail is TTF[PackedHead:] as a complete raw deflate stream (RFC
	// 1951, ending in a final block), compressed without reference to the
	// head, so any 32 bytes can be stored in front of it.
	Tail []byte
	// Adler32 is the zlib checksum of the whole of TTF.
	Adler32 uint32
}

// packLevel is the deflate level of font programs (see above).
const packLevel = 2

var packWriters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(io.Discard, packLevel)
	return w
}}

// Packed compresses the program on first call; later calls, from any
// writer and goroutine, return the same value.
func (s *Subset) Packed() *Packed {
	s.packOnce.Do(func() {
		p := &Packed{Adler32: adler32.Checksum(s.TTF)}
		var b bytes.Buffer
		b.Grow(len(s.TTF) * 3 / 4)
		w := packWriters.Get().(*flate.Writer)
		w.Reset(&b)
		if len(s.TTF) > PackedHead {
			w.Write(s.TTF[PackedHead:])
		}
		w.Close()
		packWriters.Put(w)
		p.Tail = b.Bytes()
		s.packed = p
	})
	return s.packed
}

// head is the program's first PackedHead bytes (fewer for a shorter one).
func (s *Subset) head() []byte { return s.TTF[:min(PackedHead, len(s.TTF))] }

// storedBlock appends data (at most 65535 bytes) as a non-final stored
// deflate block: it ends on a byte boundary, so Tail can follow it.
func storedBlock(dst, data []byte) []byte {
	n := uint16(len(data))
	dst = append(dst, 0x00, byte(n), byte(n>>8), byte(^n), byte(^n>>8))
	return append(dst, data...)
}

// AppendZlib appends the program as a zlib stream (RFC 1950), as a PDF
// FontFile2 stream with /Filter /FlateDecode holds it.
func (s *Subset) AppendZlib(dst []byte) []byte {
	head, tail, adler := s.ZlibParts()
	return append(append(append(dst, head...), tail...), adler...)
}

// ZlibParts is AppendZlib's stream in three parts to write one after the
// other (zlib header and stored head block, Tail, Adler-32), for writers
// that would rather not copy Tail.
func (s *Subset) ZlibParts() (head, tail, adler []byte) {
	p := s.Packed()
	head = append(make([]byte, 0, 2+5+PackedHead), 0x78, 0x01) // deflate, 32 KB window (FLEVEL is advisory)
	head = storedBlock(head, s.head())
	return head, p.Tail, binary.BigEndian.AppendUint32(nil, p.Adler32)
}

// RawDeflate returns the program with its head replaced by head (the same
// length, e.g. obfuscated for DOCX; nil keeps it) as a raw deflate stream
// in two parts to write one after the other — the stored head block, and
// Tail — with the CRC-32 (IEEE) of the bytes they decompress to, as a zip
// entry needs.
func (s *Subset) RawDeflate(head []byte) (block, tail []byte, crc uint32) {
	if head == nil {
		head = s.head()
	}
	p := s.Packed()
	crc = crc32.ChecksumIEEE(head)
	if len(s.TTF) > PackedHead {
		crc = crc32.Update(crc, crc32.IEEETable, s.TTF[PackedHead:])
	}
	return storedBlock(nil, head), p.Tail, crc
}
