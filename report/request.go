package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"gongwen/render"
	"gongwen/render/ofd"
	"gongwen/render/pdf"
)

// Request is what a backend renders: the finished document and what the
// file records about how it was made. The pipeline builds it; backends are
// plain functions of it.
type Request struct {
	Document *render.Document // Meta.Created is the document date, in Zone
	// Standard is the PDF/A part (PDF only; never "", the default is
	// filled in).
	Standard pdf.Standard
	// OFDStandard is the OFD profile (OFD only): "" or ofd.StandardA.
	OFDStandard ofd.Standard
	// DOCXFonts says whether the DOCX embeds fonts (DOCX only; never "",
	// the default is filled in).
	DOCXFonts DOCXFonts
	// Zone is the offset the file's dates are written with.
	Zone *time.Location
	// Source is the report exactly as received, named after the document
	// (the template's fileName + ".json"). PDF/A-3b and OFD-A embed it.
	Source Source
	// Provenance is what `gongwen verify` needs to render Source again.
	Provenance Provenance
}

// Source is a report file as received.
type Source struct {
	Name string // e.g. "𥔲嘉镇人民政府2024年度政府信息公开工作年度报告.json"
	Data []byte
}

// SourceMIME is the media type the source is embedded with.
const SourceMIME = "application/json"

// Provenance is recorded in archival files (PDF XMP, in the gongwen
// namespace): every option that shapes the output, so that `gongwen verify`
// can render the embedded report again and compare bytes, plus what
// explains a mismatch (another engine version, other fonts). The problem
// language (lang) is not recorded: it changes messages, never a document.
type Provenance struct {
	Template             string       // template id, e.g. "gov-info-disclosure-annual/2021"
	PDFStandard          pdf.Standard // a-1b, a-2b, a-3b
	OFDStandard          ofd.Standard // OFD output's profile: "" or "a" (recorded as "none" or "a")
	Created              time.Time    // the document date, with its offset
	Zone                 string       // "+08:00"
	NormalizePunctuation bool
	AllowProblems        bool
	Engine               string // "gongwen <version>"
	// Fonts names the faces of each font role, in fallback order, by
	// PostScript name: "body=FZFSK--GBK1-0,NotoSerifCJKsc-Regular;…".
	// Other faces render other bytes; verify says so.
	Fonts string
	// SourceSHA256 is the SHA-256 of the embedded report (hex), so that an
	// altered attachment is told apart from an altered page.
	SourceSHA256 string
}

// Provenance property names, as written into the file.
const (
	propTemplate             = "template"
	propPDFStandard          = "pdfStandard"
	propOFDStandard          = "ofdStandard"
	propCreated              = "created"
	propZone                 = "zone"
	propNormalizePunctuation = "normalizePunctuation"
	propAllowProblems        = "allowProblems"
	propEngine               = "engine"
	propFonts                = "fonts"
	propSourceSHA256         = "sourceSHA256"
)

// Properties is p as the name/value pairs a file records, in a fixed order.
func (p Provenance) Properties() []pdf.Property {
	return []pdf.Property{
		{Name: propTemplate, Value: p.Template},
		{Name: propPDFStandard, Value: string(p.PDFStandard)},
		{Name: propOFDStandard, Value: ofdStandardName(p.OFDStandard)},
		{Name: propCreated, Value: p.Created.Format(time.RFC3339)},
		{Name: propZone, Value: p.Zone},
		{Name: propNormalizePunctuation, Value: strconv.FormatBool(p.NormalizePunctuation)},
		{Name: propAllowProblems, Value: strconv.FormatBool(p.AllowProblems)},
		{Name: propEngine, Value: p.Engine},
		{Name: propFonts, Value: p.Fonts},
		{Name: propSourceSHA256, Value: p.SourceSHA256},
	}
}

// ParseProvenance reads what Properties wrote. Unknown names are ignored
// (a later version may record more); a missing or unreadable option that
// rendering needs is an error.
func ParseProvenance(props []pdf.Property) (Provenance, error) {
	var p Provenance
	seen := map[string]string{}
	for _, pr := range props {
		seen[pr.Name] = pr.Value
	}
	need := func(name string) (string, error) {
		v, ok := seen[name]
		if !ok {
			return "", fmt.Errorf("provenance: no %s recorded", name)
		}
		return v, nil
	}
	var err error
	if p.Template, err = need(propTemplate); err != nil {
		return p, err
	}
	v, err := need(propPDFStandard)
	if err != nil {
		return p, err
	}
	if p.PDFStandard, err = ParsePDFStandard(v); err != nil {
		return p, fmt.Errorf("provenance: %w", err)
	}
	if v, err = need(propOFDStandard); err != nil {
		return p, err
	}
	if p.OFDStandard, err = ParseOFDStandard(v); err != nil {
		return p, fmt.Errorf("provenance: %w", err)
	}
	if v, err = need(propCreated); err != nil {
		return p, err
	}
	if p.Created, err = time.Parse(time.RFC3339, v); err != nil {
		return p, fmt.Errorf("provenance: created %q: %w", v, err)
	}
	if p.Zone, err = need(propZone); err != nil {
		return p, err
	}
	if _, err := ParseZone(p.Zone); err != nil {
		return p, fmt.Errorf("provenance: %w", err)
	}
	for _, b := range []struct {
		name string
		dst  *bool
	}{{propNormalizePunctuation, &p.NormalizePunctuation}, {propAllowProblems, &p.AllowProblems}} {
		if v, err = need(b.name); err != nil {
			return p, err
		}
		if *b.dst, err = strconv.ParseBool(v); err != nil {
			return p, fmt.Errorf("provenance: %s %q: %w", b.name, v, err)
		}
	}
	p.Engine, p.Fonts, p.SourceSHA256 = seen[propEngine], seen[propFonts], seen[propSourceSHA256]
	return p, nil
}

// Options are the render options that reproduce the file p describes.
func (p Provenance) Options() (Options, error) {
	zone, err := ParseZone(p.Zone)
	if err != nil {
		return Options{}, err
	}
	return Options{Lang: "zh", NormalizePunctuation: p.NormalizePunctuation, AllowProblems: p.AllowProblems,
		Created: p.Created.In(zone), Zone: zone, PDFStandard: p.PDFStandard, OFDStandard: p.OFDStandard}, nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
