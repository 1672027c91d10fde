package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// Every subcommand, present and future, answers --help on standard output
// with exit 0 (issue 14 item 10), and so does gongwen itself.
func TestHelpGoesToStdout(t *testing.T) {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	cases := [][]string{{"--help"}, {"-h"}, {"help"}}
	for _, n := range names {
		cases = append(cases, []string{n, "--help"}, []string{n, "-h"}, []string{"help", n})
	}
	cases = append(cases, []string{"render", "report.json", "--help"}) // after a file too
	for _, args := range cases {
		code, out, errs := runCLI(args...)
		if code != 0 || !strings.Contains(out, "usage: gongwen") || errs != "" {
			t.Errorf("gongwen %s: exit %d, stdout %.60q, stderr %.60q", strings.Join(args, " "), code, out, errs)
		}
	}
	// A usage error still goes to stderr with exit 2.
	if code, out, errs := runCLI("render", "--no-such-flag"); code != 2 || out != "" || !strings.Contains(errs, "no-such-flag") {
		t.Errorf("bad flag: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// Flags after the file work for every command (issue 14 item 9).
func TestFlagsAfterFile(t *testing.T) {
	dir := t.TempDir()
	dst := filepath.Join(dir, "x.docx")
	if code, _, errs := runCLI("render", example, "--format", "docx", "-o", dst); code != 0 {
		t.Fatalf("render FILE --format docx -o x.docx: exit %d\n%s", code, errs)
	}
	if b, err := os.ReadFile(dst); err != nil || !strings.HasPrefix(string(b), "PK") {
		t.Fatalf("no DOCX written: %v", err)
	}
	code, out, errs := runCLI("validate", example, "--json")
	var rs []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rs) != nil {
		t.Fatalf("validate FILE --json: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	// "--" ends the flags: a file named like a flag is a file.
	if code, _, errs := runCLI("validate", "--", "--json"); code != 2 || !strings.Contains(errs, "--json") {
		t.Errorf("validate -- --json: exit %d, stderr %q (want the missing file named)", code, errs)
	}
}

// The output format and -o's extension never disagree silently (item 11).
func TestFormatAndExtension(t *testing.T) {
	for _, c := range []struct {
		format, out string
		want        string // "" for an error
	}{
		{"", "", "pdf"},
		{"", "x.pdf", "pdf"},
		{"", "x.DOCX", "docx"},
		{"", "x", "pdf"},
		{"", "-", "pdf"},
		{"docx", "-", "docx"},
		{"docx", "", "docx"},
		{"docx", "x.docx", "docx"},
		{"pdf", "x", "pdf"},
		{"", "x.odt", ""},
		{"pdf", "x.docx", ""},
		{"docx", "x.pdf", ""},
		{"pdf", "x.odt", ""},
		{"odt", "", ""},
	} {
		f, err := chooseFormat(c.format, c.out)
		if got := string(f); got != c.want || (err != nil) != (c.want == "") {
			t.Errorf("--format %q -o %q: %q, %v; want %q", c.format, c.out, got, err, c.want)
		}
	}
	dst := filepath.Join(t.TempDir(), "x.odt")
	if code, _, errs := runCLI("render", example, "-o", dst); code != 2 || !strings.Contains(errs, ".odt") {
		t.Errorf("-o x.odt: exit %d, stderr %q", code, errs)
	}
	if _, err := os.Stat(dst); err == nil {
		t.Error("a PDF was written under the name x.odt")
	}
	if code, out, _ := runCLI("render", "--help"); code != 0 || !strings.Contains(out, "extension") {
		t.Error("render --help does not state the rule between --format and -o")
	}
}

// --lang takes the same values in every command, the API's values
// (item 12), and validate --json has one shape for one file and for many.
func TestLangAndJSONShape(t *testing.T) {
	bad := editedExample(t, func(m map[string]any) {
		m["requests"].(map[string]any)["results"].(map[string]any)["total"].(map[string]any)["natural"] = 1
	})
	for _, lang := range []string{"en", "en-US", "EN", "en_GB"} {
		code, out, errs := runCLI("validate", bad, "--lang", lang)
		if code != 1 || !strings.Contains(out, "problems found") {
			t.Errorf("validate --lang %s: exit %d\n%s%s", lang, code, out, errs)
		}
	}
	for _, cmd := range [][]string{{"validate", bad}, {"render", bad}, {"batch", bad, "--out", t.TempDir()}} {
		if code, _, errs := runCLI(append(cmd, "--lang", "fr")...); code != 2 || !strings.Contains(errs, "zh, en") {
			t.Errorf("%s --lang fr: exit %d, stderr %q", cmd[0], code, errs)
		}
		if code, _, errs := runCLI(append(cmd, "--lang", "zh-CN")...); code == 2 {
			t.Errorf("%s --lang zh-CN refused: %s", cmd[0], errs)
		}
	}
	type fileResult struct {
		File     string            `json:"file"`
		Valid    *bool             `json:"valid"`
		Problems []json.RawMessage `json:"problems"`
	}
	for _, files := range [][]string{{bad}, {bad, example}} {
		_, out, _ := runCLI(append([]string{"validate", "--json"}, files...)...)
		var rs []fileResult
		if err := json.Unmarshal([]byte(out), &rs); err != nil || len(rs) != len(files) {
			t.Fatalf("%d file(s): %v\n%s", len(files), err, out)
		}
		for i, r := range rs {
			if r.File != files[i] || r.Valid == nil || r.Problems == nil {
				t.Errorf("%d file(s): result %d is %+v", len(files), i, r)
			}
		}
	}
}

// A report that cannot be rendered even with --allow-problems says so,
// instead of telling the user to add the flag they gave (item 13).
func TestAllowProblemsHint(t *testing.T) {
	broken := editedExample(t, func(m map[string]any) { delete(m, "overview"); m["proactive"] = "x" })
	ruleBroken := editedExample(t, func(m map[string]any) {
		m["reviewLitigation"].(map[string]any)["review"].(map[string]any)["total"] = 3
	})
	dst := filepath.Join(t.TempDir(), "x.docx")
	for _, c := range []struct {
		args     []string
		wantHint bool
	}{
		{[]string{broken, "--allow-problems"}, false},
		{[]string{broken}, false},
		{[]string{ruleBroken}, true},
	} {
		code, _, errs := runCLI(append([]string{"render", "-o", dst, "--format", "docx"}, c.args...)...)
		last := strings.TrimSpace(errs[strings.LastIndex(strings.TrimSpace(errs), "\n")+1:])
		if code != 1 || strings.Contains(last, "请加 --allow-problems") != c.wantHint {
			t.Errorf("render %v: exit %d, last line %q (want the --allow-problems hint: %v)", c.args, code, last, c.wantHint)
		}
	}
}

// validate --json and a batch manifest stay small and fast for a report
// with every number 1e1000000 (issue 14 item 23).
func TestHugeNumbersCLI(t *testing.T) {
	huge := "../../report/testdata/huge-counts.json"
	start := time.Now()
	code, out, _ := runCLI("validate", huge, "--json")
	if took := time.Since(start); code != 1 || len(out) > 64<<10 || took > time.Second {
		t.Errorf("validate --json: exit %d, %d bytes in %v", code, len(out), took)
	}
	dir := t.TempDir()
	start = time.Now()
	code, _, errs := runCLI("batch", huge, "--out", dir, "--format", "docx", "--quiet")
	took := time.Since(start)
	manifests, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if code != 1 || len(manifests) != 1 || took > 2*time.Second {
		t.Fatalf("batch: exit %d in %v, manifests %v\n%s", code, took, manifests, errs)
	}
	if st, err := os.Stat(manifests[0]); err != nil || st.Size() > 64<<10 {
		t.Errorf("manifest: %v, %d bytes", err, st.Size())
	}
}
