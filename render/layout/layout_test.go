package layout_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"gongwen/render"
	"gongwen/render/layout"
	"gongwen/render/layout/layouttest"
)

// textLine is the text drawn on one baseline of a page.
type textLine struct {
	page        int
	y, x0, x1   float64
	size        float64
	text        string
	charSpacing float64
}

func lines(res *layout.Result) []textLine {
	var out []textLine
	for _, pg := range res.Pages {
		for _, t := range pg.Texts {
			if n := len(out); n > 0 && out[n-1].page == pg.Number && out[n-1].y == t.Y && t.X >= out[n-1].x1-1 { // the next Text starts one (negative) tracking after Width
				out[n-1].text += t.Text
				out[n-1].x1 = t.X + t.Width
				continue
			}
			out = append(out, textLine{page: pg.Number, y: t.Y, x0: t.X, x1: t.X + t.Width, size: t.Size, text: t.Text, charSpacing: t.CharSpacing})
		}
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

const (
	textLeft  = 28 * 72 / 25.4
	textRight = (210 - 26) * 72 / 25.4
	textTop   = 37 * 72 / 25.4
	textBot   = (297 - 35) * 72 / 25.4
)

func TestGridTwentyEightCharsPerLine(t *testing.T) {
	doc := &render.Document{Page: layouttest.Page(), Styles: layouttest.Styles()}
	text := strings.Repeat("政", 28*3+5)
	doc.Blocks = []render.Block{layouttest.Para(render.StyleBody, text)}
	res, err := layout.Layout(doc, layouttest.NewFonts())
	if err != nil {
		t.Fatal(err)
	}
	ls := lines(res)
	want := []int{26, 28, 28, 7}
	var body []textLine
	for _, l := range ls {
		if l.size == 16 {
			body = append(body, l)
		}
	}
	if len(body) != len(want) {
		t.Fatalf("got %d lines, want %d", len(body), len(want))
	}
	for i, l := range body {
		if n := utf8.RuneCountInString(l.text); n != want[i] {
			t.Errorf("line %d has %d characters, want %d", i, n, want[i])
		}
		if got, want := l.y-textTop, (float64(i)+0.5)*28.95+0.38*16; abs(got-want) > 0.01 {
			t.Errorf("line %d baseline %.2f below the top, want %.2f", i, got, want)
		}
		if i < 3 && abs(l.x1-textRight) > 0.05 {
			t.Errorf("line %d ends at %.2f, want the right edge %.2f", i, l.x1, textRight)
		}
	}
	if abs(body[0].x0-(textLeft+2*(textRight-textLeft)/28)) > 0.05 {
		t.Errorf("first line starts at %.2f, want two characters of indent", body[0].x0)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestLineBreakRules(t *testing.T) {
	cases := []struct {
		name, text string
		check      func(t *testing.T, ls []string)
	}{
		{"closing punctuation never starts a line", strings.Repeat("政", 25) + "，。信息" + strings.Repeat("公", 30), func(t *testing.T, ls []string) {
			for _, l := range ls {
				if strings.HasPrefix(l, "，") || strings.HasPrefix(l, "。") {
					t.Errorf("line %q starts with closing punctuation", l)
				}
			}
		}},
		{"opening punctuation never ends a line", strings.Repeat("政", 25) + "《条例》" + strings.Repeat("公", 30), func(t *testing.T, ls []string) {
			if strings.HasSuffix(ls[0], "《") || !strings.HasPrefix(ls[1], "《") && !strings.HasSuffix(ls[0], "》") {
				t.Errorf("lines %q", ls[:2])
			}
		}},
		{"numbers stay whole", strings.Repeat("政", 25) + "12345678" + strings.Repeat("公", 30), func(t *testing.T, ls []string) {
			if !strings.HasPrefix(ls[1], "12345678") {
				t.Errorf("lines %q", ls[:2])
			}
		}},
		{"word longer than a line is cut", strings.Repeat("A", 200), func(t *testing.T, ls []string) {
			if len(ls) < 3 {
				t.Errorf("lines %q", ls)
			}
		}},
		{"quotes break between Chinese characters", strings.Repeat("政", 26) + "“谁公开、谁负责”" + strings.Repeat("公", 30), func(t *testing.T, ls []string) {
			if strings.HasSuffix(ls[0], "“") {
				t.Errorf("lines %q", ls[:2])
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := &render.Document{Page: layouttest.Page(), Styles: layouttest.Styles()}
			doc.Blocks = []render.Block{layouttest.Para(render.StyleBody, c.text)}
			res, err := layout.Layout(doc, layouttest.NewFonts())
			if err != nil {
				t.Fatal(err)
			}
			var ls []string
			var all string
			for _, l := range lines(res) {
				if l.size != 16 {
					continue
				}
				if l.x1 > textRight+0.01 {
					t.Errorf("line %q runs past the right edge: %.2f > %.2f", l.text, l.x1, textRight)
				}
				ls = append(ls, l.text)
				all += l.text
			}
			if all != c.text {
				t.Fatalf("text changed:\n got %q\nwant %q", all, c.text)
			}
			c.check(t, ls)
		})
	}
}

var closing = "，。、；：？！）》」』”’％"

func TestStress(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		doc := layouttest.Stress(300, seed)
		res, err := layout.Layout(doc, layouttest.NewFonts())
		if err != nil {
			t.Fatal(err)
		}
		var want strings.Builder
		for _, b := range doc.Blocks {
			if p, ok := b.(*render.Paragraph); ok {
				want.WriteString(p.Text())
			}
		}
		var got strings.Builder
		paraStarts := map[string]bool{}
		for _, b := range doc.Blocks {
			if p, ok := b.(*render.Paragraph); ok {
				paraStarts[p.Text()] = true
			}
		}
		headerPages := map[int]bool{}
		tablePages := map[int]bool{}
		for _, l := range lines(res) {
			switch l.size {
			case 16:
				got.WriteString(l.text)
				first, _ := utf8.DecodeRuneInString(strings.TrimLeft(l.text, " "))
				if strings.ContainsRune(closing, first) && l.x0 < textLeft+1 {
					t.Errorf("seed %d page %d: line starts with closing punctuation: %q", seed, l.page, l.text)
				}
				if l.x1 > textRight+0.01 {
					t.Errorf("seed %d page %d: overfull line %q ends at %.2f > %.2f", seed, l.page, l.text, l.x1, textRight)
				}
				if l.y > textBot {
					t.Errorf("seed %d page %d: line below the text block", seed, l.page)
				}
			case 10.5:
				tablePages[l.page] = true
				if l.text == "申请人情况" {
					headerPages[l.page] = true
				}
			}
		}
		if stripSpace(got.String()) != stripSpace(want.String()) {
			t.Fatalf("seed %d: extracted text differs from the input", seed)
		}
		if len(tablePages) < 2 {
			t.Errorf("seed %d: the table should cross a page break, it is on pages %v", seed, tablePages)
		}
		for p := range tablePages {
			if !headerPages[p] {
				t.Errorf("seed %d: page %d continues the table without its header", seed, p)
			}
		}
	}
}

func TestTitleBalanced(t *testing.T) {
	doc := layouttest.Sample()
	res, err := layout.Layout(doc, layouttest.NewFonts())
	if err != nil {
		t.Fatal(err)
	}
	var title []string
	for _, l := range lines(res) {
		if l.size == 22 {
			title = append(title, l.text)
		}
	}
	want := []string{"𥔲嘉镇人民政府2024年度", "政府信息公开工作年度报告"}
	if strings.Join(title, "|") != strings.Join(want, "|") {
		t.Errorf("title lines %q, want %q", title, want)
	}
}

func TestMergedLabelRepeatsAcrossPages(t *testing.T) {
	doc := &render.Document{Page: layouttest.Page(), Styles: layouttest.Styles()}
	for range 12 {
		doc.Blocks = append(doc.Blocks, layouttest.Para(render.StyleBody, "政府信息公开工作年度报告。"))
	}
	doc.Blocks = append(doc.Blocks, layouttest.TableB())
	res, err := layout.Layout(doc, layouttest.NewFonts())
	if err != nil {
		t.Fatal(err)
	}
	labelPages := map[int]int{}
	for _, l := range lines(res) {
		if strings.Contains(l.text, "三、") || strings.Contains(l.text, "办理结果") {
			labelPages[l.page]++
		}
		if l.y > textBot && l.size != 14 {
			t.Errorf("page %d: %q below the text block", l.page, l.text)
		}
	}
	if len(labelPages) < 2 {
		t.Errorf("the 22-row label should be repeated on each page, found on pages %v", labelPages)
	}
}

func TestBadInputIsAnError(t *testing.T) {
	cases := map[string]*render.Document{
		"missing style": {Page: layouttest.Page(), Styles: layouttest.Styles(), Blocks: []render.Block{layouttest.Para("nope", "x")}},
		"control char":  {Page: layouttest.Page(), Styles: layouttest.Styles(), Blocks: []render.Block{layouttest.Para(render.StyleBody, "a\x01b")}},
		"bad utf8":      {Page: layouttest.Page(), Styles: layouttest.Styles(), Blocks: []render.Block{layouttest.Para(render.StyleBody, "a\xffb")}},
		"cell outside":  {Page: layouttest.Page(), Styles: layouttest.Styles(), Blocks: []render.Block{&render.Table{Columns: []float64{10}, Rows: []render.Row{{Cells: []render.Cell{{Col: 1, Text: "x"}}}}}}},
		"overlap":       {Page: layouttest.Page(), Styles: layouttest.Styles(), Blocks: []render.Block{&render.Table{Columns: []float64{10, 10}, Rows: []render.Row{{Cells: []render.Cell{{Col: 0, ColSpan: 2}, {Col: 1}}}}}}},
		"no page":       {Styles: layouttest.Styles()},
	}
	for name, doc := range cases {
		if _, err := layout.Layout(doc, layouttest.NewFonts()); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := layout.Layout(nil, layouttest.NewFonts()); err == nil {
		t.Error("nil document: no error")
	}
}

func TestRowTallerThanAPageContinues(t *testing.T) {
	long := strings.Repeat("政府信息公开工作年度报告，", 400)
	doc := &render.Document{Page: layouttest.Page(), Styles: layouttest.Styles()}
	doc.Blocks = []render.Block{&render.Table{Columns: []float64{30, 126}, HeaderRows: 1, Rows: []render.Row{
		{Cells: []render.Cell{{Col: 0, ColSpan: 2, Text: "表头", Header: true}}},
		{Cells: []render.Cell{{Col: 0, Text: "标签"}, {Col: 1, Text: long}}},
		{Cells: []render.Cell{{Col: 0, Text: "末行"}, {Col: 1, Text: "1"}}},
	}}}
	res, err := layout.Layout(doc, layouttest.NewFonts())
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	headers, labels := 0, 0
	for _, pg := range res.Pages {
		for _, tx := range pg.Texts {
			if tx.Size == 14 {
				continue
			}
			if tx.Y > textBot {
				t.Errorf("page %d: %q below the text block", pg.Number, tx.Text)
			}
			if tx.Text == "表头" {
				headers++
				continue
			}
			if tx.Text == "标签" {
				labels++ // the row's label is repeated like a merged label
				continue
			}
			got.WriteString(tx.Text)
		}
		for _, r := range pg.Rules {
			if r.Y1 > textBot+0.01 || r.Y2 > textBot+0.01 {
				t.Errorf("page %d: rule below the text block", pg.Number)
				break
			}
		}
	}
	if labels < 2 {
		t.Errorf("row label drawn %d times", labels)
	}
	if want := long + "末行1"; got.String() != want {
		t.Errorf("text changed: got %d bytes, want %d", got.Len(), len(want))
	}
	if len(res.Pages) < 3 || headers != len(res.Pages) {
		t.Errorf("%d pages, header on %d", len(res.Pages), headers)
	}
}

// A wrapped table label never strands its item number: "3. / 补正后…" reads
// as an empty item.
func TestCellKeepsItemNumberWithText(t *testing.T) {
	for _, label := range []string{"3.补正后申请内容仍不明确", "4.无正当理由大量反复申请", "12.属于行政执法案卷和其他"} {
		doc := &render.Document{Page: layouttest.Page(), Styles: layouttest.Styles(), Blocks: []render.Block{&render.Table{
			Columns: []float64{44, 112},
			Rows: []render.Row{{Cells: []render.Cell{
				{Col: 0, RowSpan: 1, ColSpan: 1, Text: label, Style: render.StyleTableText, Align: render.AlignLeft, Header: true},
				{Col: 1, RowSpan: 1, ColSpan: 1, Text: "0", Style: render.StyleTableText, Align: render.AlignCenter},
			}}},
		}}}
		res, err := layout.Layout(doc, layouttest.NewFonts())
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range lines(res) {
			if l.text != "0" && l.size != 14 { // not the folio
				got = append(got, l.text)
			}
		}
		if len(got) < 2 {
			t.Fatalf("%q did not wrap at 44 mm: %q", label, got)
		}
		if first := got[0]; strings.TrimRight(first, "0123456789.") == "" {
			t.Errorf("%q wrapped as %q: the item number stands alone", label, got)
		}
		if strings.Join(got, "") != label {
			t.Errorf("lines %q lose or add text of %q", got, label)
		}
	}
}
