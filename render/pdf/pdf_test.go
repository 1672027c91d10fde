package pdf

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gongwen/render/layout/layouttest"
)

var (
	update = flag.Bool("update", false, "rewrite golden files")
	keep   = flag.String("keep", "", "directory to write rendered PDFs into, for looking at them")
)

func renderer(t testing.TB) *Renderer {
	t.Helper()
	r, err := Default()
	if err != nil {
		t.Skipf("no font book: %v", err)
	}
	return r
}

// needTool returns the path of an external checker, skipping the test when
// it is missing unless GONGWEN_REQUIRE_TOOLS is set.
func needTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("GONGWEN_REQUIRE_TOOLS") != "" {
			t.Fatalf("%s is required (GONGWEN_REQUIRE_TOOLS is set) but missing: %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	dir := t.TempDir()
	if *keep != "" {
		dir = *keep
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(needTool(t, name), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out.String(), errb.String())
	}
	return out.String()
}

func TestSampleRenders(t *testing.T) {
	r := renderer(t)
	doc := layouttest.Sample()
	out, err := r.Render(doc, Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	p := writeTemp(t, "sample.pdf", out)
	text := run(t, "pdftotext", "-layout", p, "-")
	t.Log(text)
	t.Log(run(t, "pdffonts", p))
	run(t, "qpdf", "--check", p)
}
