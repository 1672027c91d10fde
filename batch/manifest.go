package batch

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"time"

	"gongwen/problem"
	"gongwen/render/pdf"
	"gongwen/report"
)

// ManifestFormat identifies the manifest schema; it changes only with an
// incompatible change of the fields below.
const ManifestFormat = "gongwen-batch-manifest/1"

// Manifest records what a batch did, for every input. It holds no timing,
// so that the same inputs give a byte-identical manifest.
type Manifest struct {
	Format string `json:"format"`
	// Engine is "gongwen <version>"; outputs are only reused by a run of the
	// same engine.
	Engine   string   `json:"engine"`
	Settings Settings `json:"settings"`
	// Complete is false in the checkpoints written while the batch runs:
	// inputs not yet done are missing from Inputs.
	Complete bool    `json:"complete"`
	Summary  Summary `json:"summary"`
	Inputs   []Entry `json:"inputs"`
	// Error is set when a streamed batch was cut short (its source broke).
	Error string `json:"error,omitempty"`
}

// Settings are the options that shape the outputs.
type Settings struct {
	Formats              []report.Format `json:"formats"`
	AllowProblems        bool            `json:"allowProblems"`
	Lang                 string          `json:"lang"`
	NormalizePunctuation bool            `json:"normalizePunctuation"`
	// PDFStandard is the PDF/A part of the PDF outputs (also recorded on
	// each PDF output).
	PDFStandard pdf.Standard `json:"pdfStandard,omitempty"`
	// OFDStandard is the profile of the OFD outputs, "a" (OFD-A) or "none"
	// (also recorded on each OFD output).
	OFDStandard string `json:"ofdStandard,omitempty"`
	// DOCXFonts says whether the DOCX outputs embed fonts, "embedded" or
	// "named" (also recorded on each DOCX output).
	DOCXFonts report.DOCXFonts `json:"docxFonts,omitempty"`
	// Created is the run's document date (RFC 3339, with Zone's offset):
	// every document without a date of its own carries it. A rerun with
	// --created set to it (and the same --zone) gives the same bytes; a
	// resumed run without --created keeps it.
	Created string `json:"created,omitempty"`
	Zone    string `json:"zone,omitempty"`  // "+08:00"
	Shard   string `json:"shard,omitempty"` // "i/n" when sharded
}

// Summary counts the entries.
type Summary struct {
	Inputs             int `json:"inputs"`
	Rendered           int `json:"rendered"`           // including those with problems
	RenderedWithErrors int `json:"renderedWithErrors"` // --allow-problems: rendered despite error-severity problems
	Failed             int `json:"failed"`             // status failed or error
	Outputs            int `json:"outputs"`
}

// Status of one input.
type Status string

const (
	// StatusRendered: every requested output was written.
	StatusRendered Status = "rendered"
	// StatusRenderedWithErrors: rendered on request although it has
	// error-severity problems (to reproduce a report as published).
	StatusRenderedWithErrors Status = "rendered-with-errors"
	// StatusFailed: the input itself is bad (malformed, invalid, unknown
	// template, unsafe archive); the same input fails again, so a rerun
	// keeps this entry instead of retrying.
	StatusFailed Status = "failed"
	// StatusError: the batch could not finish this input for another
	// reason (a write error, a timeout, an internal error); a rerun
	// retries it.
	StatusError Status = "error"
)

// Entry is one input.
type Entry struct {
	Path     string            `json:"path"`
	SHA256   string            `json:"sha256,omitempty"` // empty when the input could not be read
	Size     int64             `json:"size"`
	Template string            `json:"template,omitempty"`
	Status   Status            `json:"status"`
	Error    string            `json:"error,omitempty"`
	Problems []problem.Problem `json:"problems"`
	Outputs  []Output          `json:"outputs"`
}

// Output is one written file.
type Output struct {
	Format report.Format `json:"format"`
	Path   string        `json:"path"` // relative to the output directory, slash-separated
	SHA256 string        `json:"sha256"`
	Size   int64         `json:"size"`
	// PDFStandard is the PDF/A part of a PDF output ("a-2b"; "none" for
	// plain PDF); empty for other formats.
	PDFStandard pdf.Standard `json:"pdfStandard,omitempty"`
	// OFDStandard is the profile of an OFD output ("a" for OFD-A, "none"
	// for plain OFD); empty for other formats.
	OFDStandard string `json:"ofdStandard,omitempty"`
	// DOCXFonts says whether a DOCX output embeds fonts ("embedded") or
	// only names the official faces ("named"); empty for other formats.
	DOCXFonts report.DOCXFonts `json:"docxFonts,omitempty"`
}

