package docx

import (
	"fmt"
	"strings"
	"time"

	"gongwen/render"
)

func (w *writer) contentTypes() error {
	w.s(xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>`)
	if len(w.embeds) > 0 {
		w.s(`<Default Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"/>`)
	}
	w.s(
		`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
			`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
			`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
			`<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>` +
			`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
			`<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
			`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
			`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
			`</Types>`)
	return nil
}

func (w *writer) packageRels() error {
	w.s(xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
		`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
		`</Relationships>`)
	return nil
}

// documentRels: rId4 and rId5 are the footers named in sectPr.
func (w *writer) documentRels() error {
	w.s(xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` +
		`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>` +
		`<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>` +
		`<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/>` +
		`</Relationships>`)
	return nil
}

// coreProps writes docProps/core.xml. Dates come from Meta.Created only,
// so the same document gives the same bytes, written with the offset of
// its location ("2025-01-20T00:00:00+08:00"; "Z" for UTC), the same
// instant and offset the PDF records. Notes (e.g. "rendered with
// unresolved problems") go to the description, which Word shows under
// File › Info and archives index.
func (w *writer) coreProps() error {
	m := &w.doc.Meta
	created := m.Created
	if created.IsZero() {
		created = time.Unix(0, 0).UTC()
	}
	if y := created.Year(); y < 1 || y > 9999 {
		return fmt.Errorf("%w: created date %v", ErrDocument, m.Created)
	}
	stamp := created.Format("2006-01-02T15:04:05Z07:00")
	fields := []struct{ name, value string }{
		{"title", m.Title}, {"subject", m.Subject}, {"creator", m.Author},
		{"keywords", strings.Join(m.Keywords, "; ")}, {"description", strings.Join(m.Notes, "\n")},
		{"language", m.Language},
	}
	for _, f := range fields {
		if err := CheckText(f.value); err != nil {
			return fmt.Errorf("%w: document %s: %w", ErrDocument, f.name, err)
		}
	}
	w.s(xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
		`xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	el := func(tag, v string) {
		if v == "" {
			return
		}
		w.s("<" + tag + ">")
		w.escaped(v)
		w.s("</" + tag + ">")
	}
	el("dc:title", m.Title)
	el("dc:subject", m.Subject)
	el("dc:creator", m.Author)
	el("cp:keywords", fields[3].value)
	el("dc:description", fields[4].value)
	el("cp:lastModifiedBy", m.Author)
	w.s(`<cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">` + stamp +
		`</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">` + stamp + `</dcterms:modified>`)
	el("dc:language", m.Language)
	w.s(`</cp:coreProperties>`)
	return nil
}

func (w *writer) appProps() error {
	w.s(xmlHeader + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" ` +
		`xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` +
		`<Template>Normal.dotm</Template><Application>gongwen</Application><DocSecurity>0</DocSecurity>` +
		`<ScaleCrop>false</ScaleCrop>`)
	if w.doc.Meta.Author != "" {
		w.s(`<Company>`)
		w.escaped(w.doc.Meta.Author)
		w.s(`</Company>`)
	}
	w.s(`<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>`)
	return nil
}

// settings writes word/settings.xml. evenAndOddHeaders gives odd and even
// pages their own footers (the page number changes sides);
// doNotCompress keeps every full-width punctuation mark one character wide
// so lines hold the grid's 28 characters, as in the PDF.
func (w *writer) settings() error {
	lang := w.doc.Meta.Language
	if lang == "" {
		lang = "zh-CN"
	}
	w.s(xmlHeader + `<w:settings ` + nsW + `>`)
	if len(w.embeds) > 0 {
		w.s(`<w:embedTrueTypeFonts/><w:saveSubsetFonts/>`)
	}
	w.s(`<w:defaultTabStop w:val="420"/>` +
		`<w:evenAndOddHeaders/><w:characterSpacingControl w:val="doNotCompress"/>` +
		`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
		`<w:themeFontLang w:val="en-US" w:eastAsia="`)
	w.escaped(lang)
	w.s(`"/><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>`)
	return nil
}

func (w *writer) footerOdd() error {
	return w.footer(w.doc.Page.PageNumber.OddAlign, render.AlignRight)
}
func (w *writer) footerEven() error {
	return w.footer(w.doc.Page.PageNumber.EvenAlign, render.AlignLeft)
}

// footer writes a footer holding the page number as a PAGE field between
// the format's text, e.g. "— " PAGE " —", inset from the text block edge.
func (w *writer) footer(align, fallback render.Align) error {
	w.s(xmlHeader + `<w:ftr ` + nsW + ` ` + nsR + `>`)
	s := w.pageNum
	if s == nil {
		w.s(`<w:p/></w:ftr>`)
		return nil
	}
	if align == "" {
		align = fallback
	}
	inset := w.doc.Page.PageNumber.InsetChars
	w.s(`<w:p><w:pPr><w:pStyle w:val="`)
	w.s(s.id)
	w.s(`"/>`)
	if inset > 0 && (align == render.AlignLeft || align == render.AlignRight) {
		side := "left"
		if align == render.AlignRight {
			side = "right"
		}
		w.s(`<w:ind`)
		w.attrInt("w:"+side+"Chars", roundInt(inset*100))
		w.attrInt("w:"+side, ptToTwips(inset*s.SizePt))
		w.s(`/>`)
	}
	w.s(`<w:jc w:val="`)
	w.s(jcValue(align))
	w.s(`"/></w:pPr>`)
	if err := w.run(w.numBefore, ""); err != nil {
		return fmt.Errorf("%w: page number format: %w", ErrDocument, err)
	}
	w.s(`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
		`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`)
	if err := w.run(w.numAfter, ""); err != nil {
		return fmt.Errorf("%w: page number format: %w", ErrDocument, err)
	}
	w.s(`</w:p></w:ftr>`)
	return nil
}
