package templates_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gongwen/problem"
	"gongwen/report"
	"gongwen/templates"
)

// The six templates are listed, and every example of each (example.json
// and any example-*.json) renders to PDF and DOCX with no error and no
// warning.
func TestEveryExampleRenders(t *testing.T) {
	reg, err := templates.Load()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"gbt9704/document", "gbt9704/letter", "gbt9704/minutes", "gbt9704/order",
		"gov-info-disclosure-annual/2019", "gov-info-disclosure-annual/2021"}
	if got := reg.IDs(); !slices.Equal(got, want) {
		t.Errorf("templates %v, want %v", got, want)
	}
	p, err := report.New(report.Config{})
	if err != nil {
		t.Fatal(err)
	}
	examples, _ := filepath.Glob("*/*/example*.json")
	if len(examples) < 10 {
		t.Fatalf("only %d examples: %v", len(examples), examples)
	}
	for _, ex := range examples {
		raw, err := os.ReadFile(ex)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []report.Format{report.PDF, report.DOCX} {
			b, out, err := p.Render(context.Background(), raw, f, report.DefaultOptions())
			if err != nil {
				t.Errorf("%s → %s: %v", ex, f, err)
				continue
			}
			if !strings.HasPrefix(ex, out.TemplateID+"/") {
				t.Errorf("%s rendered with %s", ex, out.TemplateID)
			}
			for _, pr := range out.Problems {
				if pr.Severity != problem.Notice {
					t.Errorf("%s: %s %s %s", ex, pr.Severity, pr.Path, pr.Message)
				}
			}
			if len(b) < 1000 {
				t.Errorf("%s → %s: %d bytes", ex, f, len(b))
			}
		}
	}
}
