package batch

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gongwen/gen/reportgen"
	"gongwen/report"
)

// batchHandler is how an HTTP front end mounts a batch route (the api
// package's POST /api/v1/batch follows the same steps with its own error
// documents): refuse bad uploads before the first byte of the response,
// then stream.
func batchHandler(engine report.Engine) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		formats, err := ParseFormats(r.URL.Query().Get("format"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		src, err := OpenRequest(r.Header.Get("Content-Type"), r.Body, Limits{MaxZipTotal: 1 << 20, MaxInputs: 1000})
		if err != nil {
			status := http.StatusBadRequest
			switch {
			case errors.Is(err, ErrUnsupportedInput):
				status = http.StatusUnsupportedMediaType
			case errors.Is(err, ErrTooLarge), errors.Is(err, ErrTooManyInputs):
				status = http.StatusRequestEntityTooLarge
			}
			http.Error(w, err.Error(), status)
			return
		}
		defer src.Close()
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Content-Disposition", `attachment; filename="gongwen-batch.zip"`)
		opts := report.DefaultOptions()
		if _, err := StreamZip(r.Context(), engine, src, formats, StreamOptions{Options: opts, Version: "test"}, w); err != nil {
			// The status is sent; the client sees a zip whose manifest
			// says what happened, or a cut connection.
			logf("batch stream: %v", err)
			panic(http.ErrAbortHandler)
		}
	}
}

var logf = func(string, ...any) {}

func TestHTTPBatchWithTheRealEngine(t *testing.T) {
	logf = t.Logf
	engine, err := pipeline()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(batchHandler(engine))
	defer srv.Close()

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := range 4 {
		w, _ := mw.CreateFormFile("files", "r"+string(rune('0'+i))+".json")
		w.Write(reportgen.Generate(31, i).JSON())
	}
	w, _ := mw.CreateFormFile("files", "reports.zip")
	w.Write(buildZip(t, zipEntrySpec{name: "a.json", body: reportgen.Generate(31, 10).JSON()}))
	mw.Close()
	resp, err := http.Post(srv.URL+"?format=pdf,docx", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("%d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), data)
	}
	names, files, m := readZip(t, data)
	if m.Summary.Inputs != 5 || m.Summary.Outputs != 10 || m.Summary.Failed != 0 || len(names) != 11 {
		t.Fatalf("%+v %v", m.Summary, names)
	}
	for _, e := range m.Inputs {
		if !bytes.HasPrefix(files[e.Outputs[0].Path], []byte("%PDF-")) {
			t.Fatalf("%s is not a PDF", e.Outputs[0].Path)
		}
	}

	for _, c := range []struct {
		ctype  string
		body   []byte
		status int
	}{
		{"application/zip", buildZip(t, zipEntrySpec{name: "../../x.json", body: []byte("{}")}), 400},
		{"text/plain", []byte("hello"), 415},
		{"application/x-ndjson", []byte(strings.Repeat("{}\n", 1001)), 413}, // over the report count: refused before the response
		{"application/x-ndjson", bytes.Repeat([]byte("{}\n"), 1<<20), 413},  // over the upload limit: refused before the response
	} {
		resp, err := http.Post(srv.URL, c.ctype, bytes.NewReader(c.body))
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d: %s", c.ctype, resp.StatusCode, c.status, data)
		}
		if c.status == 400 && !strings.Contains(string(data), "zip-slip") {
			t.Errorf("unsafe zip refused without saying why: %s", data)
		}
	}
}
