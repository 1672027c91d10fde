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
	"strings"
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
	byID map[string]*entry
}

// entry is one template, compiled at load or, for an embedded template
// of a registry from LoadLazy, on first use.
type entry struct {
	once    sync.Once
	compile func() (*engine.Template, error)
	t       *engine.Template
	err     error
	// mayselect: the manifest has a select block (manifestHasSelect), so
	// Choose must compile it to ask it; one without can never select.
	mayselect bool
}

func compiled(t *engine.Template) *entry {
	e := &entry{t: t, mayselect: true}
	e.once.Do(func() {})
	return e
}

func (e *entry) template() (*engine.Template, error) {
	e.once.Do(func() { e.t, e.err = e.compile() })
	return e.t, e.err
}

// Load compiles the embedded templates, then those under each of dirs (a
// template found later replaces one with the same id, so a deployment can
// override a shipped template).
func Load(dirs ...string) (*Registry, error) { return load(false, dirs) }

// LoadLazy is Load for a one-shot command: an embedded template is compiled
// when a report first asks for it (Get, Choose, IDs need only its id), so
// rendering one report compiles one template, not all of them — most of a
// cold render's start-up (44 of ~80 ms of CPU for six templates). The
// embedded templates are compiled by this package's tests, so none can
// fail later; should one, Get and Choose panic with its error rather than
// call it unknown. Templates under dirs are compiled at once, as by Load,
// so that a mistake in a deployment's template is reported before any
// work.
func LoadLazy(dirs ...string) (*Registry, error) { return load(true, dirs) }

func load(lazy bool, dirs []string) (*Registry, error) {
	r := &Registry{byID: map[string]*entry{}}
	if lazy {
		if err := r.addLazy(embedded, "."); err != nil {
			return nil, err
		}
		// The default template is what most reports get (named or not):
		// compile it now on another core, beside the font book and the
		// manifest reads; Get waits for it if it is not done.
		if e, ok := r.byID[DefaultID]; ok {
			go e.template()
		}
	} else if err := r.addTree(embedded, "."); err != nil {
		return nil, err
	}
	for _, d := range dirs {
		if err := r.addTree(os.DirFS(d), "."); err != nil {
			return nil, fmt.Errorf("templates in %s: %w", d, err)
		}
	}
	return r, nil
}

// addLazy registers the templates under root by the id their manifest's
// top-level "id:" line gives (manifestID), to be compiled on first use; a
// manifest whose id that line does not give is compiled now.
func (r *Registry) addLazy(fsys fs.FS, root string) error {
	dirs, err := templateDirs(fsys, root)
	if err != nil {
		return err
	}
	for _, d := range dirs {
		raw, err := fs.ReadFile(fsys, path.Join(d, "manifest.yaml"))
		if err != nil {
			return err
		}
		id, ok := manifestID(raw)
		if !ok {
			t, err := engine.Load(fsys, d)
			if err != nil {
				return err
			}
			r.byID[t.ID] = compiled(t)
			continue
		}
		r.byID[id] = &entry{mayselect: manifestHasSelect(raw), compile: func() (*engine.Template, error) {
			t, err := engine.Load(fsys, d)
			if err == nil && t.ID != id {
				err = fmt.Errorf("template %s: compiled id %q, its manifest's id line says %q", d, t.ID, id)
			}
			return t, err
		}}
	}
	return nil
}

// manifestHasSelect reports whether a manifest has a top-level select
// key. A manifest whose id line manifestID reads is in block style, where
// every top-level key starts a line.
func manifestHasSelect(raw []byte) bool {
	for line := range strings.Lines(string(raw)) {
		for _, k := range []string{"select:", `"select":`, "'select':"} {
			if strings.HasPrefix(line, k) {
				return true
			}
		}
	}
	return false
}

// manifestID reads a manifest's id from its top-level "id: value" line
// without parsing the YAML: a plain scalar, no quotes, comment or flow.
// TestLazyIDsAreTheCompiledOnes holds it to the parser for every
// embedded template.
func manifestID(raw []byte) (string, bool) {
	for line := range strings.Lines(string(raw)) {
		v, ok := strings.CutPrefix(strings.TrimRight(line, "\r\n"), "id:")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if v == "" || strings.ContainsAny(v, "\"'#{}[]&*!|>%@`,") {
			return "", false
		}
		return v, true
	}
	return "", false
}

// IDsIn compiles the templates under dir (every folder holding a
// manifest.yaml) and returns their ids, sorted: the templates a directory
// given with --templates adds or replaces.
func IDsIn(dir string) ([]string, error) {
	r := &Registry{byID: map[string]*entry{}}
	if err := r.addTree(os.DirFS(dir), "."); err != nil {
		return nil, fmt.Errorf("templates in %s: %w", dir, err)
	}
	if len(r.byID) == 0 {
		return nil, fmt.Errorf("templates in %s: no folder with a manifest.yaml", dir)
	}
	return r.IDs(), nil
}

// templateDirs lists the folders under root holding a manifest.yaml, sorted.
func templateDirs(fsys fs.FS, root string) ([]string, error) {
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
	sort.Strings(dirs)
	return dirs, err
}

func (r *Registry) addTree(fsys fs.FS, root string) error {
	dirs, err := templateDirs(fsys, root)
	if err != nil {
		return err
	}
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
		r.byID[ts[i].ID] = compiled(ts[i])
	}
	return nil
}

// Get returns the template with the id.
func (r *Registry) Get(id string) (*engine.Template, bool) {
	e, ok := r.byID[id]
	if !ok {
		return nil, false
	}
	return mustTemplate(e), true
}

// mustTemplate compiles e if it was left for later (LoadLazy): only an
// embedded template can be, and those compile in this package's tests.
func mustTemplate(e *entry) *engine.Template {
	t, err := e.template()
	if err != nil {
		panic(fmt.Sprintf("templates: embedded template does not compile: %v", err))
	}
	return t
}

// Choose returns the template for data: the one it names in "template",
// else the first (by id) whose manifest selects it, with the notice that
// says so, else DefaultID's. ok is false when the named template is not
// loaded; id is then the name asked for.
func (r *Registry) Choose(data map[string]any, lang string) (t *engine.Template, id, notice string, ok bool) {
	if s, named := data["template"].(string); named {
		t, ok = r.Get(s)
		return t, s, "", ok
	}
	for _, id := range r.IDs() {
		if !r.byID[id].mayselect {
			continue // no select block: never chosen this way, not compiled for it
		}
		t, _ := r.Get(id)
		if sel, msg := t.Selects(data, lang); sel {
			return t, id, msg, true
		}
	}
	t, ok = r.Get(DefaultID)
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
