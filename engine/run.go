package engine

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr/vm"

	"gongwen/problem"
	"gongwen/render"
	"gongwen/strictjson"
)

// RunOptions are per-request choices.
type RunOptions struct {
	Lang string // "zh" (default) or "en"
	// NormalizePunctuation sets ASCII punctuation typed between Chinese
	// characters in its full-width form; each change is a notice.
	NormalizePunctuation bool
	// Previous is last year's report after its template's defaults (see
	// Prepare), or nil. Rules read it with prev(ptr) and hasPrev(ptr): the
	// cross-year checks are the template's, like every other rule.
	Previous map[string]any
	// Zone is where a date without a time (meta.date "2025-01-20") is
	// midnight; nil means UTC.
	Zone *time.Location
}

// Result is what a run produced. Document is nil when the data does not
// fit the schema: such a document would print guesses.
type Result struct {
	Problems []problem.Problem
	Data     map[string]any
	Document *render.Document
	FileName string
}

// Run checks data (decoded by strictjson; it is modified in place: defaults
// are filled in) and builds the document. The error is reserved for faults
// of the template itself; everything wrong with the data is a Problem.
func (t *Template) Run(data map[string]any, opts RunOptions) (*Result, error) {
	res := &Result{Problems: t.checkSchema(data, opts.Lang)}
	schemaOK := !problem.HasErrors(res.Problems)
	if opts.NormalizePunctuation {
		res.Problems = append(res.Problems, normalizePunctuation(data, t.labels, opts.Lang)...)
	}
	// Defaults and rules still run on data that broke the schema, so the
	// clerk sees every problem at once; they read values defensively.
	s := t.newScope(data, opts.Previous)
	if err := t.applyDefaults(s, t.m.Defaults, t.defaultSteps); err != nil {
		return nil, err
	}
	ps, err := t.checkRules(s, opts.Lang)
	if err != nil {
		return nil, err
	}
	res.Problems = append(res.Problems, ps...)
	t.SortProblems(res.Problems)
	res.Data = data
	if !schemaOK {
		return res, nil
	}
	if res.Document, err = t.build(s); err != nil {
		return nil, err
	}
	if res.FileName, err = s.text(t.m.FileName); err != nil {
		return nil, err
	}
	var pr *problem.Problem
	if res.Document.Meta.Created, pr = t.documentDate(data, opts); pr != nil {
		res.Problems = append(res.Problems, *pr)
		t.SortProblems(res.Problems)
	}
	return res, nil
}

// documentDate reads the report's own date (manifest meta.date); zero when
// the template names none or the report leaves it out.
func (t *Template) documentDate(data map[string]any, opts RunOptions) (time.Time, *problem.Problem) {
	ptr := t.m.Meta.Date
	if ptr == "" {
		return time.Time{}, nil
	}
	v, ok := strictjson.Get(data, ptr)
	if !ok || v == nil || v == "" {
		return time.Time{}, nil
	}
	zone := opts.Zone
	if zone == nil {
		zone = time.UTC
	}
	if s, ok := v.(string); ok {
		if d, err := time.ParseInLocation("2006-01-02", s, zone); err == nil {
			return d, nil
		}
		if d, err := time.Parse(time.RFC3339, s); err == nil {
			return d, nil
		}
	}
	actual := fmt.Sprint(v)
	return time.Time{}, &problem.Problem{Severity: problem.Error, Rule: "date", Path: ptr, Actual: problem.Clip(actual, 40),
		Message: problem.Pick(opts.Lang, fmt.Sprintf("“%s”不是有效的日期：%s，应写作 2025-01-20 这样的年-月-日", t.Label(ptr), problem.Clip(actual, 40)),
			fmt.Sprintf("%s is not a valid date: %s (write it as 2025-01-20)", ptr, problem.Clip(actual, 40)))}
}

