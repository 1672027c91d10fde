package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongwen/internal/testkit"
	"gongwen/problem"
	"gongwen/report"
)

var (
	pipeOnce sync.Once
	pipe     *report.Pipeline
	pipeErr  error
)

func pipeline(t testing.TB) *report.Pipeline {
	t.Helper()
	pipeOnce.Do(func() { pipe, pipeErr = report.New(report.Config{}) })
	if pipeErr != nil {
		t.Fatal(pipeErr)
	}
	return pipe
}

func example(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("../templates/gov-info-disclosure-annual/2021/example.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// edit applies a function to the decoded example and re-encodes it.
func edit(t *testing.T, fn func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(example(t), &m); err != nil {
		t.Fatal(err)
	}
	fn(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func obj(m map[string]any, path ...string) map[string]any {
	for _, p := range path {
		m = m[p].(map[string]any)
	}
	return m
}

func hasChinese(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff })
}

func TestExampleIsValid(t *testing.T) {
	out, err := pipeline(t).Validate(context.Background(), example(t), report.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !out.Valid() || out.Document == nil {
		t.Fatalf("example invalid: %+v", out.Problems)
	}
	if out.FileName != "𥔲嘉镇人民政府2024年度政府信息公开工作年度报告" {
		t.Errorf("file name %q", out.FileName)
	}
}

// TestMalformedInput: every kind of malformed input gives an error at the
// exact place with a Chinese message — never a panic, never a document.
func TestMalformedInput(t *testing.T) {
	long := strings.Repeat("长", 20001)
	tests := []struct {
		name    string
		input   []byte
		path    string
		rule    string
		wantErr error // nil: an invalid report (422), not malformed
	}{
		{"not JSON", []byte("organ: 𥔲嘉镇"), "", "json", report.ErrMalformed},
		{"empty", []byte(""), "", "json", report.ErrMalformed},
		{"truncated", example(t)[:200], "", "json", report.ErrMalformed},
		{"top-level array", []byte(`[1,2]`), "", "json", report.ErrMalformed},
		{"trailing data", append(example(t), []byte(` {}`)...), "", "json", report.ErrMalformed},
		{"wrong type: year as string", edit(t, func(m map[string]any) { m["year"] = "2024年" }), "/year", "schema", nil},
		{"wrong type: count as text", edit(t, func(m map[string]any) { obj(m, "requests", "newlyReceived")["natural"] = "三" }), "/requests/newlyReceived/natural", "schema", nil},
		{"wrong type: count fractional", edit(t, func(m map[string]any) { obj(m, "proactive")["punishment"] = 1.5 }), "/proactive/punishment", "schema", nil},
		{"negative count", edit(t, func(m map[string]any) { obj(m, "reviewLitigation", "review")["upheld"] = -1 }), "/reviewLitigation/review/upheld", "schema", nil},
		{"negative amount", edit(t, func(m map[string]any) { obj(m, "proactive")["fees"] = "-0.5" }), "/proactive/fees", "schema", nil},
		{"unknown key", edit(t, func(m map[string]any) { obj(m, "requests", "carriedOver")["naturall"] = 0 }), "/requests/carriedOver/naturall", "schema", nil},
		{"missing required", edit(t, func(m map[string]any) { delete(m, "problems") }), "/problems", "schema", nil},
		{"empty overview", edit(t, func(m map[string]any) { m["overview"] = []any{} }), "/overview", "schema", nil},
		{"oversized text", edit(t, func(m map[string]any) { m["overview"].([]any)[0].(map[string]any)["text"] = long }), "/overview/0/text", "schema", nil},
		{"year out of range", edit(t, func(m map[string]any) { m["year"] = 1999 }), "/year", "schema", nil},
		{"bad date", edit(t, func(m map[string]any) { m["signature"] = map[string]any{"date": "2025-02-30"} }), "/signature/date", "schema", nil},
		{"absurd nesting", []byte(`{"organ":"x","extra":` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`), "/extra/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0", "json", nil},
		{"NUL character", bytes.Replace(example(t), []byte(`"𥔲嘉镇人民政府"`), []byte(`"𥔲嘉镇\u0000人民政府"`), 1), "/organ", "json", nil},
		{"control character", bytes.Replace(example(t), []byte(`"2024年,我单位`), []byte(`"2024年\u001b我单位`), 1), "/otherMatters/0/text", "json", nil},
		{"lone surrogate", bytes.Replace(example(t), []byte(`"𥔲嘉镇人民政府"`), []byte(`"\ud855嘉镇人民政府"`), 1), "/organ", "json", nil},
		{"invalid UTF-8", bytes.Replace(example(t), []byte("嘉镇人民政府\""), []byte("嘉镇\xff人民政府\""), 1), "/organ", "json", nil},
		{"duplicate key", bytes.Replace(example(t), []byte(`"year": 2024,`), []byte(`"year": 2024, "year": 2025,`), 1), "/year", "json", nil},
		{"unknown template", edit(t, func(m map[string]any) { m["template"] = "no-such/1" }), "/template", "template", report.ErrUnknownTemplate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := pipeline(t).Validate(context.Background(), tt.input, report.DefaultOptions())
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatalf("err = %v, want an invalid outcome", err)
			}
			if out == nil {
				t.Fatal("no outcome")
			}
			if out.Valid() {
				t.Fatalf("outcome is valid")
			}
			found := false
			for _, p := range out.Problems {
				if p.Severity == problem.Error && p.Path == tt.path && p.Rule == tt.rule {
					found = true
					if !hasChinese(p.Message) {
						t.Errorf("message %q is not Chinese", p.Message)
					}
					if len(p.Message) > 2000 {
						t.Errorf("message is %d bytes long", len(p.Message))
					}
				}
			}
			if !found {
				t.Errorf("no %s problem at %q; got %+v", tt.rule, tt.path, out.Problems)
			}
			// Nothing invalid ever renders, even when asked to allow problems
			// for table arithmetic.
			opts := report.DefaultOptions()
			opts.AllowProblems = true
			if b, _, err := pipeline(t).Render(context.Background(), tt.input, report.DOCX, opts); err == nil || b != nil {
				t.Errorf("rendered malformed input")
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	p, err := report.New(report.Config{MaxInputBytes: 1000})
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Validate(context.Background(), example(t), report.DefaultOptions())
	if !errors.Is(err, report.ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

func TestEnglishMessages(t *testing.T) {
	in := edit(t, func(m map[string]any) { obj(m, "requests", "results", "total")["natural"] = 1 })
	opts := report.DefaultOptions()
	opts.Lang = "en"
	out, err := pipeline(t).Validate(context.Background(), in, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range out.Problems {
		if p.Rule == "R1" && !strings.HasPrefix(p.Message, "Table 3") {
			t.Errorf("R1 message not English: %q", p.Message)
		}
	}
}

func TestPunctuationOption(t *testing.T) {
	opts := report.DefaultOptions()
	out, _ := pipeline(t).Validate(context.Background(), example(t), opts)
	notices := 0
	for _, p := range out.Problems {
		if p.Rule == "punctuation" {
			notices++
			if p.Severity != problem.Notice {
				t.Errorf("punctuation is %s, want notice", p.Severity)
			}
		}
	}
	if notices == 0 {
		t.Error("example's ASCII commas gave no notice")
	}
	if !strings.Contains(docText(out), "（一）主动公开情况。") {
		t.Error("run-in heading not normalised")
	}
	opts.NormalizePunctuation = false
	out, _ = pipeline(t).Validate(context.Background(), example(t), opts)
	if !strings.Contains(docText(out), "(一)主动公开情况。") {
		t.Error("punctuation changed although the option is off")
	}
}

func docText(o *report.Outcome) string {
	var b strings.Builder
	_ = renderDump(&b, o)
	return b.String()
}

func TestCoverageProblem(t *testing.T) {
	if pipeline(t).Fonts() == nil {
		testkit.Missing(t, "font book (scripts/setup-fonts.sh)")
	}
	in := edit(t, func(m map[string]any) {
		m["overview"].([]any)[0].(map[string]any)["text"] = "私用区字符\U000F0001无字体"
	})
	out, err := pipeline(t).Validate(context.Background(), in, report.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range out.Problems {
		if p.Rule == "font" && p.Path == "/overview/0" && strings.Contains(p.Message, "U+F0001") {
			return
		}
	}
	t.Fatalf("no font problem naming U+F0001: %+v", out.Problems)
}

func TestAllowProblemsRecordsIt(t *testing.T) {
	in := edit(t, func(m map[string]any) { obj(m, "requests", "results", "total")["natural"] = 1 })
	_, out, err := pipeline(t).Render(context.Background(), in, report.DOCX, report.DefaultOptions())
	if !errors.Is(err, report.ErrInvalid) || out == nil {
		t.Fatalf("err = %v, want ErrInvalid with outcome", err)
	}
	opts := report.DefaultOptions()
	opts.AllowProblems = true
	p, err := report.New(report.Config{Renderers: map[report.Format]report.Renderer{
		report.DOCX: report.RendererFunc(func(r *report.Request) ([]byte, error) { return []byte(strings.Join(r.Document.Meta.Notes, ";")), nil }),
	}})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := p.Render(context.Background(), in, report.DOCX, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "rendered with unresolved problems") {
		t.Errorf("notes = %q", b)
	}
}

func FuzzValidate(f *testing.F) {
	f.Add(example(f))
	f.Add([]byte(`{"organ":"𥔲","year":2024,"overview":[{"text":"a\nb"}],"proactive":{},"problems":[{"heading":"(一)","text":""}]}`))
	f.Add([]byte(`{"requests":{"results":{"total":null}}}`))
	f.Add([]byte(`{"year":1e400}`))
	p := pipeline(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := p.Validate(context.Background(), in, report.DefaultOptions())
		if err == nil && out == nil {
			t.Fatal("nil outcome without error")
		}
		if out != nil && out.Valid() && out.Document == nil {
			t.Fatal("valid outcome without a document")
		}
		if out != nil && out.Document != nil {
			var b bytes.Buffer
			if err := renderDump(&b, out); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestRenderOutcomeTwiceAddsTheNoteOnce(t *testing.T) {
	in := edit(t, func(m map[string]any) { obj(m, "requests", "results", "total")["natural"] = 1 })
	p, err := report.New(report.Config{Renderers: map[report.Format]report.Renderer{
		report.DOCX: report.RendererFunc(func(r *report.Request) ([]byte, error) { return []byte(strings.Join(r.Document.Meta.Notes, ";")), nil }),
		report.PDF:  report.RendererFunc(func(r *report.Request) ([]byte, error) { return []byte(strings.Join(r.Document.Meta.Notes, ";")), nil }),
	}})
	if err != nil {
		t.Fatal(err)
	}
	opts := report.DefaultOptions()
	opts.AllowProblems = true
	out, err := p.Validate(context.Background(), in, opts)
	if err != nil {
		t.Fatal(err)
	}
	a, err := p.RenderOutcome(context.Background(), out, report.PDF, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.RenderOutcome(context.Background(), out, report.DOCX, opts)
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) || strings.Count(string(b), "unresolved") != 1 || len(out.Document.Meta.Notes) != 0 {
		t.Errorf("notes %q / %q; outcome notes %q", a, b, out.Document.Meta.Notes)
	}
	opts.AllowProblems = false
	if _, err := p.RenderOutcome(context.Background(), out, report.PDF, opts); !errors.Is(err, report.ErrInvalid) {
		t.Errorf("err = %v, want ErrInvalid", err)
	}
}

// The whole pipeline per request, warm: parse, validate, defaults, rules,
// model, coverage check, layout, subset fonts, PDF, DOCX or OFD.
func BenchmarkPipeline(b *testing.B) {
	raw := example(b)
	for _, f := range []report.Format{report.PDF, report.DOCX, report.OFD} {
		b.Run(string(f), func(b *testing.B) {
			p := pipeline(b)
			if _, _, err := p.Render(context.Background(), raw, f, report.DefaultOptions()); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := p.Render(context.Background(), raw, f, report.DefaultOptions()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("validate", func(b *testing.B) {
		p := pipeline(b)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.Validate(context.Background(), raw, report.DefaultOptions()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestEncodingAndInvisibleCharacters(t *testing.T) {
	// Windows Notepad's UTF-8 byte order mark is accepted.
	bom := append([]byte("\uFEFF"), example(t)...)
	if out, err := pipeline(t).Validate(context.Background(), bom, report.DefaultOptions()); err != nil || !out.Valid() {
		t.Fatalf("BOM: %v %+v", err, out)
	}
	// A GBK file gets one clear message, not a U+FFFD complaint per string.
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes(example(t))
	if err != nil {
		t.Fatal(err)
	}
	out, err := pipeline(t).Validate(context.Background(), gbk, report.DefaultOptions())
	if !errors.Is(err, report.ErrMalformed) || out == nil || len(out.Problems) != 1 || !strings.Contains(out.Problems[0].Message, "UTF-8") {
		t.Fatalf("GBK: %v %+v", err, out)
	}
	// Zero-width characters pasted from Word are removed with a notice.
	in := edit(t, func(m map[string]any) { m["organ"] = "𥔲嘉镇\u200b人民\ufeff政府" })
	out, err = pipeline(t).Validate(context.Background(), in, report.DefaultOptions())
	if err != nil || !out.Valid() {
		t.Fatalf("zero-width: %v %+v", err, out)
	}
	if out.Document.Meta.Author != "𥔲嘉镇人民政府" {
		t.Errorf("organ = %q", out.Document.Meta.Author)
	}
	found := false
	for _, p := range out.Problems {
		found = found || (p.Rule == "invisible" && p.Path == "/organ" && p.Severity == problem.Notice)
	}
	if !found {
		t.Errorf("no notice for removed characters: %+v", out.Problems)
	}
}

func TestProblemsAreCapped(t *testing.T) {
	in := edit(t, func(m map[string]any) {
		for i := range 5000 {
			m[fmt.Sprintf("typo%d", i)] = 0
		}
		obj(m, "requests", "results", "total")["natural"] = 1
	})
	out, err := pipeline(t).Validate(context.Background(), in, report.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	// At most MaxProblems, fewer when they reach MaxProblemBytes first (each
	// unknown key's message lists the valid fields).
	if n := len(out.Problems); n > report.MaxProblems+1 || n < 100 {
		t.Fatalf("%d problems, want 100 to %d", n, report.MaxProblems+1)
	}
	last := out.Problems[len(out.Problems)-1]
	if last.Rule != "limit" || last.Severity != problem.Error || !strings.Contains(last.Message, "未列出") {
		t.Errorf("last problem = %+v", last)
	}
	for _, p := range out.Problems[:len(out.Problems)-1] {
		if p.Severity != problem.Error {
			t.Errorf("a %s was kept while errors were dropped", p.Severity)
		}
	}
}
