package ofd_test

import (
	"syscall"
	"testing"

	"gongwen/gen/reportgen"
	"gongwen/render"
	"gongwen/render/ofd"
	"gongwen/render/pdf"
)

// BenchmarkRender renders the example and generated reports, in turn, as
// OFD and as PDF with the same font book: the OFD should cost no more than
// the PDF (both lay out once and embed the same subsets).
func BenchmarkRender(b *testing.B) {
	docs := []*render.Document{reportDocument(b, exampleJSON(b))}
	for i := range 7 {
		docs = append(docs, reportDocument(b, reportgen.Generate(77, i).JSON()))
	}
	or := renderer(b)
	pr, err := pdf.Default()
	if err != nil {
		b.Fatal(err)
	}
	formats := []struct {
		name   string
		render func(*render.Document) ([]byte, error)
	}{
		{"ofd", func(d *render.Document) ([]byte, error) { return or.Render(d, ofd.Options{}) }},
		{"pdf", func(d *render.Document) ([]byte, error) { return pr.Render(d, pdf.Options{}) }},
	}
	// Formats alternate within each set, so that both see the same load on a
	// shared machine.
	for _, set := range []struct {
		name string
		docs []*render.Document
	}{{"example", docs[:1]}, {"generated", docs[1:]}} {
		for _, f := range formats {
			b.Run(set.name+"/"+f.name, func(b *testing.B) {
				size := 0
				for _, d := range set.docs { // warm the font caches, as a server is
					out, err := f.render(d)
					if err != nil {
						b.Fatal(err)
					}
					size += len(out)
				}
				b.ReportAllocs()
				cpu := cpuTime()
				i := 0
				for b.Loop() {
					if _, err := f.render(set.docs[i%len(set.docs)]); err != nil {
						b.Fatal(err)
					}
					i++
				}
				// CPU time is steadier than wall time on a shared machine.
				b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
				b.ReportMetric(float64(size)/float64(len(set.docs)), "bytes/file")
			})
		}
	}
}

// cpuTime is the process's user+system CPU time in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
