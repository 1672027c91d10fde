package docx_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"gongwen/internal/testkit"
	"gongwen/render"
)

func writeExample(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ejia-2024.docx")
	if err := os.WriteFile(path, renderExample(t), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// pyDocx is what testdata/inspect_docx.py prints.
type pyDocx struct {
	Paragraphs []struct{ Style, Text string }
	Tables     [][][]struct {
		ID   int
		Text string
	}
	Styles map[string]struct {
		ID       string
		EastAsia string
		ASCII    string
		SizePt   float64
	}
	Section struct {
		PageWidthMM, PageHeightMM, TopMM, BottomMM, LeftMM, RightMM float64
		OddEven                                                     bool
		OddFooter, EvenFooter                                       []string
	}
	Core struct{ Title, Author, Created, Comments string }
}

// TestExamplePythonDocx reads the example back with python-docx, an
// independent client, and checks paragraphs, every table cell, the merges
// (positions covered by one model cell are one python-docx cell), styles,
// page setup and footers against the document model.
func TestExamplePythonDocx(t *testing.T) {
	python := "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		python = testkit.Tool(t, "python3")
	}
	if err := exec.Command(python, "-c", "import docx").Run(); err != nil {
		testkit.Missing(t, "python3-docx: %v", err)
	}
	doc := exampleDocument(t)
	out, err := exec.Command(python, "testdata/inspect_docx.py", writeExample(t)).Output()
	if err != nil {
		t.Fatalf("inspect_docx.py: %v\n%s", err, stderrOf(err))
	}
	var got pyDocx
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("inspect_docx.py output: %v", err)
	}

	styleName := map[string]string{
		"title": "公文标题", "body": "公文正文", "heading1": "一级标题", "signature": "发文机关署名", "date": "成文日期",
	}
	var paras []*render.Paragraph
	var tables []*render.Table
	for _, b := range doc.Blocks {
		switch b := b.(type) {
		case *render.Paragraph:
			paras = append(paras, b)
		case *render.Table:
			tables = append(tables, b)
		}
	}
	if len(got.Paragraphs) != len(paras) {
		t.Fatalf("python-docx sees %d paragraphs, the model has %d", len(got.Paragraphs), len(paras))
	}
	for i, p := range paras {
		if p.Style == render.StyleTitle {
			// Balanced title lines are w:br, which python-docx reads as \n.
			if title := got.Paragraphs[i].Text; strings.ReplaceAll(title, "\n", "") != p.Text() || !strings.Contains(title, "\n") {
				t.Errorf("title %q, want %q broken into lines", title, p.Text())
			}
		} else if got.Paragraphs[i].Text != p.Text() {
			t.Errorf("paragraph %d: %q, want %q", i, got.Paragraphs[i].Text, p.Text())
		}
		if want := styleName[p.Style]; want != "" && got.Paragraphs[i].Style != want {
			t.Errorf("paragraph %d style %q, want %q", i, got.Paragraphs[i].Style, want)
		}
	}

	if len(got.Tables) != 3 || len(tables) != 3 {
		t.Fatalf("python-docx sees %d tables, the model has %d", len(got.Tables), len(tables))
	}
	for ti, tb := range tables {
		grid := got.Tables[ti]
		if len(grid) != len(tb.Rows) {
			t.Errorf("%s: %d rows, want %d", tb.Name, len(grid), len(tb.Rows))
			continue
		}
		owner := map[int]string{} // python-docx cell id → model cell
		for ri, row := range tb.Rows {
			if len(grid[ri]) != len(tb.Columns) {
				t.Errorf("%s row %d: %d cells, want %d", tb.Name, ri, len(grid[ri]), len(tb.Columns))
				continue
			}
			for _, c := range row.Cells {
				first := grid[ri][c.Col]
				key := fmt.Sprintf("r%dc%d", ri, c.Col)
				if prev, dup := owner[first.ID]; dup {
					t.Errorf("%s: cells %s and %s are one python-docx cell", tb.Name, prev, key)
				}
				owner[first.ID] = key
				if strings.ReplaceAll(first.Text, "\n", "") != c.Text { // heads broken with w:br read as \n
					t.Errorf("%s %s: %q, want %q", tb.Name, key, first.Text, c.Text)
				}
				for r := ri; r < ri+max(c.RowSpan, 1); r++ {
					for k := c.Col; k < c.Col+max(c.ColSpan, 1); k++ {
						if grid[r][k].ID != first.ID {
							t.Errorf("%s: (%d,%d) is not part of merged cell %s %q", tb.Name, r, k, key, c.Text)
						}
					}
				}
			}
		}
	}
	// The example: table B's first header cell is one cell over
	// three rows and three columns.
	b := got.Tables[1]
	for r := 0; r < 3; r++ {
		for k := 0; k < 3; k++ {
			if b[r][k].ID != b[0][0].ID {
				t.Errorf("table B (%d,%d) is not the corner cell", r, k)
			}
		}
	}
	if b[3][0].ID == b[0][0].ID || b[0][3].ID == b[0][0].ID {
		t.Error("table B's corner cell is larger than 3×3")
	}

	for name, want := range map[string][2]string{
		"公文标题": {"方正小标宋简体", "Times New Roman"}, "公文正文": {"仿宋_GB2312", "Times New Roman"},
		"一级标题": {"黑体", "Times New Roman"}, "二级标题": {"楷体_GB2312", "Times New Roman"},
		"表格文字": {"宋体", "Times New Roman"}, "表格表头": {"黑体", "Times New Roman"}, "页码": {"宋体", "宋体"},
	} {
		s, ok := got.Styles[name]
		if !ok {
			t.Errorf("python-docx sees no paragraph style %s", name)
			continue
		}
		if s.EastAsia != want[0] || s.ASCII != want[1] {
			t.Errorf("style %s: eastAsia %q ascii %q, want %q %q", name, s.EastAsia, s.ASCII, want[0], want[1])
		}
	}
	if s := got.Styles["表格文字"]; s.SizePt != 10.5 {
		t.Errorf("table text %v pt, want 10.5", s.SizePt)
	}

	sec := got.Section
	if sec.PageWidthMM != 210 || sec.PageHeightMM != 297 || sec.TopMM != 37 || sec.BottomMM != 35 || sec.LeftMM != 28 || sec.RightMM != 26 {
		t.Errorf("page setup %+v", sec)
	}
	if !sec.OddEven || strings.Join(sec.OddFooter, "|") != "— 1 —" || strings.Join(sec.EvenFooter, "|") != "— 1 —" {
		t.Errorf("footers: odd/even %v, odd %q, even %q", sec.OddEven, sec.OddFooter, sec.EvenFooter)
	}
	if got.Core.Title != doc.Meta.Title || got.Core.Author != doc.Meta.Author || !strings.HasPrefix(got.Core.Created, "2025-01-20T00:00:00") {
		t.Errorf("core properties %+v", got.Core)
	}
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

// TestExampleLibreOffice converts the example with LibreOffice (one
// conversion, several seconds) and checks that the PDF holds every
// paragraph and, row by row, every label and number of the three tables, in
// order, plus 𥔲 (outside the BMP). A fontconfig file maps the official face
// names to the free substitutes. GONGWEN_KEEP_OUTPUT=dir keeps the DOCX and the PDF.
func TestExampleLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice conversion takes seconds")
	}
	pdftotext := testkit.Tool(t, "pdftotext")
	docxPath := writeExample(t)
	convertWithLibreOffice(t, filepath.Dir(docxPath), docxPath)
	pdf := strings.TrimSuffix(docxPath, ".docx") + ".pdf"
	if _, err := os.Stat(pdf); err != nil {
		t.Fatalf("LibreOffice wrote no PDF: %v", err)
	}
	if keep := os.Getenv("GONGWEN_KEEP_OUTPUT"); keep != "" {
		for _, f := range []string{docxPath, pdf} {
			if b, err := os.ReadFile(f); err == nil {
				_ = os.WriteFile(filepath.Join(keep, filepath.Base(f)), b, 0o644)
			}
		}
	}
	// -raw keeps LibreOffice's drawing order: cell by cell, row by row,
	// so a cell wrapped over lines ("商业/企业") stays together.
	raw, err := exec.Command(pdftotext, "-raw", "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := string(raw)
	folio := regexp.MustCompile(`(?m)^\s*—\s*\d+\s*—\s*$`)
	pages := len(folio.FindAllString(text, -1))
	if pages < 2 {
		t.Errorf("found %d page numbers “— N —” in the PDF", pages)
	}
	flat := squeeze(folio.ReplaceAllString(text, ""))
	// LibreOffice draws a character from a fallback font (𥔲: no
	// substitute for the official faces has it, Noto CJK does) after the
	// rest of its line, so pdftotext -raw reports it out of place. Count
	// it instead, and match the text without it.
	const rare = "𥔲"
	wantRare := 0
	doc := exampleDocument(t)
	for _, b := range doc.Blocks {
		switch b := b.(type) {
		case *render.Paragraph:
			wantRare += strings.Count(b.Text(), rare)
		case *render.Table:
			for _, row := range b.Rows {
				for _, c := range row.Cells {
					wantRare += strings.Count(c.Text, rare)
				}
			}
		}
	}
	if got := strings.Count(flat, rare); got != wantRare || wantRare == 0 {
		t.Errorf("PDF text has %s (U+25532) %d times, the document %d", rare, got, wantRare)
	}
	flat = strings.ReplaceAll(flat, rare, "")

	cursor := 0
	find := func(what, s string) {
		s = strings.ReplaceAll(squeeze(s), rare, "")
		if s == "" {
			return
		}
		i := strings.Index(flat[cursor:], s)
		if i < 0 {
			t.Errorf("%s missing (or out of order) in LibreOffice's PDF: %q", what, s)
			return
		}
		cursor += i + len(s)
	}
	for _, b := range doc.Blocks {
		switch b := b.(type) {
		case *render.Paragraph:
			find("paragraph", b.Text())
		case *render.Table:
			for ri, row := range b.Rows {
				var s strings.Builder
				for _, c := range row.Cells {
					s.WriteString(c.Text)
				}
				find(fmt.Sprintf("%s row %d", b.Name, ri), s.String())
			}
		}
	}
	if fonts, err := exec.Command("pdffonts", pdf).Output(); err == nil {
		t.Logf("fonts LibreOffice used:\n%s", fonts)
	}
}

