package batch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"time"

	"gongwen/problem"
	"gongwen/report"
)

// fixedNow is the clock of tests that compare runs byte for byte: a run
// takes its document date from it when nothing else gives one.
func fixedNow() time.Time { return time.Date(2025, 1, 20, 9, 30, 0, 0, time.UTC) }

// fakeEngine stands in for report.Pipeline in unit tests: deterministic
// outputs derived from the input, an error problem for reports carrying
// "fakeError", a panic for "fakePanic", malformed for non-objects.
type fakeEngine struct {
	delay time.Duration
	size  int // output size in bytes (larger outputs make a SIGKILL land mid-write)
}

func (f *fakeEngine) Validate(ctx context.Context, raw []byte, opts report.Options) (*report.Outcome, error) {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%w: %v", report.ErrMalformed, err)
	}
	o := &report.Outcome{TemplateID: "gov-info-disclosure-annual/2021", Data: m}
	if t, ok := m["template"].(string); ok {
		if t != o.TemplateID {
			return nil, fmt.Errorf("%w: %s", report.ErrUnknownTemplate, t)
		}
	}
	if _, ok := m["fakeError"]; ok {
		o.Problems = append(o.Problems, problem.Problem{Severity: problem.Error, Rule: "R1", Path: "/requests/results/total/natural",
			Message: "表三 第一列“自然人”：一（0）＋二（0）应等于（七）总计（0）＋四（1）", Expected: 1, Actual: 0})
	}
	if _, ok := m["fakeWarning"]; ok {
		o.Problems = append(o.Problems, problem.Problem{Severity: problem.Warning, Rule: "prose", Path: "/overview/0/text", Message: "正文数字与表格不一致"})
	}
	if _, ok := m["fakePanic"]; ok {
		panic("fake engine: panic requested")
	}
	return o, nil
}

func (f *fakeEngine) Render(ctx context.Context, raw []byte, format report.Format, opts report.Options) ([]byte, *report.Outcome, error) {
	o, err := f.Validate(ctx, raw, opts)
	if err != nil {
		return nil, o, err
	}
	if !o.Valid() && !opts.AllowProblems {
		return nil, o, report.ErrInvalid
	}
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return nil, o, ctx.Err()
		}
	}
	return fakeOutput(raw, format, f.size), o, nil
}

func fakeOutput(raw []byte, format report.Format, size int) []byte {
	sum := sha256.Sum256(append([]byte(format), raw...))
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %x\n", format, sum)
	for b.Len() < size {
		b.Write(sum[:])
	}
	b.WriteString("%%EOF\n")
	return b.Bytes()
}

// OutputPath names outputs as the annual report's template does
// (batch.Namer): {year}/{organ}-{year}年度政府信息公开工作年度报告.
func (f *fakeEngine) OutputPath(raw []byte) ([]string, bool) {
	var head struct {
		Organ any `json:"organ"`
		Year  any `json:"year"`
	}
	if json.Unmarshal(raw, &head) != nil {
		return nil, false
	}
	organ, _ := head.Organ.(string)
	year, _ := head.Year.(float64)
	if organ == "" || year < 2008 || year > 2100 || year != float64(int(year)) {
		return nil, false
	}
	y := fmt.Sprint(int(year))
	return []string{y, organ + "-" + y + "年度政府信息公开工作年度报告"}, true
}

func (f *fakeEngine) Templates() []report.TemplateInfo { return nil }

func (f *fakeEngine) Template(id string) (report.TemplateInfo, bool) {
	return report.TemplateInfo{}, false
}

// outcomeEngine also implements OutcomeRenderer and counts validations.
type outcomeEngine struct {
	fakeEngine
	validations atomic.Int64
}

func (o *outcomeEngine) Render(ctx context.Context, raw []byte, f report.Format, opts report.Options) ([]byte, *report.Outcome, error) {
	o.validations.Add(1)
	return o.fakeEngine.Render(ctx, raw, f, opts)
}

func (o *outcomeEngine) RenderOutcome(ctx context.Context, out *report.Outcome, f report.Format, opts report.Options) ([]byte, error) {
	raw, _ := json.Marshal(out.Data)
	return fakeOutput(raw, f, 0), nil
}
