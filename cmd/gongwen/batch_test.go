package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gongwen/batch"
	"gongwen/internal/testkit"
)

// TestBatchCommand is the acceptance test of issue 7: 200 generated
// reports and 3 broken ones give 400 outputs, a manifest listing the 3
// failures with their problems, exit code 1; the second run skips
// everything and writes the same manifest.
func TestBatchCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 400 documents")
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	for _, args := range [][]string{
		{"gen", "--seed", "2024", "--count", "200", "--out", in},
		{"gen", "--seed", "2024", "--start", "200", "--count", "1", "--break", "R1", "--out", in},
		{"gen", "--seed", "2024", "--start", "201", "--count", "1", "--break", "R4", "--out", in},
	} {
		if code, _, errs := runCLI(args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
	}
	if err := os.WriteFile(filepath.Join(in, "truncated.json"), []byte(`{"organ": "𥔲嘉镇人民政府", "year": 2024, "overview": [`), 0o644); err != nil {
		t.Fatal(err)
	}

	code, _, errs := runCLI("batch", in, "--out", out) // flags after the input work too
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, errs)
	}
	m, err := batch.ReadManifest(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Summary.Inputs != 203 || m.Summary.Rendered != 200 || m.Summary.Failed != 3 || m.Summary.Outputs != 400 || !m.Complete {
		t.Fatalf("summary %+v", m.Summary)
	}
	failed := map[string]string{}
	for _, e := range m.Inputs {
		if e.Failed() {
			if len(e.Problems) == 0 || e.SHA256 == "" {
				t.Errorf("%s: failure without problems or hash: %+v", e.Path, e)
			}
			failed[filepath.Base(e.Path)] = e.Problems[0].Rule
		}
	}
	if failed["report-000200.json"] != "R1" || failed["report-000201.json"] != "R4" || failed["truncated.json"] != "json" {
		t.Fatalf("failures %v", failed)
	}
	if !strings.Contains(errs, "failed (3):") || !strings.Contains(errs, "truncated.json") {
		t.Fatalf("failures not listed at the end:\n%s", errs)
	}
	var pdfs, docxs int
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(p)
		switch filepath.Ext(p) {
		case ".pdf":
			pdfs++
			if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.Contains(data[max(0, len(data)-32):], []byte("%%EOF")) {
				t.Errorf("%s is not a complete PDF", p)
			}
		case ".docx":
			docxs++
			if _, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err != nil {
				t.Errorf("%s: %v", p, err)
			}
		}
		return nil
	})
	if pdfs != 200 || docxs != 200 {
		t.Fatalf("%d PDF and %d DOCX files on disk", pdfs, docxs)
	}
	checkPDFText(t, out, m)

	if code, stdout, errs := runCLI("batch", "--verify", "--out", out); code != 0 || !strings.Contains(stdout, "400 outputs checked, 0 do not match") {
		t.Fatalf("verify: exit %d: %s%s", code, stdout, errs)
	}
	first, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
	code, _, errs = runCLI("batch", "--out", out, in)
	if code != 1 || !strings.Contains(errs, "rendered 0 and kept 203") {
		t.Fatalf("second run: exit %d\n%s", code, errs)
	}
	if second, _ := os.ReadFile(filepath.Join(out, "manifest.json")); !bytes.Equal(first, second) {
		t.Fatal("the second run changed the manifest")
	}
}

// checkPDFText reads one output back with pdftotext: the organ's name must
// come out of the PDF as text.
func checkPDFText(t *testing.T, out string, m *batch.Manifest) {
	pdftotext := testkit.Tool(t, "pdftotext")
	e := m.Inputs[0]
	raw, err := os.ReadFile(e.Path)
	if err != nil {
		t.Fatal(err)
	}
	organ := string(raw[bytes.Index(raw, []byte(`"organ": "`))+10:])
	organ = organ[:strings.IndexByte(organ, '"')]
	txt, err := exec.Command(pdftotext, filepath.Join(out, filepath.FromSlash(e.Outputs[0].Path)), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(strings.Fields(string(txt)), ""), organ) {
		t.Fatalf("pdftotext of %s does not contain %q", e.Outputs[0].Path, organ)
	}
}

