package render

import "time"

// Font roles name what a piece of text is, not which font sets it; the font
// book maps each role to an ordered chain of faces (official face first,
// then free substitutes, then wide-coverage fallbacks).
const (
	RoleTitle       = "title"
	RoleBody        = "body"
	RoleHeading1    = "heading1"
	RoleHeading2    = "heading2"
	RoleTable       = "table"
	RoleTableHeader = "tableHeader"
	RolePageNumber  = "pageNumber"
)

// Style names used by the templates shipped with gongwen. A template may
// define more; backends must look styles up in Document.Styles, never assume.
const (
	StyleTitle       = "title"
	StyleBody        = "body"
	StyleHeading1    = "heading1"
	StyleHeading2    = "heading2" // character style of a run-in heading
	StyleTableText   = "tableText"
	StyleTableHeader = "tableHeader"
	StyleSignature   = "signature"
	StyleDate        = "date"
	StylePageNumber  = "pageNumber"
)

// Document is a finished, backend-independent document.
type Document struct {
	Meta   Meta
	Page   Page
	Styles map[string]Style // keyed by Style.Name
	Blocks []Block
	// TitleWords are terms a centred title must not be broken inside
	// (the template's titleWords; see TitleBreak).
	TitleWords []string
}

// Meta is document information every backend records.
type Meta struct {
	TemplateID string
	Title      string
	Author     string // the reporting organ
	Subject    string
	Keywords   []string
	Language   string // BCP 47, "zh-CN"
	// Created is the document date written into the file, with the offset
	// of its location (+08:00 by default). The pipeline sets it (see
	// report.DocumentDate): the report's own date, else the request's, else
	// SOURCE_DATE_EPOCH, else the time of the render; the same input and
	// date give the same bytes. The zero value means "unset": backends then
	// write the Unix epoch.
	Created time.Time
	// Notes are remarks recorded in the document metadata, e.g.
	// "rendered with unresolved problems".
	Notes []string
	// Custom are the named facts the template records about the document
	// (the reporting organ, the year…), in the template's order; exporters
	// that keep custom metadata (OFD's CustomData) write them as given.
	Custom []Property
}

// Property is a named metadata value: a template's custom fact, or a
// provenance entry an exporter records (how the file was made, for verify;
// the name then is an XML local name, ASCII letters and digits).
type Property struct {
	Name, Value string
}

// Page is the page setup. Lengths are millimetres unless the name says Pt.
type Page struct {
	WidthMM, HeightMM                                        float64
	MarginTopMM, MarginBottomMM, MarginLeftMM, MarginRightMM float64
	LinePitchPt                                              float64 // body grid pitch (28.95 pt)
	LinesPerPage                                             int     // 22
	CharsPerLine                                             int     // 28
	PageNumber                                               PageNumber
}

// PageNumber places the folio, GB/T 9704 clause 7.5 by default. Pages
// that are blank, or hold only an Anchored block (the 版记), never carry
// one.
type PageNumber struct {
	SkipFirst  bool    // no number on the first page (GB/T 9704 10.1: letters)
	Style      string  // paragraph style of the number, e.g. "pageNumber"
	Format     string  // with {n} for the page number, e.g. "— {n} —"
	BelowMM    float64 // distance from the text block's lower edge to the number's baseline area (7 mm)
	InsetChars float64 // inset from the text block edge, in characters of the style's size (1)
	OddAlign   Align   // odd pages (right)
	EvenAlign  Align   // even pages (left)
}

// Align is horizontal alignment.
type Align string

const (
	AlignLeft    Align = "left"
	AlignCenter  Align = "center"
	AlignRight   Align = "right"
	AlignJustify Align = "justify" // both edges; last line of a paragraph flush left
)

// VAlign is vertical alignment within a table cell.
type VAlign string

const (
	VAlignTop    VAlign = "top"
	VAlignMiddle VAlign = "middle"
)

// Style is a named paragraph (or, for run-in headings, character) style.
type Style struct {
	Name                 string
	Role                 string  // font role, one of the Role* constants
	SizePt               float64 // 16 for 三号, 10.5 for 五号
	Bold                 bool
	Align                Align
	FirstLineIndentChars float64 // 2 for body paragraphs
	RightIndentChars     float64 // 4 for the date
	// HangingIndentChars starts the lines after the first this many
	// characters in, so that they align with text after a label (抄送：,
	// 附件：1., 出席：); 0 starts them at the left edge.
	HangingIndentChars float64
	LineSpacingPt      float64 // exact line spacing; 0 means 1.2 × SizePt (tables)
	SpaceBeforePt      float64
	SpaceAfterPt       float64
	KeepWithNext       bool // headings: never the last line of a page
	SnapToGrid         bool // body text snaps to the page's line grid
	Color              Color
	// CenterOnNext centres the paragraph's lines on the first line of the
	// paragraph that follows (GB/T 9704 7.3.5.1: the organ's name centred
	// over the date), instead of aligning them by Align.
	CenterOnNext bool
	// StartAfterPrevious, when set, starts the first line this many
	// characters right of where the previous paragraph's first line
	// starts (GB/T 9704 7.3.5.2: the date 2 characters right of the
	// organ's name), instead of aligning it by Align.
	StartAfterPrevious *float64
}

