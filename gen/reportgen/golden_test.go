package reportgen

import (
	"path/filepath"
	"testing"

	"gongwen/internal/testkit"
)

// checkGolden compares got with testdata/name (testkit.Golden; -update
// rewrites it).
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	testkit.Golden(t, filepath.Join("testdata", name), got)
}