// Selects reports whether the template claims a report that names no
// template (manifest `select`), and the notice that says so. data is
// only read.
func (t *Template) Selects(data map[string]any, lang string) (bool, string) {
	sel := t.m.Select
	if sel == nil {
		return false, ""
	}
	s := t.newScope(data, nil)
	ok, err := s.when(sel.When)
	if err != nil || !ok {
		return false, ""
	}
	msg := sel.Notice["zh"]
	if lang == "en" && sel.Notice["en"] != "" {
		msg = sel.Notice["en"]
	}
	return true, msg
}

// OutputPath is where a batch writes the document of data, without
// extension, as path elements: the manifest's outputDir (split at its own
// "/", never at one in the data) then fileName, from the data after
// defaults (data is modified: defaults are filled in). ok is false when
// the data lacks what the name is made of; a caller must still make each
// element a safe file name.
func (t *Template) OutputPath(data map[string]any) (elems []string, ok bool) {
	s := t.newScope(data, nil)
	if err := t.applyDefaults(s, t.m.Defaults, t.defaultSteps); err != nil {
		return nil, false
	}
	for _, src := range append(t.outputDir, t.m.FileName) {
		el, err := s.text(src)
		if err != nil || strings.TrimSpace(el) == "" || strings.Contains(el, "<no value>") {
			return nil, false
		}
		elems = append(elems, el)
	}
	return elems, true
}

// scope is the evaluation context of one run: the expression environment
// and the text-template context share loop variables.
type scope struct {
	t    *Template
	data map[string]any
	env  map[string]any // expr
	ctx  map[string]any // text/template
	// vm runs every expression of the scope: one machine and its stack
	// reused, not one allocated per expression (hundreds per report).
	vm vm.VM
}

func (t *Template) newScope(data, previous map[string]any) *scope {
	env := make(map[string]any, len(t.lists)+8)
	for k, v := range t.lists {
		env[k] = v
	}
	env["data"] = data
	env["n"] = fnN(data)
	env["has"] = fnHas(data)
	env["prev"] = fnN(previous)
	env["hasPrev"] = fnHas(previous)
	env["prevValue"] = fnPrevValue(previous)
	return &scope{t: t, data: data, env: env, ctx: maps.Clone(data)}
}

func (s *scope) set(name string, v any) {
	s.env[name] = v
	// Messages print numbers as a clerk writes them: 2000000, not the
	// 2e+06 that text/template makes of a float64.
	if f, ok := v.(float64); ok {
		s.ctx[name] = numberOf(f)
		return
	}
	s.ctx[name] = v
}

func (s *scope) unset(name string) {
	delete(s.env, name)
	if v, ok := s.data[name]; ok {
		s.ctx[name] = v
	} else {
		delete(s.ctx, name)
	}
}

func (s *scope) eval(src string) (any, error) {
	p, ok := s.t.exprs[src]
	if !ok {
		return nil, fmt.Errorf("expression %q was not compiled", src)
	}
	v, err := s.vm.Run(p, s.env)
	if err != nil {
		return nil, fmt.Errorf("expression %q: %w", src, err)
	}
	return v, nil
}

func (s *scope) when(src string) (bool, error) {
	if src == "" {
		return true, nil
	}
	v, err := s.eval(src)
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("condition %q gave %T, not bool", src, v)
	}
	return b, nil
}

func (s *scope) text(src string) (string, error) {
	if !strings.Contains(src, "{{") {
		return src, nil
	}
	tp, ok := s.t.texts[src]
	if !ok {
		return "", fmt.Errorf("text %q was not compiled", src)
	}
	var b strings.Builder
	if err := tp.Execute(&b, s.ctx); err != nil {
		return "", fmt.Errorf("text %q: %w", src, err)
	}
	return b.String(), nil
}

