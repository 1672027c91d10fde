package report

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongwen/render/ofd"
	"gongwen/render/pdf"
)

// PDFStandards lists the values of ParsePDFStandard, the default first.
var PDFStandards = []pdf.Standard{pdf.StandardA2b, pdf.StandardA1b, pdf.StandardA3b, pdf.StandardNone}

// ParsePDFStandard reads a --pdf-standard / pdfStandard= value: a-1b,
// a-2b, a-3b or none (case-insensitive; "" is the default, a-2b).
func ParsePDFStandard(s string) (pdf.Standard, error) {
	v := pdf.Standard(strings.ToLower(strings.TrimSpace(s)))
	if v == "" {
		return pdf.StandardA2b, nil
	}
	for _, std := range PDFStandards {
		if v == std {
			return std, nil
		}
	}
	return "", fmt.Errorf("PDF standard %q: valid values are a-1b, a-2b, a-3b, none", s)
}

// ParseOFDStandard reads an --ofd-standard / ofdStandard= value: a (OFD-A,
// GB/T 42133) or none ("" and "none" are plain OFD; case-insensitive).
func ParseOFDStandard(s string) (ofd.Standard, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "none":
		return ofd.StandardNone, nil
	case "a":
		return ofd.StandardA, nil
	}
	return "", fmt.Errorf("OFD standard %q: valid values are a, none", s)
}

// DOCXFonts says whether a DOCX carries fonts. Either way the document
// names the official faces (仿宋_GB2312, 黑体, …), which Word on a
// government PC has and uses.
type DOCXFonts string

const (
	// DOCXFontsEmbedded (the default) also embeds subsets of the faces the
	// PDF uses for them, so that LibreOffice on a machine without the
	// official faces sets the text as the PDF does rather than in a sans
	// fallback. The example grows from ~13 KB to ~230 KB, and every new
	// report costs the subsets' making and compression.
	DOCXFontsEmbedded DOCXFonts = "embedded"
	// DOCXFontsNamed only names the official faces: a small file, made
	// without building or compressing any font, for readers that have the
	// faces (Word with the official fonts installed) and for archives that
	// keep the DOCX next to a PDF/A.
	DOCXFontsNamed DOCXFonts = "named"
)

// DOCXFontsValues lists the values of ParseDOCXFonts, the default first.
var DOCXFontsValues = []DOCXFonts{DOCXFontsEmbedded, DOCXFontsNamed}

// ParseDOCXFonts reads a --docx-fonts / docxFonts= value: embedded or
// named (case-insensitive; "" is the default, embedded).
func ParseDOCXFonts(s string) (DOCXFonts, error) {
	v := DOCXFonts(strings.ToLower(strings.TrimSpace(s)))
	if v == "" {
		return DOCXFontsEmbedded, nil
	}
	if slices.Contains(DOCXFontsValues, v) {
		return v, nil
	}
	return "", fmt.Errorf("DOCX fonts %q: valid values are embedded, named", s)
}

// docxFonts is o's DOCX fonts with the default filled in.
func (o Options) docxFonts() DOCXFonts {
	if o.DOCXFonts == "" {
		return DOCXFontsEmbedded
	}
	return o.DOCXFonts
}

// ofdStandardName is how a profile is written in provenance and manifests.
func ofdStandardName(s ofd.Standard) string {
	if s == ofd.StandardNone {
		return "none"
	}
	return string(s)
}

// pdfStandard is o's standard with the default filled in.
func (o Options) pdfStandard() pdf.Standard {
	if o.PDFStandard == "" {
		return pdf.StandardA2b
	}
	return o.PDFStandard
}

// DefaultZoneName is the offset dates are written with unless GONGWEN_ZONE
// or a request says otherwise: China Standard Time.
const DefaultZoneName = "+08:00"

