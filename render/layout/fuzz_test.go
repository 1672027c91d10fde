package layout_test

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"gongwen/render"
	"gongwen/render/layout"
	"gongwen/render/layout/layouttest"
)

// FuzzParagraph: whatever the text, layout never panics, never loses or
// duplicates a character, and never sets a line past the right edge
// unless one grapheme alone is wider than the line.
func FuzzParagraph(f *testing.F) {
	for _, s := range []string{
		"", "，。", "（（（（", strings.Repeat("W", 300), "𥔲嘉镇\n人民政府", "a\r\nb\tc", "“”‘’《》",
		"e\u0301\u0301\u0301", "👍🏽👍🏽", strings.Repeat("——", 40), "2024年1月1日至2024年12月31日止。",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, text string, inTable bool) {
		if !utf8.ValidString(text) {
			return
		}
		for _, r := range text {
			if unicode.IsControl(r) && !strings.ContainsRune("\t\n\r\v\f", r) {
				return // rejected with an error, tested elsewhere
			}
		}
		doc := &render.Document{Page: layouttest.Page(), Styles: layouttest.Styles()}
		if inTable {
			// One column: a row taller than a page continues on the next
			// without repeated labels, so the text must come out once.
			doc.Blocks = []render.Block{&render.Table{Columns: []float64{20}, HeaderRows: 1, Rows: []render.Row{
				{Cells: []render.Cell{{Col: 0, Text: "\uE000头"}}},
				{Cells: []render.Cell{{Col: 0, Text: text + text}}},
			}}}
		} else {
			doc.Blocks = []render.Block{
				&render.Paragraph{Style: render.StyleBody, Runs: []render.Run{{Text: text, Style: render.StyleHeading2}, {Text: text}}},
				layouttest.Para(render.StyleTitle, text),
			}
		}
		type result struct {
			res *layout.Result
			err error
		}
		done := make(chan result, 1)
		go func() {
			res, err := layout.Layout(doc, layouttest.NewFonts())
			done <- result{res, err}
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("layout of %q takes more than 5 s", text)
		}
		res, err := r.res, r.err
		if err != nil {
			t.Fatal(err)
		}
		var got strings.Builder
		for _, pg := range res.Pages {
			for _, tx := range pg.Texts {
				if tx.Size == 14 {
					continue // page number
				}
				if tx.Text == "\uE000头" {
					continue // the header row, repeated on every page
				}
				got.WriteString(tx.Text)
				if tx.Y > textBot+0.01 {
					t.Errorf("text %q below the text block", tx.Text)
				}
				if tx.X+tx.Width > textRight+0.01 && utf8.RuneCountInString(tx.Text) > 1 && !inTable {
					t.Errorf("text %q ends at %.2f past the right edge", tx.Text, tx.X+tx.Width)
				}
			}
		}
		want := text + text + text
		if inTable {
			want = text + text
		}
		if stripSpace(got.String()) != stripSpace(want) {
			t.Fatalf("text changed:\n got %q\nwant %q", stripSpace(got.String()), stripSpace(want))
		}
	})
}
