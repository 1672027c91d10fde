package archive

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"gongwen/render/pdf"
)

// diffPDF explains where two PDFs differ, object by object: the page
// count, each page's drawing (its text runs apart from positions), fonts,
// metadata, the embedded report, other structure, and the first differing
// byte. It reads only what gongwen writes (objects at top level and, since
// PDF/A-2 files have them, in object streams, compared one by one
// decompressed); on anything else it still reports the first differing
// byte.
func diffPDF(want, got []byte) []string {
	var out []string
	a, b := scanPDF(want), scanPDF(got)
	if na, nb := len(a.pages), len(b.pages); na != nb {
		out = append(out, fmt.Sprintf("page count: the file has %d pages, the fresh render %d", na, nb))
	}
	for i := range min(len(a.pages), len(b.pages)) {
		if d := diffPage(a, b, a.pages[i], b.pages[i]); d != "" {
			out = append(out, fmt.Sprintf("page %d: %s", i+1, d))
		}
	}
	var fontObjs, metaObjs, attachObjs, otherObjs []int
	for _, n := range a.numbers() {
		oa, ob := a.objs[n], b.objs[n]
		if ob != nil && bytes.Equal(oa.raw, ob.raw) {
			continue
		}
		switch typeOf(oa) {
		case "ObjStm", "XRef":
			continue // containers: their objects are compared one by one
		}
		switch {
		case a.contents[n] || (ob != nil && b.contents[n]) || a.isPage(n):
			// reported per page above
		case a.kind[n] == kindFont:
			fontObjs = append(fontObjs, n)
		case a.kind[n] == kindMetadata:
			metaObjs = append(metaObjs, n)
		case a.kind[n] == kindAttachment:
			attachObjs = append(attachObjs, n)
		default:
			otherObjs = append(otherObjs, n)
		}
	}
	if len(fontObjs) > 0 {
		out = append(out, "fonts differ ("+a.describe(fontObjs)+")")
	}
	if len(metaObjs) > 0 {
		out = append(out, "metadata differs ("+a.describe(metaObjs)+")")
	}
	if len(attachObjs) > 0 {
		out = append(out, "the embedded report differs ("+a.describe(attachObjs)+")")
	}
	if len(otherObjs) > 0 {
		out = append(out, "document structure differs ("+a.describe(otherObjs)+")")
	}
	if extra := len(b.objs) - len(a.objs); extra != 0 {
		out = append(out, fmt.Sprintf("object count: the file has %d objects, the fresh render %d", len(a.objs), len(b.objs)))
	}
	off := firstDiff(want, got)
	where := ""
	if n, ok := a.objectAt(off); ok {
		where = fmt.Sprintf(", in object %d (%s)", n, a.label(n))
	}
	out = append(out, fmt.Sprintf("first differing byte: offset %d of %d%s", off, len(want), where))
	return out
}

func firstDiff(a, b []byte) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

type objKind int

const (
	kindOther objKind = iota
	kindFont
	kindMetadata
	kindAttachment
)

type pdfObj struct {
	num        int
	start, end int    // byte range in the file; -1 inside an object stream
	raw        []byte // the whole object (decompressed inside an object stream)
	dict       []byte // before "stream", or the whole body
	stream     []byte // raw stream bytes; nil without a stream
}

type scannedPDF struct {
	objs     map[int]*pdfObj
	pages    []int        // page object numbers in page order
	contents map[int]bool // content streams of pages
	pageOf   map[int]int  // page object → its content stream
	kind     map[int]objKind
}

var (
	reObj      = regexp.MustCompile(`(?m)(?:^|[\r\n])(\d+) (\d+) obj\b`)
	reRef      = regexp.MustCompile(`(\d+) 0 R`)
	reLength   = regexp.MustCompile(`/Length (\d+)(?:[\s/>])`)
	reType     = regexp.MustCompile(`/Type\s*/([A-Za-z]+)`)
	reContents = regexp.MustCompile(`/Contents\s+(\d+) 0 R`)
	reKids     = regexp.MustCompile(`/Kids\s*\[([^\]]*)\]`)
	reInfo     = regexp.MustCompile(`/Info\s+(\d+) 0 R`)
)

