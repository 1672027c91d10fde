package testkit_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongwen/internal/testkit"
)

// TestOneKitForTheTree keeps the test helpers in one place (issue 14 items
// 21–22): no test outside this package declares its own -update flag,
// reads GONGWEN_REQUIRE_TOOLS itself (its "tool or fail" would drift from
// Tool's), or names a machine path for the shared folder.
func TestOneKitForTheTree(t *testing.T) {
	root := testkit.Root(t)
	forbidden := map[string]string{
		`flag.Bool("update"`:      "use testkit.Golden and its -update flag",
		`"GONGWEN_REQUIRE_TOOLS"`: "use testkit.Tool, testkit.File or testkit.Missing",
		`"/work/`:                 "use testkit.Shared or testdata: a fresh clone lives anywhere",
		`"../../shared/`:          "use testkit.Shared",
		`func needTool(`:          "use testkit.Tool",
		`func requireTool(`:       "use testkit.Tool",
		`func firstDiff(`:         "use testkit.Golden (testkit.FirstDiff)",
		`os.Getenv("GONGWEN_REQ`:  "use testkit.Required",
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules" || path == filepath.Join(root, "internal", "testkit")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for s, fix := range forbidden {
			if strings.Contains(string(b), s) {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s contains %s: %s", rel, s, fix)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
