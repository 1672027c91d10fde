package ofdcheck_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"gongwen/internal/testkit"
	"gongwen/render/ofd"
	"gongwen/render/ofd/ofdcheck"
	"gongwen/report"
)

var (
	goodOnce sync.Once
	goodPkg  []byte
	goodErr  error
)

// good is the example report as OFD-A, written by the exporter: the
// package every broken case starts from.
func good(t *testing.T) map[string][]byte {
	t.Helper()
	goodOnce.Do(func() {
		r, err := ofd.Default()
		if err != nil {
			goodErr = err
			return
		}
		raw, err := os.ReadFile(testkit.Shared(t, "examples/ejia-2024.json"))
		if err != nil {
			goodErr = err
			return
		}
		p, err := report.New(report.Config{})
		if err != nil {
			goodErr = err
			return
		}
		out, err := p.Validate(context.Background(), raw, report.DefaultOptions())
		if err != nil {
			goodErr = err
			return
		}
		goodPkg, goodErr = r.Render(out.Document, ofd.Options{Standard: ofd.StandardA, Source: &ofd.Attachment{Name: "r.json", Data: raw}})
	})
	if goodErr != nil {
		testkit.Missing(t, "the example OFD (fonts): %v", goodErr)
	}
	zr, err := zip.NewReader(bytes.NewReader(goodPkg), int64(len(goodPkg)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"": nil}
	var order []string
	for _, f := range zr.File {
		rc, _ := f.Open()
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
		order = append(order, f.Name)
	}
	files[""] = []byte(strings.Join(order, "\n"))
	return files
}

// pack zips files back in their original order ("" holds the order);
// removed entries are skipped.
func pack(t *testing.T, files map[string][]byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range strings.Split(string(files[""]), "\n") {
		data, ok := files[name]
		if !ok {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// edit replaces the first old in file by new, failing if old is absent.
func edit(t *testing.T, files map[string][]byte, file, old, new string) {
	t.Helper()
	s := string(files[file])
	if !strings.Contains(s, old) {
		t.Fatalf("%s has no %q", file, old)
	}
	files[file] = []byte(strings.Replace(s, old, new, 1))
}

// editRE replaces the first match of the regular expression re in file.
func editRE(t *testing.T, files map[string][]byte, file, re, repl string) {
	t.Helper()
	rx := regexp.MustCompile(re)
	loc := rx.FindSubmatchIndex(files[file])
	if loc == nil {
		t.Fatalf("%s has no match for %s", file, re)
	}
	var out []byte
	out = append(out, files[file][:loc[0]]...)
	out = rx.Expand(out, []byte(repl), files[file], loc)
	out = append(out, files[file][loc[1]:]...)
	files[file] = out
}

const (
	entry = "OFD.xml"
	doc   = "Doc_0/Document.xml"
	res   = "Doc_0/PublicRes.xml"
	page1 = "Doc_0/Pages/Page_0/Content.xml"
)

func TestGoodPackagePasses(t *testing.T) {
	files := good(t)
	if _, err := ofdcheck.Check(pack(t, files)); err != nil {
		t.Fatal(err)
	}
}

// TestBrokenPackages: one hand-broken package per rule; the checker names
// the rule it breaks.
func TestBrokenPackages(t *testing.T) {
	tests := []struct {
		name   string
		rule   string
		break_ func(t *testing.T, f map[string][]byte)
	}{
		{"DocType unknown", ofdcheck.RuleEntry, func(t *testing.T, f map[string][]byte) {
			edit(t, f, entry, `DocType="OFD-A"`, `DocType="PDF"`)
		}},
		{"Version wrong", ofdcheck.RuleEntry, func(t *testing.T, f map[string][]byte) {
			edit(t, f, entry, `Version="1.0"`, `Version="2.0"`)
		}},
		{"element outside the namespace", ofdcheck.RuleNamespace, func(t *testing.T, f map[string][]byte) {
			edit(t, f, doc, `<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>`, `<PhysicalBox xmlns="">0 0 210 297</PhysicalBox><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>`)
		}},
		{"Pages before CommonData", ofdcheck.RuleOrder, func(t *testing.T, f map[string][]byte) {
			s := string(f[doc])
			i, j := strings.Index(s, "<ofd:Pages>"), strings.Index(s, "</ofd:Pages>")+len("</ofd:Pages>")
			pages := s[i:j]
			s = s[:i] + s[j:]
			s = strings.Replace(s, "<ofd:CommonData>", pages+"<ofd:CommonData>", 1)
			f[doc] = []byte(s)
		}},
		{"DefaultCS before PublicRes", ofdcheck.RuleOrder, func(t *testing.T, f map[string][]byte) {
			edit(t, f, doc, `<ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:DefaultCS>1</ofd:DefaultCS>`, `<ofd:DefaultCS>1</ofd:DefaultCS><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>`)
		}},
		{"CGTransform after its TextCode", ofdcheck.RuleOrder, func(t *testing.T, f map[string][]byte) {
			edit(t, f, page1, `</ofd:TextCode></ofd:TextObject>`, `</ofd:TextCode><ofd:CGTransform CodePosition="0" CodeCount="1" GlyphCount="1"><ofd:Glyphs>1</ofd:Glyphs></ofd:CGTransform></ofd:TextObject>`)
		}},
		{"FillColor after TextCode", ofdcheck.RuleOrder, func(t *testing.T, f map[string][]byte) {
			edit(t, f, page1, `</ofd:TextCode></ofd:TextObject>`, `</ofd:TextCode><ofd:FillColor Value="0 0 0"/></ofd:TextObject>`)
		}},
		{"TextObject without Boundary", ofdcheck.RuleRequired, func(t *testing.T, f map[string][]byte) {
			editRE(t, f, page1, `(<ofd:TextObject ID="\d+") Boundary="[^"]*"`, `$1`)
		}},
		{"no DocID", ofdcheck.RuleRequired, func(t *testing.T, f map[string][]byte) {
			s := string(f[entry])
			i, j := strings.Index(s, "<ofd:DocID>"), strings.Index(s, "</ofd:DocID>")+len("</ofd:DocID>")
			f[entry] = []byte(s[:i] + s[j:])
		}},
		{"Boundary not numbers", ofdcheck.RuleNumber, func(t *testing.T, f map[string][]byte) {
			editRE(t, f, page1, `(<ofd:TextObject ID="\d+" Boundary="[^ ]+ [^ ]+) [^ ]+`, `$1 wide`)
		}},
		{"too many DeltaX values", ofdcheck.RuleNumber, func(t *testing.T, f map[string][]byte) {
			edit(t, f, page1, `DeltaX="g 11 7.8"`, `DeltaX="g 12 7.8"`)
		}},
		{"TextCode with leading space", ofdcheck.RuleNumber, func(t *testing.T, f map[string][]byte) {
			edit(t, f, page1, `>政府信息公开工作年度报告<`, `> 政府信息公开工作年度报告<`)
		}},
		{"duplicate ID", ofdcheck.RuleID, func(t *testing.T, f map[string][]byte) {
			edit(t, f, page1, `<ofd:TextObject ID="13"`, `<ofd:TextObject ID="2"`)
		}},
		{"ID not a number", ofdcheck.RuleID, func(t *testing.T, f map[string][]byte) {
			edit(t, f, page1, `<ofd:TextObject ID="13"`, `<ofd:TextObject ID="t13"`)
		}},
		{"MaxUnitID too small", ofdcheck.RuleID, func(t *testing.T, f map[string][]byte) {
			s := string(f[doc])
			i := strings.Index(s, "<ofd:MaxUnitID>") + len("<ofd:MaxUnitID>")
			j := strings.Index(s, "</ofd:MaxUnitID>")
			f[doc] = []byte(s[:i] + "100" + s[j:])
		}},
		{"dangling font reference", ofdcheck.RuleRef, func(t *testing.T, f map[string][]byte) {
			edit(t, f, page1, `Font="2"`, `Font="999"`)
		}},
		{"dangling outline page", ofdcheck.RuleRef, func(t *testing.T, f map[string][]byte) {
			edit(t, f, doc, `PageID="7"`, `PageID="8888"`)
		}},
		{"dangling DefaultCS", ofdcheck.RuleRef, func(t *testing.T, f map[string][]byte) {
			edit(t, f, doc, `<ofd:DefaultCS>1</ofd:DefaultCS>`, `<ofd:DefaultCS>5</ofd:DefaultCS>`)
		}},
		{"page file missing", ofdcheck.RuleLoc, func(t *testing.T, f map[string][]byte) {
			delete(f, page1)
		}},
		{"font file missing", ofdcheck.RuleLoc, func(t *testing.T, f map[string][]byte) {
			delete(f, "Doc_0/Res/font_2.ttf")
		}},
		{"font on the web", ofdcheck.RuleLoc, func(t *testing.T, f map[string][]byte) {
			edit(t, f, res, `<ofd:FontFile>font_2.ttf</ofd:FontFile>`, `<ofd:FontFile>http://example.com/font_2.ttf</ofd:FontFile>`)
		}},
		{"page outside the package", ofdcheck.RuleLoc, func(t *testing.T, f map[string][]byte) {
			edit(t, f, doc, `BaseLoc="Pages/Page_0/Content.xml"`, `BaseLoc="../../Pages/Page_0/Content.xml"`)
		}},
		{"attachment file missing", ofdcheck.RuleLoc, func(t *testing.T, f map[string][]byte) {
			delete(f, "Doc_0/Attachs/source.json")
		}},
		{"font not embedded", ofdcheck.RuleRequired, func(t *testing.T, f map[string][]byte) {
			edit(t, f, res, `<ofd:FontFile>font_2.ttf</ofd:FontFile>`, ``)
		}},
		{"font unparseable", ofdcheck.RuleFont, func(t *testing.T, f map[string][]byte) {
			f["Doc_0/Res/font_2.ttf"] = f["Doc_0/Res/font_2.ttf"][:100]
		}},
		{"font lacks the characters drawn", ofdcheck.RuleFont, func(t *testing.T, f map[string][]byte) {
			f["Doc_0/Res/font_2.ttf"] = f["Doc_0/Res/font_6.ttf"]
		}},
		{"font not a subset", ofdcheck.RuleFont, func(t *testing.T, f map[string][]byte) {
			// font 3 (the body face) draws far more than font 5's characters.
			f["Doc_0/Res/font_5.ttf"] = f["Doc_0/Res/font_3.ttf"]
		}},
		{"OFD-A with permissions", ofdcheck.RuleOFDA, func(t *testing.T, f map[string][]byte) {
			edit(t, f, doc, `</ofd:Outlines>`, `</ofd:Outlines><ofd:Permissions><ofd:Print Printable="false"/></ofd:Permissions>`)
		}},
		{"OFD-A with a URI action", ofdcheck.RuleOFDA, func(t *testing.T, f map[string][]byte) {
			edit(t, f, doc, `<ofd:Goto><ofd:Dest Type="XYZ" PageID="7" Left="0" Top="128.916"/></ofd:Goto>`, `<ofd:URI URI="http://example.com"/>`)
		}},
		{"OFD-A with two documents", ofdcheck.RuleOFDA, func(t *testing.T, f map[string][]byte) {
			s := string(f[entry])
			i, j := strings.Index(s, "<ofd:DocBody>"), strings.Index(s, "</ofd:DocBody>")+len("</ofd:DocBody>")
			f[entry] = []byte(s[:j] + s[i:j] + s[j:])
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := good(t)
			tc.break_(t, files)
			_, err := ofdcheck.Check(pack(t, files))
			var e *ofdcheck.Error
			if err == nil {
				t.Fatal("the broken package passed")
			}
			if !asError(err, &e) {
				t.Fatalf("not a rule error: %v", err)
			}
			if !e.Has(tc.rule) {
				t.Errorf("want rule %s, got %v", tc.rule, err)
			}
		})
	}
}

func asError(err error, e **ofdcheck.Error) bool {
	x, ok := err.(*ofdcheck.Error)
	*e = x
	return ok
}

func TestNotAZip(t *testing.T) {
	if _, err := ofdcheck.Check([]byte("PK not really")); err == nil {
		t.Fatal("garbage passed")
	}
}

func TestDeltas(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []float64
		bad  bool
	}{
		{"1 2.5", []float64{1, 2.5}, false},
		{"g 3 1.5 2", []float64{1.5, 1.5, 1.5, 2}, false},
		{"g 2", nil, true},
		{"g x 1", nil, true},
		{"1 a", nil, true},
	} {
		got, err := ofdcheck.Deltas(tc.in)
		if (err != nil) != tc.bad || !tc.bad && !equal(got, tc.want) {
			t.Errorf("Deltas(%q) = %v, %v", tc.in, got, err)
		}
	}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
