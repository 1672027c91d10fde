package engine

import (
	"fmt"
	"slices"
	"strings"
	"text/template/parse"

	"gongwen/strictjson"
)

// Form describes a template to an editor that lets the clerk fill in the
// document itself: the fields, prose sections and tables in the order the
// document prints them, each value by its JSON Pointer and by its name as
// printed (table, row label, column label). It is derived once at Load
// from the manifest and the schema, so an editor needs no knowledge of any
// particular document.
type Form struct {
	// Fields are the values shown neither in a table nor in a prose
	// section nor in a paragraph of the body (e.g. 报告机关, 报告年度), in
	// schema order; an editor shows them first.
	Fields []FormField `json:"fields"`
	// Blocks are the document's parts in printed order.
	Blocks []FormBlock `json:"blocks"`
	// NextYear: the template can start next year's draft from a report.
	NextYear bool `json:"nextYear"`
	// Elsewhere names (by the schema's labels) the values the form has no
	// input for (lists of records such as 附件): an editor says to fill them
	// in the data directly.
	Elsewhere []string `json:"elsewhere,omitempty"`
}

// FormField is one value: text, an integer, a date, one of Options
// (choice), yes or no (boolean), or a list of texts, one per line (lines).
type FormField struct {
	Path     string   `json:"path"`
	Label    string   `json:"label"`
	Type     string   `json:"type"` // text, integer, date, choice, boolean, lines
	Options  []string `json:"options,omitempty"`
	Required bool     `json:"required,omitempty"`
	// Computed: left empty, the template fills it in (e.g. the title from
	// the organ and year).
	Computed bool `json:"computed,omitempty"`
}

// FormBlock is one part of the document.
//
//	heading     Text
//	fields      Fields: a paragraph of the body made of these values (title, signature)
//	text        Text: a fixed paragraph
//	paragraphs  Path of an array of {heading?, text}, Label; Computed when
//	            the template supplies standard text for an empty section
//	table       Table
type FormBlock struct {
	Kind     string      `json:"kind"`
	Text     string      `json:"text,omitempty"`
	Style    string      `json:"style,omitempty"`
	Fields   []FormField `json:"fields,omitempty"`
	Path     string      `json:"path,omitempty"`
	Label    string      `json:"label,omitempty"`
	Required bool        `json:"required,omitempty"`
	Computed bool        `json:"computed,omitempty"`
	Table    *FormTable  `json:"table,omitempty"`
}

// FormTable is a table as printed: grid column widths, header rows and
// rows of cells with their spans.
type FormTable struct {
	Name       string       `json:"name"`
	Columns    []float64    `json:"columns"`
	HeaderRows int          `json:"headerRows"`
	Rows       [][]FormCell `json:"rows"`
}

// FormCell is a label (Text) or a value (Path). A value cell's Name is
// what an editor calls its input, e.g. "表三 （一）予以公开 自然人".
type FormCell struct {
	Col      int    `json:"col"`
	RowSpan  int    `json:"rowSpan"`
	ColSpan  int    `json:"colSpan"`
	Text     string `json:"text,omitempty"`
	Header   bool   `json:"header,omitempty"`
	Align    string `json:"align,omitempty"`
	Path     string `json:"path,omitempty"`
	Name     string `json:"name,omitempty"`
	Kind     string `json:"kind,omitempty"`     // count or amount (the schema's type name)
	Computed bool   `json:"computed,omitempty"` // left empty, the template computes it
}

// Form returns the template's form description (built at Load).
func (t *Template) Form() *Form { return t.form }

