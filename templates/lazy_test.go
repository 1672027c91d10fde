package templates

import (
	"io/fs"
	"path"
	"slices"
	"testing"

	"github.com/goccy/go-yaml"

	"gongwen/engine"
)

// LoadLazy knows every embedded template by the id its manifest's id line
// gives, which must be the id the compiled template has; it compiles a
// template only when asked for it, and then the same template Load does.
func TestLazyIDsAreTheCompiledOnes(t *testing.T) {
	eager, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := LoadLazy()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(lazy.IDs(), eager.IDs()) {
		t.Fatalf("lazy ids %v, compiled %v", lazy.IDs(), eager.IDs())
	}
	dirs, err := templateDirs(embedded, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		raw, err := fs.ReadFile(embedded, path.Join(d, "manifest.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := manifestID(raw); !ok {
			t.Errorf("%s: its id line is not a plain scalar; the lazy registry compiles it at once", d)
		}
		var m engine.Manifest
		if err := yaml.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		if manifestHasSelect(raw) != (m.Select != nil) {
			t.Errorf("%s: select block %v, the line scan says %v", d, m.Select != nil, manifestHasSelect(raw))
		}
	}
	lazy.byID[DefaultID].template() // the one compiled in the background
	for _, id := range lazy.IDs() {
		if compiledNow := lazy.byID[id].t != nil; compiledNow != (id == DefaultID) {
			t.Errorf("%s compiled: %v before anyone asked for it", id, compiledNow)
		}
	}
	got, _, _, ok := lazy.Choose(map[string]any{"template": DefaultID}, "zh")
	if !ok || got.ID != DefaultID {
		t.Fatalf("Choose of a named template: %v, %v", got, ok)
	}
	// A report naming no template: only the templates with a select block
	// are compiled to ask them, and the choice is Load's.
	unnamed := map[string]any{"organ": "某某县人民政府", "year": float64(2023)}
	got, id, _, ok := lazy.Choose(unnamed, "zh")
	want, wantID, _, _ := eager.Choose(unnamed, "zh")
	if !ok || id != wantID || got.ID != want.ID {
		t.Errorf("Choose of an unnamed report: %s, want %s", id, wantID)
	}
	for _, id := range lazy.IDs() {
		if compiledNow := lazy.byID[id].t != nil; compiledNow != (id == DefaultID || lazy.byID[id].mayselect) {
			t.Errorf("%s compiled: %v after a report named none", id, compiledNow)
		}
	}
	old := map[string]any{"organ": "某某县人民政府", "year": float64(2019)}
	if _, id, _, _ := lazy.Choose(old, "zh"); id == DefaultID {
		t.Errorf("a 2019 report got %s (no template selected it)", id)
	}
	for _, id := range lazy.IDs() {
		a, _ := lazy.Get(id)
		b, _ := eager.Get(id)
		if a.ID != b.ID || a.Name != b.Name || string(a.SchemaJSON) != string(b.SchemaJSON) || string(a.ExampleJSON) != string(b.ExampleJSON) {
			t.Errorf("%s: lazy and eager templates differ", id)
		}
	}
}

func TestManifestID(t *testing.T) {
	for _, tc := range []struct {
		manifest string
		id       string
		ok       bool
	}{
		{"# comment\nid: group/v1\nname: x\n", "group/v1", true},
		{"name: x\r\nid: a-b_c/2021\r\n", "a-b_c/2021", true},
		{"id: \"quoted/v1\"\n", "", false},
		{"id: x # trailing comment\n", "", false},
		{"id:\n  folded\n", "", false},
		{"  id: nested/v1\nid: top/v1\n", "top/v1", true},
		{"name: no id\n", "", false},
	} {
		id, ok := manifestID([]byte(tc.manifest))
		if id != tc.id || ok != tc.ok {
			t.Errorf("%q: %q, %v; want %q, %v", tc.manifest, id, ok, tc.id, tc.ok)
		}
	}
}
