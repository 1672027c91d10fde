package engine

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"text/template"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"gongwen/render"
	"gongwen/strictjson"
)

// Template is a compiled template, safe for concurrent use.
type Template struct {
	ID          string
	Name        string
	Description string
	SchemaJSON  []byte
	ExampleJSON []byte

	m      *Manifest
	schema *jsonschema.Schema
	labels *labelIndex
	lists  map[string][]any
	texts  map[string]*template.Template
	exprs  map[string]*vm.Program
	page   render.Page
	styles map[string]render.Style

	defaultSteps [][]step // per Manifest.Defaults entry
	ruleSteps    [][]step // per Manifest.Rules entry
	tables       map[string]*skeletonTable
}

// Load reads and compiles the template in directory dir of fsys.
func Load(fsys fs.FS, dir string) (*Template, error) {
	raw, err := fs.ReadFile(fsys, path.Join(dir, "manifest.yaml"))
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", dir, err)
	}
	var m Manifest
	if err := yaml.UnmarshalWithOptions(raw, &m, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("template %s: manifest.yaml: %w", dir, err)
	}
	if m.ID == "" {
		return nil, fmt.Errorf("template %s: manifest.yaml has no id", dir)
	}
	m.withDefaults()
	t := &Template{
		ID: m.ID, Name: m.Name, Description: m.Description, m: &m,
		texts: map[string]*template.Template{}, exprs: map[string]*vm.Program{},
		lists: map[string][]any{},
	}
	wrap := func(err error) error { return fmt.Errorf("template %s: %w", m.ID, err) }
	if t.SchemaJSON, err = fs.ReadFile(fsys, path.Join(dir, m.Schema)); err != nil {
		return nil, wrap(err)
	}
	if t.ExampleJSON, err = fs.ReadFile(fsys, path.Join(dir, m.Example)); err != nil {
		return nil, wrap(err)
	}
	if err := t.compileSchema(); err != nil {
		return nil, wrap(err)
	}
	for name, items := range m.Lists {
		list := make([]any, len(items))
		for i, it := range items {
			list[i] = normalizeYAML(it)
		}
		t.lists[name] = list
	}
	t.page, t.styles, err = m.pageAndStyles()
	if err != nil {
		return nil, wrap(err)
	}
	if err := t.compileAll(); err != nil {
		return nil, wrap(err)
	}
	return t, nil
}

func (t *Template) compileSchema() error {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(t.SchemaJSON))
	if err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const loc = "gongwen:///schema.json"
	if err := c.AddResource(loc, doc); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	if t.schema, err = c.Compile(loc); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	t.labels = newLabelIndex(doc, t.SchemaJSON)
	return nil
}

var textFuncs = template.FuncMap{
	"cnDate": cnDate,
}

// text compiles (once) a text/template source.
func (t *Template) text(src string) error {
	if _, ok := t.texts[src]; ok {
		return nil
	}
	tp, err := template.New("").Option("missingkey=zero").Funcs(textFuncs).Parse(src)
	if err != nil {
		return fmt.Errorf("text %q: %w", src, err)
	}
	t.texts[src] = tp
	return nil
}

// program compiles (once) an expression; names lists the variables the
// expression may use besides the data functions and the lists.
func (t *Template) program(src string, names []string) error {
	if _, ok := t.exprs[src]; ok {
		return nil
	}
	env := map[string]any{"data": map[string]any{}, "n": fnN(nil), "has": fnHas(nil)}
	for name, l := range t.lists {
		env[name] = l
	}
	// Loop and let variables are left undeclared (AllowUndefinedVariables):
	// their types vary per template, and expr then checks them at run time.
	_ = names
	p, err := expr.Compile(src, expr.Env(env), expr.AllowUndefinedVariables())
	if err != nil {
		return fmt.Errorf("expression %q: %w", src, err)
	}
	t.exprs[src] = p
	return nil
}

