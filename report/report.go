// Package report is the pipeline every front end (CLI, HTTP API, batch)
// uses: strict parsing of report JSON, schema validation, template defaults,
// consistency checks, the document model, and rendering to PDF or DOCX.
package report

import (
	"context"
	"errors"
	"time"

	"gongwen/engine"
	"gongwen/problem"
	"gongwen/render"
	"gongwen/render/ofd"
	"gongwen/render/pdf"
)

// Format is an output format.
type Format string

const (
	PDF  Format = "pdf"
	DOCX Format = "docx"
	OFD  Format = "ofd" // GB/T 33190 fixed layout, the PDF's pages
)

// FormatList names the formats in messages, the one place that lists them.
const FormatList = "pdf, docx, ofd"

// Options are per-request render options. They are not part of the report JSON.
type Options struct {
	Lang                 string // "zh" (default) or "en": language of problem messages
	NormalizePunctuation bool   // set ASCII punctuation between Chinese characters full-width (default true via DefaultOptions)
	AllowProblems        bool   // render even when there are errors; the output records it
	// Created is the document date when the report has none of its own
	// (the template's meta.date, e.g. the signature date, comes first);
	// zero means SOURCE_DATE_EPOCH, else the pipeline's clock. See
	// DocumentDate.
	Created time.Time
	// Zone is the offset every date of the file is written with; nil means
	// the pipeline's (GONGWEN_ZONE, else +08:00). See ParseZone.
	Zone *time.Location
	// PDFStandard is the PDF/A part of PDF output; "" means a-2b. See
	// ParsePDFStandard.
	PDFStandard pdf.Standard
	// OFDStandard is the profile of OFD output: "" (plain OFD) or
	// ofd.StandardA (OFD-A, GB/T 42133, the report JSON attached). See
	// ParseOFDStandard.
	OFDStandard ofd.Standard
	// DOCXFonts says whether DOCX output embeds fonts; "" means
	// DOCXFontsEmbedded. See ParseDOCXFonts.
	DOCXFonts DOCXFonts
	// Previous is last year's report JSON, or nil. When given, the
	// template's cross-year rules compare the two (e.g. this year's 上年结转
	// against last year's 结转下年度); an unreadable one is an error.
	Previous []byte
}

// DefaultOptions are what a caller gets without asking for anything.
func DefaultOptions() Options { return Options{Lang: "zh", NormalizePunctuation: true} }

// Outcome is what validation found and built.
type Outcome struct {
	TemplateID string
	Problems   []problem.Problem // every problem at once, sorted
	Document   *render.Document  // nil when the input could not be understood
	// Data is the report after template defaults (computed totals, default
	// preface, ...), as decoded JSON (map[string]any, []any, string,
	// json.Number, bool, nil). Nil when the input could not be understood.
	Data map[string]any
	// FileName is the output file name without extension, from the
	// template, e.g. "𥔲嘉镇人民政府2024年度政府信息公开工作年度报告".
	FileName string
	// Source is the report exactly as received (BOM and all): PDF/A-3b
	// embeds it, so that `gongwen extract` gives these bytes back.
	Source []byte
}

// Valid reports whether there is no error-severity problem.
func (o *Outcome) Valid() bool { return !problem.HasErrors(o.Problems) }

// Errors wrapped by the pipeline; one place (api) maps them to HTTP statuses.
var (
	// ErrMalformed: the input is not a JSON object at all (HTTP 400).
	ErrMalformed = errors.New("malformed report")
	// ErrInvalid: the input is JSON but has error-severity problems (HTTP 422).
	ErrInvalid = errors.New("invalid report")
	// ErrTooLarge: the input is over the size limit (HTTP 413).
	ErrTooLarge = errors.New("report too large")
	// ErrUnknownTemplate: the report names a template that is not loaded (HTTP 404 on template routes, 422 on render).
	ErrUnknownTemplate = errors.New("unknown template")
	// ErrUnsupportedFormat: the format is not one of pdf, docx, ofd (HTTP 400).
	ErrUnsupportedFormat = errors.New("unsupported format")
	// ErrNoNextYear: the report's template does not say how to start next
	// year's draft from it (HTTP 422).
	ErrNoNextYear = errors.New("template cannot start next year's draft")
)

// Engine is safe for concurrent use; create one per process.
type Engine interface {
	// Validate parses and checks raw report JSON and builds the document model.
	// It returns an error wrapping ErrMalformed when raw is not a JSON object,
	// ErrUnknownTemplate when the template is not loaded; problems otherwise
	// are in the Outcome (never a panic, whatever the input).
	Validate(ctx context.Context, raw []byte, opts Options) (*Outcome, error)
	// Render validates and renders. Unless opts.AllowProblems, an Outcome with
	// errors returns an error wrapping ErrInvalid (and the Outcome).
	Render(ctx context.Context, raw []byte, format Format, opts Options) ([]byte, *Outcome, error)
	// Templates lists the loaded templates.
	Templates() []TemplateInfo
	// Template returns one template's description, schema and example.
	Template(id string) (TemplateInfo, bool)
}

// NextYearMaker is implemented by engines that can start next year's
// draft (Pipeline). NextYear makes it (report JSON) from last year's
// report, as that report's template says ("以去年报告为基础"). The Outcome
// is the validation of last year's report; errors are Validate's, or wrap
// ErrNoNextYear.
type NextYearMaker interface {
	NextYear(ctx context.Context, previous []byte, opts Options) ([]byte, *Outcome, error)
}

// TemplateInfo describes a loaded template for the API and the web page.
type TemplateInfo struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Default: reports that name no template (and that no template's
	// select claims) use this one; an editor starts with it.
	Default bool   `json:"default,omitempty"`
	Schema  []byte `json:"-"` // JSON Schema of the data
	Example []byte `json:"-"` // example data (report JSON)
	// Form describes the template to an editor: fields, prose sections
	// and tables with the JSON Pointer and printed name of every value.
	Form *engine.Form `json:"-"`
}
