package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongwen/render/ofd"
	"gongwen/render/ofd/ofdcheck"
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
		{[]string{"render", "--ofd-standard", "a-2b", "-o", dst, example}, "--ofd-standard"},
		{[]string{"batch", "--ofd-standard", "ofd-a", "--format", "ofd", "--out", t.TempDir(), example}, "a, none"},
		{[]string{"render", "--docx-fonts", "none", "-o", dst, example}, "--docx-fonts"},
		{[]string{"batch", "--docx-fonts", "embed", "--format", "docx", "--out", t.TempDir(), example}, "embedded, named"},
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
	if !strings.Contains(docxPart(t, b, "word/settings.xml"), "<w:embedTrueTypeFonts/>") {
		t.Error("the default DOCX embeds no fonts")
	}
	// --docx-fonts named: the same document, naming the faces only.
	named := filepath.Join(t.TempDir(), "named.docx")
	if code, _, errs := runCLI("render", "--created", "2025-01-20", "--zone", "+09:00", "--docx-fonts", "named", "-o", named, example); code != 0 {
		t.Fatalf("--docx-fonts named: exit %d: %s", code, errs)
	}
	nb, _ := os.ReadFile(named)
	if settings := docxPart(t, nb, "word/settings.xml"); strings.Contains(settings, "embedTrueTypeFonts") ||
		docxPart(t, nb, "word/document.xml") != docxPart(t, b, "word/document.xml") {
		t.Errorf("--docx-fonts named: %d bytes (embedded %d), settings %s", len(nb), len(b), settings)
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

// extract gives back the report byte for byte; verify says 一致 on a fresh
// PDF/A-3b file and exits 1 with what differs on an altered one.
func TestExtractAndVerify(t *testing.T) {
	dir := t.TempDir()
	raw, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	raw = append([]byte("\uFEFF"), raw...) // as some editors save it
	in := filepath.Join(dir, "report.json")
	os.WriteFile(in, raw, 0o644)
	a3, a2 := filepath.Join(dir, "a3.pdf"), filepath.Join(dir, "a2.pdf")
	if code, _, errs := runCLI("render", in, "--pdf-standard", "a-3b", "-o", a3); code != 0 {
		t.Fatalf("render a-3b: exit %d %s", code, errs)
	}
	if code, _, errs := runCLI("render", in, "-o", a2); code != 0 {
		t.Fatalf("render: exit %d %s", code, errs)
	}

	code, out, errs := runCLI("extract", a3)
	if code != 0 || out != string(raw) {
		t.Fatalf("extract: exit %d, %d bytes (want the %d received) %s", code, len(out), len(raw), errs)
	}
	dst := filepath.Join(dir, "back.json")
	if code, _, errs := runCLI("extract", a3, "-o", dst); code != 0 {
		t.Fatalf("extract -o: exit %d %s", code, errs)
	}
	if b, _ := os.ReadFile(dst); !bytes.Equal(b, raw) {
		t.Fatal("extract -o wrote other bytes")
	}
	if code, _, errs := runCLI("extract", a2); code != 1 || !strings.Contains(errs, "a-3b") {
		t.Errorf("extract a-2b: exit %d, stderr %q", code, errs)
	}
	if code, _, errs := runCLI("extract", in); code != 2 || errs == "" {
		t.Errorf("extract of a JSON file: exit %d, stderr %q", code, errs)
	}

	if code, out, errs := runCLI("verify", a3); code != 0 || !strings.Contains(out, "一致") {
		t.Fatalf("verify fresh: exit %d\n%s%s", code, out, errs)
	}
	if code, out, _ := runCLI("verify", "--lang", "en", a3); code != 0 || !strings.Contains(out, "identical") {
		t.Errorf("verify --lang en: exit %d %s", code, out)
	}
	file, _ := os.ReadFile(a3)
	i := bytes.Index(file, []byte("stream\n")) + len("stream\n") + 40 // inside the first page's compressed content
	file[i] ^= 0x55
	bad := filepath.Join(dir, "bad.pdf")
	os.WriteFile(bad, file, 0o644)
	if code, out, errs := runCLI("verify", bad); code != 1 || !strings.Contains(out, "不一致") || !strings.Contains(out, "first differing byte") {
		t.Errorf("verify altered: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := runCLI("verify", a2); code != 2 || !strings.Contains(errs, "a-3b") {
		t.Errorf("verify a-2b: exit %d, stderr %q", code, errs)
	}
}

// OFD from the command line: --format ofd (or -o x.ofd) writes a package the
// checker passes; --ofd-standard a makes it OFD-A with the report attached;
// batch records the format and profile in its manifest.
func TestOFDOutput(t *testing.T) {
	dir := t.TempDir()
	plain, archival := filepath.Join(dir, "plain.ofd"), filepath.Join(dir, "a.ofd")
	if code, _, errs := runCLI("render", example, "-o", plain); code != 0 {
		t.Fatalf("render -o x.ofd: exit %d: %s", code, errs)
	}
	if code, _, errs := runCLI("render", example, "--format", "ofd", "--ofd-standard", "a", "-o", archival); code != 0 {
		t.Fatalf("render --ofd-standard a: exit %d: %s", code, errs)
	}
	for name, want := range map[string]string{plain: "OFD", archival: "OFD-A"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		pkg, err := ofdcheck.Check(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if pkg.DocType != want {
			t.Errorf("%s: DocType %s, want %s", name, pkg.DocType, want)
		}
		a, err := ofd.ReadArchived(b)
		if err != nil || (a.Source != nil) != (want == "OFD-A") {
			t.Errorf("%s: attachment %v, %v", name, a, err)
		}
	}
	// extract and verify read OFD-A as they read PDF/A-3b.
	got := filepath.Join(dir, "back.json")
	if code, _, errs := runCLI("extract", archival, "-o", got); code != 0 {
		t.Fatalf("extract: exit %d: %s", code, errs)
	}
	if a, b := mustRead(t, got), mustRead(t, example); !bytes.Equal(a, b) {
		t.Error("extract did not give the report back byte for byte")
	}
	if code, out, errs := runCLI("verify", archival); code != 0 || !strings.Contains(out, "一致") || !strings.Contains(out, "OFD-A") {
		t.Errorf("verify: exit %d: %s%s", code, out, errs)
	}
	if code, _, errs := runCLI("extract", plain, "-o", got); code != 1 || !strings.Contains(errs, "--ofd-standard a") {
		t.Errorf("extract from plain OFD: exit %d: %s", code, errs)
	}
	if code, _, errs := runCLI("render", example, "--format", "ofd", "-o", filepath.Join(dir, "x.pdf")); code != 2 || !strings.Contains(errs, "contradicts") {
		t.Errorf("--format ofd -o x.pdf: exit %d, %s", code, errs)
	}

	out := filepath.Join(dir, "batch")
	if code, _, errs := runCLI("batch", "--format", "ofd,pdf", "--ofd-standard", "a", "--out", out, example); code != 0 {
		t.Fatalf("batch: exit %d: %s", code, errs)
	}
	m, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"ofd"`, `"ofdStandard": "a"`, `.ofd"`} {
		if !strings.Contains(string(m), want) {
			t.Errorf("manifest lacks %s:\n%s", want, m)
		}
	}
	written, _ := filepath.Glob(filepath.Join(out, "*", "*.ofd"))
	if len(written) != 1 {
		t.Fatalf("batch wrote %v", written)
	}
	if pkg, err := ofdcheck.Check(mustRead(t, written[0])); err != nil || pkg.DocType != "OFD-A" {
		t.Errorf("batch OFD: %v", err)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
