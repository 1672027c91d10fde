package pdf_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gongwen/gen/reportgen"
	"gongwen/internal/testkit"
	"gongwen/render"
	"gongwen/render/layout/layouttest"
	"gongwen/render/pdf"
	"gongwen/report"
)

// archiveDate is the document date of the archival tests.
var archiveDate = time.Date(2025, 1, 20, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))

// preflightClasspath is Debian's PDFBox Preflight with the jars Java 17
// needs besides (scripts/setup.sh test installs them).
func preflightClasspath(t testing.TB) string {
	t.Helper()
	var jars []string
	for _, j := range []string{"preflight.jar", "pdfbox2.jar", "fontbox2.jar", "xmpbox.jar", "commons-logging.jar", "javax.activation.jar", "jaxb-api.jar"} {
		jars = append(jars, testkit.File(t, "/usr/share/java/"+j))
	}
	return strings.Join(jars, ":")
}

type preflightReport struct {
	Files []struct {
		Name   string `xml:"name,attr"`
		Valid  string `xml:"isValid"`
		Errors []struct {
			Code    string `xml:"code"`
			Details string `xml:"details"`
		} `xml:"errors>error"`
	} `xml:"preflight"`
}

// preflightA1b validates every file with PDFBox Preflight in one JVM (its
// "group" mode) and fails the test for each file it does not call valid
// PDF/A-1b. A control file, the sample as PDF/A-2b, must be called invalid
// (pdfaid:part is 2), so a Preflight that accepts anything fails the test.
func preflightA1b(t *testing.T, files map[string][]byte) {
	t.Helper()
	java := testkit.Tool(t, "java")
	cp := preflightClasspath(t)
	control, err := pdf.Render(layouttest.Sample(), pdf.Options{Standard: pdf.StandardA2b})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var list bytes.Buffer
	list.WriteString(filepath.Join(dir, "control-a2b.pdf") + "\n")
	if err := os.WriteFile(filepath.Join(dir, "control-a2b.pdf"), control, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		p := filepath.Join(dir, name+".pdf")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		list.WriteString(p + "\n")
	}
	listFile := filepath.Join(dir, "files.txt")
	if err := os.WriteFile(listFile, list.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(java, "-Xshare:auto", "-cp", cp, "org.apache.pdfbox.preflight.Validator_A1b", "xml", "group", listFile)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("preflight: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(listFile + ".preflight.xml")
	if err != nil {
		t.Fatal(err)
	}
	var rep preflightReport
	if err := xml.Unmarshal(raw, &rep); err != nil {
		t.Fatalf("preflight report: %v", err)
	}
	seen := map[string]bool{}
	for _, f := range rep.Files {
		name := strings.TrimSuffix(f.Name, ".pdf")
		seen[name] = true
		if name == "control-a2b" {
			if f.Valid != "false" || len(f.Errors) == 0 || f.Errors[0].Code != "7.11.2" {
				t.Errorf("Preflight did not reject the PDF/A-2b control file as PDF/A-1b: %+v", f)
			}
			continue
		}
		if f.Valid != "true" {
			var msgs []string
			for _, e := range f.Errors {
				msgs = append(msgs, e.Code+" "+e.Details)
			}
			if len(msgs) > 8 {
				msgs = append(msgs[:8], fmt.Sprintf("… %d more", len(msgs)-8))
			}
			t.Errorf("%s is not valid PDF/A-1b:\n  %s", name, strings.Join(msgs, "\n  "))
		}
	}
	for name := range files {
		if !seen[name] || !seen["control-a2b"] {
			t.Errorf("preflight did not report on %s", name)
		}
	}
}

var pipeline = sync.OnceValues(func() (*report.Pipeline, error) { return report.New(report.Config{}) })

// pipelineDocument runs report JSON through the real pipeline.
func pipelineDocument(t testing.TB, raw []byte, allowProblems bool) *render.Document {
	t.Helper()
	p, err := pipeline()
	if err != nil {
		t.Fatal(err)
	}
	opts := report.DefaultOptions()
	opts.AllowProblems = allowProblems
	opts.Created = archiveDate
	out, err := p.Validate(context.Background(), raw, opts)
	if err != nil {
		t.Fatal(err)
	}
	if out.Document == nil {
		t.Fatalf("no document: %v", out.Problems)
	}
	if !out.Valid() && allowProblems {
		out.Document.Meta.Notes = append(out.Document.Meta.Notes, "rendered with unresolved problems")
	}
	out.Document.Meta.Created = archiveDate
	return out.Document
}

// edgeDocuments are malformed-but-renderable documents: what real data
// does to a layout.
func edgeDocuments(t testing.TB) map[string]*render.Document {
	t.Helper()
	docs := map[string]*render.Document{}
	with := func(name string, blocks ...render.Block) {
		d := layouttest.Sample()
		d.Meta.Created = archiveDate
		if blocks != nil {
			d.Blocks = blocks
		}
		docs[name] = d
	}
	with("sample")
	with("empty", &render.Paragraph{Style: render.StyleBody})
	with("blank-text", layouttest.Para(render.StyleBody, "   \n\n "))
	with("empty-table", &render.Table{Columns: []float64{156}})
	with("long-table", layouttest.Para(render.StyleBody, "表格跨页。"), layouttest.LongTable(120))
	with("long-url", layouttest.Para(render.StyleBody, "详见https://www.example.gov.cn/"+strings.Repeat("zwgk/xxgkml/2024/", 20)+"index.html?id="+strings.Repeat("0123456789", 12)+"。"))
	huge := layouttest.TableB()
	for i := range huge.Rows {
		for j := range huge.Rows[i].Cells {
			c := &huge.Rows[i].Cells[j]
			if !c.Header && c.Text != "" && strings.Trim(c.Text, "0123456789") == "" {
				c.Text = "99999999999999999999"
			}
		}
	}
	with("huge-counts", huge)
	blank := layouttest.TableB()
	for i := range blank.Rows {
		for j := range blank.Rows[i].Cells {
			if c := &blank.Rows[i].Cells[j]; !c.Header && (i+j)%2 == 0 {
				c.Text = ""
			}
		}
	}
	with("blank-cells", blank)
	with("empty-sections",
		&render.Paragraph{Style: render.StyleHeading1, Runs: []render.Run{{Text: "一、总体情况"}}, OutlineLevel: 1},
		&render.Paragraph{Style: render.StyleHeading1, Runs: []render.Run{{Text: "二、主动公开政府信息情况"}}, OutlineLevel: 1},
		&render.Paragraph{Style: render.StyleHeading2, Runs: []render.Run{{Text: "（一）"}}, OutlineLevel: 3},
		&render.Paragraph{Style: render.StyleHeading1, Runs: []render.Run{{Text: "三、"}}, OutlineLevel: 1})
	stress := layouttest.Stress(120, 3)
	stress.Meta.Created = archiveDate
	docs["stress"] = stress
	red := layouttest.Sample() // (colour through styles, once layout carries it)
	red.Meta.Created = archiveDate
	st := red.Styles[render.StyleTitle]
	st.Color = render.Color{R: 0xE6}
	red.Styles[render.StyleTitle] = st
	docs["red-title"] = red
	noted := layouttest.Sample()
	noted.Meta.Created = archiveDate
	noted.Meta.Notes = []string{"rendered with unresolved problems", "R1 <不一致> & “引号”"}
	noted.Meta.Keywords = nil
	docs["notes"] = noted
	untitled := layouttest.Sample()
	untitled.Meta = render.Meta{}
	docs["no-metadata"] = untitled
	return docs
}

// TestPreflightA1b: Apache PDFBox Preflight calls PDF/A-1b files valid —
// the example, 200 generated reports, broken-but-rendered ones and the
// edge cases.
func TestPreflightA1b(t *testing.T) {
	java := testkit.Tool(t, "java")
	cp := preflightClasspath(t)
	opts := pdf.Options{Version: "test", Standard: pdf.StandardA1b, Provenance: []pdf.Property{{Name: "PdfStandard", Value: "a-1b"}}}
	files := map[string][]byte{}
	render1 := func(name string, doc *render.Document) {
		out, err := pdf.Render(doc, opts)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		files[name] = out
	}

	// The example alone, with Preflight's own exit status.
	example := exampleDocument(t)
	example.Meta.Created = archiveDate
	render1("example", example)
	p := filepath.Join(t.TempDir(), "example.pdf")
	if err := os.WriteFile(p, files["example"], 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(java, "-cp", cp, "org.apache.pdfbox.preflight.Validator_A1b", p).CombinedOutput(); err != nil {
		t.Fatalf("Preflight on the example: %v\n%s", err, out)
	}

	n := 200
	if testing.Short() {
		n = 20
	}
	var ejia, longest, emptyTables int // what the series covers
	for i := range n {
		raw := reportgen.Generate(2024, i).JSON()
		doc := pipelineDocument(t, raw, false)
		if bytes.Contains(raw, []byte("𥔲")) {
			ejia++
		}
		for _, b := range doc.Blocks {
			tb, ok := b.(*render.Table)
			if !ok {
				continue
			}
			longest = max(longest, len(tb.Rows))
			empty := true
			for _, row := range tb.Rows[min(tb.HeaderRows, len(tb.Rows)):] {
				for _, c := range row.Cells {
					if !c.Header && c.Text != "" && c.Text != "0" && c.Text != "/" {
						empty = false
					}
				}
			}
			if empty {
				emptyTables++
			}
		}
		render1(fmt.Sprintf("gen-%03d", i), doc)
	}
	t.Logf("generated: %d with 𥔲, longest table %d rows, %d tables with only zero or blank values", ejia, longest, emptyTables)
	if n == 200 && ejia == 0 {
		t.Error("no generated report has 𥔲")
	}
	for _, rule := range reportgen.Rules {
		rep := reportgen.Generate(7, len(rule))
		if err := reportgen.Break(rep, rule, 7, 1); err != nil {
			t.Fatal(err)
		}
		render1("broken-"+string(rule), pipelineDocument(t, rep.JSON(), true))
	}
	for name, doc := range edgeDocuments(t) {
		render1("edge-"+name, doc)
	}
	coloured := layouttest.Sample()
	coloured.Blocks = append(coloured.Blocks, layouttest.TableB())
	coloured.Meta.Created = archiveDate
	out, err := pdf.RenderColoured(coloured, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte("/FlateDecode")) {
		t.Fatal("no streams")
	}
	files["edge-coloured"] = out
	preflightA1b(t, files)
}

// BenchmarkStandards renders the same distinct generated reports as each
// standard: the difference between none and a-2b is what archival output
// costs (README, Performance).
func BenchmarkStandards(b *testing.B) {
	const n = 40
	docs := make([]*render.Document, n)
	sources := make([][]byte, n)
	for i := range n {
		sources[i] = reportgen.Generate(2025, i).JSON()
		docs[i] = pipelineDocument(b, sources[i], false)
	}
	for _, std := range []pdf.Standard{pdf.StandardNone, pdf.StandardA2b, pdf.StandardA1b, pdf.StandardA3b} {
		b.Run(string(std), func(b *testing.B) {
			for i := range n { // warm: every document's subsets built once
				if _, err := pdf.Render(docs[i], pdf.Options{Standard: std}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			total, i := 0, 0
			for b.Loop() {
				out, err := pdf.Render(docs[i%n], pdf.Options{Standard: std, Source: &pdf.Attachment{Name: "report.json", MIME: "application/json", Data: sources[i%n]}})
				if err != nil {
					b.Fatal(err)
				}
				total += len(out)
				i++
			}
			b.ReportMetric(float64(total)/float64(i), "bytes/pdf")
		})
	}
}

// BenchmarkArchivalCost renders each distinct generated report as none
// and as a-2b back to back and reports the median and mean difference of
// their CPU time, which load on a shared machine disturbs far less than
// two separate runs.
func BenchmarkArchivalCost(b *testing.B) {
	const n = 40
	docs := make([]*render.Document, n)
	for i := range n {
		docs[i] = pipelineDocument(b, reportgen.Generate(2026, i).JSON(), false)
		if _, err := pdf.Render(docs[i], pdf.Options{Standard: pdf.StandardNone}); err != nil {
			b.Fatal(err)
		}
	}
	var diffs []float64
	var extraBytes float64
	i := 0
	for b.Loop() {
		doc := docs[i%n]
		i++
		// CPU time of the process (GC included), which other processes
		// on a shared machine disturb less than wall time.
		timed := func(std pdf.Standard) ([]byte, time.Duration) {
			c0 := cpuTime()
			out, err := pdf.Render(doc, pdf.Options{Standard: std})
			if err != nil {
				b.Fatal(err)
			}
			return out, time.Duration(cpuTime() - c0)
		}
		// Alternate which goes first, so neither always runs warmer.
		var plain, archival []byte
		var tp, ta time.Duration
		if i%2 == 0 {
			plain, tp = timed(pdf.StandardNone)
			archival, ta = timed(pdf.StandardA2b)
		} else {
			archival, ta = timed(pdf.StandardA2b)
			plain, tp = timed(pdf.StandardNone)
		}
		diffs = append(diffs, float64(ta-tp))
		extraBytes += float64(len(archival) - len(plain))
	}
	mean := 0.0
	for _, d := range diffs {
		mean += d / float64(len(diffs))
	}
	slices.Sort(diffs)
	b.ReportMetric(diffs[len(diffs)/2]/1e6, "a2b-extra-cpu-ms(median)")
	b.ReportMetric(mean/1e6, "a2b-extra-cpu-ms(mean)")
	b.ReportMetric(extraBytes/float64(i), "a2b-extra-bytes")
}
