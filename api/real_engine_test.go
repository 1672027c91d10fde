package api

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"gongwen/internal/testkit"
	"gongwen/problem"
	"gongwen/report"

	"gongwen/render/ofd"
	"gongwen/render/ofd/ofdcheck"
)

// TestMain checks, after a full run, that no goroutine leaked and that the
// tests provoked every response the OpenAPI document describes.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: %v\n", err)
			code = 1
		}
	}
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && !testing.Short() {
		if missing := spec().unexercised(); len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "openapi.json documents responses no test provoked:\n  %s\n", strings.Join(missing, "\n  "))
			code = 1
		}
	}
	os.Exit(code)
}

// pipeline dates documents without their own date at a fixed time, so
// that renders compare byte for byte; TestRenderDatedToday uses the clock.
var pipeline = sync.OnceValues(func() (*report.Pipeline, error) {
	return report.New(report.Config{Version: "test", Now: func() time.Time { return time.Date(2025, 1, 20, 9, 30, 0, 0, time.UTC) }})
})

// realEngine is the production pipeline (templates, fonts, PDF and DOCX
// backends). Without usable fonts PDF output is impossible; that is a skip
// on a bare machine and a failure in CI (GONGWEN_REQUIRE_TOOLS=1).
func realEngine(t testing.TB) *report.Pipeline {
	t.Helper()
	p, err := pipeline()
	if err != nil {
		t.Fatalf("report.New: %v", err)
	}
	if err := p.FontsReady(); err != nil {
		testkit.Missing(t, "fonts (scripts/setup-fonts.sh): %v", err)
	}
	return p
}

func realExample(t testing.TB, p *report.Pipeline) []byte {
	t.Helper()
	ti, ok := p.Template(fakeTemplateID)
	if !ok {
		t.Fatalf("template %s not loaded", fakeTemplateID)
	}
	return ti.Example
}

// brokenReport is the example with one wrong count in table 表三: the
// consistency rules must name the cell.
func brokenReport(t testing.TB, example []byte) []byte {
	return mutate(t, example, func(m map[string]any) {
		m["requests"].(map[string]any)["newlyReceived"].(map[string]any)["natural"] = 3
	})
}

