package ofd_test

import (
	"bytes"
	"encoding/xml"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"gongwen/internal/testkit"
	"gongwen/render/ofd"
	"gongwen/render/ofd/ofdcheck"
	"gongwen/render/pdf"
)

// bboxWord is a word of `pdftotext -bbox`, in points.
type bboxWord struct {
	XMin float64 `xml:"xMin,attr"`
	YMin float64 `xml:"yMin,attr"`
	XMax float64 `xml:"xMax,attr"`
	YMax float64 `xml:"yMax,attr"`
	Text string  `xml:",chardata"`
}

type bboxDoc struct {
	Pages []struct {
		Words []bboxWord `xml:"word"`
	} `xml:"page"`
}

const mmPerPt = 25.4 / 72

// TestPositionsMatchPDF: every character of the example sits in the OFD
// where it sits in the PDF, within 0.1 mm.
//
// pdftotext -bbox reports words (a run of characters without a space), so
// the PDF position of each character is rebuilt from its word: the word
// starts at xMin, each character advances by its glyph width (the same
// subset fonts, read from the OFD's embedded programs) plus the run's
// character spacing, which is the one unknown and follows from xMax. Each
// OFD character is compared with that; the baselines are compared through
// the word boxes' lower edges, which lie a fixed distance below the
// baseline for each font and size.
func TestPositionsMatchPDF(t *testing.T) {
	pdftotext := testkit.Tool(t, "pdftotext")
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
	html, err := exec.Command(pdftotext, "-bbox", pdfPath, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	// Only <doc>: the <head> holds pdftotext's own rendering of the
	// metadata, which is not always UTF-8.
	i, j := bytes.Index(html, []byte("<doc>")), bytes.LastIndex(html, []byte("</doc>"))
	if i < 0 || j < i {
		t.Fatalf("pdftotext -bbox printed no <doc>:\n%.500s", html)
	}
	var bb bboxDoc
	dec := xml.NewDecoder(bytes.NewReader(html[i : j+len("</doc>")]))
	dec.Entity = xml.HTMLEntity
	if err := dec.Decode(&bb); err != nil {
		t.Fatal(err)
	}
	if len(bb.Pages) != len(pkg.Pages) {
		t.Fatalf("PDF has %d pages, OFD %d", len(bb.Pages), len(pkg.Pages))
	}
	const tol = 0.1 // mm
	checked, worst := 0, 0.0
	// Word lower edge below the baseline, per font set and size: constant
	// when the baselines agree.
	descent := map[string]float64{}
	for pi, page := range bb.Pages {
		chars := pkg.Pages[pi].Chars
		used := make([]bool, len(chars))
		for _, w := range page.Words {
			word := []rune(w.Text)
			start := bestMatch(chars, used, word, w.XMin*mmPerPt, w.YMax*mmPerPt)
			if start < 0 {
				t.Errorf("page %d: word %q not found in the OFD", pi+1, w.Text)
				continue
			}
			run := chars[start : start+len(word)]
			// Character spacing of the run, from the word's width: poppler
			// counts it between characters, not after the last.
			advs := make([]float64, len(run))
			sum := 0.0
			for i, c := range run {
				a, err := pkg.Advance(c)
				if err != nil {
					t.Fatal(err)
				}
				advs[i] = a
				sum += a
			}
			spacing := 0.0
			if len(run) > 1 {
				spacing = ((w.XMax-w.XMin)*mmPerPt - sum) / float64(len(run)-1)
			}
			x := w.XMin * mmPerPt
			key := ""
			for i, c := range run {
				used[start+i] = true
				d := math.Abs(c.X - x)
				worst = max(worst, d)
				if d > tol {
					t.Errorf("page %d: %q (character %d of %q) at x=%.3f mm in the OFD, %.3f mm in the PDF", pi+1, c.R, i+1, w.Text, c.X, x)
				}
				x += advs[i] + spacing
				key += c.Font + "/" + strconv.FormatFloat(c.Size, 'f', 3, 64) + " "
				checked++
			}
			below := w.YMax*mmPerPt - run[0].Y
			if prev, ok := descent[key]; !ok {
				descent[key] = below
			} else if d := math.Abs(below - prev); d > tol {
				t.Errorf("page %d: word %q: baseline off by %.3f mm from the other words in its fonts", pi+1, w.Text, d)
			}
		}
		for i, u := range used {
			if !u && !isSpace(chars[i].R) {
				t.Errorf("page %d: OFD character %q at %.2f,%.2f is in no PDF word", pi+1, chars[i].R, chars[i].X, chars[i].Y)
			}
		}
	}
	t.Logf("%d characters compared; largest difference %.4f mm", checked, worst)
	if checked == 0 {
		t.Fatal("nothing compared")
	}
}

// bestMatch is the start of the unused run of chars spelling word nearest
// to (x, y), or -1.
func bestMatch(chars []ofdcheck.Char, used []bool, word []rune, x, y float64) int {
	best, bestD := -1, math.Inf(1)
	for s := 0; s+len(word) <= len(chars); s++ {
		ok := true
		for i, r := range word {
			if used[s+i] || chars[s+i].R != r {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if d := math.Abs(chars[s].X-x) + math.Abs(chars[s].Y-y); d < bestD {
			best, bestD = s, d
		}
	}
	return best
}
