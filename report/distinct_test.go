package report_test

import (
	"context"
	"sync/atomic"
	"testing"

	"gongwen/gen/reportgen"
	"gongwen/report"
)

// distinctIndex numbers the generated reports of the distinct benchmarks
// across sub-benchmarks and -count runs: a report is never rendered twice
// by one process, so no subset or compressed font program of an earlier
// render is found in the font book's cache (what BenchmarkPipeline, which
// re-renders the example, measures instead).
var distinctIndex atomic.Int64

// distinctReports generates n reports not yet rendered, outside the timer.
func distinctReports(b *testing.B, n int) [][]byte {
	b.Helper()
	b.StopTimer()
	defer b.StartTimer()
	out := make([][]byte, n)
	for i := range out {
		out[i] = reportgen.Generate(15, int(distinctIndex.Add(1))).JSON()
	}
	return out
}

// BenchmarkDistinct is issue 15's warm measure as a testing.B: the whole
// pipeline over reports that differ in every paragraph and count, and its
// two halves (validation, which builds the document; rendering a
// validated outcome); DOCX with fonts embedded and named only.
func BenchmarkDistinct(b *testing.B) {
	ctx := context.Background()
	opts := report.DefaultOptions()
	p := pipeline(b)
	// Warm-up as a long-running server has it: templates compiled, glyphs
	// of the common characters parsed.
	for _, raw := range distinctReports(b, 10) {
		for _, f := range []report.Format{report.PDF, report.DOCX} {
			if _, _, err := p.Render(ctx, raw, f, opts); err != nil {
				b.Fatal(err)
			}
		}
	}
	const batch = 64
	named := report.DefaultOptions()
	named.DOCXFonts = report.DOCXFontsNamed
	for _, row := range []struct {
		name string
		f    report.Format
		opts report.Options
	}{
		{"pdf", report.PDF, opts}, {"docx", report.DOCX, opts},
		{"docx-named", report.DOCX, named}, // --docx-fonts named: no font made or compressed
	} {
		f, opts := row.f, row.opts
		b.Run(row.name, func(b *testing.B) {
			b.ReportAllocs()
			var in [][]byte
			for b.Loop() {
				if len(in) == 0 {
					in = distinctReports(b, batch)
				}
				if _, _, err := p.Render(ctx, in[0], f, opts); err != nil {
					b.Fatal(err)
				}
				in = in[1:]
			}
		})
		b.Run(row.name+"-outcome", func(b *testing.B) {
			b.ReportAllocs()
			var in []*report.Outcome
			for b.Loop() {
				if len(in) == 0 {
					raws := distinctReports(b, batch)
					b.StopTimer()
					for _, raw := range raws {
						out, err := p.Validate(ctx, raw, opts)
						if err != nil {
							b.Fatal(err)
						}
						in = append(in, out)
					}
					b.StartTimer()
				}
				if _, err := p.RenderOutcome(ctx, in[0], f, opts); err != nil {
					b.Fatal(err)
				}
				in = in[1:]
			}
		})
	}
	b.Run("validate", func(b *testing.B) {
		b.ReportAllocs()
		var in [][]byte
		for b.Loop() {
			if len(in) == 0 {
				in = distinctReports(b, batch)
			}
			if _, err := p.Validate(ctx, in[0], opts); err != nil {
				b.Fatal(err)
			}
			in = in[1:]
		}
	})
}
