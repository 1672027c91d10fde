package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The flags that shape the file: a bad value is a usage error (exit 2)
// naming the flag and what it accepts, before any work.
func TestDocumentFlags(t *testing.T) {
	dst := filepath.Join(t.TempDir(), "x.docx")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"render", "--pdf-standard", "a-4", "-o", dst, example}, "--pdf-standard"},
		{[]string{"render", "--created", "yesterday", "-o", dst, example}, "--created"},
		{[]string{"render", "--zone", "Asia/Shanghai", "-o", dst, example}, "--zone"},
		{[]string{"batch", "--pdf-standard", "pdfa", "--out", t.TempDir(), example}, "a-1b, a-2b, a-3b, none"},
	} {
		code, _, errs := runCLI(c.args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q", c.args, code, errs)
		}
	}
	// --created and --zone reach the document (DOCX core properties).
	code, _, errs := runCLI("render", "--created", "2025-01-20", "--zone", "+09:00", "--pdf-standard", "none", "-o", dst, example)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, _ := os.ReadFile(dst)
	if !bytes.Contains(b, []byte("PK")) {
		t.Fatal("no docx written")
	}
	if core := docxPart(t, b, "docProps/core.xml"); !strings.Contains(core, ">2025-01-20T00:00:00+09:00</dcterms:created>") {
		t.Errorf("core.xml: %s", core)
	}
}

func docxPart(t *testing.T, docx []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			b, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("no %s in the docx", name)
	return ""
}
