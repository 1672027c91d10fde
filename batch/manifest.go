package batch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"

	"gongwen/problem"
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
	Shard                string          `json:"shard,omitempty"` // "i/n" when sharded
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
		if e.Problems == nil {
			e.Problems = []problem.Problem{}
		}
		if e.Outputs == nil {
			e.Outputs = []Output{}
		}
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

// Encode is the manifest's canonical JSON: indented, HTML not escaped (so
// that paths and Chinese messages stay readable), newline-terminated.
func (m *Manifest) Encode() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
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
	return s.AllowProblems == prev.AllowProblems && s.Lang == prev.Lang && s.NormalizePunctuation == prev.NormalizePunctuation
}

func (s Settings) hasFormat(f report.Format) bool { return slices.Contains(s.Formats, f) }
