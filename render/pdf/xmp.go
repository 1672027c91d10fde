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
// dates exactly as the Info dictionary has them, and gongwen's own
// properties (template, notes such as "rendered with unresolved problems",
// provenance) together with the pdfaExtension schema that PDF/A requires
// for properties outside the predefined schemas.
func xmp(doc *render.Document, info docInfo, opts Options, std Standard) []byte {
	m := doc.Meta
	var b bytes.Buffer
	esc := func(s string) string {
		var e bytes.Buffer
		_ = xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	desc := func(prefix, ns string) {
		b.WriteString(`<rdf:Description rdf:about="" xmlns:` + prefix + `="` + ns + `">` + "\n")
	}
	end := "</rdf:Description>\n"
	b.WriteString(`<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>` + "\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="` + nsRDF + `">` + "\n")
	if part, conf, ok := std.identification(); ok {
		desc("pdfaid", nsPDFAID)
		b.WriteString(`<pdfaid:part>` + part + `</pdfaid:part><pdfaid:conformance>` + conf + `</pdfaid:conformance>` + "\n")
		b.WriteString(end)
	}

	desc("dc", nsDC)
	b.WriteString(`<dc:format>application/pdf</dc:format>` + "\n")
	if info.title != "" {
		b.WriteString(`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + esc(info.title) + `</rdf:li></rdf:Alt></dc:title>` + "\n")
	}
	if info.author != "" {
		b.WriteString(`<dc:creator><rdf:Seq><rdf:li>` + esc(info.author) + `</rdf:li></rdf:Seq></dc:creator>` + "\n")
	}
	if info.subject != "" {
		b.WriteString(`<dc:description><rdf:Alt><rdf:li xml:lang="x-default">` + esc(info.subject) + `</rdf:li></rdf:Alt></dc:description>` + "\n")
	}
	b.WriteString(`<dc:language><rdf:Bag><rdf:li>` + esc(info.lang) + `</rdf:li></rdf:Bag></dc:language>` + "\n")
	b.WriteString(end)

	desc("pdf", nsPDF)
	if info.keywords != "" {
		b.WriteString(`<pdf:Keywords>` + esc(info.keywords) + `</pdf:Keywords>` + "\n")
	}
	b.WriteString(`<pdf:Producer>` + esc(info.producer) + `</pdf:Producer>` + "\n")
	b.WriteString(end)

	date := xmpDate(info.created)
	desc("xmp", nsXMP)
	b.WriteString(`<xmp:CreatorTool>` + esc(info.creator) + `</xmp:CreatorTool>` + "\n")
	b.WriteString(`<xmp:CreateDate>` + date + `</xmp:CreateDate><xmp:ModifyDate>` + date + `</xmp:ModifyDate><xmp:MetadataDate>` + date + `</xmp:MetadataDate>` + "\n")
	b.WriteString(end)

	// gongwen's properties, each described in the extension schema.
	type prop struct{ name, valueType, description string }
	var own []prop
	if m.TemplateID != "" {
		own = append(own, prop{"Template", "Text", "Identifier of the gongwen template the document was rendered with"})
	}
	if len(m.Notes) > 0 {
		own = append(own, prop{"Notes", "bag Text", "Remarks on how the document was rendered, e.g. rendered with unresolved problems"})
	}
	var prov []prop
	for _, p := range opts.Provenance {
		prov = append(prov, prop{p.Name, "Text", "gongwen render provenance: " + p.Name})
	}
	schema := func(name, ns, prefix string, props []prop) {
		if len(props) == 0 {
			return
		}
		b.WriteString(`<rdf:li rdf:parseType="Resource"><pdfaSchema:schema>` + name + `</pdfaSchema:schema><pdfaSchema:namespaceURI>` + ns + `</pdfaSchema:namespaceURI><pdfaSchema:prefix>` + prefix + `</pdfaSchema:prefix><pdfaSchema:property><rdf:Seq>` + "\n")
		for _, p := range props {
			b.WriteString(`<rdf:li rdf:parseType="Resource"><pdfaProperty:name>` + p.name + `</pdfaProperty:name><pdfaProperty:valueType>` + p.valueType + `</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>` + esc(p.description) + `</pdfaProperty:description></rdf:li>` + "\n")
		}
		b.WriteString(`</rdf:Seq></pdfaSchema:property></rdf:li>` + "\n")
	}
	if len(own)+len(prov) > 0 {
		b.WriteString(`<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">` + "\n")
		b.WriteString(`<pdfaExtension:schemas><rdf:Bag>` + "\n")
		schema("gongwen document properties", nsGongwen, "gongwen", own)
		schema("gongwen render provenance", nsProvenance, "gwprov", prov)
		b.WriteString(`</rdf:Bag></pdfaExtension:schemas>` + "\n")
		b.WriteString(end)
	}
	if len(own) > 0 {
		desc("gongwen", nsGongwen)
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
		b.WriteString(end)
	}
	if len(opts.Provenance) > 0 {
		desc("gwprov", nsProvenance)
		for _, p := range opts.Provenance {
			b.WriteString(`<gwprov:` + p.Name + `>` + esc(p.Value) + `</gwprov:` + p.Name + `>` + "\n")
		}
		b.WriteString(end)
	}
	b.WriteString(`</rdf:RDF></x:xmpmeta>` + "\n" + `<?xpacket end="w"?>`)
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
