package api

import (
	"gongwen/problem"
	"gongwen/render"
	"gongwen/report"
)

// preview is the document model as the web page draws it: paragraphs and
// tables whose cells carry the JSON Pointer of the value they show, so the
// page can mark the cells a problem points at.
type preview struct {
	Valid      bool              `json:"valid"`
	TemplateID string            `json:"templateId"`
	FileName   string            `json:"fileName"`
	Problems   []problem.Problem `json:"problems"`
	Document   *previewDocument  `json:"document"` // null when the input could not be understood
	// Data is the report after the template's defaults (computed totals,
	// the standard preface...): what an empty field of the form will print.
	Data map[string]any `json:"data,omitempty"`
}

type previewDocument struct {
	Title  string         `json:"title"`
	Blocks []previewBlock `json:"blocks"`
}

// previewBlock is a paragraph (kind "paragraph": style, runs, path) or a
// table (kind "table": name, columns, headerRows, rows).
type previewBlock struct {
	Kind         string          `json:"kind"`
	Style        string          `json:"style,omitempty"`
	Runs         []previewRun    `json:"runs,omitempty"`
	OutlineLevel int             `json:"outlineLevel,omitempty"`
	Path         string          `json:"path,omitempty"`
	Name         string          `json:"name,omitempty"`
	Columns      []float64       `json:"columns,omitempty"`
	HeaderRows   int             `json:"headerRows,omitempty"`
	Rows         [][]previewCell `json:"rows,omitempty"`
}

type previewRun struct {
	Text  string `json:"text"`
	Style string `json:"style,omitempty"`
}

type previewCell struct {
	Col     int    `json:"col"`
	RowSpan int    `json:"rowSpan"`
	ColSpan int    `json:"colSpan"`
	Text    string `json:"text"`
	Header  bool   `json:"header,omitempty"`
	Align   string `json:"align,omitempty"`
	Path    string `json:"path,omitempty"`
}

func previewOf(o *report.Outcome) preview {
	p := preview{Valid: o.Valid(), TemplateID: o.TemplateID, FileName: o.FileName, Problems: nonNil(o.Problems), Data: o.Data}
	if o.Document == nil {
		return p
	}
	d := &previewDocument{Title: o.Document.Meta.Title, Blocks: make([]previewBlock, 0, len(o.Document.Blocks))}
	for _, b := range o.Document.Blocks {
		switch b := b.(type) {
		case *render.Paragraph:
			pb := previewBlock{Kind: "paragraph", Style: b.Style, OutlineLevel: b.OutlineLevel, Path: b.Path,
				Runs: make([]previewRun, len(b.Runs))}
			for i, r := range b.Runs {
				pb.Runs[i] = previewRun{Text: r.Text, Style: r.Style}
			}
			d.Blocks = append(d.Blocks, pb)
		case *render.Table:
			tb := previewBlock{Kind: "table", Name: b.Name, Columns: b.Columns, HeaderRows: b.HeaderRows,
				Rows: make([][]previewCell, len(b.Rows))}
			for i, row := range b.Rows {
				cells := make([]previewCell, len(row.Cells))
				for j, c := range row.Cells {
					cells[j] = previewCell{Col: c.Col, RowSpan: max(c.RowSpan, 1), ColSpan: max(c.ColSpan, 1),
						Text: c.Text, Header: c.Header, Align: string(c.Align), Path: c.Path}
				}
				tb.Rows[i] = cells
			}
			d.Blocks = append(d.Blocks, tb)
		}
	}
	p.Document = d
	return p
}
