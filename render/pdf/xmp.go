package pdf

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"gongwen/render"
)

// XMP namespaces.
const (
	nsRDF        = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsDC         = "http://purl.org/dc/elements/1.1/"
	nsPDF        = "http://ns.adobe.com/pdf/1.3/"
	nsXMP        = "http://ns.adobe.com/xap/1.0/"
	nsPDFAID     = "http://www.aiim.org/pdfa/ns/id/"
	nsGongwen    = "https://gongwen.example/ns/1.0/"
	nsProvenance = "https://gongwen.example/ns/provenance/1.0/"
)

// docInfo is the document information written twice, into the Info
// dictionary and into the XMP packet; PDF/A requires both to agree, so
// both are written from this one value.
type docInfo struct {
	title, author, subject, keywords string
	creator, producer                string
	lang                             string
	created                          time.Time // in the zone dates are written with
}

func newDocInfo(doc *render.Document, opts Options) docInfo {
	m := doc.Meta
	version := opts.Version
	if version == "" {
		version = "dev"
	}
	lang := m.Language
	if lang == "" {
		lang = "zh-CN"
	}
	created := m.Created
	if created.IsZero() {
		created = time.Unix(0, 0)
	}
	zone := opts.Zone
	if zone == nil {
		zone = chinaZone
	}
	return docInfo{
		title:    m.Title,
		author:   m.Author,
		subject:  m.Subject,
		keywords: strings.Join(append(append([]string(nil), m.Keywords...), m.Notes...), "; "),
		creator:  "gongwen " + version,
		producer: "gongwen " + version,
		lang:     lang,
		created:  created.In(zone),
	}
}

// chinaZone is the default offset of document dates.
var chinaZone = time.FixedZone("CST", 8*3600)

// pdfDate is t as a PDF date with its offset, D:YYYYMMDDHHmmSS+HH'mm'.
func pdfDate(t time.Time) string {
	_, off := t.Zone()
	sign := byte('+')
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("D:%s%c%02d'%02d'", t.Format("20060102150405"), sign, off/3600, off/60%60)
}

// xmpDate is t as an XMP date with the same explicit offset.
func xmpDate(t time.Time) string { return t.Format("2006-01-02T15:04:05-07:00") }

