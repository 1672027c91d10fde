package pdf_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"gongwen/internal/testkit"
	"gongwen/render/layout/layouttest"
	"gongwen/render/pdf"
)

// qpdfGraph is a file's object graph as qpdf --json=2 reports it: stream
// dictionaries as written, stream data decoded. It is an independent
// reader: the rules below are checked on what qpdf sees, not on what our
// writer meant to write.
type qpdfGraph struct {
	t       *testing.T
	objects map[string]map[string]any // "obj:12 0 R" → {"value": …} or {"stream": {"dict": …}}
	data    map[string][]byte         // decoded stream data
	trailer map[string]any
}

var refRE = regexp.MustCompile(`^\d+ \d+ R$`)

func loadGraph(t *testing.T, path string) *qpdfGraph {
	t.Helper()
	qpdf := testkit.Tool(t, "qpdf")
	read := func(args ...string) map[string]map[string]any {
		out, err := exec.Command(qpdf, append([]string{"--json=2", "--json-key=qpdf"}, append(args, path)...)...).Output()
		if err != nil {
			t.Fatalf("qpdf --json: %v", err)
		}
		var doc struct {
			QPDF []json.RawMessage `json:"qpdf"`
		}
		if err := json.Unmarshal(out, &doc); err != nil || len(doc.QPDF) != 2 {
			t.Fatalf("qpdf --json output: %v", err)
		}
		objs := map[string]map[string]any{}
		if err := json.Unmarshal(doc.QPDF[1], &objs); err != nil {
			t.Fatal(err)
		}
		return objs
	}
	g := &qpdfGraph{t: t, objects: read("--json-stream-data=none"), data: map[string][]byte{}}
	for k, o := range read("--json-stream-data=inline", "--decode-level=generalized") {
		if s, ok := o["stream"].(map[string]any); ok {
			if d, ok := s["data"].(string); ok {
				b, err := base64.StdEncoding.DecodeString(d)
				if err != nil {
					t.Fatal(err)
				}
				g.data[k] = b
			}
		}
	}
	g.trailer, _ = g.objects["trailer"]["value"].(map[string]any)
	return g
}

// resolve follows a reference ("12 0 R") to the object's dictionary (a
// stream's dictionary for streams), or returns v as it is.
func (g *qpdfGraph) resolve(v any) any {
	s, ok := v.(string)
	if !ok || !refRE.MatchString(s) {
		return v
	}
	o := g.objects["obj:"+s]
	if st, ok := o["stream"].(map[string]any); ok {
		return st["dict"]
	}
	return o["value"]
}

func (g *qpdfGraph) dict(v any) map[string]any {
	d, _ := g.resolve(v).(map[string]any)
	return d
}

func (g *qpdfGraph) streamData(ref any) []byte {
	s, _ := ref.(string)
	d, ok := g.data["obj:"+s]
	if !ok {
		g.t.Errorf("%v is not a stream with data", ref)
	}
	return d
}

func (g *qpdfGraph) isStream(ref any) bool {
	s, _ := ref.(string)
	_, ok := g.objects["obj:"+s]["stream"]
	return ok
}

// str is a qpdf JSON string value without its "u:" prefix.
func str(v any) string {
	s, _ := v.(string)
	return strings.TrimPrefix(s, "u:")
}

// each visits every dictionary of the file (objects, stream dictionaries
// and the dictionaries inside them).
func (g *qpdfGraph) each(f func(key string, d map[string]any)) {
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case map[string]any:
			f(key, x)
			for _, e := range x {
				walk(key, e)
			}
		case []any:
			for _, e := range x {
				walk(key, e)
			}
		}
	}
	for k, o := range g.objects {
		if st, ok := o["stream"].(map[string]any); ok {
			walk(k, st["dict"])
		} else {
			walk(k, o["value"])
		}
	}
}

// xmpValues reads the packet's simple properties by namespace and local
// name (first rdf:li for arrays), the namespaces properties use, and the
// properties each pdfaExtension schema describes.
type xmpValues struct {
	props     map[xml.Name]string
	used      map[xml.Name]bool
	described map[xml.Name]bool
}

