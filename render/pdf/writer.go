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

// fileWriter writes a PDF file: numbered objects in any order, then the
// cross-reference section and a trailer whose /ID is a hash of everything
// before it.
//
// A packed writer (PDF 1.5 and later: PDF/A-2 and -3, plain PDF) puts
// every object that is not a stream into one compressed object stream and
// ends with a compressed cross-reference stream: the dictionaries (pages,
// fonts, widths, outline, Info) and the cross-reference table are a tenth
// of their size in the classic form. Streams stay top-level objects, as
// ISO 32000 requires, the XMP packet among them (uncompressed). PDF/A-1
// (PDF 1.4 structure) allows neither, so an unpacked writer writes every
// object whole and a classic cross-reference table.
type fileWriter struct {
	buf     bytes.Buffer
	entries []xrefEntry   // by object number
	tmp     *bytes.Buffer // scratch for compressed streams, from scratchPool

	packed     bool
	packedBody bytes.Buffer // the packed objects, one after the other
	packedNums []int        // their numbers, in order
	packedOffs []int        // their offsets in packedBody
}

// xrefEntry is where object n is: at offset in the file, or the index-th
// object of the object stream (inStream); written is false until it is.
type xrefEntry struct {
	offset   int
	inStream bool
	written  bool
}

// scratchPool recycles the buffers streams are compressed into: a render
// compresses a dozen streams of up to a few hundred kilobytes, and growing
// fresh buffers for each was a third of the bytes a render allocated.
var scratchPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// newFileWriter writes the header: the version, then a comment of four
// bytes above 127 that marks the file as binary (PDF/A requires it).
// packed asks for an object stream and a cross-reference stream (PDF 1.5
// and later only).
func newFileWriter(version string, packed bool, sizeHint int) *fileWriter {
	w := &fileWriter{entries: []xrefEntry{{written: true}}, tmp: scratchPool.Get().(*bytes.Buffer), packed: packed}
	w.buf.Grow(sizeHint)
	w.buf.WriteString("%PDF-" + version + "\n%\xE2\xE3\xCF\xD3\n")
	return w
}

// alloc reserves the next object number.
func (w *fileWriter) alloc() int {
	w.entries = append(w.entries, xrefEntry{})
	return len(w.entries) - 1
}

func (w *fileWriter) begin(n int) {
	w.entries[n] = xrefEntry{offset: w.buf.Len(), written: true}
	w.buf.WriteString(strconv.Itoa(n))
	w.buf.WriteString(" 0 obj\n")
}

// object writes object n with body s (a dictionary, array…): into the
// object stream when the writer packs, else whole.
func (w *fileWriter) object(n int, s string) {
	if w.packed {
		w.entries[n] = xrefEntry{offset: len(w.packedNums), inStream: true, written: true}
		w.packedNums = append(w.packedNums, n)
		w.packedOffs = append(w.packedOffs, w.packedBody.Len())
		w.packedBody.WriteString(s)
		w.packedBody.WriteByte('\n')
		return
	}
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

// finish writes the object stream (packed), the cross-reference section
// and the trailer, and returns the file. Every allocated object must have
// been written.
func (w *fileWriter) finish(root, info int) ([]byte, error) {
	defer func() {
		scratchPool.Put(w.tmp)
		w.tmp = nil
	}()
	if len(w.packedNums) > 0 {
		w.writeObjectStream()
	}
	for n, e := range w.entries[1:] {
		if !e.written {
			return nil, fmt.Errorf("object %d allocated but not written", n+1)
		}
	}
	// The file identifier is derived from the content, so the same
	// document gives the same bytes and a different one a different ID.
	sum := sha256.Sum256(w.buf.Bytes())
	id := hex.EncodeToString(sum[:16])
	if w.packed {
		w.writeXrefStream(root, info, id)
		return w.buf.Bytes(), nil
	}
	xref := w.buf.Len()
	fmt.Fprintf(&w.buf, "xref\n0 %d\n0000000000 65535 f \n", len(w.entries))
	var entry [20]byte
	copy(entry[10:], " 00000 n \n")
	for _, e := range w.entries[1:] {
		s := strconv.Itoa(e.offset)
		for i := range 10 {
			entry[i] = '0'
		}
		copy(entry[10-len(s):10], s)
		w.buf.Write(entry[:])
	}
	fmt.Fprintf(&w.buf, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n", len(w.entries), root, info, id, id, xref)
	return w.buf.Bytes(), nil
}

// writeObjectStream writes the packed objects as one object stream: a
// header of "number offset" pairs, then the objects.
func (w *fileWriter) writeObjectStream() {
	n := w.alloc()
	var head []byte
	for i, num := range w.packedNums {
		if i > 0 {
			head = append(head, ' ')
		}
		head = strconv.AppendInt(head, int64(num), 10)
		head = append(head, ' ')
		head = strconv.AppendInt(head, int64(w.packedOffs[i]), 10)
	}
	head = append(head, '\n')
	w.tmp.Reset()
	deflateParts(w.tmp, head, w.packedBody.Bytes())
	w.rawStream(n, "/Type /ObjStm /N "+strconv.Itoa(len(w.packedNums))+" /First "+strconv.Itoa(len(head))+" /Filter /FlateDecode", w.tmp.Bytes())
}

// writeXrefStream ends a packed file with its cross-reference stream,
// which is the trailer too. Entries are a type byte, then the offset (type
// 1) or the object stream's number (type 2) and the index in it, each in
// as few bytes as the largest value needs.
func (w *fileWriter) writeXrefStream(root, info int, id string) {
	n := w.alloc()
	at := w.buf.Len()
	w.entries[n] = xrefEntry{offset: at, written: true}
	stm := 0 // the object stream's number: the object before this one
	if len(w.packedNums) > 0 {
		stm = n - 1
	}
	maxField2, maxIndex := max(at, stm), 0
	for _, e := range w.entries {
		if e.inStream {
			maxIndex = max(maxIndex, e.offset)
		}
	}
	w2, w3 := byteWidth(maxField2), byteWidth(maxIndex)
	rows := make([]byte, 0, len(w.entries)*(1+w2+w3))
	put := func(v, width int) {
		for i := width - 1; i >= 0; i-- {
			rows = append(rows, byte(v>>(8*i)))
		}
	}
	for i, e := range w.entries {
		switch {
		case i == 0: // the head of the free list
			rows = append(rows, 0)
			put(0, w2)
			put(0, w3)
		case e.inStream:
			rows = append(rows, 2)
			put(stm, w2)
			put(e.offset, w3)
		default:
			rows = append(rows, 1)
			put(e.offset, w2)
			put(0, w3)
		}
	}
	w.tmp.Reset()
	deflate(w.tmp, rows)
	w.rawStream(n, fmt.Sprintf("/Type /XRef /Size %d /W [1 %d %d] /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] /Filter /FlateDecode", len(w.entries), w2, w3, root, info, id, id), w.tmp.Bytes())
	fmt.Fprintf(&w.buf, "startxref\n%d\n%%%%EOF\n", at)
}

// byteWidth is the number of bytes v needs (at least one).
func byteWidth(v int) int {
	n := 1
	for v > 0xFF {
		v >>= 8
		n++
	}
	return n
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
