package report

import (
	"fmt"

	"gongwen/fonts"
	"gongwen/render"
)

// defaultRenderers wires the PDF and DOCX backends.
func defaultRenderers(book *fonts.Book, fontErr error) map[Format]Renderer {
	unavailable := func(f Format) Renderer {
		return RendererFunc(func(*render.Document) ([]byte, error) {
			return nil, fmt.Errorf("%s backend not available yet", f)
		})
	}
	return map[Format]Renderer{PDF: unavailable(PDF), DOCX: unavailable(DOCX)}
}
