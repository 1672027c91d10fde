package report

import (
	"fmt"

	"gongwen/fonts"
	"gongwen/render"
	"gongwen/render/docx"
	"gongwen/render/pdf"
)

// defaultRenderers wires the PDF and DOCX backends. The PDF backend draws
// with the font book; the DOCX backend only names the official faces (the
// recipient's Word has them), taken from the same font configuration.
func defaultRenderers(book *fonts.Book, fontErr error, version string) map[Format]Renderer {
	var pdfR Renderer
	if book == nil {
		pdfR = RendererFunc(func(*render.Document) ([]byte, error) {
			return nil, fmt.Errorf("no fonts for PDF output: %v", fontErr)
		})
	} else {
		r := pdf.New(book)
		pdfR = RendererFunc(func(d *render.Document) ([]byte, error) {
			return r.Render(d, pdf.Options{Version: version})
		})
	}
	faces := docx.DefaultFaces()
	if book != nil {
		for role := range faces {
			if name := book.OfficialName(role); name != "" {
				faces[role] = name
			}
		}
	}
	docxR := RendererFunc(func(d *render.Document) ([]byte, error) {
		return docx.Render(d, docx.Options{Faces: faces})
	})
	return map[Format]Renderer{PDF: pdfR, DOCX: docxR}
}
