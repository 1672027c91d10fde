package engine

// Manifest is manifest.yaml as written. Field documentation lives in the
// shipped template's comments; these types only give it a shape.
type Manifest struct {
	ID          string                      `yaml:"id"`
	Name        string                      `yaml:"name"`
	Description string                      `yaml:"description"`
	Schema      string                      `yaml:"schema"`
	Example     string                      `yaml:"example"`
	FileName    string                      `yaml:"fileName"`
	OutputDir   string                      `yaml:"outputDir"`
	Select      *SelectSpec                 `yaml:"select"`
	TitleWords  []string                    `yaml:"titleWords"`
	Meta        MetaSpec                    `yaml:"meta"`
	Page        PageSpec                    `yaml:"page"`
	Styles      map[string]StyleSpec        `yaml:"styles"`
	Lists       map[string][]map[string]any `yaml:"lists"`
	Defaults    []DefaultSpec               `yaml:"defaults"`
	Rules       []RuleSpec                  `yaml:"rules"`
	Body        []BlockSpec                 `yaml:"body"`
	Tables      map[string]TableSpec        `yaml:"tables"`
	NextYear    *NextYearSpec               `yaml:"nextYear"`
}

// NextYearSpec makes next year's draft from a report of this template
// ("以去年报告为基础"): the values under Keep are copied, everything else
// starts empty, and Set fills values from last year's report, read in
// expressions with prev(ptr) (a number) and prevValue(ptr) (as written).
type NextYearSpec struct {
	Keep []string      `yaml:"keep"`
	Set  []DefaultSpec `yaml:"set"`
}

// SelectSpec makes a template the one a report gets when it names no
// template and When is true of its data (e.g. an older format for older
// report years); the report is told so by Notice.
type SelectSpec struct {
	When   string            `yaml:"when"`
	Notice map[string]string `yaml:"notice"` // by language: zh, en
}

type MetaSpec struct {
	Title    string   `yaml:"title"`
	Author   string   `yaml:"author"`
	Subject  string   `yaml:"subject"`
	Keywords []string `yaml:"keywords"`
	Language string   `yaml:"language"`
	// Custom are named facts recorded in the file's metadata (OFD
	// CustomData), each value a text template.
	Custom []CustomSpec `yaml:"custom"`
	// Date is the JSON Pointer of the document's own date in the report
	// (e.g. /signature/date, the 成文日期): "YYYY-MM-DD", midnight in
	// RunOptions.Zone, or RFC 3339. It dates the file (PDF Info and XMP,
	// DOCX core properties) before any date the render request gives; a
	// value that is no date is a problem at that pointer.
	Date string `yaml:"date"`
}

type CustomSpec struct {
	Name  string `yaml:"name"`
	Value string `yaml:"value"`
}

type PageSpec struct {
	WidthMM        float64        `yaml:"widthMM"`
	HeightMM       float64        `yaml:"heightMM"`
	MarginTopMM    float64        `yaml:"marginTopMM"`
	MarginBottomMM float64        `yaml:"marginBottomMM"`
	MarginLeftMM   float64        `yaml:"marginLeftMM"`
	MarginRightMM  float64        `yaml:"marginRightMM"`
	LinePitchPt    float64        `yaml:"linePitchPt"`
	LinesPerPage   int            `yaml:"linesPerPage"`
	CharsPerLine   int            `yaml:"charsPerLine"`
	PageNumber     PageNumberSpec `yaml:"pageNumber"`
}

type PageNumberSpec struct {
	SkipFirst  bool    `yaml:"skipFirst"`
	Style      string  `yaml:"style"`
	Format     string  `yaml:"format"`
	BelowMM    float64 `yaml:"belowMM"`
	InsetChars float64 `yaml:"insetChars"`
	OddAlign   string  `yaml:"oddAlign"`
	EvenAlign  string  `yaml:"evenAlign"`
}

type StyleSpec struct {
	Role                 string   `yaml:"role"`
	SizePt               float64  `yaml:"sizePt"`
	Bold                 bool     `yaml:"bold"`
	Align                string   `yaml:"align"`
	FirstLineIndentChars float64  `yaml:"firstLineIndentChars"`
	RightIndentChars     float64  `yaml:"rightIndentChars"`
	HangingIndentChars   float64  `yaml:"hangingIndentChars"` // lines after the first start this many characters in
	LineSpacingPt        float64  `yaml:"lineSpacingPt"`
	SpaceBeforePt        float64  `yaml:"spaceBeforePt"`
	SpaceAfterPt         float64  `yaml:"spaceAfterPt"`
	KeepWithNext         bool     `yaml:"keepWithNext"`
	SnapToGrid           bool     `yaml:"snapToGrid"`
	Color                string   `yaml:"color"`              // "#E60000"; default black
	CenterOnNext         bool     `yaml:"centerOnNext"`       // centred on the next paragraph's first line
	StartAfterPrevious   *float64 `yaml:"startAfterPrevious"` // characters right of the previous paragraph's start
}

