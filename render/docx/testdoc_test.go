package docx

import (
	"fmt"
	"time"

	"gongwen/render"
)

// handDocument builds, without the template engine, a document shaped like
// the annual report: the template's page and styles, a title, level-1
// headings, body paragraphs with run-in level-2 headings, and the three
// tables with the merges of annual-report-format.md. Unit tests use it so
// they do not depend on the pipeline; the example tests use the pipeline.
func handDocument() *render.Document {
	d := &render.Document{
		Meta: render.Meta{
			TemplateID: "gov-info-disclosure-annual/2021",
			Title:      "𥔲嘉镇人民政府2024年度政府信息公开工作年度报告",
			Author:     "𥔲嘉镇人民政府",
			Subject:    "𥔲嘉镇人民政府2024年度政府信息公开工作年度报告",
			Keywords:   []string{"政府信息公开", "年度报告", "2024"},
			Language:   "zh-CN",
			Created:    time.Date(2025, 1, 20, 0, 0, 0, 0, time.UTC),
		},
		Page: render.Page{
			WidthMM: 210, HeightMM: 297,
			MarginTopMM: 37, MarginBottomMM: 35, MarginLeftMM: 28, MarginRightMM: 26,
			LinePitchPt: 28.95, LinesPerPage: 22, CharsPerLine: 28,
			PageNumber: render.PageNumber{Style: "pageNumber", Format: "— {n} —", BelowMM: 7, InsetChars: 1,
				OddAlign: render.AlignRight, EvenAlign: render.AlignLeft},
		},
		Styles: map[string]render.Style{
			"title":       {Role: "title", SizePt: 22, Align: "center", LineSpacingPt: 28.95, SpaceAfterPt: 28.95, KeepWithNext: true, SnapToGrid: true},
			"body":        {Role: "body", SizePt: 16, Align: "justify", FirstLineIndentChars: 2, LineSpacingPt: 28.95, SnapToGrid: true},
			"heading1":    {Role: "heading1", SizePt: 16, Align: "justify", FirstLineIndentChars: 2, LineSpacingPt: 28.95, KeepWithNext: true, SnapToGrid: true},
			"heading2":    {Role: "heading2", SizePt: 16},
			"tableText":   {Role: "table", SizePt: 10.5, Align: "center", LineSpacingPt: 13.5},
			"tableHeader": {Role: "tableHeader", SizePt: 10.5, Align: "center", LineSpacingPt: 13.5},
			"signature":   {Role: "body", SizePt: 16, Align: "right", RightIndentChars: 4, LineSpacingPt: 28.95, SpaceBeforePt: 28.95, SnapToGrid: true},
			"date":        {Role: "body", SizePt: 16, Align: "right", RightIndentChars: 4, LineSpacingPt: 28.95, SnapToGrid: true},
			"pageNumber":  {Role: "pageNumber", SizePt: 14, Align: "right"},
		},
	}
	for name, s := range d.Styles {
		s.Name = name
		d.Styles[name] = s
	}
	para := func(style, text string) {
		d.Blocks = append(d.Blocks, &render.Paragraph{Style: style, Runs: []render.Run{{Text: text}}})
	}
	heading := func(text string) {
		d.Blocks = append(d.Blocks, &render.Paragraph{Style: "heading1", OutlineLevel: 1, Runs: []render.Run{{Text: text}}})
	}
	runIn := func(h, text string) {
		d.Blocks = append(d.Blocks, &render.Paragraph{Style: "body", Runs: []render.Run{{Text: h, Style: "heading2"}, {Text: text}}})
	}
	para("title", d.Meta.Title)
	para("body", "按照《中华人民共和国政府信息公开条例》有关要求，𥔲嘉镇人民政府根据政府信息与政务公开工作实际情况编制2024年度报告。报告中所列数据的统计时间为2024年1月1日至2024年12月31日止。")
	heading("一、总体情况")
	para("body", "2024年以来，为保障公民、法人和其他组织依法获取政府信息，提高政府工作透明度，建设法治政府，𥔲嘉镇人民政府按照《中华人民共和国政府信息公开条例》相关要求，拓宽信息公开渠道。")
	runIn("（一）主动公开情况。", "通过双柏县人民政府门户网站发布乡镇快讯、机构职能等信息共100条，2024年以来共处理12345公众热线36条，办结率达100%。")
	runIn("（二）依申请公开情况。", "𥔲嘉镇严格执行依申请公开接收、登记、审核、办理、答复程序。按照“谁公开、谁负责”的原则。")
	heading("二、主动公开政府信息情况")
	d.Blocks = append(d.Blocks, tableA())
	heading("三、收到和处理政府信息公开申请情况")
	d.Blocks = append(d.Blocks, tableB())
	heading("四、政府信息公开行政复议、行政诉讼情况")
	d.Blocks = append(d.Blocks, tableC())
	heading("五、存在的主要问题及改进情况")
	runIn("（一）存在问题。", "一是政府网站管理存在不足；二是政府信息公开供给与公众信息获取需求之间仍然存在着较大的差距。")
	heading("六、其他需要报告的事项")
	para("body", "2024年，我单位未发生收取信息处理费的情况。")
	para("signature", "𥔲嘉镇人民政府")
	para("date", "2025年1月20日")
	return d
}