// scanPDF finds the top-level objects of b and what each is.
func scanPDF(b []byte) *scannedPDF {
	s := &scannedPDF{objs: map[int]*pdfObj{}, contents: map[int]bool{}, pageOf: map[int]int{}, kind: map[int]objKind{}}
	pos := 0
	for pos < len(b) {
		loc := reObj.FindSubmatchIndex(b[pos:])
		if loc == nil {
			break
		}
		num, _ := strconv.Atoi(string(b[pos+loc[2] : pos+loc[3]]))
		start := pos + loc[2]
		body := pos + loc[1]
		o := &pdfObj{num: num, start: start}
		end := bytes.Index(b[body:], []byte("endobj"))
		si := bytes.Index(b[body:], []byte("stream"))
		if si >= 0 && (end < 0 || si < end) {
			o.dict = b[body : body+si]
			data := body + si + len("stream")
			if data < len(b) && b[data] == '\r' {
				data++
			}
			if data < len(b) && b[data] == '\n' {
				data++
			}
			n := -1
			if m := reLength.FindSubmatch(o.dict); m != nil {
				n, _ = strconv.Atoi(string(m[1]))
			}
			if n < 0 || data+n > len(b) || !bytes.HasPrefix(bytes.TrimLeft(b[data+n:], "\r\n"), []byte("endstream")) {
				n = bytes.Index(b[data:], []byte("endstream"))
				if n < 0 {
					n = len(b) - data
				}
			}
			o.stream = b[data : data+n]
			end = bytes.Index(b[data+n:], []byte("endobj"))
			if end < 0 {
				o.end = len(b)
			} else {
				o.end = data + n + end + len("endobj")
			}
		} else {
			if end < 0 {
				end = len(b) - body
			}
			o.dict = b[body : body+end]
			o.end = min(len(b), body+end+len("endobj"))
		}
		o.raw = b[o.start:o.end]
		s.objs[num] = o
		pos = max(o.end, pos+loc[1])
	}
	for _, n := range s.numbers() {
		if typeOf(s.objs[n]) == "ObjStm" {
			s.unpack(s.objs[n])
		}
	}
	s.classify(b)
	return s
}

var (
	reN     = regexp.MustCompile(`/N (\d+)`)
	reFirst = regexp.MustCompile(`/First (\d+)`)
)

// unpack adds the objects of object stream o, each as its own object.
// What cannot be read is left out (the byte comparison still tells).
func (s *scannedPDF) unpack(o *pdfObj) {
	mn, mf := reN.FindSubmatch(o.dict), reFirst.FindSubmatch(o.dict)
	if mn == nil || mf == nil {
		return
	}
	n, _ := strconv.Atoi(string(mn[1]))
	first, _ := strconv.Atoi(string(mf[1]))
	data, err := inflate(o)
	if err != nil {
		return
	}
	objs, err := pdf.ObjectStreamObjects(data, n, first)
	if err != nil {
		return
	}
	for num, body := range objs {
		if _, top := s.objs[num]; !top {
			s.objs[num] = &pdfObj{num: num, start: -1, end: -1, raw: body, dict: body}
		}
	}
}