func TestRealEngineRoutes(t *testing.T) {
	p := realEngine(t)
	example := realExample(t, p)
	broken := brokenReport(t, example)
	brokenOutcome, err := p.Validate(context.Background(), broken, report.DefaultOptions())
	if err != nil || brokenOutcome.Valid() {
		t.Fatalf("the broken report should have errors: %v", err)
	}
	var errorPaths []string
	for _, pr := range brokenOutcome.Problems {
		if pr.Severity == problem.Error {
			errorPaths = append(errorPaths, pr.Path)
		}
	}
	ts := newTestServer(t, New(p, Config{Logger: discardLogger()}))
	const js = "application/json"
	runRouteCases(t, ts.URL, []routeCase{
		{"readyz", exchange{method: "GET", path: "/readyz", route: "/readyz"}, 200, nil},
		{"template", exchange{method: "GET", path: "/api/v1/templates/" + fakeTemplateID, route: "/api/v1/templates/{id}"}, 200, nil},
		{"template unknown", exchange{method: "GET", path: "/api/v1/templates/nope/2021", route: "/api/v1/templates/{id}"}, 404, nil},
		{"render pdf", exchange{method: "POST", path: "/api/v1/render?format=pdf", route: "/api/v1/render", contentType: js, body: example}, 200,
			func(t *testing.T, r *http.Response, b []byte) {
				checkPDF(t, b)
				if r.Header.Get("Gongwen-Errors") != "" {
					t.Errorf("the valid example (only notices) rendered with Gongwen-Errors %q", r.Header.Get("Gongwen-Errors"))
				}
				if !strings.Contains(r.Header.Get("Content-Disposition"), "filename*=UTF-8''%F0%A5%94%B2%E5%98%89%E9%95%87") {
					t.Errorf("Content-Disposition %q", r.Header.Get("Content-Disposition"))
				}
			}},
		{"render docx", exchange{method: "POST", path: "/api/v1/render?format=docx", route: "/api/v1/render", contentType: js, body: example}, 200,
			func(t *testing.T, _ *http.Response, b []byte) {
				if !bytes.HasPrefix(b, []byte("PK\x03\x04")) {
					t.Errorf("not a zip: %.8q", b)
				}
			}},
		{"render docx named fonts", exchange{method: "POST", path: "/api/v1/render?format=docx&docxFonts=named", route: "/api/v1/render", contentType: js, body: example}, 200,
			func(t *testing.T, _ *http.Response, b []byte) {
				zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range zr.File {
					if strings.HasPrefix(f.Name, "word/fonts/") {
						t.Errorf("docxFonts=named: the DOCX embeds %s", f.Name)
					}
				}
			}},
		{"render ofd-a", exchange{method: "POST", path: "/api/v1/render?format=ofd&ofdStandard=a", route: "/api/v1/render", contentType: js, body: example}, 200,
			func(t *testing.T, r *http.Response, b []byte) {
				pkg, err := ofdcheck.Check(b)
				if err != nil {
					t.Fatal(err)
				}
				if pkg.DocType != "OFD-A" || r.Header.Get("Content-Type") != "application/ofd" {
					t.Errorf("DocType %s, Content-Type %s", pkg.DocType, r.Header.Get("Content-Type"))
				}
				if a, err := ofd.ReadArchived(b); err != nil || a.Source == nil || !bytes.Equal(a.Source.Data, example) {
					t.Errorf("the report is not attached as received: %v", err)
				}
			}},
		{"batch ofd-a", exchange{method: "POST", path: "/api/v1/batch?format=ofd&ofdStandard=a", route: "/api/v1/batch", contentType: "application/x-ndjson", body: append(compactJSON(t, example), '\n')}, 200,
			func(t *testing.T, _ *http.Response, b []byte) {
				zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, f := range zr.File {
					if !strings.HasSuffix(f.Name, ".ofd") {
						continue
					}
					rc, _ := f.Open()
					data, _ := io.ReadAll(rc)
					rc.Close()
					if pkg, err := ofdcheck.Check(data); err != nil || pkg.DocType != "OFD-A" {
						t.Errorf("%s: %v", f.Name, err)
					}
					n++
				}
				if n != 1 {
					t.Errorf("%d OFD files in the batch answer", n)
				}
			}},
		{"render broken", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: js, body: broken}, 422,
			func(t *testing.T, _ *http.Response, b []byte) {
				got := problemsOf(t, b)
				for _, want := range errorPaths {
					if !strings.Contains(strings.Join(got, " "), want) {
						t.Errorf("422 lacks problem at %s: %s", want, b)
					}
				}
			}},
		{"render broken allowProblems", exchange{method: "POST", path: "/api/v1/render?allowProblems=true", route: "/api/v1/render", contentType: js, body: broken}, 200,
			func(t *testing.T, r *http.Response, b []byte) {
				checkPDF(t, b)
				if r.Header.Get("Gongwen-Errors") == "" {
					t.Errorf("no Gongwen-Errors header")
				}
			}},
		{"template form", exchange{method: "GET", path: "/api/v1/templates/" + fakeTemplateID, route: "/api/v1/templates/{id}"}, 200,
			func(t *testing.T, _ *http.Response, b []byte) {
				if !bytes.Contains(b, []byte(`"name":"表三 （一）予以公开 自然人"`)) || !bytes.Contains(b, []byte(`"nextYear":true`)) {
					t.Errorf("no form in the template: %.300s", b)
				}
			}},
		{"validate with last year", exchange{method: "POST", path: "/api/v1/validate", route: "/api/v1/validate", contentType: formType,
			body: form(t, "report", example, "previous", mutate(t, example, func(m map[string]any) {
				m["year"] = 2023
				m["requests"].(map[string]any)["carriedForward"].(map[string]any)["natural"] = 2
			}))}, 200,
			func(t *testing.T, _ *http.Response, b []byte) {
				if !bytes.Contains(b, []byte(`"rule":"Y1","path":"/requests/carriedOver/natural"`)) || !bytes.Contains(b, []byte(`"valid":true`)) {
					t.Errorf("no cross-year warning: %s", b)
				}
			}},
		{"next year", exchange{method: "POST", path: "/api/v1/next-year", route: "/api/v1/next-year", contentType: js, body: example}, 200,
			func(t *testing.T, _ *http.Response, b []byte) {
				var d map[string]any
				if err := json.Unmarshal(b, &d); err != nil || d["year"] != 2025.0 || d["requests"] == nil {
					t.Errorf("draft: %v %s", err, b)
				}
			}},
		{"validate broken", exchange{method: "POST", path: "/api/v1/validate", route: "/api/v1/validate", contentType: js, body: broken}, 200, nil},
		{"preview", exchange{method: "POST", path: "/api/v1/preview", route: "/api/v1/preview", contentType: js, body: broken}, 200,
			func(t *testing.T, _ *http.Response, b []byte) {
				for _, want := range errorPaths {
					if !bytes.Contains(b, []byte(`"path":"`+want+`"`)) {
						t.Errorf("no cell or problem at %s", want)
					}
				}
			}},
		{"render unknown template", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: js,
			body: mutate(t, example, func(m map[string]any) { m["template"] = "nope/2021" })}, 422, wantKind("unknown-template")},
		{"render unknown key", exchange{method: "POST", path: "/api/v1/render?normalizePunctuation=false", route: "/api/v1/render", contentType: js,
			body: mutate(t, example, func(m map[string]any) { m["organs"] = "typo" })}, 422, wantProblemPaths("/organs")},
		{"render malformed", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: js, body: []byte(`{"organ": "x",}`)}, 400, wantKind("malformed-report")},
		{"render 10 MB", exchange{method: "POST", path: "/api/v1/render", route: "/api/v1/render", contentType: js, body: append(bytes.Repeat([]byte(" "), 10<<20), example...)}, 413, nil},
		{"batch", exchange{method: "POST", path: "/api/v1/batch?format=pdf,docx", route: "/api/v1/batch", contentType: "application/zip",
			body: zipOf(t, map[string][]byte{"a.json": example, "b.json": broken})}, 200,
			func(t *testing.T, _ *http.Response, b []byte) {
				names, m := unzip(t, b)
				if m.Summary.Inputs != 2 || m.Summary.Rendered != 1 || m.Summary.Failed != 1 || len(names) != 3 {
					t.Errorf("summary %+v, entries %q", m.Summary, names)
				}
			}},
	})
}