// Failed reports whether the entry counts as a failure for the exit code.
func (e *Entry) Failed() bool { return e.Status == StatusFailed || e.Status == StatusError }

func (e *Entry) output(f report.Format) (Output, bool) {
	for _, o := range e.Outputs {
		if o.Format == f {
			return o, true
		}
	}
	return Output{}, false
}

func (e *Entry) outputPath(f report.Format) string {
	o, _ := e.output(f)
	return o.Path
}

func newManifest(engine string, s Settings, entries []Entry, complete bool) *Manifest {
	m := &Manifest{Format: ManifestFormat, Engine: engine, Settings: s, Complete: complete, Inputs: entries}
	if m.Inputs == nil {
		m.Inputs = []Entry{}
	}
	for i := range m.Inputs {
		e := &m.Inputs[i]
		e.normalize()
		m.Summary.Inputs++
		switch e.Status {
		case StatusRendered:
			m.Summary.Rendered++
		case StatusRenderedWithErrors:
			m.Summary.Rendered++
			m.Summary.RenderedWithErrors++
		default:
			m.Summary.Failed++
		}
		m.Summary.Outputs += len(e.Outputs)
	}
	return m
}

// normalize writes empty lists as [] rather than null.
func (e *Entry) normalize() {
	if e.Problems == nil {
		e.Problems = []problem.Problem{}
	}
	if e.Outputs == nil {
		e.Outputs = []Output{}
	}
}

// Encode is the manifest's canonical JSON: indented, HTML not escaped (so
// that paths and Chinese messages stay readable), newline-terminated.
func (m *Manifest) Encode() ([]byte, error) {
	return encodeIndented(m, "")
}

