package pdf

import (
	"bytes"
	"compress/zlib"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// Archived is what an archival PDF says about itself: the PDF/A part it
// claims, the source data it carries and the provenance it records.
type Archived struct {
	Standard   Standard    // from the XMP pdfaid entries; StandardNone without them
	Source     *Attachment // the associated file with AFRelationship /Source; nil if none
	Provenance []Property  // the gongwen provenance properties of the XMP packet, in file order
	Created    time.Time   // xmp:CreateDate (else the Info CreationDate); zero if neither parses
}

// ErrNotPDF is returned by ReadArchived for input that is not a readable
// PDF (cross-reference tables or streams, Flate-compressed or plain).
var ErrNotPDF = errors.New("pdf: not a readable PDF")

// Limits that keep ReadArchived's work bounded on hostile input.
const (
	maxInflate     = 64 << 20 // bytes an attachment or metadata stream may inflate to
	maxNesting     = 64       // arrays and dictionaries inside each other
	maxXrefObjects = 1 << 22
	maxXrefChain   = 16 // /Prev links followed
)

var recoverReadPanics = true

// ReadArchived reads back the archival facts of a PDF written by gongwen
// (any version; `gongwen extract` and `gongwen verify` call it). It parses
// the cross-reference sections (tables and streams, with the object
// streams they point into), the catalog, the associated files and the XMP
// packet; it never panics, whatever the input, and it never runs as part
// of Render.
func ReadArchived(file []byte) (a *Archived, err error) {
	defer func() {
		// Bounds are checked throughout; this is the last line of defence
		// for a server that hands uploaded files to it. (The fuzz target
		// turns it off so that it finds what it would hide.)
		if !recoverReadPanics {
			return
		}
		if p := recover(); p != nil {
			a, err = nil, fmt.Errorf("%w: %v", ErrNotPDF, p)
		}
	}()
	r, err := openFile(file)
	if err != nil {
		return nil, err
	}
	root, err := r.dictAt(r.trailer["Root"])
	if err != nil {
		return nil, fmt.Errorf("%w: catalog: %w", ErrNotPDF, err)
	}
	a = &Archived{Standard: StandardNone}
	if md, ok := root["Metadata"]; ok {
		s, err := r.streamAt(md)
		if err != nil {
			return nil, fmt.Errorf("%w: metadata: %w", ErrNotPDF, err)
		}
		data, err := s.decoded()
		if err != nil {
			return nil, fmt.Errorf("%w: metadata: %w", ErrNotPDF, err)
		}
		readXMP(data, a)
	}
	if a.Created.IsZero() {
		if info, err := r.dictAt(r.trailer["Info"]); err == nil {
			if s, ok := info["CreationDate"].(pdfString); ok {
				a.Created, _ = parsePDFDate(string(s))
			}
		}
	}
	if a.Source, err = r.sourceFile(root); err != nil {
		return nil, fmt.Errorf("%w: embedded file: %w", ErrNotPDF, err)
	}
	return a, nil
}

// sourceFile finds the associated file with relationship Source.
func (r *fileReader) sourceFile(root pdfDict) (*Attachment, error) {
	afv, err := r.resolve(root["AF"])
	if err != nil {
		return nil, err
	}
	af, _ := afv.([]any)
	for _, item := range af {
		spec, err := r.dictAt(item)
		if err != nil {
			return nil, err
		}
		if rel, _ := spec["AFRelationship"].(pdfName); rel != "Source" {
			continue
		}
		ef, err := r.dictAt(spec["EF"])
		if err != nil {
			return nil, err
		}
		ref, ok := ef["UF"]
		if !ok {
			ref = ef["F"]
		}
		s, err := r.streamAt(ref)
		if err != nil {
			return nil, err
		}
		data, err := s.decoded()
		if err != nil {
			return nil, err
		}
		att := &Attachment{Data: data}
		if mime, ok := s.dict["Subtype"].(pdfName); ok {
			att.MIME = string(mime)
		}
		for _, k := range []pdfName{"UF", "F"} {
			if v, err := r.resolve(spec[k]); err == nil {
				if s, ok := v.(pdfString); ok {
					att.Name = decodeTextString(s)
					break
				}
			}
		}
		if v, err := r.resolve(spec["Desc"]); err == nil {
			if s, ok := v.(pdfString); ok {
				att.Description = decodeTextString(s)
			}
		}
		return att, nil
	}
	return nil, nil
}

// readXMP fills the standard, creation date and provenance from an XMP
// packet. Unknown or malformed content is ignored: the packet is metadata,
// not structure.
func readXMP(packet []byte, a *Archived) {
	d := xml.NewDecoder(bytes.NewReader(packet))
	d.Strict = false
	var part, conformance string
	var path []xml.Name
	var text strings.Builder
	property := func(n xml.Name, v string) {
		switch {
		case n.Space == nsPDFAID && n.Local == "part":
			part = strings.TrimSpace(v)
		case n.Space == nsPDFAID && n.Local == "conformance":
			conformance = strings.TrimSpace(v)
		case n.Space == nsXMP && n.Local == "CreateDate":
			if tm, err := time.Parse(time.RFC3339, strings.TrimSpace(v)); err == nil {
				a.Created = tm
			}
		case n.Space == nsProvenance:
			a.Provenance = append(a.Provenance, Property{Name: n.Local, Value: v})
		}
	}
	for depth := 0; ; {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > maxNesting {
				return
			}
			path = append(path, t.Name)
			text.Reset()
			// Simple properties as attributes of rdf:Description (how
			// gongwen writes them since 2026-12, and other writers too).
			if t.Name.Space == nsRDF && t.Name.Local == "Description" {
				for _, at := range t.Attr {
					property(at.Name, at.Value)
				}
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			depth--
			if len(path) == 0 {
				return
			}
			n := path[len(path)-1]
			path = path[:len(path)-1]
			property(n, text.String()) // the element form
			text.Reset()
		}
	}
	if part != "" {
		a.Standard = Standard("a-" + part + strings.ToLower(conformance))
	}
}

// parsePDFDate reads D:YYYYMMDDHHmmSS with an optional offset (Z, +HH'mm').
func parsePDFDate(s string) (time.Time, error) {
	s = strings.TrimPrefix(s, "D:")
	if len(s) < 14 {
		return time.Time{}, errors.New("short date")
	}
	t, err := time.Parse("20060102150405", s[:14])
	if err != nil {
		return time.Time{}, err
	}
	rest := strings.ReplaceAll(s[14:], "'", "")
	if len(rest) == 5 && (rest[0] == '+' || rest[0] == '-') {
		h, err1 := strconv.Atoi(rest[1:3])
		m, err2 := strconv.Atoi(rest[3:5])
		if err1 == nil && err2 == nil {
			off := (h*60 + m) * 60
			if rest[0] == '-' {
				off = -off
			}
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.FixedZone("", off)).In(time.FixedZone("", off))
		}
	}
	return t, nil
}

