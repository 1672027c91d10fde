package batch

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func drain(t *testing.T, s Source) []Item {
	t.Helper()
	var items []Item
	for {
		it, err := s.Next()
		if err == io.EOF {
			return items
		}
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
}

func TestNDJSON(t *testing.T) {
	in := "{\"a\":1}\r\n\n  \n{\"b\":2}\n" + `{"c":"` + strings.Repeat("x", 100) + "\"}\n{\"d\":4}"
	items := drain(t, NDJSON(strings.NewReader(in), "body", Limits{MaxReportBytes: 50}))
	var got []string
	for _, it := range items {
		raw, err := it.Read()
		if err != nil {
			got = append(got, it.Path+" error")
			if !errors.Is(err, ErrTooLarge) {
				t.Errorf("%s: %v", it.Path, err)
			}
			continue
		}
		got = append(got, it.Path+" "+string(raw))
	}
	want := `body:1 {"a":1}|body:4 {"b":2}|body:5 error|body:6 {"d":4}`
	if strings.Join(got, "|") != want {
		t.Fatalf("got %q\nwant %q", strings.Join(got, "|"), want)
	}
}

func TestNDJSONLimitsCount(t *testing.T) {
	s := NDJSON(strings.NewReader("{}\n{}\n{}\n"), "body", Limits{MaxInputs: 2})
	s.Next()
	s.Next()
	if _, err := s.Next(); !errors.Is(err, ErrTooManyInputs) {
		t.Fatalf("third report: %v", err)
	}
}

func TestOpenInputs(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, body string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("in/b.json", "{}")
	write("in/sub/a.json", "{}")
	write("in/notes.txt", "x")
	write("in/.hidden/x.json", "{}")
	write("in/out/manifest.json", "{}") // the output directory inside the input tree
	write("single.txt", "{}")
	zipPath := filepath.Join(dir, "r.zip")
	os.WriteFile(zipPath, buildZip(t, zipEntrySpec{name: "z.json", body: []byte("{}")}), 0o644)
	badZip := filepath.Join(dir, "bad.zip")
	os.WriteFile(badZip, buildZip(t, zipEntrySpec{name: "../z.json", body: []byte("{}")}), 0o644)

	chdir(t, dir)
	src, err := OpenInputs([]string{"in", "single.txt", "r.zip", "missing.json", "bad.zip", "-"},
		strings.NewReader("{\"n\":1}\n{\"n\":2}\n"), []string{"in/out"}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var got []string
	for _, it := range drain(t, src) {
		s := it.Path
		if it.Err != nil {
			s += " ERR"
		}
		got = append(got, s)
	}
	want := "in/b.json|in/sub/a.json|single.txt|r.zip!/z.json|missing.json ERR|bad.zip ERR|stdin:1|stdin:2"
	if strings.Join(got, "|") != want {
		t.Fatalf("got  %s\nwant %s", strings.Join(got, "|"), want)
	}
}

func chdir(t *testing.T, dir string) {
	t.Helper()
	t.Chdir(dir)
}

func compactJSON(w *bytes.Buffer, data []byte) error { return json.Compact(w, data) }
