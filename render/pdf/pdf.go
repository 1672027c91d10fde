package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"gongwen/fonts"
	"gongwen/internal/spare"
	"gongwen/render"
	"gongwen/render/layout"
)

// Options are per-render settings that are not part of the document.
type Options struct {
	// Version is written into the Creator entry as "gongwen <Version>";
	// empty means "dev".
	Version string
	// Standard is the PDF/A part the file conforms to; "" means StandardA2b.
	Standard Standard
	// Zone is the offset document dates are written with, identical in the
	// Info dictionary and the XMP packet; nil means UTC+08:00 (China).
	Zone *time.Location
	// Source is the report JSON exactly as received. Under PDF/A-3b it is
	// embedded as an associated file (/AF, AFRelationship /Source,
	// application/json); other parts do not embed it.
	Source *Attachment
	// Provenance are name/value pairs recorded in the XMP packet (gongwen
	// namespace, described by a pdfaExtension schema), such as the render
	// options `gongwen verify` needs to render the source again.
	Provenance []Property
}

// check rejects options no file can be written with.
func (o Options) check() error {
	switch o.Standard {
	case "", StandardNone, StandardA1b, StandardA2b, StandardA3b:
	default:
		return fmt.Errorf("unknown PDF standard %q (want none, a-1b, a-2b or a-3b)", o.Standard)
	}
	for _, p := range o.Provenance {
		if !validPropertyName(p.Name) {
			return fmt.Errorf("provenance name %q is not an ASCII letter followed by letters and digits", p.Name)
		}
	}
	return nil
}

// Standard names a PDF/A conformance level, as Typst's --pdf-standard does.
type Standard string

const (
	StandardNone Standard = "none" // plain PDF 1.7, no PDF/A identification
	StandardA1b  Standard = "a-1b" // ISO 19005-1 level B: PDF 1.4 structure, CIDSet
	StandardA2b  Standard = "a-2b" // ISO 19005-2 level B: the default
	StandardA3b  Standard = "a-3b" // ISO 19005-3 level B: A-2b plus the source data
)

// Attachment and Property are the types every exporter shares.
type (
	Attachment = render.Attachment
	Property   = render.Property
)

// Renderer renders documents with one font book. It is safe for concurrent
// use: each Render writes its own file; the font book (parsed fonts,
// converted glyphs) and the objects derived from subset fonts are shared.
type Renderer struct {
	book *fonts.Book
}

// New returns a Renderer using book.
func New(book *fonts.Book) *Renderer { return &Renderer{book: book} }

// Default is the Renderer of the process-wide font book (fonts.Default,
// which opens the book once); a Renderer holds nothing else.
func Default() (*Renderer, error) {
	book, err := fonts.Default()
	if err != nil {
		return nil, fmt.Errorf("pdf: fonts: %w", err)
	}
	return New(book), nil
}

// Render renders doc with the default renderer.
func Render(doc *render.Document, opts Options) ([]byte, error) {
	r, err := Default()
	if err != nil {
		return nil, err
	}
	return r.Render(doc, opts)
}

// ErrRender wraps every error of Render; errors.As finds a
// *fonts.MissingGlyphError inside when a character has no font.
var ErrRender = errors.New("pdf render")

// Render lays out doc and writes it as PDF. Same document, same options:
// same bytes.
func (r *Renderer) Render(doc *render.Document, opts Options) ([]byte, error) {
	if r == nil || r.book == nil {
		return nil, fmt.Errorf("%w: renderer has no font book", ErrRender)
	}
	if err := opts.check(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRender, err)
	}
	res, err := layout.Layout(doc, bookFonts{r.book})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRender, err)
	}
	out, err := r.write(doc, res, opts)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRender, err)
	}
	return out, nil
}

// LayoutFonts adapts a font book to the layout stage, for callers that lay
// out without drawing (page counts, previews, benchmarks).
func LayoutFonts(book *fonts.Book) layout.Fonts { return bookFonts{book} }

// bookFonts adapts a font book to layout.Fonts.
type bookFonts struct{ b *fonts.Book }

// SegmentsStable: a loaded book segments the same text the same way for
// its life, so layout may remember table cells set with it.
func (bookFonts) SegmentsStable() {}

func (bf bookFonts) Segment(role, text string) ([]layout.Span, error) {
	spans, err := bf.b.Segment(role, text)
	if err != nil {
		return nil, err
	}
	out := make([]layout.Span, len(spans))
	for i, s := range spans {
		out[i] = layout.Span{Face: s.Face, Text: s.Text}
	}
	return out, nil
}

