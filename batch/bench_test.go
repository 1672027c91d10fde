package batch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// BenchmarkManifestCheckpoint encodes the manifest of a 100,000-report
// archive, what a checkpoint costs at the end of a national batch.
func BenchmarkManifestCheckpoint(b *testing.B) {
	entries := make([]Entry, 100_000)
	for i := range entries {
		entries[i] = Entry{Path: "archive/2024/report-000000.json", SHA256: strings.Repeat("ab", 32), Size: 9000,
			Template: "gov-info-disclosure-annual/2021", Status: StatusRendered,
			Outputs: []Output{{report.PDF, "2024/𥔲嘉镇人民政府-2024年度政府信息公开工作年度报告.pdf", strings.Repeat("cd", 32), 200000, "a-2b", "", ""},
				{report.DOCX, "2024/𥔲嘉镇人民政府-2024年度政府信息公开工作年度报告.docx", strings.Repeat("ef", 32), 12000, "", "", report.DOCXFontsEmbedded}}}
	}
	for b.Loop() {
		data, err := newManifest("gongwen test", Settings{}, slices.Clone(entries), false).Encode()
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(data)))
	}
}