// ForEachSpec binds Var to each item of the named list in turn; several
// bind the cartesian product, the first varying slowest.
type ForEachSpec struct {
	Var string `yaml:"var"`
	In  string `yaml:"in"`
}

// DefaultSpec fills Path when the data has no value there. Exactly one of
// Value, Text, Expr and Paragraphs gives the value.
type DefaultSpec struct {
	ForEach    []ForEachSpec `yaml:"forEach"`
	When       string        `yaml:"when"`
	Path       string        `yaml:"path"`
	Value      any           `yaml:"value"`
	Text       string        `yaml:"text"`
	Expr       string        `yaml:"expr"`
	Paragraphs []string      `yaml:"paragraphs"`
}

// RuleSpec is a consistency check.
type RuleSpec struct {
	ID       string            `yaml:"id"`
	Summary  string            `yaml:"summary"`
	Severity string            `yaml:"severity"` // error (default) or warning
	ForEach  []ForEachSpec     `yaml:"forEach"`
	When     string            `yaml:"when"`
	Let      map[string]string `yaml:"let"`
	Assert   string            `yaml:"assert"`
	Path     string            `yaml:"path"`
	Expected string            `yaml:"expected"`
	Actual   string            `yaml:"actual"`
	Message  map[string]string `yaml:"message"` // by language: zh, en
}

// BlockSpec is one entry of the body; exactly one of its kinds is set.
type BlockSpec struct {
	When       string          `yaml:"when"`
	Paragraph  *ParagraphSpec  `yaml:"paragraph"`
	Paragraphs *ParagraphsSpec `yaml:"paragraphs"`
	Heading    *HeadingSpec    `yaml:"heading"`
	Table      string          `yaml:"table"`
	Rule       *RuleLineSpec   `yaml:"rule"`
	PageBreak  bool            `yaml:"pageBreak"`
	Anchored   *AnchoredSpec   `yaml:"anchored"`
	Blocks     []BlockSpec     `yaml:"blocks"` // a group, e.g. repeated by forEachItem
	// ForEach repeats the block once per element of the array at the
	// pointer, with {{.item}} (and {{.index}}, 1-based) in its texts.
	ForEach string `yaml:"forEachItem"`
}

type ParagraphSpec struct {
	Style string    `yaml:"style"`
	Text  string    `yaml:"text"`
	Runs  []RunSpec `yaml:"runs"`  // instead of text: runs in their own styles
	Right []RunSpec `yaml:"right"` // set flush right on the last line
	TopMM *float64  `yaml:"topMM"` // the first line's em box top, mm from the page top
}

// RunSpec is text in a style ("" for the paragraph's).
type RunSpec struct {
	Text  string `yaml:"text"`
	Style string `yaml:"style"`
}

// RuleLineSpec is a horizontal rule in the flow.
type RuleLineSpec struct {
	GapMM    float64  `yaml:"gapMM"`    // from the previous line's em box bottom (or rule)
	LengthMM float64  `yaml:"lengthMM"` // default: the text block's width
	WeightMM float64  `yaml:"weightMM"`
	Color    string   `yaml:"color"`
	TopMM    *float64 `yaml:"topMM"` // at a fixed distance from the page top, outside the flow
}

// AnchoredSpec sets its blocks at the foot of the last page, the last on
// the text block's bottom edge (the 版记).
type AnchoredSpec struct {
	EvenPage bool        `yaml:"evenPage"`
	Blocks   []BlockSpec `yaml:"blocks"`
}

type ParagraphsSpec struct {
	From  string `yaml:"from"`  // JSON Pointer of an array of {heading?, text}
	Style string `yaml:"style"` // paragraph style; run-in headings use "heading2"
}

type HeadingSpec struct {
	Text  string `yaml:"text"`
	Level int    `yaml:"level"` // default 1
	Style string `yaml:"style"` // default "heading<level>"
}

type TableSpec struct {
	Name       string       `yaml:"name"`
	Columns    []float64    `yaml:"columns"`
	HeaderRows int          `yaml:"headerRows"`
	Rows       [][]CellSpec `yaml:"rows"`
}

type CellSpec struct {
	Text    string `yaml:"text"`
	Bind    string `yaml:"bind"`
	Each    string `yaml:"each"`
	Rowspan int    `yaml:"rowspan"`
	Colspan int    `yaml:"colspan"`
	Header  bool   `yaml:"header"` // a column or group header (tableHeader style)
	Label   bool   `yaml:"label"`  // a row label (tableText style, left-aligned)
	Align   string `yaml:"align"`
	// InName false leaves a row label out of the names of the cells in
	// its rows (a group label such as 三、本年度办理结果 that every row of
	// the group would otherwise repeat).
	InName *bool `yaml:"inName"`
}
