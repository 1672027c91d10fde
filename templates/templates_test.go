package templates_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongwen/engine"
	"gongwen/internal/testkit"
	"gongwen/problem"
	"gongwen/render"
	"gongwen/strictjson"
	"gongwen/templates"
)

func annual(t testing.TB) *engine.Template {
	t.Helper()
	reg, err := templates.Load()
	if err != nil {
		t.Fatal(err)
	}
	tp, ok := reg.Get(templates.DefaultID)
	if !ok {
		t.Fatalf("template %s not loaded; have %v", templates.DefaultID, reg.IDs())
	}
	return tp
}

func decode(t testing.TB, raw []byte) map[string]any {
	t.Helper()
	data, findings, err := strictjson.Decode(raw, strictjson.DefaultLimits)
	if err != nil || len(findings) > 0 {
		t.Fatalf("decode: %v %v", err, findings)
	}
	return data
}

func exampleData(t testing.TB) map[string]any {
	raw, err := os.ReadFile("gov-info-disclosure-annual/2021/example.json")
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, raw)
}

func run(t testing.TB, tp *engine.Template, data map[string]any) *engine.Result {
	t.Helper()
	res, err := tp.Run(data, engine.RunOptions{Lang: "zh", NormalizePunctuation: true})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestExampleModelGolden pins the whole document model of the example: the
// structure, every label verbatim, every merge and every bound value.
func TestExampleModelGolden(t *testing.T) {
	res := run(t, annual(t), exampleData(t))
	if problem.HasErrors(res.Problems) {
		t.Fatalf("example has errors: %+v", res.Problems)
	}
	var buf bytes.Buffer
	if err := render.Dump(&buf, res.Document); err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "testdata/ejia-2024.model.golden", buf.Bytes())
}

// The format's labels, verbatim (annual-report-format.md §2–4).
var formatLabels = []string{
	"第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "行政规范性文件",
	"第二十条第（五）项", "本年处理决定数量", "行政许可", "第二十条第（六）项", "行政处罚", "行政强制",
	"第二十条第（八）项", "本年收费金额（单位：万元）", "行政事业性收费",
	"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "自然人", "法人或其他组织", "总计",
	"商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
	"一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果",
	"（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（三）不予公开",
	"1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
	"5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
	"（四）无法提供", "1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
	"（五）不予处理", "1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
	"5.要求行政机关确认或重新出具已获取信息", "（六）其他处理",
	"1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
	"2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他", "（七）总计",
	"四、结转下年度继续办理", "行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结",
	"未经复议直接起诉", "复议后起诉",
}

func TestEveryFormatLabelIsACell(t *testing.T) {
	res := run(t, annual(t), exampleData(t))
	cells := map[string]bool{}
	var tables []*render.Table
	for _, b := range res.Document.Blocks {
		if tb, ok := b.(*render.Table); ok {
			tables = append(tables, tb)
			for _, r := range tb.Rows {
				for _, c := range r.Cells {
					cells[c.Text] = true
				}
			}
		}
	}
	if len(tables) != 3 {
		t.Fatalf("want 3 tables, got %d", len(tables))
	}
	for _, l := range formatLabels {
		if !cells[l] {
			t.Errorf("label %q is not a cell", l)
		}
	}
	// Merges from annual-report-format.md.
	first := tables[1].Rows[0].Cells[0]
	if first.RowSpan != 3 || first.ColSpan != 3 {
		t.Errorf("table B first header cell spans %dx%d, want 3x3", first.RowSpan, first.ColSpan)
	}
	res3 := tables[1].Rows[5].Cells[0]
	if res3.Text != "三、本年度办理结果" || res3.RowSpan != 22 {
		t.Errorf("三、本年度办理结果 spans %d rows (%q), want 22", res3.RowSpan, res3.Text)
	}
	if got := len(tables[1].Rows); got != 28 {
		t.Errorf("table B has %d rows, want 3 header + 25 body", got)
	}
	if got := len(tables[2].Rows[3].Cells); got != 15 {
		t.Errorf("table C data row has %d cells, want 15", got)
	}
}

