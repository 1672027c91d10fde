package report_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"gongwen/render/ofd"
	"gongwen/render/pdf"
	"gongwen/report"
)

func TestParsePDFStandard(t *testing.T) {
	for _, c := range []struct {
		in   string
		want pdf.Standard
		ok   bool
	}{
		{"", pdf.StandardA2b, true}, {"a-2b", pdf.StandardA2b, true}, {"A-1B", pdf.StandardA1b, true},
		{" a-3b ", pdf.StandardA3b, true}, {"none", pdf.StandardNone, true},
		{"a-2u", "", false}, {"pdfa", "", false}, {"a2b", "", false}, {"1", "", false},
	} {
		got, err := report.ParsePDFStandard(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParsePDFStandard(%q) = %q, %v", c.in, got, err)
		}
	}
}

func TestParseDOCXFonts(t *testing.T) {
	for _, c := range []struct {
		in   string
		want report.DOCXFonts
		ok   bool
	}{
		{"", report.DOCXFontsEmbedded, true}, {"embedded", report.DOCXFontsEmbedded, true},
		{" Named ", report.DOCXFontsNamed, true}, {"NAMED", report.DOCXFontsNamed, true},
		{"none", "", false}, {"embed", "", false}, {"true", "", false}, {"named,embedded", "", false},
	} {
		got, err := report.ParseDOCXFonts(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseDOCXFonts(%q) = %q, %v", c.in, got, err)
		}
		if err != nil && !strings.Contains(err.Error(), "embedded, named") {
			t.Errorf("ParseDOCXFonts(%q): %v does not list the values", c.in, err)
		}
	}
}

func TestParseZone(t *testing.T) {
	for _, c := range []struct {
		in, name string
		offset   int
	}{
		{"+08:00", "+08:00", 8 * 3600}, {"+0800", "+08:00", 8 * 3600}, {"-05:30", "-05:30", -(5*3600 + 1800)},
		{"Z", "+00:00", 0}, {"utc", "+00:00", 0}, {"+14:00", "+14:00", 14 * 3600},
	} {
		z, err := report.ParseZone(c.in)
		if err != nil {
			t.Errorf("ParseZone(%q): %v", c.in, err)
			continue
		}
		at := time.Date(2025, 1, 20, 0, 0, 0, 0, z)
		if _, off := at.Zone(); off != c.offset || report.ZoneName(z, at) != c.name {
			t.Errorf("ParseZone(%q): offset %d name %q", c.in, off, report.ZoneName(z, at))
		}
	}
	for _, bad := range []string{"", "Asia/Shanghai", "8", "+8", "+08", "+08:60", "+15:00", "08:00", "+0a:00", "+08-00", "++8:00", "+-8:00"} {
		if _, err := report.ParseZone(bad); err == nil {
			t.Errorf("ParseZone(%q) accepted", bad)
		}
	}
}