func (t *Template) buildForm() (*Form, error) {
	m := t.m
	computed := map[string]bool{}
	standardText := map[string]bool{}
	for i, d := range m.Defaults {
		for _, st := range t.defaultSteps[i] {
			switch {
			case d.Expr != "" || d.Text != "":
				computed[st.path] = true
			case d.Paragraphs != nil:
				standardText[st.path] = true
			}
		}
	}
	f := &Form{NextYear: m.NextYear != nil, Fields: []FormField{}}
	bound := map[string]bool{}
	var prose []string
	placed := map[string]bool{}
	blocks := []FormBlock{}
	for _, b := range m.Body {
		switch {
		case b.Heading != nil:
			blocks = append(blocks, FormBlock{Kind: "heading", Text: b.Heading.Text})
		case b.Paragraphs != nil:
			from := b.Paragraphs.From
			prose = append(prose, from)
			toks, _ := strictjson.SplitPointer(from)
			labels, node := t.labels.Lookup(toks)
			fb := FormBlock{Kind: "paragraphs", Path: from, Computed: standardText[from]}
			if len(labels) > 0 {
				fb.Label = labels[len(labels)-1]
			}
			if node != nil {
				min, _ := numberField(node, "minItems")
				fb.Required = min > 0
			}
			if len(toks) > 0 { // required by its parent (the report: overview, problems)
				_, parent := t.labels.Lookup(toks[:len(toks)-1])
				if rs, ok := parent["required"].([]any); ok && slices.Contains(rs, any(toks[len(toks)-1])) {
					fb.Required = true
				}
			}
			blocks = append(blocks, fb)
		case b.Paragraph != nil:
			refs := t.fieldRefs(b.Paragraph.Text)
			if len(refs) == 0 {
				if b.Paragraph.Text != "" && !strings.Contains(b.Paragraph.Text, "{{") { // fixed text; text made from data is not the clerk's to see as a template
					blocks = append(blocks, FormBlock{Kind: "text", Text: b.Paragraph.Text, Style: b.Paragraph.Style})
				}
				continue
			}
			fb := FormBlock{Kind: "fields", Style: b.Paragraph.Style}
			for _, r := range refs {
				if !placed[r] {
					placed[r] = true
					fb.Fields = append(fb.Fields, FormField{Path: r})
				}
			}
			if len(fb.Fields) > 0 {
				blocks = append(blocks, fb)
			}
		case b.Anchored != nil || b.Blocks != nil:
			// Grouped and anchored blocks (the 版记, attachments): their
			// paragraphs' fields, in order.
			fb := FormBlock{Kind: "fields"}
			for _, txt := range nestedTexts(b) {
				for _, r := range t.fieldRefs(txt) {
					if !placed[r] {
						placed[r] = true
						fb.Fields = append(fb.Fields, FormField{Path: r})
					}
				}
			}
			if len(fb.Fields) > 0 {
				blocks = append(blocks, fb)
			}
		case b.Table != "":
			ft, err := t.formTable(t.tables[b.Table], computed)
			if err != nil {
				return nil, fmt.Errorf("table %s: %w", b.Table, err)
			}
			for _, row := range ft.Rows {
				for _, c := range row {
					if c.Path != "" {
						bound[c.Path] = true
					}
				}
			}
			blocks = append(blocks, FormBlock{Kind: "table", Table: ft})
		}
	}
	leaves, elsewhere := t.schemaLeaves()
	byPath := map[string]FormField{}
	for _, l := range leaves {
		l.Computed = computed[l.Path]
		byPath[l.Path] = l
	}
	covered := func(p string) bool {
		if bound[p] {
			return true
		}
		for _, from := range prose {
			if p == from || strings.HasPrefix(p, from+"/") {
				return true
			}
		}
		return false
	}
	for _, l := range leaves {
		if !placed[l.Path] && !covered(l.Path) {
			f.Fields = append(f.Fields, byPath[l.Path])
		}
	}
	for _, e := range elsewhere {
		if !covered(e.Path) {
			f.Elsewhere = append(f.Elsewhere, e.Label)
		}
	}
	// A paragraph's references that are not single values of the schema
	// (none in a well-formed template) are dropped rather than shown as
	// inputs nothing validates.
	for i := range blocks {
		if blocks[i].Kind != "fields" {
			continue
		}
		var keep []FormField
		for _, r := range blocks[i].Fields {
			if l, ok := byPath[r.Path]; ok {
				keep = append(keep, l)
			}
		}
		blocks[i].Fields = keep
	}
	f.Blocks = slices.DeleteFunc(blocks, func(b FormBlock) bool { return b.Kind == "fields" && len(b.Fields) == 0 })
	return f, nil
}

