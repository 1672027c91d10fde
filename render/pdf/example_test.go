package pdf_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"unicode"

	"gongwen/fonts"
	"gongwen/internal/testkit"
	"gongwen/render"
	"gongwen/render/layout"
	"gongwen/render/pdf"
	"gongwen/report"
)

// exampleDocument builds the example report's document with the real
// pipeline (template engine, defaults, checks).
func exampleDocument(t testing.TB) *render.Document {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "ejia-2024.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := report.New(report.Config{})
	if err != nil {
		t.Fatalf("report.New: %v", err)
	}
	out, err := p.Validate(context.Background(), raw, report.DefaultOptions())
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if out.Document == nil {
		t.Fatalf("no document; problems: %v", out.Problems)
	}
	return out.Document
}

func runTool(t testing.TB, name string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(testkit.Tool(t, name), args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, errb.String())
	}
	return out.String()
}

func TestExampleReport(t *testing.T) {
	doc := exampleDocument(t)
	r, err := pdf.Default()
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.Render(doc, pdf.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := r.Render(doc, pdf.Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, again) {
		t.Error("rendering twice gave different bytes")
	}
	if len(out) > 350<<10 {
		t.Errorf("example PDF is %d bytes, budget is 350 KB", len(out))
	}
	dir := t.TempDir()
	if d := os.Getenv("GONGWEN_KEEP_PDF"); d != "" {
		dir = d
	}
	path := filepath.Join(dir, "ejia-2024.pdf")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	runTool(t, "qpdf", "--check", path)
	fontsOut := runTool(t, "pdffonts", path)
	for _, l := range strings.Split(strings.TrimSpace(fontsOut), "\n")[2:] {
		if !strings.Contains(l, "CID TrueType") || !strings.Contains(l, "Identity-H       yes") {
			t.Errorf("not an embedded CID TrueType font: %s", l)
		}
	}

	// Every label of the format and every number of the report is there.
	// -raw keeps content-stream order: each cell's lines stay together.
	plain := strip(pageNumber.ReplaceAllString(runTool(t, "pdftotext", "-raw", path, "-"), ""))
	labels := []string{
		"𥔲嘉镇人民政府", "第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "行政规范性文件",
		"第二十条第（五）项", "本年处理决定数量", "行政许可", "第二十条第（六）项", "行政处罚", "行政强制",
		"第二十条第（八）项", "本年收费金额（单位：万元）", "行政事业性收费",
		"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "自然人", "法人或其他组织", "总计",
		"商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
		"一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果", "（一）予以公开",
		"（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（三）不予公开", "1.属于国家秘密", "2.其他法律行政法规禁止公开",
		"3.危及“三安全一稳定”", "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷",
		"8.属于行政查询事项", "（四）无法提供", "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
		"（五）不予处理", "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
		"5.要求行政机关确认或重新出具已获取信息", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
		"2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他", "（七）总计", "四、结转下年度继续办理",
		"行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "未经复议直接起诉", "复议后起诉",
	}
	for _, l := range labels {
		if !strings.Contains(plain, strip(l)) {
			t.Errorf("extracted text lacks %q", l)
		}
	}
	// Every cell value and every paragraph of the document, in full.
	for _, b := range doc.Blocks {
		switch b := b.(type) {
		case *render.Paragraph:
			if !strings.Contains(plain, strip(b.Text())) {
				t.Errorf("extracted text lacks paragraph %.60q", b.Text())
			}
		case *render.Table:
			for _, row := range b.Rows {
				for _, c := range row.Cells {
					if !strings.Contains(plain, strip(c.Text)) {
						t.Errorf("extracted text lacks cell %q", c.Text)
					}
				}
			}
		}
	}

	// Golden per-page layout text.
	pages := runTool(t, "pdftotext", "-layout", path, "-")
	testkit.Golden(t, filepath.Join("testdata", "ejia-2024.pages.golden"), []byte(pages))
}

func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(i)) }

func fmtInt(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for i > 0 {
		b = append([]byte{byte('0' + i%10)}, b...)
		i /= 10
	}
	return string(b)
}

var pageNumber = regexp.MustCompile(`(?m)^[ \f]*— ?\d+ ?—[ \f]*$`)

// cpuTime is the process's user+system CPU time in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func strip(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func BenchmarkRenderExample(b *testing.B) {
	doc := exampleDocument(b)
	r, err := pdf.Default()
	if err != nil {
		b.Fatal(err)
	}
	out, err := r.Render(doc, pdf.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		if out, err = r.Render(doc, pdf.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	// CPU time per render is steadier than wall time on a shared machine.
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(len(out)), "bytes/pdf")
}

// BenchmarkLayoutExample measures the layout stage alone (segmenting,
// measuring, breaking, paginating) with the real fonts.
func BenchmarkLayoutExample(b *testing.B) {
	doc := exampleDocument(b)
	book, err := fonts.Default()
	if err != nil {
		b.Fatal(err)
	}
	lf := pdf.LayoutFonts(book)
	if _, err := layout.Layout(doc, lf); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := layout.Layout(doc, lf); err != nil {
			b.Fatal(err)
		}
	}
}
