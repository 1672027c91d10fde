package engine

import (
	"fmt"
	"slices"
	"strings"

	"gongwen/render"
	"gongwen/strictjson"
)

// Work that depends only on the template — forEach expansion, the pointers
// of defaults, rules and table bindings — is done once at Load, so a run
// only reads data and evaluates expressions. Pointers (path, bind) may
// therefore use the forEach variables (and a cell's `item`) but not data.

type binding struct {
	name  string
	value any
}

// step is one iteration of a forEach: its variables and resolved path.
type step struct {
	vars []binding
	path string
}

func (t *Template) expandForEach(fe []ForEachSpec) [][]binding {
	out := [][]binding{nil}
	for _, f := range fe {
		var next [][]binding
		for _, prefix := range out {
			for _, item := range t.lists[f.In] {
				b := append(append([]binding(nil), prefix...), binding{f.Var, item})
				next = append(next, b)
			}
		}
		out = next
	}
	return out
}

// staticText executes a text template with only the given variables.
func (t *Template) staticText(src string, vars []binding) (string, error) {
	if !strings.Contains(src, "{{") {
		return src, nil
	}
	if err := t.text(src); err != nil {
		return "", err
	}
	ctx := make(map[string]any, len(vars))
	for _, b := range vars {
		ctx[b.name] = b.value
	}
	var sb strings.Builder
	if err := t.texts[src].Execute(&sb, ctx); err != nil {
		return "", fmt.Errorf("text %q: %w", src, err)
	}
	out := sb.String()
	if strings.Contains(out, "<no value>") {
		return "", fmt.Errorf("pointer %q uses something other than its forEach variables", src)
	}
	return out, nil
}

func (t *Template) steps(fe []ForEachSpec, pathSrc string) ([]step, error) {
	var out []step
	for _, vars := range t.expandForEach(fe) {
		p, err := t.staticText(pathSrc, vars)
		if err != nil {
			return nil, err
		}
		out = append(out, step{vars: vars, path: p})
	}
	return out, nil
}

// skeletonCell is a table cell with everything but the bound value.
type skeletonCell struct {
	render.Cell
	bind     bool   // Text comes from data at Cell.Path
	integer  bool   // the bound value is a count: printed in canonical integer form
	text     string // literal text, or a text template when it contains {{
	label    bool   // a row label (names the bound cells to its right)
	nameless bool   // a row label left out of those names (inName: false)
}

type skeletonTable struct {
	name       string
	columns    []float64
	headerRows int
	rows       [][]skeletonCell
}

func (t *Template) skeleton(spec TableSpec) (*skeletonTable, error) {
	st := &skeletonTable{name: spec.Name, columns: spec.Columns, headerRows: spec.HeaderRows}
	var covered []map[int]bool
	ensure := func(r int) {
		for len(covered) <= r {
			covered = append(covered, map[int]bool{})
		}
	}
	for r, rowSpec := range spec.Rows {
		ensure(r)
		var row []skeletonCell
		col := 0
		for _, c := range rowSpec {
			iterations := [][]binding{nil}
			if c.Each != "" {
				iterations = t.expandForEach([]ForEachSpec{{Var: "item", In: c.Each}})
			}
			for _, vars := range iterations {
				for covered[r][col] {
					col++
				}
				cell := render.Cell{Col: col, RowSpan: max(c.Rowspan, 1), ColSpan: max(c.Colspan, 1), VAlign: render.VAlignMiddle}
				switch {
				case c.Header:
					cell.Style, cell.Header, cell.Align = render.StyleTableHeader, true, render.AlignCenter
				case c.Label:
					cell.Style, cell.Header, cell.Align = render.StyleTableText, true, render.AlignLeft
				default:
					cell.Style, cell.Align = render.StyleTableText, render.AlignCenter
				}
				if c.Align != "" {
					cell.Align = render.Align(c.Align)
				}
				sc := skeletonCell{Cell: cell, label: c.Label, nameless: c.InName != nil && !*c.InName}
				if c.Bind != "" {
					p, err := t.staticText(c.Bind, vars)
					if err != nil {
						return nil, fmt.Errorf("row %d: %w", r+1, err)
					}
					sc.Path, sc.bind = p, true
					if tokens, err := strictjson.SplitPointer(p); err == nil {
						sc.integer = t.labels.Integer(tokens)
					}
				} else {
					txt, err := t.staticText(c.Text, vars)
					if err != nil && len(vars) > 0 {
						return nil, fmt.Errorf("row %d: %w", r+1, err)
					}
					if err != nil { // refers to data: evaluated per run
						txt = c.Text
					}
					sc.text = txt
				}
				for dr := range cell.RowSpan {
					ensure(r + dr)
					for dc := range cell.ColSpan {
						covered[r+dr][col+dc] = true
					}
				}
				col += cell.ColSpan
				row = append(row, sc)
			}
		}
		st.rows = append(st.rows, row)
	}
	return st, nil
}

// PointerUse is a JSON Pointer the template reads, with the manifest key
// that holds it.
type PointerUse struct {
	Key     string // e.g. "tables.requests", "body[3].paragraphs.from"
	Pointer string
}

// Pointers lists every pointer the document reads from the data: table
// bindings and paragraph arrays (`gongwen template check` resolves them
// against the example, where each must lead to a value).
func (t *Template) Pointers() []PointerUse {
	var out []PointerUse
	for i, b := range t.m.Body {
		if b.Paragraphs != nil {
			out = append(out, PointerUse{Key: fmt.Sprintf("body[%d].paragraphs.from", i), Pointer: b.Paragraphs.From})
		}
	}
	names := make([]string, 0, len(t.tables))
	for name := range t.tables {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for r, row := range t.tables[name].rows {
			for _, c := range row {
				if c.bind {
					out = append(out, PointerUse{Key: fmt.Sprintf("tables.%s.rows[%d]", name, r), Pointer: c.Path})
				}
			}
		}
	}
	return out
}
