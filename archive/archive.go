// Package archive reads back what an archival file carries about itself —
// the report it was made from (PDF/A-3b, OFD-A) and how it was made (the
// provenance the pipeline records) — and verifies the file by rendering
// that report again with the recorded options: `gongwen extract` and
// `gongwen verify`.
//
// Each file format is one entry of the formats table, chosen by the file's
// first bytes: how to read its record and how to explain where two files
// differ. A new archival format plugs in with one entry.
package archive

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gongwen/render/pdf"
	"gongwen/report"
)

// Record is what an archival file says about itself.
type Record struct {
	Format     report.Format
	Standard   string         // e.g. "a-3b"; "none" for a PDF without PDF/A identification
	Source     *Source        // the embedded report; nil when the file carries none
	Provenance []pdf.Property // as recorded, in file order
	Created    time.Time      // the document date the file records; zero if none
}

// Source is an embedded report file.
type Source struct {
	Name, MIME string
	Data       []byte
}

// format is one archival file format.
type format struct {
	name  report.Format
	match func(file []byte) bool
	read  func(file []byte) (*Record, error)
	// diff explains how got (a fresh render) differs from want (the file);
	// each line is one difference, most telling first.
	diff func(want, got []byte) []string
}

// formats are the readable formats, tried in order.
var formats = []format{
	{name: report.PDF, match: func(b []byte) bool { return bytes.HasPrefix(b, []byte("%PDF-")) }, read: readPDF, diff: diffPDF},
	{name: report.OFD, match: isOFD, read: readOFD, diff: diffOFD},
}

var (
	// ErrUnknownFormat: the file is not of a format this package reads.
	ErrUnknownFormat = errors.New("not a PDF or OFD (the archival formats gongwen writes)")
	// ErrNoSource: the file is readable but carries no embedded report
	// (it was not rendered as PDF/A-3b or OFD-A).
	ErrNoSource = errors.New("the file carries no embedded report")
	// ErrNoProvenance: the file records no (usable) render options.
	ErrNoProvenance = errors.New("the file records no gongwen provenance")
)

func formatOf(file []byte) (format, error) {
	for _, f := range formats {
		if f.match(file) {
			return f, nil
		}
	}
	return format{}, ErrUnknownFormat
}

// Read reads file's record.
func Read(file []byte) (*Record, error) {
	f, err := formatOf(file)
	if err != nil {
		return nil, err
	}
	rec, err := f.read(file)
	if err != nil {
		return nil, err
	}
	rec.Format = f.name
	return rec, nil
}

// Extract returns the report embedded in file, exactly as it was received.
func Extract(file []byte) (*Source, error) {
	rec, err := ExtractRecord(file)
	if err != nil {
		return nil, err
	}
	return rec.Source, nil
}

// ExtractRecord is Extract with the rest of the record (to check the
// source against its recorded hash, SourceAltered).
func ExtractRecord(file []byte) (*Record, error) {
	rec, err := Read(file)
	if err != nil {
		return nil, err
	}
	if rec.Source == nil {
		return nil, fmt.Errorf("%w (standard %s; only PDF a-3b and OFD-A (--ofd-standard a) embed it)", ErrNoSource, rec.Standard)
	}
	return rec, nil
}

func readPDF(file []byte) (*Record, error) {
	a, err := pdf.ReadArchived(file)
	if err != nil {
		return nil, err
	}
	rec := &Record{Standard: string(a.Standard), Provenance: a.Provenance, Created: a.Created}
	if a.Source != nil {
		rec.Source = &Source{Name: a.Source.Name, MIME: a.Source.MIME, Data: a.Source.Data}
	}
	return rec, nil
}

// Engine renders reports: report.Pipeline.
type Engine interface {
	Render(ctx context.Context, raw []byte, format report.Format, opts report.Options) ([]byte, *report.Outcome, error)
}

// identity is implemented by engines that can say what they are
// (report.Pipeline), so that a mismatch can be explained by another
// version or other fonts.
type identity interface {
	Engine() string
	FontNames() string
}

