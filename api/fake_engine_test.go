package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"

	"gongwen/problem"
	"gongwen/render"
	"gongwen/report"
)

const fakeTemplateID = "gov-info-disclosure-annual/2021"

// fakeEngine stands in for report.Pipeline in unit tests of the HTTP layer:
// it understands just enough of the contract (organ, year, one total of
// table B) to produce problems with paths, a document with bound cells, and
// deterministic "files". Hooks let tests block, fail or panic inside a call.
type fakeEngine struct {
	example   []byte
	templates []report.TemplateInfo
	// hook, when set, runs at the start of every Validate/Render call.
	hook  func(ctx context.Context) error
	calls atomic.Int64
}

func newFakeEngine() *fakeEngine {
	example, err := os.ReadFile("testdata/ejia-2024.json")
	if err != nil {
		panic(err)
	}
	schema := []byte(`{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","required":["organ","year"]}`)
	return &fakeEngine{example: example, templates: []report.TemplateInfo{{
		ID: fakeTemplateID, Name: "政府信息公开工作年度报告（2021 版）", Schema: schema, Example: example,
	}}}
}

var rowColumns = []string{"natural", "commercial", "research", "nonprofit", "legal", "other", "total"}

func (f *fakeEngine) Validate(ctx context.Context, raw []byte, opts report.Options) (*report.Outcome, error) {
	f.calls.Add(1)
	if f.hook != nil {
		if err := f.hook(ctx); err != nil {
			return nil, err
		}
	}
	var data map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&data); err != nil || data == nil {
		return nil, fmt.Errorf("%w: %v", report.ErrMalformed, err)
	}
	id := fakeTemplateID
	if t, ok := data["template"].(string); ok {
		id = t
	}
	if _, ok := f.Template(id); !ok {
		return nil, fmt.Errorf("%w: %q", report.ErrUnknownTemplate, id)
	}
	o := &report.Outcome{TemplateID: id, Data: data}
	msg := func(zh, en string) string {
		if opts.Lang == "en" {
			return en
		}
		return zh
	}
	organ, ok := data["organ"].(string)
	if !ok || organ == "" {
		o.Problems = append(o.Problems, problem.Problem{Severity: problem.Error, Rule: "schema", Path: "/organ",
			Message: msg("缺少必填字段“organ”（报告机关）", "missing required field organ")})
		return o, nil // not understood well enough to build a document
	}
	year, _ := data["year"].(json.Number)
	o.FileName = organ + year.String() + "年度政府信息公开工作年度报告"

	row, _ := dig(data, "requests", "newlyReceived").(map[string]any)
	table := &render.Table{Name: "表二", Columns: []float64{40, 20, 20, 20, 20, 20, 20, 20}, HeaderRows: 1}
	header := render.Row{Cells: []render.Cell{{Col: 0, RowSpan: 1, ColSpan: 1, Text: "", Header: true}}}
	values := render.Row{Cells: []render.Cell{{Col: 0, RowSpan: 1, ColSpan: 1, Text: "一、本年新收政府信息公开申请数量", Header: true}}}
	sum, total := int64(0), int64(-1)
	for i, col := range rowColumns {
		header.Cells = append(header.Cells, render.Cell{Col: i + 1, RowSpan: 1, ColSpan: 1, Text: col, Header: true})
		n, _ := strconv.ParseInt(fmt.Sprint(row[col]), 10, 64)
		values.Cells = append(values.Cells, render.Cell{Col: i + 1, RowSpan: 1, ColSpan: 1, Text: strconv.FormatInt(n, 10),
			Align: render.AlignCenter, Path: "/requests/newlyReceived/" + col})
		if col == "total" {
			total = n
		} else {
			sum += n
		}
	}
	table.Rows = []render.Row{header, values}
	if total != sum {
		o.Problems = append(o.Problems, problem.Problem{Severity: problem.Error, Rule: "R1", Path: "/requests/newlyReceived/total",
			Message:  msg(fmt.Sprintf("表二 一、本年新收政府信息公开申请数量“总计”应为各列之和（%d），实为 %d", sum, total), fmt.Sprintf("total should be %d, is %d", sum, total)),
			Expected: sum, Actual: total})
	}
	problem.Sort(o.Problems)
	o.Document = &render.Document{
		Meta: render.Meta{TemplateID: id, Title: o.FileName},
		Blocks: []render.Block{
			&render.Paragraph{Style: render.StyleTitle, Runs: []render.Run{{Text: o.FileName}}},
			&render.Paragraph{Style: render.StyleBody, Path: "/overview/0", Runs: []render.Run{{Text: "（一）主动公开情况。", Style: render.StyleHeading2}, {Text: "正文"}}},
			table,
		},
	}
	return o, nil
}

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func (f *fakeEngine) Render(ctx context.Context, raw []byte, format report.Format, opts report.Options) ([]byte, *report.Outcome, error) {
	o, err := f.Validate(ctx, raw, opts)
	if err != nil {
		return nil, o, err
	}
	if !o.Valid() && !opts.AllowProblems {
		return nil, o, fmt.Errorf("%w: %d problems", report.ErrInvalid, len(o.Problems))
	}
	if o.Document == nil {
		return nil, o, errors.New("fake: no document")
	}
	sum := sha256.Sum256(raw)
	magic := "%PDF-1.7\n"
	if format == report.DOCX {
		magic = "PK\x03\x04"
	}
	return fmt.Appendf([]byte(magic), "fake %s %x problems=%d\n", format, sum, len(o.Problems)), o, nil
}

// OutputPath names batch outputs as the annual report's template does
// (batch.Namer): {year}/{title}.
func (f *fakeEngine) OutputPath(raw []byte) ([]string, bool) {
	var data map[string]any
	if json.Unmarshal(raw, &data) != nil {
		return nil, false
	}
	organ, _ := data["organ"].(string)
	year, _ := data["year"].(float64)
	if organ == "" || year == 0 {
		return nil, false
	}
	y := strconv.Itoa(int(year))
	return []string{y, organ + y + "年度政府信息公开工作年度报告"}, true
}

func (f *fakeEngine) Templates() []report.TemplateInfo { return f.templates }

func (f *fakeEngine) Template(id string) (report.TemplateInfo, bool) {
	for _, t := range f.templates {
		if t.ID == id {
			return t, true
		}
	}
	return report.TemplateInfo{}, false
}

// NextYear answers with the example moved on a year; enough for the HTTP
// layer (the real mapping is the template's, tested in report).
func (f *fakeEngine) NextYear(ctx context.Context, previous []byte, opts report.Options) ([]byte, *report.Outcome, error) {
	o, err := f.Validate(ctx, previous, opts)
	if err != nil {
		return nil, o, err
	}
	return []byte(`{"organ":"𥔲嘉镇人民政府","year":2025}`), o, nil
}
