package fonts

import (
	"bytes"
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