func readXMPValues(t *testing.T, packet []byte) xmpValues {
	t.Helper()
	v := xmpValues{props: map[xml.Name]string{}, used: map[xml.Name]bool{}, described: map[xml.Name]bool{}}
	d := xml.NewDecoder(bytes.NewReader(packet))
	var stack []xml.Name
	var text strings.Builder
	var schemaNS string
	var schemaProps []string
	const rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch e := tok.(type) {
		case xml.StartElement:
			// A property is a child of rdf:Description.
			if len(stack) > 0 && stack[len(stack)-1] == (xml.Name{Space: rdf, Local: "Description"}) {
				v.used[e.Name] = true
			}
			// Simple properties may be attributes of rdf:Description.
			if e.Name == (xml.Name{Space: rdf, Local: "Description"}) {
				for _, a := range e.Attr {
					if a.Name.Space == "xmlns" || a.Name.Space == "" || a.Name.Space == rdf {
						continue
					}
					v.used[a.Name] = true
					if _, seen := v.props[a.Name]; !seen {
						v.props[a.Name] = a.Value
					}
				}
			}
			stack = append(stack, e.Name)
			text.Reset()
		case xml.CharData:
			text.Write(e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
			val := strings.TrimSpace(text.String())
			text.Reset()
			// The property an rdf:li belongs to, or the element itself.
			prop := e.Name
			for i := len(stack) - 1; i >= 0 && (prop.Space == rdf); i-- {
				prop = stack[i]
			}
			if _, seen := v.props[prop]; !seen && val != "" {
				v.props[prop] = val
			}
			switch e.Name.Local {
			case "namespaceURI":
				schemaNS = val
			case "name":
				if e.Name.Space == "http://www.aiim.org/pdfa/ns/property#" {
					schemaProps = append(schemaProps, val)
				}
			case "schema":
				// (the schema's description text)
			}
			if e.Name.Space == rdf && e.Name.Local == "li" && len(stack) >= 2 && stack[len(stack)-2].Local == "schemas" {
				for _, p := range schemaProps {
					v.described[xml.Name{Space: schemaNS, Local: p}] = true
				}
				schemaNS, schemaProps = "", nil
			}
		}
	}
	return v
}

// TestArchivalRules checks, for every standard, each rule of
// ../shared/notes/archival.md's table on the object graph qpdf reads, plus
// qpdf --check, pdffonts, pdftotext and pdfdetach.
func TestArchivalRules(t *testing.T) {
	source := []byte(`{"organ":"𥔲嘉镇人民政府","year":2024}` + "\n")
	for _, std := range []pdf.Standard{pdf.StandardA2b, pdf.StandardA3b, pdf.StandardA1b, pdf.StandardNone} {
		t.Run(string(std), func(t *testing.T) {
			doc := layouttest.Sample()
			doc.Meta.Created = archiveDate
			doc.Meta.Notes = []string{"rendered with unresolved problems"}
			doc.Meta.TemplateID = "gov-info-disclosure-annual/2021"
			doc.Meta.Subject = "政府信息公开工作年度报告"
			opts := pdf.Options{
				Version: "1.2.3", Standard: std,
				Source:     &pdf.Attachment{Name: "𥔲嘉镇2024年度报告.json", MIME: "application/json", Description: "报告数据", Data: source},
				Provenance: []pdf.Property{{Name: "PdfStandard", Value: string(std)}, {Name: "Created", Value: archiveDate.Format(time.RFC3339)}},
			}
			file, err := pdf.Render(doc, opts)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "doc.pdf")
			if err := os.WriteFile(path, file, 0o644); err != nil {
				t.Fatal(err)
			}
			g := loadGraph(t, path)
			checkArchivalRules(t, g, file, std)

			// Real clients.
			run := func(name string, args ...string) string {
				out, err := exec.Command(testkit.Tool(t, name), args...).CombinedOutput()
				if err != nil {
					t.Fatalf("%s %v: %v\n%s", name, args, err, out)
				}
				return string(out)
			}
			run("qpdf", "--check", path)
			fonts := strings.Split(strings.TrimSpace(run("pdffonts", path)), "\n")
			for _, l := range fonts[2:] {
				if f := strings.Fields(l); len(f) < 7 || f[len(f)-5] != "yes" {
					t.Errorf("font not embedded: %s", l)
				}
			}
			if text := run("pdftotext", path, "-"); !strings.Contains(text, "𥔲嘉镇人民政府") {
				t.Errorf("pdftotext lost 𥔲:\n%s", text)
			}
			list := run("pdfdetach", "-list", path)
			if std == pdf.StandardA3b {
				// (pdfdetach prints 𥔲's surrogate pair as two
				// characters; pdftotext and ReadArchived get it right.)
				if !strings.Contains(list, "1 embedded files") || !strings.Contains(list, "嘉镇2024年度报告.json") {
					t.Errorf("pdfdetach -list:\n%s", list)
				}
				saved := filepath.Join(t.TempDir(), "source.json")
				run("pdfdetach", "-save", "1", "-o", saved, path)
				if got, _ := os.ReadFile(saved); !bytes.Equal(got, source) {
					t.Errorf("pdfdetach -save gave %q, want %q", got, source)
				}
			} else if !strings.Contains(list, "0 embedded files") {
				t.Errorf("%s embeds files:\n%s", std, list)
			}

			// And our own reader agrees.
			a, err := pdf.ReadArchived(file)
			if err != nil {
				t.Fatal(err)
			}
			if a.Standard != std || !a.Created.Equal(archiveDate) || fmt.Sprint(a.Provenance) != fmt.Sprint(opts.Provenance) {
				t.Errorf("ReadArchived = %+v", a)
			}
			if (std == pdf.StandardA3b) != (a.Source != nil) {
				t.Errorf("ReadArchived source = %v", a.Source)
			} else if a.Source != nil && (!bytes.Equal(a.Source.Data, source) || a.Source.Name != opts.Source.Name || a.Source.MIME != "application/json" || a.Source.Description != "报告数据") {
				t.Errorf("ReadArchived source = %+v", a.Source)
			}
		})
	}
}