func forEachNames(fe []ForEachSpec) []string {
	names := make([]string, len(fe))
	for i, f := range fe {
		names[i] = f.Var
	}
	return names
}

func (t *Template) checkForEach(fe []ForEachSpec) error {
	for _, f := range fe {
		if _, ok := t.lists[f.In]; !ok {
			return fmt.Errorf("forEach %s in %q: no such list", f.Var, f.In)
		}
	}
	return nil
}

func (t *Template) compileAll() error {
	m := t.m
	for _, s := range []string{m.FileName, m.Meta.Title, m.Meta.Author, m.Meta.Subject} {
		if err := t.text(s); err != nil {
			return err
		}
	}
	for _, s := range m.Meta.Keywords {
		if err := t.text(s); err != nil {
			return err
		}
	}
	for i, c := range m.Meta.Custom {
		if !xmlName(c.Name) {
			return fmt.Errorf("meta.custom[%d]: name %q must be ASCII letters, digits, '-' or '_', starting with a letter", i, c.Name)
		}
		if err := t.text(c.Value); err != nil {
			return fmt.Errorf("meta.custom[%d]: %w", i, err)
		}
	}
	for i, d := range m.Defaults {
		if err := t.checkForEach(d.ForEach); err != nil {
			return fmt.Errorf("defaults[%d]: %w", i, err)
		}
		names := forEachNames(d.ForEach)
		set := 0
		for _, b := range []bool{d.Value != nil, d.Text != "", d.Expr != "", d.Paragraphs != nil} {
			if b {
				set++
			}
		}
		if set != 1 {
			return fmt.Errorf("defaults[%d] (%s): give exactly one of value, text, expr, paragraphs", i, d.Path)
		}
		errs := []error{t.text(d.Path), t.text(d.Text), t.compileWhen(d.When, names)}
		if d.Expr != "" {
			errs = append(errs, t.program(d.Expr, names))
		}
		for _, p := range d.Paragraphs {
			errs = append(errs, t.text(p))
		}
		if err := firstErr(errs); err != nil {
			return fmt.Errorf("defaults[%d]: %w", i, err)
		}
	}
	for _, r := range m.Rules {
		if r.ID == "" || r.Assert == "" || r.Path == "" {
			return fmt.Errorf("rule %q: id, assert and path are required", r.ID)
		}
		if r.Severity != "" && r.Severity != "error" && r.Severity != "warning" {
			return fmt.Errorf("rule %s: severity %q is not error or warning", r.ID, r.Severity)
		}
		if r.Message["zh"] == "" {
			return fmt.Errorf("rule %s: message.zh is required", r.ID)
		}
		if err := t.checkForEach(r.ForEach); err != nil {
			return fmt.Errorf("rule %s: %w", r.ID, err)
		}
		names := forEachNames(r.ForEach)
		errs := []error{t.compileWhen(r.When, names)}
		for _, src := range sortedValues(r.Let) {
			errs = append(errs, t.program(src, names))
		}
		lets := append(slices.Clone(names), sortedKeys(r.Let)...)
		for _, src := range []string{r.Assert, r.Expected, r.Actual} {
			if src != "" {
				errs = append(errs, t.program(src, lets))
			}
		}
		errs = append(errs, t.text(r.Path))
		for _, msg := range r.Message {
			errs = append(errs, t.text(msg))
		}
		if err := firstErr(errs); err != nil {
			return fmt.Errorf("rule %s: %w", r.ID, err)
		}
	}
	for i, b := range m.Body {
		if err := t.compileBlock(b); err != nil {
			return fmt.Errorf("body[%d]: %w", i, err)
		}
	}
	t.tables = map[string]*skeletonTable{}
	for name, tb := range m.Tables {
		if err := t.compileTable(tb); err != nil {
			return fmt.Errorf("table %s: %w", name, err)
		}
		st, err := t.skeleton(tb)
		if err != nil {
			return fmt.Errorf("table %s: %w", name, err)
		}
		t.tables[name] = st
	}
	for i, d := range m.Defaults {
		st, err := t.steps(d.ForEach, d.Path)
		if err != nil {
			return fmt.Errorf("defaults[%d]: %w", i, err)
		}
		t.defaultSteps = append(t.defaultSteps, st)
	}
	for _, r := range m.Rules {
		st, err := t.steps(r.ForEach, r.Path)
		if err != nil {
			return fmt.Errorf("rule %s: %w", r.ID, err)
		}
		t.ruleSteps = append(t.ruleSteps, st)
	}
	return nil
}