func (s *scannedPDF) numbers() []int {
	ns := make([]int, 0, len(s.objs))
	for n := range s.objs {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	return ns
}

func typeOf(o *pdfObj) string {
	if m := reType.FindSubmatch(o.dict); m != nil {
		return string(m[1])
	}
	return ""
}

func refs(b []byte) []int {
	var out []int
	for _, m := range reRef.FindAllSubmatch(b, -1) {
		n, _ := strconv.Atoi(string(m[1]))
		out = append(out, n)
	}
	return out
}

func (s *scannedPDF) classify(file []byte) {
	// Pages in the order of the page tree (gongwen's is flat); objects of
	// type Page in number order if no tree is found.
	for _, n := range s.numbers() {
		if typeOf(s.objs[n]) == "Pages" {
			if m := reKids.FindSubmatch(s.objs[n].dict); m != nil {
				for _, k := range refs(m[1]) {
					if o := s.objs[k]; o != nil && typeOf(o) == "Page" {
						s.pages = append(s.pages, k)
					}
				}
			}
		}
	}
	if len(s.pages) == 0 {
		for _, n := range s.numbers() {
			if typeOf(s.objs[n]) == "Page" {
				s.pages = append(s.pages, n)
			}
		}
	}
	for _, p := range s.pages {
		if m := reContents.FindSubmatch(s.objs[p].dict); m != nil {
			c, _ := strconv.Atoi(string(m[1]))
			s.contents[c], s.pageOf[p] = true, c
		}
	}
	mark := func(n int, k objKind, follow bool) {
		s.kind[n] = k
		if follow && s.objs[n] != nil {
			for _, r := range refs(s.objs[n].dict) {
				if _, seen := s.kind[r]; !seen && !s.contents[r] && !s.isPage(r) {
					s.kind[r] = k
				}
			}
		}
	}
	for _, n := range s.numbers() {
		switch typeOf(s.objs[n]) {
		case "Font", "FontDescriptor":
			mark(n, kindFont, true)
		case "Metadata", "OutputIntent":
			mark(n, kindMetadata, true)
		case "EmbeddedFile", "Filespec":
			mark(n, kindAttachment, true)
		}
	}
	// The Info dictionary is named by the trailer, or by the
	// cross-reference stream that stands for it.
	trailer := []byte(nil)
	if i := bytes.LastIndex(file, []byte("trailer")); i >= 0 {
		trailer = file[i:]
	}
	for _, n := range s.numbers() {
		if typeOf(s.objs[n]) == "XRef" {
			trailer = s.objs[n].dict
		}
	}
	if m := reInfo.FindSubmatch(trailer); m != nil {
		n, _ := strconv.Atoi(string(m[1]))
		s.kind[n] = kindMetadata
	}
}

func (s *scannedPDF) isPage(n int) bool { return slices.Contains(s.pages, n) }

func (s *scannedPDF) objectAt(off int) (int, bool) {
	for n, o := range s.objs {
		if off >= o.start && off < o.end {
			return n, true
		}
	}
	return 0, false
}

// label names what object n is, for people.
func (s *scannedPDF) label(n int) string {
	if s.contents[n] {
		for i, p := range s.pages {
			if s.pageOf[p] == n {
				return fmt.Sprintf("content of page %d", i+1)
			}
		}
	}
	if i := slices.Index(s.pages, n); i >= 0 {
		return fmt.Sprintf("page %d", i+1)
	}
	o := s.objs[n]
	t := typeOf(o)
	switch {
	case t == "ObjStm":
		t = "object stream: the document's dictionaries, compressed"
	case t == "XRef":
		t = "cross-reference stream"
	case t != "":
	case bytes.Contains(o.dict, []byte("/Length1")):
		t = "font program"
	case s.kind[n] == kindFont && o.stream != nil:
		t = "font data (ToUnicode, CIDSet or widths)"
	case bytes.Contains(o.dict, []byte("/CreationDate")) || bytes.Contains(o.dict, []byte("/Producer")):
		t = "Info"
	case bytes.Contains(o.dict, []byte("/N 3")) && o.stream != nil:
		t = "ICC profile"
	case o.stream != nil:
		t = "stream"
	default:
		t = "dictionary"
	}
	return t
}

func (s *scannedPDF) describe(ns []int) string {
	var parts []string
	for i, n := range ns {
		if i == 6 {
			parts = append(parts, fmt.Sprintf("and %d more", len(ns)-i))
			break
		}
		parts = append(parts, fmt.Sprintf("object %d: %s", n, s.label(n)))
	}
	return strings.Join(parts, "; ")
}

// diffPage compares one page's dictionary and drawing; "" when equal.
func diffPage(a, b *scannedPDF, pa, pb int) string {
	ca, cb := a.objs[a.pageOf[pa]], b.objs[b.pageOf[pb]]
	if ca == nil || cb == nil {
		if !bytes.Equal(a.objs[pa].dict, b.objs[pb].dict) {
			return "its page dictionary differs"
		}
		return ""
	}
	if bytes.Equal(ca.raw, cb.raw) {
		if !bytes.Equal(a.objs[pa].dict, b.objs[pb].dict) {
			return "its page dictionary (size, resources) differs"
		}
		return ""
	}
	da, errA := inflate(ca)
	db, errB := inflate(cb)
	if errA != nil {
		return fmt.Sprintf("its content stream is damaged (it cannot be decompressed: %v)", errA)
	}
	if errB != nil {
		return fmt.Sprintf("the fresh render's content stream cannot be decompressed: %v", errB)
	}
	if bytes.Equal(da, db) {
		return "its content stream is compressed differently (the drawing is the same)"
	}
	ta, tb := a.textRuns(pa, da), b.textRuns(pb, db)
	for i := range max(len(ta), len(tb)) {
		var x, y string
		if i < len(ta) {
			x = ta[i]
		}
		if i < len(tb) {
			y = tb[i]
		}
		if x != y {
			return fmt.Sprintf("text differs: line %d of %d reads %s in the file, %s in the fresh render", i+1, len(ta), quoteAround(x, y), quoteAround(y, x))
		}
	}
	off := firstDiff(da, db)
	return fmt.Sprintf("positions or drawing differ, the text is the same (first difference at byte %d of its drawing commands: %s in the file, %s in the fresh render)",
		off, quote(excerpt(da, off)), quote(excerpt(db, off)))
}

var (
	reShow      = regexp.MustCompile(`/([A-Za-z0-9]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj`)
	reResource  = regexp.MustCompile(`/Resources\s+(\d+) 0 R`)
	reFontDict  = regexp.MustCompile(`/Font\s*<<([^>]*)>>`)
	reFontRef   = regexp.MustCompile(`/([A-Za-z0-9]+)\s+(\d+) 0 R`)
	reToUni     = regexp.MustCompile(`/ToUnicode\s+(\d+) 0 R`)
	reBfSection = regexp.MustCompile(`(?s)beginbfchar(.*?)endbfchar`)
	reBfchar    = regexp.MustCompile(`<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]+)>`)
	reBfRanges  = regexp.MustCompile(`(?s)beginbfrange(.*?)endbfrange`)
	reBfrange   = regexp.MustCompile(`<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]{4})>\s*(?:<([0-9A-Fa-f]+)>|\[([^\]]*)\])`)
	reHex       = regexp.MustCompile(`<([0-9A-Fa-f]*)>`)
)

// textRuns are the texts a page's content stream shows, one per text
// object (a line or a table cell), read through each font's ToUnicode map;
// a glyph the map lacks is shown as its id, {003F}.
func (s *scannedPDF) textRuns(page int, content []byte) []string {
	fonts := s.pageFonts(page)
	var out []string
	var cmap map[string]string
	for _, m := range reShow.FindAllSubmatch(content, -1) {
		if m[1] != nil {
			cmap = fonts[string(m[1])]
			continue
		}
		var b strings.Builder
		hex := string(m[2])
		for i := 0; i+4 <= len(hex); i += 4 {
			g := strings.ToUpper(hex[i : i+4])
			if u, ok := cmap[g]; ok {
				b.WriteString(u)
			} else {
				b.WriteString("{" + g + "}")
			}
		}
		out = append(out, b.String())
	}
	return out
}

// pageFonts maps a page's font resource names to their ToUnicode maps.
func (s *scannedPDF) pageFonts(page int) map[string]map[string]string {
	out := map[string]map[string]string{}
	res := s.objs[page].dict
	if m := reResource.FindSubmatch(res); m != nil {
		n, _ := strconv.Atoi(string(m[1]))
		if o := s.objs[n]; o != nil {
			res = o.dict
		}
	}
	fd := reFontDict.FindSubmatch(res)
	if fd == nil {
		return out
	}
	for _, m := range reFontRef.FindAllSubmatch(fd[1], -1) {
		n, _ := strconv.Atoi(string(m[2]))
		f := s.objs[n]
		if f == nil {
			continue
		}
		tu := reToUni.FindSubmatch(f.dict)
		if tu == nil {
			continue
		}
		c, _ := strconv.Atoi(string(tu[1]))
		if s.objs[c] == nil {
			continue
		}
		data, err := inflate(s.objs[c])
		if err != nil {
			continue
		}
		out[string(m[1])] = parseBfchar(data)
	}
	return out
}

// parseBfchar reads a ToUnicode CMap as gongwen writes it — bfchar pairs
// before 2026-12, bfrange runs with an array of destinations since — into
// glyph id → text. A bfrange with one destination (other writers) counts
// up from it.
func parseBfchar(cmap []byte) map[string]string {
	out := map[string]string{}
	text := func(h []byte) []uint16 {
		var u []uint16
		for i := 0; i+4 <= len(h); i += 4 {
			v, _ := strconv.ParseUint(string(h[i:i+4]), 16, 16)
			u = append(u, uint16(v))
		}
		return u
	}
	for _, sec := range reBfSection.FindAllSubmatch(cmap, -1) {
		for _, m := range reBfchar.FindAllSubmatch(sec[1], -1) {
			out[strings.ToUpper(string(m[1]))] = string(utf16.Decode(text(m[2])))
		}
	}
	for _, sec := range reBfRanges.FindAllSubmatch(cmap, -1) {
		for _, m := range reBfrange.FindAllSubmatch(sec[1], -1) {
			lo, _ := strconv.ParseUint(string(m[1]), 16, 16)
			hi, _ := strconv.ParseUint(string(m[2]), 16, 16)
			if hi < lo || hi-lo > 255 {
				continue
			}
			var dsts [][]uint16
			if m[4] != nil {
				for _, d := range reHex.FindAllSubmatch(m[4], -1) {
					dsts = append(dsts, text(d[1]))
				}
			} else {
				base := text(m[3])
				for k := range hi - lo + 1 {
					d := slices.Clone(base)
					if len(d) > 0 {
						d[len(d)-1] += uint16(k)
					}
					dsts = append(dsts, d)
				}
			}
			for k := 0; k < len(dsts) && lo+uint64(k) <= hi; k++ {
				out[fmt.Sprintf("%04X", lo+uint64(k))] = string(utf16.Decode(dsts[k]))
			}
		}
	}
	return out
}

// quoteAround quotes s around where it first differs from other, so that
// a long line shows the change.
func quoteAround(s, other string) string {
	rs, ro := []rune(s), []rune(other)
	i := 0
	for i < len(rs) && i < len(ro) && rs[i] == ro[i] {
		i++
	}
	lo, hi := max(0, i-10), min(len(rs), i+10)
	out := string(rs[lo:hi])
	if lo > 0 {
		out = "…" + out
	}
	if hi < len(rs) {
		out += "…"
	}
	if out == "" {
		return "(nothing)"
	}
	return "“" + out + "”"
}

func excerpt(b []byte, off int) string {
	lo, hi := max(0, off-12), min(len(b), off+24)
	return string(b[lo:hi])
}

func quote(s string) string {
	if s == "" {
		return "(nothing)"
	}
	if len(s) > 48 {
		s = s[:48] + "…"
	}
	return strconv.Quote(s)
}

// maxInflate bounds a decompressed content stream.
const maxInflate = 64 << 20

func inflate(o *pdfObj) ([]byte, error) {
	if !bytes.Contains(o.dict, []byte("/FlateDecode")) {
		return o.stream, nil
	}
	r, err := zlib.NewReader(bytes.NewReader(o.stream))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(io.LimitReader(r, maxInflate+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxInflate {
		return nil, fmt.Errorf("over %d bytes", maxInflate)
	}
	return b, nil
}
