package docx_test

import (
	"context"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gongwen/internal/testkit"
	"gongwen/render"
	"gongwen/render/docx"
	"gongwen/report"
)

var (
	bboxPage = regexp.MustCompile(`<page `)
	bboxWord = regexp.MustCompile(`<word [^>]*>([^<]*)</word>`)
)

// pageTexts is the text of each page of a PDF, words joined without
// spaces, from pdftotext -bbox.
func pageTexts(t *testing.T, pdf string) []string {
	t.Helper()
	out, err := exec.Command(testkit.Tool(t, "pdftotext"), "-bbox", "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox %s: %v", pdf, err)
	}
	var pages []string
	for _, p := range bboxPage.Split(string(out), -1)[1:] {
		var b strings.Builder
		for _, m := range bboxWord.FindAllStringSubmatch(p, -1) {
			b.WriteString(html.UnescapeString(m[1]))
		}
		pages = append(pages, b.String())
	}
	return pages
}

// pdfWords are the words of a PDF, from pdftotext -bbox.
func pdfWords(t *testing.T, pdf string) []string {
	t.Helper()
	out, err := exec.Command(testkit.Tool(t, "pdftotext"), "-bbox", "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox %s: %v", pdf, err)
	}
	var words []string
	for _, m := range bboxWord.FindAllStringSubmatch(string(out), -1) {
		words = append(words, html.UnescapeString(m[1]))
	}
	return words
}

func pageOf(pages []string, s string) int {
	for i, p := range pages {
		if strings.Contains(p, s) {
			return i + 1
		}
	}
	return 0
}

// withLongerOverview is the example with k more clauses in its first
// paragraph after the preface, which moves the tables down the pages.
func withLongerOverview(t *testing.T, k int) *render.Document {
	t.Helper()
	base := exampleDocument(t)
	doc := *base
	doc.Blocks = append([]render.Block(nil), base.Blocks...)
	for i, b := range doc.Blocks {
		if p, ok := b.(*render.Paragraph); ok && strings.HasPrefix(p.Text(), "2024年以来") {
			q := *p
			q.Runs = append([]render.Run(nil), p.Runs...)
			q.Runs[len(q.Runs)-1].Text += strings.Repeat("加强政府信息公开工作。", k)
			doc.Blocks[i] = &q
			return &doc
		}
	}
	t.Fatal("the example has no paragraph starting 2024年以来")
	return nil
}

