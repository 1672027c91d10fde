package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyTemplate copies the annual report's template folder to DIR/test/copy
// with its id replaced, and returns DIR.
func copyTemplate(t *testing.T, edit func(manifest string) string) string {
	t.Helper()
	src := "../../templates/gov-info-disclosure-annual/2021"
	dir := t.TempDir()
	dst := filepath.Join(dir, "test", "copy")
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"manifest.yaml", "schema.json", "example.json"} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		s := strings.ReplaceAll(string(b), "gov-info-disclosure-annual/2021", "test/copy")
		if name == "manifest.yaml" {
			s = strings.Replace(s, "\nname: ", "\nname: 复制的模板 ", 1)
			s = edit(s)
		}
		if err := os.WriteFile(filepath.Join(dst, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A template folder copied under a new id loads from --templates, is
// listed, passes the check and renders reports that name it: no Go change.
func TestCopiedTemplateLoadsFromDirectory(t *testing.T) {
	dir := copyTemplate(t, func(m string) string { return m })
	code, out, errs := runCLI("templates", "--templates", dir)
	if code != 0 || !strings.Contains(out, "test/copy\t复制的模板") || !strings.HasPrefix(out, "gov-info-disclosure-annual/2021\t") {
		t.Fatalf("templates: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runCLI("template", "check", dir)
	if code != 0 || !strings.Contains(out, "test/copy: ok") || !strings.Contains(out, "pointers: all resolve") {
		t.Fatalf("template check: exit %d\n%s%s", code, out, errs)
	}
	report := filepath.Join(dir, "test", "copy", "example.json")
	pdf := filepath.Join(t.TempDir(), "x.docx")
	if code, out, errs := runCLI("render", "--templates", dir, "--format", "docx", "-o", pdf, report); code != 0 {
		t.Fatalf("render with the copied template: exit %d\n%s%s", code, out, errs)
	}
}

// The check finds what a template author gets wrong: a misspelt
// expression variable (at load, with file, line and key) and a binding
// that leads nowhere.
func TestTemplateCheckFindsMistakes(t *testing.T) {
	dir := copyTemplate(t, func(m string) string {
		return strings.Replace(m, "assert: a + b == c + d", "assert: a + b == c + dd", 1)
	})
	code, _, errs := runCLI("template", "check", dir)
	if code != 2 || !strings.Contains(errs, "manifest.yaml:") || !strings.Contains(errs, "rules[0].assert") || !strings.Contains(errs, "unknown name dd") {
		t.Errorf("misspelt variable: exit %d, %s", code, errs)
	}
	dir = copyTemplate(t, func(m string) string {
		return strings.Replace(m, "{bind: /proactive/licensing, colspan: 3}", "{bind: /proactive/licencing, colspan: 3}", 1)
	})
	code, out, errs := runCLI("template", "check", dir)
	if code != 1 || !strings.Contains(out, "pointer /proactive/licencing (tables.proactive.rows[6]): no value in the example") {
		t.Errorf("misspelt binding: exit %d\n%s%s", code, out, errs)
	}
}
