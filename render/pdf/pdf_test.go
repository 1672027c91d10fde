package pdf

import (
	"bytes"
	"compress/zlib"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"gongwen/fonts"
	"gongwen/internal/testkit"
	"gongwen/render"
	"gongwen/render/layout"
	"gongwen/render/layout/layouttest"
)

// keep names a directory to write rendered PDFs into, for looking at them
// (the -update flag is testkit's).
var keep = flag.String("keep", "", "directory to write rendered PDFs into, for looking at them")

func renderer(t testing.TB) *Renderer {
	t.Helper()
	r, err := Default()
	if err != nil {
		testkit.Missing(t, "no font book (scripts/setup-fonts.sh installs the fonts): %v", err)
	}
	return r
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
	cmd := exec.Command(testkit.Tool(t, name), args...)
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

func TestDeterministic(t *testing.T) {
	r := renderer(t)
	ids := map[string]Standard{}
	for _, std := range []Standard{StandardNone, StandardA1b, StandardA2b, StandardA3b} {
		opts := Options{Version: "test", Standard: std, Source: &Attachment{Name: "r.json", MIME: "application/json", Data: []byte("{}")}}
		a, err := r.Render(layouttest.Sample(), opts)
		if err != nil {
			t.Fatal(err)
		}
		b, err := New(r.book).Render(layouttest.Sample(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Fatalf("%s: two renderings of the same document differ", std)
		}
		// The trailer ID is derived from the content: present, and
		// different for different files.
		m := regexp.MustCompile(`/ID \[<([0-9a-f]{32})> <([0-9a-f]{32})>\]`).FindSubmatch(a)
		if m == nil {
			t.Fatalf("%s: no trailer /ID", std)
		}
		if prev, dup := ids[string(m[1])]; dup {
			t.Errorf("%s and %s have the same /ID", prev, std)
		}
		ids[string(m[1])] = std
		// (The XMP packet is never compressed; the Info dictionary, equal
		// to it, is inside the object stream of all but PDF/A-1.)
		if !bytes.Contains(a, []byte(`xmp:CreateDate="1970-01-01T08:00:00+08:00"`)) {
			t.Errorf("%s: zero Meta.Created should write the Unix epoch (in UTC+08:00)", std)
		}
	}
}

func TestMetadata(t *testing.T) {
	r := renderer(t)
	doc := layouttest.Sample()
	doc.Meta.Subject = "政府信息公开工作年度报告"
	doc.Meta.Notes = []string{"rendered with unresolved problems"}
	doc.Meta.Created = time.Date(2025, 1, 20, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	out, err := r.Render(doc, Options{Version: "1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	p := writeTemp(t, "meta.pdf", out)
	info := map[string]string{}
	for _, l := range strings.Split(run(t, "pdfinfo", p), "\n") {
		if k, v, ok := strings.Cut(l, ":"); ok {
			info[k] = strings.TrimSpace(v)
		}
	}
	for k, want := range map[string]string{
		"Title":        "𥔲嘉镇人民政府2024年度政府信息公开工作年度报告",
		"Author":       "𥔲嘉镇人民政府",
		"Subject":      "政府信息公开工作年度报告",
		"Keywords":     "政府信息公开; rendered with unresolved problems",
		"Creator":      "gongwen 1.2.3",
		"CreationDate": "Mon Jan 20 00:00:00 2025 UTC",
		"Page size":    "595.28 x 841.89 pts (A4)",
	} {
		if info[k] != want {
			t.Errorf("pdfinfo %s = %q, want %q", k, info[k], want)
		}
	}
	meta := run(t, "pdfinfo", "-meta", p)
	if !strings.Contains(meta, "rendered with unresolved problems") || !strings.Contains(meta, "𥔲嘉镇人民政府") {
		t.Errorf("XMP lacks the notes or the author:\n%s", meta)
	}
	outline := run(t, "qpdf", "--json", "--json-key=outlines", p)
	for _, want := range []string{"一、总体情况", "（一）主动公开情况。", "四、政府信息公开行政复议、行政诉讼情况"} {
		if !strings.Contains(outline, want) {
			t.Errorf("outline lacks %q:\n%s", want, outline)
		}
	}
}

// checkFonts fails unless every font is an embedded CID TrueType font.
func checkFonts(t *testing.T, p string) {
	t.Helper()
	out := run(t, "pdffonts", p)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts lists no font:\n%s", out)
	}
	for _, l := range lines[2:] {
		if !strings.Contains(l, "CID TrueType") || !strings.Contains(l, "Identity-H       yes") {
			t.Errorf("font is not an embedded CID TrueType font: %s", l)
		}
	}
}

func TestSampleChecks(t *testing.T) {
	r := renderer(t)
	out, err := r.Render(layouttest.Sample(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := writeTemp(t, "sample.pdf", out)
	checkFonts(t, p)
	run(t, "qpdf", "--check", p)
	text := run(t, "pdftotext", p, "-")
	for _, want := range []string{"𥔲嘉镇人民政府", "三、本年度办理结果", "3.危及“三安全一稳定”", "申请人情况", "174"} {
		if !strings.Contains(stripSpace(text), want) {
			t.Errorf("extracted text lacks %q", want)
		}
	}
}

var pageNumberRE = regexp.MustCompile(`(?m)^[ \f]*— ?\d+ ?—[ \f]*$`)

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func TestStressTextSurvives(t *testing.T) {
	r := renderer(t)
	doc := layouttest.Stress(300, 7)
	var blocks []render.Block
	var want strings.Builder
	for _, b := range doc.Blocks {
		if p, ok := b.(*render.Paragraph); ok {
			blocks = append(blocks, p)
			want.WriteString(p.Text())
		}
	}
	doc.Blocks = blocks
	out, err := r.Render(doc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := writeTemp(t, "stress.pdf", out)
	got := pageNumberRE.ReplaceAllString(run(t, "pdftotext", p, "-"), "")
	if g, w := stripSpace(got), stripSpace(want.String()); g != w {
		i := 0
		for i < len(g) && i < len(w) && g[i] == w[i] {
			i++
		}
		t.Fatalf("extracted text differs from the input at byte %d:\n got …%q\nwant …%q", i, g[max(0, i-40):min(len(g), i+40)], w[max(0, i-40):min(len(w), i+40)])
	}
	checkFonts(t, p)
	run(t, "qpdf", "--check", p)

	// As a reader sees it: no line starts with closing punctuation, no word
	// box reaches past the right edge of the text block.
	for i, l := range strings.Split(run(t, "pdftotext", "-layout", p, "-"), "\n") {
		// First lines of paragraphs are indented (and may start with
		// anything the text starts with); continuation lines are not.
		l = strings.TrimLeft(l, "\f")
		if r, _ := utf8.DecodeRuneInString(l); strings.ContainsRune("，。、；：？！）》」』”’％", r) {
			t.Errorf("line %d starts with closing punctuation: %q", i+1, l)
		}
	}
	right := (210.0 - 26) * 72 / 25.4
	for _, m := range bboxRE.FindAllStringSubmatch(run(t, "pdftotext", "-bbox", p, "-"), -1) {
		xMax, _ := strconv.ParseFloat(m[1], 64)
		if xMax > right+0.5 && !pageNumberRE.MatchString(m[2]) {
			t.Errorf("word %q ends at x=%.2f, past the right edge %.2f", m[2], xMax, right)
		}
	}
}

var bboxRE = regexp.MustCompile(`<word xMin="[^"]*" yMin="[^"]*" xMax="([^"]*)" yMax="[^"]*">([^<]*)</word>`)

func TestLongTableRepeatsHeader(t *testing.T) {
	r := renderer(t)
	doc := layouttest.Sample()
	doc.Blocks = []render.Block{layouttest.Para(render.StyleBody, "表格跨页。"), layouttest.LongTable(40)}
	out, err := r.Render(doc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := writeTemp(t, "longtable.pdf", out)
	n := strings.Count(run(t, "pdftotext", p, "-"), "\f")
	if n < 2 {
		t.Fatalf("table should span pages, got %d", n)
	}
	for page := 1; page <= n; page++ {
		text := stripSpace(run(t, "pdftotext", "-f", fmt.Sprint(page), "-l", fmt.Sprint(page), p, "-"))
		if !strings.Contains(text, "申请人情况") || !strings.Contains(text, "法人或其他组织") {
			t.Errorf("page %d does not repeat the header rows", page)
		}
	}
}

func TestMissingGlyphIsAnError(t *testing.T) {
	r := renderer(t)
	doc := layouttest.Sample()
	doc.Blocks = []render.Block{layouttest.Para(render.StyleBody, "控制字符\x07在此")}
	_, err := r.Render(doc, Options{})
	if err == nil {
		t.Fatal("no error for a character no font has")
	}
	if !errors.Is(err, ErrRender) {
		t.Errorf("error %v does not wrap ErrRender", err)
	}
}

func BenchmarkRenderSample(b *testing.B) {
	r := renderer(b)
	doc := layouttest.Sample()
	if _, err := r.Render(doc, Options{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var size int
	for b.Loop() {
		out, err := r.Render(doc, Options{})
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}

func TestDeflateFontRoundTrip(t *testing.T) {
	r := renderer(t)
	res, err := layout.Layout(layouttest.Sample(), bookFonts{r.book})
	if err != nil {
		t.Fatal(err)
	}
	sb := r.book.NewSubsetBuilder()
	for _, pg := range res.Pages {
		for _, tx := range pg.Texts {
			sb.Add(tx.Face.(*fonts.Face), tx.Text)
		}
	}
	subs, err := sb.Build()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range subs {
		for pass := range 2 { // compressed, then from the subset's cache
			zr, err := zlib.NewReader(bytes.NewReader(s.AppendZlib(nil)))
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(zr) // checks the Adler-32 too
			if err != nil {
				t.Fatalf("%s pass %d: %v", s.Name, pass, err)
			}
			if !bytes.Equal(got, s.TTF) {
				t.Fatalf("%s pass %d: inflated font differs", s.Name, pass)
			}
		}
	}
}

func TestConcurrentRendersAgree(t *testing.T) {
	r := renderer(t)
	want, err := r.Render(layouttest.Sample(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			got, err := r.Render(layouttest.Sample(), Options{})
			if err == nil && !bytes.Equal(got, want) {
				err = errors.New("concurrent render differs")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestEdgeDocuments(t *testing.T) {
	r := renderer(t)
	cases := map[string][]render.Block{
		"empty":           nil,
		"empty paragraph": {&render.Paragraph{Style: render.StyleBody}},
		"blank text":      {layouttest.Para(render.StyleBody, "   \n\n ")},
		"nil blocks":      {nil, (*render.Paragraph)(nil), (*render.Table)(nil)},
		"empty table":     {&render.Table{Columns: []float64{156}}},
	}
	for name, blocks := range cases {
		t.Run(name, func(t *testing.T) {
			doc := layouttest.Sample()
			doc.Blocks = blocks
			out, err := r.Render(doc, Options{})
			if err != nil {
				t.Fatal(err)
			}
			p := writeTemp(t, "edge.pdf", out)
			run(t, "qpdf", "--check", p)
			if text := run(t, "pdftotext", p, "-"); !pageNumberRE.MatchString(text) {
				t.Errorf("page number missing: %q", text)
			}
		})
	}
	if _, err := r.Render(nil, Options{}); err == nil {
		t.Error("nil document: no error")
	}
}

func TestAppendRound3(t *testing.T) {
	check := func(x float64) {
		t.Helper()
		want := strconv.AppendFloat(nil, round3(x), 'f', -1, 64)
		if got := appendRound3(nil, x); string(got) != string(want) {
			t.Fatalf("appendRound3(%v) = %s, want %s", x, got, want)
		}
	}
	// Every thousandth of a point of an A3 page either way, and the
	// midpoints round3 rounds away from zero.
	for k := -1_200_000; k <= 1_200_000; k++ {
		x := float64(k) / 1000
		for _, d := range []float64{0, 0.0005, -0.0004999} {
			check(x + d)
		}
	}
	rng := rand.New(rand.NewPCG(3, 15))
	for range 200_000 {
		check((rng.Float64() - 0.5) * 2e6)
		check((rng.Float64() - 0.5) * 2e-3)
	}
	for _, x := range []float64{0, math.Copysign(0, -1), 1e9, -1e9, 999999999.9996, math.Inf(1), math.Inf(-1), math.NaN()} {
		check(x)
	}
}

func TestAppendFixed2(t *testing.T) {
	check := func(x float64) {
		t.Helper()
		want := strconv.AppendFloat(nil, x, 'f', 2, 64)
		if got := appendFixed2(nil, x); string(got) != string(want) {
			t.Fatalf("appendFixed2(%v) = %s, want %s", x, got, want)
		}
	}
	// Every half-hundredth of a point of an A3 page either way (the
	// rounding boundaries) and its neighbours one ulp away, and the exact
	// halves k/8, where strconv's tie rule decides.
	for k := -240_000; k <= 240_000; k++ {
		for _, x := range []float64{float64(k) / 200, float64(k) / 8} {
			check(x)
			check(math.Nextafter(x, math.Inf(1)))
			check(math.Nextafter(x, math.Inf(-1)))
		}
	}
	rng := rand.New(rand.NewPCG(5, 21))
	for range 200_000 {
		check((rng.Float64() - 0.5) * 2e6)
		check((rng.Float64() - 0.5) * 2e-2)
	}
	for _, x := range []float64{0, math.Copysign(0, -1), 0.005, -0.005, 0.004999999, 1e9, -1e9, 999999999.995, 999999999.9999, 1e9 - 1e-6, math.Inf(1), math.Inf(-1), math.NaN(), math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64} {
		check(x)
	}
}
