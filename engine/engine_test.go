package engine

import (
	"strings"
	"time"

	"gongwen/problem"
	"testing"
	"testing/fstest"

	"gongwen/render"
	"gongwen/strictjson"
)

// A minimal template: no page or styles (GB/T 9704 defaults), one rule,
// one table with a merge.
const minimal = `
id: test/minimal
name: 最小模板
schema: schema.json
example: example.json
fileName: "{{.name}}"
meta: {title: "{{.name}}"}
lists:
  cols: [{key: a}, {key: b}]
defaults:
  - {path: /t/sum, expr: 'sum(cols, n("/t/" + #.key))'}
rules:
  - id: X1
    forEach: [{var: c, in: cols}]
    assert: n("/t/" + c.key) <= 10
    path: "/t/{{.c.key}}"
    actual: n("/t/" + c.key)
    message: {zh: "“{{.c.key}}”不能超过10"}
body:
  - {paragraph: {style: title, text: "{{.name}}"}}
  - {heading: {text: 一、表格}}
  - {table: t}
tables:
  t:
    name: 表
    columns: [50, 50, 56]
    headerRows: 1
    rows:
      - [{text: 合并, colspan: 2, header: true}, {text: 和, header: true}]
      - [{each: cols, bind: "/t/{{.item.key}}"}, {bind: /t/sum}]
`

const schema = `{"type":"object","properties":{"name":{"type":"string","description":"名称"},
 "t":{"type":"object","description":"表","properties":{"a":{"type":"integer","description":"甲"},"b":{"type":"integer","description":"乙"}},"additionalProperties":false}},
 "required":["name"],"additionalProperties":false}`

func load(t *testing.T, manifest string) (*Template, error) {
	t.Helper()
	fsys := fstest.MapFS{
		"m/manifest.yaml": {Data: []byte(manifest)},
		"m/schema.json":   {Data: []byte(schema)},
		"m/example.json":  {Data: []byte(`{"name":"样例","t":{"a":1,"b":2}}`)},
	}
	return Load(fsys, "m")
}