// checkPDF checks b with a real PDF reader when one is installed.
func checkPDF(t *testing.T, b []byte) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.16q", b)
	}
	cmd := exec.Command(testkit.Tool(t, "pdfinfo"), "-")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("年度政府信息公开工作年度报告")) {
		t.Errorf("pdfinfo: %v\n%s", err, out)
	}
}

type testServer struct {
	URL    string
	client *http.Client
}

// newTestServer runs s on a loopback port through Serve (the production
// path, with graceful shutdown) and stops it when the test ends.
func newTestServer(t *testing.T, s *Server) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		http.DefaultClient.CloseIdleConnections()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return &testServer{URL: "http://" + ln.Addr().String()}
}

// TestConcurrentRenders: 50 renders of the example at once all succeed with
// identical bytes, and after shutdown no goroutine is left behind.
func TestConcurrentRenders(t *testing.T) {
	p := realEngine(t)
	example := realExample(t, p)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())

	s := New(p, Config{Logger: discardLogger()})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	transport := &http.Transport{MaxIdleConnsPerHost: 50}
	client := &http.Client{Transport: transport, Timeout: time.Minute}
	url := "http://" + ln.Addr().String() + "/api/v1/render?format=pdf"

	const n = 50
	sums := make([][32]byte, n)
	errs := make([]error, n)
	var start, wg sync.WaitGroup
	start.Add(1)
	for i := range n {
		wg.Go(func() {
			start.Wait()
			resp, err := client.Post(url, "application/json", bytes.NewReader(example))
			if err != nil {
				errs[i] = err
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			if err == nil && resp.StatusCode != 200 {
				err = &statusError{resp.StatusCode, string(b)}
			}
			errs[i], sums[i] = err, sha256.Sum256(b)
		})
	}
	start.Done()
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Errorf("render %d: %v", i, errs[i])
		} else if sums[i] != sums[0] {
			t.Errorf("render %d differs from render 0", i)
		}
	}
	transport.CloseIdleConnections()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

type statusError struct {
	status int
	body   string
}

func (e *statusError) Error() string { return http.StatusText(e.status) + ": " + e.body }

// TestGracefulShutdown: a render in flight when shutdown starts still gets
// its file; readiness fails meanwhile; Serve returns only after it; no
// goroutine is left.
func TestGracefulShutdown(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	eng := newFakeEngine()
	entered, unblock := make(chan struct{}), make(chan struct{})
	eng.hook = func(ctx context.Context) error {
		close(entered)
		<-unblock
		return nil
	}
	s := New(eng, Config{Logger: discardLogger()})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	transport := &http.Transport{}
	client := &http.Client{Transport: transport}
	defer transport.CloseIdleConnections()

	result := make(chan *http.Response, 1)
	go func() {
		resp, err := client.Post(base+"/api/v1/render", "application/json", bytes.NewReader(eng.example))
		if err != nil {
			t.Errorf("in-flight render: %v", err)
			result <- nil
			return
		}
		result <- resp
	}()
	<-entered
	cancel() // as SIGTERM does in `gongwen serve`
	waitFor(t, s.draining.Load)
	rec := httptestRecorder(s, "GET", "/readyz")
	if rec != http.StatusServiceUnavailable {
		t.Errorf("readyz while draining: %d", rec)
	}
	select {
	case err := <-done:
		t.Fatalf("Serve returned with a render in flight: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(unblock)
	resp := <-result
	if resp == nil {
		t.FailNow()
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("in-flight render after shutdown began: %d %.40q", resp.StatusCode, b)
	}
	if err := <-done; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if _, err := client.Get(base + "/healthz"); err == nil {
		t.Errorf("server still accepts connections after shutdown")
	}
}

// compactJSON is one NDJSON line of a report.
func compactJSON(t *testing.T, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
