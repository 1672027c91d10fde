package batch

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary play a batch process that the tests kill:
// with GONGWEN_BATCH_CHILD set it runs one batch and exits.
func TestMain(m *testing.M) {
	if os.Getenv("GONGWEN_BATCH_CHILD") != "" {
		os.Exit(childBatch())
	}
	os.Exit(m.Run())
}

func childBatch() int {
	in, out := os.Getenv("GONGWEN_BATCH_IN"), os.Getenv("GONGWEN_BATCH_OUT")
	src, err := OpenInputs([]string{in}, nil, []string{out}, Limits{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	cfg := killConfig(out)
	if os.Getenv("GONGWEN_BATCH_CHILD") == "real" {
		cfg = realConfig(out)
		if cfg.Engine == nil {
			return 3
		}
	}
	_, err = Run(context.Background(), src, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	return 0
}

// killConfig: slow, large outputs and frequent checkpoints, so that a kill
// lands in the middle of writing outputs and manifests.
func killConfig(out string) Config {
	return Config{Engine: &fakeEngine{delay: 3 * time.Millisecond, size: 256 << 10}, OutDir: out, Jobs: 2,
		Version: "test", Checkpoint: 20 * time.Millisecond, Now: fixedNow}
}

// TestSIGKILLThenResume kills a batch process at several points and checks
// that no file under its final name is ever partial, and that running again
// completes the batch to exactly the tree of an uninterrupted run.
func TestSIGKILLThenResume(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	writeInputs(t, dir, 9, 120)
	in := filepath.Join(dir, "in")

	t1 := time.Now()
	ref := filepath.Join(dir, "ref")
	runDir(t, killConfig(ref), in)
	want := tree(t, ref)
	t.Logf("reference run %s", time.Since(t1))

	out := filepath.Join(dir, "out")
	for round, after := range []int{5, 60, 150} { // outputs on disk before the kill
		t0 := time.Now()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "GONGWEN_BATCH_CHILD=1", "GONGWEN_BATCH_IN="+in, "GONGWEN_BATCH_OUT="+out)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for countOutputs(out) < after && time.Now().Before(deadline) {
			time.Sleep(2 * time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Logf("round %d: child ended before the kill (%v) %s", round, err, stderr.String())
		}
		// Whatever carries a final name is complete: an output of the
		// reference run, byte for byte.
		for rel, data := range tree(t, out) {
			if strings.Contains(rel, tempPrefix) || strings.HasPrefix(rel, ".gongwen-batch-") {
				continue
			}
			if strings.HasPrefix(rel, "manifest") {
				if _, err := decodeManifest(data); err != nil {
					t.Fatalf("round %d: manifest after kill: %v", round, err)
				}
				continue
			}
			if !bytes.Equal(data, want[rel]) {
				t.Fatalf("round %d: %s is partial or wrong after SIGKILL (%d bytes, want %d)", round, rel, len(data), len(want[rel]))
			}
		}
		t.Logf("round %d: killed with %d outputs on disk (%s)", round, countOutputs(out), time.Since(t0))
	}

	res := runDir(t, killConfig(out), in)
	if !res.Manifest.Complete || res.Manifest.Summary.Inputs != 120 || res.Manifest.Summary.Failed != 0 {
		t.Fatalf("resumed run: %+v", res.Manifest.Summary)
	}
	t.Logf("resume: %d skipped, %d rendered, %d temporary files removed", res.Skipped, res.Rendered, res.Swept)
	verifyOutputs(t, out, res.Manifest)
	got := tree(t, out)
	delete(got, ".gongwen-batch-all.lock")
	delete(want, ".gongwen-batch-all.lock")
	if !sameTree(got, want) {
		t.Fatal("the resumed tree differs from an uninterrupted run")
	}
}

func countOutputs(dir string) int {
	n := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".pdf") || strings.HasSuffix(p, ".docx")) {
			n++
		}
		return nil
	})
	return n
}
