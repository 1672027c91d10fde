package templates_test

import (
	"testing"

	"gongwen/templates"
)

// TestFormNames: every value cell of every shipped table has a name an
// editor can give its input, distinct within the document, made of the
// printed labels; the annual report's names read as the example.
func TestFormNames(t *testing.T) {
	reg, err := templates.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range reg.IDs() {
		tp, _ := reg.Get(id)
		f := tp.Form()
		if f == nil || f.Fields == nil || f.Blocks == nil {
			t.Fatalf("%s: no form, or null lists in it (%+v)", id, f)
		}
		names := map[string]string{}
		for _, b := range f.Blocks {
			if b.Kind != "table" {
				continue
			}
			for _, row := range b.Table.Rows {
				for _, c := range row {
					if c.Path == "" {
						continue
					}
					if c.Name == "" || c.Name == b.Table.Name {
						t.Errorf("%s: %s has no name beyond its table", id, c.Path)
					}
					if other, dup := names[c.Name]; dup {
						t.Errorf("%s: %s and %s are both %q", id, other, c.Path, c.Name)
					}
					names[c.Name] = c.Path
				}
			}
		}
	}

	f := annual(t).Form()
	want := map[string]string{
		"表三 （一）予以公开 自然人":                   "/requests/results/disclosed/natural",
		"表三 （三）不予公开 1.属于国家秘密 法人或其他组织 商业企业": "/requests/results/withheld/stateSecret/commercial",
		"表三 二、上年结转政府信息公开申请数量 总计":           "/requests/carriedOver/total",
		"表二 规章 本年制发件数":                     "/proactive/regulations/issued",
		"表二 行政许可 本年处理决定数量":                 "/proactive/licensing",
		"表四 行政诉讼 复议后起诉 尚未审结":               "/reviewLitigation/litigationAfterReview/pending",
		"表四 行政复议 总计":                       "/reviewLitigation/review/total",
		"表二 行政事业性收费 本年收费金额（单位：万元）":         "/proactive/fees",
	}
	got := map[string]string{}
	computed := map[string]bool{}
	kinds := map[string]string{}
	cells := 0
	for _, b := range f.Blocks {
		if b.Kind == "table" {
			for _, row := range b.Table.Rows {
				for _, c := range row {
					if c.Path != "" {
						got[c.Name], computed[c.Path], kinds[c.Path] = c.Path, c.Computed, c.Kind
						cells++
					}
				}
			}
		}
	}
	for name, path := range want {
		if got[name] != path {
			t.Errorf("%q names %q, want %q", name, got[name], path)
		}
	}
	if cells != 10+25*7+15 {
		t.Errorf("%d value cells, want %d", cells, 10+25*7+15)
	}
	for p, c := range map[string]bool{"/requests/results/total/natural": true, "/requests/newlyReceived/total": true,
		"/reviewLitigation/review/total": true, "/requests/results/disclosed/natural": false, "/proactive/fees": false} {
		if computed[p] != c {
			t.Errorf("%s computed = %v, want %v", p, computed[p], c)
		}
	}
	if kinds["/proactive/fees"] != "amount" || kinds["/proactive/licensing"] != "count" {
		t.Errorf("kinds: fees %q, licensing %q", kinds["/proactive/fees"], kinds["/proactive/licensing"])
	}
	// Fields: organ and year first; the title where the title prints, the
	// signature where it prints; prose sections by their schema label.
	var first []string
	for _, fl := range f.Fields {
		first = append(first, fl.Path)
	}
	if len(first) != 2 || first[0] != "/organ" || first[1] != "/year" || !f.Fields[0].Required || f.Fields[1].Type != "integer" {
		t.Errorf("leading fields: %+v", f.Fields)
	}
	var order []string
	for _, b := range f.Blocks {
		switch b.Kind {
		case "fields":
			for _, fl := range b.Fields {
				order = append(order, fl.Path)
			}
		case "paragraphs":
			order = append(order, b.Path+" "+b.Label)
		}
	}
	wantOrder := []string{"/title", "/preface 引言", "/overview 一、总体情况", "/problems 五、存在的主要问题及改进情况",
		"/otherMatters 六、其他需要报告的事项", "/signature/organ", "/signature/date"}
	if len(order) != len(wantOrder) {
		t.Fatalf("blocks %v, want %v", order, wantOrder)
	}
	for i := range order {
		if order[i] != wantOrder[i] {
			t.Errorf("block %d: %q, want %q", i, order[i], wantOrder[i])
		}
	}
	for _, b := range f.Blocks {
		if b.Kind == "paragraphs" && b.Required != (b.Path == "/overview" || b.Path == "/problems") {
			t.Errorf("%s required = %v", b.Path, b.Required)
		}
	}
	if !f.NextYear {
		t.Error("the annual report can start next year's draft")
	}
}