func set(t *testing.T, data map[string]any, ptr string, v any) {
	t.Helper()
	toks, _ := strictjson.SplitPointer(ptr)
	cur := data
	for _, k := range toks[:len(toks)-1] {
		next, ok := cur[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[k] = next
		}
		cur = next
	}
	if v == nil {
		delete(cur, toks[len(toks)-1])
		return
	}
	cur[toks[len(toks)-1]] = v
}

func TestRules(t *testing.T) {
	type want struct{ rule, path string }
	tests := []struct {
		name  string
		edit  map[string]any // pointer → value (json.Number for numbers, "" key deletes with nil)
		del   []string
		wants []want
	}{
		{"R1 and R2 on (七)总计", map[string]any{"/requests/results/total/natural": json.Number("1")}, nil,
			[]want{{"R1", "/requests/results/total/natural"}, {"R2", "/requests/results/total/natural"}, {"R3", "/requests/results/total/total"}}},
		{"R3 row total", map[string]any{"/requests/newlyReceived/total": json.Number("5")}, nil,
			[]want{{"R3", "/requests/newlyReceived/total"}, {"R1", "/requests/results/total/total"}}},
		{"R4 table C total", map[string]any{"/reviewLitigation/litigationDirect/total": json.Number("2")}, nil,
			[]want{{"R4", "/reviewLitigation/litigationDirect/total"}}},
		{"consistent counts pass", map[string]any{
			"/requests/newlyReceived/natural": json.Number("3"), "/requests/newlyReceived/total": json.Number("3"),
			"/requests/results/disclosed/natural": json.Number("2"), "/requests/results/disclosed/total": json.Number("2"),
			"/requests/results/total/natural": json.Number("2"), "/requests/results/total/total": json.Number("2"),
			"/requests/carriedForward/natural": json.Number("1"), "/requests/carriedForward/total": json.Number("1"),
		}, nil, nil},
		{"omitted totals are computed", map[string]any{
			"/requests/newlyReceived/natural":     json.Number("3"),
			"/requests/results/disclosed/natural": json.Number("3"),
		}, []string{"/requests/newlyReceived/total", "/requests/results/disclosed/total", "/requests/results/total"}, nil},
		{"blank and slash count 0", map[string]any{
			"/requests/newlyReceived/natural": nil, "/proactive/regulations/issued": "/",
		}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := exampleData(t)
			for _, p := range tt.del {
				set(t, data, p, nil)
			}
			for p, v := range tt.edit {
				if v == nil {
					// keep the key, with a JSON null
					toks, _ := strictjson.SplitPointer(p)
					parent, _ := strictjson.Get(data, strictjson.Pointer(toks[:len(toks)-1]))
					parent.(map[string]any)[toks[len(toks)-1]] = nil
					continue
				}
				set(t, data, p, v)
			}
			res := run(t, annual(t), data)
			var got []want
			for _, p := range res.Problems {
				if p.Severity == problem.Error {
					got = append(got, want{p.Rule, p.Path})
					if !strings.ContainsFunc(p.Message, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
						t.Errorf("message %q is not Chinese", p.Message)
					}
				}
			}
			for _, w := range tt.wants {
				found := false
				for _, g := range got {
					found = found || g == w
				}
				if !found {
					t.Errorf("want %s at %s; got %v", w.rule, w.path, got)
				}
			}
			if len(got) != len(tt.wants) {
				t.Errorf("got %d errors %v, want %d", len(got), got, len(tt.wants))
			}
		})
	}
}

func TestR1MessageInFormWords(t *testing.T) {
	data := exampleData(t)
	set(t, data, "/requests/carriedForward/natural", json.Number("1"))
	set(t, data, "/requests/carriedForward/total", json.Number("1"))
	res := run(t, annual(t), data)
	want := "表三 第一列“自然人”：一（0）＋二（0）应等于（七）总计（0）＋四（1）"
	for _, p := range res.Problems {
		if p.Rule == "R1" && p.Path == "/requests/results/total/natural" {
			if p.Message != want {
				t.Errorf("message = %q, want %q", p.Message, want)
			}
			if p.Expected != int64(-1) || p.Actual != int64(0) {
				t.Errorf("expected/actual = %v/%v", p.Expected, p.Actual)
			}
			return
		}
	}
	t.Fatalf("no R1 problem: %+v", res.Problems)
}

