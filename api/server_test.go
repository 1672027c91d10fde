package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"gongwen/report"
)

func discardLogger() *slog.Logger { return slog.New(slog.NewJSONHandler(io.Discard, nil)) }

// syncBuffer collects log output written from handler goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// mutate returns the example report changed by fn.
// formType goes with form: the boundary is fixed so a case can be a literal.
const formType = "multipart/form-data; boundary=gongwen-test-boundary"

// form builds a multipart/form-data body of name, content pairs.
func form(t testing.TB, pairs ...any) []byte {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if err := w.SetBoundary("gongwen-test-boundary"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(pairs); i += 2 {
		part, err := w.CreateFormFile(pairs[i].(string), pairs[i].(string)+".json")
		if err != nil {
			t.Fatal(err)
		}
		part.Write(pairs[i+1].([]byte))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func mutate(t testing.TB, raw []byte, fn func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	fn(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type exchange struct {
	method, path string
	route        string // OpenAPI path the response is checked against; "" = undocumented on purpose
	contentType  string
	header       map[string]string
	body         []byte
	bodyReader   io.Reader // instead of body: streamed, no Content-Length
}

func (x exchange) do(t *testing.T, base string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader = bytes.NewReader(x.body)
	if x.bodyReader != nil {
		rd = x.bodyReader
	}
	if x.body == nil && x.bodyReader == nil {
		rd = nil
	}
	req, err := http.NewRequest(x.method, base+x.path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if x.contentType != "" {
		req.Header.Set("Content-Type", x.contentType)
	}
	for k, v := range x.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", x.method, x.path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", x.method, x.path, err)
	}
	if x.route != "" {
		spec().check(t, x.method, x.route, resp, body)
	}
	if ct := resp.Header.Get("Content-Type"); strings.HasPrefix(ct, "application/problem+json") {
		checkProblemDocument(t, resp, body, strings.Contains(x.path, "lang=en"))
	}
	if resp.Header.Get("X-Request-Id") == "" {
		t.Errorf("%s %s: no X-Request-Id", x.method, x.path)
	}
	return resp, body
}

// checkProblemDocument checks what every error response promises: RFC 9457
// fields that agree with the response, a request id, and a title in the
// requested language.
func checkProblemDocument(t *testing.T, resp *http.Response, body []byte, english bool) {
	t.Helper()
	var pd problemDetails
	if err := json.Unmarshal(body, &pd); err != nil {
		t.Fatalf("problem document: %v: %s", err, body)
	}
	if pd.Status != resp.StatusCode || !strings.HasPrefix(pd.Type, defaultProblemTypeBase) || pd.Title == "" || pd.Problems == nil {
		t.Errorf("problem document incomplete: %s", body)
	}
	if pd.RequestID != resp.Header.Get("X-Request-Id") {
		t.Errorf("requestId %q, header %q", pd.RequestID, resp.Header.Get("X-Request-Id"))
	}
	if hasHan(pd.Title) == english {
		t.Errorf("title %q: want English=%v", pd.Title, english)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func problemsOf(t *testing.T, body []byte) (paths []string) {
	t.Helper()
	var v struct {
		Problems []struct{ Path, Rule, Message string } `json:"problems"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	for _, p := range v.Problems {
		paths = append(paths, p.Path)
	}
	return paths
}

func wantProblemPaths(want ...string) func(*testing.T, *http.Response, []byte) {
	return func(t *testing.T, _ *http.Response, body []byte) {
		t.Helper()
		got := problemsOf(t, body)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("problem paths %q, want %q; body %s", got, want, body)
		}
	}
}

func wantKind(kind string) func(*testing.T, *http.Response, []byte) {
	return func(t *testing.T, _ *http.Response, body []byte) {
		t.Helper()
		var pd problemDetails
		_ = json.Unmarshal(body, &pd)
		if pd.Type != defaultProblemTypeBase+kind {
			t.Errorf("type %q, want %q", pd.Type, defaultProblemTypeBase+kind)
		}
	}
}

func both(fs ...func(*testing.T, *http.Response, []byte)) func(*testing.T, *http.Response, []byte) {
	return func(t *testing.T, r *http.Response, b []byte) {
		t.Helper()
		for _, f := range fs {
			f(t, r, b)
		}
	}
}

// routeCase is one request of a table test and what its answer must be.
type routeCase struct {
	name   string
	x      exchange
	status int
	check  func(*testing.T, *http.Response, []byte)
}

func runRouteCases(t *testing.T, base string, cases []routeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := tc.x.do(t, base)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d; body %.400s", resp.StatusCode, tc.status, body)
			}
			if tc.check != nil {
				tc.check(t, resp, body)
			}
		})
	}
}

func TestRoutes(t *testing.T) {
	eng := newFakeEngine()
	ts := httptest.NewServer(New(eng, Config{Logger: discardLogger()}).Handler())
	defer ts.Close()
	defer http.DefaultClient.CloseIdleConnections()

	example := eng.example
	withProblem := mutate(t, example, func(m map[string]any) {
		m["requests"].(map[string]any)["newlyReceived"].(map[string]any)["total"] = 5
	})
	unknownTemplate := mutate(t, example, func(m map[string]any) { m["template"] = "no-such/1999" })
	noOrgan := mutate(t, example, func(m map[string]any) { delete(m, "organ") })
	tenMB := bytes.Repeat([]byte(" "), 10<<20)
	copy(tenMB, example)
	const js = "application/json"
	wantName := "𥔲嘉镇人民政府2024年度政府信息公开工作年度报告"

	fileNamed := func(ext, ctype string) func(*testing.T, *http.Response, []byte) {
		return func(t *testing.T, resp *http.Response, body []byte) {
			if got := resp.Header.Get("Content-Type"); got != ctype {
				t.Errorf("Content-Type %q, want %q", got, ctype)
			}
			_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
			if err != nil {
				t.Fatalf("Content-Disposition %q: %v", resp.Header.Get("Content-Disposition"), err)
			}
			// mime decodes filename* into filename.
			if params["filename"] != wantName+ext {
				t.Errorf("file name %q, want %q", params["filename"], wantName+ext)
			}
			if !strings.Contains(resp.Header.Get("Content-Disposition"), `filename="report`+ext+`"`) {
				t.Errorf("no ASCII fallback: %q", resp.Header.Get("Content-Disposition"))
			}
		}
	}

	runRouteCases(t, ts.URL, []routeCase{
		{"healthz", exchange{method: "GET", path: "/healthz", route: "/healthz"}, 200, nil},
		{"readyz", exchange{method: "GET", path: "/readyz", route: "/readyz"}, 200, nil},
		{"page", exchange{method: "GET", path: "/", route: "/"}, 200, func(t *testing.T, r *http.Response, b []byte) {
			if !bytes.Contains(b, []byte("<!doctype html>")) || r.Header.Get("Content-Security-Policy") == "" {
				t.Errorf("page: CSP %q, body %.80s", r.Header.Get("Content-Security-Policy"), b)
			}
		}},
		{"page script", exchange{method: "GET", path: "/assets/app.js", route: "/assets/{name}"}, 200, nil},
		{"page style", exchange{method: "GET", path: "/assets/app.css", route: "/assets/{name}"}, 200, nil},
		{"page icon", exchange{method: "GET", path: "/assets/icon.svg", route: "/assets/{name}"}, 200, nil},
		{"page asset missing", exchange{method: "GET", path: "/assets/nope.js", route: "/assets/{name}"}, 404, nil},
		{"openapi", exchange{method: "GET", path: "/api/v1/openapi.json", route: "/api/v1/openapi.json"}, 200, nil},
		{"problem types", exchange{method: "GET", path: "/problems/", route: "/problems/{kind}"}, 200, nil},
		{"problem type", exchange{method: "GET", path: "/problems/invalid-report", route: "/problems/{kind}"}, 200, nil},
		{"problem type unknown", exchange{method: "GET", path: "/problems/nope", route: "/problems/{kind}"}, 404, wantKind("not-found")},
		{"templates", exchange{method: "GET", path: "/api/v1/templates", route: "/api/v1/templates"}, 200, func(t *testing.T, _ *http.Response, b []byte) {
			if !bytes.Contains(b, []byte(`"id":"`+fakeTemplateID+`"`)) {
				t.Errorf("list: %s", b)
			}
		}},
		{"template", exchange{method: "GET", path: "/api/v1/templates/" + fakeTemplateID, route: "/api/v1/templates/{id}"}, 200, func(t *testing.T, _ *http.Response, b []byte) {
			var d struct{ Schema, Example map[string]any }
			if err := json.Unmarshal(b, &d); err != nil || d.Schema["type"] != "object" || d.Example["organ"] != "𥔲嘉镇人民政府" {
				t.Errorf("template detail: %v %s", err, b)
			}
		}},
		{"template escaped slash", exchange{method: "GET", path: "/api/v1/templates/" + url.PathEscape(fakeTemplateID), route: "/api/v1/templates/{id}"}, 200, nil},
		{"template unknown", exchange{method: "GET", path: "/api/v1/templates/gov-info-disclosure-annual/1999", route: "/api/v1/templates/{id}"}, 404, wantKind("not-found")},
		{"template empty id", exchange{method: "GET", path: "/api/v1/templates/", route: "/api/v1/templates/{id}"}, 404, nil},

		{"render pdf", exchange{method: "POST", path: "/api/v1/render?format=pdf", route: "/api/v1/render", contentType: js, body: example}, 200,
			both(fileNamed(".pdf", "application/pdf"), func(t *testing.T, r *http.Response, b []byte) {
				if !bytes.HasPrefix(b, []byte("%PDF-")) || r.Header.Get("Gongwen-Errors") != "" {
					t.Errorf("not a clean PDF: %q %.20q", r.Header.Get("Gongwen-Errors"), b)
				}
			})},
		{"render default format", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: "application/json; charset=utf-8", body: example}, 200,
			fileNamed(".pdf", "application/pdf")},
		{"render docx", exchange{method: "POST", path: "/api/v1/render?format=docx", route: "/api/v1/render", contentType: js, body: example}, 200,
			fileNamed(".docx", contentTypes[report.DOCX])},
		{"render ofd", exchange{method: "POST", path: "/api/v1/render?format=ofd&ofdStandard=a", route: "/api/v1/render", contentType: js, body: example}, 200,
			fileNamed(".ofd", "application/ofd")},
		{"render bad ofdStandard", exchange{method: "POST", path: "/api/v1/render?format=ofd&ofdStandard=a-2b", route: "/api/v1/render", contentType: js, body: example}, 400,
			both(wantKind("bad-parameter"), func(t *testing.T, _ *http.Response, b []byte) {
				if !bytes.Contains(b, []byte("ofdStandard")) || !bytes.Contains(b, []byte("a, none")) {
					t.Errorf("the problem does not name the parameter and its values: %s", b)
				}
			})},
		{"render bad format", exchange{method: "POST", path: "/api/v1/render?format=odt", route: "/api/v1/render", contentType: js, body: example}, 400, wantKind("bad-parameter")},
		{"render bad bool", exchange{method: "POST", path: "/api/v1/render?allowProblems=maybe", route: "/api/v1/render", contentType: js, body: example}, 400, wantKind("bad-parameter")},
		{"render bad lang", exchange{method: "POST", path: "/api/v1/render?lang=fr", route: "/api/v1/render", contentType: js, body: example}, 400, wantKind("bad-parameter")},
		{"render bad docxFonts", exchange{method: "POST", path: "/api/v1/render?format=docx&docxFonts=none", route: "/api/v1/render", contentType: js, body: example}, 400,
			both(wantKind("bad-parameter"), func(t *testing.T, _ *http.Response, b []byte) {
				if !bytes.Contains(b, []byte("docxFonts")) || !bytes.Contains(b, []byte("embedded, named")) {
					t.Errorf("the problem does not name the parameter and its values: %s", b)
				}
			})},
		{"render bad pdfStandard", exchange{method: "POST", path: "/api/v1/render?pdfStandard=a-4x", route: "/api/v1/render", contentType: js, body: example}, 400,
			both(wantKind("bad-parameter"), func(t *testing.T, _ *http.Response, b []byte) {
				if !bytes.Contains(b, []byte("pdfStandard")) || !bytes.Contains(b, []byte("a-1b, a-2b, a-3b, none")) {
					t.Errorf("the problem does not name the parameter and its values: %s", b)
				}
			})},
		{"render pdfStandard a-3b", exchange{method: "POST", path: "/api/v1/render?pdfStandard=a-3b", route: "/api/v1/render", contentType: js, body: example}, 200,
			fileNamed(".pdf", "application/pdf")},
		{"render bad created", exchange{method: "POST", path: "/api/v1/render?created=2025-13-40", route: "/api/v1/render", contentType: js, body: example}, 400,
			both(wantKind("bad-parameter"), func(t *testing.T, _ *http.Response, b []byte) {
				if !bytes.Contains(b, []byte("created")) || !bytes.Contains(b, []byte("RFC 3339")) {
					t.Errorf("the problem does not name the parameter and its forms: %s", b)
				}
			})},
		{"render created date", exchange{method: "POST", path: "/api/v1/render?created=2025-01-20&format=docx", route: "/api/v1/render", contentType: js, body: example}, 200,
			fileNamed(".docx", contentTypes[report.DOCX])},
		{"render malformed", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: js, body: []byte("{\n  \"organ\": \"x\",\n  \"year\": 2024,,\n}")}, 400,
			both(wantKind("malformed-report"), wantProblemPaths(""), func(t *testing.T, _ *http.Response, b []byte) {
				if !bytes.Contains(b, []byte("第 3 行第 16 列")) {
					t.Errorf("no line/column: %s", b)
				}
			})},
		{"render empty body", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: js, body: []byte{}}, 400, wantKind("malformed-report")},
		{"render array", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: js, body: []byte("[1,2]")}, 400, wantKind("malformed-report")},
		{"render 10 MB", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: js, body: tenMB}, 413, wantKind("body-too-large")},
		{"render 10 MB streamed", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: js, bodyReader: io.MultiReader(bytes.NewReader(tenMB))}, 413, wantKind("body-too-large")},
		{"render text/plain", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: "text/plain", body: example}, 415, wantKind("unsupported-media-type")},
		{"render form", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: "application/x-www-form-urlencoded", body: example}, 415, nil},
		{"render no content type", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", body: example}, 415, nil},
		{"render latin1", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: "application/json; charset=iso-8859-1", body: example}, 415, nil},
		{"render with problems", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: js, body: withProblem}, 422,
			both(wantKind("invalid-report"), wantProblemPaths("/requests/newlyReceived/total"))},
		{"render with problems en", exchange{method: "POST", path: "/api/v1/render?lang=en", route: "/api/v1/render", contentType: js, body: withProblem}, 422,
			func(t *testing.T, _ *http.Response, b []byte) {
				if !bytes.Contains(b, []byte("total should be 0, is 5")) {
					t.Errorf("problem not in English: %s", b)
				}
			}},
		{"render allowProblems", exchange{method: "POST", path: "/api/v1/render?allowProblems=true", route: "/api/v1/render", contentType: js, body: withProblem}, 200,
			func(t *testing.T, r *http.Response, b []byte) {
				if r.Header.Get("Gongwen-Errors") != "1" || !bytes.HasPrefix(b, []byte("%PDF-")) {
					t.Errorf("Gongwen-Errors %q, body %.20q", r.Header.Get("Gongwen-Errors"), b)
				}
			}},
		{"render unknown template", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: js, body: unknownTemplate}, 422, wantKind("unknown-template")},
		{"render not understood", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: js, body: noOrgan}, 422, wantProblemPaths("/organ")},

		{"validate ok", exchange{method: "POST", path: "/api/v1/validate", route: "/api/v1/validate", contentType: js, body: example}, 200,
			func(t *testing.T, _ *http.Response, b []byte) {
				if string(b) != `{"valid":true,"problems":[]}`+"\n" {
					t.Errorf("validate: %s", b)
				}
			}},
		{"validate problems", exchange{method: "POST", path: "/api/v1/validate", route: "/api/v1/validate", contentType: js, body: withProblem}, 200,
			both(wantProblemPaths("/requests/newlyReceived/total"), func(t *testing.T, _ *http.Response, b []byte) {
				if !bytes.Contains(b, []byte(`"valid":false`)) || !bytes.Contains(b, []byte(`"expected":0,"actual":5`)) {
					t.Errorf("validate: %s", b)
				}
			})},
		{"validate malformed", exchange{method: "POST", path: "/api/v1/validate", route: "/api/v1/validate", contentType: js, body: []byte(`{"organ":`)}, 400, wantKind("malformed-report")},
		{"validate 10 MB", exchange{method: "POST", path: "/api/v1/validate", route: "/api/v1/validate", contentType: js, body: tenMB}, 413, nil},
		{"validate wrong type", exchange{method: "POST", path: "/api/v1/validate", route: "/api/v1/validate", contentType: "text/csv", body: example}, 415, nil},
		{"validate unknown template", exchange{method: "POST", path: "/api/v1/validate?lang=en", route: "/api/v1/validate", contentType: js, body: unknownTemplate}, 422, wantKind("unknown-template")},

		{"preview", exchange{method: "POST", path: "/api/v1/preview", route: "/api/v1/preview", contentType: js, body: withProblem}, 200,
			func(t *testing.T, _ *http.Response, b []byte) {
				var p preview
				if err := json.Unmarshal(b, &p); err != nil || p.Document == nil {
					t.Fatalf("preview: %v %s", err, b)
				}
				found := false
				for _, blk := range p.Document.Blocks {
					for _, row := range blk.Rows {
						for _, c := range row {
							found = found || c.Path == p.Problems[0].Path && c.Text == "5"
						}
					}
				}
				if !found || p.FileName != wantName {
					t.Errorf("no cell for the problem's path %q, or file name %q", p.Problems[0].Path, p.FileName)
				}
			}},
		{"preview not understood", exchange{method: "POST", path: "/api/v1/preview", route: "/api/v1/preview", contentType: js, body: noOrgan}, 200,
			func(t *testing.T, _ *http.Response, b []byte) {
				if !bytes.Contains(b, []byte(`"document":null`)) {
					t.Errorf("preview: %s", b)
				}
			}},

		{"metrics", exchange{method: "GET", path: "/metrics", route: "/metrics"}, 200, func(t *testing.T, _ *http.Response, b []byte) {
			for _, m := range []string{
				`gongwen_http_requests_total{method="POST",route="/api/v1/render",status="422"} 4`,
				`gongwen_http_requests_total{method="GET",route="/api/v1/templates/*id",status="404"} 2`,
				`gongwen_http_request_duration_seconds_count{method="POST",route="/api/v1/render",status="413"} 2`,
				`gongwen_render_duration_seconds_count{format="pdf",template="gov-info-disclosure-annual/2021"} 4`,
				`gongwen_render_duration_seconds_count{format="docx",template="gov-info-disclosure-annual/2021"} 2`,
				`gongwen_report_problems_total{rule="R1",severity="error"}`,
				"gongwen_renders_in_flight 0", "gongwen_pool_waiting 0", "gongwen_pool_wait_seconds_count", "process_resident_memory_bytes",
			} {
				if !bytes.Contains(b, []byte(m)) {
					t.Errorf("metrics lack %s", m)
				}
			}
		}},
		{"preview malformed", exchange{method: "POST", path: "/api/v1/preview", route: "/api/v1/preview", contentType: js, body: []byte("{organ}")}, 400, wantKind("malformed-report")},
		{"preview 10 MB", exchange{method: "POST", path: "/api/v1/preview", route: "/api/v1/preview", contentType: js, body: tenMB}, 413, nil},
		{"preview wrong type", exchange{method: "POST", path: "/api/v1/preview", route: "/api/v1/preview", contentType: "text/xml", body: example}, 415, nil},
		{"preview broken form", exchange{method: "POST", path: "/api/v1/preview", route: "/api/v1/preview", contentType: "multipart/form-data; boundary=x", body: example}, 400, wantKind("bad-form")},
		{"validate form", exchange{method: "POST", path: "/api/v1/validate", route: "/api/v1/validate", contentType: formType, body: form(t, "report", example, "previous", example)}, 200,
			func(t *testing.T, _ *http.Response, b []byte) {
				if string(b) != `{"valid":true,"problems":[]}`+"\n" {
					t.Errorf("validate: %s", b)
				}
			}},
		{"validate form without report", exchange{method: "POST", path: "/api/v1/validate", route: "/api/v1/validate", contentType: formType, body: form(t, "previous", example)}, 400, wantKind("bad-form")},
		{"validate form unknown part", exchange{method: "POST", path: "/api/v1/validate", route: "/api/v1/validate", contentType: formType, body: form(t, "report", example, "lastYear", example)}, 400, wantKind("bad-form")},
		{"render form", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: formType, body: form(t, "report", example)}, 200, fileNamed(".pdf", "application/pdf")},
		{"render form 10 MB", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: formType, bodyReader: bytes.NewReader(form(t, "report", example, "previous", tenMB))}, 413, wantKind("body-too-large")},

		{"next year", exchange{method: "POST", path: "/api/v1/next-year", route: "/api/v1/next-year", contentType: js, body: example}, 200,
			func(t *testing.T, r *http.Response, b []byte) {
				if !bytes.Contains(b, []byte(`"year":2025`)) || r.Header.Get("Content-Type") != "application/json; charset=utf-8" {
					t.Errorf("next year: %s %s", r.Header.Get("Content-Type"), b)
				}
			}},
		{"next year malformed", exchange{method: "POST", path: "/api/v1/next-year", route: "/api/v1/next-year", contentType: js, body: []byte(`{"organ":`)}, 400, wantKind("malformed-report")},
		{"next year unknown template", exchange{method: "POST", path: "/api/v1/next-year", route: "/api/v1/next-year", contentType: js, body: unknownTemplate}, 422, wantKind("unknown-template")},
		{"next year 10 MB", exchange{method: "POST", path: "/api/v1/next-year", route: "/api/v1/next-year", contentType: js, body: tenMB}, 413, nil},
		{"next year text", exchange{method: "POST", path: "/api/v1/next-year", route: "/api/v1/next-year", contentType: "text/plain", body: example}, 415, nil},
		{"preview unknown template", exchange{method: "POST", path: "/api/v1/preview", route: "/api/v1/preview", contentType: js, body: unknownTemplate}, 422, wantKind("unknown-template")},

		{"no route", exchange{method: "GET", path: "/api/v2/render"}, 404, wantKind("not-found")},
		{"wrong method", exchange{method: "DELETE", path: "/api/v1/render"}, 405, both(wantKind("method-not-allowed"), func(t *testing.T, r *http.Response, _ []byte) {
			if r.Header.Get("Allow") != "POST" {
				t.Errorf("Allow %q", r.Header.Get("Allow"))
			}
		})},
		{"GET render", exchange{method: "GET", path: "/api/v1/render"}, 405, nil},
		{"request id kept", exchange{method: "GET", path: "/healthz", route: "/healthz", header: map[string]string{"X-Request-Id": "abc-123"}}, 200,
			func(t *testing.T, r *http.Response, _ []byte) {
				if r.Header.Get("X-Request-Id") != "abc-123" {
					t.Errorf("request id %q", r.Header.Get("X-Request-Id"))
				}
			}},
		{"request id replaced", exchange{method: "GET", path: "/healthz", route: "/healthz", header: map[string]string{"X-Request-Id": "<script>"}}, 200,
			func(t *testing.T, r *http.Response, _ []byte) {
				if r.Header.Get("X-Request-Id") == "<script>" {
					t.Errorf("unsafe request id echoed")
				}
			}},
		{"cors off", exchange{method: "GET", path: "/api/v1/templates", route: "/api/v1/templates", header: map[string]string{"Origin": "https://evil.example"}}, 200,
			func(t *testing.T, r *http.Response, _ []byte) {
				if r.Header.Get("Access-Control-Allow-Origin") != "" {
					t.Errorf("CORS header without configuration")
				}
			}},
	})
}

func TestReadyzNotReady(t *testing.T) {
	eng := newFakeEngine()
	eng.templates = nil
	ts := httptest.NewServer(New(eng, Config{Logger: discardLogger()}).Handler())
	defer ts.Close()
	resp, _ := exchange{method: "GET", path: "/readyz", route: "/readyz"}.do(t, ts.URL)
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Errorf("readyz without templates: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

// fontlessEngine is an engine whose font book did not open.
type fontlessEngine struct{ *fakeEngine }

func (fontlessEngine) FontsReady() error { return errors.New("open /usr/share/fonts: no such file") }

func TestNoFonts(t *testing.T) {
	eng := fontlessEngine{newFakeEngine()}
	ts := httptest.NewServer(New(eng, Config{Logger: discardLogger()}).Handler())
	defer ts.Close()
	runRouteCases(t, ts.URL, []routeCase{
		{"readyz", exchange{method: "GET", path: "/readyz", route: "/readyz"}, 503, wantKind("not-ready")},
		{"pdf", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: "application/json", body: eng.example}, 503,
			func(t *testing.T, r *http.Response, b []byte) {
				if bytes.Contains(b, []byte("/usr/share/fonts")) || r.Header.Get("Retry-After") == "" {
					t.Errorf("%s", b)
				}
			}},
		{"docx still works", exchange{method: "POST", path: "/api/v1/render?format=docx", route: "/api/v1/render", contentType: "application/json", body: eng.example}, 200, nil},
		{"validate still works", exchange{method: "POST", path: "/api/v1/validate", route: "/api/v1/validate", contentType: "application/json", body: eng.example}, 200, nil},
	})
}

func TestAuth(t *testing.T) {
	ts := httptest.NewServer(New(newFakeEngine(), Config{Logger: discardLogger(), Token: "s3cret"}).Handler())
	defer ts.Close()
	bearer := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
	for _, tc := range []struct {
		x      exchange
		status int
	}{
		{exchange{method: "GET", path: "/api/v1/templates", route: "/api/v1/templates"}, 401},
		{exchange{method: "GET", path: "/api/v1/templates", route: "/api/v1/templates", header: bearer("wrong")}, 401},
		{exchange{method: "GET", path: "/api/v1/templates", route: "/api/v1/templates", header: bearer("s3cret")}, 200},
		{exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: "application/json", body: []byte("{}")}, 401},
		{exchange{method: "GET", path: "/metrics", route: "/metrics"}, 401},
		{exchange{method: "GET", path: "/metrics", route: "/metrics", header: bearer("s3cret")}, 200},
		{exchange{method: "POST", path: "/api/v1/validate", route: "/api/v1/validate", contentType: "application/json", body: []byte("{}")}, 401},
		{exchange{method: "POST", path: "/api/v1/preview", route: "/api/v1/preview", contentType: "application/json", body: []byte("{}")}, 401},
		{exchange{method: "POST", path: "/api/v1/next-year", route: "/api/v1/next-year", contentType: "application/json", body: []byte("{}")}, 401},
		{exchange{method: "POST", path: "/api/v1/batch", route: "/api/v1/batch", contentType: "application/zip", body: []byte("PK")}, 401},
		{exchange{method: "GET", path: "/api/v1/templates/" + fakeTemplateID, route: "/api/v1/templates/{id}"}, 401},
		{exchange{method: "GET", path: "/api/v1/openapi.json", route: "/api/v1/openapi.json"}, 401},
		{exchange{method: "GET", path: "/api/v1/openapi.json", route: "/api/v1/openapi.json", header: bearer("s3cret")}, 200},
		{exchange{method: "GET", path: "/healthz", route: "/healthz"}, 200},
		{exchange{method: "GET", path: "/readyz", route: "/readyz"}, 200},
		{exchange{method: "GET", path: "/", route: "/"}, 200},
		{exchange{method: "GET", path: "/assets/app.js", route: "/assets/{name}"}, 200},
	} {
		resp, _ := tc.x.do(t, ts.URL)
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s %v: %d, want %d", tc.x.method, tc.x.path, tc.x.header, resp.StatusCode, tc.status)
		}
		if resp.StatusCode == 401 && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("401 without WWW-Authenticate")
		}
	}
}

func TestCORSConfigured(t *testing.T) {
	ts := httptest.NewServer(New(newFakeEngine(), Config{Logger: discardLogger(), CORSOrigins: []string{"https://oa.gov.example"}}).Handler())
	defer ts.Close()
	pre := exchange{method: "OPTIONS", path: "/api/v1/render", header: map[string]string{"Origin": "https://oa.gov.example", "Access-Control-Request-Method": "POST"}}
	resp, _ := pre.do(t, ts.URL)
	if resp.StatusCode != 204 || resp.Header.Get("Access-Control-Allow-Origin") != "https://oa.gov.example" || !strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
	other := exchange{method: "GET", path: "/api/v1/templates", route: "/api/v1/templates", header: map[string]string{"Origin": "https://evil.example"}}
	if resp, _ := other.do(t, ts.URL); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("CORS allowed an unlisted origin")
	}
}

// TestSaturated fills the pool and its queue; the next engine call gets 503
// with Retry-After at once instead of waiting, on every engine route.
func TestSaturated(t *testing.T) {
	for _, route := range []string{"/api/v1/render", "/api/v1/validate", "/api/v1/preview"} {
		t.Run(route, func(t *testing.T) {
			eng := newFakeEngine()
			entered, unblock := make(chan struct{}, 8), make(chan struct{})
			eng.hook = func(ctx context.Context) error {
				entered <- struct{}{}
				select {
				case <-unblock:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			s := New(eng, Config{Logger: discardLogger(), PoolSize: 1, QueueDepth: 1})
			ts := httptest.NewServer(s.Handler())
			defer ts.Close()
			x := exchange{method: "POST", path: route, route: route, contentType: "application/json", body: eng.example}
			var wg sync.WaitGroup
			statuses := make(chan int, 2)
			for range 2 { // one runs, one queues
				wg.Go(func() {
					resp, err := http.Post(ts.URL+route, "application/json", bytes.NewReader(eng.example))
					if err != nil {
						statuses <- 0
						return
					}
					resp.Body.Close()
					statuses <- resp.StatusCode
				})
			}
			<-entered
			waitFor(t, func() bool { return s.pool.busy() == 1 && s.pool.waiting() == 1 })
			resp, _ := x.do(t, ts.URL)
			if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
				t.Errorf("saturated: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
			}
			close(unblock)
			wg.Wait()
			close(statuses)
			for st := range statuses {
				if st != 200 {
					t.Errorf("admitted call got %d", st)
				}
			}
		})
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestTimeout(t *testing.T) {
	eng := newFakeEngine()
	eng.hook = func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }
	ts := httptest.NewServer(New(eng, Config{Logger: discardLogger(), RequestTimeout: 50 * time.Millisecond}).Handler())
	defer ts.Close()
	resp, body := exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: "application/json", body: eng.example}.do(t, ts.URL)
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" || !bytes.Contains(body, []byte("timeout")) {
		t.Errorf("timeout: %d %s", resp.StatusCode, body)
	}
}

// TestInternalErrorsStayInTheLog: whatever the engine's error says reaches
// the log with the request id, and the client sees only a generic text.
func TestInternalErrorsStayInTheLog(t *testing.T) {
	for name, hook := range map[string]func(context.Context) error{
		"error": func(context.Context) error { return errors.New("open /srv/secret/fonts/simsun.ttf: permission denied") },
		"panic": func(context.Context) error { panic("index out of range in /srv/secret/fonts/simsun.ttf") },
	} {
		t.Run(name, func(t *testing.T) {
			eng := newFakeEngine()
			eng.hook = hook
			var logs syncBuffer
			ts := httptest.NewServer(New(eng, Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))}).Handler())
			defer ts.Close()
			for _, path := range []string{"/api/v1/render", "/api/v1/validate", "/api/v1/preview"} {
				resp, body := exchange{method: "POST", path: path, route: path, contentType: "application/json", body: eng.example}.do(t, ts.URL)
				if resp.StatusCode != 500 || bytes.Contains(body, []byte("secret")) {
					t.Errorf("%s: %d %s", path, resp.StatusCode, body)
				}
				id := resp.Header.Get("X-Request-Id")
				if !strings.Contains(logs.String(), id) || !strings.Contains(logs.String(), "/srv/secret/fonts/simsun.ttf") {
					t.Errorf("%s: log lacks the request id %s or the error:\n%s", path, id, logs.String())
				}
			}
		})
	}
}

func TestContentDisposition(t *testing.T) {
	for _, tc := range []struct{ name, ext, want string }{
		{"𥔲嘉镇人民政府2024年度政府信息公开工作年度报告", ".pdf",
			`attachment; filename="report.pdf"; filename*=UTF-8''%F0%A5%94%B2%E5%98%89%E9%95%87%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C2024%E5%B9%B4%E5%BA%A6%E6%94%BF%E5%BA%9C%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80%E5%B7%A5%E4%BD%9C%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.pdf`},
		{"Foo Bureau 2024", ".docx", `attachment; filename="FooBureau2024.docx"; filename*=UTF-8''Foo%20Bureau%202024.docx`},
		{`a"b;c/d`, ".pdf", `attachment; filename="abcd.pdf"; filename*=UTF-8''a%22b%3Bc%2Fd.pdf`},
		{"", ".pdf", `attachment; filename="report.pdf"`},
		{"a:b@c=d", ".pdf", `attachment; filename="abcd.pdf"; filename*=UTF-8''a%3Ab%40c%3Dd.pdf`},
	} {
		got := contentDisposition(tc.name, tc.ext)
		if got != tc.want {
			t.Errorf("contentDisposition(%q)\n got %s\nwant %s", tc.name, got, tc.want)
		}
		if _, params, err := mime.ParseMediaType(got); err != nil || tc.name != "" && params["filename"] != tc.name+tc.ext {
			t.Errorf("%s does not parse back: %v %v", got, params, err)
		}
	}
}

func httptestRecorder(s *Server, method, path string) int {
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec.Code
}
