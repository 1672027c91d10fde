package pdf

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"sync"
	"unicode/utf16"
)

// fileWriter writes a PDF file: numbered objects in any order, then a
// classic cross-reference table and a trailer whose /ID is a hash of
// everything before it. No object or cross-reference streams, so that the
// same writer serves PDF/A-1 (PDF 1.4 structure) and the later parts.
type fileWriter struct {
	buf     bytes.Buffer
	offsets []int         // by object number; 0 = not written yet
	tmp     *bytes.Buffer // scratch for compressed streams, from scratchPool
}

// scratchPool recycles the buffers streams are compressed into: a render
// compresses a dozen streams of up to a few hundred kilobytes, and growing
// fresh buffers for each was a third of the bytes a render allocated.
var scratchPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// newFileWriter writes the header: the version, then a comment of four
// bytes above 127 that marks the file as binary (PDF/A requires it).
func newFileWriter(version string, sizeHint int) *fileWriter {
	w := &fileWriter{offsets: []int{0}, tmp: scratchPool.Get().(*bytes.Buffer)}
	w.buf.Grow(sizeHint)
	w.buf.WriteString("%PDF-" + version + "\n%\xE2\xE3\xCF\xD3\n")
	return w
}

// alloc reserves the next object number.
func (w *fileWriter) alloc() int {
	w.offsets = append(w.offsets, 0)
	return len(w.offsets) - 1
}

func (w *fileWriter) begin(n int) {
	w.offsets[n] = w.buf.Len()
	w.buf.WriteString(strconv.Itoa(n))
	w.buf.WriteString(" 0 obj\n")
}

// object writes object n with body s (a dictionary, array…).
func (w *fileWriter) object(n int, s string) {
	w.begin(n)
	w.buf.WriteString(s)
	w.buf.WriteString("\nendobj\n")
}

// stream writes object n as data compressed with FlateDecode; dict holds
// the other entries of the stream dictionary.
func (w *fileWriter) stream(n int, dict string, data []byte) {
	w.tmp.Reset()
	deflate(w.tmp, data)
	sep := " "
	if dict == "" {
		sep = ""
	}
	w.rawStream(n, dict+sep+"/Filter /FlateDecode", w.tmp.Bytes())
}

// rawStream writes object n with data, the concatenation of parts, as
// it is (already filtered, as dict says).
func (w *fileWriter) rawStream(n int, dict string, parts ...[]byte) {
	size := 0
	for _, p := range parts {
		size += len(p)
	}
	w.begin(n)
	w.buf.WriteString("<< ")
	w.buf.WriteString(dict)
	w.buf.WriteString(" /Length ")
	w.buf.WriteString(strconv.Itoa(size))
	w.buf.WriteString(" >>\nstream\n")
	for _, p := range parts {
		w.buf.Write(p)
	}
	w.buf.WriteString("\nendstream\nendobj\n")
}

// finish writes the cross-reference table and the trailer and returns the
// file. Every allocated object must have been written.
func (w *fileWriter) finish(root, info int) ([]byte, error) {
	scratchPool.Put(w.tmp)
	w.tmp = nil
	for n, off := range w.offsets[1:] {
		if off == 0 {
			return nil, fmt.Errorf("object %d allocated but not written", n+1)
		}
	}
	// The file identifier is derived from the content, so the same
	// document gives the same bytes and a different one a different ID.
	sum := sha256.Sum256(w.buf.Bytes())
	id := hex.EncodeToString(sum[:16])
	xref := w.buf.Len()
	fmt.Fprintf(&w.buf, "xref\n0 %d\n0000000000 65535 f \n", len(w.offsets))
	var entry [20]byte
	copy(entry[10:], " 00000 n \n")
	for _, off := range w.offsets[1:] {
		s := strconv.Itoa(off)
		for i := range 10 {
			entry[i] = '0'
		}
		copy(entry[10-len(s):10], s)
		w.buf.Write(entry[:])
	}
	fmt.Fprintf(&w.buf, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n", len(w.offsets), root, info, id, id, xref)
	return w.buf.Bytes(), nil
}

// textString is s as a PDF text string: a literal for plain printable
// ASCII, else UTF-16BE with a byte-order mark as hex digits (𥔲 included).
func textString(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7E {
			ascii = false
			break
		}
	}
	if ascii {
		var b bytes.Buffer
		b.WriteByte('(')
		for i := 0; i < len(s); i++ {
			if c := s[i]; c == '(' || c == ')' || c == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(s[i])
		}
		b.WriteByte(')')
		return b.String()
	}
	u := utf16.Encode([]rune(s))
	b := make([]byte, 0, 6+4*len(u))
	b = append(b, "<FEFF"...)
	const hexDigits = "0123456789ABCDEF"
	for _, c := range u {
		b = append(b, hexDigits[c>>12], hexDigits[c>>8&15], hexDigits[c>>4&15], hexDigits[c&15])
	}
	return string(append(b, '>'))
}

// nameToken is s as a PDF name (with the slash), bytes outside the
// regular characters written as #xx: application/json → /application#2Fjson.
func nameToken(s string) string {
	var b bytes.Buffer
	b.WriteByte('/')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= 0x20 || c >= 0x7F || bytes.IndexByte([]byte("#()<>[]{}/%"), c) >= 0 {
			fmt.Fprintf(&b, "#%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
