package report_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"gongwen/problem"
	"gongwen/report"
)

// lastAndThisYear is a pair of consistent reports: last year carried 3
// natural-person requests forward and had 5 normative documents in force;
// this year carries those 3 over and issues 2, repeals 1 (5 + 2 − 1 = 6).
func lastAndThisYear(t *testing.T) (last, this map[string]any) {
	t.Helper()
	dec := func(b []byte) map[string]any {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	last = dec(edit(t, func(m map[string]any) {
		m["year"] = 2023
		delete(m, "title")
		obj(m, "requests", "newlyReceived")["natural"] = 5
		obj(m, "requests", "newlyReceived")["total"] = 5
		obj(m, "requests", "results", "disclosed")["natural"] = 2
		obj(m, "requests", "results", "disclosed")["total"] = 2
		obj(m, "requests", "results", "total")["natural"] = 2
		obj(m, "requests", "results", "total")["total"] = 2
		delete(obj(m, "requests"), "carriedForward") // left to the template: computed 0, then set below
		obj(m, "requests")["carriedForward"] = map[string]any{"natural": 3}
		obj(m, "proactive", "normativeDocuments")["inForce"] = 5
	}))
	this = dec(edit(t, func(m map[string]any) {
		delete(m, "title")
		obj(m, "requests", "carriedOver")["natural"] = 3
		obj(m, "requests", "carriedOver")["total"] = 3
		obj(m, "requests", "carriedForward")["natural"] = 3
		obj(m, "requests", "carriedForward")["total"] = 3
		nd := obj(m, "proactive", "normativeDocuments")
		nd["issued"], nd["repealed"], nd["inForce"] = 2, 1, 6
	}))
	return last, this
}

func marshal(t *testing.T, m map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPreviousYearWarnings(t *testing.T) {
	p := pipeline(t)
	last, this := lastAndThisYear(t)
	rules := func(raw, prev []byte) map[string]problem.Problem {
		t.Helper()
		opts := report.DefaultOptions()
		opts.Previous = prev
		out, err := p.Validate(context.Background(), raw, opts)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]problem.Problem{}
		for _, pr := range out.Problems {
			if pr.Rule == "Y1" || pr.Rule == "Y2" || pr.Rule == "previous" {
				got[pr.Rule+" "+pr.Path] = pr
			}
		}
		return got
	}
	if got := rules(marshal(t, this), marshal(t, last)); len(got) != 0 {
		t.Errorf("consistent years warned: %v", got)
	}
	if got := rules(marshal(t, this), nil); len(got) != 0 {
		t.Errorf("no previous report, yet: %v", got)
	}

	obj(this, "requests", "carriedOver")["natural"] = 4
	obj(this, "requests", "carriedOver")["total"] = 4
	obj(this, "requests", "newlyReceived")["natural"] = 6 // keep R1 (this year's own rules) satisfied
	obj(this, "requests", "newlyReceived")["total"] = 6
	obj(this, "requests", "carriedForward")["natural"] = 10
	obj(this, "requests", "carriedForward")["total"] = 10
	obj(this, "proactive", "normativeDocuments")["inForce"] = 9
	got := rules(marshal(t, this), marshal(t, last))
	y1, ok := got["Y1 /requests/carriedOver/natural"]
	if !ok || y1.Severity != problem.Warning || !strings.Contains(y1.Message, "上年") || !strings.Contains(y1.Message, "（4）") || !strings.Contains(y1.Message, "（3）") {
		t.Errorf("Y1: %+v (all: %v)", y1, got)
	}
	if _, ok := got["Y1 /requests/carriedOver/total"]; !ok {
		t.Errorf("Y1 on the total column missing: %v", got)
	}
	y2, ok := got["Y2 /proactive/normativeDocuments/inForce"]
	if !ok || y2.Severity != problem.Warning || y2.Expected != int64(6) || y2.Actual != int64(9) {
		t.Errorf("Y2: %+v (all: %v)", y2, got)
	}
	if len(got) != 3 {
		t.Errorf("want Y1 natural, Y1 total, Y2; got %v", got)
	}

	// Warnings do not block: this year's report still renders.
	opts := report.DefaultOptions()
	opts.Previous = marshal(t, last)
	out, err := p.Validate(context.Background(), marshal(t, this), opts)
	if err != nil || !out.Valid() {
		t.Errorf("warnings made the report invalid: %v %+v", err, out.Problems)
	}

	// An unreadable previous report is an error, in the clerk's words.
	got = rules(marshal(t, this), []byte(`{"organ": `))
	pr, ok := got["previous "]
	if !ok || pr.Severity != problem.Error || !strings.Contains(pr.Message, "上年报告无法读取") {
		t.Errorf("broken previous report: %v", got)
	}
}

func TestNextYear(t *testing.T) {
	p := pipeline(t)
	last, _ := lastAndThisYear(t)
	last["signature"] = map[string]any{"organ": "某某办公室", "date": "2024-01-20"}
	b, out, err := p.NextYear(context.Background(), marshal(t, last), report.DefaultOptions())
	if err != nil {
		t.Fatalf("%v %+v", err, out)
	}
	var draft map[string]any
	if err := json.Unmarshal(b, &draft); err != nil {
		t.Fatal(err)
	}
	if draft["year"] != 2024.0 || draft["organ"] != last["organ"] {
		t.Errorf("year/organ: %v %v", draft["year"], draft["organ"])
	}
	if _, ok := draft["title"]; ok {
		t.Errorf("the old title was kept: %v", draft["title"])
	}
	if sig := draft["signature"].(map[string]any); sig["organ"] != "某某办公室" || sig["date"] != nil {
		t.Errorf("signature: %v", sig)
	}
	for _, k := range []string{"overview", "problems", "otherMatters"} {
		if _, ok := draft[k]; !ok {
			t.Errorf("prose %s not kept", k)
		}
	}
	if pro, ok := draft["proactive"].(map[string]any); !ok || len(pro) != 0 {
		t.Errorf("counts not emptied: proactive = %v", draft["proactive"])
	}
	req := draft["requests"].(map[string]any)
	if len(req) != 1 {
		t.Errorf("requests has more than 上年结转: %v", req)
	}
	co := req["carriedOver"].(map[string]any)
	if co["natural"] != 3.0 || co["commercial"] != 0.0 {
		t.Errorf("上年结转 = %v, want last year's 结转下年度 (natural 3, the rest 0)", co)
	}
	if _, ok := co["total"]; ok {
		t.Errorf("the total is computed, not copied: %v", co)
	}
	// The draft is a report the same template accepts, and carrying it
	// against last year gives no cross-year warning for 上年结转.
	opts := report.DefaultOptions()
	opts.Previous = marshal(t, last)
	v, err := p.Validate(context.Background(), b, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range v.Problems {
		if pr.Rule == "Y1" || pr.Severity == problem.Error && pr.Rule != "R1" {
			t.Errorf("draft: %+v", pr)
		}
	}

	if _, _, err := p.NextYear(context.Background(), []byte(`[1]`), report.DefaultOptions()); !errors.Is(err, report.ErrMalformed) {
		t.Errorf("malformed last year: %v", err)
	}
}

// TestRelated: a consistency problem names the values its rule compared,
// so an editor can mark the cell the clerk changed, not only the total.
func TestRelated(t *testing.T) {
	raw := edit(t, func(m map[string]any) {
		obj(m, "requests", "results", "disclosed")["natural"] = 7
	})
	out, err := pipeline(t).Validate(context.Background(), raw, report.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range out.Problems {
		if p.Rule == "R2" && p.Path == "/requests/results/total/natural" {
			found = slices.Contains(p.Related, "/requests/results/disclosed/natural") && !slices.Contains(p.Related, p.Path) &&
				!slices.Contains(p.Related, "/requests/results/disclosed/commercial")
			if !found {
				t.Errorf("R2 related: %v", p.Related)
			}
		}
	}
	if !found {
		t.Errorf("no R2 on the natural-person total: %+v", out.Problems)
	}
}

// TestNextYearAcrossFormats: a 2020 report (2019 trial format) starts a
// 2021 report in the 2021 format, its 上年结转 from 2020's 结转下年度; the
// 2021 report is then checked against the 2020 one.
func TestNextYearAcrossFormats(t *testing.T) {
	p := pipeline(t)
	raw, err := os.ReadFile("../templates/gov-info-disclosure-annual/2019/example.json")
	if err != nil {
		t.Fatal(err)
	}
	var last map[string]any
	if err := json.Unmarshal(raw, &last); err != nil {
		t.Fatal(err)
	}
	last["year"] = 2020
	last["template"] = "gov-info-disclosure-annual/2019"
	obj(last, "requests")["carriedForward"] = map[string]any{"natural": 2, "other": 1}
	b, _, err := p.NextYear(context.Background(), marshal(t, last), report.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var draft map[string]any
	if err := json.Unmarshal(b, &draft); err != nil {
		t.Fatal(err)
	}
	if draft["template"] != "gov-info-disclosure-annual/2021" || draft["year"] != 2021.0 {
		t.Errorf("draft template %v, year %v", draft["template"], draft["year"])
	}
	if co := obj(draft, "requests", "carriedOver"); co["natural"] != 2.0 || co["other"] != 1.0 {
		t.Errorf("上年结转 %v", co)
	}
	opts := report.DefaultOptions()
	opts.Previous = marshal(t, last)
	out, err := p.Validate(context.Background(), b, opts)
	if err != nil || out.TemplateID != "gov-info-disclosure-annual/2021" {
		t.Fatalf("%v %s", err, out.TemplateID)
	}
	for _, pr := range out.Problems {
		if pr.Rule == "Y1" || pr.Rule == "previous" || pr.Rule == "schema" {
			t.Errorf("draft: %+v", pr)
		}
	}
}
