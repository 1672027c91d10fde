package batch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"gongwen/gen/reportgen"
	"gongwen/report"
)

// A FIFO (or socket, device) named *.json is skipped with its reason, found
// in a directory or given by name, and never blocks the batch (issue 14
// item 25).
func TestNonRegularInputsSkipped(t *testing.T) {
	dir := t.TempDir()
	writeInputs(t, dir, 5, 2)
	fifo := filepath.Join(dir, "in", "pipe.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan *Result, 1)
	go func() {
		done <- runDir(t, Config{Engine: &fakeEngine{}, OutDir: filepath.Join(dir, "out"), Version: "test"}, filepath.Join(dir, "in"), fifo)
	}()
	var res *Result
	select {
	case res = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the batch blocked on a FIFO")
	}
	fifos := 0
	for _, e := range res.Manifest.Inputs {
		if strings.HasSuffix(e.Path, "pipe.json") {
			fifos++
			if e.Status != StatusFailed || !strings.Contains(e.Error, "named pipe (FIFO), skipped") {
				t.Errorf("%s: %s %q", e.Path, e.Status, e.Error)
			}
		} else if e.Status != StatusRendered {
			t.Errorf("%s: %s %q", e.Path, e.Status, e.Error)
		}
	}
	if fifos != 2 {
		t.Errorf("the FIFO is listed %d times, want 2 (found in the directory and given by name)", fifos)
	}
	// A file replaced by a FIFO after it was listed opens without blocking.
	if _, err := openRegular(fifo); !errors.Is(err, ErrNotRegular) {
		t.Errorf("openRegular(FIFO): %v", err)
	}
}

// A signal while the inputs are listed or hashed stops the batch: Run
// honours its context in every phase (item 25).
func TestRunCancelledWhileScanning(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src := &endlessSource{}
	_, err := Run(ctx, src, Config{Engine: &fakeEngine{}, OutDir: t.TempDir(), Version: "test"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run on a cancelled context: %v", err)
	}
}

// endlessSource never runs out: only the context can stop a scan of it.
type endlessSource struct{ n atomic.Int64 }

func (s *endlessSource) Next() (Item, error) {
	n := s.n.Add(1)
	return ItemBytes(fmt.Sprintf("r%d", n), reportgen.Generate(1, int(n)).JSON()), nil
}
func (s *endlessSource) Close() error { return nil }

// editingEngine rewrites another input's file while rendering the first:
// an input edited between the scan and its render.
type editingEngine struct {
	fakeEngine
	victim string
	with   []byte
	once   atomic.Bool
}

func (e *editingEngine) Render(ctx context.Context, raw []byte, f report.Format, o report.Options) ([]byte, *report.Outcome, error) {
	if e.once.CompareAndSwap(false, true) {
		if err := os.WriteFile(e.victim, e.with, 0o644); err != nil {
			panic(err)
		}
	}
	return e.fakeEngine.Render(ctx, raw, f, o)
}

// An input edited during a batch is never archived under the name of other
// content: it is read once, and hash, name and document are of those bytes
// (item 26). The next run sees the edit and redoes it.
func TestInputEditedDuringBatch(t *testing.T) {
	dir := t.TempDir()
	paths := writeInputs(t, dir, 7, 2)
	original, err := os.ReadFile(paths[1])
	if err != nil {
		t.Fatal(err)
	}
	other := reportgen.Generate(99, 0).JSON() // another organ, another name
	eng := &editingEngine{victim: paths[1], with: other}
	out := filepath.Join(dir, "out")
	cfg := Config{Engine: eng, OutDir: out, Jobs: 1, Formats: []report.Format{report.PDF}, Version: "test"}
	res := runDir(t, cfg, paths...)
	e := res.Manifest.Inputs[1]
	oldName, _ := (&fakeEngine{}).OutputPath(original)
	sum := sha256.Sum256(original)
	if e.Status != StatusRendered || e.SHA256 != hex.EncodeToString(sum[:]) || len(e.Outputs) != 1 || !strings.HasPrefix(e.Outputs[0].Path, strings.Join(oldName, "/")) {
		t.Fatalf("edited input: %s %q %+v; want the content as scanned, named by it", e.Status, e.Error, e.Outputs)
	}
	got, _ := os.ReadFile(filepath.Join(out, filepath.FromSlash(e.Outputs[0].Path)))
	if string(got) != string(fakeOutput(original, report.PDF, 0)) {
		t.Error("the document is not of the bytes the name and hash are of")
	}
	// The next run reads the new content and names it by it.
	cfg.Engine = &fakeEngine{}
	res = runDir(t, cfg, paths...)
	e = res.Manifest.Inputs[1]
	name, _ := (&fakeEngine{}).OutputPath(other)
	if e.Status != StatusRendered || len(e.Outputs) != 1 || !strings.HasPrefix(e.Outputs[0].Path, strings.Join(name, "/")) {
		t.Fatalf("rerun: %s %+v, want the output named %v", e.Status, e.Outputs, name)
	}
}

// On a full disk the manifest still records every output completed before
// (item 29): the batch sets space aside for it and gives it back when the
// disk fills.
func TestDiskFullManifestRecordsCompletedOutputs(t *testing.T) {
	dir := t.TempDir()
	paths := writeInputs(t, dir, 11, 6)
	out := filepath.Join(dir, "out")
	var outputs atomic.Int64
	diskFullHook = func(path string) error {
		if strings.HasSuffix(path, "manifest.json") {
			// Full until the reserve is given back.
			if m, _ := filepath.Glob(filepath.Join(out, tempPrefix+"*-reserve")); len(m) > 0 {
				return &fs.PathError{Op: "write", Path: path, Err: syscall.ENOSPC}
			}
			return nil
		}
		if outputs.Add(1) > 2 {
			return &fs.PathError{Op: "write", Path: path, Err: syscall.ENOSPC}
		}
		return nil
	}
	defer func() { diskFullHook = nil }()
	src, err := OpenInputs(paths, nil, []string{out}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	res, err := Run(context.Background(), src, Config{Engine: &fakeEngine{}, OutDir: out, Jobs: 1, Writers: 1, Formats: []report.Format{report.PDF},
		Version: "test", Checkpoint: time.Hour, Now: fixedNow})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	m, err := ReadManifest(res.ManifestPath)
	if err != nil {
		t.Fatalf("no manifest on a full disk: %v", err)
	}
	complete := 0
	for _, e := range m.Inputs {
		if e.Status == StatusRendered {
			complete++
		}
	}
	verifyOutputs(t, out, m) // the listed files are there and whole, nothing else is
	if complete != 2 || m.Summary.Failed != 4 {
		t.Errorf("manifest records %d complete inputs and %d failed, want 2 and 4", complete, m.Summary.Failed)
	}
	if left, _ := filepath.Glob(filepath.Join(out, tempPrefix+"*")); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}