func hdr(col int, text string, rs, cs int) render.Cell {
	return render.Cell{Col: col, RowSpan: rs, ColSpan: cs, Text: text, Style: "tableHeader", Align: "center", VAlign: "middle", Header: true}
}

func label(col int, text string, rs, cs int) render.Cell {
	return render.Cell{Col: col, RowSpan: rs, ColSpan: cs, Text: text, Style: "tableText", Align: "center", VAlign: "middle", Header: true}
}

func value(col int, text string, cs int, path string) render.Cell {
	return render.Cell{Col: col, RowSpan: 1, ColSpan: cs, Text: text, Style: "tableText", Align: "center", VAlign: "middle", Path: path}
}

func tableA() *render.Table {
	t := &render.Table{Name: "表二", Columns: []float64{48, 36, 36, 36}}
	row := func(cells ...render.Cell) { t.Rows = append(t.Rows, render.Row{Cells: cells}) }
	group := func(item string) { row(hdr(0, "第二十条第（"+item+"）项", 1, 4)) }
	group("一")
	row(hdr(0, "信息内容", 1, 1), hdr(1, "本年制发件数", 1, 1), hdr(2, "本年废止件数", 1, 1), hdr(3, "现行有效件数", 1, 1))
	row(label(0, "规章", 1, 1), value(1, "0", 1, "/proactive/regulations/issued"), value(2, "0", 1, ""), value(3, "0", 1, ""))
	row(label(0, "行政规范性文件", 1, 1), value(1, "0", 1, ""), value(2, "0", 1, ""), value(3, "0", 1, ""))
	group("五")
	row(hdr(0, "信息内容", 1, 1), hdr(1, "本年处理决定数量", 1, 3))
	row(label(0, "行政许可", 1, 1), value(1, "0", 3, "/proactive/licensing"))
	group("六")
	row(hdr(0, "信息内容", 1, 1), hdr(1, "本年处理决定数量", 1, 3))
	row(label(0, "行政处罚", 1, 1), value(1, "1", 3, "/proactive/punishment"))
	row(label(0, "行政强制", 1, 1), value(1, "0", 3, "/proactive/coercion"))
	group("八")
	row(hdr(0, "信息内容", 1, 1), hdr(1, "本年收费金额（单位：万元）", 1, 3))
	row(label(0, "行政事业性收费", 1, 1), value(1, "4166.241619", 3, "/proactive/fees"))
	return t
}