func (t *Template) compileWhen(src string, names []string) error {
	if src == "" {
		return nil
	}
	return t.program(src, names)
}

func (t *Template) compileBlock(b BlockSpec) error {
	kinds := 0
	for _, ok := range []bool{b.Paragraph != nil, b.Paragraphs != nil, b.Heading != nil, b.Table != ""} {
		if ok {
			kinds++
		}
	}
	if kinds != 1 {
		return fmt.Errorf("a block needs exactly one of paragraph, paragraphs, heading, table")
	}
	if err := t.compileWhen(b.When, nil); err != nil {
		return err
	}
	switch {
	case b.Paragraph != nil:
		if err := t.needStyle(b.Paragraph.Style); err != nil {
			return err
		}
		return t.text(b.Paragraph.Text)
	case b.Paragraphs != nil:
		if _, err := strictjson.SplitPointer(b.Paragraphs.From); err != nil {
			return err
		}
		return t.needStyle(b.Paragraphs.Style)
	case b.Heading != nil:
		return t.text(b.Heading.Text)
	default:
		if _, ok := t.m.Tables[b.Table]; !ok {
			return fmt.Errorf("no table %q", b.Table)
		}
	}
	return nil
}

func (t *Template) needStyle(name string) error {
	if _, ok := t.styles[name]; !ok {
		return fmt.Errorf("no style %q", name)
	}
	return nil
}

// compileTable checks that the rows tile the grid exactly — a template
// mistake here would otherwise surface as a garbled table in one backend.
func (t *Template) compileTable(tb TableSpec) error {
	cols := len(tb.Columns)
	if cols == 0 {
		return fmt.Errorf("no columns")
	}
	var covered []map[int]bool // per row: grid columns covered by a cell
	ensure := func(r int) {
		for len(covered) <= r {
			covered = append(covered, map[int]bool{})
		}
	}
	for r, row := range tb.Rows {
		ensure(r)
		col := 0
		for _, c := range row {
			if c.Each != "" {
				if _, ok := t.lists[c.Each]; !ok {
					return fmt.Errorf("row %d: each %q: no such list", r+1, c.Each)
				}
			}
			if (c.Text == "") == (c.Bind == "") {
				return fmt.Errorf("row %d: a cell needs exactly one of text and bind", r+1)
			}
			if err := firstErr([]error{t.text(c.Text), t.text(c.Bind)}); err != nil {
				return err
			}
			n := 1
			if c.Each != "" {
				n = len(t.lists[c.Each])
			}
			for range n {
				for covered[r][col] {
					col++
				}
				rs, cs := max(c.Rowspan, 1), max(c.Colspan, 1)
				if col+cs > cols {
					return fmt.Errorf("row %d: cells overflow the %d grid columns", r+1, cols)
				}
				for dr := range rs {
					ensure(r + dr)
					for dc := range cs {
						if covered[r+dr][col+dc] {
							return fmt.Errorf("row %d: cell overlaps another at column %d", r+dr+1, col+dc+1)
						}
						covered[r+dr][col+dc] = true
					}
				}
				col += cs
			}
		}
	}
	if len(covered) > len(tb.Rows) {
		return fmt.Errorf("a rowspan reaches below the last row")
	}
	for r := range covered {
		if len(covered[r]) != cols {
			return fmt.Errorf("row %d covers %d of %d grid columns", r+1, len(covered[r]), cols)
		}
	}
	if tb.HeaderRows < 0 || tb.HeaderRows > len(tb.Rows) {
		return fmt.Errorf("headerRows %d out of range", tb.HeaderRows)
	}
	return nil
}

