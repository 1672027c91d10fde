package archive

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gongwen/internal/testkit"
	"gongwen/render/pdf"
	"gongwen/report"
)

var pipeline = sync.OnceValues(func() (*report.Pipeline, error) { return report.New(report.Config{Version: "test"}) })

// engine is the production pipeline; without fonts (no PDF) the test is
// skipped, or fails in CI.
func engine(t *testing.T) *report.Pipeline {
	t.Helper()
	p, err := pipeline()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.FontsReady(); err != nil {
		testkit.Missing(t, "fonts (scripts/setup-fonts.sh): %v", err)
	}
	return p
}

// source is the shared example as a clerk's editor might save it: with a
// byte-order mark and CRLF line ends, which extract must give back as is.
func source(t *testing.T) []byte {
	raw, err := os.ReadFile(testkit.Shared(t, "examples/ejia-2024.json"))
	if err != nil {
		t.Fatal(err)
	}
	return append([]byte("\uFEFF"), bytes.ReplaceAll(raw, []byte("\n"), []byte("\r\n"))...)
}

func render(t *testing.T, raw []byte, std pdf.Standard) []byte {
	t.Helper()
	opts := report.DefaultOptions()
	opts.PDFStandard = std
	opts.Created = time.Date(2025, 1, 20, 9, 30, 0, 0, time.UTC)
	b, _, err := engine(t).Render(context.Background(), raw, report.PDF, opts)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestExtractGivesTheBytesBack(t *testing.T) {
	raw := source(t)
	file := render(t, raw, pdf.StandardA3b)
	src, err := Extract(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(src.Data, raw) {
		t.Fatalf("extracted %d bytes, not the %d received (first difference at %d)", len(src.Data), len(raw), firstDiff(src.Data, raw))
	}
	if src.Name != "𥔲嘉镇人民政府2024年度政府信息公开工作年度报告.json" || src.MIME != "application/json" {
		t.Errorf("name %q, MIME %q", src.Name, src.MIME)
	}
	for _, std := range []pdf.Standard{pdf.StandardA2b, pdf.StandardA1b, pdf.StandardNone} {
		if _, err := Extract(render(t, raw, std)); !errors.Is(err, ErrNoSource) {
			t.Errorf("%s: err = %v, want ErrNoSource", std, err)
		}
	}
	if _, err := Extract([]byte("PK\x03\x04 not a pdf")); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("zip: err = %v", err)
	}
	if _, err := Extract([]byte("%PDF-1.7\n garbage")); err == nil {
		t.Error("a broken PDF extracted")
	}
}

func TestVerify(t *testing.T) {
	p := engine(t)
	raw := source(t)
	file := render(t, raw, pdf.StandardA3b)
	ctx := context.Background()

	v, err := Verify(ctx, p, file)
	if err != nil {
		t.Fatal(err)
	}
	if !v.Identical || len(v.Differences) != 0 || len(v.Explanations) != 0 {
		t.Fatalf("a fresh file does not verify: %+v", v)
	}
	if v.Provenance.Template != "gov-info-disclosure-annual/2021" || v.Provenance.Created.Format(time.RFC3339) != "2025-01-20T17:30:00+08:00" {
		t.Errorf("provenance %+v", v.Provenance)
	}

	scan := scanPDF(file)
	page2 := scan.objs[scan.pageOf[scan.pages[1]]]
	content, err := inflate(page2)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		file     []byte
		want     []string // in the differences
		explains string   // in the explanations
	}{
		{"one glyph of page 2's text", replaceStream(t, file, page2.num, changeGlyph(t, content)),
			[]string{"page 2: text differs: line 1 of", "first differing byte"}, ""},
		{"one position on page 2", replaceStream(t, file, page2.num, changePosition(t, content)),
			[]string{"page 2: positions or drawing differ, the text is the same"}, ""},
		{"one byte inside page 2's compressed stream", flipByte(file, page2.start+(page2.end-page2.start)/2),
			[]string{"page 2:"}, ""},
		{"one character of the attachment", replaceStream(t, file, attachmentObject(t, scan), bytes.Replace(raw, []byte("工作"), []byte("工做"), 1)),
			[]string{"text differs", "工作", "工做", "the embedded report differs"}, "the embedded report was changed after rendering"},
		{"one digit of the attachment", replaceStream(t, file, attachmentObject(t, scan), changeDigit(t, raw)),
			[]string{"the embedded report does not render any more: invalid report"}, "the embedded report was changed after rendering"},
	} {
		v, err := Verify(ctx, p, c.file)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		all := strings.Join(v.Differences, "\n")
		t.Logf("%s:\n%s\n%s", c.name, all, strings.Join(v.Explanations, "\n"))
		if v.Identical {
			t.Errorf("%s: verified as identical", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(all, w) {
				t.Errorf("%s: differences lack %q:\n%s", c.name, w, all)
			}
		}
		if ex := strings.Join(v.Explanations, "\n"); !strings.Contains(ex, c.explains) {
			t.Errorf("%s: explanations lack %q: %q", c.name, c.explains, ex)
		}
	}

	// extract warns about an attachment altered after rendering.
	rec, err := ExtractRecord(file)
	if err != nil || SourceAltered(rec) {
		t.Errorf("fresh file: altered %v, %v", SourceAltered(rec), err)
	}
	rec, err = ExtractRecord(replaceStream(t, file, attachmentObject(t, scan), bytes.Replace(raw, []byte("工作"), []byte("工做"), 1)))
	if err != nil || !SourceAltered(rec) {
		t.Errorf("altered attachment not noticed: %v", err)
	}

	// An incremental update appended later (a signature) leaves the
	// original revision, which verify says is intact.
	signed := append(bytes.Clone(file), "\n4 0 obj\n<< /Type /Sig >>\nendobj\n%%EOF\n"...)
	if v, err := Verify(ctx, p, signed); err != nil || v.Identical || len(v.Differences) != 1 ||
		!strings.Contains(v.Differences[0], "original revision is identical") {
		t.Errorf("appended update: %+v, %v", v, err)
	}

	if _, err := Verify(ctx, p, render(t, raw, pdf.StandardA2b)); !errors.Is(err, ErrNoSource) {
		t.Errorf("a-2b: err = %v, want ErrNoSource", err)
	}
}

// A verifying engine of another version, with other fonts, says so.
func TestVerifyExplainsOtherEngineAndFonts(t *testing.T) {
	file := render(t, source(t), pdf.StandardA3b)
	other := otherEngine{engine(t)}
	v, err := Verify(context.Background(), other, file)
	if err != nil {
		t.Fatal(err)
	}
	ex := strings.Join(v.Explanations, "\n")
	if !strings.Contains(ex, "rendered by gongwen test, verified with gongwen 9.9") || !strings.Contains(ex, "other fonts") {
		t.Errorf("explanations: %q", ex)
	}
}

type otherEngine struct{ *report.Pipeline }

func (otherEngine) Engine() string    { return "gongwen 9.9" }
func (otherEngine) FontNames() string { return "body=SomethingElse" }

// ---- helpers that alter a PDF as a careless or malicious hand would ----

func changeGlyph(t *testing.T, content []byte) []byte {
	loc := regexp.MustCompile(`<([0-9A-F]{4})`).FindSubmatchIndex(content)
	if loc == nil {
		t.Fatal("no glyph string on page 2")
	}
	out := bytes.Clone(content)
	i := loc[3] - 1
	if out[i] == '0' {
		out[i] = '1'
	} else {
		out[i] = '0'
	}
	return out
}

func changePosition(t *testing.T, content []byte) []byte {
	loc := regexp.MustCompile(`BT (\d+)`).FindSubmatchIndex(content)
	if loc == nil {
		t.Fatal("no text position on page 2")
	}
	out := bytes.Clone(content)
	i := loc[2]
	if out[i] == '9' {
		out[i] = '8'
	} else {
		out[i]++
	}
	return out
}

// changeDigit changes one digit of a count in the report.
func changeDigit(t *testing.T, raw []byte) []byte {
	loc := regexp.MustCompile(`"total": ?(\d)`).FindSubmatchIndex(raw)
	if loc == nil {
		t.Fatal("no count in the report")
	}
	out := bytes.Clone(raw)
	if out[loc[2]] == '9' {
		out[loc[2]] = '8'
	} else {
		out[loc[2]]++
	}
	return out
}

func flipByte(file []byte, off int) []byte {
	out := bytes.Clone(file)
	out[off] ^= 0x55
	return out
}

func attachmentObject(t *testing.T, s *scannedPDF) int {
	for _, n := range s.numbers() {
		if typeOf(s.objs[n]) == "EmbeddedFile" {
			return n
		}
	}
	t.Fatal("no EmbeddedFile object")
	return 0
}

// replaceStream puts data, compressed, as object n's stream, with its
// /Length and the cross-reference table adjusted, so the file stays a
// readable PDF and only that stream differs.
func replaceStream(t *testing.T, file []byte, n int, data []byte) []byte {
	t.Helper()
	s := scanPDF(file)
	o := s.objs[n]
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(data)
	zw.Close()
	dict := regexp.MustCompile(`/Length \d+`).ReplaceAll(o.dict, []byte("/Length "+strconv.Itoa(z.Len())))
	if p := regexp.MustCompile(`/Size \d+`); p.Match(dict) {
		dict = p.ReplaceAll(dict, []byte("/Size "+strconv.Itoa(len(data))))
	}
	head := file[o.start : bytes.Index(file[o.start:], o.dict)+o.start]
	obj := append(append(append(append(bytes.Clone(head), dict...), "stream\n"...), z.Bytes()...), "\nendstream\nendobj"...)
	delta := len(obj) - (o.end - o.start)
	out := append(append(bytes.Clone(file[:o.start]), obj...), file[o.end:]...)
	if s.trailerStream() != nil {
		out = shiftXrefStream(t, out, o.start, delta)
		if _, err := pdf.ReadArchived(out); err != nil {
			t.Fatalf("the altered file is no longer readable: %v", err)
		}
		return out
	}
	// Shift the offsets of everything after the object.
	xref := bytes.LastIndex(out, []byte("\nxref\n")) + 1
	entry := regexp.MustCompile(`(\d{10}) (\d{5}) n`)
	table := entry.ReplaceAllFunc(out[xref:], func(m []byte) []byte {
		off, _ := strconv.Atoi(string(m[:10]))
		if off > o.start {
			off += delta
		}
		return []byte(fmt.Sprintf("%010d%s", off, m[10:]))
	})
	out = append(out[:xref], table...)
	sx := regexp.MustCompile(`startxref\s+(\d+)`)
	out = sx.ReplaceAllFunc(out, func(m []byte) []byte { return []byte(fmt.Sprintf("startxref\n%d", xref)) })
	if _, err := pdf.ReadArchived(out); err != nil {
		t.Fatalf("the altered file is no longer readable: %v", err)
	}
	return out
}

// trailerStream is the file's cross-reference stream; nil for a classic
// table (PDF/A-1).
func (s *scannedPDF) trailerStream() *pdfObj {
	for _, n := range s.numbers() {
		if typeOf(s.objs[n]) == "XRef" {
			return s.objs[n]
		}
	}
	return nil
}

// shiftXrefStream rewrites the cross-reference stream of file (the last
// object, as gongwen writes it) after the bytes from after on moved by
// delta: offsets past it shift, and so does startxref.
func shiftXrefStream(t *testing.T, file []byte, after, delta int) []byte {
	t.Helper()
	x := scanPDF(file).trailerStream()
	if x == nil {
		t.Fatal("no cross-reference stream")
	}
	m := regexp.MustCompile(`/W \[1 (\d) (\d)\]`).FindSubmatch(x.dict)
	if m == nil || bytes.Contains(x.dict, []byte("/DecodeParms")) {
		t.Fatalf("cross-reference stream %q is not as gongwen writes it", x.dict)
	}
	w2, _ := strconv.Atoi(string(m[1]))
	w3, _ := strconv.Atoi(string(m[2]))
	rows, err := inflate(x)
	if err != nil {
		t.Fatal(err)
	}
	rows = bytes.Clone(rows)
	for r := 0; r+1+w2+w3 <= len(rows); r += 1 + w2 + w3 {
		if rows[r] != 1 {
			continue
		}
		off := 0
		for _, c := range rows[r+1 : r+1+w2] {
			off = off<<8 | int(c)
		}
		if off > after {
			off += delta
		}
		for i := w2 - 1; i >= 0; i-- {
			rows[r+1+i] = byte(off)
			off >>= 8
		}
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(rows)
	zw.Close()
	dict := regexp.MustCompile(`/Length \d+`).ReplaceAll(x.dict, []byte("/Length "+strconv.Itoa(z.Len())))
	head := file[x.start : bytes.Index(file[x.start:], x.dict)+x.start]
	obj := append(append(append(append(bytes.Clone(head), dict...), "stream\n"...), z.Bytes()...), "\nendstream\nendobj"...)
	out := append(append(bytes.Clone(file[:x.start]), obj...), file[x.end:]...)
	sx := regexp.MustCompile(`startxref\s+(\d+)`)
	return sx.ReplaceAllFunc(out, func([]byte) []byte { return []byte(fmt.Sprintf("startxref\n%d", x.start)) })
}

// parseBfchar reads the ToUnicode maps of every gongwen version and the
// bfrange form other writers use.
func TestParseBfchar(t *testing.T) {
	for name, c := range map[string]struct {
		cmap string
		want map[string]string
	}{
		"bfchar (before 2026-12)": {"2 beginbfchar\n<0001> <0025>\n<0002> <D855DD32>\nendbfchar\n",
			map[string]string{"0001": "%", "0002": "𥔲"}},
		"bfrange with arrays": {"2 beginbfrange\n<0001> <0003> [<0030> <4E00> <D855DD32>]\n<0100> <0100> [<0041>]\nendbfrange\n",
			map[string]string{"0001": "0", "0002": "一", "0003": "𥔲", "0100": "A"}},
		"bfrange counting up": {"1 beginbfrange\n<0010> <0012> <0041>\nendbfrange\n",
			map[string]string{"0010": "A", "0011": "B", "0012": "C"}},
	} {
		if got := parseBfchar([]byte(c.cmap)); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
}
