package report

import (
	"fmt"
	"slices"
	"strings"

	"gongwen/fonts"
	"gongwen/render"
	"gongwen/render/docx"
	"gongwen/render/ofd"
	"gongwen/render/pdf"
)

// defaultRenderers wires the PDF and DOCX backends. The PDF backend draws
// with the font book; the DOCX backend names the official faces (the
// recipient's Word has them), taken from the same font configuration, and
// embeds subsets of the PDF's substitutes for them (docxFonts) unless the
// request asks for DOCXFontsNamed.
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
	var embed docx.FontEmbedder
	if book != nil {
		embed = docxFonts(book, faces)
	}
	docxR := docxRenderer(faces, embed)
	var ofdR Renderer
	if book == nil {
		ofdR = RendererFunc(func(*Request) ([]byte, error) {
			return nil, fmt.Errorf("no fonts for OFD output: %v", fontErr)
		})
	} else {
		r := ofd.New(book)
		ofdR = RendererFunc(func(req *Request) ([]byte, error) {
			return r.Render(req.Document, ofdOptions(req, version))
		})
	}
	return map[Format]Renderer{PDF: pdfR, DOCX: docxR, OFD: ofdR}
}

// docxRenderer writes DOCX naming faces, with fonts from embed unless the
// request asks for named fonts only: then no subset is made or compressed.
func docxRenderer(faces map[string]string, embed docx.FontEmbedder) Renderer {
	return RendererFunc(func(req *Request) ([]byte, error) {
		o := docx.Options{Faces: faces}
		if req.DOCXFonts != DOCXFontsNamed {
			o.EmbedFonts = embed
		}
		return docx.Render(req.Document, o)
	})
}

// ofdOptions are the OFD writer's options for req: the source is attached
// only under OFD-A, as only PDF/A-3b embeds it.
func ofdOptions(req *Request, version string) ofd.Options {
	o := ofd.Options{Version: version, Standard: req.OFDStandard, Zone: req.Zone, Provenance: req.Provenance.Properties()}
	if req.OFDStandard == ofd.StandardA {
		o.Source = sourceAttachment(req)
	}
	return o
}

// pdfOptions are the PDF writer's options for req: the source travels only
// where the standard embeds it (PDF/A-3b).
func pdfOptions(req *Request, version string) pdf.Options {
	o := pdf.Options{Version: version, Standard: req.Standard, Zone: req.Zone, Provenance: req.Provenance.Properties()}
	if req.Standard == pdf.StandardA3b {
		o.Source = sourceAttachment(req)
	}
	return o
}

// sourceAttachment is the report as received, as the archival profiles
// (PDF/A-3b, OFD-A) carry it.
func sourceAttachment(req *Request) *render.Attachment {
	return &render.Attachment{Name: req.Source.Name, MIME: SourceMIME,
		Description: "报告数据（原样）/ the report data as received", Data: req.Source.Data}
}

// docxFonts embeds in a DOCX, for each official face it names, a subset of
// the face the PDF sets that role in (FandolFang for 仿宋_GB2312): without
// the official faces LibreOffice would set the whole document in a sans
// fallback (measured: Noto Sans CJK JP for every role), with them it sets
// it as the PDF. The example's DOCX grows from 13 KB to 224 KB. Word keeps
// using an installed official face: it knows the embedded subset by its
// own name (GW2FandolFangRegular), not the official one.
func docxFonts(book *fonts.Book, faces map[string]string) docx.FontEmbedder {
	roles := make([]string, 0, len(faces))
	for role := range faces {
		roles = append(roles, role)
	}
	slices.Sort(roles)
	return func(face, text string) (docx.Font, error) {
		for _, role := range roles {
			if faces[role] != face {
				continue
			}
			chain, err := book.Chain(role)
			if err != nil {
				return docx.Font{}, nil // no substitute installed: nothing to embed
			}
			f := chain[0]
			covered := strings.Map(func(r rune) rune {
				if f.HasRune(r) {
					return r
				}
				return -1 // left to the fallback faces, as in the PDF
			}, text)
			if covered == "" {
				return docx.Font{}, nil
			}
			sb := book.NewSubsetBuilder()
			sb.Add(f, covered)
			subs, err := sb.Build()
			if err != nil {
				return docx.Font{}, err
			}
			return docx.Font{Program: subs[0].TTF, Deflate: subs[0].RawDeflate}, nil
		}
		return docx.Font{}, nil
	}
}
