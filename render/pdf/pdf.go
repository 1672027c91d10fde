package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"

	"codeberg.org/go-pdf/fpdf"

	"gongwen/fonts"
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
	StandardNone Standard = "none" // plain PDF 1.4, no PDF/A identification
	StandardA1b  Standard = "a-1b" // ISO 19005-1 level B: PDF 1.4 structure, CIDSet
	StandardA2b  Standard = "a-2b" // ISO 19005-2 level B: the default
	StandardA3b  Standard = "a-3b" // ISO 19005-3 level B: A-2b plus the source data
)

// Attachment is a file embedded in the PDF.
type Attachment struct {
	Name        string // file name shown by readers, e.g. "𥔲嘉镇2024年度报告.json"
	MIME        string // e.g. "application/json"
	Description string
	Data        []byte
}

// Property is one provenance entry; Name is an XML local name (ASCII letters
// and digits), Value any text.
type Property struct {
	Name, Value string
}

// Renderer renders documents with one font book. It is safe for concurrent
// use: each Render builds its own fpdf document; the font book (parsed
// fonts, converted glyphs) is shared and parsed once per process.
type Renderer struct {
	book *fonts.Book
}

// New returns a Renderer using book.
func New(book *fonts.Book) *Renderer { return &Renderer{book: book} }

var (
	defaultOnce     sync.Once
	defaultRenderer *Renderer
	defaultErr      error
)

// Default is the Renderer of the process-wide font book (fonts.Default).
func Default() (*Renderer, error) {
	defaultOnce.Do(func() {
		book, err := fonts.Default()
		if err != nil {
			defaultErr = fmt.Errorf("pdf: fonts: %w", err)
			return
		}
		defaultRenderer = New(book)
	})
	return defaultRenderer, defaultErr
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

// write draws the laid-out pages.
func (r *Renderer) write(doc *render.Document, res *layout.Result, opts Options) ([]byte, error) {
	// One subset font per face, of exactly the characters drawn in it.
	sb := r.book.NewSubsetBuilder()
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
	embedded := make([]*embeddedFont, len(subsets))
	byFace := make(map[layout.Face]*embeddedFont, len(subsets))
	for i, s := range subsets {
		if embedded[i], err = newEmbeddedFont(s, i); err != nil {
			return nil, err
		}
		byFace[s.Face] = embedded[i]
	}

	pdf := fpdf.NewCustom(&fpdf.InitType{
		OrientationStr: "P",
		UnitStr:        "pt",
		Size:           fpdf.SizeType{Wd: res.WidthPt, Ht: res.HeightPt},
	})
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCompression(false) // finish compresses the page streams
	pdf.SetCatalogSort(true)
	created := doc.Meta.Created
	if created.IsZero() {
		created = time.Unix(0, 0)
	}
	created = created.UTC()
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	setInfo(pdf, doc, opts)

	d := drawer{pdf: pdf, byFace: byFace, height: res.HeightPt}
	bookmark := 0
	prevLevel := -1
	for i := range res.Pages {
		pg := &res.Pages[i]
		pdf.AddPage()
		d.newPage()
		for bookmark < len(res.Outline) && res.Outline[bookmark].Page <= pg.Number {
			b := res.Outline[bookmark]
			// fpdf nests outline entries by level steps of one.
			level := max(0, min(b.Level-1, prevLevel+1))
			pdf.Bookmark(utf16Text(b.Title), level, b.Y)
			prevLevel = level
			bookmark++
		}
		for _, rule := range pg.Rules {
			d.rule(rule)
		}
		for _, t := range pg.Texts {
			if err := d.text(t); err != nil {
				return nil, err
			}
		}
		if err := pdf.Error(); err != nil {
			return nil, fmt.Errorf("page %d: %w", pg.Number, err)
		}
	}
	var buf bytes.Buffer
	buf.Grow(32 << 10)
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write: %w", err)
	}
	out, err := finish(buf.Bytes(), embedded)
	if err != nil {
		return nil, err
	}
	// Fonts with ToUnicode maps and the catalog's /Lang are PDF 1.4+; fpdf
	// writes 1.3 unless it used a newer feature itself. The header keeps its
	// length, so the cross-reference offsets stay valid.
	if bytes.HasPrefix(out, []byte("%PDF-1.3")) {
		copy(out[5:8], "1.4")
	}
	return out, nil
}