// validPropertyName reports whether a provenance name can be an XML local
// name as written (ASCII letter, then letters and digits).
func validPropertyName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i, c := range []byte(s) {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// xmp is the document's XMP packet: the PDF/A identification, Dublin Core
// title, author, subject and language, the keywords, producer, tool and
// dates exactly as the Info dictionary has them, gongwen's notes (such as
// "rendered with unresolved problems") and the render provenance, with the
// pdfaExtension schema that PDF/A requires for properties outside the
// predefined schemas.
//
// The packet is written uncompressed (PDF/A-1 forbids filters on it), so it
// is kept small: no whitespace between elements, the predefined simple
// properties as attributes. What PDFBox's XMP parser (Preflight) needs to
// check the custom properties decides the rest: the extension schemas in
// an rdf:Description of their own whose first child is
// pdfaExtension:schemas (it reads that one first), each property described
// in the element form of its structure, and the custom properties as
// elements (it ignores unknown attributes, so it would not check them).
// The template is recorded once, as gwprov:template (files before 2026-12
// also had a gongwen:Template, which nothing reads).
func xmp(doc *render.Document, info docInfo, opts Options, std Standard) []byte {
	m := doc.Meta
	b := bytes.NewBuffer(make([]byte, 0, 2048))
	esc := func(s string) string {
		var e bytes.Buffer
		_ = xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	attr := func(name, value string) {
		b.WriteString(" " + name + `="` + esc(value) + `"`)
	}
	notes := len(m.Notes) > 0
	b.WriteString(`<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>`)
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="` + nsRDF + `">`)

	// The extension schemas: every gongwen property with its name, value
	// type, category and a short description.
	if notes || len(opts.Provenance) > 0 {
		type prop struct{ name, valueType, description string }
		schema := func(name, ns, prefix string, props []prop) {
			b.WriteString(`<rdf:li rdf:parseType="Resource"><pdfaSchema:schema>` + name + `</pdfaSchema:schema><pdfaSchema:namespaceURI>` + ns + `</pdfaSchema:namespaceURI><pdfaSchema:prefix>` + prefix + `</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>`)
			for _, p := range props {
				b.WriteString(`<rdf:li rdf:parseType="Resource"><pdfaProperty:name>` + p.name + `</pdfaProperty:name><pdfaProperty:valueType>` + p.valueType + `</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>` + esc(p.description) + `</pdfaProperty:description></rdf:li>`)
			}
			b.WriteString(`</rdf:Seq></pdfaSchema:property></rdf:li>`)
		}
		b.WriteString(`<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"><pdfaExtension:schemas><rdf:Bag>`)
		if notes {
			schema("gongwen document properties", nsGongwen, "gongwen", []prop{{"Notes", "bag Text", "How the document was rendered"}})
		}
		if len(opts.Provenance) > 0 {
			props := make([]prop, len(opts.Provenance))
			for i, p := range opts.Provenance {
				props[i] = prop{p.Name, "Text", "Render option for gongwen verify"}
			}
			schema("gongwen render provenance", nsProvenance, "gwprov", props)
		}
		b.WriteString(`</rdf:Bag></pdfaExtension:schemas></rdf:Description>`)
	}

	b.WriteString(`<rdf:Description rdf:about=""`)
	part, conf, pdfa := std.identification()
	if pdfa {
		attr("xmlns:pdfaid", nsPDFAID)
	}
	attr("xmlns:dc", nsDC)
	attr("xmlns:pdf", nsPDF)
	attr("xmlns:xmp", nsXMP)
	if notes {
		attr("xmlns:gongwen", nsGongwen)
	}
	if len(opts.Provenance) > 0 {
		attr("xmlns:gwprov", nsProvenance)
	}
	if pdfa {
		attr("pdfaid:part", part)
		attr("pdfaid:conformance", conf)
	}
	attr("dc:format", "application/pdf")
	if info.keywords != "" {
		attr("pdf:Keywords", info.keywords)
	}
	attr("pdf:Producer", info.producer)
	date := xmpDate(info.created)
	attr("xmp:CreatorTool", info.creator)
	attr("xmp:CreateDate", date)
	attr("xmp:ModifyDate", date)
	attr("xmp:MetadataDate", date)
	b.WriteString(">")
	if info.title != "" {
		b.WriteString(`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + esc(info.title) + `</rdf:li></rdf:Alt></dc:title>`)
	}
	if info.author != "" {
		b.WriteString(`<dc:creator><rdf:Seq><rdf:li>` + esc(info.author) + `</rdf:li></rdf:Seq></dc:creator>`)
	}
	if info.subject != "" {
		b.WriteString(`<dc:description><rdf:Alt><rdf:li xml:lang="x-default">` + esc(info.subject) + `</rdf:li></rdf:Alt></dc:description>`)
	}
	b.WriteString(`<dc:language><rdf:Bag><rdf:li>` + esc(info.lang) + `</rdf:li></rdf:Bag></dc:language>`)
	if notes {
		b.WriteString(`<gongwen:Notes><rdf:Bag>`)
		for _, n := range m.Notes {
			b.WriteString(`<rdf:li>` + esc(n) + `</rdf:li>`)
		}
		b.WriteString(`</rdf:Bag></gongwen:Notes>`)
	}
	for _, p := range opts.Provenance {
		b.WriteString(`<gwprov:` + p.Name + `>` + esc(p.Value) + `</gwprov:` + p.Name + `>`)
	}
	b.WriteString(`</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`)
	return b.Bytes()
}

// identification is the pdfaid part and conformance of s; false for none.
func (s Standard) identification() (part, conformance string, ok bool) {
	switch s {
	case StandardA1b:
		return "1", "B", true
	case StandardA2b, "":
		return "2", "B", true
	case StandardA3b:
		return "3", "B", true
	}
	return "", "", false
}