// Color is an sRGB colour; the zero value is black. GB/T 9704 red (the
// 发文机关标志 and the red rule) is a template's choice, not a constant here.
type Color struct{ R, G, B uint8 }

// Block is a top-level piece of the document flow: *Paragraph, *Table,
// *Rule, *PageBreak or *Anchored.
type Block interface{ block() }

// Rule is a horizontal line in the flow (GB/T 9704: the red rule below the
// 发文字号, the rules of the 版记), centred on the text block.
type Rule struct {
	// GapMM is the distance from the bottom of the previous line's em box
	// (or from the previous rule) to the rule's centre line.
	GapMM    float64
	LengthMM float64 // 0: the text block's width
	WeightMM float64 // line thickness
	Color    Color
	// TopMM, when set, places the rule's centre line this far below the
	// top of the current page, outside the flow (GB/T 9704 10.1: the
	// letter's lower double rule 20 mm above the page bottom).
	TopMM *float64
}

// PageBreak starts a new page (an attachment, GB/T 9704 7.3.7).
type PageBreak struct{}

// Anchored blocks are set at the foot of the last page, the last of them
// on the bottom edge of the text block (GB/T 9704 7.4.1: the 版记's last
// rule). They move to a new page when they do not fit below the flow,
// and, with EvenPage, to an even page (a blank page is added before).
type Anchored struct {
	Blocks   []Block // *Paragraph and *Rule
	EvenPage bool
}

// Paragraph is one paragraph made of runs.
type Paragraph struct {
	Style string // paragraph style name
	Runs  []Run
	// OutlineLevel > 0 puts the paragraph in the document outline
	// (PDF bookmarks, Word navigation pane) at that level.
	OutlineLevel int
	// Path is the JSON Pointer of the data this paragraph came from, "" for
	// template text.
	Path string
	// TopMM, when set, places the top of the first line's em box this far
	// below the top of the page instead of where the flow has got to
	// (GB/T 9704 7.2.4: the 发文机关标志); the flow continues below it.
	TopMM *float64
	// Right is text set flush right, at the style's right indent, on the
	// paragraph's last line (发文字号 left and 签发人 right; 印发机关 and
	// 印发日期).
	Right []Run
}

// Run is text in one style. An empty Style means the paragraph's style;
// a run-in heading is a Run with Style "heading2" at the start of a body
// paragraph.
type Run struct {
	Text  string
	Style string
}

// Text returns the paragraph's text without styling.
func (p *Paragraph) Text() string {
	n := 0
	for _, r := range p.Runs {
		n += len(r.Text)
	}
	b := make([]byte, 0, n)
	for _, r := range p.Runs {
		b = append(b, r.Text...)
	}
	return string(b)
}

// Table is a grid of cells with explicit column widths and merges.
type Table struct {
	Name       string    // e.g. "表三", used in dumps and outlines
	Columns    []float64 // grid column widths in millimetres; their sum fits the text block
	HeaderRows int       // the first HeaderRows rows repeat on every page the table continues on
	Rows       []Row
}

// Row lists the cells that start in it, left to right. Positions covered by
// a merge from an earlier row or column have no Cell.
type Row struct {
	Cells []Cell
}

// KeepWithNext reports a row that must not end a page: a row of headings
// only inside the body (表二's 第二十条第（一）项 and its 信息内容 row) belongs
// to the rows below it. Both backends keep such a row with the next.
func (r *Row) KeepWithNext() bool {
	if len(r.Cells) == 0 {
		return false
	}
	for i := range r.Cells {
		if !r.Cells[i].Header || r.Cells[i].Path != "" {
			return false
		}
	}
	return true
}

// Cell is a grid cell, possibly merged over RowSpan rows and ColSpan columns.
type Cell struct {
	Col     int // grid column where the cell starts, 0-based
	RowSpan int // ≥ 1
	ColSpan int // ≥ 1
	Text    string
	Style   string // "tableText" or "tableHeader"
	Align   Align
	VAlign  VAlign
	Header  bool   // a header cell (label), as opposed to a data value
	Path    string // JSON Pointer of the bound value, "" for a literal label
}

func (*Paragraph) block() {}
func (*Table) block()     {}
func (*Rule) block()      {}
func (*PageBreak) block() {}
func (*Anchored) block()  {}
