package batch

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Mismatch is an output that no longer matches its manifest.
type Mismatch struct {
	Manifest string // manifest file name
	Output          // as recorded
	Problem  string // "missing", "size 123, recorded 456", "SHA-256 differs"
}

// Verify re-checks an output directory against its manifests (manifest.json
// and every shard's manifest-i-of-n.json): every recorded output must exist
// with its recorded size and SHA-256. It renders nothing and needs no
// inputs, so an archive can re-check what it keeps at any time. It returns
// the number of outputs checked and the mismatches.
func Verify(outDir string) (checked int, mismatches []Mismatch, err error) {
	names, err := filepath.Glob(filepath.Join(outDir, "manifest*.json"))
	if err != nil {
		return 0, nil, err
	}
	sort.Strings(names)
	if len(names) == 0 {
		return 0, nil, fmt.Errorf("no manifest.json or manifest-*-of-*.json in %s", outDir)
	}
	for _, name := range names {
		m, err := ReadManifest(name)
		if err != nil {
			return checked, mismatches, fmt.Errorf("%s: %w", name, err)
		}
		for _, e := range m.Inputs {
			for _, o := range e.Outputs {
				checked++
				path := filepath.Join(outDir, filepath.FromSlash(o.Path))
				if problem := checkOutput(path, o); problem != "" {
					mismatches = append(mismatches, Mismatch{Manifest: filepath.Base(name), Output: o, Problem: problem})
				}
			}
		}
	}
	return checked, mismatches, nil
}

func checkOutput(path string, o Output) string {
	info, err := os.Stat(path)
	switch {
	case os.IsNotExist(err):
		return "missing"
	case err != nil:
		return err.Error()
	case info.Size() != o.Size:
		return fmt.Sprintf("size %d, recorded %d", info.Size(), o.Size)
	case !fileMatches(path, o):
		return "SHA-256 differs from the manifest"
	}
	return ""
}