// convertWithLibreOffice converts the DOCX files (in dir) to PDF in dir with
// one LibreOffice run, through testdata/fonts.conf, which maps the official
// face names to the free substitutes.
func convertWithLibreOffice(t *testing.T, dir string, files ...string) {
	t.Helper()
	conf, err := filepath.Abs("testdata/fonts.conf")
	if err != nil {
		t.Fatal(err)
	}
	libreOffice(t, dir, conf, files...)
}

// libreOffice converts the DOCX files (in dir) to PDF in dir with one
// LibreOffice run, with the fontconfig file conf (and Fandol's directory)
// or, when conf is "", the machine's own fontconfig: a machine without
// the official faces.
func libreOffice(t *testing.T, dir, conf string, files ...string) {
	t.Helper()
	soffice := testkit.Tool(t, "soffice")
	include := "<include>/etc/fonts/fonts.conf</include>"
	if conf != "" {
		include = "<include>" + conf + "</include>"
	}
	fandol := os.Getenv("GONGWEN_FANDOL_DIR")
	if fandol == "" {
		fandol = "/usr/local/share/fonts/fandol"
	}
	wrapper := filepath.Join(dir, "fonts.conf")
	if err := os.WriteFile(wrapper, []byte(`<?xml version="1.0"?><fontconfig>`+include+
		`<dir>`+fandol+`</dir></fontconfig>`), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// A private profile: several engineers (and test runs) may convert at
	// once, and LibreOffice refuses to share a profile.
	args := append([]string{"--headless", "--norestore",
		"-env:UserInstallation=file://" + filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir}, files...)
	cmd := exec.CommandContext(ctx, soffice, args...)
	cmd.Env = append(os.Environ(), "FONTCONFIG_FILE="+wrapper, "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
}

// squeeze drops white space, which pdftotext inserts at line ends and
// between Latin and Chinese text.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
