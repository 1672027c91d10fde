package main

import (
	"context"
	"testing"

	"gongwen/report"
	"gongwen/templates"
)

// fontShares must find every embedded font of a real render, and their
// bytes must be most, but not more than all, of the file.
func TestFontShares(t *testing.T) {
	p, err := report.New(report.Config{})
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := p.Template(templates.DefaultID)
	out, _, err := p.Render(context.Background(), tpl.Example, report.PDF, report.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	shares := fontShares(out)
	if len(shares) < 3 {
		t.Fatalf("found %d fonts: %+v", len(shares), shares)
	}
	total := 0
	for _, s := range shares {
		if s.name == "" || s.bytes < 1000 {
			t.Errorf("font %+v", s)
		}
		total += s.bytes
	}
	if total > len(out) || total < len(out)/2 {
		t.Errorf("fonts %d bytes of %d", total, len(out))
	}
}
