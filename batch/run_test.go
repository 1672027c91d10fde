package batch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongwen/gen/reportgen"
	"gongwen/render/pdf"
	"gongwen/report"
)

// writeInputs writes n generated reports to dir/in and returns their paths.
func writeInputs(t testing.TB, dir string, seed uint64, n int) []string {
	t.Helper()
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for i := range n {
		p := filepath.Join(in, fmt.Sprintf("r%05d.json", i))
		if err := os.WriteFile(p, reportgen.Generate(seed, i).JSON(), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

func runDir(t testing.TB, cfg Config, args ...string) *Result {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = fixedNow // runs compare byte for byte
	}
	src, err := OpenInputs(args, nil, []string{cfg.OutDir}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	res, err := Run(context.Background(), src, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// tree maps every file under dir (relative, slash-separated) to its bytes.
func tree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			data, _ := os.ReadFile(p)
			files[filepath.ToSlash(rel)] = data
		}
		return nil
	})
	return files
}

// verifyOutputs checks every output the manifest lists against the file on
// disk, and that nothing else (no temporary file) is in the output tree.
func verifyOutputs(t testing.TB, out string, m *Manifest) {
	t.Helper()
	listed := map[string]bool{filepath.Base(filepath.Join(out, "manifest.json")): true}
	for _, e := range m.Inputs {
		for _, o := range e.Outputs {
			data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(o.Path)))
			if err != nil {
				t.Fatalf("%s: %v", o.Path, err)
			}
			sum := sha256.Sum256(data)
			if hex.EncodeToString(sum[:]) != o.SHA256 || int64(len(data)) != o.Size {
				t.Fatalf("%s does not match the manifest", o.Path)
			}
			listed[o.Path] = true
		}
	}
	for rel := range tree(t, out) {
		if !listed[rel] && !strings.HasPrefix(rel, "manifest") && !strings.HasPrefix(rel, ".gongwen-batch-") {
			t.Errorf("unlisted file in the output tree: %s", rel)
		}
	}
}

func TestRunRendersRecordsAndResumes(t *testing.T) {
	dir := t.TempDir()
	writeInputs(t, dir, 1, 40)
	in := filepath.Join(dir, "in")
	os.WriteFile(filepath.Join(in, "zz-bad-json.json"), []byte(`{"organ": "坏镇人民政府", "year": 2024,`), 0o644)
	os.WriteFile(filepath.Join(in, "zz-invalid.json"), []byte(`{"organ":"错镇人民政府","year":2023,"fakeError":true}`), 0o644)
	os.WriteFile(filepath.Join(in, "zz-panic.json"), []byte(`{"organ":"崩镇人民政府","year":2023,"fakePanic":true}`), 0o644)
	os.WriteFile(filepath.Join(in, "zz-warning.json"), []byte(`{"organ":"警镇人民政府","year":2022,"fakeWarning":true}`), 0o644)
	out := filepath.Join(dir, "out")
	cfg := Config{Engine: &fakeEngine{}, OutDir: out, Jobs: 3, Version: "test"}

	res := runDir(t, cfg, in)
	m := res.Manifest
	if !m.Complete || m.Summary.Inputs != 44 || m.Summary.Failed != 3 || m.Summary.Outputs != 2*41 || res.Rendered != 44 {
		t.Fatalf("summary %+v, rendered %d", m.Summary, res.Rendered)
	}
	status := map[string]Status{}
	for _, e := range m.Inputs {
		status[filepath.Base(e.Path)] = e.Status
	}
	if status["zz-bad-json.json"] != StatusFailed || status["zz-invalid.json"] != StatusFailed ||
		status["zz-panic.json"] != StatusError || status["zz-warning.json"] != StatusRendered {
		t.Fatalf("statuses %v", status)
	}
	for _, e := range m.Inputs {
		if filepath.Base(e.Path) == "zz-invalid.json" && (len(e.Problems) != 1 || e.Problems[0].Rule != "R1") {
			t.Fatalf("problems of the invalid input not recorded: %+v", e)
		}
	}
	verifyOutputs(t, out, m)
	first := tree(t, out)

	// A second run skips everything that succeeded or failed for good,
	// retries the internal error, and writes the same manifest.
	res2 := runDir(t, cfg, in)
	if res2.Skipped != 43 || res2.Rendered != 1 {
		t.Fatalf("second run: %d skipped, %d rendered", res2.Skipped, res2.Rendered)
	}
	if second := tree(t, out); !sameTree(first, second) {
		t.Fatal("second run changed the output tree")
	}

	// A damaged output is noticed by its hash and redone.
	var victim string
	for _, e := range m.Inputs {
		if len(e.Outputs) > 0 {
			victim = filepath.Join(out, filepath.FromSlash(e.Outputs[0].Path))
			break
		}
	}
	data, _ := os.ReadFile(victim)
	os.WriteFile(victim, data[:len(data)/2], 0o644)
	res3 := runDir(t, cfg, in)
	if res3.Rendered != 2 { // the damaged one and the panicking one
		t.Fatalf("third run rendered %d", res3.Rendered)
	}
	if !sameTree(first, tree(t, out)) {
		t.Fatal("redone output differs")
	}

	// --force redoes everything, to the same bytes.
	cfg.Force = true
	if res4 := runDir(t, cfg, in); res4.Rendered != 44 || res4.Skipped != 0 {
		t.Fatalf("forced run: %d rendered, %d skipped", res4.Rendered, res4.Skipped)
	}
	if !sameTree(first, tree(t, out)) {
		t.Fatal("forced run changed the output tree")
	}
}