// ParseZone reads an offset, "+08:00", "-05:00", "+0530", "Z" or "UTC".
// Only fixed offsets are accepted, not zone names like Asia/Shanghai: a
// document's dates carry an explicit offset, and an offset means the same
// on every machine and in every tzdata release, which `gongwen verify`
// relies on years later. The location's name is the canonical "+hh:mm".
func ParseZone(s string) (*time.Location, error) {
	s = strings.TrimSpace(s)
	switch strings.ToUpper(s) {
	case "Z", "UTC", "+00:00", "-00:00", "+0000", "-0000":
		return time.FixedZone("+00:00", 0), nil
	}
	bad := fmt.Errorf("zone %q: want an offset such as +08:00 (or Z)", s)
	if len(s) != 6 && len(s) != 5 || s[0] != '+' && s[0] != '-' {
		return nil, bad
	}
	hh, mm := s[1:3], s[len(s)-2:]
	if len(s) == 6 && s[3] != ':' {
		return nil, bad
	}
	if !digits(hh) || !digits(mm) {
		return nil, bad
	}
	h, _ := strconv.Atoi(hh)
	m, _ := strconv.Atoi(mm)
	if h > 14 || m > 59 || h == 14 && m > 0 {
		return nil, bad
	}
	off := (h*60 + m) * 60
	if s[0] == '-' {
		off = -off
	}
	return time.FixedZone(fmt.Sprintf("%c%02d:%02d", s[0], h, m), off), nil
}

func digits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// DefaultZone is GONGWEN_ZONE when set, else +08:00.
func DefaultZone() (*time.Location, error) {
	if s := os.Getenv("GONGWEN_ZONE"); s != "" {
		z, err := ParseZone(s)
		if err != nil {
			return nil, fmt.Errorf("GONGWEN_ZONE: %w", err)
		}
		return z, nil
	}
	return ParseZone(DefaultZoneName)
}

// ZoneName is the canonical offset text of a location made by ParseZone
// ("+08:00"); for other locations, the offset they have at t; nil is t's
// own location.
func ZoneName(z *time.Location, t time.Time) string {
	if z != nil {
		t = t.In(z)
	}
	return t.Format("-07:00")
}

// ParseCreated reads a --created / created= value: RFC 3339 with an
// offset ("2025-01-20T09:30:00+08:00"), a date ("2025-01-20", midnight in
// zone) or Unix seconds ("1737331200").
func ParseCreated(s string, zone *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 0 || n > 253402300799 {
			return time.Time{}, fmt.Errorf("date %q: Unix seconds out of range", s)
		}
		return time.Unix(n, 0).In(zone), nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, zone); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: want RFC 3339 (2025-01-20T09:30:00+08:00), YYYY-MM-DD or Unix seconds", s)
	}
	return t, nil
}

// DocumentDate is the date a document records (PDF Info and XMP, DOCX core
// properties), in order: the report's own date (the template's meta.date,
// e.g. the signature's 成文日期), else opts.Created, else
// SOURCE_DATE_EPOCH, else now. It is written in zone.
func DocumentDate(reportDate, created time.Time, now func() time.Time, zone *time.Location) time.Time {
	var t time.Time
	switch {
	case !reportDate.IsZero():
		t = reportDate
	case !created.IsZero():
		t = created
	default:
		if e, ok := sourceDateEpoch(); ok {
			t = e
		} else {
			t = now()
		}
	}
	// Whole seconds: PDF dates have no fractions, and Info must equal XMP.
	return t.Truncate(time.Second).In(zone)
}

// RunDate is the one date of a run of many documents (a batch): created,
// else SOURCE_DATE_EPOCH, else now, in zone. Documents with their own date
// keep it (DocumentDate).
func RunDate(created time.Time, now func() time.Time, zone *time.Location) time.Time {
	return DocumentDate(time.Time{}, created, now, zone)
}

// sourceDateEpoch is SOURCE_DATE_EPOCH (the reproducible-builds
// convention) when it is set to valid Unix seconds.
func sourceDateEpoch() (time.Time, bool) {
	s := os.Getenv("SOURCE_DATE_EPOCH")
	if s == "" {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > 253402300799 {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}