// fieldRefs lists the data a paragraph's text template prints, as JSON
// Pointers: {{.title}} → /title. Only the primary value of a with/if
// counts (the signature prints .signature.organ, falling back to .organ:
// the field that belongs there is the signature's).
func (t *Template) fieldRefs(src string) []string {
	tp, ok := t.texts[src]
	if !ok || tp.Tree == nil {
		return nil
	}
	var out []string
	var pipe func(p *parse.PipeNode)
	pipe = func(p *parse.PipeNode) {
		if p == nil {
			return
		}
		for _, c := range p.Cmds {
			for _, a := range c.Args {
				switch x := a.(type) {
				case *parse.FieldNode:
					out = append(out, strictjson.Pointer(x.Ident))
				case *parse.PipeNode:
					pipe(x)
				}
			}
		}
	}
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch x := n.(type) {
		case *parse.ListNode:
			if x != nil {
				for _, c := range x.Nodes {
					walk(c)
				}
			}
		case *parse.ActionNode:
			pipe(x.Pipe)
		case *parse.IfNode:
			pipe(x.Pipe)
		case *parse.WithNode:
			pipe(x.Pipe)
		case *parse.RangeNode:
			pipe(x.Pipe)
		}
	}
	walk(tp.Tree.Root)
	return out
}

// schemaLeaves lists the values of the schema a form can give an input,
// in schema order: strings, numbers, yes/no, choices and lists of texts —
// except fixed ones (an enum of one value: the template id). elsewhere are
// the values it cannot (lists of records), by path and label.
func (t *Template) schemaLeaves() (leaves, elsewhere []FormField) {
	var walk func(node map[string]any, toks []string)
	walk = func(node map[string]any, toks []string) {
		props, _ := node["properties"].(map[string]any)
		req := map[string]bool{}
		if rs, ok := node["required"].([]any); ok {
			for _, r := range rs {
				if s, ok := r.(string); ok {
					req[s] = true
				}
			}
		}
		for _, name := range t.labels.ordered(props) {
			child, _ := props[name].(map[string]any)
			if child == nil {
				continue
			}
			child = t.labels.resolve(child)
			path := append(slices.Clone(toks), name)
			label, _ := child["description"].(string)
			f := FormField{Path: strictjson.Pointer(path), Label: label, Required: len(toks) == 0 && req[name]}
			types := typesOf(child)
			enum, _ := child["enum"].([]any)
			switch {
			case types["object"]:
				walk(child, path)
				continue
			case types["array"]:
				items, _ := child["items"].(map[string]any)
				if items == nil || !typesOf(t.labels.resolve(items))["string"] {
					elsewhere = append(elsewhere, f)
					continue
				}
				f.Type = "lines"
			case len(enum) == 1:
				continue
			case len(enum) > 1:
				f.Type = "choice"
				for _, e := range enum {
					f.Options = append(f.Options, fmt.Sprint(e))
				}
			case types["boolean"]:
				f.Type = "boolean"
			case types["integer"] && !types["string"]:
				f.Type = "integer"
			case types["string"] || types["integer"] || types["number"]:
				f.Type = "text"
				if child["format"] == "date" {
					f.Type = "date"
				}
			default:
				continue
			}
			leaves = append(leaves, f)
		}
	}
	walk(t.labels.resolve(t.labels.root), nil)
	return leaves, elsewhere
}

func typesOf(node map[string]any) map[string]bool {
	out := map[string]bool{}
	switch x := node["type"].(type) {
	case string:
		out[x] = true
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				out[s] = true
			}
		}
	}
	return out
}

