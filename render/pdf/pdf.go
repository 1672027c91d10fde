package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

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
	byFace := make(map[layout.Face]*fonts.Subset, len(subsets))
	for _, s := range subsets {
		byFace[s.Face] = s
	}

	pdf := fpdf.NewCustom(&fpdf.InitType{
		OrientationStr: "P",
		UnitStr:        "pt",
		Size:           fpdf.SizeType{Wd: res.WidthPt, Ht: res.HeightPt},
	})
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true)
	created := doc.Meta.Created
	if created.IsZero() {
		created = time.Unix(0, 0)
	}
	created = created.UTC()
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	setInfo(pdf, doc, opts)

	for _, s := range subsets {
		if err := checkTrueType(s.TTF); err != nil {
			return nil, fmt.Errorf("subset %s: %w", s.Name, err)
		}
		pdf.AddUTF8FontFromBytes(s.Name, "", s.TTF)
		if err := pdf.Error(); err != nil {
			return nil, fmt.Errorf("add font %s: %w", s.Name, err)
		}
	}

	d := drawer{pdf: pdf, byFace: byFace}
	bookmark := 0
	prevLevel := 0
	for i := range res.Pages {
		pg := &res.Pages[i]
		pdf.AddPage()
		d.newPage()
		if len(subsets) > 0 {
			// fpdf converts outline titles to UTF-16 only while a UTF-8
			// font is selected.
			d.setFont(subsets[0], 16)
		}
		for bookmark < len(res.Outline) && res.Outline[bookmark].Page <= pg.Number {
			b := res.Outline[bookmark]
			// fpdf nests outline entries by level steps of one.
			level := min(b.Level-1, prevLevel+1)
			pdf.Bookmark(pdfUTF8(b.Title), level, b.Y)
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
	buf.Grow(64 << 10)
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write: %w", err)
	}
	out := buf.Bytes()
	// ActualText (the real text of remapped characters) is PDF 1.5; fpdf
	// writes 1.3 unless it used a newer feature itself. The header has the
	// same length either way, so the cross-reference offsets stay valid.
	if bytes.HasPrefix(out, []byte("%PDF-1.3")) || bytes.HasPrefix(out, []byte("%PDF-1.4")) {
		copy(out[5:8], "1.5")
	}
	return out, nil
}

func setInfo(pdf *fpdf.Fpdf, doc *render.Document, opts Options) {
	m := doc.Meta
	version := opts.Version
	if version == "" {
		version = "dev"
	}
	if m.Title != "" {
		pdf.SetTitle(pdfUTF8(m.Title), true)
	}
	if m.Author != "" {
		pdf.SetAuthor(pdfUTF8(m.Author), true)
	}
	if m.Subject != "" {
		pdf.SetSubject(pdfUTF8(m.Subject), true)
	}
	keywords := strings.Join(append(append([]string(nil), m.Keywords...), m.Notes...), "; ")
	if keywords != "" {
		pdf.SetKeywords(pdfUTF8(keywords), true)
	}
	pdf.SetCreator("gongwen "+version, false)
	pdf.SetProducer("gongwen "+version+" (fpdf)", false)
	lang := m.Language
	if lang == "" {
		lang = "zh-CN"
	}
	pdf.SetLang(pdfName(lang))
	pdf.SetXmpMetadata(xmp(doc, lang, "gongwen "+version))
}

// pdfUTF8 prepares text for fpdf's UTF-8 → UTF-16 conversion, which knows
// only 1- to 3-byte sequences: characters outside the BMP are given as
// their UTF-16 surrogates, each in three bytes (CESU-8), so the conversion
// yields correct surrogate pairs instead of garbage.
func pdfUTF8(s string) string {
	ok := true
	for _, r := range s {
		if r >= 0x10000 || r == utf8.RuneError {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	b := make([]byte, 0, len(s)+8)
	for _, r := range s {
		if r < 0x10000 {
			b = utf8.AppendRune(b, r)
			continue
		}
		r -= 0x10000
		for _, u := range [2]rune{0xD800 + r>>10, 0xDC00 + r&0x3FF} {
			b = append(b, byte(0xE0|u>>12), byte(0x80|u>>6&0x3F), byte(0x80|u&0x3F))
		}
	}
	return string(b)
}

// pdfName keeps a language tag to the characters a BCP 47 tag has, as fpdf
// writes it into a literal string unescaped.
func pdfName(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x80 && (r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return r
		}
		return -1
	}, s)
}

// checkTrueType refuses what fpdf cannot parse: it would print the error
// to stdout and carry on without the font.
func checkTrueType(b []byte) error {
	if len(b) < 12 {
		return errors.New("font data too short")
	}
	switch string(b[:4]) {
	case "\x00\x01\x00\x00", "true":
		return nil
	}
	return fmt.Errorf("not a plain TrueType font (tag %q)", b[:4])
}

// drawer writes page content, avoiding repeated state operators.
type drawer struct {
	pdf       *fpdf.Fpdf
	byFace    map[layout.Face]*fonts.Subset
	font      *fonts.Subset
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

func (d *drawer) setFont(sub *fonts.Subset, size float64) {
	if sub != d.font || size != d.size {
		d.pdf.SetFont(sub.Name, "", size)
		d.font, d.size = sub, size
	}
}

func (d *drawer) text(t layout.Text) error {
	sub := d.byFace[t.Face]
	if sub == nil {
		return fmt.Errorf("no subset font for %q", t.Text)
	}
	d.setFont(sub, t.Size)
	if tc := round3(t.CharSpacing); tc != d.tc {
		d.buf = fmt.Appendf(d.buf[:0], "%.3f Tc", tc)
		d.pdf.RawWriteStr(string(d.buf))
		d.tc = tc
	}
	enc, hasPUA := sub.Encode(t.Text)
	if hasPUA {
		d.pdf.RawWriteStr(strings.TrimSuffix(fonts.ActualTextBegin(t.Text), "\n"))
	}
	d.pdf.Text(t.X, t.Y, enc)
	if hasPUA {
		d.pdf.RawWriteStr(strings.TrimSuffix(fonts.ActualTextEnd, "\n"))
	}
	return nil
}

func round3(x float64) float64 {
	if x < 0 {
		return -float64(int64(-x*1000+0.5)) / 1000
	}
	return float64(int64(x*1000+0.5)) / 1000
}