func checkArchivalRules(t *testing.T, g *qpdfGraph, file []byte, std pdf.Standard) {
	t.Helper()
	archival := std != pdf.StandardNone
	part1 := std == pdf.StandardA1b

	// header: %PDF-1.n at byte 0, then a comment line with 4 bytes > 127.
	wantVersion := "1.7"
	if part1 {
		wantVersion = "1.4"
	}
	if !bytes.HasPrefix(file, []byte("%PDF-"+wantVersion+"\n%")) {
		t.Errorf("header %q", file[:min(len(file), 16)])
	} else {
		high := 0
		for _, c := range file[10:14] {
			if c > 127 {
				high++
			}
		}
		if high < 4 {
			t.Errorf("binary comment %q", file[9:15])
		}
	}

	// trailer: /ID present and non-empty, no /Encrypt, nothing after %%EOF
	// but one EOL.
	ids, _ := g.trailer["/ID"].([]any)
	if len(ids) != 2 || len(str(ids[0])) < 10 || ids[0] != ids[1] {
		t.Errorf("trailer /ID = %v", g.trailer["/ID"])
	}
	if _, enc := g.trailer["/Encrypt"]; enc {
		t.Error("trailer has /Encrypt")
	}
	if !bytes.HasSuffix(file, []byte("%%EOF\n")) || bytes.Count(file, []byte("%%EOF")) != 1 {
		t.Error("file does not end with one EOF marker and an EOL")
	}

	// streams / filters: no LZW, no external streams; part 1: no object or
	// cross-reference streams (the others have both: the trailer is a
	// cross-reference stream, the dictionaries are in an object stream);
	// no transparency.
	catalog := g.dict(g.trailer["/Root"])
	objStms := 0
	g.each(func(key string, d map[string]any) {
		if d["/Type"] == "/ObjStm" {
			objStms++
		}
		if f, ok := d["/Filter"]; ok && strings.Contains(fmt.Sprint(f), "LZW") {
			t.Errorf("%s: LZW filter", key)
		}
		for _, k := range []string{"/FFilter", "/FDecodeParms"} {
			if _, ok := d[k]; ok {
				t.Errorf("%s: external stream (%s)", key, k)
			}
		}
		if tp := d["/Type"]; part1 && (tp == "/ObjStm" || tp == "/XRef") {
			t.Errorf("%s: %v (PDF/A-1 allows neither)", key, tp)
		}
		for _, k := range []string{"/SMask", "/CA", "/ca"} {
			if _, ok := d[k]; ok && part1 {
				t.Errorf("%s: transparency (%s)", key, k)
			}
		}
		if s := d["/S"]; s == "/JavaScript" || s == "/Launch" || s == "/Transparency" {
			t.Errorf("%s: forbidden %v", key, s)
		}
		if _, ok := d["/JavaScript"]; ok {
			t.Errorf("%s: JavaScript", key)
		}
	})
	if xrefStream := g.trailer["/Type"] == "/XRef"; !part1 && (objStms != 1 || !xrefStream) {
		t.Errorf("%d object streams, trailer %v: want one object stream and a cross-reference stream", objStms, g.trailer["/Type"])
	}

	// output intent: GTS_PDFA1 with an ICC profile of version < 5 (< 3 for
	// part 1), three components.
	intents, _ := catalog["/OutputIntents"].([]any)
	if !archival {
		if len(intents) != 0 {
			t.Error("plain PDF with an output intent")
		}
	} else if len(intents) != 1 {
		t.Errorf("%d output intents", len(intents))
	} else {
		oi := g.dict(intents[0])
		ref := oi["/DestOutputProfile"]
		icc := g.streamData(ref)
		if oi["/S"] != "/GTS_PDFA1" || len(icc) < 128 || string(icc[36:40]) != "acsp" || g.dict(ref)["/N"] != float64(3) {
			t.Errorf("output intent %v, profile %d bytes", oi, len(icc))
		} else if major := icc[8]; major >= 5 || part1 && major >= 3 {
			t.Errorf("ICC profile version %d.%d", major, icc[9]>>4)
		}
	}

	// fonts: embedded, CIDToGIDMap, CIDSet for part 1 (exact when present),
	// widths equal to the program's, no .notdef shown.
	pages := g.dict(catalog["/Pages"])
	kids, _ := pages["/Kids"].([]any)
	fontsSeen := 0
	for _, kid := range kids {
		page := g.dict(kid)
		res := g.dict(page["/Resources"])
		for _, ref := range g.dict(res["/Font"]) {
			fontsSeen++
			checkFont(t, g, ref, part1)
		}
		content := string(g.streamData(page["/Contents"]))
		for _, m := range regexp.MustCompile(`<([0-9A-F]*)> Tj`).FindAllStringSubmatch(content, -1) {
			for i := 0; i+4 <= len(m[1]); i += 4 {
				if m[1][i:i+4] == "0000" {
					t.Errorf("content shows .notdef: %s", m[0])
				}
			}
		}
	}
	if fontsSeen == 0 {
		t.Error("no fonts")
	}

	// metadata: XMP stream without filter, packet header without bytes or
	// encoding, pdfaid, Info = XMP, custom properties described.
	mdRef := catalog["/Metadata"]
	md := g.dict(mdRef)
	if md["/Subtype"] != "/XML" || md["/Filter"] != nil {
		t.Errorf("metadata stream %v", md)
	}
	packet := g.streamData(mdRef)
	if head, _, _ := bytes.Cut(packet, []byte("?>")); bytes.Contains(head, []byte("bytes=")) || bytes.Contains(head, []byte("encoding=")) {
		t.Errorf("packet header %q", head)
	}
	x := readXMPValues(t, packet)
	const (
		dc    = "http://purl.org/dc/elements/1.1/"
		nsPDF = "http://ns.adobe.com/pdf/1.3/"
		nsXMP = "http://ns.adobe.com/xap/1.0/"
		aid   = "http://www.aiim.org/pdfa/ns/id/"
	)
	part, conf := x.props[xml.Name{Space: aid, Local: "part"}], x.props[xml.Name{Space: aid, Local: "conformance"}]
	if want := map[pdf.Standard]string{pdf.StandardA1b: "1B", pdf.StandardA2b: "2B", pdf.StandardA3b: "3B", pdf.StandardNone: ""}[std]; part+conf != want {
		t.Errorf("pdfaid %s%s, want %s", part, conf, want)
	}
	info := g.dict(g.trailer["/Info"])
	for key, prop := range map[string]xml.Name{
		"/Title": {Space: dc, Local: "title"}, "/Author": {Space: dc, Local: "creator"}, "/Subject": {Space: dc, Local: "description"},
		"/Keywords": {Space: nsPDF, Local: "Keywords"}, "/Producer": {Space: nsPDF, Local: "Producer"}, "/Creator": {Space: nsXMP, Local: "CreatorTool"},
	} {
		if iv, xv := str(info[key]), x.props[prop]; iv != xv || iv == "" {
			t.Errorf("Info %s = %q, XMP %s = %q", key, iv, prop.Local, xv)
		}
	}
	for key, prop := range map[string]string{"/CreationDate": "CreateDate", "/ModDate": "ModifyDate"} {
		id, xd := str(info[key]), x.props[xml.Name{Space: nsXMP, Local: prop}]
		want := "D:" + archiveDate.Format("20060102150405") + "+08'00'"
		if id != want || xd != archiveDate.Format("2006-01-02T15:04:05-07:00") {
			t.Errorf("Info %s = %q (want %q), XMP %s = %q", key, id, want, prop, xd)
		}
	}
	predefined := map[string]bool{dc: true, nsPDF: true, nsXMP: true, aid: true, "http://www.aiim.org/pdfa/ns/extension/": true}
	for name := range x.used {
		if !predefined[name.Space] && !x.described[name] {
			t.Errorf("XMP property %s %s has no pdfaExtension description", name.Space, name.Local)
		}
	}

	// names / embedded files: none in parts 1–2 (not even an empty tree);
	// part 3 has them as associated files.
	names := g.dict(catalog["/Names"])
	_, hasEF := names["/EmbeddedFiles"]
	af, _ := catalog["/AF"].([]any)
	if std != pdf.StandardA3b {
		if hasEF || af != nil {
			t.Errorf("%s: embedded files or /AF", std)
		}
	} else {
		ef := g.dict(names["/EmbeddedFiles"])
		list, _ := ef["/Names"].([]any)
		if len(list) != 2 || len(af) != 1 || list[1] != af[0] {
			t.Fatalf("EmbeddedFiles %v, AF %v", ef, af)
		}
		spec := g.dict(af[0])
		file := g.dict(spec["/EF"])["/F"]
		fd := g.dict(file)
		params := g.dict(fd["/Params"])
		if spec["/AFRelationship"] != "/Source" || spec["/Type"] != "/Filespec" || str(spec["/UF"]) == "" || str(spec["/F"]) == "" ||
			fd["/Type"] != "/EmbeddedFile" || fd["/Subtype"] != "/application/json" || params["/ModDate"] == nil || params["/Size"] == nil {
			t.Errorf("file spec %v, file %v", spec, fd)
		}
	}

	// outlines: /Count on the root and on every item with children, equal
	// to its (open) descendants; First/Last/Prev/Next/Parent consistent.
	if ol := g.dict(catalog["/Outlines"]); ol == nil {
		t.Error("no outline")
	} else {
		var count func(parentRef any, d map[string]any) int
		count = func(parentRef any, d map[string]any) int {
			n := 0
			var prev any
			for ref := d["/First"]; ref != nil; {
				item := g.dict(ref)
				if item["/Parent"] != parentRef || item["/Prev"] != prev {
					t.Errorf("outline item %v: Parent %v Prev %v", ref, item["/Parent"], item["/Prev"])
				}
				n += 1 + count(ref, item)
				prev = ref
				if item["/Next"] == nil && d["/Last"] != ref {
					t.Errorf("outline: Last %v, but %v ends the list", d["/Last"], ref)
				}
				ref = item["/Next"]
			}
			if _, has := d["/First"]; has && d["/Count"] != float64(n) {
				t.Errorf("outline Count %v, %d descendants", d["/Count"], n)
			}
			return n
		}
		if count(catalog["/Outlines"], ol) == 0 {
			t.Error("outline has no items")
		}
	}
}

