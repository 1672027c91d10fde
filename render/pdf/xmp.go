package pdf

import (
	"bytes"
	"encoding/xml"
	"strings"
	"time"

	"gongwen/render"
)

// xmp is the document's XMP packet: Dublin Core title, author, subject,
// language; the keywords; the creation date; and gongwen's notes (e.g.
// "rendered with unresolved problems") as a custom property, so archives
// can find flagged documents without parsing the Info dictionary.
func xmp(doc *render.Document, lang, creator string) []byte {
	m := doc.Meta
	created := m.Created
	if created.IsZero() {
		created = time.Unix(0, 0)
	}
	date := created.UTC().Format("2006-01-02T15:04:05Z")
	var b bytes.Buffer
	esc := func(s string) string {
		var e bytes.Buffer
		_ = xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	b.WriteString(`<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>` + "\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` + "\n")
	b.WriteString(`<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:gongwen="https://gongwen.example/ns/1.0/">` + "\n")
	b.WriteString(`<dc:format>application/pdf</dc:format>` + "\n")
	if m.Title != "" {
		b.WriteString(`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + esc(m.Title) + `</rdf:li></rdf:Alt></dc:title>` + "\n")
	}
	if m.Author != "" {
		b.WriteString(`<dc:creator><rdf:Seq><rdf:li>` + esc(m.Author) + `</rdf:li></rdf:Seq></dc:creator>` + "\n")
	}
	if m.Subject != "" {
		b.WriteString(`<dc:description><rdf:Alt><rdf:li xml:lang="x-default">` + esc(m.Subject) + `</rdf:li></rdf:Alt></dc:description>` + "\n")
	}
	b.WriteString(`<dc:language><rdf:Bag><rdf:li>` + esc(lang) + `</rdf:li></rdf:Bag></dc:language>` + "\n")
	if len(m.Keywords) > 0 {
		b.WriteString(`<pdf:Keywords>` + esc(strings.Join(m.Keywords, "; ")) + `</pdf:Keywords>` + "\n")
	}
	b.WriteString(`<pdf:Producer>` + esc(creator+" (fpdf)") + `</pdf:Producer>` + "\n")
	b.WriteString(`<xmp:CreatorTool>` + esc(creator) + `</xmp:CreatorTool>` + "\n")
	b.WriteString(`<xmp:CreateDate>` + date + `</xmp:CreateDate><xmp:ModifyDate>` + date + `</xmp:ModifyDate>` + "\n")
	if m.TemplateID != "" {
		b.WriteString(`<gongwen:Template>` + esc(m.TemplateID) + `</gongwen:Template>` + "\n")
	}
	if len(m.Notes) > 0 {
		b.WriteString(`<gongwen:Notes><rdf:Bag>`)
		for _, n := range m.Notes {
			b.WriteString(`<rdf:li>` + esc(n) + `</rdf:li>`)
		}
		b.WriteString(`</rdf:Bag></gongwen:Notes>` + "\n")
	}
	b.WriteString(`</rdf:Description></rdf:RDF></x:xmpmeta>` + "\n" + `<?xpacket end="w"?>`)
	return b.Bytes()
}
