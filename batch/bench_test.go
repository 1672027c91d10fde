package batch

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"gongwen/report"
)

// BenchmarkRunReal renders generated reports to PDF and DOCX with the real
// engine into a fresh directory per iteration; reports/s is the figure
// that matters (make bench-batch runs the full 1,000-report check).
func BenchmarkRunReal(b *testing.B) {
	engine, err := report.New(report.Config{})
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	const n = 100
	writeInputs(b, dir, 1, n)
	in := filepath.Join(dir, "in")
	i := 0
	for b.Loop() {
		out := filepath.Join(dir, "out", string(rune('a'+i%26)))
		os.RemoveAll(out)
		i++
		src, err := OpenInputs([]string{in}, nil, nil, Limits{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Run(context.Background(), src, Config{Engine: engine, OutDir: out}); err != nil {
			b.Fatal(err)
		}
		src.Close()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "reports/s")
}
