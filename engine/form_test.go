package engine

import (
	"testing"

	"gongwen/strictjson"
)

// TestFormOfMinimal: the form description of the minimal template — the
// title paragraph's field where it prints, the other fields first, value
// cells named after the printed labels, told apart by the schema's labels
// where one merged header covers both, the computed sum marked.
func TestFormOfMinimal(t *testing.T) {
	tp, err := load(t, minimal)
	if err != nil {
		t.Fatal(err)
	}
	f := tp.Form()
	if len(f.Fields) != 0 {
		t.Errorf("fields %+v: name prints in the title paragraph", f.Fields)
	}
	if b := f.Blocks[0]; b.Kind != "fields" || len(b.Fields) != 1 || b.Fields[0].Path != "/name" || b.Fields[0].Label != "名称" {
		t.Errorf("title block %+v", b)
	}
	if b := f.Blocks[1]; b.Kind != "heading" || b.Text != "一、表格" {
		t.Errorf("heading %+v", b)
	}
	tb := f.Blocks[2].Table
	got := map[string]FormCell{}
	for _, c := range tb.Rows[1] {
		got[c.Path] = c
	}
	for path, want := range map[string]string{"/t/a": "表 合并 甲", "/t/b": "表 合并 乙", "/t/sum": "表 和"} {
		if got[path].Name != want {
			t.Errorf("%s named %q, want %q", path, got[path].Name, want)
		}
	}
	if !got["/t/sum"].Computed || got["/t/a"].Computed {
		t.Errorf("computed: sum %v, a %v", got["/t/sum"].Computed, got["/t/a"].Computed)
	}
	if f.NextYear {
		t.Error("no nextYear section, yet NextYear")
	}
}

// TestPreviousInRules: prev and hasPrev read last year's report; without
// one, a rule guarded by hasPrev does not run.
func TestPreviousInRules(t *testing.T) {
	m := replace(minimal, "rules:\n", `rules:
  - id: Y
    severity: warning
    when: hasPrev("/t/a")
    assert: n("/t/a") >= prev("/t/a")
    path: /t/a
    message: {zh: "甲比上年少"}
`)
	tp, err := load(t, m)
	if err != nil {
		t.Fatal(err)
	}
	run := func(prev map[string]any) []string {
		data, _, _ := strictjson.Decode([]byte(`{"name":"样例","t":{"a":1,"b":2}}`), strictjson.DefaultLimits)
		res, err := tp.Run(data, RunOptions{Previous: prev})
		if err != nil {
			t.Fatal(err)
		}
		var rules []string
		for _, p := range res.Problems {
			rules = append(rules, p.Rule)
		}
		return rules
	}
	last, _, _ := strictjson.Decode([]byte(`{"name":"样例","t":{"a":5}}`), strictjson.DefaultLimits)
	if got := run(last); len(got) != 1 || got[0] != "Y" {
		t.Errorf("with last year's a=5: %v", got)
	}
	if got := run(nil); len(got) != 0 {
		t.Errorf("without last year: %v", got)
	}
}

// TestMessagesPrintPlainNumbers: a count of two million reads 2000000 in a
// rule's message, not 2e+06.
func TestMessagesPrintPlainNumbers(t *testing.T) {
	tp, err := load(t, replace(minimal, `message: {zh: "“{{.c.key}}”不能超过10"}`, `message: {zh: "“{{.c.key}}”（{{.v}}）不能超过10"}
    let: {v: 'n("/t/" + c.key)'}`))
	if err != nil {
		t.Fatal(err)
	}
	data, _, _ := strictjson.Decode([]byte(`{"name":"样例","t":{"a":2000000,"b":2}}`), strictjson.DefaultLimits)
	res, err := tp.Run(data, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 1 || res.Problems[0].Message != "“a”（2000000）不能超过10" {
		t.Errorf("problems %+v", res.Problems)
	}
}
