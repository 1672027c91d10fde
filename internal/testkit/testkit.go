// Package testkit holds the test helpers the whole tree shares: one way to
// require an external tool, one way to compare with a golden file, one way
// to find the shared specification folder. Tests import it; production code
// never does.
package testkit

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Update is the -update flag every package's golden tests honour
// (go test ./... -update, or make golden).
var Update = flag.Bool("update", false, "rewrite golden files instead of comparing with them")

// Required reports whether tests must fail, not skip, when a tool or font
// is missing: CI sets GONGWEN_REQUIRE_TOOLS=1 (make test does).
func Required() bool { return os.Getenv("GONGWEN_REQUIRE_TOOLS") != "" }

// Missing skips the test, or fails it when tools are required, saying what
// is missing and how to install it.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if Required() {
		t.Fatalf("required (GONGWEN_REQUIRE_TOOLS is set; scripts/setup.sh test installs it): "+format, args...)
	}
	t.Skipf("skipped, missing: "+format, args...)
}

// Tool returns the path of an external program (pdftotext, qpdf, soffice,
// chromium, java…), skipping the test without it, or failing under
// GONGWEN_REQUIRE_TOOLS.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "%s: %v", name, err)
	}
	return p
}

// File returns path when it exists (a jar, a Python module, an ICC
// profile), skipping or failing like Tool otherwise.
func File(t testing.TB, path string) string {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		Missing(t, "%s: %v", path, err)
	}
	return path
}

// Root is the module root (the directory holding go.mod), found from the
// test's working directory, so tests never name a machine path.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("testkit: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Shared returns the path of rel inside the project's shared folder, which
// lies next to the repository (../shared from the module root). Without it
// the test is skipped, or fails under GONGWEN_REQUIRE_TOOLS.
func Shared(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(filepath.Dir(Root(t)), "shared", filepath.FromSlash(rel))
	return File(t, p)
}

// Golden compares got with the golden file at path (relative to the test's
// package directory), or rewrites the file under -update. On a difference
// it reports the first differing line of each.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file %s: %v (run go test -update, then review the diff)", path, err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs (if the change is intended: go test -update, then review git diff):\n%s", path, FirstDiff(string(want), string(got)))
	}
}

// FirstDiff describes the first line where want and got differ.
func FirstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl || i >= len(w) || i >= len(g) {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl
		}
	}
	return "(equal)"
}
