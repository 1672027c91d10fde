package layout_test

import (
	"strings"
	"testing"
	"unicode"

	"gongwen/render"
	"gongwen/render/layout"
	"gongwen/render/layout/layouttest"
)

// bodyTexts lays out one body paragraph and returns its Texts (not the
// folio).
func bodyTexts(t *testing.T, text string) []layout.Text {
	t.Helper()
	doc := &render.Document{Page: layouttest.Page(), Styles: layouttest.Styles(),
		Blocks: []render.Block{layouttest.Para(render.StyleBody, text)}}
	res, err := layout.Layout(doc, layouttest.NewFonts())
	if err != nil {
		t.Fatal(err)
	}
	var out []layout.Text
	var all strings.Builder
	for _, pg := range res.Pages {
		for _, tx := range pg.Texts {
			if tx.Size == 16 {
				out = append(out, tx)
				all.WriteString(tx.Text)
			}
		}
	}
	if stripSpace(all.String()) != stripSpace(text) {
		t.Fatalf("text changed:\n got %q\nwant %q", all.String(), text)
	}
	return out
}

// The grid's tracking of 三号 in the 156 mm text block (28 characters).
const tracking = (textRight-textLeft)/28 - 16

func hasLatinPair(s string) bool {
	prev := false
	for _, r := range s {
		latin := r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))
		if latin && prev {
			return true
		}
		prev = latin
	}
	return false
}

// No line is letter-spaced: when an unbreakable unit (a phone number,
// （47.36%）) moves to the next line, the gaps it leaves get at most
// 0.15 em each next to Chinese characters, 0.05 em inside a Latin word or
// a number. The unit is swept over every position of the line.
func TestNoLetterSpacedLines(t *testing.T) {
	units := []string{"0878-7712345", "13987654321", "（47.36%）", "sbxzfxxgk@163.com", "12345公众热线", "GB/T 9704—2012"}
	for _, unit := range units {
		for pre := 0; pre < 28; pre++ {
			text := strings.Repeat("政", pre) + "监督电话" + unit + "，" + strings.Repeat("公", 40)
			for _, tx := range bodyTexts(t, text) {
				if tx.CharSpacing > tracking+0.15*16+1e-6 {
					t.Errorf("%q after %d: %q set with %.2f pt after each character (tracking %.2f)", unit, pre, tx.Text, tx.CharSpacing, tracking)
				}
				if hasLatinPair(tx.Text) && tx.CharSpacing > tracking+0.05*16+1e-6 {
					t.Errorf("%q after %d: %q letter-spaced (%.2f pt)", unit, pre, tx.Text, tx.CharSpacing)
				}
			}
		}
	}
}

// A URL breaks after its separators or between its letters, so the line it
// starts on reaches the right edge; a word before a bracket may end a line.
func TestLongLatinRunsBreak(t *testing.T) {
	url := "https://www.shuangbai.gov.cn/sbxrmzf/c102584/202401/4f3b2a1c9e8d4b7a8e6f5d4c3b2a1908.shtml"
	for pre := 0; pre < 28; pre++ {
		text := strings.Repeat("政", pre) + "通过门户网站" + url + "发布信息共100条。"
		ls := lines(&layout.Result{Pages: []layout.Page{{Number: 1, Texts: bodyTexts(t, text)}}})
		for i, l := range ls[:len(ls)-1] {
			if abs(l.x1-textRight) > 0.5 {
				t.Errorf("after %d: line %d %q ends at %.2f, %.2f short of the edge", pre, i, l.text, l.x1, textRight-l.x1)
			}
		}
	}
	ls := lines(&layout.Result{Pages: []layout.Page{{Number: 1, Texts: bodyTexts(t, strings.Repeat("政", 20)+"COVID-19(2020)年度")}}})
	if !strings.HasSuffix(ls[0].text, "COVID-19") {
		t.Errorf("first line %q: the break before the bracket is not taken", ls[0].text)
	}
}