// each runs fn once per precomputed forEach step, with its variables set.
func (s *scope) each(steps []step, fn func(path string) error) error {
	for _, st := range steps {
		for _, b := range st.vars {
			s.set(b.name, b.value)
		}
		err := fn(st.path)
		for _, b := range st.vars {
			s.unset(b.name)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Prepare fills in the template's defaults (computed totals and so on)
// without checking anything: how last year's report is read for the
// cross-year rules and for NextYear. data is modified in place.
func (t *Template) Prepare(data map[string]any) error {
	return t.applyDefaults(t.newScope(data, nil), t.m.Defaults, t.defaultSteps)
}

// CanStartNextYear reports whether the template says how to start next
// year's draft from a report.
func (t *Template) CanStartNextYear() bool { return t.m.NextYear != nil }

// NextYear makes next year's draft from last year's report (after
// Prepare), as the template's nextYear section says. It returns nil when
// the template has no such section.
func (t *Template) NextYear(previous map[string]any) (map[string]any, error) {
	ny := t.m.NextYear
	if ny == nil {
		return nil, nil
	}
	draft := map[string]any{}
	for _, p := range ny.Keep {
		if v, ok := strictjson.Get(previous, p); ok {
			strictjson.SetMissing(draft, p, v)
		}
	}
	if err := t.applyDefaults(t.newScope(draft, previous), ny.Set, t.nextYearSteps); err != nil {
		return nil, fmt.Errorf("nextYear: %w", err)
	}
	return draft, nil
}

func (t *Template) applyDefaults(s *scope, specs []DefaultSpec, steps [][]step) error {
	for i, d := range specs {
		err := s.each(steps[i], func(p string) error {
			ok, err := s.when(d.When)
			if err != nil || !ok {
				return err
			}
			if _, exists := strictjson.Get(s.data, p); exists {
				return nil
			}
			var v any
			switch {
			case d.Value != nil:
				v = normalizeYAML(d.Value)
			case d.Text != "":
				if v, err = s.text(d.Text); err != nil {
					return err
				}
			case d.Expr != "":
				r, err := s.eval(d.Expr)
				if err != nil {
					return err
				}
				v = numberOrValue(r)
			default:
				paras := make([]any, len(d.Paragraphs))
				for i, src := range d.Paragraphs {
					txt, err := s.text(src)
					if err != nil {
						return err
					}
					paras[i] = map[string]any{"text": txt}
				}
				v = paras
			}
			if strictjson.SetMissing(s.data, p, v) && !strings.Contains(p[1:], "/") {
				s.ctx[p[1:]] = v // top-level keys are visible to text templates
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("defaults %s: %w", d.Path, err)
		}
	}
	return nil
}

func numberOrValue(v any) any {
	switch x := v.(type) {
	case float64:
		return numberOf(x)
	case int:
		return numberOf(float64(x))
	}
	return v
}

func (t *Template) checkRules(s *scope, lang string) ([]problem.Problem, error) {
	var out []problem.Problem
	// Each rule's reads are recorded: the values it compared are the
	// problem's Related.
	var read []string
	plainN := s.env["n"]
	readN := fnN(s.data)
	s.env["n"] = func(p string) float64 {
		read = append(read, p)
		return readN(p)
	}
	defer func() { s.env["n"] = plainN }()
	for i, r := range t.m.Rules {
		lets := sortedKeys(r.Let)
		err := s.each(t.ruleSteps[i], func(path string) error {
			read = read[:0]
			ok, err := s.when(r.When)
			if err != nil || !ok {
				return err
			}
			for _, name := range lets {
				v, err := s.eval(r.Let[name])
				if err != nil {
					return err
				}
				s.set(name, v)
			}
			defer func() {
				for _, name := range lets {
					s.unset(name)
				}
			}()
			v, err := s.eval(r.Assert)
			if err != nil {
				return err
			}
			if pass, _ := v.(bool); pass {
				return nil
			}
			p := problem.Problem{Severity: problem.Error, Rule: r.ID}
			if r.Severity == "warning" {
				p.Severity = problem.Warning
			}
			p.Path = path
			msg := r.Message["zh"]
			if lang == "en" && r.Message["en"] != "" {
				msg = r.Message["en"]
			}
			if p.Message, err = s.text(msg); err != nil {
				return err
			}
			if r.Expected != "" {
				e, err := s.eval(r.Expected)
				if err != nil {
					return err
				}
				p.Expected = jsonValue(e)
			}
			if r.Actual != "" {
				a, err := s.eval(r.Actual)
				if err != nil {
					return err
				}
				p.Actual = jsonValue(a)
			}
			for _, q := range read {
				if q != path && !slices.Contains(p.Related, q) {
					p.Related = append(p.Related, q)
				}
			}
			out = append(out, p)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("rule %s: %w", r.ID, err)
		}
	}
	return out, nil
}

func (t *Template) build(s *scope) (*render.Document, error) {
	m := t.m
	doc := &render.Document{Page: t.page, Styles: maps.Clone(t.styles), TitleWords: m.TitleWords}
	var err error
	meta := &doc.Meta
	meta.TemplateID = t.ID
	meta.Language = m.Meta.Language
	for _, f := range []struct {
		dst *string
		src string
	}{{&meta.Title, m.Meta.Title}, {&meta.Author, m.Meta.Author}, {&meta.Subject, m.Meta.Subject}} {
		if *f.dst, err = s.text(f.src); err != nil {
			return nil, err
		}
	}
	for _, k := range m.Meta.Keywords {
		kw, err := s.text(k)
		if err != nil {
			return nil, err
		}
		meta.Keywords = append(meta.Keywords, kw)
	}
	for _, c := range m.Meta.Custom {
		v, err := s.text(c.Value)
		if err != nil {
			return nil, err
		}
		meta.Custom = append(meta.Custom, render.Property{Name: c.Name, Value: v})
	}
	if doc.Blocks, err = t.buildBlocks(s, m.Body); err != nil {
		return nil, err
	}
	return doc, nil
}

func (t *Template) buildBlocks(s *scope, specs []BlockSpec) ([]render.Block, error) {
	var out []render.Block
	for _, b := range specs {
		if b.ForEach == "" {
			blocks, err := t.buildBlock(s, b)
			if err != nil {
				return nil, err
			}
			out = append(out, blocks...)
			continue
		}
		v, _ := strictjson.Get(s.data, b.ForEach)
		items, _ := v.([]any)
		for i, it := range items {
			s.set("item", it)
			s.set("index", i+1)
			blocks, err := t.buildBlock(s, b)
			s.unset("item")
			s.unset("index")
			if err != nil {
				return nil, err
			}
			out = append(out, blocks...)
		}
	}
	return out, nil
}

func (s *scope) runs(specs []RunSpec) ([]render.Run, error) {
	var out []render.Run
	for _, r := range specs {
		txt, err := s.text(r.Text)
		if err != nil {
			return nil, err
		}
		if txt != "" {
			out = append(out, render.Run{Text: txt, Style: r.Style})
		}
	}
	return out, nil
}

func (t *Template) buildBlock(s *scope, b BlockSpec) ([]render.Block, error) {
	ok, err := s.when(b.When)
	if err != nil || !ok {
		return nil, err
	}
	var out []render.Block
	switch {
	case b.Paragraph != nil:
		ps := b.Paragraph
		right, err := s.runs(ps.Right)
		if err != nil {
			return nil, err
		}
		if len(ps.Runs) > 0 {
			runs, err := s.runs(ps.Runs)
			if err != nil {
				return nil, err
			}
			return []render.Block{&render.Paragraph{Style: ps.Style, Runs: runs, Right: right, TopMM: ps.TopMM}}, nil
		}
		txt, err := s.text(ps.Text)
		if err != nil {
			return nil, err
		}
		lines := splitLines(txt)
		if len(lines) == 0 && len(right) > 0 {
			lines = []string{""}
		}
		for i, line := range lines {
			p := &render.Paragraph{Style: ps.Style}
			if line != "" {
				p.Runs = []render.Run{{Text: line}}
			}
			if i == 0 {
				p.TopMM = ps.TopMM
			}
			if i == len(lines)-1 {
				p.Right = right
			}
			out = append(out, p)
		}
	case b.Paragraphs != nil:
		out = append(out, paragraphsFrom(s.data, b.Paragraphs)...)
	case b.Heading != nil:
		txt, err := s.text(b.Heading.Text)
		if err != nil {
			return nil, err
		}
		level := max(b.Heading.Level, 1)
		style := b.Heading.Style
		if style == "" {
			style = fmt.Sprintf("heading%d", level)
		}
		out = append(out, &render.Paragraph{Style: style, Runs: []render.Run{{Text: txt}}, OutlineLevel: level})
	case b.Rule != nil:
		c, _ := parseColor(b.Rule.Color) // checked at load
		out = append(out, &render.Rule{GapMM: b.Rule.GapMM, LengthMM: b.Rule.LengthMM, WeightMM: b.Rule.WeightMM, Color: c, TopMM: b.Rule.TopMM})
	case b.PageBreak:
		out = append(out, &render.PageBreak{})
	case b.Blocks != nil:
		blocks, err := t.buildBlocks(s, b.Blocks)
		if err != nil {
			return nil, err
		}
		out = append(out, blocks...)
	case b.Anchored != nil:
		blocks, err := t.buildBlocks(s, b.Anchored.Blocks)
		if err != nil {
			return nil, err
		}
		if len(blocks) > 0 {
			out = append(out, &render.Anchored{Blocks: blocks, EvenPage: b.Anchored.EvenPage})
		}
	default:
		tb, err := t.buildTable(s, t.tables[b.Table])
		if err != nil {
			return nil, fmt.Errorf("table %s: %w", b.Table, err)
		}
		out = append(out, tb)
	}
	return out, nil
}

// splitLines splits text at line breaks into paragraphs (report-json.md:
// \n starts a new paragraph with the same style). Empty lines are dropped:
// they carry no text and would print as stray blank paragraphs.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

func paragraphsFrom(data map[string]any, spec *ParagraphsSpec) []render.Block {
	v, _ := strictjson.Get(data, spec.From)
	items, _ := v.([]any)
	var out []render.Block
	for i, it := range items {
		obj, _ := it.(map[string]any)
		heading, _ := obj["heading"].(string)
		text, _ := obj["text"].(string)
		path := fmt.Sprintf("%s/%d", spec.From, i)
		if lvl, _ := obj["level"].(json.Number); lvl == "1" && heading != "" {
			// A level-1 heading (一、…, 黑体) stands on its own line.
			out = append(out, &render.Paragraph{Style: render.StyleHeading1, Runs: []render.Run{{Text: heading}}, Path: path, OutlineLevel: 1})
			heading = ""
			if strings.TrimSpace(text) == "" {
				continue
			}
		}
		lines := splitLines(text)
		if heading != "" && len(lines) == 0 {
			lines = []string{""}
		}
		for j, line := range lines {
			p := &render.Paragraph{Style: spec.Style, Path: path}
			if j == 0 && heading != "" {
				p.Runs = append(p.Runs, render.Run{Text: heading, Style: render.StyleHeading2})
			}
			if line != "" {
				p.Runs = append(p.Runs, render.Run{Text: line})
			}
			out = append(out, p)
		}
	}
	return out
}

func (t *Template) buildTable(s *scope, st *skeletonTable) (*render.Table, error) {
	tb := &render.Table{Name: st.name, Columns: slices.Clone(st.columns), HeaderRows: st.headerRows, Rows: make([]render.Row, len(st.rows))}
	for r, row := range st.rows {
		cells := make([]render.Cell, len(row))
		for i, sc := range row {
			cells[i] = sc.Cell
			if sc.bind {
				v, _ := strictjson.Get(s.data, sc.Path)
				if sc.integer {
					v = canonicalInteger(v)
				}
				cells[i].Text = display(v)
				continue
			}
			txt, err := s.text(sc.text)
			if err != nil {
				return nil, err
			}
			cells[i].Text = txt
		}
		tb.Rows[r].Cells = cells
	}
	return tb, nil
}