func TestBatchUsage(t *testing.T) {
	for _, args := range [][]string{
		{"batch"},
		{"batch", "--format", "odt", "x"},
		{"batch", "--shard", "3/3", "x"},
		{"gen"},
		{"gen", "--out", "a", "--ndjson"},
	} {
		if code, _, _ := runCLI(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

// A zip of reports rendered in two shards into one directory gives every
// output once, with one manifest per shard.
func TestBatchZipInShards(t *testing.T) {
	dir := t.TempDir()
	zipPath, out := filepath.Join(dir, "reports.zip"), filepath.Join(dir, "out")
	if code, _, errs := runCLI("gen", "--seed", "8", "--count", "6", "--zip", zipPath); code != 0 {
		t.Fatalf("gen: %s", errs)
	}
	total := 0
	for _, shard := range []string{"0/2", "1/2"} {
		code, _, errs := runCLI("batch", "--quiet", "--format", "docx", "--shard", shard, "--out", out, zipPath)
		if code != 0 {
			t.Fatalf("shard %s: exit %d\n%s", shard, code, errs)
		}
		m, err := batch.ReadManifest(filepath.Join(out, "manifest-"+strings.Replace(shard, "/", "-of-", 1)+".json"))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range m.Inputs {
			if !strings.HasPrefix(e.Path, filepath.ToSlash(zipPath)+"!/report-") || len(e.Outputs) != 1 {
				t.Fatalf("entry %+v", e)
			}
		}
		total += m.Summary.Inputs
	}
	docx, _ := filepath.Glob(filepath.Join(out, "*", "*.docx"))
	if total != 6 || len(docx) != 6 {
		t.Fatalf("%d inputs in the shard manifests, %d DOCX files", total, len(docx))
	}
}

func TestGenNDJSONIsDeterministic(t *testing.T) {
	code, a, errs := runCLI("gen", "--seed", "5", "--count", "20", "--ndjson")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	_, b, _ := runCLI("gen", "--seed", "5", "--count", "20", "--ndjson")
	lines := strings.Split(strings.TrimSuffix(a, "\n"), "\n")
	if a != b || len(lines) != 20 {
		t.Fatalf("%d lines; same output twice: %v", len(lines), a == b)
	}
	for i, l := range lines {
		if !json.Valid([]byte(l)) || !strings.HasPrefix(l, `{"`) {
			t.Fatalf("line %d is not one JSON object: %.80s", i+1, l)
		}
	}
	if code, _, _ := runCLI("gen", "--ndjson", "--break", "R7"); code != 1 {
		t.Fatalf("unknown rule: exit %d", code)
	}
}

// The batch answers SIGTERM in every phase, also while reading NDJSON from
// a pipe that never ends (issue 14 item 25).
func TestBatchSignalWhileReadingInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := filepath.Join(t.TempDir(), "gongwen")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "batch", "-", "--out", t.TempDir())
	stdin, err := cmd.StdinPipe() // never closed: the read blocks
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	errPipe, errW := io.Pipe() // not StderrPipe: Wait must not close it under the reader
	cmd.Stderr = errW
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Signal once it says it is reading the inputs (a fixed sleep would
	// race a slow start under load).
	var stderr strings.Builder
	lines := bufio.NewScanner(errPipe)
	reading := make(chan bool, 1)
	go func() {
		said := false
		for lines.Scan() {
			stderr.WriteString(lines.Text() + "\n")
			if !said && strings.Contains(lines.Text(), "reading the inputs") {
				said = true
				reading <- true
			}
		}
		close(reading)
	}()
	select {
	case <-reading:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the batch never said it was reading the inputs")
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { err := cmd.Wait(); errW.Close(); done <- err }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("SIGTERM ignored while reading the inputs")
	}
	for range reading { // the rest of stderr
	}
	if code := cmd.ProcessState.ExitCode(); code != 130 || !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("exit %d, stderr %q; want 130 and a word on it", code, stderr.String())
	}
}

// Exit statuses separate "done, some inputs invalid" (1: rerunning changes
// nothing) from "could not run or should be retried" (3) (issue 14 item 19).
func TestBatchExitCodes(t *testing.T) {
	manifest := func(statuses ...batch.Status) *batch.Result {
		m := &batch.Manifest{}
		for _, s := range statuses {
			m.Inputs = append(m.Inputs, batch.Entry{Status: s})
			if s == batch.StatusFailed || s == batch.StatusError {
				m.Summary.Failed++
			}
		}
		return &batch.Result{Manifest: m}
	}
	for _, c := range []struct {
		res  *batch.Result
		err  error
		want int
	}{
		{manifest(batch.StatusRendered, batch.StatusRenderedWithErrors), nil, 0},
		{manifest(batch.StatusRendered, batch.StatusFailed), nil, 1},
		{manifest(batch.StatusFailed, batch.StatusError), nil, 3},
		{nil, errors.New("output directory: permission denied"), 3},
		{manifest(batch.StatusRendered), context.Canceled, 130},
	} {
		if got := batchExitCode(c.res, c.err, io.Discard); got != c.want {
			t.Errorf("%v %v: exit %d, want %d", c.res, c.err, got, c.want)
		}
	}
	// End to end: an invalid report gives 1.
	bad := editedExample(t, func(m map[string]any) {
		m["reviewLitigation"].(map[string]any)["review"].(map[string]any)["total"] = 3
	})
	if code, _, errs := runCLI("batch", bad, "--out", t.TempDir(), "--format", "docx", "--quiet"); code != 1 {
		t.Errorf("an invalid report: exit %d\n%s", code, errs)
	}
}