func sameTree(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !bytes.Equal(b[k], v) {
			return false
		}
	}
	return true
}

// The same inputs in another directory, with another number of workers,
// give byte-identical outputs and manifest.
func TestRunIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	writeInputs(t, dir, 2, 30)
	in := filepath.Join(dir, "in")
	chdir(t, dir)
	a := runDir(t, Config{Engine: &fakeEngine{}, OutDir: "out-a", Jobs: 1, Version: "test"}, "in")
	b := runDir(t, Config{Engine: &fakeEngine{}, OutDir: "out-b", Jobs: 4, Version: "test"}, "in")
	_ = in
	if !sameTree(tree(t, "out-a"), tree(t, "out-b")) {
		t.Fatal("two runs over the same inputs differ")
	}
	if a.Manifest.Summary != b.Manifest.Summary {
		t.Fatal("summaries differ")
	}
}

// Reports of the same organ and year get distinct names, the same on
// every run whatever the order of completion.
func TestRunResolvesNameCollisions(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	for i, body := range []string{
		`{"organ":"甲镇人民政府","year":2024,"n":1}`,
		`{"organ":"甲镇人民政府","year":2024,"n":2}`,
		`{"organ":"甲镇/人民政府","year":2024}`,
		`{"organ":"甲镇人民政府","year":2023}`,
	} {
		os.WriteFile(filepath.Join(in, fmt.Sprintf("%d.json", i)), []byte(body), 0o644)
	}
	res := runDir(t, Config{Engine: &fakeEngine{}, OutDir: filepath.Join(dir, "out"), Formats: []report.Format{report.PDF}, Version: "test"}, in)
	var got []string
	for _, e := range res.Manifest.Inputs {
		got = append(got, e.Outputs[0].Path)
	}
	sha := res.Manifest.Inputs[1].SHA256[:8]
	want := []string{
		"2024/甲镇人民政府-2024年度政府信息公开工作年度报告.pdf",
		"2024/甲镇人民政府-2024年度政府信息公开工作年度报告-" + sha + ".pdf",
		"2024/甲镇_人民政府-2024年度政府信息公开工作年度报告.pdf",
		"2023/甲镇人民政府-2023年度政府信息公开工作年度报告.pdf",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Shards partition the inputs; their outputs together are the unsharded
// run's, so shards can share one output directory.
func TestRunShards(t *testing.T) {
	dir := t.TempDir()
	writeInputs(t, dir, 3, 30)
	in := filepath.Join(dir, "in")
	whole := runDir(t, Config{Engine: &fakeEngine{}, OutDir: filepath.Join(dir, "whole"), Version: "test"}, in)
	shared := filepath.Join(dir, "shared")
	seen := map[string]int{}
	for k := range 3 {
		res := runDir(t, Config{Engine: &fakeEngine{}, OutDir: shared, Shard: Shard{k, 3}, Version: "test"}, in)
		if res.ManifestPath != filepath.Join(shared, fmt.Sprintf("manifest-%d-of-3.json", k)) {
			t.Fatalf("manifest at %s", res.ManifestPath)
		}
		for _, e := range res.Manifest.Inputs {
			seen[e.Path]++
		}
	}
	if len(seen) != 30 {
		t.Fatalf("shards covered %d of 30 inputs", len(seen))
	}
	for p, n := range seen {
		if n != 1 {
			t.Fatalf("%s in %d shards", p, n)
		}
	}
	w, s := tree(t, filepath.Join(dir, "whole")), tree(t, shared)
	for rel, data := range w {
		if strings.HasPrefix(rel, "manifest") || strings.HasPrefix(rel, ".") {
			continue
		}
		if !bytes.Equal(s[rel], data) {
			t.Fatalf("%s differs between the sharded and the whole run", rel)
		}
	}
	_ = whole
}

func TestRunRefusesConcurrentRunOfTheSameShard(t *testing.T) {
	out := t.TempDir()
	unlock, err := lockShard(filepath.Join(out, ".gongwen-batch-all.lock"))
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	_, err = Run(context.Background(), Items(), Config{Engine: &fakeEngine{}, OutDir: out})
	if err == nil || !strings.Contains(err.Error(), "another gongwen batch") {
		t.Fatalf("second run: %v", err)
	}
}

// An engine that can render a validated Outcome validates each input once
// for both formats.
func TestRunValidatesOncePerInput(t *testing.T) {
	dir := t.TempDir()
	writeInputs(t, dir, 12, 10)
	eng := &outcomeEngine{}
	res := runDir(t, Config{Engine: eng, OutDir: filepath.Join(dir, "out"), Version: "test"}, filepath.Join(dir, "in"))
	if res.Manifest.Summary.Outputs != 20 || eng.validations.Load() != 10 {
		t.Fatalf("%d outputs, %d validations", res.Manifest.Summary.Outputs, eng.validations.Load())
	}
}

// When a new report takes an earlier report's name, the earlier one is
// renamed and no file is left that the manifest does not list.
func TestRunRenamesWithoutLeavingStaleFiles(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	os.MkdirAll(in, 0o755)
	os.WriteFile(filepath.Join(in, "b.json"), []byte(`{"organ":"乙镇人民政府","year":2024,"v":"b"}`), 0o644)
	os.WriteFile(filepath.Join(in, "c.json"), []byte(`{"organ":"丙镇人民政府","year":2024}`), 0o644)
	cfg := Config{Engine: &fakeEngine{}, OutDir: out, Version: "test"}
	runDir(t, cfg, in)

	os.WriteFile(filepath.Join(in, "a.json"), []byte(`{"organ":"乙镇人民政府","year":2024,"v":"a"}`), 0o644)
	os.WriteFile(filepath.Join(in, "c.json"), []byte(`{"organ":"丙镇人民政府","year":2024,"fakeError":1}`), 0o644)
	res := runDir(t, cfg, in)
	if res.Manifest.Inputs[1].Outputs[0].Path == res.Manifest.Inputs[0].Outputs[0].Path {
		t.Fatal("a and b share a name")
	}
	if res.Removed != 2 { // c's two outputs; b's old name now belongs to a
		t.Fatalf("removed %d", res.Removed)
	}
	verifyOutputs(t, out, res.Manifest)
	if n := countOutputs(out); n != 4 {
		t.Fatalf("%d outputs on disk, want 4", n)
	}
}

// datedEngine renders the options that shape a file into it: the document
// date (with its offset) and the PDF standard.
type datedEngine struct{ fakeEngine }

func (d *datedEngine) Render(ctx context.Context, raw []byte, f report.Format, opts report.Options) ([]byte, *report.Outcome, error) {
	b, o, err := d.fakeEngine.Render(ctx, raw, f, opts)
	if err != nil {
		return b, o, err
	}
	return append([]byte(opts.Created.Format(time.RFC3339)+" "+string(opts.PDFStandard)+"\n"), b...), o, nil
}

// A batch dates every document with one time, records it (and the PDF
// standard, per output too), keeps it when resumed, and a rerun with
// --created set to it reproduces the outputs byte for byte.
func TestRunRecordsOneDate(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "")
	t.Setenv("GONGWEN_ZONE", "")
	dir := t.TempDir()
	writeInputs(t, dir, 5, 6)
	in := filepath.Join(dir, "in")
	clock := func(h int) func() time.Time {
		return func() time.Time { return time.Date(2026, 12, 4, h, 0, 0, 999, time.UTC) }
	}
	opts := report.DefaultOptions()
	opts.PDFStandard = pdf.StandardA3b
	cfg := Config{Engine: &datedEngine{}, OutDir: filepath.Join(dir, "a"), Version: "test", Options: opts, Now: clock(1)}
	m := runDir(t, cfg, in).Manifest
	if s := m.Settings; s.Created != "2026-12-04T09:00:00+08:00" || s.Zone != "+08:00" || s.PDFStandard != pdf.StandardA3b {
		t.Fatalf("settings %+v", s)
	}
	for _, e := range m.Inputs {
		for _, o := range e.Outputs {
			if want := map[report.Format]pdf.Standard{report.PDF: pdf.StandardA3b, report.DOCX: ""}[o.Format]; o.PDFStandard != want {
				t.Errorf("%s: pdfStandard %q, want %q", o.Path, o.PDFStandard, want)
			}
			data, _ := os.ReadFile(filepath.Join(cfg.OutDir, filepath.FromSlash(o.Path)))
			if !bytes.HasPrefix(data, []byte("2026-12-04T09:00:00+08:00 a-3b\n")) {
				t.Errorf("%s is dated %.30q", o.Path, data)
			}
		}
	}
	first := tree(t, cfg.OutDir)

	// Resumed later: the run's date is kept, nothing is redone.
	cfg.Now = clock(5)
	if res := runDir(t, cfg, in); res.Skipped != 6 || res.Manifest.Settings.Created != m.Settings.Created {
		t.Fatalf("resume: %d skipped, created %s", res.Skipped, res.Manifest.Settings.Created)
	}
	// --force is a new run: a new date.
	cfg.Force = true
	if res := runDir(t, cfg, in); res.Rendered != 6 || res.Manifest.Settings.Created != "2026-12-04T13:00:00+08:00" {
		t.Fatalf("forced run: %d rendered, created %s", res.Rendered, res.Manifest.Settings.Created)
	}
	// Elsewhere, at another time, with --created of the first run: the
	// same bytes, manifest included.
	created, err := report.ParseCreated(m.Settings.Created, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Force, cfg.Now, cfg.OutDir, cfg.Options.Created = false, clock(7), filepath.Join(dir, "b"), created
	runDir(t, cfg, in)
	if !sameTree(first, tree(t, cfg.OutDir)) {
		t.Fatal("a rerun with --created differs from the first run")
	}
	// Another standard is another output: not reused.
	cfg.OutDir, cfg.Options.PDFStandard = filepath.Join(dir, "a"), pdf.StandardA1b
	if res := runDir(t, cfg, in); res.Rendered != 6 {
		t.Fatalf("a-1b after a-3b rendered %d, want 6", res.Rendered)
	}
}

// The DOCX outputs record whether they embed fonts (settings and each
// DOCX output); named fonts are other outputs, not reused; a manifest
// written before the choice existed stands for embedded fonts.
func TestRunRecordsDOCXFonts(t *testing.T) {
	dir := t.TempDir()
	writeInputs(t, dir, 7, 3)
	in := filepath.Join(dir, "in")
	cfg := Config{Engine: &fakeEngine{}, OutDir: filepath.Join(dir, "out"), Version: "test", Options: report.DefaultOptions(),
		Formats: []report.Format{report.PDF, report.DOCX}}
	check := func(m *Manifest, want report.DOCXFonts) {
		t.Helper()
		if m.Settings.DOCXFonts != want {
			t.Errorf("settings docxFonts %q, want %q", m.Settings.DOCXFonts, want)
		}
		for _, e := range m.Inputs {
			for _, o := range e.Outputs {
				if w := map[report.Format]report.DOCXFonts{report.DOCX: want}[o.Format]; o.DOCXFonts != w {
					t.Errorf("%s: docxFonts %q, want %q", o.Path, o.DOCXFonts, w)
				}
			}
		}
	}
	res := runDir(t, cfg, in)
	check(res.Manifest, report.DOCXFontsEmbedded)

	// A manifest of an earlier version, without docxFonts: its DOCX
	// embedded fonts, so a default run reuses every output.
	old, err := ReadManifest(res.ManifestPath)
	if err != nil {
		t.Fatal(err)
	}
	old.Settings.DOCXFonts = ""
	for i := range old.Inputs {
		for j := range old.Inputs[i].Outputs {
			old.Inputs[i].Outputs[j].DOCXFonts = ""
		}
	}
	data, err := json.MarshalIndent(old, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("docxFonts")) {
		t.Fatalf("the old manifest records docxFonts: %.300s", data)
	}
	if err := os.WriteFile(res.ManifestPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if res := runDir(t, cfg, in); res.Skipped != 3 || res.Rendered != 0 {
		t.Errorf("after an old manifest: %d skipped, %d rendered", res.Skipped, res.Rendered)
	}

	cfg.Options.DOCXFonts = report.DOCXFontsNamed
	res = runDir(t, cfg, in)
	if res.Rendered != 3 {
		t.Errorf("named after embedded rendered %d, want 3", res.Rendered)
	}
	check(res.Manifest, report.DOCXFontsNamed)

	// A run of PDF alone reuses the PDFs whatever the DOCX fonts were.
	cfg.Options.DOCXFonts = ""
	cfg.Formats = []report.Format{report.PDF}
	if res := runDir(t, cfg, in); res.Skipped != 3 || res.Rendered != 0 {
		t.Errorf("PDF alone after PDF and DOCX: %d skipped, %d rendered, want 3 and 0", res.Skipped, res.Rendered)
	}
}
