package docx

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"gongwen/internal/testkit"
	"gongwen/render"
)

func mustRender(t testing.TB, d *render.Document, opts Options) map[string][]byte {
	t.Helper()
	out, err := Render(d, opts)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	parts, _ := unzipParts(t, out)
	return parts
}

func TestPackagePartsAndOrder(t *testing.T) {
	out, err := Render(handDocument(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	parts, files := unzipParts(t, out)
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
		if !f.Modified.Equal(zipTime) && f.Modified.Format("2006-01-02 15:04:05") != "1980-01-01 00:00:00" {
			t.Errorf("%s: modified %v, want the fixed 1980-01-01", f.Name, f.Modified)
		}
		parsePart(t, parts, f.Name)
	}
	want := "[Content_Types].xml _rels/.rels docProps/core.xml docProps/app.xml word/document.xml word/styles.xml " +
		"word/settings.xml word/fontTable.xml word/footer1.xml word/footer2.xml word/_rels/document.xml.rels"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("parts\n got %s\nwant %s", got, want)
	}
	// Every part a relationship names exists and has a content type.
	ct := string(parts["[Content_Types].xml"])
	for _, rels := range []struct{ file, base string }{{"_rels/.rels", ""}, {"word/_rels/document.xml.rels", "word/"}} {
		for _, r := range parsePart(t, parts, rels.file).all("Relationship") {
			target := rels.base + r.attr("Target")
			if _, ok := parts[target]; !ok {
				t.Errorf("%s names missing part %s", rels.file, target)
			}
			if !strings.Contains(ct, `PartName="/`+target+`"`) {
				t.Errorf("no content type for %s", target)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, err := Render(handDocument(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		b, err := Render(handDocument(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Fatal("same document rendered to different bytes")
		}
	}
}

func TestPageSetup(t *testing.T) {
	parts := mustRender(t, handDocument(), Options{})
	doc := parsePart(t, parts, "word/document.xml")
	sect := doc.path("w:body", "w:sectPr")
	if sect == nil {
		t.Fatal("no body-level w:sectPr")
	}
	checks := []struct {
		el, attr, want string
	}{
		{"w:pgSz", "w:w", "11906"}, {"w:pgSz", "w:h", "16838"},
		{"w:pgMar", "w:top", "2098"}, {"w:pgMar", "w:bottom", "1984"},
		{"w:pgMar", "w:left", "1587"}, {"w:pgMar", "w:right", "1474"},
		{"w:docGrid", "w:type", "lines"}, {"w:docGrid", "w:linePitch", "579"},
		// The folio's line starts 7 mm below the text block: 28 mm minus
		// one 16.8 pt line from the page edge.
		{"w:pgMar", "w:footer", "1251"},
	}
	for _, c := range checks {
		if got := sect.child(c.el).attr(c.attr); got != c.want {
			t.Errorf("%s %s = %q, want %q", c.el, c.attr, got, c.want)
		}
	}
	refs := sect.all("w:footerReference")
	if len(refs) != 2 || refs[0].attr("w:type") != "default" || refs[1].attr("w:type") != "even" {
		t.Errorf("footer references %v", refs)
	}
	settings := parsePart(t, parts, "word/settings.xml")
	if settings.child("w:evenAndOddHeaders") == nil {
		t.Error("settings.xml lacks w:evenAndOddHeaders")
	}
}

func styleByID(styles *node, id string) *node {
	for _, s := range styles.all("w:style") {
		if s.attr("w:styleId") == id {
			return s
		}
	}
	return nil
}

func TestStyles(t *testing.T) {
	parts := mustRender(t, handDocument(), Options{})
	styles := parsePart(t, parts, "word/styles.xml")
	cases := []struct {
		id, name, face, ascii, size string
	}{
		{"GWTitle", "公文标题", "方正小标宋简体", "Times New Roman", "44"},
		{"GWBody", "公文正文", "仿宋_GB2312", "Times New Roman", "32"},
		{"GWHeading1", "一级标题", "黑体", "Times New Roman", "32"},
		{"GWHeading2", "二级标题", "楷体_GB2312", "Times New Roman", "32"},
		{"GWHeading2Char", "二级标题 字符", "楷体_GB2312", "Times New Roman", "32"},
		{"GWTableText", "表格文字", "宋体", "Times New Roman", "21"},
		{"GWTableHeader", "表格表头", "黑体", "Times New Roman", "21"},
		{"GWSignature", "发文机关署名", "仿宋_GB2312", "Times New Roman", "32"},
		{"GWPageNumber", "页码", "宋体", "宋体", "28"},
	}
	for _, c := range cases {
		s := styleByID(styles, c.id)
		if s == nil {
			t.Errorf("no style %s", c.id)
			continue
		}
		if got := s.child("w:name").attr("w:val"); got != c.name {
			t.Errorf("%s name %q, want %q", c.id, got, c.name)
		}
		f := s.path("w:rPr", "w:rFonts")
		if f.attr("w:eastAsia") != c.face || f.attr("w:ascii") != c.ascii || f.attr("w:hAnsi") != c.ascii {
			t.Errorf("%s fonts %v, want eastAsia %s ascii %s", c.id, f.attrs, c.face, c.ascii)
		}
		if got := s.path("w:rPr", "w:sz").attr("w:val"); got != c.size {
			t.Errorf("%s size %s half-points, want %s", c.id, got, c.size)
		}
	}
	body := styleByID(styles, "GWBody")
	sp := body.path("w:pPr", "w:spacing")
	if sp.attr("w:line") != "579" || sp.attr("w:lineRule") != "exact" {
		t.Errorf("body spacing %v, want exact 579", sp.attrs)
	}
	ind := body.path("w:pPr", "w:ind")
	if ind.attr("w:firstLineChars") != "200" || ind.attr("w:firstLine") != "640" {
		t.Errorf("body indent %v, want 200 chars and 640 twips", ind.attrs)
	}
	if got := body.path("w:pPr", "w:jc").attr("w:val"); got != "both" {
		t.Errorf("body jc %q, want both", got)
	}
	// 28 characters of 16 pt must fit 156 mm: tracking −0.25 pt, and
	// one twip of slack for LibreOffice's hanging punctuation.
	if got := body.path("w:rPr", "w:spacing").attr("w:val"); got != "-6" {
		t.Errorf("body tracking %q, want -6", got)
	}
	if snap := styleByID(styles, "GWTableText").path("w:pPr", "w:snapToGrid"); snap == nil || snap.attr("w:val") != "0" {
		t.Error("table text style snaps to the page grid")
	}
	if styleByID(styles, "GWBody").path("w:pPr", "w:snapToGrid") != nil {
		t.Error("body style must snap to the grid")
	}
	if got := styleByID(styles, "GWHeading1").path("w:pPr", "w:outlineLvl").attr("w:val"); got != "0" {
		t.Errorf("heading1 outline level %q, want 0", got)
	}
	if styleByID(styles, "GWHeading1").path("w:pPr", "w:keepNext") == nil {
		t.Error("heading1 does not keep with next")
	}
	if got := styleByID(styles, "GWDate").path("w:pPr", "w:ind").attr("w:right"); got != "1280" {
		t.Errorf("date right indent %q, want 1280 (4 characters of 16 pt)", got)
	}
}

func TestOptionsFaces(t *testing.T) {
	parts := mustRender(t, handDocument(), Options{
		Faces:     map[string]string{render.RoleBody: "仿宋", render.RoleTitle: "华文中宋"},
		LatinFace: "Arial",
	})
	styles := parsePart(t, parts, "word/styles.xml")
	if f := styleByID(styles, "GWBody").path("w:rPr", "w:rFonts"); f.attr("w:eastAsia") != "仿宋" || f.attr("w:ascii") != "Arial" {
		t.Errorf("body fonts %v", f.attrs)
	}
	if f := styleByID(styles, "GWTitle").path("w:rPr", "w:rFonts"); f.attr("w:eastAsia") != "华文中宋" {
		t.Errorf("title fonts %v", f.attrs)
	}
	if f := styleByID(styles, "GWHeading1").path("w:rPr", "w:rFonts"); f.attr("w:eastAsia") != "黑体" {
		t.Errorf("heading1 lost its default face: %v", f.attrs)
	}
	fonts := parsePart(t, parts, "word/fontTable.xml")
	var names []string
	for _, f := range fonts.all("w:font") {
		names = append(names, f.attr("w:name"))
	}
	if got := strings.Join(names, ","); !strings.Contains(got, "华文中宋") || !strings.Contains(got, "Arial") {
		t.Errorf("font table %s", got)
	}

	d := handDocument()
	s := d.Styles["body"]
	s.Role = "ornament"
	d.Styles["body"] = s
	if _, err := Render(d, Options{}); !errors.Is(err, ErrDocument) || !strings.Contains(err.Error(), "ornament") {
		t.Errorf("unknown role: err = %v", err)
	}
}

// table returns the n-th w:tbl of document.xml.
func tableNode(t *testing.T, parts map[string][]byte, n int) *node {
	t.Helper()
	tbls := parsePart(t, parts, "word/document.xml").all("w:tbl")
	if len(tbls) <= n {
		t.Fatalf("%d tables, want > %d", len(tbls), n)
	}
	return tbls[n]
}

// gridCells expands a w:tbl to its grid: for each row and grid column, the
// w:tc covering it, following w:gridSpan and w:vMerge as Word does.
func gridCells(t *testing.T, tbl *node) [][]*node {
	t.Helper()
	cols := len(tbl.path("w:tblGrid").children)
	var grid [][]*node
	for ri, tr := range tbl.all("w:tr") {
		row := make([]*node, 0, cols)
		for _, tc := range tr.children {
			if tc.name != "w:tc" {
				continue
			}
			span := 1
			if gs := tc.path("w:tcPr", "w:gridSpan"); gs != nil {
				span = atoi(gs.attr("w:val"))
			}
			owner := tc
			if vm := tc.path("w:tcPr", "w:vMerge"); vm != nil && vm.attr("w:val") != "restart" {
				if ri == 0 {
					t.Fatal("vMerge continue in the first row")
				}
				owner = grid[ri-1][len(row)]
			}
			for k := 0; k < span; k++ {
				row = append(row, owner)
			}
		}
		if len(row) != cols {
			t.Fatalf("row %d covers %d grid columns, want %d", ri, len(row), cols)
		}
		grid = append(grid, row)
	}
	return grid
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func TestTableMerges(t *testing.T) {
	parts := mustRender(t, handDocument(), Options{})
	b := tableNode(t, parts, 1)
	grid := gridCells(t, b)
	if len(grid) != 28 {
		t.Fatalf("table B has %d rows, want 28", len(grid))
	}
	corner := grid[0][0]
	for r := 0; r < 3; r++ {
		for c := 0; c < 3; c++ {
			if grid[r][c] != corner {
				t.Errorf("table B (%d,%d) is not the corner cell", r, c)
			}
		}
	}
	if !strings.HasPrefix(corner.wordText(), "（本列数据的勾稽关系为") {
		t.Errorf("corner text %q", corner.wordText())
	}
	if grid[3][0] == corner {
		t.Error("corner cell runs into the body")
	}
	// 三、本年度办理结果 spans 22 rows of column A.
	res := grid[5][0]
	if res.wordText() != "三、本年度办理结果" {
		t.Errorf("row 5 col 0 = %q", res.wordText())
	}
	for r := 5; r < 27; r++ {
		if grid[r][0] != res {
			t.Errorf("row %d col 0 is not 三、本年度办理结果", r)
		}
	}
	if grid[27][0] == res || grid[4][0] == res {
		t.Error("三、本年度办理结果 spans too far")
	}
	if got := grid[7][1].wordText(); got != "（三）不予公开" || grid[14][1] != grid[7][1] || grid[15][1] == grid[7][1] {
		t.Errorf("（三）不予公开 merge wrong: %q", got)
	}
	// Header rows repeat, every row stays whole.
	for ri, tr := range b.all("w:tr") {
		hdr := tr.path("w:trPr", "w:tblHeader") != nil
		if hdr != (ri < 3) {
			t.Errorf("row %d tblHeader = %v", ri, hdr)
		}
		if tr.path("w:trPr", "w:cantSplit") == nil {
			t.Errorf("row %d may split", ri)
		}
	}
	tblPr := b.child("w:tblPr")
	if tblPr.path("w:tblLayout").attr("w:type") != "fixed" {
		t.Error("table layout is not fixed")
	}
	// Padding as in the PDF backend: 2 pt left/right, 2.5 pt top/bottom.
	if m := tblPr.child("w:tblCellMar"); m.path("w:left").attr("w:w") != "40" || m.path("w:top").attr("w:w") != "50" {
		t.Errorf("cell margins %v %v", m.path("w:left").attrs, m.path("w:top").attrs)
	}
	var widths []string
	for _, g := range b.path("w:tblGrid").children {
		widths = append(widths, g.attr("w:w"))
	}
	// 12, 24, 50, 10… mm; edges are rounded, so one 10 mm column is 566.
	if got := strings.Join(widths, " "); got != "680 1361 2835 567 566 567 567 567 567 567" {
		t.Errorf("grid widths %s", got)
	}
	for _, p := range b.all("w:p") {
		if s := p.path("w:pPr", "w:snapToGrid"); s == nil || s.attr("w:val") != "0" {
			t.Fatal("a table paragraph snaps to the page grid")
		}
	}
	// Table C: 行政诉讼 spans 10 columns; 结果维持 in row 2 spans 2 rows.
	c := gridCells(t, tableNode(t, parts, 2))
	if c[0][5].wordText() != "行政诉讼" || c[0][14] != c[0][5] {
		t.Error("table C 行政诉讼 merge wrong")
	}
	if c[1][0].wordText() != "结果\n维持" || c[2][0] != c[1][0] || c[3][0] == c[1][0] { // a narrow head broken between words
		t.Error("table C 结果维持 merge wrong")
	}
	// Table A: the 行政许可 value spans three columns.
	a := gridCells(t, tableNode(t, parts, 0))
	if a[6][1].wordText() != "0" || a[6][3] != a[6][1] {
		t.Error("table A 行政许可 value merge wrong")
	}
}

func TestParagraphsAndRuns(t *testing.T) {
	d := handDocument()
	parts := mustRender(t, d, Options{})
	body := parsePart(t, parts, "word/document.xml").child("w:body")
	var paras []*node
	for _, c := range body.children {
		if c.name == "w:p" {
			paras = append(paras, c)
		}
	}
	var want []*render.Paragraph
	for _, b := range d.Blocks {
		if p, ok := b.(*render.Paragraph); ok {
			want = append(want, p)
		}
	}
	if len(paras) != len(want) {
		t.Fatalf("%d body paragraphs, want %d", len(paras), len(want))
	}
	for i, p := range paras {
		got := p.wordText()
		if want[i].Style == "title" {
			// The centred title is broken into balanced lines (title.go).
			if got != "𥔲嘉镇人民政府2024年度\n政府信息公开工作年度报告" {
				t.Errorf("title = %q", got)
			}
			continue
		}
		if got != want[i].Text() {
			t.Errorf("paragraph %d = %q, want %q", i, got, want[i].Text())
		}
	}
	runIn := paras[4]
	if got := runIn.path("w:pPr", "w:pStyle").attr("w:val"); got != "GWBody" {
		t.Errorf("run-in paragraph style %s", got)
	}
	runs := runIn.all("w:r")
	if runs[0].path("w:rPr", "w:rStyle").attr("w:val") != "GWHeading2Char" || runs[0].wordText() != "（一）主动公开情况。" {
		t.Error("run-in heading is not a GWHeading2Char run")
	}
	if runs[1].path("w:rPr", "w:rStyle") != nil {
		t.Error("body text after the run-in heading carries a character style")
	}
	if got := paras[2].path("w:pPr", "w:pStyle").attr("w:val"); got != "GWHeading1" {
		t.Errorf("heading paragraph style %s", got)
	}
}

func TestFooters(t *testing.T) {
	parts := mustRender(t, handDocument(), Options{})
	for _, c := range []struct{ part, jc, side string }{
		{"word/footer1.xml", "right", "w:right"}, {"word/footer2.xml", "left", "w:left"},
	} {
		f := parsePart(t, parts, c.part)
		p := f.child("w:p")
		if got := p.path("w:pPr", "w:jc").attr("w:val"); got != c.jc {
			t.Errorf("%s jc %q, want %q", c.part, got, c.jc)
		}
		if got := p.path("w:pPr", "w:ind").attr(c.side); got != "280" {
			t.Errorf("%s inset %q, want 280 (one 14 pt character)", c.part, got)
		}
		instr := p.all("w:instrText")
		if len(instr) != 1 || strings.TrimSpace(instr[0].text) != "PAGE" {
			t.Errorf("%s has no PAGE field", c.part)
		}
		if got := p.wordText(); got != "— 1 —" {
			t.Errorf("%s text %q", c.part, got)
		}
		if len(p.all("w:fldChar")) != 3 {
			t.Errorf("%s field is not begin/separate/end", c.part)
		}
	}
}

func TestCoreProperties(t *testing.T) {
	d := handDocument()
	d.Meta.Notes = []string{"rendered with unresolved problems", "R1 表三"}
	parts := mustRender(t, d, Options{})
	core := parsePart(t, parts, "docProps/core.xml")
	for _, c := range []struct{ el, want string }{
		{"dc:title", d.Meta.Title}, {"dc:creator", "𥔲嘉镇人民政府"},
		{"dcterms:created", "2025-01-20T00:00:00Z"}, {"dcterms:modified", "2025-01-20T00:00:00Z"},
		{"dc:description", "rendered with unresolved problems\nR1 表三"},
		{"cp:keywords", "政府信息公开; 年度报告; 2024"}, {"dc:language", "zh-CN"},
	} {
		if got := core.child(c.el); got == nil || got.text != c.want {
			t.Errorf("%s = %v, want %q", c.el, got, c.want)
		}
	}
	if app := parsePart(t, parts, "docProps/app.xml"); app.child("Application").text != "gongwen" {
		t.Error("app.xml has no Application")
	}

	d.Meta.Created = time.Time{}
	core = parsePart(t, mustRender(t, d, Options{}), "docProps/core.xml")
	if got := core.child("dcterms:created").text; got != "1970-01-01T00:00:00Z" {
		t.Errorf("zero Created wrote %q", got)
	}
	d.Meta.Created = time.Date(2025, 2, 1, 8, 30, 0, 0, time.FixedZone("CST", 8*3600))
	core = parsePart(t, mustRender(t, d, Options{}), "docProps/core.xml")
	if got := core.child("dcterms:created").text; got != "2025-02-01T08:30:00+08:00" {
		t.Errorf("Created in CST wrote %q", got)
	}
}

func TestTextEscapingAndBreaks(t *testing.T) {
	cases := []struct{ in, want string }{
		{"a<b>&c]]>d", "a<b>&c]]>d"},
		{`引号“甲”和'乙'"丙"`, `引号“甲”和'乙'"丙"`},
		{"𥔲嘉镇 𠀀 😀", "𥔲嘉镇 𠀀 😀"},
		{"第一行\n第二行", "第一行\n第二行"},
		{"CR LF\r\nnext\rlast", "CR LF\nnext\nlast"},
		{"列\t表", "列\t表"},
		{"  leading and trailing  ", "  leading and trailing  "},
		{"\n", "\n"},
		{"\uFFFD replacement is valid", "\uFFFD replacement is valid"},
	}
	for _, c := range cases {
		d := handDocument()
		d.Blocks = append(d.Blocks, &render.Paragraph{Style: "body", Runs: []render.Run{{Text: c.in}}})
		tb := tableA()
		tb.Rows[2].Cells[1].Text = c.in
		d.Blocks = append(d.Blocks, tb)
		parts := mustRender(t, d, Options{})
		doc := parsePart(t, parts, "word/document.xml")
		ps := doc.child("w:body").children
		last := ps[len(ps)-4] // paragraph, table, closing paragraph, sectPr
		if got := last.wordText(); got != c.want {
			t.Errorf("paragraph %q came back as %q", c.in, got)
		}
		if got := gridCells(t, doc.all("w:tbl")[3])[2][1].wordText(); got != c.want {
			t.Errorf("cell %q came back as %q", c.in, got)
		}
		if bytes.Contains(parts["word/document.xml"], []byte("]]>")) {
			t.Error("]]> written unescaped")
		}
	}
}

func TestInvalidCharacters(t *testing.T) {
	bad := []struct {
		name string
		s    string
		r    rune
	}{
		{"NUL", "a\x00b", 0},
		{"vertical tab", "a\vb", '\v'},
		{"form feed", "甲\f", '\f'},
		{"ESC", "\x1b[0m", 0x1b},
		{"not UTF-8", "ab\xffcd", 0xFFFD},
		{"truncated UTF-8", "甲\xe4\xb8", 0xFFFD},
		{"U+FFFE", "a\uFFFE", 0xFFFE},
		{"U+FFFF", "a\uFFFF", 0xFFFF},
		{"surrogate bytes", "a\xed\xa0\x80", 0xFFFD},
	}
	places := []struct {
		name string
		set  func(*render.Document, string)
	}{
		{"paragraph", func(d *render.Document, s string) {
			d.Blocks[1].(*render.Paragraph).Runs[0].Text = s
		}},
		{"run-in heading", func(d *render.Document, s string) {
			d.Blocks[4].(*render.Paragraph).Runs[0].Text = s
		}},
		{"cell", func(d *render.Document, s string) {
			for _, b := range d.Blocks {
				if tb, ok := b.(*render.Table); ok {
					tb.Rows[5].Cells[0].Text = s
					return
				}
			}
		}},
		{"title meta", func(d *render.Document, s string) { d.Meta.Title = s }},
		{"author meta", func(d *render.Document, s string) { d.Meta.Author = s }},
		{"note", func(d *render.Document, s string) { d.Meta.Notes = []string{"ok", s} }},
		{"page number format", func(d *render.Document, s string) { d.Page.PageNumber.Format = s + "{n}" }},
		{"style name", func(d *render.Document, s string) {
			d.Styles[s] = render.Style{Name: s, Role: "body", SizePt: 16}
		}},
	}
	for _, b := range bad {
		if err := CheckText(b.s); err == nil {
			t.Errorf("CheckText(%s) accepted it", b.name)
		}
		for _, p := range places {
			d := handDocument()
			p.set(d, b.s)
			out, err := Render(d, Options{})
			if err == nil || out != nil {
				t.Errorf("%s in %s: no error", b.name, p.name)
				continue
			}
			var ic *InvalidCharError
			if !errors.Is(err, ErrDocument) || !errors.As(err, &ic) {
				t.Errorf("%s in %s: %v is not ErrDocument + *InvalidCharError", b.name, p.name, err)
				continue
			}
			if ic.Rune != b.r {
				t.Errorf("%s in %s: rune %U, want %U", b.name, p.name, ic.Rune, b.r)
			}
		}
	}
	if _, err := Render(handDocument(), Options{Faces: map[string]string{"body": "仿宋\x00"}}); !errors.Is(err, ErrDocument) {
		t.Errorf("bad face name: %v", err)
	}
	for _, s := range []string{"", "普通文字", "\t\n\r", "𥔲", "\uFFFD", "\U0010FFFD", "\uE000"} {
		if err := CheckText(s); err != nil {
			t.Errorf("CheckText(%q) = %v", s, err)
		}
	}
}

func TestInvalidCharErrorOffset(t *testing.T) {
	d := handDocument()
	d.Blocks[1].(*render.Paragraph).Runs[0].Text = "甲\n乙\x01"
	_, err := Render(d, Options{})
	var ic *InvalidCharError
	if !errors.As(err, &ic) || ic.Offset != 7 {
		t.Fatalf("err %v, want offset 7", err)
	}
	if !strings.Contains(err.Error(), "block 1") {
		t.Errorf("error does not locate the block: %v", err)
	}
}

func TestModelErrors(t *testing.T) {
	cases := []struct {
		name   string
		change func(*render.Document)
		want   string
	}{
		{"nil document", nil, "nil document"},
		{"unknown paragraph style", func(d *render.Document) { d.Blocks[0].(*render.Paragraph).Style = "nope" }, `"nope"`},
		{"unknown run style", func(d *render.Document) { d.Blocks[4].(*render.Paragraph).Runs[0].Style = "nope" }, `"nope"`},
		{"unknown cell style", func(d *render.Document) { firstTable(d).Rows[0].Cells[0].Style = "nope" }, `"nope"`},
		{"overlap", func(d *render.Document) {
			tb := firstTable(d)
			tb.Rows[1].Cells[1].ColSpan = 2
		}, "overlaps"},
		{"hole", func(d *render.Document) {
			tb := firstTable(d)
			tb.Rows[1].Cells = tb.Rows[1].Cells[:3]
		}, "covered by no cell"},
		{"row span past the end", func(d *render.Document) {
			tb := firstTable(d)
			tb.Rows[13].Cells[0].RowSpan = 2
		}, "outside"},
		{"negative column", func(d *render.Document) { firstTable(d).Rows[0].Cells[0].Col = -1 }, "outside"},
		{"no columns", func(d *render.Document) { firstTable(d).Columns = nil }, "0 columns"},
		{"header rows", func(d *render.Document) { firstTable(d).HeaderRows = 99 }, "header rows"},
		{"zero size", func(d *render.Document) { s := d.Styles["body"]; s.SizePt = 0; d.Styles["body"] = s }, "size"},
		{"size between half-points", func(d *render.Document) {
			s := d.Styles["tableText"]
			s.SizePt = 10.3
			d.Styles["tableText"] = s
		}, "half-points"},
		{"NaN width", func(d *render.Document) { firstTable(d).Columns[0] = nan() }, "width"},
		{"no page", func(d *render.Document) { d.Page.WidthMM = 0 }, "page size"},
		{"format without {n}", func(d *render.Document) { d.Page.PageNumber.Format = "第页" }, "{n}"},
		{"nil block", func(d *render.Document) { d.Blocks[3] = (*render.Paragraph)(nil) }, "nil paragraph"},
	}
	for _, c := range cases {
		var d *render.Document
		if c.change != nil {
			d = handDocument()
			c.change(d)
		}
		out, err := Render(d, Options{})
		if err == nil || out != nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !errors.Is(err, ErrDocument) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v (want ErrDocument mentioning %s)", c.name, err, c.want)
		}
	}
}

func firstTable(d *render.Document) *render.Table {
	for _, b := range d.Blocks {
		if t, ok := b.(*render.Table); ok {
			return t
		}
	}
	panic("no table")
}

func nan() float64 { z := 0.0; return z / z }

func TestAdjacentTablesAndEmptyDocument(t *testing.T) {
	d := handDocument()
	d.Blocks = []render.Block{tableA(), tableC()}
	body := parsePart(t, mustRender(t, d, Options{}), "word/document.xml").child("w:body")
	var seq []string
	for _, c := range body.children {
		seq = append(seq, c.name)
	}
	if got := strings.Join(seq, " "); got != "w:tbl w:p w:tbl w:p w:sectPr" {
		t.Errorf("body sequence %s", got)
	}
	d.Blocks = nil
	body = parsePart(t, mustRender(t, d, Options{}), "word/document.xml").child("w:body")
	if body.child("w:p") == nil {
		t.Error("empty document has no paragraph")
	}
	d.Page.PageNumber.Format = ""
	if f := parsePart(t, mustRender(t, d, Options{}), "word/footer1.xml"); len(f.all("w:instrText")) != 0 {
		t.Error("page number written although the format is empty")
	}
}

func FuzzRenderText(f *testing.F) {
	for _, s := range []string{"普通", "a<b&c]]>", "𥔲\n\t", "\x00", "\xff", "\r\n\r", "\n\r", "a\n\rb", "“”—…·"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := handDocument()
		d.Blocks = []render.Block{
			&render.Paragraph{Style: "body", Runs: []render.Run{{Text: s, Style: "heading2"}, {Text: s}}},
			&render.Paragraph{Style: "title", Runs: []render.Run{{Text: s + s + s}}},
		}
		tb := tableA()
		tb.Rows[0].Cells[0].Text = s
		d.Blocks = append(d.Blocks, tb)
		d.Meta.Title = s
		out, err := Render(d, Options{})
		if CheckText(s) != nil {
			if err == nil {
				t.Fatalf("invalid text %q rendered", s)
			}
			return
		}
		if err != nil {
			t.Fatalf("valid text %q: %v", s, err)
		}
		parts, _ := unzipParts(t, out)
		for name := range parts {
			parsePart(t, parts, name)
		}
		doc := parsePart(t, parts, "word/document.xml")
		want := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
		ps := doc.child("w:body").children
		if got := ps[0].wordText(); got != want+want {
			t.Fatalf("paragraph %q came back as %q", s, got)
		}
		// A title may gain balanced line breaks, nothing else. Its text is
		// s+s+s normalised as a whole: "\n\r" three times holds two CRLF
		// pairs across the joins, so it has four breaks, not six.
		title := ps[1].wordText()
		wantTitle := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s + s + s)
		if strings.ContainsAny(s, "\r\n") && title != wantTitle ||
			strings.ReplaceAll(title, "\n", "") != strings.ReplaceAll(wantTitle, "\n", "") {
			t.Fatalf("title %q came back as %q", s+s+s, title)
		}
		if got := parsePart(t, parts, "docProps/core.xml").child("dc:title"); s != "" && (got == nil || got.text != s) {
			t.Fatalf("title %q came back as %v", s, got)
		}
	})
}

func BenchmarkRenderHandDocument(b *testing.B) {
	d := handDocument()
	var size int
	for b.Loop() {
		out, err := Render(d, Options{})
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "bytes/doc")
}

// The deflaters are pooled across goroutines; concurrent renders must still
// give the same bytes (run with -race).
func TestConcurrentRender(t *testing.T) {
	want, err := Render(handDocument(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 8)
	for i := 0; i < 8; i++ {
		go func() {
			d := handDocument()
			for k := 0; k < 5; k++ {
				got, err := Render(d, Options{})
				if err != nil {
					errs <- err
					return
				}
				if !bytes.Equal(got, want) {
					errs <- errors.New("concurrent render gave different bytes")
					return
				}
			}
			errs <- nil
		}()
	}
	for i := 0; i < 8; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// Shared parts come from a cache of their compressed form; the archive
// must be byte for byte what compressing every part in place makes
// (CreateHeader), found in the cache or not, with embedded fonts or not.
func TestSharedPartsAreStoredAsCompressed(t *testing.T) {
	embed := func(face, text string) (Font, error) {
		return Font{Program: []byte(strings.Repeat("FONT "+face+" "+text, 8))}, nil
	}
	for _, opts := range []Options{{}, {EmbedFonts: embed}} {
		for round := range 2 { // a miss, then a hit
			out, err := Render(handDocument(), opts)
			if err != nil {
				t.Fatal(err)
			}
			zr, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
			if err != nil {
				t.Fatal(err)
			}
			var ref bytes.Buffer
			zw := zip.NewWriter(&ref)
			zw.RegisterCompressor(zip.Deflate, newPooledDeflater)
			for _, f := range zr.File {
				if strings.HasPrefix(f.Name, "word/fonts/") { // stored raw by design
					if err := zw.Copy(f); err != nil {
						t.Fatal(err)
					}
					continue
				}
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				data, err := io.ReadAll(rc)
				rc.Close()
				if err != nil {
					t.Fatalf("%s: %v", f.Name, err)
				}
				w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: zipTime})
				if err != nil {
					t.Fatal(err)
				}
				w.Write(data)
			}
			if err := zw.Close(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, ref.Bytes()) {
				t.Errorf("embedded fonts %v, round %d: %d bytes, compressed in place %d: %s", opts.EmbedFonts != nil, round,
					len(out), ref.Len(), testkit.FirstDiff(string(ref.Bytes()), string(out)))
			}
		}
	}
}
