package fonts

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"
)

// requireTool skips (or, under GONGWEN_REQUIRE_TOOLS, fails) without tool.
func requireTool(t *testing.T, tool string) {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("GONGWEN_REQUIRE_TOOLS") == "" {
			t.Skipf("%s not installed", tool)
		}
		t.Fatalf("%s not installed", tool)
	}
}

// drawLine sets text in role on one line of a fresh PDF using subset fonts,
// wrapping PUA-encoded runs in /ActualText, and returns the PDF.
func drawLine(t *testing.T, b *Book, role, text string) []byte {
	t.Helper()
	spans, err := b.Segment(role, text)
	if err != nil {
		t.Fatal(err)
	}
	sb := b.NewSubsetBuilder()
	for _, s := range spans {
		sb.Add(s.Face, s.Text)
	}
	subs, err := sb.Build()
	if err != nil {
		t.Fatal(err)
	}
	pdf := fpdf.New("P", "pt", "A4", "")
	pdf.SetCompression(false)
	pdf.SetCatalogSort(true) // fpdf writes fonts in map order otherwise
	pdf.SetCreationDate(fixedTime)
	pdf.SetModificationDate(fixedTime)
	pdf.AddPage()
	byFace := map[*Face]*Subset{}
	for _, sub := range subs {
		pdf.AddUTF8FontFromBytes(sub.Name, "", sub.TTF)
		// fpdf prints font errors to stdout and leaves Error() nil; SetFont
		// is what fails for a font it did not accept.
		pdf.SetFont(sub.Name, "", 16)
		if err := pdf.Error(); err != nil {
			t.Fatalf("fpdf rejected subset %s: %v", sub.Name, err)
		}
		byFace[sub.Face] = sub
	}
	const size = 16.0
	x := 72.0
	for _, s := range spans {
		sub := byFace[s.Face]
		pdf.SetFont(sub.Name, "", size)
		enc, pua := sub.Encode(s.Text)
		if pua {
			pdf.RawWriteStr(ActualTextBegin(s.Text))
		}
		pdf.Text(x, 100, enc)
		if pua {
			pdf.RawWriteStr(ActualTextEnd)
		}
		for _, r := range s.Text {
			x += float64(s.Face.Advance(r)) * size / float64(s.Face.UnitsPerEm())
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSubsetFontsThroughFPDF(t *testing.T) {
	b := requireFonts(t)
	requireTool(t, "pdftotext")
	requireTool(t, "pdffonts")
	const text = "𥔲嘉镇2024年啰瞭Latin字母ABCxyz与数字0123456789"
	pdfBytes := drawLine(t, b, RoleBody, text)
	path := filepath.Join(t.TempDir(), "line.pdf")
	if err := os.WriteFile(path, pdfBytes, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(out)); got != text {
		t.Errorf("pdftotext = %q, want %q", got, text)
	}
	out, err = exec.Command("pdffonts", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdffonts: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 4 { // header, rule, at least two fonts (Fandol + Noto)
		t.Fatalf("pdffonts:\n%s", out)
	}
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		// name type... emb sub uni object ID
		if !strings.Contains(l, "CID TrueType") || len(f) < 7 || f[len(f)-5] != "yes" {
			t.Errorf("font not an embedded CID TrueType font: %s", l)
		}
	}
	if again := drawLine(t, b, RoleBody, text); !bytes.Equal(again, pdfBytes) {
		t.Error("same input gave different PDF bytes")
	}
}
