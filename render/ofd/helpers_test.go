package ofd_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
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

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// pdfPageCount is the page count pdfinfo reports for a PDF.
func pdfPageCount(t testing.TB, b []byte) int {
	t.Helper()
	path := filepath.Join(t.TempDir(), "count.pdf")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(testkit.Tool(t, "pdfinfo"), path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "Pages:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				t.Fatalf("pdfinfo: %q", line)
			}
			return n
		}
	}
	t.Fatalf("pdfinfo printed no page count:\n%s", out)
	return 0
}
