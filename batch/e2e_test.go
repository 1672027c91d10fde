package batch

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gongwen/gen/reportgen"
	"gongwen/report"
)

var (
	realOnce   sync.Once
	realEngine *report.Pipeline
	realErr    error
)

func pipeline() (*report.Pipeline, error) {
	realOnce.Do(func() { realEngine, realErr = report.New(report.Config{Version: "test"}) })
	return realEngine, realErr
}

func realConfig(out string) Config {
	cfg := Config{OutDir: out, Version: "test", Checkpoint: 50 * time.Millisecond, Now: fixedNow}
	if p, err := pipeline(); err == nil {
		cfg.Engine = p
	} else {
		fmt.Fprintln(os.Stderr, err)
	}
	return cfg
}

// TestRealEngineSIGKILLThenResume is the kill test with the real engine:
// PDF and DOCX outputs of a batch process killed twice are either absent
// or complete, and the resumed batch equals an uninterrupted one byte for
// byte (which also shows the engine's outputs are deterministic across
// processes).
func TestRealEngineSIGKILLThenResume(t *testing.T) {
	if testing.Short() {
		t.Skip("renders with the real engine in child processes")
	}
	if _, err := pipeline(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeInputs(t, dir, 77, 60)
	in := filepath.Join(dir, "in")
	ref := filepath.Join(dir, "ref")
	runDir(t, realConfig(ref), in)
	want := tree(t, ref)

	out := filepath.Join(dir, "out")
	for round, after := range []int{20, 70} {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "GONGWEN_BATCH_CHILD=real", "GONGWEN_BATCH_IN="+in, "GONGWEN_BATCH_OUT="+out)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(60 * time.Second)
		for countOutputs(out) < after && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("round %d: child was not killed: %v %s", round, cmd.ProcessState, stderr.String())
		}
		for rel, data := range tree(t, out) {
			if strings.Contains(rel, tempPrefix) || strings.HasPrefix(rel, ".gongwen-batch-") || strings.HasPrefix(rel, "manifest") {
				continue
			}
			if !bytes.Equal(data, want[rel]) {
				t.Fatalf("round %d: %s is partial or differs after SIGKILL (%d bytes, want %d)", round, rel, len(data), len(want[rel]))
			}
		}
		t.Logf("round %d: killed with %d outputs on disk", round, countOutputs(out))
	}
	res := runDir(t, realConfig(out), in)
	t.Logf("resume: %d kept, %d rendered, %d temporary files removed", res.Skipped, res.Rendered, res.Swept)
	if !res.Manifest.Complete || res.Manifest.Summary.Outputs != 120 || res.Manifest.Summary.Failed != 0 {
		t.Fatalf("resumed: %+v", res.Manifest.Summary)
	}
	verifyOutputs(t, out, res.Manifest)
	if !sameTree(without(tree(t, out), ".gongwen-batch-all.lock"), without(want, ".gongwen-batch-all.lock")) {
		t.Fatal("the resumed tree differs from an uninterrupted run")
	}
	for rel, data := range want {
		switch {
		case strings.HasSuffix(rel, ".pdf"):
			if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.Contains(data[len(data)-32:], []byte("%%EOF")) {
				t.Fatalf("%s is not a complete PDF", rel)
			}
		case strings.HasSuffix(rel, ".docx"):
			zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatalf("%s: %v", rel, err)
			}
			found := false
			for _, f := range zr.File {
				found = found || f.Name == "word/document.xml"
			}
			if !found {
				t.Fatalf("%s has no word/document.xml", rel)
			}
		}
	}
}

func without(m map[string][]byte, keys ...string) map[string][]byte {
	for _, k := range keys {
		delete(m, k)
	}
	return m
}

// --allow-problems renders a report that breaks R2 as published, and the
// manifest says it was rendered with errors.
func TestRealEngineAllowProblems(t *testing.T) {
	engine, err := pipeline()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	rep := reportgen.Generate(3, 3)
	if err := reportgen.Break(rep, reportgen.R2, 3, 3); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(in, "r2.json"), rep.JSON(), 0o644)
	opts := report.DefaultOptions()
	opts.AllowProblems = true
	res := runDir(t, Config{Engine: engine, OutDir: filepath.Join(dir, "out"), Options: opts, Version: "test"}, in)
	e := res.Manifest.Inputs[0]
	if e.Status != StatusRenderedWithErrors || len(e.Outputs) != 2 || res.Manifest.Summary.RenderedWithErrors != 1 || res.Manifest.Summary.Failed != 0 {
		t.Fatalf("entry %+v, summary %+v", e, res.Manifest.Summary)
	}
	found := false
	for _, p := range e.Problems {
		found = found || p.Rule == "R2"
	}
	if !found || !res.Manifest.Settings.AllowProblems {
		t.Fatalf("R2 not recorded: %+v", e.Problems)
	}
	// Without --allow-problems the same output directory renders it again
	// (the settings differ) and records the failure.
	res = runDir(t, Config{Engine: engine, OutDir: filepath.Join(dir, "out"), Version: "test"}, in)
	if e := res.Manifest.Inputs[0]; e.Status != StatusFailed || res.Skipped != 0 {
		t.Fatalf("strict rerun: %+v", e)
	}
	// The documents the strict run refuses are not left behind.
	if res.Removed != 2 {
		t.Fatalf("removed %d stale outputs, want 2", res.Removed)
	}
	verifyOutputs(t, filepath.Join(dir, "out"), res.Manifest)
}
