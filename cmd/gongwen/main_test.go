package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const example = "../../templates/gov-info-disclosure-annual/2021/example.json"

func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := dispatch(args, &out, &errb)
	return code, out.String(), errb.String()
}

func editedExample(t *testing.T, fn func(m map[string]any)) string {
	t.Helper()
	raw, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	fn(m)
	b, _ := json.Marshal(m)
	p := filepath.Join(t.TempDir(), "report.json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestValidateExitCodes(t *testing.T) {
	if code, out, errs := runCLI("validate", example); code != 0 {
		t.Fatalf("example: exit %d\n%s%s", code, out, errs)
	}
	bad := editedExample(t, func(m map[string]any) {
		m["requests"].(map[string]any)["results"].(map[string]any)["total"].(map[string]any)["natural"] = 1
	})
	code, out, _ := runCLI("validate", bad)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{"R1", "R2", "/requests/results/total/natural"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCLI("validate", "--json", bad)
	var ps []map[string]any
	if code != 1 || json.Unmarshal([]byte(out), &ps) != nil || len(ps) == 0 {
		t.Fatalf("--json: exit %d, output %q", code, out)
	}
	if code, _, _ := runCLI("validate"); code != 2 {
		t.Errorf("no files: exit %d, want 2", code)
	}
	if code, _, _ := runCLI("validate", "/nonexistent.json"); code != 2 {
		t.Errorf("missing file: exit %d, want 2", code)
	}
	if code, _, _ := runCLI("nosuchcommand"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
	if code, out, _ := runCLI("version"); code != 0 || !strings.HasPrefix(out, "gongwen ") {
		t.Errorf("version: %d %q", code, out)
	}
}

func TestRenderRefusesErrors(t *testing.T) {
	bad := editedExample(t, func(m map[string]any) {
		m["reviewLitigation"].(map[string]any)["review"].(map[string]any)["total"] = 3
	})
	dst := filepath.Join(t.TempDir(), "x.docx")
	code, _, errs := runCLI("render", "-o", dst, bad)
	if code != 1 || !strings.Contains(errs, "R4") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if _, err := os.Stat(dst); err == nil {
		t.Fatal("a file was written for a report with errors")
	}
	code, _, errs = runCLI("render", "--allow-problems", "-o", dst, bad)
	if code != 0 {
		t.Fatalf("--allow-problems: exit %d %s", code, errs)
	}
	if st, err := os.Stat(dst); err != nil || st.Size() == 0 {
		t.Fatalf("no output: %v", err)
	}
}

func TestFontsCommand(t *testing.T) {
	code, out, errs := runCLI("fonts")
	if code != 0 || !strings.Contains(out, "仿宋_GB2312") {
		t.Fatalf("fonts: exit %d\n%s%s", code, out, errs)
	}
	if code, out, _ := runCLI("fonts", "check", example); code != 0 {
		t.Errorf("fonts check example: exit %d\n%s", code, out)
	}
	bad := editedExample(t, func(m map[string]any) { m["organ"] = "无字体\U000F0001镇" })
	code, out, _ = runCLI("fonts", "check", bad)
	if code != 1 || !strings.Contains(out, "U+F0001") {
		t.Errorf("fonts check uncovered: exit %d\n%s", code, out)
	}
}

// TestPrevious: --previous (after the file, as any flag) adds the
// template's cross-year warnings to validate and render; they warn, they
// do not block.
func TestPrevious(t *testing.T) {
	last := editedExample(t, func(m map[string]any) {
		m["year"] = 2023
		m["requests"].(map[string]any)["carriedForward"].(map[string]any)["natural"] = 2
		m["proactive"].(map[string]any)["regulations"].(map[string]any)["inForce"] = 4
	})
	code, out, errs := runCLI("validate", example, "--previous", last, "--json")
	if code != 0 {
		t.Fatalf("warnings only, yet exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{`"rule": "Y1"`, `"path": "/requests/carriedOver/natural"`, `"rule": "Y2"`, `"path": "/proactive/regulations/inForce"`} {
		if !strings.Contains(out, want) {
			t.Errorf("validate --previous lacks %s:\n%s", want, out)
		}
	}
	if code, out, _ := runCLI("validate", example, "--json"); code != 0 || strings.Contains(out, `"Y1"`) {
		t.Errorf("without --previous: exit %d, %s", code, out)
	}
	pdf := filepath.Join(t.TempDir(), "x.docx")
	code, _, errs = runCLI("render", example, "--previous", last, "-o", pdf)
	if code != 0 || !strings.Contains(errs, "上年报告") {
		t.Errorf("render --previous: exit %d, stderr %s", code, errs)
	}
	if code, _, errs := runCLI("validate", example, "--previous", filepath.Join(t.TempDir(), "missing.json")); code != 2 || !strings.Contains(errs, "--previous") {
		t.Errorf("missing previous file: exit %d, %s", code, errs)
	}
}
