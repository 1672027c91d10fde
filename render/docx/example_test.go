package docx_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gongwen/internal/testkit"
	"gongwen/render"
	"gongwen/render/docx"
	"gongwen/report"
)

const exampleTemplate = "gov-info-disclosure-annual/2021"

var (
	exampleOnce sync.Once
	exampleDoc  *render.Document
	exampleErr  error
)

// exampleDocument runs the template's example report (the 𥔲嘉镇 2024
// report) through the real pipeline, once per test binary.
func exampleDocument(t testing.TB) *render.Document {
	t.Helper()
	exampleOnce.Do(func() {
		p, err := report.New(report.Config{})
		if err != nil {
			exampleErr = err
			return
		}
		info, ok := p.Template(exampleTemplate)
		if !ok {
			exampleErr = os.ErrNotExist
			return
		}
		opts := report.DefaultOptions()
		opts.Created = time.Date(2025, 1, 20, 0, 0, 0, 0, time.UTC)
		o, err := p.Validate(context.Background(), info.Example, opts)
		if err != nil {
			exampleErr = err
			return
		}
		if !o.Valid() || o.Document == nil {
			t.Errorf("example has problems: %v", o.Problems)
		}
		// The pipeline stamps the date in Render; Validate leaves it unset.
		o.Document.Meta.Created = opts.Created
		exampleDoc = o.Document
	})
	if exampleErr != nil {
		t.Fatalf("pipeline: %v", exampleErr)
	}
	if exampleDoc == nil {
		t.Fatal("pipeline built no document for the example")
	}
	return exampleDoc
}

func renderExample(t testing.TB) []byte {
	t.Helper()
	out, err := docx.Render(exampleDocument(t), docx.Options{})
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return out
}

// TestExampleGolden compares a readable projection of the example's
// document.xml and styles.xml with testdata/golden (go test -update
// rewrites them). A missing golden file fails.
func TestExampleGolden(t *testing.T) {
	parts := docx.Unzip(t, renderExample(t))
	for _, c := range []struct{ part, golden string }{
		{"word/document.xml", "ejia-2024.document.xml"},
		{"word/styles.xml", "ejia-2024.styles.xml"},
	} {
		got, err := docx.NormalizedXML(parts[c.part])
		if err != nil {
			t.Fatalf("%s: %v", c.part, err)
		}
		testkit.Golden(t, filepath.Join("testdata", "golden", c.golden), got)
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestExampleSizeAndDeterminism(t *testing.T) {
	a := renderExample(t)
	b := renderExample(t)
	if !bytes.Equal(a, b) {
		t.Fatal("the example rendered to different bytes")
	}
	if len(a) > 30<<10 {
		t.Errorf("example DOCX is %d bytes, budget 30 KB", len(a))
	}
	t.Logf("example DOCX: %d bytes", len(a))
}

func BenchmarkRenderExample(b *testing.B) {
	d := exampleDocument(b)
	var size int
	for b.Loop() {
		out, err := docx.Render(d, docx.Options{})
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "bytes/doc")
}
