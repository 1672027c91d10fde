package report

import (
	"fmt"

	"gongwen/fonts"
	"gongwen/render/docx"
	"gongwen/render/pdf"
)

// defaultRenderers wires the PDF and DOCX backends. The PDF backend draws
// with the font book; the DOCX backend only names the official faces (the
// recipient's Word has them), taken from the same font configuration.
func defaultRenderers(book *fonts.Book, fontErr error, version string) map[Format]Renderer {
	var pdfR Renderer
	if book == nil {
		pdfR = RendererFunc(func(*Request) ([]byte, error) {
			return nil, fmt.Errorf("no fonts for PDF output: %v", fontErr)
		})
	} else {
		r := pdf.New(book)
		pdfR = RendererFunc(func(req *Request) ([]byte, error) {
			return r.Render(req.Document, pdfOptions(req, version))
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
	docxR := RendererFunc(func(req *Request) ([]byte, error) {
		return docx.Render(req.Document, docx.Options{Faces: faces})
	})
	return map[Format]Renderer{PDF: pdfR, DOCX: docxR}
}

// pdfOptions are the PDF writer's options for req: the source travels only
// where the standard embeds it (PDF/A-3b).
func pdfOptions(req *Request, version string) pdf.Options {
	o := pdf.Options{Version: version, Standard: req.Standard, Zone: req.Zone, Provenance: req.Provenance.Properties()}
	if req.Standard == pdf.StandardA3b {
		o.Source = &pdf.Attachment{Name: req.Source.Name, MIME: SourceMIME,
			Description: "报告数据（原样）/ the report data as received", Data: req.Source.Data}
	}
	return o
}
