package ofd_test

import (
	"context"
	"flag"
	"os"
	"testing"
	"unicode"

	"gongwen/internal/testkit"
	"gongwen/render"
	"gongwen/render/ofd"
	"gongwen/report"
)

// renderer is the process font book's renderer, or a skip (a failure under
// GONGWEN_REQUIRE_TOOLS) without fonts.
func renderer(t testing.TB) *ofd.Renderer {
	t.Helper()
	r, err := ofd.Default()
	if err != nil {
		testkit.Missing(t, "font book (scripts/setup-fonts.sh): %v", err)
	}
	return r
}

// reportDocument builds a document from report JSON with the real pipeline.
func reportDocument(t testing.TB, raw []byte) *render.Document {
	t.Helper()
	p, err := report.New(report.Config{})
	if err != nil {
		t.Fatalf("report.New: %v", err)
	}
	out, err := p.Validate(context.Background(), raw, report.DefaultOptions())
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if out.Document == nil {
		t.Fatalf("no document; problems: %v", out.Problems)
	}
	return out.Document
}

// exampleJSON is the shared example report.
func exampleJSON(t testing.TB) []byte {
	t.Helper()
	raw, err := os.ReadFile(testkit.Shared(t, "examples/ejia-2024.json"))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

var keep = flag.String("keep", "", "directory to write rendered OFDs into, for looking at them")

func isSpace(r rune) bool { return unicode.IsSpace(r) }