func (m *Manifest) pageAndStyles() (render.Page, map[string]render.Style, error) {
	p := m.Page
	page := render.Page{
		WidthMM: p.WidthMM, HeightMM: p.HeightMM,
		MarginTopMM: p.MarginTopMM, MarginBottomMM: p.MarginBottomMM,
		MarginLeftMM: p.MarginLeftMM, MarginRightMM: p.MarginRightMM,
		LinePitchPt: p.LinePitchPt, LinesPerPage: p.LinesPerPage, CharsPerLine: p.CharsPerLine,
		PageNumber: render.PageNumber{
			Style: p.PageNumber.Style, Format: p.PageNumber.Format, BelowMM: p.PageNumber.BelowMM,
			InsetChars: p.PageNumber.InsetChars,
			OddAlign:   render.Align(p.PageNumber.OddAlign), EvenAlign: render.Align(p.PageNumber.EvenAlign),
		},
	}
	if page.WidthMM <= 0 || page.HeightMM <= 0 || page.WidthMM-page.MarginLeftMM-page.MarginRightMM <= 0 {
		return page, nil, fmt.Errorf("page: impossible size or margins")
	}
	styles := map[string]render.Style{}
	for name, s := range m.Styles {
		switch render.Align(s.Align) {
		case render.AlignLeft, render.AlignCenter, render.AlignRight, render.AlignJustify, "":
		default:
			return page, nil, fmt.Errorf("style %s: align %q", name, s.Align)
		}
		if s.SizePt <= 0 || s.Role == "" {
			return page, nil, fmt.Errorf("style %s: needs role and sizePt", name)
		}
		if s.SizePt*2 != float64(int(s.SizePt*2)) {
			// Word stores sizes in half-points: 10.5 (五号) is fine, 10.3 is not.
			return page, nil, fmt.Errorf("style %s: sizePt %g is not a multiple of 0.5", name, s.SizePt)
		}
		styles[name] = render.Style{
			Name: name, Role: s.Role, SizePt: s.SizePt, Bold: s.Bold, Align: render.Align(s.Align),
			FirstLineIndentChars: s.FirstLineIndentChars, RightIndentChars: s.RightIndentChars,
			LineSpacingPt: s.LineSpacingPt, SpaceBeforePt: s.SpaceBeforePt, SpaceAfterPt: s.SpaceAfterPt,
			KeepWithNext: s.KeepWithNext, SnapToGrid: s.SnapToGrid,
		}
	}
	if ps := page.PageNumber.Style; ps != "" {
		if _, ok := styles[ps]; !ok {
			return page, nil, fmt.Errorf("page number style %q is not defined", ps)
		}
	}
	return page, styles, nil
}

func firstErr(errs []error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sortedValues(m map[string]string) []string {
	var vs []string
	for _, k := range sortedKeys(m) {
		vs = append(vs, m[k])
	}
	return vs
}

// cnDate formats "2025-01-20" as "2025年1月20日" (GB/T 9704: Arabic
// numerals, no zero padding).
func cnDate(v any) string {
	s, _ := v.(string)
	parts := strings.Split(s, "-")
	if len(parts) != 3 {
		return s
	}
	trim := func(p string) string {
		t := strings.TrimLeft(p, "0")
		if t == "" {
			return "0"
		}
		return t
	}
	return parts[0] + "年" + trim(parts[1]) + "月" + trim(parts[2]) + "日"
}

// xmlName reports whether s is a plain ASCII name, safe as a metadata key
// in every format.
func xmlName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '_'):
		default:
			return false
		}
	}
	return true
}
