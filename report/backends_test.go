package report

import (
	"archive/zip"
	"bytes"
	"context"
	"strings"
	"testing"

	"gongwen/render/docx"
	"gongwen/templates"
)

// The DOCX backend asks for fonts only when the request embeds them: with
// DOCXFontsNamed the font book is never asked to build (or compress) a
// subset, and the file has no font parts.
func TestDOCXRendererAsksForFontsOnlyWhenEmbedding(t *testing.T) {
	p, err := New(Config{Renderers: map[Format]Renderer{}})
	if err != nil {
		t.Fatal(err)
	}
	info, _ := p.Template(templates.DefaultID)
	out, err := p.Validate(context.Background(), info.Example, DefaultOptions())
	if err != nil || out.Document == nil {
		t.Fatalf("example: %v", err)
	}
	asked := 0
	embed := func(face, text string) (docx.Font, error) {
		asked++
		return docx.Font{Program: bytes.Repeat([]byte(face), 64)}, nil
	}
	r := docxRenderer(docx.DefaultFaces(), embed)
	for _, c := range []struct {
		fonts     DOCXFonts
		wantAsked bool
	}{
		{DOCXFontsEmbedded, true},
		{"", true}, // a Request built by hand: the default
		{DOCXFontsNamed, false},
	} {
		asked = 0
		b, err := r.Render(&Request{Document: out.Document, DOCXFonts: c.fonts})
		if err != nil {
			t.Fatalf("%q: %v", c.fonts, err)
		}
		if (asked > 0) != c.wantAsked {
			t.Errorf("%q: the font book was asked for %d fonts", c.fonts, asked)
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatalf("%q: %v", c.fonts, err)
		}
		fontParts := 0
		for _, f := range zr.File {
			if strings.HasPrefix(f.Name, "word/fonts/") {
				fontParts++
			}
		}
		if (fontParts > 0) != c.wantAsked || c.wantAsked && fontParts != asked {
			t.Errorf("%q: %d font parts for %d fonts asked", c.fonts, fontParts, asked)
		}
	}
}
