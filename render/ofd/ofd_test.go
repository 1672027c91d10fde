package ofd_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"gongwen/fonts"
	"gongwen/gen/reportgen"
	"gongwen/internal/testkit"
	"gongwen/render"
	"gongwen/render/layout"
	"gongwen/render/ofd"
	"gongwen/render/ofd/ofdcheck"
	"gongwen/render/pdf"
)

// check runs the structural checker on an output and fails the test on any
// problem.
func check(t testing.TB, name string, out []byte) *ofdcheck.Package {
	t.Helper()
	p, err := ofdcheck.Check(out)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return p
}

// layoutOf lays doc out as both exporters do.
func layoutOf(t testing.TB, doc *render.Document) *layout.Result {
	t.Helper()
	book, err := fonts.Default()
	if err != nil {
		testkit.Missing(t, "font book: %v", err)
	}
	res, err := layout.Layout(doc, pdf.LayoutFonts(book))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// pageTexts are the laid-out pages' characters in drawing order, white
// space removed (it is drawn as room, not as TextCodes).
func pageTexts(res *layout.Result) []string {
	out := make([]string, len(res.Pages))
	for i, pg := range res.Pages {
		var b strings.Builder
		for _, t := range pg.Texts {
			b.WriteString(t.Text)
		}
		out[i] = stripSpace(b.String())
	}
	return out
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// TestExample: the example report as OFD-A passes the checker, carries the
// source, draws every character of the layout in order on as many pages as
// the PDF, is byte-identical when rendered again and no larger than the PDF.
func TestExample(t *testing.T) {
	raw := exampleJSON(t)
	doc := reportDocument(t, raw)
	doc.Meta.Created = time.Date(2025, 1, 15, 9, 30, 0, 0, time.UTC)
	r := renderer(t)
	opts := ofd.Options{Standard: ofd.StandardA, Version: "test",
		Source:     &ofd.Attachment{Name: "𥔲嘉镇2024年度报告.json", MIME: "application/json", Data: raw},
		Provenance: []ofd.Property{{Name: "standard", Value: "a"}}}
	out, err := r.Render(doc, opts)
	if err != nil {
		t.Fatal(err)
	}
	if *keep != "" {
		os.WriteFile(filepath.Join(*keep, "example.ofd"), out, 0o644)
	}
	p := check(t, "example", out)
	if p.DocType != "OFD-A" {
		t.Errorf("DocType %q", p.DocType)
	}
	again, err := r.Render(doc, opts)
	if err != nil || !bytes.Equal(out, again) {
		t.Errorf("second render differs (err %v)", err)
	}
	pdfOut, err := pdf.Render(doc, pdf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) > len(pdfOut) {
		t.Errorf("OFD is %d bytes, larger than the PDF's %d", len(out), len(pdfOut))
	}
	t.Logf("OFD %d bytes, PDF %d bytes, %d pages", len(out), len(pdfOut), len(p.Pages))
	want := pageTexts(layoutOf(t, doc))
	if len(p.Pages) != len(want) {
		t.Fatalf("%d pages, layout has %d", len(p.Pages), len(want))
	}
	for i, pg := range p.Pages {
		if got := pg.Text(); got != want[i] {
			t.Errorf("page %d text:\n got %s\nwant %s", i+1, got, want[i])
		}
	}
	for _, kv := range []ofdcheck.KV{{Name: "TemplateID", Value: doc.Meta.TemplateID}, {Name: "organ", Value: "𥔲嘉镇人民政府"}, {Name: "year", Value: "2024"}} {
		found := false
		for _, c := range p.Custom {
			found = found || c == kv
		}
		if !found {
			t.Errorf("CustomData %v missing from %v", kv, p.Custom)
		}
	}
	if got := p.DocInfo["CreationDate"]; got != "2025-01-15" {
		t.Errorf("CreationDate %q (the document date in UTC+8)", got)
	}
	if p.DocInfo["Title"] != doc.Meta.Title || p.DocInfo["Author"] != doc.Meta.Author {
		t.Errorf("DocInfo %v", p.DocInfo)
	}
	if len(p.DocInfo["DocID"]) != 32 {
		t.Errorf("DocID %q", p.DocInfo["DocID"])
	}

	a, err := ofd.ReadArchived(out)
	if err != nil {
		t.Fatal(err)
	}
	if a.Standard != ofd.StandardA || a.Source == nil || !bytes.Equal(a.Source.Data, raw) || a.Source.Name != opts.Source.Name {
		t.Errorf("ReadArchived = %+v", a)
	}
	if len(a.Provenance) != 1 || a.Provenance[0] != opts.Provenance[0] {
		t.Errorf("provenance %v", a.Provenance)
	}
	if !a.Created.Equal(doc.Meta.Created) {
		t.Errorf("created %v, want %v", a.Created, doc.Meta.Created)
	}

	// A plain OFD carries no source and says DocType OFD.
	plain, err := r.Render(doc, ofd.Options{Source: opts.Source})
	if err != nil {
		t.Fatal(err)
	}
	pp := check(t, "plain", plain)
	if pp.DocType != "OFD" {
		t.Errorf("plain DocType %q", pp.DocType)
	}
	if a, err := ofd.ReadArchived(plain); err != nil || a.Source != nil || a.Standard != ofd.StandardNone {
		t.Errorf("plain ReadArchived = %+v, %v", a, err)
	}
}

// TestGeneratedReports: 20 generated reports (blank cells, huge counts,
// long names) pass the checker and draw all their text.
func TestGeneratedReports(t *testing.T) {
	r := renderer(t)
	n := 20
	if testing.Short() {
		n = 5
	}
	for i := range n {
		raw := reportgen.Generate(2024, i).JSON()
		doc := reportDocument(t, raw)
		out, err := r.Render(doc, ofd.Options{Standard: ofd.StandardA, Source: &ofd.Attachment{Name: "r.json", Data: raw}})
		if err != nil {
			t.Fatalf("report %d: %v", i, err)
		}
		p := check(t, "report", out)
		want := pageTexts(layoutOf(t, doc))
		if len(p.Pages) != len(want) {
			t.Fatalf("report %d: %d pages, layout has %d", i, len(p.Pages), len(want))
		}
		for j, pg := range p.Pages {
			if pg.Text() != want[j] {
				t.Errorf("report %d page %d: text differs", i, j+1)
			}
		}
	}
}

// TestEdgeDocuments: colours, empty documents, odd characters.
func TestEdgeDocuments(t *testing.T) {
	r := renderer(t)
	base := reportDocument(t, exampleJSON(t))
	tests := map[string]func(d *render.Document){
		"markup characters": func(d *render.Document) {
			d.Blocks = append(d.Blocks, &render.Paragraph{Style: render.StyleBody, Runs: []render.Run{{Text: `a<b>&"c' d  e　f`}}})
			d.Meta.Title = `<&">`
		},
		"no blocks": func(d *render.Document) { d.Blocks = nil },
	}
	for name, edit := range tests {
		t.Run(name, func(t *testing.T) {
			d := *base
			d.Styles = map[string]render.Style{}
			for k, v := range base.Styles {
				d.Styles[k] = v
			}
			d.Blocks = append([]render.Block(nil), base.Blocks...)
			edit(&d)
			out, err := r.Render(&d, ofd.Options{})
			if err != nil {
				t.Fatal(err)
			}
			p := check(t, name, out)
			_ = p
		})
	}
}

func TestMissingGlyphIsAnError(t *testing.T) {
	r := renderer(t)
	d := reportDocument(t, exampleJSON(t))
	d.Blocks = append(d.Blocks, &render.Paragraph{Style: render.StyleBody, Runs: []render.Run{{Text: "\U000F0000"}}})
	_, err := r.Render(d, ofd.Options{})
	var mg *fonts.MissingGlyphError
	if !errors.As(err, &mg) || !errors.Is(err, ofd.ErrRender) {
		t.Fatalf("err = %v", err)
	}
}

// TestColors: coloured text and rules (the red 发文机关标志 and rule of GB/T
// 9704 templates) get FillColor / StrokeColor; black gets none.
func TestColors(t *testing.T) {
	doc := reportDocument(t, exampleJSON(t))
	res := layoutOf(t, doc)
	book, _ := fonts.Default()
	subsets, err := ofd.Subsets(book, res)
	if err != nil {
		t.Fatal(err)
	}
	pg := &res.Pages[0]
	pg.Texts[0].Color = render.Color{R: 0xCC}
	pg.Rules = append(pg.Rules, layout.Rule{X1: 79, Y1: 300, X2: 516, Y2: 300, Width: 1, Color: render.Color{R: 0xCC}})
	out, err := ofd.Write(doc, res, subsets, ofd.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := check(t, "colours", out)
	content := string(p.Files[p.Pages[0].Path])
	if strings.Count(content, `<ofd:FillColor Value="204 0 0"/>`) != 1 || strings.Count(content, `<ofd:StrokeColor Value="204 0 0"/>`) != 1 {
		t.Errorf("colours not drawn once each:\n%.600s", content)
	}
	if !strings.Contains(content, `<ofd:AbbreviatedData>M 0.176 0.176 L 154.34 0.176</ofd:AbbreviatedData>`) {
		t.Errorf("rule path: %.2000s", content[strings.Index(content, "<ofd:PathObject"):])
	}
}

// TestConcurrentRendersAgree: a Renderer is shared by a server's workers;
// renders at the same time give the bytes a render alone gives.
func TestConcurrentRendersAgree(t *testing.T) {
	r := renderer(t)
	docs := []*render.Document{reportDocument(t, exampleJSON(t))}
	for i := range 3 {
		docs = append(docs, reportDocument(t, reportgen.Generate(31, i).JSON()))
	}
	want := make([][]byte, len(docs))
	for i, d := range docs {
		var err error
		if want[i], err = r.Render(d, ofd.Options{Standard: ofd.StandardA}); err != nil {
			t.Fatal(err)
		}
	}
	errs := make(chan error, 4*len(docs))
	for range 4 {
		for i, d := range docs {
			go func() {
				got, err := r.Render(d, ofd.Options{Standard: ofd.StandardA})
				if err == nil && !bytes.Equal(got, want[i]) {
					err = errors.New("a concurrent render differs")
				}
				errs <- err
			}()
		}
	}
	for range 4 * len(docs) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
