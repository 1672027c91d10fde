package main

import (
	"context"
	"testing"

	"gongwen/render/pdf"
	"gongwen/report"
	"gongwen/templates"
)

// fontShares must find every embedded font of a real render, and their
// bytes must be most, but not more than all, of the file: in a PDF/A-2b
// file (descriptors inside the object stream) and a PDF/A-1b one (every
// object whole).
func TestFontShares(t *testing.T) {
	p, err := report.New(report.Config{})
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := p.Template(templates.DefaultID)
	for _, std := range []pdf.Standard{pdf.StandardA2b, pdf.StandardA1b} {
		opts := report.DefaultOptions()
		opts.PDFStandard = std
		out, _, err := p.Render(context.Background(), tpl.Example, report.PDF, opts)
		if err != nil {
			t.Fatal(err)
		}
		shares := fontShares(out)
		if len(shares) < 3 {
			t.Fatalf("%s: found %d fonts: %+v", std, len(shares), shares)
		}
		total := 0
		for _, s := range shares {
			if s.name == "" || s.bytes < 1000 {
				t.Errorf("%s: font %+v", std, s)
			}
			total += s.bytes
		}
		if total > len(out) || total < len(out)/2 {
			t.Errorf("%s: fonts %d bytes of %d", std, total, len(out))
		}
	}
}