// Verdict is what Verify found.
type Verdict struct {
	Identical  bool
	Format     report.Format
	Provenance report.Provenance
	Size       int // of the file
	Rendered   int // size of the fresh render
	// Differences say where the fresh render differs from the file (page
	// count, a page's content, fonts, metadata, the embedded report, the
	// first differing byte). Empty when Identical.
	Differences []string
	// Explanations are provenance mismatches that explain differences:
	// the embedded report altered after rendering, another engine
	// version, other fonts.
	Explanations []string
}

// Verify renders the report embedded in file again with the options the
// file records and compares the result with file byte for byte. The error
// is for a file that cannot be verified at all (unreadable, no embedded
// report, no provenance, a report that no longer renders); a file that
// differs is a Verdict with Identical false.
func Verify(ctx context.Context, engine Engine, file []byte) (*Verdict, error) {
	f, err := formatOf(file)
	if err != nil {
		return nil, err
	}
	rec, err := f.read(file)
	if err != nil {
		return nil, err
	}
	if rec.Source == nil {
		return nil, fmt.Errorf("%w (standard %s; only PDF a-3b and OFD-A (--ofd-standard a) embed it, and verify renders it again)", ErrNoSource, rec.Standard)
	}
	prov, err := report.ParseProvenance(rec.Provenance)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoProvenance, err)
	}
	opts, err := prov.Options()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoProvenance, err)
	}
	v := &Verdict{Format: f.name, Provenance: prov, Size: len(file)}
	v.Explanations = explain(prov, rec, engine)
	got, _, err := engine.Render(ctx, rec.Source.Data, f.name, opts)
	switch {
	case errors.Is(err, report.ErrInvalid), errors.Is(err, report.ErrMalformed), errors.Is(err, report.ErrTooLarge):
		// The report the file carries does not make this (or any)
		// document: the file is not what its data says.
		v.Differences = []string{"the embedded report does not render any more: " + err.Error()}
		return v, nil
	case err != nil:
		return v, fmt.Errorf("rendering the embedded report again: %w", err)
	}
	v.Rendered = len(got)
	if bytes.Equal(got, file) {
		v.Identical = true
		return v, nil
	}
	if bytes.HasPrefix(file, got) {
		// An incremental update (a digital signature, annotations) keeps
		// the original revision intact and appends to it.
		v.Differences = []string{fmt.Sprintf("the file is the fresh render plus %d bytes appended after it (an incremental update, such as a digital signature or annotations): the original revision is identical; what was appended is not verified", len(file)-len(got))}
		return v, nil
	}
	v.Differences = f.diff(file, got)
	return v, nil
}

// SourceAltered says whether rec's embedded report differs from the one
// its provenance recorded at rendering (by SHA-256); false when the file
// records no hash.
func SourceAltered(rec *Record) bool {
	if rec.Source == nil {
		return false
	}
	prov, err := report.ParseProvenance(rec.Provenance)
	if err != nil || prov.SourceSHA256 == "" {
		return false
	}
	sum := sha256.Sum256(rec.Source.Data)
	return hex.EncodeToString(sum[:]) != prov.SourceSHA256
}

// explain lists what the provenance says is different now.
func explain(prov report.Provenance, rec *Record, engine Engine) []string {
	var out []string
	if prov.SourceSHA256 != "" {
		sum := sha256.Sum256(rec.Source.Data)
		if got := hex.EncodeToString(sum[:]); got != prov.SourceSHA256 {
			out = append(out, fmt.Sprintf("the embedded report was changed after rendering: its SHA-256 is %s, the file recorded %s", got[:16]+"…", short(prov.SourceSHA256)))
		}
	}
	if id, ok := engine.(identity); ok {
		if now := id.Engine(); prov.Engine != "" && now != prov.Engine {
			out = append(out, fmt.Sprintf("rendered by %s, verified with %s: another version may lay out or write differently", prov.Engine, now))
		}
		if now := id.FontNames(); prov.Fonts != "" && now != prov.Fonts {
			out = append(out, fmt.Sprintf("other fonts: the file was rendered with %s, this machine has %s", prov.Fonts, now))
		}
	}
	return out
}

func short(s string) string {
	if len(s) > 16 {
		return s[:16] + "…"
	}
	return s
}