func setInfo(pdf *fpdf.Fpdf, doc *render.Document, opts Options) {
	info := newDocInfo(doc, opts)
	if info.title != "" {
		pdf.SetTitle(utf16Text(info.title), false)
	}
	if info.author != "" {
		pdf.SetAuthor(utf16Text(info.author), false)
	}
	if info.subject != "" {
		pdf.SetSubject(utf16Text(info.subject), false)
	}
	if info.keywords != "" {
		pdf.SetKeywords(utf16Text(info.keywords), false)
	}
	pdf.SetCreator(info.creator, false)
	pdf.SetProducer(info.producer, false)
	pdf.SetLang(langTag(info.lang))
	// Not yet a PDF/A file: no identification until the writer conforms.
	pdf.SetXmpMetadata(xmp(doc, info, opts, StandardNone))
}

// utf16Text is s as a PDF text string: UTF-16BE with a byte-order mark
// (fpdf's own conversion knows only 1- to 3-byte UTF-8 and garbles 𥔲).
func utf16Text(s string) string {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2, 2+2*len(u))
	b[0], b[1] = 0xFE, 0xFF
	for _, c := range u {
		b = append(b, byte(c>>8), byte(c))
	}
	return string(b)
}

// langTag keeps a language tag to the characters a BCP 47 tag has, as fpdf
// writes it into a literal string unescaped.
func langTag(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x80 && (r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return r
		}
		return -1
	}, s)
}

// drawer writes page content, avoiding repeated state operators.
type drawer struct {
	pdf       *fpdf.Fpdf
	byFace    map[layout.Face]*embeddedFont
	height    float64
	font      *embeddedFont
	size      float64
	tc        float64
	lineWidth float64
	buf       []byte
}

func (d *drawer) newPage() {
	// Each page's content stream starts with the default graphics state.
	d.font, d.size, d.tc, d.lineWidth = nil, 0, 0, -1
}

func (d *drawer) rule(r layout.Rule) {
	if r.Width != d.lineWidth {
		d.pdf.SetLineWidth(r.Width)
		d.lineWidth = r.Width
	}
	d.pdf.Line(r.X1, r.Y1, r.X2, r.Y2)
}

// text shows t's glyphs: "/GW1 16 Tf", "0.2 Tc" when they change, then
// "BT x y Td <glyph ids> Tj ET".
func (d *drawer) text(t layout.Text) error {
	f := d.byFace[t.Face]
	if f == nil {
		return fmt.Errorf("no subset font for %q", t.Text)
	}
	b := d.buf[:0]
	if f != d.font || t.Size != d.size {
		b = append(b, '/')
		b = append(b, f.res...)
		b = append(b, ' ')
		b = strconv.AppendFloat(b, t.Size, 'f', -1, 64)
		b = append(b, " Tf "...)
		d.font, d.size = f, t.Size
	}
	if tc := round3(t.CharSpacing); tc != d.tc {
		b = strconv.AppendFloat(b, tc, 'f', -1, 64)
		b = append(b, " Tc "...)
		d.tc = tc
	}
	b = append(b, "BT "...)
	b = strconv.AppendFloat(b, round3(t.X), 'f', -1, 64)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, round3(d.height-t.Y), 'f', -1, 64)
	b = append(b, " Td <"...)
	var err error
	if b, err = f.appendGlyphs(b, t.Text); err != nil {
		return err
	}
	b = append(b, "> Tj ET"...)
	d.pdf.RawWriteStr(string(b))
	d.buf = b
	return nil
}

func round3(x float64) float64 {
	if x < 0 {
		return -float64(int64(-x*1000+0.5)) / 1000
	}
	return float64(int64(x*1000+0.5)) / 1000
}
