package api

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"gongwen/internal/testkit"
	"gongwen/report"
)

// A PDF rendered through the API without `created`, for a report without a
// date of its own, carries the date of the request — not 1970 — in the
// Info dictionary and in the XMP packet, the same instant with the same
// explicit offset (+08:00), as PDF/A requires.
func TestRenderDatedToday(t *testing.T) {
	realEngine(t) // skips (or fails in CI) without fonts
	qpdf, pdfinfo := testkit.Tool(t, "qpdf"), testkit.Tool(t, "pdfinfo")
	t.Setenv("SOURCE_DATE_EPOCH", "")
	t.Setenv("GONGWEN_ZONE", "")
	p, err := report.New(report.Config{Version: "test"}) // the wall clock
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, New(p, Config{Logger: discardLogger()}))
	example := mutate(t, realExample(t, p), func(m map[string]any) { delete(m, "signature") })

	cst := time.FixedZone("+08:00", 8*3600)
	before := time.Now().In(cst).Truncate(time.Second)
	resp, err := http.Post(ts.URL+"/api/v1/render?format=pdf", "application/json", bytes.NewReader(example))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("status %d: %v %.200s", resp.StatusCode, err, body)
	}
	after := time.Now().In(cst)
	file := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(file, body, 0o644); err != nil {
		t.Fatal(err)
	}

	js, err := exec.Command(qpdf, "--json", file).Output()
	if err != nil {
		t.Fatalf("qpdf --json: %v", err)
	}
	meta, err := exec.Command(pdfinfo, "-meta", file).Output()
	if err != nil {
		t.Fatalf("pdfinfo -meta: %v", err)
	}
	info := map[string]time.Time{}
	for _, key := range []string{"CreationDate", "ModDate"} {
		m := regexp.MustCompile(`"/` + key + `": "u?:?D:([^"]+)"`).FindSubmatch(js)
		if m == nil {
			t.Fatalf("no Info /%s in qpdf --json", key)
		}
		info[key] = parsePDFDate(t, string(m[1]))
	}
	xmp := map[string]time.Time{}
	for _, key := range []string{"CreateDate", "ModifyDate"} {
		// An element or an attribute of rdf:Description: both are XMP.
		m := regexp.MustCompile(`<xmp:` + key + `>([^<]+)</xmp:` + key + `>|\bxmp:` + key + `="([^"]+)"`).FindSubmatch(meta)
		if m != nil && m[1] == nil {
			m[1] = m[2]
		}
		if m == nil {
			t.Fatalf("no xmp:%s in the metadata stream:\n%s", key, meta)
		}
		x, err := time.Parse(time.RFC3339, string(m[1]))
		if err != nil {
			t.Fatalf("xmp:%s %q: %v", key, m[1], err)
		}
		xmp[key] = x
	}
	created := info["CreationDate"]
	if _, off := created.Zone(); off != 8*3600 {
		t.Errorf("Info CreationDate %v is not written with the default offset +08:00", created)
	}
	if created.Before(before) || created.After(after) {
		t.Errorf("Info CreationDate %v is not the time of the request (%v … %v)", created, before, after)
	}
	for _, x := range []time.Time{info["ModDate"], xmp["CreateDate"], xmp["ModifyDate"]} {
		_, off1 := created.Zone()
		_, off2 := x.Zone()
		if !x.Equal(created) || off1 != off2 {
			t.Errorf("dates disagree: Info CreationDate %v, other %v", created, x)
		}
	}
}

// parsePDFDate reads a PDF date string after "D:": YYYYMMDDHHmmSS and
// Z, or +HH'mm' / -HH'mm'.
func parsePDFDate(t *testing.T, s string) time.Time {
	t.Helper()
	m := regexp.MustCompile(`^(\d{14})(Z|[+-]\d\d'\d\d'?)?(00'00')?$`).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("PDF date %q", s)
	}
	zone := "Z"
	if m[2] != "" && m[2] != "Z" {
		zone = m[2][:3] + ":" + m[2][4:6]
	}
	d, err := time.Parse("20060102150405Z07:00", m[1]+zone)
	if err != nil {
		t.Fatalf("PDF date %q: %v", s, err)
	}
	return d
}
