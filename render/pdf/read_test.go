package pdf

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"gongwen/render"
	"gongwen/render/layout/layouttest"
)

func TestReadArchivedProvenanceAndDate(t *testing.T) {
	r := renderer(t)
	doc := layouttest.Sample()
	doc.Meta.Created = time.Date(2025, 1, 20, 8, 0, 0, 0, time.UTC)
	prov := []Property{{Name: "PdfStandard", Value: "a-2b"}, {Name: "Template", Value: "annual-report & <x>"}, {Name: "Created", Value: "2025-01-20T08:00:00Z"}}
	out, err := r.Render(doc, Options{Version: "test", Provenance: prov})
	if err != nil {
		t.Fatal(err)
	}
	a, err := ReadArchived(out)
	if err != nil {
		t.Fatal(err)
	}
	if !a.Created.Equal(doc.Meta.Created) {
		t.Errorf("Created = %v, want %v", a.Created, doc.Meta.Created)
	}
	if fmt.Sprint(a.Provenance) != fmt.Sprint(prov) {
		t.Errorf("Provenance = %v, want %v", a.Provenance, prov)
	}
}

func TestRenderRejectsBadOptions(t *testing.T) {
	r := renderer(t)
	for _, o := range []Options{
		{Standard: "a-4z"},
		{Provenance: []Property{{Name: "1st", Value: "x"}}},
		{Provenance: []Property{{Name: "a b", Value: "x"}}},
		{Provenance: []Property{{Name: "", Value: "x"}}},
	} {
		if _, err := r.Render(layouttest.Sample(), o); err == nil {
			t.Errorf("Render(%+v): no error", o)
		}
	}
}

// minimalPDF is a hand-written file with an associated Source file, so the
// reader is checked against something our writer did not produce.
func minimalPDF() []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(s string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), s)
	}
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	obj("<< /Type /Catalog /Pages 2 0 R /AF [4 0 R] /Metadata 6 0 R >>")
	obj("<< /Type /Pages /Kids [] /Count 0 >>")
	obj("(unused \\(string\\) \\101)")
	obj("<< /Type /Filespec /F (r.json) /UF <FEFFD855DD32002E006A0073006F006E> /Desc (the \\(source\\)) /AFRelationship /Source /EF << /F 5 0 R /UF 5 0 R >> >>")
	obj("<< /Type /EmbeddedFile /Subtype /application#2Fjson /Length 7 0 R >>\nstream\n{\"a\":1}\nendstream")
	packet := `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" pdfaid:part="3" pdfaid:conformance="B"/><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreateDate>2024-12-31T23:59:59+08:00</xmp:CreateDate></rdf:Description><rdf:Description rdf:about="" xmlns:gwprov="https://gongwen.example/ns/provenance/1.0/"><gwprov:Fonts>a &amp; b</gwprov:Fonts></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`
	obj(fmt.Sprintf("<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream", len(packet), packet))
	obj("7")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

func TestReadArchivedHandWritten(t *testing.T) {
	a, err := ReadArchived(minimalPDF())
	if err != nil {
		t.Fatal(err)
	}
	if a.Standard != StandardA3b {
		t.Errorf("Standard = %q", a.Standard)
	}
	want := Attachment{Name: "𥔲.json", MIME: "application/json", Description: "the (source)", Data: []byte(`{"a":1}`)}
	if a.Source == nil || fmt.Sprint(*a.Source) != fmt.Sprint(want) {
		t.Errorf("Source = %+v, want %+v", a.Source, want)
	}
	if len(a.Provenance) != 1 || a.Provenance[0] != (Property{Name: "Fonts", Value: "a & b"}) {
		t.Errorf("Provenance = %v", a.Provenance)
	}
	if w := time.Date(2024, 12, 31, 15, 59, 59, 0, time.UTC); !a.Created.Equal(w) {
		t.Errorf("Created = %v, want %v", a.Created, w)
	}
	for _, bad := range [][]byte{nil, []byte("%PDF-1.4\n"), []byte("%PDF-1.4\nstartxref\n99999\n%%EOF"), []byte("not a pdf")} {
		if _, err := ReadArchived(bad); err == nil {
			t.Errorf("ReadArchived(%q): no error", bad)
		}
	}
}

