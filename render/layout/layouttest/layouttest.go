// Package layouttest provides documents and a fixed-advance font for tests
// of the layout stage and of the backends that draw its result.
package layouttest

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"gongwen/render"
	"gongwen/render/layout"
)

// Face is a fake face: full-width characters advance one em, others half.
type Face struct {
	Name string
	// Covers reports whether the face has r; nil means every rune.
	Covers func(r rune) bool
}

func (f *Face) UnitsPerEm() int { return 1000 }

func (f *Face) Advance(r rune) int {
	if r >= 0x2E80 || r == '“' || r == '”' || r == '‘' || r == '’' || r == '—' || r == '…' {
		return 1000
	}
	return 500
}

// Fonts segments text between a main face and a fallback face for
// characters outside the BMP, like a real font book does for 𥔲.
type Fonts struct {
	Main, Fallback *Face
}

// NewFonts returns fake fonts with a BMP-only main face.
func NewFonts() *Fonts {
	return &Fonts{
		Main:     &Face{Name: "main", Covers: func(r rune) bool { return r < 0x10000 }},
		Fallback: &Face{Name: "fallback"},
	}
}

func (f *Fonts) Segment(role, text string) ([]layout.Span, error) {
	var spans []layout.Span
	start := 0
	var cur *Face
	for i, r := range text {
		if r < 0x20 || r == 0x7f {
			return nil, fmt.Errorf("no face of role %q has a glyph for U+%04X", role, r)
		}
		face := f.Main
		if !f.Main.Covers(r) {
			face = f.Fallback
		}
		if cur != nil && face != cur {
			spans = append(spans, layout.Span{Face: cur, Text: text[start:i]})
			start = i
		}
		cur = face
	}
	if cur != nil {
		spans = append(spans, layout.Span{Face: cur, Text: text[start:]})
	}
	return spans, nil
}

// Page is the GB/T 9704 page the shipped template sets up.
func Page() render.Page {
	return render.Page{
		WidthMM: 210, HeightMM: 297,
		MarginTopMM: 37, MarginBottomMM: 35, MarginLeftMM: 28, MarginRightMM: 26,
		LinePitchPt: 28.95, LinesPerPage: 22, CharsPerLine: 28,
		PageNumber: render.PageNumber{
			Style: render.StylePageNumber, Format: "— {n} —", BelowMM: 7, InsetChars: 1,
			OddAlign: render.AlignRight, EvenAlign: render.AlignLeft,
		},
	}
}

// Styles are the styles of the shipped template.
func Styles() map[string]render.Style {
	list := []render.Style{
		{Name: render.StyleTitle, Role: render.RoleTitle, SizePt: 22, Align: render.AlignCenter, LineSpacingPt: 35, SpaceAfterPt: 28.95},
		{Name: render.StyleBody, Role: render.RoleBody, SizePt: 16, Align: render.AlignJustify, FirstLineIndentChars: 2, LineSpacingPt: 28.95, SnapToGrid: true},
		{Name: render.StyleHeading1, Role: render.RoleHeading1, SizePt: 16, Align: render.AlignJustify, FirstLineIndentChars: 2, LineSpacingPt: 28.95, SnapToGrid: true, KeepWithNext: true},
		{Name: render.StyleHeading2, Role: render.RoleHeading2, SizePt: 16},
		{Name: render.StyleTableText, Role: render.RoleTable, SizePt: 10.5},
		{Name: render.StyleTableHeader, Role: render.RoleTableHeader, SizePt: 10.5, Align: render.AlignCenter},
		{Name: render.StyleSignature, Role: render.RoleBody, SizePt: 16, Align: render.AlignRight, RightIndentChars: 2, LineSpacingPt: 28.95, SnapToGrid: true, SpaceBeforePt: 57.9},
		{Name: render.StyleDate, Role: render.RoleBody, SizePt: 16, Align: render.AlignRight, RightIndentChars: 4, LineSpacingPt: 28.95, SnapToGrid: true},
		{Name: render.StylePageNumber, Role: render.RolePageNumber, SizePt: 14},
	}
	m := make(map[string]render.Style, len(list))
	for _, s := range list {
		m[s.Name] = s
	}
	return m
}

// Para is a paragraph of one run.
func Para(style, text string) *render.Paragraph {
	return &render.Paragraph{Style: style, Runs: []render.Run{{Text: text}}}
}

// RunIn is a body paragraph starting with a run-in heading2.
func RunIn(heading, text string) *render.Paragraph {
	return &render.Paragraph{Style: render.StyleBody, Runs: []render.Run{{Text: heading, Style: render.StyleHeading2}, {Text: text}}, OutlineLevel: 2}
}

func label(col, rs, cs int, text string) render.Cell {
	return render.Cell{Col: col, RowSpan: rs, ColSpan: cs, Text: text, Style: render.StyleTableHeader, Header: true, VAlign: render.VAlignMiddle}
}

