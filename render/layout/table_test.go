package layout_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"gongwen/render"
	"gongwen/render/layout"
	"gongwen/render/layout/layouttest"
)

// filler is a body paragraph of exactly n lines (n ≥ 1) on the grid.
func filler(n int) render.Block {
	return layouttest.Para(render.StyleBody, strings.Repeat("政", 26+28*(n-1)))
}

// afterFiller lays out n lines of body text followed by blocks.
func afterFiller(t *testing.T, n int, blocks ...render.Block) *layout.Result {
	t.Helper()
	return afterFillerRows(t, n, 0, blocks...)
}

// afterFillerRows lays out n lines of body text and a table row of k
// lines (12.6 k + 5 pt, off the 28.95 pt grid) followed by blocks:
// sweeping n and k in 0..3 starts blocks at most 11.4 pt apart all down
// the page.
func afterFillerRows(t *testing.T, n, k int, blocks ...render.Block) *layout.Result {
	t.Helper()
	doc := &render.Document{Page: layouttest.Page(), Styles: layouttest.Styles()}
	if n > 0 {
		doc.Blocks = append(doc.Blocks, filler(n))
	}
	if k > 0 {
		tbl := &render.Table{Columns: []float64{156}, Rows: []render.Row{{Cells: []render.Cell{
			{Text: strings.Repeat("－\n", k-1) + "－", Path: "/x"},
		}}}}
		doc.Blocks = append(doc.Blocks, tbl)
	}
	doc.Blocks = append(doc.Blocks, blocks...)
	res, err := layout.Layout(doc, layouttest.NewFonts())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// pagesOf lists the pages on which a text starting with each of prefixes
// is drawn.
func pagesOf(res *layout.Result, prefixes ...string) map[string][]int {
	m := map[string][]int{}
	for _, pg := range res.Pages {
		for _, tx := range pg.Texts {
			for _, p := range prefixes {
				if strings.HasPrefix(tx.Text, p) {
					m[p] = append(m[p], pg.Number)
				}
			}
		}
	}
	return m
}

// A group heading of table 二 (第二十条第（X）项 and its 信息内容 row) never
// ends a page: it stays with the first row of its numbers, wherever the
// table starts.
func TestGroupHeadingKeepsWithItsRows(t *testing.T) {
	groups := map[string]string{
		"第二十条第（一）项": "规章", "第二十条第（五）项": "行政许可",
		"第二十条第（六）项": "行政处罚", "第二十条第（八）项": "行政事业性收费",
	}
	for i := 0; i <= 22*4; i++ {
		n := i / 4
		res := afterFillerRows(t, n, i%4, layouttest.TableProactive())
		var names []string
		for heading, first := range groups {
			names = append(names, heading, first)
		}
		pages := pagesOf(res, names...)
		for heading, first := range groups {
			if len(pages[heading]) != 1 || len(pages[first]) != 1 {
				t.Fatalf("%d lines and a %d-line row before: %q on pages %v, %q on %v", n, i%4, heading, pages[heading], first, pages[first])
			}
			if hp, fp := pages[heading][0], pages[first][0]; hp != fp {
				t.Errorf("%d lines and a %d-line row before: %q ends page %d, its first row %q starts page %d", n, i%4, heading, hp, first, fp)
			}
		}
	}
}

// Table 三's header with a single row under it at a page foot moves to
// the next page with the rest: the first page holds two rows at least.
func TestTableHeaderNotAloneAtPageFoot(t *testing.T) {
	for i := 0; i <= 22*4; i++ {
		n := i / 4
		res := afterFillerRows(t, n, i%4, layouttest.TableB())
		pages := pagesOf(res, "申请人情况", "二、上年结转")
		head, second := pages["申请人情况"], pages["二、上年结转"]
		if len(head) == 0 || len(second) != 1 {
			t.Fatalf("%d lines and a %d-line row before: header on pages %v, second row on %v", n, i%4, head, second)
		}
		if head[0] != second[0] {
			t.Errorf("%d lines and a %d-line row before: the table starts on page %d with one row, its second row is on page %d", n, i%4, head[0], second[0])
		}
	}
}

// rowBox is the top and bottom rule around a text: the row (or merged
// cell) it is drawn in.
func rowBox(pg *layout.Page, tx layout.Text) (top, bottom float64) {
	top, bottom = math.Inf(-1), math.Inf(1)
	x := tx.X + tx.Width/2
	for _, r := range pg.Rules {
		if r.Y1 != r.Y2 || x < math.Min(r.X1, r.X2) || x > math.Max(r.X1, r.X2) {
			continue
		}
		if r.Y1 < tx.Y && r.Y1 > top {
			top = r.Y1
		}
		if r.Y1 > tx.Y && r.Y1 < bottom {
			bottom = r.Y1
		}
	}
	return top, bottom
}

// rowHeights maps each number of the table (unique) to its row's height.
func rowHeights(res *layout.Result) map[string]float64 {
	m := map[string]float64{}
	for i := range res.Pages {
		pg := &res.Pages[i]
		for _, tx := range pg.Texts {
			if tx.Text == "" || strings.Trim(tx.Text, "0123456789") != "" || tx.Size == 14 {
				continue
			}
			top, bottom := rowBox(pg, tx)
			m[tx.Text] = bottom - top
		}
	}
	return m
}

// A merged label cut by a page break is repeated in the rows it spans on
// the new page; no row grows to hold it (the （七）总计 row once stretched
// to 54 pt).
func TestRepeatedLabelTakesItsRows(t *testing.T) {
	want := rowHeights(afterFiller(t, 0, layouttest.TableB()))
	if len(want) != 175 {
		t.Fatalf("reference layout has %d numbers, want 175", len(want))
	}
	for i := 1; i <= 22*4; i++ {
		n := i / 4
		res := afterFillerRows(t, n, i%4, layouttest.TableB())
		got := rowHeights(res)
		for num, h := range got {
			if h > want[num]+0.01 {
				t.Errorf("%d lines and a %d-line row before: the row of %s is %.1f pt tall, %.1f pt when the table is whole", n, i%4, num, h, want[num])
				break
			}
		}
	}
}

// columnLines are the texts drawn between x0 and x1 on page 1, top down
// (one per line: a cell's line is one Text in the fake fonts).
func columnLines(res *layout.Result, x0, x1 float64) []string {
	var out []string
	for _, tx := range res.Pages[0].Texts {
		if tx.X >= x0 && tx.X < x1 && tx.Size != 14 {
			out = append(out, tx.Text)
		}
	}
	return out
}

// Narrow column heads break between words: 社会 / 公益 / 组织, not
// 社会公 / 益组织 (three characters a line in table 三's 13.5 mm columns).
func TestNarrowHeadBreaksBetweenWords(t *testing.T) {
	heads := map[string][]string{
		"社会公益组织": {"社会", "公益", "组织"},
		"法律服务机构": {"法律", "服务", "机构"},
		"商业企业":   {"商业", "企业"},
		"自然人":    {"自然人"},
	}
	tbl := &render.Table{Columns: []float64{13.5, 13.5, 13.5, 13.5}, HeaderRows: 1}
	var row render.Row
	col := 0
	for _, h := range []string{"社会公益组织", "法律服务机构", "商业企业", "自然人"} {
		row.Cells = append(row.Cells, render.Cell{Col: col, Text: h, Style: render.StyleTableHeader, Header: true})
		col++
	}
	tbl.Rows = []render.Row{row}
	res := afterFiller(t, 0, tbl)
	left := textLeft + (textRight-textLeft-4*13.5*72/25.4)/2
	for i, h := range []string{"社会公益组织", "法律服务机构", "商业企业", "自然人"} {
		x0 := left + float64(i)*13.5*72/25.4
		got := columnLines(res, x0, x0+13.5*72/25.4)
		if want := heads[h]; strings.Join(got, "/") != strings.Join(want, "/") {
			t.Errorf("%s set as %q, want %q", h, got, want)
		}
	}
}

// Numbers never wrap in a cell: a count too wide for its column is set
// smaller (not below 8 pt while that fits), then into the padding.
func TestNumbersNeverWrap(t *testing.T) {
	cases := []struct {
		col     float64 // mm
		num     string
		minSize float64
	}{
		{9.75, "12345", 8},
		{9.75, "99999", 8},
		{13.5, "123456", 8},
		{10.4, "54321", 8},
		{9.75, "47.36%", 8},
		{9.75, "123456789", 1}, // the schema's largest count: smaller still, never broken
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.col, "mm/", c.num), func(t *testing.T) {
			tbl := &render.Table{Columns: []float64{30, c.col}, Rows: []render.Row{{Cells: []render.Cell{
				{Col: 0, Text: "总计", Header: true},
				{Col: 1, Text: c.num, Style: render.StyleTableText, Align: render.AlignCenter, Path: "/n"},
			}}}}
			res := afterFiller(t, 0, tbl)
			pg := &res.Pages[0]
			var found []layout.Text
			for _, tx := range pg.Texts {
				if strings.ContainsAny(tx.Text, "0123456789") && tx.Size != 14 {
					found = append(found, tx)
				}
			}
			if len(found) != 1 || found[0].Text != c.num {
				t.Fatalf("%s drawn as %d pieces: %+v", c.num, len(found), found)
			}
			tx := found[0]
			if tx.Size < c.minSize || tx.Size > 10.5 {
				t.Errorf("%s set at %.2f pt", c.num, tx.Size)
			}
			// Inside its column's rules.
			left := textLeft + (textRight-textLeft-(30+c.col)*72/25.4)/2 + 30*72/25.4
			right := left + c.col*72/25.4
			if tx.X < left+0.4 || tx.X+tx.Width > right-0.4 {
				t.Errorf("%s spans %.2f–%.2f, column %.2f–%.2f", c.num, tx.X, tx.X+tx.Width, left, right)
			}
		})
	}
}