func FuzzReadArchived(f *testing.F) {
	f.Add(minimalPDF())
	f.Add(tinyPacked())
	f.Add([]byte("%PDF-1.4\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"))
	f.Add([]byte("%PDF-1.4\n1 0 obj\n<< /Length 1 0 R >>\nstream\nxx\nendstream\nendobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<< /Root 1 0 R /Prev 60 >>\nstartxref\n60\n%%EOF\n"))
	// A real file of ours (a-3b, with a source), when fonts are installed.
	if r, err := Default(); err == nil {
		doc := layouttest.Sample()
		doc.Blocks = []render.Block{layouttest.Para(render.StyleBody, "𥔲嘉")}
		if out, err := r.Render(doc, Options{Standard: StandardA3b, Source: &Attachment{Name: "r.json", Data: []byte("{}")}, Provenance: []Property{{Name: "A", Value: "b"}}}); err == nil {
			f.Add(out)
		}
	}
	recoverReadPanics = false
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ReadArchived(data)
		if err == nil && a == nil {
			t.Fatal("nil result without error")
		}
	})
}

// readXMP reads the element form of earlier files (one rdf:Description a
// namespace, gongwen:Template beside gwprov:template) and the attribute
// form alike.
func TestReadXMPForms(t *testing.T) {
	const head = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">`
	const tail = `</rdf:RDF></x:xmpmeta><?xpacket end="w"?>`
	for name, packet := range map[string]string{
		"elements, 2025": `<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<xmp:CreateDate>2025-01-20T09:30:00+08:00</xmp:CreateDate>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:gongwen="https://gongwen.example/ns/1.0/">
<gongwen:Template>t/1</gongwen:Template>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:gwprov="https://gongwen.example/ns/provenance/1.0/">
<gwprov:template>t/1</gwprov:template>
<gwprov:zone>+08:00</gwprov:zone>
</rdf:Description>`,
		"attributes":  `<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:gwprov="https://gongwen.example/ns/provenance/1.0/" pdfaid:part="2" pdfaid:conformance="B" xmp:CreateDate="2025-01-20T09:30:00+08:00" gwprov:template="t/1" gwprov:zone="+08:00"/>`,
		"this writer": `<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:gwprov="https://gongwen.example/ns/provenance/1.0/" pdfaid:part="2" pdfaid:conformance="B" xmp:CreateDate="2025-01-20T09:30:00+08:00"><gwprov:template>t/1</gwprov:template><gwprov:zone>+08:00</gwprov:zone></rdf:Description>`,
	} {
		a := &Archived{}
		readXMP([]byte(head+packet+tail), a)
		want := []Property{{Name: "template", Value: "t/1"}, {Name: "zone", Value: "+08:00"}}
		if a.Standard != StandardA2b || a.Created.Format(time.RFC3339) != "2025-01-20T09:30:00+08:00" || fmt.Sprint(a.Provenance) != fmt.Sprint(want) {
			t.Errorf("%s: %+v", name, a)
		}
	}
}

// tinyPacked is a small file of the packed writer: the catalog and Info
// inside the object stream, the XMP packet beside it, a cross-reference
// stream.
func tinyPacked() []byte {
	w := newFileWriter("1.7", true, 0)
	catalog, info, meta := w.alloc(), w.alloc(), w.alloc()
	w.object(catalog, fmt.Sprintf("<< /Type /Catalog /Metadata %d 0 R >>", meta))
	w.object(info, "<< /CreationDate (D:20241231235959+08'00') >>")
	packet := `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" pdfaid:part="2" pdfaid:conformance="B"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`
	w.rawStream(meta, "/Type /Metadata /Subtype /XML", []byte(packet))
	out, err := w.finish(catalog, info)
	if err != nil {
		panic(err)
	}
	return out
}

func TestReadArchivedPacked(t *testing.T) {
	file := tinyPacked()
	a, err := ReadArchived(file)
	if err != nil {
		t.Fatal(err)
	}
	if w := time.Date(2024, 12, 31, 15, 59, 59, 0, time.UTC); a.Standard != StandardA2b || !a.Created.Equal(w) {
		t.Errorf("%+v", a)
	}
	// Damage that must give an error, never a panic or a wrong answer.
	for name, damage := range map[string]func([]byte) []byte{
		"object stream header": func(b []byte) []byte {
			return bytes.Replace(b, []byte("/Type /ObjStm /N 2"), []byte("/Type /ObjStm /N 9"), 1)
		},
		"xref stream widths": func(b []byte) []byte { return bytes.Replace(b, []byte("/W [1 "), []byte("/W [9 "), 1) },
		"xref stream type": func(b []byte) []byte {
			return bytes.Replace(b, []byte("/Type /XRef"), []byte("/Type /XReg"), 1)
		},
	} {
		if _, err := ReadArchived(damage(bytes.Clone(file))); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