// TestLibreOfficeTables: in LibreOffice's rendering of the DOCX, a group
// heading of table 二 never ends a page without its first row, and table
// 三 never starts with its header and a single row at a page foot (the
// example's overview grows clause by clause so that every group comes to
// the foot of a page; LibreOffice split them before the rows were marked
// keep-with-next); counts of five and six digits never wrap in their
// cells, and narrow heads break between words.
func TestLibreOfficeTables(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice conversion takes seconds")
	}
	dir := t.TempDir()
	var files []string
	for k := 24; k <= 52; k++ {
		out, err := docx.Render(withLongerOverview(t, k), docx.Options{})
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(dir, fmt.Sprintf("k%02d.docx", k))
		if err := os.WriteFile(name, out, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	// Counts of five and six digits in every cell of tables 三 and 四
	// (numbers the example's text does not hold).
	counts := withLongerOverview(t, 0)
	for i, b := range counts.Blocks {
		tb, ok := b.(*render.Table)
		if !ok || (tb.Name != "表三" && tb.Name != "表四") {
			continue
		}
		c := *tb
		c.Rows = make([]render.Row, len(tb.Rows))
		for r, row := range tb.Rows {
			c.Rows[r].Cells = append([]render.Cell(nil), row.Cells...)
			for k := range c.Rows[r].Cells {
				if cell := &c.Rows[r].Cells[k]; cell.Path != "" {
					cell.Text = map[string]string{"表三": "98765", "表四": "246810"}[tb.Name]
				}
			}
		}
		counts.Blocks[i] = &c
	}
	out, err := docx.Render(counts, docx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	countsFile := filepath.Join(dir, "counts.docx")
	if err := os.WriteFile(countsFile, out, 0o644); err != nil {
		t.Fatal(err)
	}
	convertWithLibreOffice(t, dir, append(files, countsFile)...)
	whole := map[string]int{}
	for _, w := range pdfWords(t, filepath.Join(dir, "counts.pdf")) {
		whole[w]++
	}
	if whole["98765"] != 25*7 || whole["246810"] != 15 {
		t.Errorf("LibreOffice set %d whole 98765 (want %d) and %d whole 246810 (want 15): a number wrapped in its cell; %v",
			whole["98765"], 25*7, whole["246810"], whole)
	}
	for _, broken := range []string{"社会公", "法律服"} {
		if whole[broken] > 0 {
			t.Errorf("a narrow head broken inside a word: %q", broken)
		}
	}
	pairs := [][2]string{
		{"第二十条第（一）项", "规章"}, {"第二十条第（五）项", "行政许可"},
		{"第二十条第（六）项", "行政处罚"}, {"第二十条第（八）项", "行政事业性收费"},
		{"申请人情况", "二、上年结转政府信息公开申请数量"},
	}
	for _, f := range files {
		pages := pageTexts(t, strings.TrimSuffix(f, ".docx")+".pdf")
		for _, p := range pairs {
			hp, rp := pageOf(pages, p[0]), pageOf(pages, p[1])
			if hp == 0 || rp == 0 {
				t.Fatalf("%s: %q on page %d, %q on page %d", filepath.Base(f), p[0], hp, p[1], rp)
			}
			if hp != rp {
				t.Errorf("%s: %q ends page %d, %q is on page %d", filepath.Base(f), p[0], hp, p[1], rp)
			}
		}
	}
}

// TestLibreOfficeUsesEmbeddedFonts: on a machine without the official
// faces (the system's fontconfig, no aliases), LibreOffice sets the DOCX
// the pipeline writes in the embedded subsets of the PDF's faces — the
// body in FandolFang, a serif 仿宋 — where the plain DOCX comes out in a
// sans fallback for every role (the DOCX with named fonts, which
// LibreOffice still converts whole: every table's last row is there).
func TestLibreOfficeUsesEmbeddedFonts(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice conversion takes seconds")
	}
	p, err := report.New(report.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.FontsReady(); err != nil {
		t.Skipf("no fonts for embedding: %v", err)
	}
	info, _ := p.Template(exampleTemplate)
	embedded, _, err := p.Render(context.Background(), info.Example, report.DOCX, report.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	// The plain one as a request for named fonts gets it (report.DOCXFontsNamed).
	opts := report.DefaultOptions()
	opts.DOCXFonts = report.DOCXFontsNamed
	plain, _, err := p.Render(context.Background(), info.Example, report.DOCX, opts)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// The plain one first: LibreOffice keeps fonts a document embeds for
	// the rest of its run.
	files := []string{filepath.Join(dir, "plain.docx"), filepath.Join(dir, "embedded.docx")}
	for i, b := range [][]byte{plain, embedded} {
		if err := os.WriteFile(files[i], b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("DOCX %d bytes with embedded fonts, %d without", len(embedded), len(plain))
	libreOffice(t, dir, "", files...)
	used := func(name string) string {
		out, err := exec.Command(testkit.Tool(t, "pdffonts"), filepath.Join(dir, name+".pdf")).Output()
		if err != nil {
			t.Fatalf("pdffonts: %v", err)
		}
		return string(out)
	}
	if got := used("embedded"); !strings.Contains(got, "FandolFang") || !strings.Contains(got, "FandolKai") {
		t.Errorf("LibreOffice did not use the embedded body and heading faces:\n%s", got)
	}
	// The title's subset by its own name: the Noto subsets' name tables
	// are trimmed (no licence description), and LibreOffice still takes
	// them.
	if got := used("embedded"); !strings.Contains(got, "GWNotoSerifCJKscBlack") {
		t.Errorf("LibreOffice did not use the embedded title face:\n%s", got)
	}
	plainText := strings.Join(pageTexts(t, filepath.Join(dir, "plain.pdf")), "")
	doc := exampleDocument(t)
	for _, b := range doc.Blocks {
		if tb, ok := b.(*render.Table); ok {
			var row strings.Builder
			for _, c := range tb.Rows[len(tb.Rows)-1].Cells {
				row.WriteString(strings.ReplaceAll(c.Text, " ", ""))
			}
			if !strings.Contains(plainText, row.String()) {
				t.Errorf("named fonts: %s's last row %q is not in LibreOffice's PDF", tb.Name, row.String())
			}
		}
	}
	if got := used("plain"); strings.Contains(got, "FandolFang") {
		t.Errorf("without embedded fonts LibreOffice found FandolFang for 仿宋_GB2312 (the test's premise fails):\n%s", got)
	}
}