func TestDefaults(t *testing.T) {
	raw := []byte(`{"organ":"测试县人民政府","year":2023,"overview":[{"text":"概述。"}],"proactive":{},"problems":[{"text":"问题。"}],
		"signature":{"date":"2024-01-05"}}`)
	res := run(t, annual(t), decode(t, raw))
	if problem.HasErrors(res.Problems) {
		t.Fatalf("minimal report has errors: %+v", res.Problems)
	}
	doc := res.Document
	if doc.Meta.Title != "测试县人民政府2023年度政府信息公开工作年度报告" {
		t.Errorf("title = %q", doc.Meta.Title)
	}
	var texts []string
	for _, b := range doc.Blocks {
		if p, ok := b.(*render.Paragraph); ok {
			texts = append(texts, p.Text())
		}
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"2023年1月1日起至2023年12月31日止", "\n无。\n", "\n测试县人民政府\n", "2024年1月5日"} {
		if !strings.Contains(all+"\n", want) {
			t.Errorf("document lacks %q:\n%s", want, all)
		}
	}
	if v, _ := strictjson.Get(res.Data, "/requests/results/total/total"); v != json.Number("0") {
		t.Errorf("computed （七）总计 = %v", v)
	}
}

func TestTemplatesFromDirectory(t *testing.T) {
	dir := t.TempDir()
	src := "gov-info-disclosure-annual/2021"
	dst := filepath.Join(dir, "custom")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"manifest.yaml", "schema.json", "example.json"} {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "manifest.yaml" {
			b = bytes.Replace(b, []byte("id: gov-info-disclosure-annual/2021"), []byte("id: custom/1"), 1)
		}
		if err := os.WriteFile(filepath.Join(dst, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	reg, err := templates.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := reg.Get("custom/1"); !ok {
		t.Fatalf("custom template not loaded: %v", reg.IDs())
	}
}

func TestBrokenTemplatesAreRejected(t *testing.T) {
	base, err := os.ReadFile("gov-info-disclosure-annual/2021/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, old, new, want string }{
		{"overlapping cells", "{text: 规章, label: true}", "{text: 规章, label: true, colspan: 2}", "overflow"},
		{"unknown list", "{var: col, in: requestColumns}", "{var: col, in: nosuch}", "no such list"},
		{"bad expression", "assert: a + b == c + d", "assert: a + + == ", "expression"},
		{"unknown field", "headerRows: 3", "headerRowz: 3", "headerRowz"},
		{"size Word cannot store", "sizePt: 10.5, align: center, lineSpacingPt: 13.5}", "sizePt: 10.3, align: center, lineSpacingPt: 13.5}", "multiple of 0.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			m := bytes.Replace(base, []byte(tt.old), []byte(tt.new), 1)
			if bytes.Equal(m, base) {
				t.Fatalf("edit %q not applied", tt.old)
			}
			_ = os.WriteFile(filepath.Join(dir, "manifest.yaml"), m, 0o644)
			for _, f := range []string{"schema.json", "example.json"} {
				b, _ := os.ReadFile(filepath.Join("gov-info-disclosure-annual/2021", f))
				_ = os.WriteFile(filepath.Join(dir, f), b, 0o644)
			}
			_, err := templates.Load(dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func BenchmarkRunExample(b *testing.B) {
	tp := annual(b)
	raw, _ := os.ReadFile("gov-info-disclosure-annual/2021/example.json")
	b.ReportAllocs()
	for b.Loop() {
		data, _, _ := strictjson.Decode(raw, strictjson.DefaultLimits)
		if _, err := tp.Run(data, engine.RunOptions{NormalizePunctuation: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEveryFolderEmbedded: a template folder added under templates/ is in
// the binary, whatever its name.
func TestEveryFolderEmbedded(t *testing.T) {
	reg, err := templates.Load()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = fs.WalkDir(os.DirFS("."), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "manifest.yaml" || strings.HasPrefix(p, "testdata/") {
			return err
		}
		tp, err := engine.Load(os.DirFS("."), filepath.Dir(p))
		if err != nil {
			return err
		}
		n++
		if _, ok := reg.Get(tp.ID); !ok {
			t.Errorf("%s (%s) is not embedded; embedded: %v", p, tp.ID, reg.IDs())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("no template folder found")
	}
}