// write writes the laid-out pages as a PDF file of opts.Standard.
func (r *Renderer) write(doc *render.Document, res *layout.Result, opts Options) ([]byte, error) {
	std := opts.Standard
	if std == "" {
		std = StandardA2b
	}
	// One subset font per face, of exactly the characters drawn in it.
	// Each subset's program is compressed (fonts.Subset.Packed, once per
	// subset) and its objects derived (fontCache) on the spare core as
	// soon as it is made, while the other subsets are made and the pages
	// written: 1.3 ms of CPU for a new report's five subsets, most of the
	// render, which a render on a quiet machine would otherwise wait for.
	// This goroutine joins in once the pages are written (package spare).
	packing := spare.Start(func(s *fonts.Subset) error {
		fontCache.objects(s) // compresses the program too
		return nil
	})
	defer packing.Finish()
	sb := r.book.NewSubsetBuilder()
	sb.Built = func(s *fonts.Subset) {
		if !fontCache.ready(s) {
			packing.Add(s)
		}
	}
	for i := range res.Pages {
		for _, t := range res.Pages[i].Texts {
			face, ok := t.Face.(*fonts.Face)
			if !ok {
				return nil, fmt.Errorf("text %q set in a face of type %T", t.Text, t.Face)
			}
			sb.Add(face, t.Text)
		}
	}
	subsets, err := sb.Build()
	if err != nil {
		return nil, fmt.Errorf("subset fonts: %w", err)
	}

	// PDF/A-1 is PDF 1.4: no object or cross-reference streams. The other
	// standards and plain PDF pack their dictionaries into an object
	// stream (PDF 1.5).
	version, packed := "1.7", true
	if std == StandardA1b {
		version, packed = "1.4", false
	}
	packing.Close()
	embedded := make([]*embeddedFont, len(subsets))
	fontBytes := 0
	for i, s := range subsets {
		embedded[i] = &embeddedFont{sub: s, res: "GW" + strconv.Itoa(i+1)}
		fontBytes += len(s.TTF)*3/4 + 2048 // compressed program, CMap, widths
	}
	// The fonts are most of the file: sized for them, the buffer is not
	// grown and copied twice while the pages are written.
	w := newFileWriter(version, packed, 32<<10+fontBytes+len(res.Pages)*8<<10)
	catalog, pagesRef, infoRef, metaRef, resRef := w.alloc(), w.alloc(), w.alloc(), w.alloc(), w.alloc()
	fontRefs := make([]int, len(subsets))
	byFace := make(map[layout.Face]*embeddedFont, len(subsets))
	for i, s := range subsets {
		fontRefs[i] = w.alloc()
		byFace[s.Face] = embedded[i]
	}

	// Pages, each with one content stream.
	pageRefs := make([]int, len(res.Pages))
	mediaBox := "[0 0 " + num2(res.WidthPt) + " " + num2(res.HeightPt) + "]"
	d := drawer{byFace: byFace, height: res.HeightPt}
	for i := range res.Pages {
		pg := &res.Pages[i]
		d.newPage()
		for _, rule := range pg.Rules {
			d.rule(rule)
		}
		for _, t := range pg.Texts {
			if err := d.text(t); err != nil {
				return nil, fmt.Errorf("page %d: %w", pg.Number, err)
			}
		}
		pageRefs[i] = w.alloc()
		content := w.alloc()
		w.stream(content, "", d.out.Bytes())
		w.object(pageRefs[i], fmt.Sprintf("<< /Type /Page /Parent %d 0 R /Resources %d 0 R /Contents %d 0 R >>", pagesRef, resRef, content))
	}
	var kids bytes.Buffer
	for i, ref := range pageRefs {
		if i > 0 {
			kids.WriteByte(' ')
		}
		fmt.Fprintf(&kids, "%d 0 R", ref)
	}
	w.object(pagesRef, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d /MediaBox %s >>", kids.String(), len(pageRefs), mediaBox))

	packing.Finish()
	var fontDict bytes.Buffer
	for i, e := range embedded {
		e.objs = fontCache.objects(e.sub)
		fmt.Fprintf(&fontDict, " /%s %d 0 R", e.res, fontRefs[i])
		w.writeFont(e, fontRefs[i], std == StandardA1b)
	}
	w.object(resRef, "<< /Font <<"+fontDict.String()+" >> >>")

	// Catalog entries beyond the pages.
	var cat bytes.Buffer
	info := newDocInfo(doc, opts)
	fmt.Fprintf(&cat, "<< /Type /Catalog /Pages %d 0 R /Metadata %d 0 R /Lang %s /ViewerPreferences << /DisplayDocTitle true >>", pagesRef, metaRef, textString(langTag(info.lang)))
	if outline := writeOutline(w, res, pageRefs); outline != 0 {
		fmt.Fprintf(&cat, " /Outlines %d 0 R /PageMode /UseOutlines", outline)
	}
	if std != StandardNone {
		icc := w.alloc()
		w.rawStream(icc, "/N 3 /Filter /FlateDecode", srgbProfile())
		fmt.Fprintf(&cat, " /OutputIntents [<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) /RegistryName (http://www.color.org) /Info (sRGB IEC61966-2.1) /DestOutputProfile %d 0 R >>]", icc)
	}
	if std == StandardA3b && opts.Source != nil {
		spec := writeAttachment(w, opts.Source, info.created)
		name := opts.Source.Name
		if name == "" {
			name = defaultAttachmentName
		}
		fmt.Fprintf(&cat, " /AF [%d 0 R] /Names << /EmbeddedFiles << /Names [%s %d 0 R] >> >>", spec, textString(name), spec)
	}
	cat.WriteString(" >>")
	w.object(catalog, cat.String())

	w.object(infoRef, infoDict(info))
	packet := xmp(doc, info, opts, std)
	// Uncompressed: PDF/A-1 forbids filters on the metadata stream, and
	// archives read the packet with plain tools.
	w.rawStream(metaRef, "/Type /Metadata /Subtype /XML", packet)
	return w.finish(catalog, infoRef)
}

// infoDict is the document information dictionary, the same values the
// XMP packet has.
func infoDict(info docInfo) string {
	var b bytes.Buffer
	b.WriteString("<<")
	for _, e := range []struct{ key, value string }{
		{"Title", info.title}, {"Author", info.author}, {"Subject", info.subject}, {"Keywords", info.keywords},
		{"Creator", info.creator}, {"Producer", info.producer},
	} {
		if e.value != "" {
			b.WriteString(" /" + e.key + " " + textString(e.value))
		}
	}
	date := pdfDate(info.created)
	b.WriteString(" /CreationDate (" + date + ") /ModDate (" + date + ") >>")
	return b.String()
}

// defaultAttachmentName names an embedded source without a name.
const defaultAttachmentName = "report.json"

// writeAttachment embeds a as an associated file with relationship Source
// (PDF/A-3) and returns its file specification's object number.
func writeAttachment(w *fileWriter, a *Attachment, modified time.Time) int {
	spec, file := w.alloc(), w.alloc()
	mime := a.MIME
	if mime == "" {
		mime = "application/octet-stream"
	}
	name := a.Name
	if name == "" {
		name = defaultAttachmentName
	}
	w.stream(file, fmt.Sprintf("/Type /EmbeddedFile /Subtype %s /Params << /Size %d /ModDate (%s) >>", nameToken(mime), len(a.Data), pdfDate(modified)), a.Data)
	desc := ""
	if a.Description != "" {
		desc = " /Desc " + textString(a.Description)
	}
	w.object(spec, fmt.Sprintf("<< /Type /Filespec /F %s /UF %s%s /AFRelationship /Source /EF << /F %d 0 R /UF %d 0 R >> >>", textString(name), textString(name), desc, file, file))
	return spec
}

// writeOutline writes the bookmarks as an outline tree nested by level (a
// level deeper than one below its predecessor is taken as one below) and
// returns the outline root's object number, 0 without bookmarks. Every
// item is open: /Count is its number of descendants.
func writeOutline(w *fileWriter, res *layout.Result, pageRefs []int) int {
	type item struct {
		ref, parent int // parent: index in items, -1 for the root
		first, last int // children (indexes), -1 if none
		prev, next  int
		descendants int
		title       string
		page        int
		y           float64
	}
	var items []item
	var stack []int // open ancestors, by depth
	for _, b := range res.Outline {
		if b.Page < 1 || b.Page > len(pageRefs) {
			continue
		}
		depth := max(0, min(b.Level-1, len(stack)))
		stack = stack[:depth]
		it := item{ref: w.alloc(), parent: -1, first: -1, last: -1, prev: -1, next: -1, title: b.Title, page: b.Page, y: b.Y}
		if depth > 0 {
			it.parent = stack[depth-1]
		}
		idx := len(items)
		// Link to the previous sibling.
		for j := idx - 1; j >= 0; j-- {
			if items[j].parent == it.parent {
				items[j].next, it.prev = idx, j
				break
			}
		}
		items = append(items, it)
		if it.parent >= 0 {
			p := &items[it.parent]
			if p.first < 0 {
				p.first = idx
			}
			p.last = idx
		}
		for a := it.parent; a >= 0; a = items[a].parent {
			items[a].descendants++
		}
		stack = append(stack, idx)
	}
	if len(items) == 0 {
		return 0
	}
	root := w.alloc()
	ref := func(i int) int { return items[i].ref }
	firstTop, lastTop := -1, -1
	for i, it := range items {
		if it.parent < 0 {
			if firstTop < 0 {
				firstTop = i
			}
			lastTop = i
		}
	}
	for _, it := range items {
		var b bytes.Buffer
		b.WriteString("<< /Title " + textString(it.title))
		if it.parent >= 0 {
			fmt.Fprintf(&b, " /Parent %d 0 R", ref(it.parent))
		} else {
			fmt.Fprintf(&b, " /Parent %d 0 R", root)
		}
		if it.prev >= 0 {
			fmt.Fprintf(&b, " /Prev %d 0 R", ref(it.prev))
		}
		if it.next >= 0 {
			fmt.Fprintf(&b, " /Next %d 0 R", ref(it.next))
		}
		if it.first >= 0 {
			fmt.Fprintf(&b, " /First %d 0 R /Last %d 0 R /Count %d", ref(it.first), ref(it.last), it.descendants)
		}
		fmt.Fprintf(&b, " /Dest [%d 0 R /XYZ 0 %s null] >>", pageRefs[it.page-1], num2(res.HeightPt-it.y))
		w.object(it.ref, b.String())
	}
	w.object(root, fmt.Sprintf("<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>", ref(firstTop), ref(lastTop), len(items)))
	return root
}

// langTag keeps a language tag to the characters a BCP 47 tag has.
func langTag(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x80 && (r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return r
		}
		return -1
	}, s)
}