// checkFont checks one Type0 font against its embedded program, read
// with golang.org/x/image's sfnt (a reader independent of ours).
func checkFont(t *testing.T, g *qpdfGraph, ref any, part1 bool) {
	t.Helper()
	f := g.dict(ref)
	descendants, _ := f["/DescendantFonts"].([]any)
	if f["/Subtype"] != "/Type0" || len(descendants) != 1 {
		t.Errorf("font %v", f)
		return
	}
	cid := g.dict(descendants[0])
	desc := g.dict(cid["/FontDescriptor"])
	if cid["/Subtype"] != "/CIDFontType2" || cid["/CIDToGIDMap"] != "/Identity" || !g.isStream(desc["/FontFile2"]) {
		t.Errorf("CID font %v, descriptor %v", cid, desc)
		return
	}
	program := g.streamData(desc["/FontFile2"])
	sf, err := sfnt.Parse(program)
	if err != nil {
		t.Errorf("%v: %v", cid["/BaseFont"], err)
		return
	}
	n := sf.NumGlyphs()
	if set, ok := desc["/CIDSet"]; ok {
		bits := g.streamData(set)
		for c := range 8 * len(bits) {
			if on := bits[c/8]&(0x80>>(c%8)) != 0; on != (c < n) {
				t.Errorf("%v: CIDSet bit %d is %v with %d glyphs", cid["/BaseFont"], c, on, n)
				break
			}
		}
		if len(bits) != (n+7)/8 {
			t.Errorf("CIDSet of %d bytes for %d glyphs", len(bits), n)
		}
	} else if part1 {
		t.Errorf("%v: no CIDSet (PDF/A-1 requires it for subsets)", cid["/BaseFont"])
	}
	// Widths: /DW for glyphs /W does not list.
	upem := int(sf.UnitsPerEm())
	widths := map[int]float64{}
	w, _ := cid["/W"].([]any)
	for i := 0; i+1 < len(w); i += 2 {
		first, _ := w[i].(float64)
		run, _ := w[i+1].([]any)
		for k, v := range run {
			widths[int(first)+k], _ = v.(float64)
		}
	}
	dw, _ := cid["/DW"].(float64)
	var buf sfnt.Buffer
	for gid := range n {
		adv, err := sf.GlyphAdvance(&buf, sfnt.GlyphIndex(gid), fixed.Int26_6(upem<<6), font.HintingNone)
		if err != nil {
			t.Fatal(err)
		}
		want, ok := widths[gid]
		if !ok {
			want = dw
		}
		// Exact: the dictionary width times units per em over 1000 is the
		// program's advance.
		if got := want * float64(upem) / 1000; got != float64(adv>>6) || adv&63 != 0 {
			t.Errorf("%v glyph %d: width %s (= %g units), program advance %d", cid["/BaseFont"], gid, strconv.FormatFloat(want, 'f', -1, 64), got, adv>>6)
			return
		}
	}
}

