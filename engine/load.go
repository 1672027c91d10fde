package engine

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"text/template"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"
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

	outputDir     []string // Manifest.OutputDir's elements
	defaultSteps  [][]step // per Manifest.Defaults entry
	nextYearSteps [][]step // per Manifest.NextYear.Set entry
	ruleSteps     [][]step // per Manifest.Rules entry
	form          *Form
	tables        map[string]*skeletonTable
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
		return nil, wrap(placeError(raw, err))
	}
	if t.form, err = t.buildForm(); err != nil {
		return nil, wrap(err)
	}
	return t, nil
}

// keyError is a template mistake at a manifest key, given as a YAML path
// ("$.rules[2].assert"), so that Load can name the line.
type keyError struct {
	key string
	err error
}

func (e *keyError) Error() string { return strings.TrimPrefix(e.key, "$.") + ": " + e.err.Error() }
func (e *keyError) Unwrap() error { return e.err }

// atKey attributes err (if any) to key; an error already attributed to a
// deeper key keeps it.
func atKey(key string, err error) error {
	if err == nil {
		return nil
	}
	var ke *keyError
	if errors.As(err, &ke) {
		return err
	}
	return &keyError{key: key, err: err}
}

// placeError prefixes a keyed error with "manifest.yaml:LINE:", the
// place a template author's editor jumps to.
func placeError(raw []byte, err error) error {
	var ke *keyError
	if !errors.As(err, &ke) {
		return err
	}
	line := 0
	if f, perr := parser.ParseBytes(raw, 0); perr == nil {
		if p, perr := yaml.PathString(ke.key); perr == nil {
			if n, perr := p.FilterFile(f); perr == nil && n != nil && n.GetToken() != nil {
				line = n.GetToken().Position.Line
			}
		}
	}
	if line == 0 {
		return fmt.Errorf("manifest.yaml: %w", err)
	}
	return fmt.Errorf("manifest.yaml:%d: %w", line, err)
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
	"spread": spread,
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
// expression may use besides data, n, has, prev, hasPrev, prevValue and
// the lists. A name that is
// none of these is a mistake of the template (a misspelt variable) and is
// refused here rather than failing every request.
func (t *Template) program(src string, names []string) error {
	env := map[string]any{"data": map[string]any{}, "n": fnN(nil), "has": fnHas(nil),
		"prev": fnN(nil), "hasPrev": fnHas(nil), "prevValue": fnPrevValue(nil)}
	for name, l := range t.lists {
		env[name] = l
	}
	p, ok := t.exprs[src]
	if !ok {
		// Loop and let variables are left undeclared to the type checker
		// (AllowUndefinedVariables): their types vary per template, and
		// expr checks them at run time. Their names are checked below.
		var err error
		p, err = expr.Compile(src, expr.Env(env), expr.AllowUndefinedVariables())
		if err != nil {
			return fmt.Errorf("expression %q: %w", src, err)
		}
		t.exprs[src] = p
	}
	if unknown := unknownNames(p.Node(), env, names); len(unknown) > 0 {
		known := append(slices.Sorted(maps.Keys(env)), names...)
		return fmt.Errorf("expression %q: unknown name %s (known here: %s)", src, strings.Join(unknown, ", "), strings.Join(known, ", "))
	}
	return nil
}

// unknownNames lists the identifiers of an expression that are neither in
// env, nor in names, nor declared inside the expression (let x = …).
func unknownNames(node ast.Node, env map[string]any, names []string) []string {
	c := &identCollector{declared: map[string]bool{}}
	ast.Walk(&node, c)
	var out []string
	for _, id := range c.used {
		if _, ok := env[id]; ok || slices.Contains(names, id) || c.declared[id] || slices.Contains(out, id) {
			continue
		}
		out = append(out, id)
	}
	return out
}

type identCollector struct {
	used     []string
	declared map[string]bool
}

func (c *identCollector) Visit(n *ast.Node) {
	switch x := (*n).(type) {
	case *ast.IdentifierNode:
		c.used = append(c.used, x.Value)
	case *ast.VariableDeclaratorNode:
		c.declared[x.Name] = true
	}
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
	for key, s := range map[string]string{"$.fileName": m.FileName, "$.meta.title": m.Meta.Title, "$.meta.author": m.Meta.Author, "$.meta.subject": m.Meta.Subject} {
		if err := t.text(s); err != nil {
			return atKey(key, err)
		}
	}
	for _, el := range strings.Split(m.OutputDir, "/") {
		if strings.TrimSpace(el) == "" {
			continue
		}
		if err := t.text(el); err != nil {
			return atKey("$.outputDir", err)
		}
		t.outputDir = append(t.outputDir, el)
	}
	for i, s := range m.Meta.Keywords {
		if err := t.text(s); err != nil {
			return atKey(fmt.Sprintf("$.meta.keywords[%d]", i), err)
		}
	}
	if m.Meta.Date != "" {
		if _, err := strictjson.SplitPointer(m.Meta.Date); err != nil || m.Meta.Date == "/" {
			return atKey("$.meta.date", fmt.Errorf("meta.date %q: want the JSON Pointer of the report's date, e.g. /signature/date", m.Meta.Date))
		}
	}
	for i, c := range m.Meta.Custom {
		key := fmt.Sprintf("$.meta.custom[%d]", i)
		if !xmlName(c.Name) {
			return atKey(key+".name", fmt.Errorf("meta.custom[%d]: name %q must be ASCII letters, digits, '-' or '_', starting with a letter", i, c.Name))
		}
		if err := t.text(c.Value); err != nil {
			return atKey(key+".value", fmt.Errorf("meta.custom[%d]: %w", i, err))
		}
	}
	if sel := m.Select; sel != nil {
		if sel.When == "" || sel.Notice["zh"] == "" {
			return atKey("$.select", errors.New("select needs when and notice.zh"))
		}
		if err := t.program(sel.When, nil); err != nil {
			return atKey("$.select.when", err)
		}
	}
	if err := t.compileDefaults(m.Defaults, "$.defaults"); err != nil {
		return err
	}
	if ny := m.NextYear; ny != nil {
		for i, p := range ny.Keep {
			if _, err := strictjson.SplitPointer(p); err != nil {
				return atKey(fmt.Sprintf("$.nextYear.keep[%d]", i), err)
			}
		}
		if err := t.compileDefaults(ny.Set, "$.nextYear.set"); err != nil {
			return err
		}
	}
	for i, r := range m.Rules {
		key := fmt.Sprintf("$.rules[%d]", i)
		if r.ID == "" || r.Assert == "" || r.Path == "" {
			return atKey(key, fmt.Errorf("rule %q: id, assert and path are required", r.ID))
		}
		if r.Severity != "" && r.Severity != "error" && r.Severity != "warning" {
			return atKey(key+".severity", fmt.Errorf("rule %s: severity %q is not error or warning", r.ID, r.Severity))
		}
		if r.Message["zh"] == "" {
			return atKey(key+".message", fmt.Errorf("rule %s: message.zh is required", r.ID))
		}
		if err := t.checkForEach(r.ForEach); err != nil {
			return atKey(key+".forEach", fmt.Errorf("rule %s: %w", r.ID, err))
		}
		names := forEachNames(r.ForEach)
		errs := []error{atKey(key+".when", t.compileWhen(r.When, names))}
		// A let may use the loop variables and the lets before it in
		// alphabetical order (the order they are evaluated in).
		lets := slices.Clone(names)
		for _, name := range sortedKeys(r.Let) {
			errs = append(errs, atKey(key+".let."+name, t.program(r.Let[name], lets)))
			lets = append(lets, name)
		}
		for _, f := range []struct{ key, src string }{{"assert", r.Assert}, {"expected", r.Expected}, {"actual", r.Actual}} {
			if f.src != "" {
				errs = append(errs, atKey(key+"."+f.key, t.program(f.src, lets)))
			}
		}
		errs = append(errs, atKey(key+".path", t.text(r.Path)))
		for _, lang := range sortedKeys(r.Message) {
			errs = append(errs, atKey(key+".message."+lang, t.text(r.Message[lang])))
		}
		if err := firstErr(errs); err != nil {
			return fmt.Errorf("rule %s: %w", r.ID, err)
		}
	}
	for i, b := range m.Body {
		if err := t.compileBlock(b, nil); err != nil {
			key := fmt.Sprintf("$.body[%d]", i)
			var ke *keyError
			if errors.As(err, &ke) { // relative to the block
				return &keyError{key: key + ke.key, err: ke.err}
			}
			return atKey(key, err)
		}
	}
	t.tables = map[string]*skeletonTable{}
	for _, name := range slices.Sorted(maps.Keys(m.Tables)) {
		tb := m.Tables[name]
		key := "$.tables." + name
		if err := t.compileTable(tb); err != nil {
			return atKey(key, fmt.Errorf("table %s: %w", name, err))
		}
		st, err := t.skeleton(tb)
		if err != nil {
			return atKey(key, fmt.Errorf("table %s: %w", name, err))
		}
		t.tables[name] = st
	}
	var err error
	if t.defaultSteps, err = t.stepsOf(m.Defaults, "$.defaults"); err != nil {
		return err
	}
	if m.NextYear != nil {
		if t.nextYearSteps, err = t.stepsOf(m.NextYear.Set, "$.nextYear.set"); err != nil {
			return err
		}
	}
	for i, r := range m.Rules {
		st, err := t.steps(r.ForEach, r.Path)
		if err != nil {
			return atKey(fmt.Sprintf("$.rules[%d].path", i), fmt.Errorf("rule %s: %w", r.ID, err))
		}
		t.ruleSteps = append(t.ruleSteps, st)
	}
	return nil
}

// compileDefaults checks and compiles a list of defaults: the defaults
// section, or nextYear.set, which has the same shape.
func (t *Template) compileDefaults(specs []DefaultSpec, section string) error {
	for i, d := range specs {
		key := fmt.Sprintf("%s[%d]", section, i)
		if err := t.checkForEach(d.ForEach); err != nil {
			return atKey(key+".forEach", err)
		}
		names := forEachNames(d.ForEach)
		set := 0
		for _, b := range []bool{d.Value != nil, d.Text != "", d.Expr != "", d.Paragraphs != nil} {
			if b {
				set++
			}
		}
		if set != 1 {
			return atKey(key, fmt.Errorf("(%s): give exactly one of value, text, expr, paragraphs", d.Path))
		}
		if err := firstErr([]error{atKey(key+".path", t.text(d.Path)), atKey(key+".text", t.text(d.Text)),
			atKey(key+".when", t.compileWhen(d.When, names))}); err != nil {
			return err
		}
		if d.Expr != "" {
			if err := t.program(d.Expr, names); err != nil {
				return atKey(key+".expr", err)
			}
		}
		for j, p := range d.Paragraphs {
			if err := t.text(p); err != nil {
				return atKey(fmt.Sprintf("%s.paragraphs[%d]", key, j), err)
			}
		}
	}
	return nil
}

func (t *Template) stepsOf(specs []DefaultSpec, section string) ([][]step, error) {
	var out [][]step
	for i, d := range specs {
		st, err := t.steps(d.ForEach, d.Path)
		if err != nil {
			return nil, atKey(fmt.Sprintf("%s[%d].path", section, i), err)
		}
		out = append(out, st)
	}
	return out, nil
}

func (t *Template) compileWhen(src string, names []string) error {
	if src == "" {
		return nil
	}
	return t.program(src, names)
}

func (t *Template) compileBlock(b BlockSpec, outer []string) error {
	kinds := 0
	for _, ok := range []bool{b.Paragraph != nil, b.Paragraphs != nil, b.Heading != nil, b.Table != "", b.Rule != nil, b.PageBreak, b.Anchored != nil, b.Blocks != nil} {
		if ok {
			kinds++
		}
	}
	if kinds != 1 {
		return fmt.Errorf("a block needs exactly one of paragraph, paragraphs, heading, table, rule, pageBreak, anchored, blocks")
	}
	names := outer
	if b.ForEach != "" {
		if _, err := strictjson.SplitPointer(b.ForEach); err != nil {
			return atKey(".forEachItem", err)
		}
		names = append(slices.Clone(outer), "item", "index")
	}
	if err := t.compileWhen(b.When, names); err != nil {
		return atKey(".when", err)
	}
	switch {
	case b.Paragraph != nil:
		ps := b.Paragraph
		if err := t.needStyle(ps.Style); err != nil {
			return atKey(".paragraph.style", err)
		}
		if ps.Text != "" && len(ps.Runs) > 0 {
			return atKey(".paragraph", errors.New("give text or runs, not both"))
		}
		for i, r := range append(slices.Clone(ps.Runs), ps.Right...) {
			key := fmt.Sprintf(".paragraph.runs[%d]", i)
			if i >= len(ps.Runs) {
				key = fmt.Sprintf(".paragraph.right[%d]", i-len(ps.Runs))
			}
			if r.Style != "" {
				if err := t.needStyle(r.Style); err != nil {
					return atKey(key+".style", err)
				}
			}
			if err := t.text(r.Text); err != nil {
				return atKey(key+".text", err)
			}
		}
		return atKey(".paragraph.text", t.text(ps.Text))
	case b.Paragraphs != nil:
		if _, err := strictjson.SplitPointer(b.Paragraphs.From); err != nil {
			return atKey(".paragraphs.from", err)
		}
		return atKey(".paragraphs.style", t.needStyle(b.Paragraphs.Style))
	case b.Heading != nil:
		return atKey(".heading.text", t.text(b.Heading.Text))
	case b.Rule != nil:
		if b.Rule.WeightMM <= 0 || b.Rule.LengthMM < 0 {
			return atKey(".rule", errors.New("a rule needs weightMM > 0 and lengthMM ≥ 0"))
		}
		if _, err := parseColor(b.Rule.Color); err != nil {
			return atKey(".rule.color", err)
		}
	case b.PageBreak:
	case b.Blocks != nil:
		for i, inner := range b.Blocks {
			if err := t.compileBlock(inner, names); err != nil {
				var ke *keyError
				if errors.As(err, &ke) {
					return &keyError{key: fmt.Sprintf(".blocks[%d]", i) + ke.key, err: ke.err}
				}
				return atKey(fmt.Sprintf(".blocks[%d]", i), err)
			}
		}
	case b.Anchored != nil:
		if len(b.Anchored.Blocks) == 0 {
			return atKey(".anchored.blocks", errors.New("no blocks"))
		}
		for i, inner := range b.Anchored.Blocks {
			if inner.Paragraph == nil && inner.Rule == nil {
				return atKey(fmt.Sprintf(".anchored.blocks[%d]", i), errors.New("only paragraphs and rules can be anchored"))
			}
			if err := t.compileBlock(inner, names); err != nil {
				var ke *keyError
				if errors.As(err, &ke) {
					return &keyError{key: fmt.Sprintf(".anchored.blocks[%d]", i) + ke.key, err: ke.err}
				}
				return atKey(fmt.Sprintf(".anchored.blocks[%d]", i), err)
			}
		}
	default:
		if _, ok := t.m.Tables[b.Table]; !ok {
			return fmt.Errorf("no table %q", b.Table)
		}
	}
	return nil
}

// parseColor reads "#RRGGBB"; "" is black.
func parseColor(s string) (render.Color, error) {
	if s == "" {
		return render.Color{}, nil
	}
	var c render.Color
	if len(s) != 7 || s[0] != '#' {
		return c, fmt.Errorf("colour %q: write #RRGGBB", s)
	}
	if _, err := fmt.Sscanf(s[1:], "%02x%02x%02x", &c.R, &c.G, &c.B); err != nil {
		return c, fmt.Errorf("colour %q: write #RRGGBB", s)
	}
	return c, nil
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
			SkipFirst: p.PageNumber.SkipFirst,
			Style:     p.PageNumber.Style, Format: p.PageNumber.Format, BelowMM: p.PageNumber.BelowMM,
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
		color, err := parseColor(s.Color)
		if err != nil {
			return page, nil, fmt.Errorf("style %s: %w", name, err)
		}
		styles[name] = render.Style{
			Color: color, CenterOnNext: s.CenterOnNext, StartAfterPrevious: s.StartAfterPrevious,
			HangingIndentChars: s.HangingIndentChars,
			Name:               name, Role: s.Role, SizePt: s.SizePt, Bold: s.Bold, Align: render.Align(s.Align),
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

// spread widens a short text to n characters with ideographic spaces
// between its characters, spread evenly (李华 → 李　华 with n = 3): how
// names of different lengths are set to one width in Chinese documents, so
// that the names of a list line up.
func spread(n int, v any) string {
	s, _ := v.(string)
	rs := []rune(s)
	if len(rs) < 2 || len(rs) >= n {
		return s
	}
	gaps, extra := len(rs)-1, n-len(rs)
	var b strings.Builder
	for i, r := range rs {
		b.WriteRune(r)
		if i < gaps {
			// gap i gets its share of the extra spaces
			for k := extra * i / gaps; k < extra*(i+1)/gaps; k++ {
				b.WriteRune('　')
			}
		}
	}
	return b.String()
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
