package report_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"gongwen/render/ofd"
	"gongwen/render/ofd/ofdcheck"
	"gongwen/render/pdf"
	"gongwen/report"
)

func TestParseOFDStandard(t *testing.T) {
	for _, c := range []struct {
		in   string
		want ofd.Standard
		ok   bool
	}{
		{"", ofd.StandardNone, true}, {"none", ofd.StandardNone, true}, {" A ", ofd.StandardA, true},
		{"ofd-a", "", false}, {"a-2b", "", false}, {"b", "", false},
	} {
		got, err := report.ParseOFDStandard(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseOFDStandard(%q) = %q, %v", c.in, got, err)
		}
	}
}

// TestRenderOFD: format ofd through the pipeline; OFD-A carries the report
// as received and the provenance that renders it again to the same bytes.
func TestRenderOFD(t *testing.T) {
	p := pipeline(t)
	raw := example(t)
	opts := report.DefaultOptions()
	opts.OFDStandard = ofd.StandardA
	opts.Created = time.Date(2025, 1, 20, 9, 30, 0, 0, time.FixedZone("+08:00", 8*3600))
	b, out, err := p.Render(context.Background(), raw, report.OFD, opts)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := ofdcheck.Check(b)
	if err != nil {
		t.Fatal(err)
	}
	if pkg.DocType != "OFD-A" {
		t.Errorf("DocType %q", pkg.DocType)
	}
	a, err := ofd.ReadArchived(b)
	if err != nil {
		t.Fatal(err)
	}
	if a.Source == nil || !bytes.Equal(a.Source.Data, raw) || a.Source.Name != out.FileName+".json" {
		t.Fatalf("source %+v", a.Source)
	}
	props := make([]pdf.Property, 0, len(a.Provenance))
	for _, pr := range a.Provenance {
		props = append(props, pdf.Property{Name: pr.Name, Value: pr.Value})
	}
	prov, err := report.ParseProvenance(props)
	if err != nil {
		t.Fatal(err)
	}
	if prov.OFDStandard != ofd.StandardA || prov.Template != out.TemplateID || prov.Fonts == "" {
		t.Errorf("provenance %+v", prov)
	}
	again, err := prov.Options()
	if err != nil {
		t.Fatal(err)
	}
	b2, _, err := p.Render(context.Background(), a.Source.Data, report.OFD, again)
	if err != nil || !bytes.Equal(b, b2) {
		t.Errorf("rendering the attached report with the recorded options gives other bytes (%v)", err)
	}

	// Plain OFD: no attachment.
	opts.OFDStandard = ofd.StandardNone
	b, _, err = p.Render(context.Background(), raw, report.OFD, opts)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := ofd.ReadArchived(b); err != nil || a.Source != nil {
		t.Errorf("plain OFD: %+v, %v", a, err)
	}
}