func numberField(node map[string]any, key string) (float64, bool) {
	switch x := node[key].(type) {
	case float64:
		return x, true
	case interface{ Float64() (float64, error) }:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

// formTable names every value cell after the table, its row labels (left
// of it in its row) and its column headers (the header cells over it in
// the nearest header rows above), as a reader of the printed table would
// say it. An outer header over every value column (申请人情况) adds nothing
// and is left out; so is a row label marked inName: false. Cells the
// printed labels cannot tell apart get the schema's label of their value.
func (t *Template) formTable(st *skeletonTable, computed map[string]bool) (*FormTable, error) {
	ncols := len(st.columns)
	grid := make([][]*skeletonCell, len(st.rows))
	for r := range grid {
		grid[r] = make([]*skeletonCell, ncols)
	}
	hasValue := make([]bool, len(st.rows))
	valueCols := map[int]bool{}
	for r, row := range st.rows {
		for i := range row {
			c := &row[i]
			for dr := range c.RowSpan {
				for dc := range c.ColSpan {
					if r+dr < len(grid) && c.Col+dc < ncols {
						grid[r+dr][c.Col+dc] = c
					}
				}
			}
			if c.bind {
				hasValue[r] = true
				for dc := range c.ColSpan {
					valueCols[c.Col+dc] = true
				}
			}
		}
	}
	coversAllValues := func(c *skeletonCell) bool {
		for col := range valueCols {
			if col < c.Col || col >= c.Col+c.ColSpan {
				return false
			}
		}
		return true
	}
	name := func(r int, c *skeletonCell) string {
		parts := []string{st.name}
		var seen []*skeletonCell
		for col := 0; col < c.Col; col++ {
			l := grid[r][col]
			if l != nil && l.label && !l.nameless && !slices.Contains(seen, l) {
				seen = append(seen, l)
				parts = append(parts, l.text)
			}
		}
		i := r - 1
		for i >= 0 && hasValue[i] {
			i--
		}
		var heads []*skeletonCell
		for ; i >= 0 && !hasValue[i]; i-- {
			for col := c.Col; col < c.Col+c.ColSpan; col++ {
				h := grid[i][col]
				if h != nil && h.Header && !h.label && !h.bind && !slices.Contains(heads, h) {
					heads = append(heads, h)
				}
			}
		}
		slices.Reverse(heads) // outermost first
		for j, h := range heads {
			if j < len(heads)-1 && coversAllValues(h) {
				continue
			}
			parts = append(parts, h.text)
		}
		return strings.Join(parts, " ")
	}
	ft := &FormTable{Name: st.name, Columns: slices.Clone(st.columns), HeaderRows: st.headerRows, Rows: make([][]FormCell, len(st.rows))}
	names := map[string]int{}
	for r, row := range st.rows {
		cells := make([]FormCell, len(row))
		for i := range row {
			c := &row[i]
			fc := FormCell{Col: c.Col, RowSpan: c.RowSpan, ColSpan: c.ColSpan, Header: c.Header, Align: string(c.Align)}
			if c.bind {
				fc.Path, fc.Name, fc.Computed = c.Path, name(r, c), computed[c.Path]
				fc.Kind = t.labels.Kind(mustSplit(c.Path))
				names[fc.Name]++
			} else {
				fc.Text = c.text
			}
			cells[i] = fc
		}
		ft.Rows[r] = cells
	}
	// Headers that span several values (a merged 合并 over 甲 and 乙) give
	// them one name; the schema's label of each value tells them apart.
	for _, row := range ft.Rows {
		for i := range row {
			if c := &row[i]; c.Path != "" && names[c.Name] > 1 {
				if labels, _ := t.labels.Lookup(mustSplit(c.Path)); len(labels) > 0 {
					c.Name += " " + labels[len(labels)-1]
				}
			}
		}
	}
	return ft, nil
}

func mustSplit(p string) []string {
	toks, _ := strictjson.SplitPointer(p)
	return toks
}

// nestedTexts lists the texts of the paragraphs in a group or anchored
// block, right parts and runs included.
func nestedTexts(b BlockSpec) []string {
	var out []string
	var walk func(bs []BlockSpec)
	walk = func(bs []BlockSpec) {
		for _, x := range bs {
			if p := x.Paragraph; p != nil {
				out = append(out, p.Text)
				for _, r := range append(slices.Clone(p.Runs), p.Right...) {
					out = append(out, r.Text)
				}
			}
			walk(x.Blocks)
			if x.Anchored != nil {
				walk(x.Anchored.Blocks)
			}
		}
	}
	walk([]BlockSpec{b})
	return out
}
