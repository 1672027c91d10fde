package templates_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"gongwen/internal/testkit"
	"gongwen/problem"
	"gongwen/render"
	"gongwen/report"
	"gongwen/templates"
)

const trialID = "gov-info-disclosure-annual/2019"

func trialExample(t *testing.T) map[string]any {
	raw, err := os.ReadFile("gov-info-disclosure-annual/2019/example.json")
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, raw)
}

// TestTrialExampleModelGolden pins the 2019 trial format's document
// model: table 二 with items （一）（五）（六）（八）（九）, table 三 with
// （六）其他处理 as one row.
func TestTrialExampleModelGolden(t *testing.T) {
	reg, err := templates.Load()
	if err != nil {
		t.Fatal(err)
	}
	tp, _ := reg.Get(trialID)
	res := run(t, tp, trialExample(t))
	if problem.HasErrors(res.Problems) {
		t.Fatalf("example has errors: %+v", res.Problems)
	}
	var buf bytes.Buffer
	if err := render.Dump(&buf, res.Document); err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, "testdata/ejia-2019.model.golden", buf.Bytes())
	for _, want := range []string{"本年新制作数量", "本年新公开数量", "对外公开总数量", "规范性文件", "其他对外管理服务事项",
		"上一年项目数量", "本年增/减", "处理决定数量", "第二十条第（九）项", "采购项目数量", "采购总金额", "政府集中采购", "86.35", "-4"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the model has no %q", want)
		}
	}
	for _, gone := range []string{"行政规范性文件", "本年收费金额", "逾期不补正"} {
		if strings.Contains(buf.String(), gone) {
			t.Errorf("the 2019 model has the 2021 label %q", gone)
		}
	}
}

// R1–R3 hold with （六） as one row; R4 is unchanged.
func TestTrialRules(t *testing.T) {
	reg, err := templates.Load()
	if err != nil {
		t.Fatal(err)
	}
	tp, _ := reg.Get(trialID)
	for _, tc := range []struct {
		edit  func(d map[string]any)
		rules string // the rules that fire, sorted by path
	}{
		{func(d map[string]any) {}, ""},
		// one more in （六）'s 自然人: the row's 总计 and the column's （七）总计 disagree
		{func(d map[string]any) { dig(d, "requests", "results", "otherHandling")["natural"] = 2 }, "R3 R2"},
		{func(d map[string]any) { dig(d, "requests", "results", "otherHandling")["total"] = 3 }, "R3 R2"},
		{func(d map[string]any) { dig(d, "requests", "carriedForward")["natural"] = 2 }, "R1 R3"},
		{func(d map[string]any) { dig(d, "reviewLitigation", "review")["upheld"] = 1 }, "R4"},
	} {
		d := trialExample(t)
		tc.edit(d)
		res := run(t, tp, d)
		var got []string
		for _, p := range res.Problems {
			if p.Severity == problem.Error {
				got = append(got, p.Rule)
			}
		}
		if strings.Join(got, " ") != tc.rules {
			t.Errorf("rules %q, want %q", strings.Join(got, " "), tc.rules)
		}
	}
}

func dig(d map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		d = d[k].(map[string]any)
	}
	return d
}

// A report that names no template gets the trial format for 2019 and
// 2020, with a notice, and the 2021 format otherwise; a JSON mistake in
// it is explained in its own template's words.
func TestTrialChosenByYear(t *testing.T) {
	p, err := report.New(report.Config{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile("gov-info-disclosure-annual/2019/example.json")
	if err != nil {
		t.Fatal(err)
	}
	noTemplate := bytes.Replace(raw, []byte(`"template": "gov-info-disclosure-annual/2019",`), nil, 1)
	if bytes.Equal(noTemplate, raw) {
		t.Fatal("example has no template line to remove")
	}
	for _, tc := range []struct {
		year, want string
		notice     bool
	}{{"2019", trialID, true}, {"2020", trialID, true}, {"2021", templates.DefaultID, false}, {"2018", templates.DefaultID, false}} {
		in := bytes.Replace(noTemplate, []byte(`"year": 2019`), []byte(`"year": `+tc.year), 1)
		out, err := p.Validate(context.Background(), in, report.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		if out.TemplateID != tc.want {
			t.Errorf("year %s: template %s, want %s", tc.year, out.TemplateID, tc.want)
		}
		notice := false
		for _, pr := range out.Problems {
			if pr.Rule == "template" && pr.Severity == problem.Notice && strings.Contains(pr.Message, "2019") {
				notice = true
			}
		}
		if notice != tc.notice {
			t.Errorf("year %s: notice %v, want %v: %+v", tc.year, notice, tc.notice, out.Problems)
		}
	}
	// A duplicate key is labelled in the trial format's words (采购总金额
	// exists only there), also when the report does not decode further on.
	dup := bytes.Replace(noTemplate, []byte(`"amount": "86.35"`), []byte(`"amount": "86.35", "amount": "1"`), 1)
	for _, in := range [][]byte{dup, append(dup[:len(dup)-2:len(dup)-2], []byte(",,}")...)} {
		out, _ := p.Validate(context.Background(), in, report.DefaultOptions())
		if out == nil || len(out.Problems) == 0 {
			t.Fatalf("no problem for %q", in[len(in)-20:])
		}
		found := false
		for _, pr := range out.Problems {
			if pr.Rule == "json" && strings.Contains(pr.Message, "采购总金额") {
				found = true
			}
		}
		if !found && bytes.HasSuffix(in, []byte(",,}")) {
			continue // a syntax error is reported at the fault, not at the duplicate
		}
		if !found {
			t.Errorf("the duplicate key is not labelled 采购总金额: %+v", out.Problems)
		}
	}
}