// num2 is x with at most two decimals (positions of rules and boxes).
func num2(x float64) string {
	return strconv.FormatFloat(float64(int64(x*100+copysignHalf(x)))/100, 'f', -1, 64)
}

func copysignHalf(x float64) float64 {
	if x < 0 {
		return -0.5
	}
	return 0.5
}

// drawer writes the content stream of one page, avoiding repeated state
// operators.
type drawer struct {
	byFace    map[layout.Face]*embeddedFont
	height    float64
	out       bytes.Buffer
	font      *embeddedFont
	size      float64
	tc        float64
	lineWidth float64
	fill      render.Color
	stroke    render.Color
}

// newPage starts a content stream in the default graphics state, with
// butt caps, mitred joins and black (as pages have always started).
func (d *drawer) newPage() {
	d.out.Reset()
	d.out.WriteString("0 J\n0 j\n0.57 w\n0 G\n0 g\n")
	d.font, d.size, d.tc, d.lineWidth = nil, 0, 0, 0.57
	d.fill, d.stroke = render.Color{}, render.Color{}
}

// appendColor writes c as sRGB components and op (rg or RG), or as gray
// (g or G) when it is black.
func appendColor(b []byte, c render.Color, rgbOp, grayOp string) []byte {
	if c == (render.Color{}) {
		return append(append(b, "0 "...), grayOp...)
	}
	for _, v := range []uint8{c.R, c.G, c.B} {
		b = appendRound3(b, float64(v)/255)
		b = append(b, ' ')
	}
	return append(b, rgbOp...)
}

