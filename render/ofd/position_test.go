package ofd_test

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"gongwen/internal/testkit"
	"gongwen/render/ofd"
	"gongwen/render/pdf"
)

const mmPerPt = 25.4 / 72

// popplerChars prints, per page, every character poppler extracts from a
// PDF with its box in points (x1 y1 x2 y2): the per-character form of what
// pdftotext -bbox reports per word, from the same text engine (poppler's
// GLib binding, Poppler.Page.get_text_layout).
const popplerChars = `
import json, sys
import gi
gi.require_version("Poppler", "0.18")
from gi.repository import Poppler
doc = Poppler.Document.new_from_file("file://" + sys.argv[1], None)
pages = []
for i in range(doc.get_n_pages()):
    page = doc.get_page(i)
    text = page.get_text()
    ok, rects = page.get_text_layout()
    pages.append([[c, r.x1, r.y1, r.x2, r.y2] for c, r in zip(text, rects) if not c.isspace()])
json.dump(pages, sys.stdout, ensure_ascii=False)
`

// systemPython is Debian's python3, which has the GLib bindings (a pyenv
// python earlier on PATH does not).
const systemPython = "/usr/bin/python3"

// TestPositionsMatchPDF: every character of the example sits in the OFD
// where poppler finds it in the PDF, within 0.1 mm: x is the character's
// origin; baselines are compared through the boxes' lower edges, which lie
// a fixed distance below the baseline for each font and size.
func TestPositionsMatchPDF(t *testing.T) {
	python := testkit.File(t, systemPython)
	doc := reportDocument(t, exampleJSON(t))
	pdfOut, err := pdf.Render(doc, pdf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := renderer(t).Render(doc, ofd.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pkg := check(t, "example", out)
	dir := t.TempDir()
	pdfPath := filepath.Join(dir, "example.pdf")
	if err := os.WriteFile(pdfPath, pdfOut, 0o644); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "chars.py")
	if err := os.WriteFile(script, []byte(popplerChars), 0o644); err != nil {
		t.Fatal(err)
	}
	js, err := exec.Command(python, script, pdfPath).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			testkit.Missing(t, "poppler GLib bindings (python3-gi, gir1.2-poppler-0.18): %s", ee.Stderr)
		}
		t.Fatal(err)
	}
	var pages [][][]any
	if err := json.Unmarshal(js, &pages); err != nil {
		t.Fatal(err)
	}
	if len(pages) != len(pkg.Pages) {
		t.Fatalf("PDF has %d pages, OFD %d", len(pages), len(pkg.Pages))
	}
	const tol = 0.1 // mm
	compared, worst := 0, 0.0
	below := map[string]float64{} // box bottom below the baseline, per font and size
	for pi, page := range pages {
		chars := pkg.Pages[pi].Chars
		used := make([]bool, len(chars))
		for _, pc := range page {
			r := []rune(pc[0].(string))[0]
			x, y2 := pc[1].(float64)*mmPerPt, pc[4].(float64)*mmPerPt
			// The OFD character with this rune nearest to the PDF's.
			best, bestD := -1, math.Inf(1)
			for i, c := range chars {
				if used[i] || c.R != r {
					continue
				}
				if d := math.Abs(c.X-x) + math.Abs(c.Y-y2); d < bestD {
					best, bestD = i, d
				}
			}
			if best < 0 {
				t.Errorf("page %d: %q at %.2f mm is not in the OFD", pi+1, r, x)
				continue
			}
			used[best] = true
			c := chars[best]
			d := math.Abs(c.X - x)
			worst = max(worst, d)
			if d > tol {
				t.Errorf("page %d: %q at x=%.3f mm in the OFD, %.3f mm in the PDF", pi+1, r, c.X, x)
			}
			key := c.Font + "/" + strconv.FormatFloat(c.Size, 'f', 3, 64)
			if prev, ok := below[key]; !ok {
				below[key] = y2 - c.Y
			} else if d := math.Abs(y2 - c.Y - prev); d > tol {
				t.Errorf("page %d: %q: baseline %.3f mm off the other characters of its font", pi+1, r, d)
			}
			compared++
		}
		for i, u := range used {
			if !u {
				t.Errorf("page %d: OFD character %q at %.2f,%.2f is not in the PDF", pi+1, chars[i].R, chars[i].X, chars[i].Y)
			}
		}
	}
	t.Logf("%d characters compared; largest difference %.4f mm", compared, worst)
	if compared == 0 {
		t.Fatal("nothing compared")
	}
}
