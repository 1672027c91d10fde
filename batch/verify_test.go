package batch

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

func TestVerify(t *testing.T) {
	dir := t.TempDir()
	writeInputs(t, dir, 21, 5)
	out := filepath.Join(dir, "out")
	res := runDir(t, Config{Engine: &fakeEngine{}, OutDir: out, Version: "test"}, filepath.Join(dir, "in"))
	checked, bad, err := Verify(out)
	if err != nil || checked != 10 || len(bad) != 0 {
		t.Fatalf("clean tree: %d checked, %v, %v", checked, bad, err)
	}
	e := res.Manifest.Inputs
	os.Remove(filepath.Join(out, filepath.FromSlash(e[0].Outputs[0].Path)))
	os.WriteFile(filepath.Join(out, filepath.FromSlash(e[1].Outputs[1].Path)), []byte("tampered"), 0o644)
	p := filepath.Join(out, filepath.FromSlash(e[2].Outputs[0].Path))
	data, _ := os.ReadFile(p)
	data[0] ^= 1
	os.WriteFile(p, data, 0o644)
	_, bad, err = Verify(out)
	if err != nil || len(bad) != 3 || bad[0].Problem != "missing" || bad[1].Problem != "size 8, recorded "+itoa(e[1].Outputs[1].Size) || bad[2].Problem != "SHA-256 differs from the manifest" {
		t.Fatalf("mismatches %+v, %v", bad, err)
	}
	if _, _, err := Verify(t.TempDir()); err == nil {
		t.Fatal("a directory without a manifest verified")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