func (d *drawer) rule(r layout.Rule) {
	b := d.out.AvailableBuffer()
	if r.Color != d.stroke {
		b = appendColor(b, r.Color, "RG", "G")
		b = append(b, '\n')
		d.stroke = r.Color
	}
	if r.Width != d.lineWidth {
		b = append(b, num2f(r.Width)...)
		b = append(b, " w\n"...)
		d.lineWidth = r.Width
	}
	y1, y2 := d.height-r.Y1, d.height-r.Y2
	b = appendFixed2(b, r.X1)
	b = append(b, ' ')
	b = appendFixed2(b, y1)
	b = append(b, " m "...)
	b = appendFixed2(b, r.X2)
	b = append(b, ' ')
	b = appendFixed2(b, y2)
	b = append(b, " l S\n"...)
	d.out.Write(b)
}

// num2f formats with exactly two decimals, as rules always were.
func num2f(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

// text shows t's glyphs: "/GW1 16 Tf", "0.2 Tc" when they change, then
// "BT x y Td <glyph ids> Tj ET".
func (d *drawer) text(t layout.Text) error {
	f := d.byFace[t.Face]
	if f == nil {
		return fmt.Errorf("no subset font for %q", t.Text)
	}
	b := d.out.AvailableBuffer()
	if t.Color != d.fill {
		b = appendColor(b, t.Color, "rg", "g")
		b = append(b, ' ')
		d.fill = t.Color
	}
	if f != d.font || t.Size != d.size {
		b = append(b, '/')
		b = append(b, f.res...)
		b = append(b, ' ')
		b = strconv.AppendFloat(b, t.Size, 'f', -1, 64)
		b = append(b, " Tf "...)
		d.font, d.size = f, t.Size
	}
	if tc := round3(t.CharSpacing); tc != d.tc {
		b = appendRound3(b, t.CharSpacing)
		b = append(b, " Tc "...)
		d.tc = tc
	}
	b = append(b, "BT "...)
	b = appendRound3(b, t.X)
	b = append(b, ' ')
	b = appendRound3(b, d.height-t.Y)
	b = append(b, " Td <"...)
	var err error
	if b, err = f.appendGlyphs(b, t.Text); err != nil {
		return err
	}
	b = append(b, "> Tj ET\n"...)
	d.out.Write(b)
	return nil
}

// appendRound3 appends round3(x) exactly as strconv.AppendFloat(b,
// round3(x), 'f', -1, 64) does, without its search for the shortest digits
// (a fifth of writing a page): round3's value is a whole number of
// thousandths, and the shortest decimal of one is those thousandths with
// the trailing zeros dropped. TestAppendRound3 compares the two.
func appendRound3(b []byte, x float64) []byte {
	neg := x < 0
	ax := x
	if neg {
		ax = -x
	}
	if !(ax < 1e9) { // NaN, infinities, and beyond any page
		return strconv.AppendFloat(b, round3(x), 'f', -1, 64)
	}
	k := int64(ax*1000 + 0.5) // as round3 rounds
	if neg {
		b = append(b, '-') // "-0" too, as round3 keeps the sign of a small negative
	}
	b = strconv.AppendInt(b, k/1000, 10)
	if f := k % 1000; f != 0 {
		digits := [3]byte{byte('0' + f/100), byte('0' + f/10%10), byte('0' + f%10)}
		n := 3
		for digits[n-1] == '0' {
			n--
		}
		b = append(append(b, '.'), digits[:n]...)
	}
	return b
}

// appendFixed2 appends x exactly as strconv.AppendFloat(b, x, 'f', 2, 64)
// does (x's exact binary value rounded to hundredths), without strconv's
// general multiprecision path: a table's rules are hundreds of coordinates
// a page, and strconv took a tenth of a report's render writing them.
// TestAppendFixed2 compares the two.
func appendFixed2(b []byte, x float64) []byte {
	ax := math.Abs(x)
	if !(ax < 1e9) { // NaN, infinities, and beyond any page
		return strconv.AppendFloat(b, x, 'f', 2, 64)
	}
	// k is floor(ax*100) of the exact product: the rounded product can be
	// one off near a whole number of hundredths, which the fused
	// multiply-adds (exact products, one rounding that keeps the sign)
	// correct.
	k := math.Floor(ax * 100)
	if math.FMA(ax, 100, -k) < 0 {
		k--
	} else if math.FMA(ax, 100, -(k+1)) >= 0 {
		k++
	}
	switch half := math.FMA(ax, 200, -(2*k + 1)); {
	case half > 0:
		k++
	case half == 0: // exactly halfway (x.125, x.375…): strconv's tie rule
		return strconv.AppendFloat(b, x, 'f', 2, 64)
	}
	n := int64(k)
	if math.Signbit(x) {
		b = append(b, '-') // "-0.00" too, as strconv writes a small negative
	}
	b = strconv.AppendInt(b, n/100, 10)
	f := n % 100
	return append(b, '.', byte('0'+f/10), byte('0'+f%10))
}

func round3(x float64) float64 {
	if x < 0 {
		return -float64(int64(-x*1000+0.5)) / 1000
	}
	return float64(int64(x*1000+0.5)) / 1000
}