func encodeIndented(v any, prefix string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// A batch rewrites its manifest every second or so while it runs
// (checkpoints), and an entry does not change once its input is done.
// Encoding all of them again each time made the checkpoints of a 10,000
// report batch cost ~0.2 s of CPU each (13 MB of JSON), a tenth of the
// time towards the end. So each entry is encoded once, as it finishes
// (encodeEntry), and a checkpoint only joins the pieces (encodeJoined),
// which gives exactly Encode's bytes.

// entryIndent is an element of "inputs" in Encode's layout.
const entryIndent = "    "

// encodeEntry is e as Encode writes it inside the inputs list: indented
// for that depth, without the indentation of its first line and without a
// trailing newline.
func encodeEntry(e Entry) ([]byte, error) {
	e.normalize()
	b, err := encodeIndented(e, entryIndent)
	return bytes.TrimSuffix(b, []byte("\n")), err
}

// encodeJoined is m.Encode() for a manifest whose inputs encode (by
// encodeEntry) to entries, in order; m.Inputs is not read.
func (m *Manifest) encodeJoined(entries [][]byte) ([]byte, error) {
	shell := *m
	shell.Inputs = []Entry{}
	head, err := shell.Encode()
	if err != nil {
		return nil, err
	}
	if len(entries) == 0 {
		return head, nil
	}
	// The one structural `"inputs": []` at the top level: a newline
	// inside a JSON string is escaped, so none can match this.
	empty := []byte("\n  \"inputs\": []")
	i := bytes.Index(head, empty)
	if i < 0 {
		return nil, fmt.Errorf("manifest: no inputs list in %.200q", head)
	}
	n := len(head) + len(entries)*(len(entryIndent)+2) + 8
	for _, e := range entries {
		n += len(e)
	}
	out := make([]byte, 0, n)
	out = append(out, head[:i+len(empty)-1]...) // through the '['
	for j, e := range entries {
		if j > 0 {
			out = append(out, ',')
		}
		out = append(out, '\n')
		out = append(out, entryIndent...)
		out = append(out, e...)
	}
	out = append(out, "\n  ]"...)
	return append(out, head[i+len(empty):]...), nil
}

// ReadManifest loads a manifest written by a batch.
func ReadManifest(path string) (*Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return decodeManifest(data)
}

func decodeManifest(data []byte) (*Manifest, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	// Numbers in problems (expected/actual) keep their exact text, so a
	// reused entry encodes exactly as it did when first written.
	d.UseNumber()
	var m Manifest
	if err := d.Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if m.Format != ManifestFormat {
		return nil, fmt.Errorf("manifest: format %q, want %q", m.Format, ManifestFormat)
	}
	return &m, nil
}

// sameOutputs reports whether a previous run's settings produce the same
// output bytes as s for the formats both have.
func (s Settings) sameOutputs(prev Settings) bool {
	return s.sameOptions(prev) && s.Created == prev.Created && s.Zone == prev.Zone
}

// sameOptions is sameOutputs but for the run date, which a resumed run
// takes over from the run it resumes.
// A format's own option (PDF standard, OFD standard, DOCX fonts) counts
// only when both runs make that format: a run of PDF alone reuses the PDFs
// of a PDF and DOCX run whatever its DOCX fonts were.
func (s Settings) sameOptions(prev Settings) bool {
	both := func(f report.Format) bool { return slices.Contains(s.Formats, f) && slices.Contains(prev.Formats, f) }
	return s.AllowProblems == prev.AllowProblems && s.Lang == prev.Lang && s.NormalizePunctuation == prev.NormalizePunctuation &&
		(!both(report.PDF) || s.PDFStandard == prev.PDFStandard) &&
		(!both(report.OFD) || s.OFDStandard == prev.OFDStandard) &&
		(!both(report.DOCX) || s.docxFonts() == prev.docxFonts())
}

// docxFonts is what s's DOCX outputs carry: manifests written before the
// choice existed record nothing, and their DOCX embedded fonts.
func (s Settings) docxFonts() report.DOCXFonts {
	if s.DOCXFonts == "" && slices.Contains(s.Formats, report.DOCX) {
		return report.DOCXFontsEmbedded
	}
	return s.DOCXFonts
}

// newSettings records opts (with the run date resolved) and formats.
func newSettings(formats []report.Format, opts report.Options) Settings {
	s := Settings{Formats: formats, AllowProblems: opts.AllowProblems, Lang: opts.Lang, NormalizePunctuation: opts.NormalizePunctuation}
	if slices.Contains(formats, report.PDF) {
		s.PDFStandard = pdfStandard(opts)
	}
	if slices.Contains(formats, report.OFD) {
		s.OFDStandard = ofdStandard(opts)
	}
	if slices.Contains(formats, report.DOCX) {
		s.DOCXFonts = docxFonts(opts)
	}
	if !opts.Created.IsZero() {
		s.Created = opts.Created.Format(time.RFC3339)
		s.Zone = report.ZoneName(opts.Zone, opts.Created)
	}
	return s
}

func pdfStandard(opts report.Options) pdf.Standard {
	if opts.PDFStandard == "" {
		return pdf.StandardA2b
	}
	return opts.PDFStandard
}

// ofdStandard is how the manifest names opts' OFD profile.
func ofdStandard(opts report.Options) string {
	if opts.OFDStandard == "" {
		return "none"
	}
	return string(opts.OFDStandard)
}

// docxFonts is opts' DOCX fonts with the default filled in.
func docxFonts(opts report.Options) report.DOCXFonts {
	if opts.DOCXFonts == "" {
		return report.DOCXFontsEmbedded
	}
	return opts.DOCXFonts
}

// newOutput describes data written as format f at rel.
func newOutput(f report.Format, rel string, data []byte, opts report.Options) Output {
	sum := sha256.Sum256(data)
	o := Output{Format: f, Path: rel, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))}
	switch f {
	case report.PDF:
		o.PDFStandard = pdfStandard(opts)
	case report.OFD:
		o.OFDStandard = ofdStandard(opts)
	case report.DOCX:
		o.DOCXFonts = docxFonts(opts)
	}
	return o
}

// runDate fixes the one document date of a run in opts (Created and Zone):
// the requested date, else the date of the run being resumed (prev, when
// its other options match), else SOURCE_DATE_EPOCH, else now.
func runDate(opts report.Options, prev *Settings, now func() time.Time) (report.Options, error) {
	if opts.Zone == nil {
		z, err := report.DefaultZone()
		if err != nil {
			return opts, err
		}
		opts.Zone = z
	}
	if now == nil {
		now = time.Now
	}
	if opts.Created.IsZero() && prev != nil && prev.Created != "" && prev.Zone == report.ZoneName(opts.Zone, time.Time{}) {
		if t, err := time.Parse(time.RFC3339, prev.Created); err == nil {
			opts.Created = t.In(opts.Zone)
			return opts, nil
		}
	}
	opts.Created = report.RunDate(opts.Created, now, opts.Zone)
	return opts, nil
}

func (s Settings) hasFormat(f report.Format) bool { return slices.Contains(s.Formats, f) }