func TestMinimalTemplate(t *testing.T) {
	tp, err := load(t, minimal)
	if err != nil {
		t.Fatal(err)
	}
	data, _, _ := strictjson.Decode([]byte(`{"name":"样例","t":{"a":1,"b":20}}`), strictjson.DefaultLimits)
	res, err := tp.Run(data, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 1 || res.Problems[0].Rule != "X1" || res.Problems[0].Path != "/t/b" {
		t.Fatalf("problems = %+v", res.Problems)
	}
	doc := res.Document
	if doc.Page.MarginTopMM != 37 || doc.Page.LinesPerPage != 22 || doc.Styles[render.StyleBody].SizePt != 16 {
		t.Errorf("GB/T 9704 defaults not applied: %+v", doc.Page)
	}
	tb := doc.Blocks[2].(*render.Table)
	if got := tb.Rows[1].Cells[2]; got.Text != "21" || got.Path != "/t/sum" || got.Col != 2 {
		t.Errorf("computed cell = %+v", got)
	}
	if tb.Rows[0].Cells[0].ColSpan != 2 || tb.Rows[0].Cells[1].Col != 2 {
		t.Errorf("merge = %+v", tb.Rows[0].Cells)
	}
	if res.FileName != "样例" || doc.Meta.Language != "zh-CN" {
		t.Errorf("file name %q, language %q", res.FileName, doc.Meta.Language)
	}
}

func TestPointerMayNotUseData(t *testing.T) {
	bad := minimal + "\n"
	bad = replace(bad, `path: "/t/{{.c.key}}"`, `path: "/t/{{.name}}"`)
	if _, err := load(t, bad); err == nil {
		t.Fatal("a rule path using data was accepted")
	}
}

func replace(s, old, new string) string {
	for i := 0; i+len(old) <= len(s); i++ {
		if s[i:i+len(old)] == old {
			return s[:i] + new + s[i+len(old):]
		}
	}
	panic("no " + old)
}

func TestCnDate(t *testing.T) {
	for in, want := range map[string]string{"2025-01-20": "2025年1月20日", "2024-12-31": "2024年12月31日", "x": "x"} {
		if got := cnDate(in); got != want {
			t.Errorf("cnDate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSortProblemsInFormOrder(t *testing.T) {
	tp, err := load(t, minimal)
	if err != nil {
		t.Fatal(err)
	}
	// schema order: name, then t (a, b); alphabetical would put /name last.
	ps := []problem.Problem{{Path: "/t/b"}, {Path: "/zzz"}, {Path: "/t/a", Rule: "X2"}, {Path: "/name"}, {Path: "/t/a", Rule: "X1"}}
	tp.SortProblems(ps)
	var got []string
	for _, p := range ps {
		got = append(got, p.Path+p.Rule)
	}
	want := "/name /t/aX1 /t/aX2 /t/b /zzz"
	if strings.Join(got, " ") != want {
		t.Errorf("order = %v, want %s", got, want)
	}
}

// Custom metadata: values are templates over the data, in manifest order;
// names must be plain ASCII keys.
func TestMetaCustom(t *testing.T) {
	m := replace(minimal, `meta: {title: "{{.name}}"}`, `meta: {title: "{{.name}}", custom: [{name: who, value: "{{.name}}"}, {name: kind, value: 表}]}`)
	tp, err := load(t, m)
	if err != nil {
		t.Fatal(err)
	}
	data, _, _ := strictjson.Decode([]byte(`{"name":"样例","t":{"a":1,"b":2}}`), strictjson.DefaultLimits)
	res, err := tp.Run(data, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []render.Property{{Name: "who", Value: "样例"}, {Name: "kind", Value: "表"}}
	if got := res.Document.Meta.Custom; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("custom = %+v, want %+v", got, want)
	}
	for _, name := range []string{"", "1a", "名称", "a b", `a"`} {
		bad := replace(minimal, `meta: {title: "{{.name}}"}`, `meta: {title: "{{.name}}", custom: [{name: '`+name+`', value: x}]}`)
		if _, err := load(t, bad); err == nil || !strings.Contains(err.Error(), "meta.custom[0]") {
			t.Errorf("custom name %q: err = %v", name, err)
		}
	}
}

// A misspelt variable in an expression is a mistake of the template: Load
// refuses it, naming the file, the line and the key, instead of every
// request failing with an internal error.
func TestLoadRefusesUnknownExpressionName(t *testing.T) {
	for _, tc := range []struct{ from, to, line, key, name string }{
		{`assert: n("/t/" + c.key) <= 10`, `assert: n("/t/" + cc.key) <= 10`, "manifest.yaml:15:", "rules[0].assert", "cc"},
		{`actual: n("/t/" + c.key)`, `actual: n("/t/" + c.key) + limt`, "manifest.yaml:17:", "rules[0].actual", "limt"},
		{`expr: 'sum(cols, n("/t/" + #.key))'`, `expr: 'sum(colz, n("/t/" + #.key))'`, "manifest.yaml:11:", "defaults[0].expr", "colz"},
	} {
		m := strings.Replace(minimal, tc.from, tc.to, 1)
		if m == minimal {
			t.Fatalf("%q not in the manifest", tc.from)
		}
		_, err := load(t, m)
		if err == nil {
			t.Errorf("%s: loaded", tc.to)
			continue
		}
		for _, want := range []string{tc.line, tc.key, "unknown name " + tc.name} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %q does not say %q", tc.to, err, want)
			}
		}
	}
	// Variables declared in the expression, lets and loop variables are known.
	m := strings.Replace(minimal, `assert: n("/t/" + c.key) <= 10`, "let: {v: n(\"/t/\" + c.key), w: v * 2}\n    assert: (let lim = 10; w <= 2 * lim)", 1)
	if _, err := load(t, m); err != nil {
		t.Errorf("valid names refused: %v", err)
	}
}

// meta.date names the report's own date: it dates the document (midnight
// in the zone for a bare date); a value that is no date is a problem at
// its pointer; a bad pointer is refused at load.
func TestMetaDate(t *testing.T) {
	tp, err := load(t, replace(minimal, `meta: {title: "{{.name}}"}`, `meta: {title: "{{.name}}", date: /name}`))
	if err != nil {
		t.Fatal(err)
	}
	cst := time.FixedZone("+08:00", 8*3600)
	for _, c := range []struct {
		name, want string // want RFC 3339, "" for no date
		problem    bool
	}{
		{"2025-01-20", "2025-01-20T00:00:00+08:00", false},
		{"2025-01-20T09:30:00+09:00", "2025-01-20T09:30:00+09:00", false},
		{"", "", false},
		{"2025-02-30", "", true},
		{"二〇二五年一月", "", true},
	} {
		data, _, _ := strictjson.Decode([]byte(`{"name":"`+c.name+`"}`), strictjson.DefaultLimits)
		res, err := tp.Run(data, RunOptions{Zone: cst})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if d := res.Document.Meta.Created; !d.IsZero() {
			got = d.Format(time.RFC3339)
		}
		found := false
		for _, p := range res.Problems {
			found = found || p.Rule == "date" && p.Path == "/name" && p.Severity == problem.Error && strings.Contains(p.Message, "名称")
		}
		if got != c.want || found != c.problem {
			t.Errorf("%q: date %q, problem %v; want %q, %v (%+v)", c.name, got, found, c.want, c.problem, res.Problems)
		}
	}
	for _, bad := range []string{"name", "signature.date", "/"} {
		if _, err := load(t, replace(minimal, `meta: {title: "{{.name}}"}`, `meta: {title: "{{.name}}", date: "`+bad+`"}`)); err == nil || !strings.Contains(err.Error(), "meta.date") {
			t.Errorf("meta.date %q: err = %v", bad, err)
		}
	}
}

func TestSpread(t *testing.T) {
	for _, tc := range []struct {
		n        int
		in, want string
	}{{3, "李华", "李　华"}, {3, "王小明", "王小明"}, {4, "李华", "李　　华"}, {4, "欧阳", "欧　　阳"}, {5, "张小明", "张　小　明"}, {3, "", ""}, {3, "李", "李"}} {
		if got := spread(tc.n, tc.in); got != tc.want {
			t.Errorf("spread(%d, %q) = %q, want %q", tc.n, tc.in, got, tc.want)
		}
	}
}
