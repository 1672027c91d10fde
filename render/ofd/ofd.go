package ofd

import (
	"errors"
	"fmt"
	"time"

	"gongwen/fonts"
	"gongwen/render"
	"gongwen/render/layout"
	"gongwen/render/pdf"
)

// Options are per-render settings that are not part of the document.
type Options struct {
	// Version is recorded as the creator version; empty means "dev".
	Version string
	// Standard is the profile the package follows; "" means StandardNone.
	Standard Standard
	// Zone is the offset the document date is written in; nil means
	// UTC+08:00 (China), the PDF's rule.
	Zone *time.Location
	// Source is the report JSON exactly as received. Under StandardA it is
	// attached (Attachments.xml), so extract and verify read it back; a plain
	// OFD does not carry it.
	Source *Attachment
	// Provenance are name/value pairs recorded as CustomData entries, such
	// as the render options `gongwen verify` needs to render the source
	// again.
	Provenance []Property
}

// Standard names an OFD profile.
type Standard string

const (
	StandardNone Standard = ""  // GB/T 33190-2016, DocType OFD
	StandardA    Standard = "a" // GB/T 42133-2022 OFD-A: subset fonts, no permissions or actions but Goto, no external resources, source attached
)

// Attachment and Property are the types every exporter shares.
type (
	Attachment = render.Attachment
	Property   = render.Property
)

// Renderer renders documents with one font book; it is safe for concurrent
// use.
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
		return nil, fmt.Errorf("ofd: fonts: %w", err)
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

// ErrRender wraps every error of Render and Write; errors.As finds a
// *fonts.MissingGlyphError inside when a character has no font.
var ErrRender = errors.New("ofd render")

// Render lays out doc (the PDF's layout stage, same fonts) and writes it as
// OFD. Same document, same options: same bytes.
func (r *Renderer) Render(doc *render.Document, opts Options) ([]byte, error) {
	if r == nil || r.book == nil {
		return nil, fmt.Errorf("%w: renderer has no font book", ErrRender)
	}
	res, err := layout.Layout(doc, pdf.LayoutFonts(r.book))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRender, err)
	}
	subsets, err := Subsets(r.book, res)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRender, err)
	}
	return Write(doc, res, subsets, opts)
}

// Subsets builds one subset font per face of res, of exactly the characters
// drawn in it — the same subsets (and, through the book's cache, often the
// same objects) the PDF exporter embeds.
func Subsets(book *fonts.Book, res *layout.Result) ([]*fonts.Subset, error) {
	sb := book.NewSubsetBuilder()
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
	return subsets, nil
}

// Write writes the laid-out document res as an OFD package, embedding
// subsets (one per face res draws with). It is a plain function of its
// arguments.
func Write(doc *render.Document, res *layout.Result, subsets []*fonts.Subset, opts Options) ([]byte, error) {
	if doc == nil || res == nil {
		return nil, fmt.Errorf("%w: nil document or layout", ErrRender)
	}
	switch opts.Standard {
	case StandardNone, StandardA:
	default:
		return nil, fmt.Errorf("%w: unknown standard %q", ErrRender, opts.Standard)
	}
	w := newWriter(doc, res, subsets, opts)
	out, err := w.write()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRender, err)
	}
	return out, nil
}