// tableBLabels are table B's body rows: (A, B, C) labels with spans as in
// annual-report-format.md §3; "" means covered by a merge.
var tableBLabels = []struct {
	a, b, c    string
	aRS, bRS   int
	aCS, bCS   int
	hasB, hasC bool
}{
	{a: "一、本年新收政府信息公开申请数量", aRS: 1, aCS: 3},
	{a: "二、上年结转政府信息公开申请数量", aRS: 1, aCS: 3},
	{a: "三、本年度办理结果", aRS: 22, aCS: 1, b: "（一）予以公开", bRS: 1, bCS: 2, hasB: true},
	{b: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", bRS: 1, bCS: 2, hasB: true},
	{b: "（三）不予公开", bRS: 8, bCS: 1, hasB: true, c: "1.属于国家秘密", hasC: true},
	{c: "2.其他法律行政法规禁止公开", hasC: true},
	{c: "3.危及“三安全一稳定”", hasC: true},
	{c: "4.保护第三方合法权益", hasC: true},
	{c: "5.属于三类内部事务信息", hasC: true},
	{c: "6.属于四类过程性信息", hasC: true},
	{c: "7.属于行政执法案卷", hasC: true},
	{c: "8.属于行政查询事项", hasC: true},
	{b: "（四）无法提供", bRS: 3, bCS: 1, hasB: true, c: "1.本机关不掌握相关政府信息", hasC: true},
	{c: "2.没有现成信息需要另行制作", hasC: true},
	{c: "3.补正后申请内容仍不明确", hasC: true},
	{b: "（五）不予处理", bRS: 5, bCS: 1, hasB: true, c: "1.信访举报投诉类申请", hasC: true},
	{c: "2.重复申请", hasC: true},
	{c: "3.要求提供公开出版物", hasC: true},
	{c: "4.无正当理由大量反复申请", hasC: true},
	{c: "5.要求行政机关确认或重新出具已获取信息", hasC: true},
	{b: "（六）其他处理", bRS: 3, bCS: 1, hasB: true, c: "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", hasC: true},
	{c: "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", hasC: true},
	{c: "3.其他", hasC: true},
	{b: "（七）总计", bRS: 1, bCS: 2, hasB: true},
	{a: "四、结转下年度继续办理", aRS: 1, aCS: 3},
}

func tableB() *render.Table {
	t := &render.Table{Name: "表三", Columns: []float64{12, 24, 50, 10, 10, 10, 10, 10, 10, 10}, HeaderRows: 3}
	row := func(cells ...render.Cell) { t.Rows = append(t.Rows, render.Row{Cells: cells}) }
	row(hdr(0, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), hdr(3, "申请人情况", 1, 7))
	row(hdr(3, "自然人", 2, 1), hdr(4, "法人或其他组织", 1, 5), hdr(9, "总计", 2, 1))
	row(hdr(4, "商业企业", 1, 1), hdr(5, "科研机构", 1, 1), hdr(6, "社会公益组织", 1, 1), hdr(7, "法律服务机构", 1, 1), hdr(8, "其他", 1, 1))
	for i, l := range tableBLabels {
		var cells []render.Cell
		if l.a != "" {
			cells = append(cells, label(0, l.a, l.aRS, l.aCS))
		}
		if l.hasB {
			cells = append(cells, label(1, l.b, l.bRS, l.bCS))
		}
		if l.hasC {
			cells = append(cells, label(2, l.c, 1, 1))
		}
		for k := 0; k < 7; k++ {
			cells = append(cells, value(3+k, fmt.Sprint((i*7+k)%10), 1, ""))
		}
		row(cells...)
	}
	return t
}

func tableC() *render.Table {
	cols := make([]float64, 15)
	for i := range cols {
		cols[i] = 10.4
	}
	t := &render.Table{Name: "表四", Columns: cols, HeaderRows: 3}
	row := func(cells ...render.Cell) { t.Rows = append(t.Rows, render.Row{Cells: cells}) }
	row(hdr(0, "行政复议", 1, 5), hdr(5, "行政诉讼", 1, 10))
	results := []string{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}
	var r2, r3, r4 []render.Cell
	for i, s := range results {
		r2 = append(r2, hdr(i, s, 2, 1))
	}
	r2 = append(r2, hdr(5, "未经复议直接起诉", 1, 5), hdr(10, "复议后起诉", 1, 5))
	for i := 0; i < 10; i++ {
		r3 = append(r3, hdr(5+i, results[i%5], 1, 1))
	}
	for i := 0; i < 15; i++ {
		r4 = append(r4, value(i, fmt.Sprint(i), 1, ""))
	}
	row(r2...)
	row(r3...)
	row(r4...)
	return t
}
