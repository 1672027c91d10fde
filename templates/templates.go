// Package templates ships the document templates embedded in the binary
// and loads more from directories, so a deployment can add a template
// without recompiling.
//
// A template is a directory holding manifest.yaml; its id (from the
// manifest, e.g. "gov-info-disclosure-annual/2021") is how reports name it.
package templates

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"runtime"
	"slices"
	"sort"
	"sync"

	"gongwen/engine"
)

// Every template folder is embedded: templates live two levels down
// (group/version, e.g. gbt9704/document), and TestEveryFolderEmbedded
// fails if one is put anywhere else.
//
//go:embed */*/*.yaml */*/*.json
var embedded embed.FS

// DefaultID is the template used when a report names none.
const DefaultID = "gov-info-disclosure-annual/2021"

// Registry holds compiled templates by id.
type Registry struct {
	byID map[string]*engine.Template
}

// Load compiles the embedded templates, then those under each of dirs (a
// template found later replaces one with the same id, so a deployment can
// override a shipped template).
func Load(dirs ...string) (*Registry, error) {
	r := &Registry{byID: map[string]*engine.Template{}}
	if err := r.addTree(embedded, "."); err != nil {
		return nil, err
	}
	for _, d := range dirs {
		if err := r.addTree(os.DirFS(d), "."); err != nil {
			return nil, fmt.Errorf("templates in %s: %w", d, err)
		}
	}
	return r, nil
}

// IDsIn compiles the templates under dir (every folder holding a
// manifest.yaml) and returns their ids, sorted: the templates a directory
// given with --templates adds or replaces.
func IDsIn(dir string) ([]string, error) {
	r := &Registry{byID: map[string]*engine.Template{}}
	if err := r.addTree(os.DirFS(dir), "."); err != nil {
		return nil, fmt.Errorf("templates in %s: %w", dir, err)
	}
	if len(r.byID) == 0 {
		return nil, fmt.Errorf("templates in %s: no folder with a manifest.yaml", dir)
	}
	return r.IDs(), nil
}

func (r *Registry) addTree(fsys fs.FS, root string) error {
	var dirs []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && d.Name() == "manifest.yaml" {
			dirs = append(dirs, path.Dir(p))
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(dirs)
	// Templates compile independently (YAML, JSON Schema, expressions: 11
	// ms each, most of a one-shot render's start-up), so on every core;
	// they are added in order and the first error in order is returned,
	// as if compiled one after the other.
	ts := make([]*engine.Template, len(dirs))
	errs := make([]error, len(dirs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, d := range dirs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			ts[i], errs[i] = engine.Load(fsys, d)
		})
	}
	wg.Wait()
	for i := range dirs {
		if errs[i] != nil {
			return errs[i]
		}
		r.byID[ts[i].ID] = ts[i]
	}
	return nil
}

// Get returns the template with the id.
func (r *Registry) Get(id string) (*engine.Template, bool) {
	t, ok := r.byID[id]
	return t, ok
}

// Choose returns the template for data: the one it names in "template",
// else the first (by id) whose manifest selects it, with the notice that
// says so, else DefaultID's. ok is false when the named template is not
// loaded; id is then the name asked for.
func (r *Registry) Choose(data map[string]any, lang string) (t *engine.Template, id, notice string, ok bool) {
	if s, named := data["template"].(string); named {
		t, ok = r.byID[s]
		return t, s, "", ok
	}
	for _, id := range r.IDs() {
		if sel, msg := r.byID[id].Selects(data, lang); sel {
			return r.byID[id], id, msg, true
		}
	}
	t, ok = r.byID[DefaultID]
	return t, DefaultID, "", ok
}

// IDs lists the loaded template ids, sorted.
func (r *Registry) IDs() []string {
	ids := make([]string, 0, len(r.byID))
	for id := range r.byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
