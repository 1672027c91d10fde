package layout_test

import (
	"math"
	"strings"
	"testing"

	"gongwen/render"
	"gongwen/render/layout"
	"gongwen/render/layout/layouttest"
)

const mm = 72 / 25.4

// findText returns the page and the extent of the line (all texts on its
// baseline) holding s.
func findText(t *testing.T, res *layout.Result, s string) (page int, line layout.Text) {
	t.Helper()
	for i, pg := range res.Pages {
		for _, tx := range pg.Texts {
			if !strings.Contains(tx.Text, s) {
				continue
			}
			line = tx
			end := tx.X + tx.Width
			for _, o := range pg.Texts {
				if math.Abs(o.Y-tx.Y) < 0.01 {
					line.X = math.Min(line.X, o.X)
					end = math.Max(end, o.X+o.Width)
				}
			}
			line.Width = end - line.X
			return i + 1, line
		}
	}
	t.Fatalf("%q not laid out", s)
	return 0, layout.Text{}
}

// GB/T 9704 7.3.5.1: with CenterOnNext, the organ's name is centred over
// the date, which stays 4 characters from the right edge; a name wider
// than the date still ends inside the text block.
func TestSignatureCentredOverDate(t *testing.T) {
	for _, organ := range []string{"𥔲嘉镇人民政府", "某某省某某市某某县人民政府办公室"} {
		doc := &render.Document{Page: layouttest.Page(), Styles: layouttest.Styles()}
		sig := doc.Styles[render.StyleSignature]
		sig.CenterOnNext = true
		doc.Styles[render.StyleSignature] = sig
		doc.Blocks = []render.Block{layouttest.Para(render.StyleBody, "正文。"),
			layouttest.Para(render.StyleSignature, organ), layouttest.Para(render.StyleDate, "2025年1月20日")}
		res, err := layout.Layout(doc, layouttest.NewFonts())
		if err != nil {
			t.Fatal(err)
		}
		_, name := findText(t, res, string([]rune(organ)[2:4]))
		_, date := findText(t, res, "2025")
		right := (210 - 26) * mm
		if d := right - (date.X + date.Width); math.Abs(d-4*15.79) > 1 {
			t.Errorf("date ends %.1f pt from the right edge, want 4 characters", d)
		}
		nameCentre, dateCentre := name.X+name.Width/2, date.X+date.Width/2
		if name.X+name.Width <= right+0.01 && name.Width < right-date.X {
			if math.Abs(nameCentre-dateCentre) > 0.5*mm {
				t.Errorf("%s: name centred at %.1f mm, date at %.1f mm", organ, nameCentre/mm, dateCentre/mm)
			}
		}
		if name.X+name.Width > right+0.01 {
			t.Errorf("%s: name ends past the text block", organ)
		}
	}
}
