package fonts

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestGB2312Hanzi(t *testing.T) {
	h := gb2312Hanzi()
	if len(h) != 6763 {
		t.Fatalf("%d GB 2312 hanzi, want 6763", len(h))
	}
	if h[0] != '啊' || h[len(h)-1] != '齄' {
		t.Errorf("first/last = %c/%c, want 啊/齄", h[0], h[len(h)-1])
	}
}

func TestReport(t *testing.T) {
	b := requireFonts(t)
	reps := b.Report()
	if len(reps) != len(Roles) {
		t.Fatalf("%d roles reported", len(reps))
	}
	byRole := map[string]RoleReport{}
	for _, r := range reps {
		byRole[r.Role] = r
	}
	body := byRole[RoleBody]
	if body.Official != "仿宋_GB2312" || !strings.HasPrefix(body.Face, "FandolFang") || !body.Substitute {
		t.Errorf("body = %+v", body)
	}
	if body.GB2312Face != 6763 || body.GB2312Chain != 6763 {
		t.Errorf("body GB 2312 coverage %d/%d", body.GB2312Face, body.GB2312Chain)
	}
	var out bytes.Buffer
	warnings, err := b.WriteReport(&out)
	if err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"body（正文）  官方字体：仿宋_GB2312", "FandolFang-Regular.otf", "GB 2312 汉字覆盖：本字体 6763/6763", "警告：未找到官方字体“仿宋_GB2312”", "NotoSerifCJK-Regular.ttc（第 2 个字体）"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	if warnings < len(Roles) { // no official face is installed here
		t.Errorf("%d warnings", warnings)
	}
}

func TestReportWithOfficialFace(t *testing.T) {
	requireFonts(t)
	// A deployment whose "official" face is installed gets no warning.
	b, err := Open(Config{
		Roles:    map[string][]string{RoleBody: {"FandolFang", "Noto Serif CJK SC"}},
		Official: map[string]string{RoleBody: "FandolFang"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	warnings, err := b.WriteReport(&out)
	if err != nil || warnings != 0 || strings.Contains(out.String(), "警告") {
		t.Errorf("warnings = %d, %v:\n%s", warnings, err, out.String())
	}
}

func TestWriteCheck(t *testing.T) {
	b := requireFonts(t)
	report := []byte(`{"organ":"𥔲嘉镇人民政府","rows":[{"label":"啰瞭","n":3},"\u0001x\udbff\udffd"]}`)
	var out bytes.Buffer
	n, err := b.WriteCheck(&out, report)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("%d missing, want 2 (U+0001, U+10FFFD):\n%s", n, out.String())
	}
	for _, want := range []string{"U+0001\t-\t缺字的角色：title、body", "U+10FFFD\t-\t"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("check output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if n, err := b.WriteCheck(&out, []byte(`{"a":"𥔲嘉镇\n啰瞭"}`), RoleBody); err != nil || n != 0 {
		t.Errorf("covered text: %d missing, %v: %s", n, err, out.String())
	}
	if _, err := b.WriteCheck(&out, []byte(`{`)); err == nil {
		t.Error("malformed JSON must be an error")
	}
}

// TestRestrictedOfficialFace installs, in a private directory, an
// "official" face whose OS/2 fsType forbids embedding: PDFs must fall back,
// and the report must say why.
func TestRestrictedOfficialFace(t *testing.T) {
	b := requireFonts(t)
	dir := t.TempDir()
	sb := b.NewSubsetBuilder()
	sb.Add(b.Lookup("FandolFang"), "正文嘉镇")
	sb.Add(b.Lookup("Noto Serif CJK SC"), "正文嘉镇")
	subs, err := sb.Build()
	if err != nil {
		t.Fatal(err)
	}
	restricted := bytes.Clone(subs[0].TTF)
	d, err := readDirectory(bytes.NewReader(restricted), 0)
	if err != nil {
		t.Fatal(err)
	}
	os2 := d.tables["OS/2"]
	restricted[os2.offset+8], restricted[os2.offset+9] = 0, 2 // fsType: restricted licence
	if err := os.WriteFile(dir+"/official.ttf", restricted, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/substitute.ttf", subs[1].TTF, 0o644); err != nil {
		t.Fatal(err)
	}
	rb, err := Open(Config{
		Dirs:         []string{dir},
		NoSystemDirs: true,
		Roles:        map[string][]string{RoleBody: {subs[0].Name, subs[1].Name}},
		Official:     map[string]string{RoleBody: subs[0].Name},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer rb.Close()
	if len(rb.Faces()) != 2 {
		t.Fatalf("found %d faces in %s, want 2", len(rb.Faces()), dir)
	}
	chain, err := rb.Chain(RoleBody)
	if err != nil {
		t.Fatal(err)
	}
	if len(chain) != 1 || chain[0].Family() != subs[1].Name {
		t.Fatalf("Chain = %v, want only the embeddable substitute", chain)
	}
	if rb.Lookup(subs[0].Name).Embeddable() {
		t.Error("fsType 2 face reported embeddable")
	}
	var out bytes.Buffer
	if _, err := rb.WriteReport(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "禁止嵌入") {
		t.Errorf("report does not explain the fallback:\n%s", out.String())
	}
	// A subset font read back as a font: its own name and metrics survive.
	f := rb.Lookup(subs[1].Name)
	if f.UnitsPerEm() != 1000 || f.Advance('嘉') != b.Lookup("Noto Serif CJK SC").Advance('嘉') || f.HasRune('啰') {
		t.Errorf("subset face: upem %d, advance %d", f.UnitsPerEm(), f.Advance('嘉'))
	}
}