func TestParseCreated(t *testing.T) {
	cst, _ := report.ParseZone("+08:00")
	for _, c := range []struct {
		in   string
		want string // RFC 3339 in cst
	}{
		{"2025-01-20", "2025-01-20T00:00:00+08:00"},
		{"2025-01-20T09:30:00+08:00", "2025-01-20T09:30:00+08:00"},
		{"2025-01-20T01:30:00Z", "2025-01-20T09:30:00+08:00"},
		{"1737331200", "2025-01-20T08:00:00+08:00"},
	} {
		got, err := report.ParseCreated(c.in, cst)
		if err != nil || got.In(cst).Format(time.RFC3339) != c.want {
			t.Errorf("ParseCreated(%q) = %v, %v; want %s", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"2025-13-01", "20.1.2025", "2025-01-20 09:30", "-5", "yesterday", "2025-01-20T09:30:00"} {
		if _, err := report.ParseCreated(bad, cst); err == nil {
			t.Errorf("ParseCreated(%q) accepted", bad)
		}
	}
}

func TestDocumentDateOrder(t *testing.T) {
	cst, _ := report.ParseZone("+08:00")
	own := time.Date(2025, 1, 20, 0, 0, 0, 0, cst)
	req := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	now := func() time.Time { return time.Date(2026, 12, 4, 7, 0, 0, 123456789, time.UTC) }
	t.Setenv("SOURCE_DATE_EPOCH", "")
	if got := report.DocumentDate(own, req, now, cst); !got.Equal(own) {
		t.Errorf("the report's own date must come first: %v", got)
	}
	if got := report.DocumentDate(time.Time{}, req, now, cst); !got.Equal(req) || got.Location() != cst {
		t.Errorf("requested date: %v", got)
	}
	got := report.DocumentDate(time.Time{}, time.Time{}, now, cst)
	if got.Format(time.RFC3339Nano) != "2026-12-04T15:00:00+08:00" {
		t.Errorf("clock date %s, want whole seconds in +08:00", got.Format(time.RFC3339Nano))
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1737331200")
	if got := report.DocumentDate(time.Time{}, time.Time{}, now, cst); got.Format(time.RFC3339) != "2025-01-20T08:00:00+08:00" {
		t.Errorf("SOURCE_DATE_EPOCH date: %v", got)
	}
	t.Setenv("SOURCE_DATE_EPOCH", "not a number")
	if got := report.DocumentDate(time.Time{}, time.Time{}, now, cst); got.Year() != 2026 {
		t.Errorf("a bad SOURCE_DATE_EPOCH must fall back to the clock: %v", got)
	}
}

func TestProvenanceRoundTrip(t *testing.T) {
	cst, _ := report.ParseZone("+08:00")
	p := report.Provenance{Template: "gov-info-disclosure-annual/2021", PDFStandard: pdf.StandardA3b, OFDStandard: ofd.StandardA,
		Created: time.Date(2025, 1, 20, 0, 0, 0, 0, cst), Zone: "+08:00", NormalizePunctuation: true,
		Engine: "gongwen test", Fonts: "body=A,B;title=C", SourceSHA256: "ab"}
	got, err := report.ParseProvenance(p.Properties())
	same := got.Created.Equal(p.Created)
	got.Created = p.Created
	if err != nil || got != p || !same {
		t.Fatalf("round trip: %+v, %v\nwant %+v", got, err, p)
	}
	opts, err := got.Options()
	if err != nil || opts.PDFStandard != pdf.StandardA3b || opts.OFDStandard != ofd.StandardA || !opts.Created.Equal(p.Created) || !opts.NormalizePunctuation || opts.AllowProblems {
		t.Fatalf("options %+v, %v", opts, err)
	}
	// Every option rendering needs must be there and readable.
	props := p.Properties()
	for i, pr := range props {
		if pr.Name == "engine" || pr.Name == "fonts" || pr.Name == "sourceSHA256" {
			continue
		}
		if _, err := report.ParseProvenance(slices.Delete(slices.Clone(props), i, i+1)); err == nil {
			t.Errorf("provenance without %s accepted", pr.Name)
		}
		bad := slices.Clone(props)
		bad[i].Value = "??"
		if _, err := report.ParseProvenance(bad); err == nil && pr.Name != "template" {
			t.Errorf("provenance with %s=?? accepted", pr.Name)
		}
	}
}

// The backend gets one request: the document dated in the zone, the
// standard, the report exactly as received (BOM included) named after the
// document, and the provenance verify needs.
func TestRenderRequest(t *testing.T) {
	var got *report.Request
	capture := report.RendererFunc(func(r *report.Request) ([]byte, error) { got = r; return []byte("ok"), nil })
	now := time.Date(2026, 12, 4, 7, 0, 0, 0, time.UTC)
	p, err := report.New(report.Config{Version: "test", Now: func() time.Time { return now },
		Renderers: map[report.Format]report.Renderer{report.PDF: capture, report.DOCX: capture}})
	if err != nil {
		t.Fatal(err)
	}
	raw := append([]byte("\uFEFF"), edit(t, func(m map[string]any) { delete(m, "signature") })...)
	t.Setenv("SOURCE_DATE_EPOCH", "")
	if _, _, err := p.Render(context.Background(), raw, report.PDF, report.DefaultOptions()); err != nil {
		t.Fatal(err)
	}
	if got.Standard != pdf.StandardA2b || got.Provenance.PDFStandard != pdf.StandardA2b {
		t.Errorf("default standard %q", got.Standard)
	}
	if got.DOCXFonts != report.DOCXFontsEmbedded {
		t.Errorf("default DOCX fonts %q", got.DOCXFonts)
	}
	if string(got.Source.Data) != string(raw) {
		t.Errorf("source is not the input as received")
	}
	if got.Source.Name != "𥔲嘉镇人民政府2024年度政府信息公开工作年度报告.json" {
		t.Errorf("source name %q", got.Source.Name)
	}
	created := got.Document.Meta.Created.Format(time.RFC3339)
	if created != "2026-12-04T15:00:00+08:00" || got.Provenance.Created.Format(time.RFC3339) != created || got.Provenance.Zone != "+08:00" {
		t.Errorf("created %s, provenance %+v", created, got.Provenance)
	}
	pv := got.Provenance
	if pv.Template != "gov-info-disclosure-annual/2021" || pv.Engine != "gongwen test" || !pv.NormalizePunctuation || pv.AllowProblems ||
		len(pv.SourceSHA256) != 64 {
		t.Errorf("provenance %+v", pv)
	}

	utc, _ := report.ParseZone("Z")
	opts := report.DefaultOptions()
	opts.PDFStandard, opts.Zone, opts.Created = pdf.StandardA3b, utc, time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	if _, _, err := p.Render(context.Background(), raw, report.PDF, opts); err != nil {
		t.Fatal(err)
	}
	opts.DOCXFonts = report.DOCXFontsNamed
	if _, _, err := p.Render(context.Background(), raw, report.DOCX, opts); err != nil {
		t.Fatal(err)
	}
	if got.DOCXFonts != report.DOCXFontsNamed {
		t.Errorf("requested DOCX fonts not passed: %q", got.DOCXFonts)
	}
	if got.Standard != pdf.StandardA3b || got.Document.Meta.Created.Format(time.RFC3339) != "2025-02-01T00:00:00Z" || got.Provenance.Zone != "+00:00" {
		t.Errorf("requested standard/date/zone not passed: %q %v %q", got.Standard, got.Document.Meta.Created, got.Provenance.Zone)
	}
}

// The report's own date (the template's meta.date: the signature's 成文日期)
// dates the file before the request's date and the clock.
func TestReportDateComesFirst(t *testing.T) {
	var got *report.Request
	capture := report.RendererFunc(func(r *report.Request) ([]byte, error) { got = r; return []byte("ok"), nil })
	p, err := report.New(report.Config{Version: "test", Now: func() time.Time { return time.Date(2026, 12, 4, 7, 0, 0, 0, time.UTC) },
		Renderers: map[report.Format]report.Renderer{report.DOCX: capture}})
	if err != nil {
		t.Fatal(err)
	}
	raw := edit(t, func(m map[string]any) {
		m["signature"] = map[string]any{"organ": "𥔲嘉镇人民政府", "date": "2025-01-20"}
	})
	opts := report.DefaultOptions()
	opts.Created = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	if _, _, err := p.Render(context.Background(), raw, report.DOCX, opts); err != nil {
		t.Fatal(err)
	}
	if d := got.Document.Meta.Created.Format(time.RFC3339); d != "2025-01-20T00:00:00+08:00" || got.Provenance.Created.Format(time.RFC3339) != d {
		t.Errorf("document date %s, provenance %s; want the signature date at midnight +08:00", d, got.Provenance.Created)
	}
}
