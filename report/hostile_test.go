package report_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"gongwen/report"
)

// hugeCounts is the example report with every number written 1e1000000
// (9.5 KB, 201 numbers): before issue 14 item 23 it took tens of seconds
// and answered with 200 MB of digits.
func hugeCounts(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/huge-counts.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A tiny request never gets a huge answer: the refused numbers are named
// once each, clipped, and the whole problem list is bounded (item 23).
func TestHugeNumbersAnswerSmallAndFast(t *testing.T) {
	p := pipeline(t)
	raw := hugeCounts(t)
	for _, lang := range []string{"zh", "en"} {
		start := time.Now()
		out, err := p.Validate(context.Background(), raw, report.Options{Lang: lang})
		took := time.Since(start)
		if err != nil || out == nil {
			t.Fatalf("%s: %v", lang, err)
		}
		b, _ := json.Marshal(out.Problems)
		if took > 500*time.Millisecond || len(b) > 56<<10 {
			t.Errorf("%s: %v, %d bytes of problems; want well under a second and 56 KB", lang, took, len(b))
		}
		if out.Document != nil || out.Valid() {
			t.Errorf("%s: a report of refused numbers produced a document", lang)
		}
		named := 0
		for _, pr := range out.Problems {
			if strings.Contains(pr.Message, "1e1000000") {
				named++
			}
			if pr.Rule == "schema" && pr.Path == "/year" {
				t.Errorf("%s: the refused year is reported twice: %s", lang, pr.Message)
			}
		}
		if named == 0 {
			t.Errorf("%s: no message names the number as written", lang)
		}
	}
	if _, _, err := p.Render(context.Background(), raw, report.DOCX, report.Options{AllowProblems: true}); err == nil {
		t.Error("rendered a report whose numbers were refused")
	}
}

// The problem list is bounded in bytes too, not only in count.
func TestProblemListBoundedInBytes(t *testing.T) {
	var m map[string]any
	if err := json.Unmarshal(example(t), &m); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("长", 500)
	for i := range 150 { // 150 unknown keys with long names: each message echoes a clipped name
		m[long+strings.Repeat("x", i)] = 1
	}
	raw, _ := json.Marshal(m)
	out, _ := pipeline(t).Validate(context.Background(), raw, report.Options{})
	b, _ := json.Marshal(out.Problems)
	if len(b) > report.MaxProblemBytes+8<<10 || out.Problems[len(out.Problems)-1].Rule != "limit" {
		t.Errorf("%d problems in %d bytes; want at most about %d and a closing limit notice", len(out.Problems), len(b), report.MaxProblemBytes)
	}
}