func value(col int, text string) render.Cell {
	return render.Cell{Col: col, RowSpan: 1, ColSpan: 1, Text: text, Style: render.StyleTableText, Align: render.AlignCenter, VAlign: render.VAlignMiddle, Path: "/x"}
}

// TableB is table B of the national format with numbers 0..174.
func TableB() *render.Table {
	t := &render.Table{Name: "表二", Columns: []float64{16, 22, 48, 10, 10, 10, 10, 10, 10, 10}, HeaderRows: 3}
	t.Rows = append(t.Rows,
		render.Row{Cells: []render.Cell{label(0, 3, 3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"), label(3, 1, 7, "申请人情况")}},
		render.Row{Cells: []render.Cell{label(3, 2, 1, "自然人"), label(4, 1, 5, "法人或其他组织"), label(9, 2, 1, "总计")}},
		render.Row{Cells: []render.Cell{label(4, 1, 1, "商业企业"), label(5, 1, 1, "科研机构"), label(6, 1, 1, "社会公益组织"), label(7, 1, 1, "法律服务机构"), label(8, 1, 1, "其他")}},
	)
	n := 0
	values := func(cells []render.Cell) render.Row {
		for c := 3; c < 10; c++ {
			cells = append(cells, value(c, fmt.Sprint(n)))
			n++
		}
		return render.Row{Cells: cells}
	}
	type item struct {
		b    string
		span int
		c    []string
	}
	items := []item{
		{"（一）予以公开", 1, nil},
		{"（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, nil},
		{"（三）不予公开", 8, []string{"1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"}},
		{"（四）无法提供", 3, []string{"1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"}},
		{"（五）不予处理", 5, []string{"1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息"}},
		{"（六）其他处理", 3, []string{"1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他"}},
		{"（七）总计", 1, nil},
	}
	t.Rows = append(t.Rows, values([]render.Cell{label(0, 1, 3, "一、本年新收政府信息公开申请数量")}))
	t.Rows = append(t.Rows, values([]render.Cell{label(0, 1, 3, "二、上年结转政府信息公开申请数量")}))
	first := true
	for _, it := range items {
		var cells []render.Cell
		if first {
			cells = append(cells, label(0, 22, 1, "三、本年度办理结果"))
			first = false
		}
		if it.c == nil {
			cells = append(cells, label(1, 1, 2, it.b))
			t.Rows = append(t.Rows, values(cells))
			continue
		}
		cells = append(cells, label(1, it.span, 1, it.b))
		for i, c := range it.c {
			if i > 0 {
				cells = nil
			}
			cells = append(cells, label(2, 1, 1, c))
			t.Rows = append(t.Rows, values(cells))
		}
	}
	t.Rows = append(t.Rows, values([]render.Cell{label(0, 1, 3, "四、结转下年度继续办理")}))
	return t
}

// TableProactive is table 二 of the national format: four groups, each a
// heading row and a column-head row (rows of headings only) over its rows
// of numbers, no repeated header.
func TableProactive() *render.Table {
	t := &render.Table{Name: "表二", Columns: []float64{48, 36, 36, 36}}
	n := 0
	row := func(labelText string, cols int) render.Row {
		cells := []render.Cell{label(0, 1, 1, labelText)}
		if cols == 1 {
			c := value(1, fmt.Sprint(n))
			c.ColSpan = 3
			n++
			return render.Row{Cells: append(cells, c)}
		}
		for c := 1; c <= 3; c++ {
			cells = append(cells, value(c, fmt.Sprint(n)))
			n++
		}
		return render.Row{Cells: cells}
	}
	group := func(heading string, heads []string, rows ...render.Row) {
		t.Rows = append(t.Rows, render.Row{Cells: []render.Cell{label(0, 1, 4, heading)}})
		r := render.Row{Cells: []render.Cell{label(0, 1, 1, "信息内容")}}
		for i, h := range heads {
			r.Cells = append(r.Cells, label(1+i, 1, 4-len(heads), h))
		}
		t.Rows = append(t.Rows, r)
		t.Rows = append(t.Rows, rows...)
	}
	group("第二十条第（一）项", []string{"本年制发件数", "本年废止件数", "现行有效件数"}, row("规章", 3), row("行政规范性文件", 3))
	group("第二十条第（五）项", []string{"本年处理决定数量"}, row("行政许可", 1))
	group("第二十条第（六）项", []string{"本年处理决定数量"}, row("行政处罚", 1), row("行政强制", 1))
	group("第二十条第（八）项", []string{"本年收费金额（单位：万元）"}, row("行政事业性收费", 1))
	return t
}

// LongTable is table B with extra rows, longer than a page.
func LongTable(extra int) *render.Table {
	t := TableB()
	for i := range extra {
		row := render.Row{Cells: []render.Cell{label(0, 1, 3, fmt.Sprintf("附加行%d", i+1))}}
		for c := 3; c < 10; c++ {
			row.Cells = append(row.Cells, value(c, fmt.Sprint(i*c)))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// TableC is table C: 15 columns, two-line header cells.
func TableC() *render.Table {
	cols := make([]float64, 15)
	for i := range cols {
		cols[i] = 156.0 / 15
	}
	t := &render.Table{Name: "表三", Columns: cols, HeaderRows: 3}
	results := []string{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}
	r1 := render.Row{Cells: []render.Cell{label(0, 1, 5, "行政复议"), label(5, 1, 10, "行政诉讼")}}
	var r2, r3, r4 render.Row
	for i, s := range results {
		r2.Cells = append(r2.Cells, label(i, 2, 1, s))
	}
	r2.Cells = append(r2.Cells, label(5, 1, 5, "未经复议直接起诉"), label(10, 1, 5, "复议后起诉"))
	for i := 0; i < 10; i++ {
		r3.Cells = append(r3.Cells, label(5+i, 1, 1, results[i%5]))
	}
	for i := 0; i < 15; i++ {
		r4.Cells = append(r4.Cells, value(i, fmt.Sprint(100+i)))
	}
	t.Rows = []render.Row{r1, r2, r3, r4}
	return t
}

// Sample is a small annual report: title, preface, headings, run-in
// headings, tables B and C, signature and date.
func Sample() *render.Document {
	doc := &render.Document{
		Meta:   render.Meta{Title: "𥔲嘉镇人民政府2024年度政府信息公开工作年度报告", Author: "𥔲嘉镇人民政府", Language: "zh-CN", Keywords: []string{"政府信息公开"}},
		Page:   Page(),
		Styles: Styles(),
		// the annual report template's titleWords
		TitleWords: []string{"人民政府", "政府信息公开", "政府信息", "政务公开", "办公厅", "办公室", "委员会", "街道办事处", "年度报告", "工作", "关于", "规定", "规范"},
	}
	body := "按照《中华人民共和国政府信息公开条例》有关要求，𥔲嘉镇人民政府根据政府信息与政务公开工作实际情况编制2024年度报告。报告中所列数据的统计时间为2024年1月1日至2024年12月31日止。"
	doc.Blocks = []render.Block{
		Para(render.StyleTitle, doc.Meta.Title),
		Para(render.StyleBody, body),
		&render.Paragraph{Style: render.StyleHeading1, Runs: []render.Run{{Text: "一、总体情况"}}, OutlineLevel: 1},
		RunIn("（一）主动公开情况。", "严格按照《中华人民共和国政府信息公开条例》规定的主动公开信息范围发布或更新信息，2024年以来共处理12345公众热线36条，办结率达100%。"),
		RunIn("（二）依申请公开情况。", strings.Repeat("按照“谁公开、谁负责”和“先审查、后公开”的原则，对发布的各种政府信息严格执行保密审查制度。", 3)),
		&render.Paragraph{Style: render.StyleHeading1, Runs: []render.Run{{Text: "三、收到和处理政府信息公开申请情况"}}, OutlineLevel: 1},
		TableB(),
		&render.Paragraph{Style: render.StyleHeading1, Runs: []render.Run{{Text: "四、政府信息公开行政复议、行政诉讼情况"}}, OutlineLevel: 1},
		TableC(),
		Para(render.StyleBody, "2024年，我单位未发生收取信息处理费的情况。"),
		Para(render.StyleSignature, "𥔲嘉镇人民政府"),
		Para(render.StyleDate, "2025年1月20日"),
	}
	return doc
}

var stressPieces = []string{
	"政府信息公开", "工作", "年度报告", "，", "。", "、", "；", "：", "？", "！", "（", "）", "《", "》", "“", "”",
	"2024", "12345", "100%", "3.14", "GB/T 9704", "PDF", "Unicode", " ", "internationalization", "——", "……",
	"𥔲嘉镇", "的", "和", "在", "主动公开", "ａｂｃ", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
}

// StressText is a random paragraph of mixed Chinese, Latin, digits and
// punctuation.
func StressText(rng *rand.Rand) string {
	var b strings.Builder
	n := 5 + rng.IntN(120)
	for range n {
		b.WriteString(stressPieces[rng.IntN(len(stressPieces))])
	}
	return b.String()
}

// Stress is a document of n random body paragraphs, some with run-in
// headings, and a long table forced across a page break.
func Stress(n int, seed uint64) *render.Document {
	rng := rand.New(rand.NewPCG(seed, 1))
	doc := &render.Document{Meta: render.Meta{Title: "stress"}, Page: Page(), Styles: Styles()}
	for i := range n {
		if i%7 == 3 {
			doc.Blocks = append(doc.Blocks, RunIn("（"+fmt.Sprint(i)+"）标题。", StressText(rng)))
		} else {
			doc.Blocks = append(doc.Blocks, Para(render.StyleBody, StressText(rng)))
		}
		if i == n/2 {
			doc.Blocks = append(doc.Blocks, LongTable(40))
		}
	}
	return doc
}
