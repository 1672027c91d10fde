package report_test

import (
	"context"
	"strings"
	"testing"

	"gongwen/render"
	"gongwen/report"
)

func cellsByPath(d *render.Document) map[string]string {
	out := map[string]string{}
	for _, b := range d.Blocks {
		if tb, ok := b.(*render.Table); ok {
			for _, r := range tb.Rows {
				for _, c := range r.Cells {
					if c.Path != "" {
						out[c.Path] = c.Text
					}
				}
			}
		}
	}
	return out
}

// Counts print as integers in their canonical form, however the JSON
// wrote them; amounts keep their written form; a count with a fraction is
// refused at its place in Chinese (issue 14 item 28).
func TestCountsPrintAsIntegers(t *testing.T) {
	src := string(example(t))
	replace := func(s, old, new string) string {
		if !strings.Contains(s, old) {
			t.Fatalf("example lacks %q", old)
		}
		return strings.Replace(s, old, new, 1)
	}
	src = replace(src, `"licensing": 0,`, `"licensing": -0,`)
	src = replace(src, `"punishment": 1,`, `"punishment": 1.0,`)
	src = replace(src, `"coercion": 0,`, `"coercion": -0.0,`)
	src = replace(src, `"fees": 0`, `"fees": 12.50`)
	src = replace(src, `"inForce": 0`, `"inForce": 1e2`)
	out, err := pipeline(t).Validate(context.Background(), []byte(src), report.DefaultOptions())
	if err != nil || out.Document == nil {
		t.Fatalf("%v %+v", err, out.Problems)
	}
	cells := cellsByPath(out.Document)
	for path, want := range map[string]string{
		"/proactive/licensing": "0", "/proactive/punishment": "1", "/proactive/coercion": "0",
		"/proactive/regulations/inForce": "100", "/proactive/fees": "12.50",
	} {
		if got, ok := cells[path]; !ok || got != want {
			t.Errorf("%s prints %q, want %q", path, got, want)
		}
	}
	frac := replace(string(example(t)), `"licensing": 0,`, `"licensing": 2.5,`)
	out, err = pipeline(t).Validate(context.Background(), []byte(frac), report.DefaultOptions())
	if err != nil || out.Valid() {
		t.Fatalf("a count of 2.5 was accepted: %v", err)
	}
	found := false
	for _, p := range out.Problems {
		if p.Path == "/proactive/licensing" && strings.Contains(p.Message, "整数") {
			found = true
		}
	}
	if !found {
		t.Errorf("no located Chinese message for the fraction: %+v", out.Problems)
	}
}