// decodeTextString decodes a PDF text string: UTF-16BE with a byte-order mark,
// UTF-8 with one (PDF 2.0), else bytes taken as Latin-1 (close enough to
// PDFDocEncoding for the names we write).
func decodeTextString(s pdfString) string {
	b := []byte(s)
	switch {
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		return string(b[3:])
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// The object model of the reader.
type (
	pdfName   string
	pdfString string
	pdfDict   map[pdfName]any
	pdfRef    struct{ num, gen int }
	pdfStream struct {
		dict pdfDict
		data []byte // raw (still filtered) bytes
	}
)

// decoded returns the stream's data with its filter (none or FlateDecode)
// undone, bounded by maxInflate.
func (s *pdfStream) decoded() ([]byte, error) {
	flate := false
	switch f := s.dict["Filter"].(type) {
	case nil:
		return s.data, nil
	case pdfName:
		flate = f == "FlateDecode"
	case []any:
		if len(f) == 0 {
			return s.data, nil
		}
		n, ok := f[0].(pdfName)
		flate = ok && n == "FlateDecode" && len(f) == 1
	}
	if !flate {
		return nil, fmt.Errorf("unsupported filter %v", s.dict["Filter"])
	}
	data, err := inflate(s.data)
	if err != nil {
		return nil, err
	}
	parms, _ := s.dict["DecodeParms"].(pdfDict)
	if a, ok := s.dict["DecodeParms"].([]any); ok && len(a) == 1 {
		parms, _ = a[0].(pdfDict)
	}
	return unpredict(data, parms)
}

// unpredict undoes the PNG predictors other writers (qpdf, Acrobat) use on
// cross-reference and object streams: rows of /Columns bytes, each after a
// byte naming its PNG filter. gongwen writes no predictor.
func unpredict(data []byte, parms pdfDict) ([]byte, error) {
	pred, _ := parms["Predictor"].(int64)
	if pred <= 1 {
		return data, nil
	}
	cols, colors, bpc := int64(1), int64(1), int64(8)
	if v, ok := parms["Columns"].(int64); ok {
		cols = v
	}
	if v, ok := parms["Colors"].(int64); ok {
		colors = v
	}
	if v, ok := parms["BitsPerComponent"].(int64); ok {
		bpc = v
	}
	if pred < 10 || cols < 1 || colors < 1 || bpc < 1 || cols*colors*bpc > 8<<20 {
		return nil, fmt.Errorf("unsupported predictor %d", pred)
	}
	bpp := int(max(1, colors*bpc/8))
	row := int((cols*colors*bpc + 7) / 8)
	out := make([]byte, 0, len(data))
	prev := make([]byte, row)
	for len(data) > row {
		kind, cur := data[0], bytes.Clone(data[1:1+row])
		data = data[1+row:]
		for i := range cur {
			var left, upLeft byte
			if i >= bpp {
				left, upLeft = cur[i-bpp], prev[i-bpp]
			}
			up := prev[i]
			switch kind {
			case 0:
			case 1:
				cur[i] += left
			case 2:
				cur[i] += up
			case 3:
				cur[i] += byte((int(left) + int(up)) / 2)
			case 4:
				cur[i] += paeth(left, up, upLeft)
			default:
				return nil, fmt.Errorf("bad PNG predictor row type %d", kind)
			}
		}
		out = append(out, cur...)
		prev = cur
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func inflate(data []byte) ([]byte, error) {
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(io.LimitReader(zr, maxInflate+1))
	if err != nil {
		return nil, err
	}
	if len(out) > maxInflate {
		return nil, fmt.Errorf("stream inflates to more than %d bytes", maxInflate)
	}
	return out, nil
}

// fileReader resolves objects through classic cross-reference tables and
// cross-reference streams, and objects inside object streams.
type fileReader struct {
	b       []byte
	offsets map[int]int // object number → byte offset; -1 free
	packed  map[int]packedRef
	trailer pdfDict
	streams map[int]*objectStream // decoded object streams, by number
	opening map[int]bool          // object streams being decoded (a cycle guard)
}

// packedRef is where an object inside an object stream is.
type packedRef struct{ stream, index int }

// objectStream is a decoded object stream: its objects' offsets in data.
type objectStream struct {
	data    []byte
	nums    []int
	offsets []int
}

func openFile(b []byte) (*fileReader, error) {
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		return nil, fmt.Errorf("%w: no %%PDF- header", ErrNotPDF)
	}
	sx := bytes.LastIndex(b, []byte("startxref"))
	if sx < 0 {
		return nil, fmt.Errorf("%w: no startxref", ErrNotPDF)
	}
	p := &parser{b: b, pos: sx + len("startxref")}
	v, err := p.value(0)
	at, ok := v.(int64)
	if err != nil || !ok || at < 0 || at >= int64(len(b)) {
		return nil, fmt.Errorf("%w: bad startxref", ErrNotPDF)
	}
	r := &fileReader{b: b, offsets: map[int]int{}, packed: map[int]packedRef{}, streams: map[int]*objectStream{}, opening: map[int]bool{}}
	for range maxXrefChain {
		trailer, err := r.readXref(int(at))
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrNotPDF, err)
		}
		if r.trailer == nil {
			r.trailer = trailer
		}
		prev, ok := trailer["Prev"].(int64)
		if !ok || prev < 0 || prev >= int64(len(b)) || prev == at {
			break
		}
		at = prev
	}
	return r, nil
}

// known reports whether a later section already said where num is.
func (r *fileReader) known(num int) bool {
	_, inTable := r.offsets[num]
	_, inStream := r.packed[num]
	return inTable || inStream
}

// readXref reads one cross-reference section at off, a table or a stream;
// entries already known (from a later section) win.
func (r *fileReader) readXref(off int) (pdfDict, error) {
	p := &parser{b: r.b, pos: off}
	p.skipSpace()
	if !p.keyword("xref") {
		return r.readXrefStream(off)
	}
	for {
		p.skipSpace()
		if p.keyword("trailer") {
			v, err := p.value(0)
			if err != nil {
				return nil, fmt.Errorf("trailer: %w", err)
			}
			d, ok := v.(pdfDict)
			if !ok {
				return nil, errors.New("trailer is not a dictionary")
			}
			return d, nil
		}
		first, err1 := p.value(0)
		count, err2 := p.value(0)
		f, ok1 := first.(int64)
		c, ok2 := count.(int64)
		if err1 != nil || err2 != nil || !ok1 || !ok2 || f < 0 || c < 0 || f+c > maxXrefObjects {
			return nil, errors.New("bad xref subsection")
		}
		for i := range int(c) {
			p.skipSpace()
			if p.pos+18 > len(r.b) {
				return nil, errors.New("xref table cut short")
			}
			entry := r.b[p.pos : p.pos+18]
			p.pos += 18
			at, err := strconv.Atoi(string(entry[:10]))
			if err != nil {
				return nil, errors.New("bad xref entry")
			}
			num := int(f) + i
			if known := r.known(num); !known && entry[17] == 'n' {
				r.offsets[num] = at
			} else if !known {
				r.offsets[num] = -1 // free: a later, older section must not revive it
			}
		}
	}
}

// readXrefStream reads a cross-reference stream (PDF 1.5) at off: its
// dictionary is the trailer, its rows say where each object is — at an
// offset (type 1) or inside an object stream (type 2).
func (r *fileReader) readXrefStream(off int) (pdfDict, error) {
	v, err := r.parseAt(off, -1, true)
	if err != nil {
		return nil, fmt.Errorf("no xref table or stream: %w", err)
	}
	s, ok := v.(*pdfStream)
	if !ok || s.dict["Type"] != pdfName("XRef") {
		return nil, errors.New("no xref table or stream")
	}
	data, err := s.decoded()
	if err != nil {
		return nil, fmt.Errorf("xref stream: %w", err)
	}
	var w [3]int
	wa, _ := s.dict["W"].([]any)
	if len(wa) != 3 {
		return nil, errors.New("xref stream: bad /W")
	}
	row := 0
	for i, x := range wa {
		n, ok := x.(int64)
		if !ok || n < 0 || n > 8 {
			return nil, errors.New("xref stream: bad /W")
		}
		w[i] = int(n)
		row += int(n)
	}
	size, ok := s.dict["Size"].(int64)
	if !ok || size < 0 || size > maxXrefObjects {
		return nil, errors.New("xref stream: bad /Size")
	}
	index := []any{int64(0), size}
	if ia, ok := s.dict["Index"].([]any); ok {
		index = ia
	}
	if row == 0 || len(index)%2 != 0 {
		return nil, errors.New("xref stream: bad /W or /Index")
	}
	field := func(b []byte) int {
		v := 0
		for _, c := range b {
			v = v<<8 | int(c)
		}
		return v
	}
	pos := 0
	for k := 0; k < len(index); k += 2 {
		first, ok1 := index[k].(int64)
		count, ok2 := index[k+1].(int64)
		if !ok1 || !ok2 || first < 0 || count < 0 || first+count > maxXrefObjects {
			return nil, errors.New("xref stream: bad /Index")
		}
		for i := range int(count) {
			if pos+row > len(data) {
				return nil, errors.New("xref stream cut short")
			}
			e := data[pos : pos+row]
			pos += row
			typ := 1 // the default when the first field is absent
			if w[0] > 0 {
				typ = field(e[:w[0]])
			}
			f2, f3 := field(e[w[0]:w[0]+w[1]]), field(e[w[0]+w[1]:])
			num := int(first) + i
			if r.known(num) {
				continue
			}
			switch typ {
			case 1:
				r.offsets[num] = f2
			case 2:
				r.packed[num] = packedRef{stream: f2, index: f3}
			default:
				r.offsets[num] = -1
			}
		}
	}
	return s.dict, nil
}

// object parses indirect object num, with its stream data if it has one.
func (r *fileReader) object(num int) (any, error) { return r.parseObject(num, true) }

// parseObject parses object num; a stream's length is read with streams
// off, so that two streams whose lengths name each other cannot recurse.
func (r *fileReader) parseObject(num int, streams bool) (any, error) {
	if at, ok := r.packed[num]; ok {
		return r.packedObject(num, at)
	}
	off, ok := r.offsets[num]
	if !ok || off < 0 || off >= len(r.b) {
		return nil, fmt.Errorf("object %d not in the xref table", num)
	}
	return r.parseAt(off, num, streams)
}

// packedObject parses object num, the index-th of an object stream.
func (r *fileReader) packedObject(num int, at packedRef) (any, error) {
	os, err := r.objectStream(at.stream)
	if err != nil {
		return nil, fmt.Errorf("object %d: %w", num, err)
	}
	if at.index < 0 || at.index >= len(os.nums) || os.nums[at.index] != num {
		return nil, fmt.Errorf("object %d: not at its index in object stream %d", num, at.stream)
	}
	end := len(os.data)
	if at.index+1 < len(os.offsets) {
		end = os.offsets[at.index+1]
	}
	p := &parser{b: os.data[:end], pos: os.offsets[at.index]}
	v, err := p.value(0)
	if err != nil {
		return nil, fmt.Errorf("object %d: %w", num, err)
	}
	return v, nil
}

// objectStream decodes object stream num (once) and reads its header of
// object numbers and offsets.
func (r *fileReader) objectStream(num int) (*objectStream, error) {
	if os, ok := r.streams[num]; ok {
		return os, nil
	}
	if _, packed := r.packed[num]; packed {
		return nil, fmt.Errorf("object stream %d is inside an object stream", num)
	}
	if r.opening[num] {
		return nil, fmt.Errorf("object stream %d needs itself to be read", num)
	}
	r.opening[num] = true
	defer delete(r.opening, num)
	off, ok := r.offsets[num]
	if !ok || off < 0 || off >= len(r.b) {
		return nil, fmt.Errorf("object stream %d not in the xref table", num)
	}
	v, err := r.parseAt(off, num, true)
	if err != nil {
		return nil, err
	}
	s, ok := v.(*pdfStream)
	if !ok || s.dict["Type"] != pdfName("ObjStm") {
		return nil, fmt.Errorf("object %d is not an object stream", num)
	}
	n, ok1 := s.dict["N"].(int64)
	first, ok2 := s.dict["First"].(int64)
	if !ok1 || !ok2 || n < 0 || n > maxXrefObjects || first < 0 {
		return nil, fmt.Errorf("object stream %d: bad /N or /First", num)
	}
	data, err := s.decoded()
	if err != nil {
		return nil, fmt.Errorf("object stream %d: %w", num, err)
	}
	if first > int64(len(data)) {
		return nil, fmt.Errorf("object stream %d: /First beyond its data", num)
	}
	nums, offsets, err := splitObjectStream(data, int(n), int(first))
	if err != nil {
		return nil, fmt.Errorf("object stream %d: %w", num, err)
	}
	os := &objectStream{data: data, nums: nums, offsets: offsets}
	r.streams[num] = os
	return os, nil
}

// splitObjectStream reads the header of a decoded object stream of n
// objects whose first starts at first: each object's number and where it
// starts in data (ascending).
func splitObjectStream(data []byte, n, first int) (nums, offsets []int, err error) {
	if n < 0 || first < 0 || first > len(data) {
		return nil, nil, errors.New("bad /N or /First")
	}
	p := &parser{b: data[:first]}
	for range n {
		a, err1 := p.value(0)
		b, err2 := p.value(0)
		objNum, ok1 := a.(int64)
		rel, ok2 := b.(int64)
		if err1 != nil || err2 != nil || !ok1 || !ok2 || rel < 0 || int64(first)+rel > int64(len(data)) ||
			len(offsets) > 0 && first+int(rel) < offsets[len(offsets)-1] {
			return nil, nil, errors.New("bad header")
		}
		nums = append(nums, int(objNum))
		offsets = append(offsets, first+int(rel))
	}
	return nums, offsets, nil
}

// ObjectStreamObjects returns the objects of a decoded object stream (the
// data of a /Type /ObjStm stream after its filter) of n objects starting
// at first, by object number, each body with the white space around it
// trimmed. For tools that look into files (archive's diff, cmd/bench).
func ObjectStreamObjects(data []byte, n, first int) (map[int][]byte, error) {
	nums, offsets, err := splitObjectStream(data, n, first)
	if err != nil {
		return nil, err
	}
	out := make(map[int][]byte, len(nums))
	for i, num := range nums {
		end := len(data)
		if i+1 < len(offsets) {
			end = offsets[i+1]
		}
		out[num] = bytes.TrimSpace(data[offsets[i]:end])
	}
	return out, nil
}

// parseAt parses the indirect object at off, which must be num (any
// number for num < 0).
func (r *fileReader) parseAt(off, num int, streams bool) (any, error) {
	if off < 0 || off >= len(r.b) {
		return nil, fmt.Errorf("object %d: offset out of the file", num)
	}
	p := &parser{b: r.b, pos: off}
	n, err1 := p.value(0)
	_, err2 := p.value(0)
	if v, ok := n.(int64); err1 != nil || err2 != nil || !ok || (num >= 0 && int(v) != num) {
		return nil, fmt.Errorf("object %d: xref offset does not point at it", num)
	}
	p.skipSpace()
	if !p.keyword("obj") {
		return nil, fmt.Errorf("object %d: no obj keyword", num)
	}
	v, err := p.value(0)
	if err != nil {
		return nil, fmt.Errorf("object %d: %w", num, err)
	}
	d, isDict := v.(pdfDict)
	p.skipSpace()
	if !isDict || !p.keyword("stream") {
		return v, nil
	}
	if !streams {
		return nil, fmt.Errorf("object %d: a stream where a number belongs", num)
	}
	// The stream keyword is followed by CRLF or LF.
	if p.pos < len(r.b) && r.b[p.pos] == '\r' {
		p.pos++
	}
	if p.pos < len(r.b) && r.b[p.pos] == '\n' {
		p.pos++
	}
	lv := d["Length"]
	if ref, ok := lv.(pdfRef); ok {
		if lv, err = r.parseObject(ref.num, false); err != nil {
			return nil, err
		}
	}
	length, ok := lv.(int64)
	if !ok || length < 0 || length > int64(len(r.b)-p.pos) {
		return nil, fmt.Errorf("object %d: bad stream length", num)
	}
	return &pdfStream{dict: d, data: r.b[p.pos : p.pos+int(length)]}, nil
}

// resolve follows references (a chain of at most a few).
func (r *fileReader) resolve(v any) (any, error) {
	for range 8 {
		ref, ok := v.(pdfRef)
		if !ok {
			return v, nil
		}
		var err error
		if v, err = r.object(ref.num); err != nil {
			return nil, err
		}
	}
	return nil, errors.New("reference chain too long")
}

func (r *fileReader) dictAt(v any) (pdfDict, error) {
	v, err := r.resolve(v)
	if err != nil {
		return nil, err
	}
	switch d := v.(type) {
	case pdfDict:
		return d, nil
	case *pdfStream:
		return d.dict, nil
	}
	return nil, fmt.Errorf("%T is not a dictionary", v)
}

func (r *fileReader) streamAt(v any) (*pdfStream, error) {
	v, err := r.resolve(v)
	if err != nil {
		return nil, err
	}
	s, ok := v.(*pdfStream)
	if !ok {
		return nil, fmt.Errorf("%T is not a stream", v)
	}
	return s, nil
}

// parser reads PDF objects from a byte slice.
type parser struct {
	b   []byte
	pos int
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelimiter(c byte) bool {
	return strings.IndexByte("()<>[]{}/%", c) >= 0
}

func (p *parser) skipSpace() {
	for p.pos < len(p.b) {
		c := p.b[p.pos]
		switch {
		case isPDFSpace(c):
			p.pos++
		case c == '%':
			for p.pos < len(p.b) && p.b[p.pos] != '\n' && p.b[p.pos] != '\r' {
				p.pos++
			}
		default:
			return
		}
	}
}

// keyword consumes kw if it is next and ends there.
func (p *parser) keyword(kw string) bool {
	end := p.pos + len(kw)
	if end > len(p.b) || string(p.b[p.pos:end]) != kw {
		return false
	}
	if end < len(p.b) && !isPDFSpace(p.b[end]) && !isDelimiter(p.b[end]) {
		return false
	}
	p.pos = end
	return true
}

var errSyntax = errors.New("syntax error")

// value parses one object: a reference "n g R" is recognised after an
// integer.
func (p *parser) value(depth int) (any, error) {
	if depth > maxNesting {
		return nil, errors.New("objects nested too deeply")
	}
	p.skipSpace()
	if p.pos >= len(p.b) {
		return nil, io.ErrUnexpectedEOF
	}
	switch c := p.b[p.pos]; {
	case c == '/':
		p.pos++
		return pdfName(p.nameToken()), nil
	case c == '(':
		return p.literalString()
	case c == '<' && p.pos+1 < len(p.b) && p.b[p.pos+1] == '<':
		p.pos += 2
		d := pdfDict{}
		for {
			p.skipSpace()
			if p.pos+1 < len(p.b) && p.b[p.pos] == '>' && p.b[p.pos+1] == '>' {
				p.pos += 2
				return d, nil
			}
			if p.pos >= len(p.b) || p.b[p.pos] != '/' {
				return nil, errSyntax
			}
			p.pos++
			k := pdfName(p.nameToken())
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			d[k] = v
		}
	case c == '<':
		return p.hexString()
	case c == '[':
		p.pos++
		var a []any
		for {
			p.skipSpace()
			if p.pos < len(p.b) && p.b[p.pos] == ']' {
				p.pos++
				return a, nil
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	case c == '+' || c == '-' || c == '.' || c >= '0' && c <= '9':
		return p.number()
	default:
		start := p.pos
		for p.pos < len(p.b) && !isPDFSpace(p.b[p.pos]) && !isDelimiter(p.b[p.pos]) {
			p.pos++
		}
		switch string(p.b[start:p.pos]) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null":
			return nil, nil
		}
		return nil, fmt.Errorf("%w at byte %d", errSyntax, start)
	}
}

func (p *parser) nameToken() string {
	var b []byte
	for p.pos < len(p.b) && !isPDFSpace(p.b[p.pos]) && !isDelimiter(p.b[p.pos]) {
		c := p.b[p.pos]
		if c == '#' && p.pos+2 < len(p.b) {
			if v, err := strconv.ParseUint(string(p.b[p.pos+1:p.pos+3]), 16, 8); err == nil {
				b = append(b, byte(v))
				p.pos += 3
				continue
			}
		}
		b = append(b, c)
		p.pos++
	}
	return string(b)
}

func (p *parser) number() (any, error) {
	start := p.pos
	for p.pos < len(p.b) && (p.b[p.pos] == '+' || p.b[p.pos] == '-' || p.b[p.pos] == '.' || p.b[p.pos] >= '0' && p.b[p.pos] <= '9') {
		p.pos++
	}
	tok := string(p.b[start:p.pos])
	n, err := strconv.ParseInt(tok, 10, 64)
	if err != nil {
		f, err := strconv.ParseFloat(tok, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: number %q", errSyntax, tok)
		}
		return f, nil
	}
	// "n g R" is a reference.
	save := p.pos
	p.skipSpace()
	gs := p.pos
	for p.pos < len(p.b) && p.b[p.pos] >= '0' && p.b[p.pos] <= '9' {
		p.pos++
	}
	if p.pos > gs && p.pos-gs < 6 {
		g, _ := strconv.Atoi(string(p.b[gs:p.pos]))
		p.skipSpace()
		if p.keyword("R") && n >= 0 && n < maxXrefObjects {
			return pdfRef{int(n), g}, nil
		}
	}
	p.pos = save
	return n, nil
}

func (p *parser) literalString() (any, error) {
	p.pos++ // (
	var b []byte
	depth := 1
	for p.pos < len(p.b) {
		c := p.b[p.pos]
		p.pos++
		switch c {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return pdfString(b), nil
			}
		case '\\':
			if p.pos >= len(p.b) {
				return nil, io.ErrUnexpectedEOF
			}
			e := p.b[p.pos]
			p.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if p.pos < len(p.b) && p.b[p.pos] == '\n' {
					p.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && p.pos < len(p.b) && p.b[p.pos] >= '0' && p.b[p.pos] <= '7'; k++ {
						v = v*8 + int(p.b[p.pos]-'0')
						p.pos++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		b = append(b, c)
	}
	return nil, io.ErrUnexpectedEOF
}

func (p *parser) hexString() (any, error) {
	p.pos++ // <
	var b []byte
	hi, half := byte(0), false
	for p.pos < len(p.b) {
		c := p.b[p.pos]
		p.pos++
		var v byte
		switch {
		case c == '>':
			if half {
				b = append(b, hi<<4)
			}
			return pdfString(b), nil
		case isPDFSpace(c):
			continue
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return nil, fmt.Errorf("%w: hex string", errSyntax)
		}
		if half {
			b = append(b, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	return nil, io.ErrUnexpectedEOF
}
