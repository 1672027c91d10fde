package docx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongwen/internal/testkit"
	"gongwen/render/docx"
	"gongwen/report"
)

// renderPipelineExample renders the example through the pipeline as DOCX
// with the given fonts, dated as exampleDocument.
func renderPipelineExample(t *testing.T, fonts report.DOCXFonts) []byte {
	t.Helper()
	p, err := report.New(report.Config{})
	if err != nil {
		t.Fatal(err)
	}
	info, _ := p.Template(exampleTemplate)
	opts := report.DefaultOptions()
	opts.Created = time.Date(2025, 1, 20, 0, 0, 0, 0, time.UTC)
	opts.DOCXFonts = fonts
	out, _, err := p.Render(context.Background(), info.Example, report.DOCX, opts)
	if err != nil {
		t.Fatalf("render %s: %v", fonts, err)
	}
	return out
}

// A DOCX with named fonts is the embedding one without its fonts: no
// word/fonts parts, no font relationships, no w:embed* elements, no
// embedding settings — and the same document, styles and font table
// names, so Word sets it in the official faces it has. python-docx reads
// the official faces from its styles.
func TestNamedFontsDOCX(t *testing.T) {
	named := renderPipelineExample(t, report.DOCXFontsNamed)
	embedded := renderPipelineExample(t, report.DOCXFontsEmbedded)
	if again := renderPipelineExample(t, report.DOCXFontsNamed); !bytes.Equal(named, again) {
		t.Error("two renders with named fonts differ")
	}
	np, ep := docx.Unzip(t, named), docx.Unzip(t, embedded)
	t.Logf("example DOCX: %d bytes with named fonts, %d with embedded fonts", len(named), len(embedded))
	embeddedFonts := 0
	for name := range ep {
		if strings.HasPrefix(name, "word/fonts/") {
			embeddedFonts++
		}
	}
	if embeddedFonts == 0 {
		t.Skip("no fonts installed to embed: the comparison's premise fails")
	}
	for name, data := range np {
		if strings.HasPrefix(name, "word/fonts/") || name == "word/_rels/fontTable.xml.rels" {
			t.Errorf("named fonts: part %s", name)
		}
		for _, s := range []string{"w:embedRegular", "w:embedBold", "w:embedItalic", "w:embedTrueTypeFonts", "w:saveSubsetFonts", "odttf", "fontKey"} {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("named fonts: %s has %s", name, s)
			}
		}
	}
	for _, part := range []string{"word/document.xml", "word/styles.xml", "word/footer1.xml", "word/footer2.xml", "docProps/core.xml"} {
		if !bytes.Equal(np[part], ep[part]) {
			t.Errorf("%s differs between named and embedded fonts", part)
		}
	}
	table, err := docx.NormalizedXML(np["word/fontTable.xml"])
	if err != nil {
		t.Fatal(err)
	}
	for _, face := range []string{"仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体"} {
		if !bytes.Contains(table, []byte(`w:name="`+face+`"`)) {
			t.Errorf("named fonts: the font table does not name %s", face)
		}
	}
	if len(named) >= len(embedded)/4 {
		t.Errorf("named fonts: %d bytes, embedded %d: the fonts were not left out", len(named), len(embedded))
	}

	python := "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		python = testkit.Tool(t, "python3")
	}
	if err := exec.Command(python, "-c", "import docx").Run(); err != nil {
		testkit.Missing(t, "python3-docx: %v", err)
	}
	path := filepath.Join(t.TempDir(), "named.docx")
	if err := os.WriteFile(path, named, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(python, "testdata/inspect_docx.py", path).Output()
	if err != nil {
		t.Fatalf("inspect_docx.py: %v\n%s", err, stderrOf(err))
	}
	var got pyDocx
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("inspect_docx.py output: %v", err)
	}
	if len(got.Paragraphs) == 0 || len(got.Tables) != 3 {
		t.Errorf("python-docx sees %d paragraphs and %d tables", len(got.Paragraphs), len(got.Tables))
	}
	for name, face := range map[string]string{"公文标题": "方正小标宋简体", "公文正文": "仿宋_GB2312", "一级标题": "黑体", "二级标题": "楷体_GB2312"} {
		if s := got.Styles[name]; s.EastAsia != face {
			t.Errorf("python-docx: style %s sets %q, want %s", name, s.EastAsia, face)
		}
	}
}