// ReadArchived reads what qpdf makes of our files too: every object whole
// with a classic table, and object streams with a cross-reference stream
// whose rows carry the PNG Up predictor (which gongwen does not write).
func TestReadArchivedAfterQpdf(t *testing.T) {
	qpdf := testkit.Tool(t, "qpdf")
	doc := layouttest.Sample()
	doc.Meta.Created = archiveDate
	opts := pdf.Options{Version: "test", Standard: pdf.StandardA3b,
		Source:     &pdf.Attachment{Name: "嘉镇.json", MIME: "application/json", Data: []byte(`{"a":1}`)},
		Provenance: []pdf.Property{{Name: "template", Value: "t/1"}, {Name: "zone", Value: "+08:00"}}}
	file, err := pdf.Render(doc, opts)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, file, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{"disable", "generate"} {
		out := filepath.Join(dir, mode+".pdf")
		if msg, err := exec.Command(qpdf, "--object-streams="+mode, in, out).CombinedOutput(); err != nil {
			t.Fatalf("qpdf: %v\n%s", err, msg)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if mode == "generate" && !bytes.Contains(b, []byte("/Predictor")) {
			t.Errorf("qpdf wrote no predictor; the test does not test it")
		}
		a, err := pdf.ReadArchived(b)
		if err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		if a.Standard != pdf.StandardA3b || !a.Created.Equal(archiveDate) || a.Source == nil || string(a.Source.Data) != `{"a":1}` ||
			a.Source.Name != "嘉镇.json" || fmt.Sprint(a.Provenance) != fmt.Sprint(opts.Provenance) {
			t.Errorf("%s: %+v", mode, a)
		}
	}
}
