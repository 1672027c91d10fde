package api

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type batchManifest struct {
	Summary struct{ Inputs, Rendered, Failed, Outputs int }
	Inputs  []struct {
		Status   string
		Problems []json.RawMessage
	}
}

// unzip returns the entry names and the manifest of a batch answer.
func unzip(t *testing.T, data []byte) ([]string, batchManifest) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("answer is not a zip: %v", err)
	}
	var names []string
	var m batchManifest
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Name == "manifest.json" {
			rc, _ := f.Open()
			if err := json.NewDecoder(rc).Decode(&m); err != nil {
				t.Fatalf("manifest: %v", err)
			}
			rc.Close()
		}
	}
	return names, m
}

func TestBatch(t *testing.T) {
	eng := newFakeEngine()
	ts := httptest.NewServer(New(eng, Config{Logger: discardLogger(), BatchMaxBytes: 1 << 20, BatchMaxInputs: 5}).Handler())
	defer ts.Close()
	example := eng.example
	broken := mutate(t, example, func(m map[string]any) {
		m["requests"].(map[string]any)["newlyReceived"].(map[string]any)["total"] = 5
	})

	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	for name, body := range map[string][]byte{"a.json": example, "b.json": broken} {
		w, _ := mw.CreateFormFile("files", name)
		w.Write(body)
	}
	w, _ := mw.CreateFormFile("files", "more.zip")
	w.Write(zipOf(t, map[string][]byte{"c.json": example}))
	mw.Close()

	compact := func(b []byte) []byte {
		var out bytes.Buffer
		json.Compact(&out, b)
		return out.Bytes()
	}
	ndjson := bytes.Join([][]byte{compact(example), compact(example)}, []byte("\n"))
	tooMany := bytes.Repeat(append(compact(example), '\n'), 6)

	runRouteCases(t, ts.URL, []routeCase{
		{"multipart", exchange{method: "POST", path: "/api/v1/batch?format=pdf", route: "/api/v1/batch", contentType: mw.FormDataContentType(), body: form.Bytes()}, 200,
			func(t *testing.T, _ *http.Response, b []byte) {
				names, m := unzip(t, b)
				if m.Summary.Inputs != 3 || m.Summary.Rendered != 2 || m.Summary.Failed != 1 || len(names) != 3 {
					t.Errorf("summary %+v, entries %q", m.Summary, names)
				}
				if names[0] != "2024/𥔲嘉镇人民政府2024年度政府信息公开工作年度报告.pdf" {
					t.Errorf("entry %q", names[0])
				}
			}},
		{"ndjson both formats", exchange{method: "POST", path: "/api/v1/batch", route: "/api/v1/batch", contentType: "application/x-ndjson", body: ndjson}, 200,
			func(t *testing.T, _ *http.Response, b []byte) {
				if _, m := unzip(t, b); m.Summary.Outputs != 4 {
					t.Errorf("summary %+v", m.Summary)
				}
			}},
		{"zip", exchange{method: "POST", path: "/api/v1/batch?format=docx", route: "/api/v1/batch", contentType: "application/zip", body: zipOf(t, map[string][]byte{"x/a.json": example})}, 200, nil},
		{"unsafe zip", exchange{method: "POST", path: "/api/v1/batch", route: "/api/v1/batch", contentType: "application/zip", body: zipOf(t, map[string][]byte{"../../etc/a.json": example})}, 400, both(wantKind("unsafe-zip"),
			func(t *testing.T, _ *http.Response, b []byte) { // names the entry and why (issue 14 item 18)
				if !strings.Contains(string(b), `压缩包中的“../../etc/a.json”被拒绝：文件名含“..”`) {
					t.Errorf("the problems do not name the refused entry: %s", b)
				}
			})},
		{"bad format", exchange{method: "POST", path: "/api/v1/batch?format=pdf,odt", route: "/api/v1/batch", contentType: "application/x-ndjson", body: ndjson}, 400, wantKind("bad-parameter")},
		{"bad lang", exchange{method: "POST", path: "/api/v1/batch?lang=xx", route: "/api/v1/batch", contentType: "application/x-ndjson", body: ndjson}, 400, wantKind("bad-parameter")},
		{"bad pdfStandard", exchange{method: "POST", path: "/api/v1/batch?pdfStandard=pdf-a", route: "/api/v1/batch", contentType: "application/x-ndjson", body: ndjson}, 400, wantKind("bad-parameter")},
		{"bad created", exchange{method: "POST", path: "/api/v1/batch?created=tomorrow", route: "/api/v1/batch", contentType: "application/x-ndjson", body: ndjson}, 400, wantKind("bad-parameter")},
		{"json is not a batch", exchange{method: "POST", path: "/api/v1/batch", route: "/api/v1/batch", contentType: "application/json", body: example}, 415, wantKind("unsupported-media-type")},
		{"too large", exchange{method: "POST", path: "/api/v1/batch", route: "/api/v1/batch", contentType: "application/x-ndjson", body: bytes.Repeat([]byte("\n"), 2<<20)}, 413, wantKind("body-too-large")},
		{"too large streamed", exchange{method: "POST", path: "/api/v1/batch", route: "/api/v1/batch", contentType: "application/x-ndjson", bodyReader: bytes.NewReader(bytes.Repeat([]byte("\n"), 2<<20))}, 413, wantKind("body-too-large")},
		{"too many reports", exchange{method: "POST", path: "/api/v1/batch", route: "/api/v1/batch", contentType: "application/x-ndjson", body: tooMany}, 413, wantKind("body-too-large")},
	})
}

// TestBatchBusy: a second batch while one streams gets 503 at once.
func TestBatchBusy(t *testing.T) {
	eng := newFakeEngine()
	entered, unblock := make(chan struct{}, 1), make(chan struct{})
	eng.hook = func(ctx context.Context) error {
		select {
		case entered <- struct{}{}:
		default:
		}
		<-unblock
		return nil
	}
	ts := httptest.NewServer(New(eng, Config{Logger: discardLogger()}).Handler())
	defer ts.Close()
	var wg sync.WaitGroup
	wg.Go(func() {
		resp, err := http.Post(ts.URL+"/api/v1/batch?format=pdf", "application/x-ndjson", bytes.NewReader(bytes.ReplaceAll(eng.example, []byte("\n"), nil)))
		if err == nil {
			resp.Body.Close()
		}
	})
	<-entered
	resp, _ := exchange{method: "POST", path: "/api/v1/batch", route: "/api/v1/batch", contentType: "application/x-ndjson", body: []byte("{}\n")}.do(t, ts.URL)
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("second batch: %d", resp.StatusCode)
	}
	close(unblock)
	wg.Wait()
}
