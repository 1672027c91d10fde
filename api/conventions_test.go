package api

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// HEAD answers on every GET route like GET without a body (issue 14 item
// 14), routes added later included: the routes come from the router.
func TestHeadOnEveryGetRoute(t *testing.T) {
	s := New(newFakeEngine(), Config{Logger: discardLogger()})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	concrete := map[string]string{"/assets/:name": "/assets/app.js", "/api/v1/templates/*id": "/api/v1/templates/" + fakeTemplateID,
		"/problems/*kind": "/problems/busy"}
	n := 0
	for _, r := range s.router.Routes() {
		if r.Method != http.MethodGet {
			continue
		}
		path := r.Path
		if c, ok := concrete[path]; ok {
			path = c
		} else if strings.ContainsAny(path, ":*") {
			t.Fatalf("route %s: add a concrete path to this test", path)
		}
		n++
		get, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		get.Body.Close()
		head, err := http.Head(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(head.Body)
		head.Body.Close()
		if head.StatusCode != get.StatusCode || len(body) != 0 || head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
			t.Errorf("HEAD %s: %d %q, %d body bytes; GET: %d %q", path, head.StatusCode, head.Header.Get("Content-Type"), len(body), get.StatusCode, get.Header.Get("Content-Type"))
		}
	}
	if n < 8 {
		t.Errorf("only %d GET routes checked", n)
	}
	// HEAD on a POST-only route is still 405, on no route 404.
	for path, want := range map[string]int{"/api/v1/render": 405, "/nope": 404} {
		resp, err := http.Head(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("HEAD %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
}

// Accept-Language picks the message language when lang is absent; lang
// still wins (item 15).
func TestAcceptLanguage(t *testing.T) {
	for header, want := range map[string]string{
		"en": "en", "en-US,en;q=0.9": "en", "zh-CN,zh;q=0.9,en;q=0.8": "zh", "fr, en;q=0.5": "en",
		"en;q=0.2, zh;q=0.8": "zh", "fr": "", "": "", "en;q=0": "", "*": "",
	} {
		if got := acceptLanguage(header); got != want {
			t.Errorf("Accept-Language %q: %q, want %q", header, got, want)
		}
	}
	ts := httptest.NewServer(New(newFakeEngine(), Config{Logger: discardLogger()}).Handler())
	defer ts.Close()
	for _, c := range []struct {
		query, header string
		english       bool
	}{{"", "en-GB,en;q=0.9", true}, {"?lang=zh", "en", false}, {"", "", false}, {"?lang=EN-us", "", true}} {
		req, _ := http.NewRequest("POST", ts.URL+"/api/v1/validate"+c.query, strings.NewReader("{"))
		req.Header.Set("Content-Type", "application/json")
		if c.header != "" {
			req.Header.Set("Accept-Language", c.header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		checkProblemDocument(t, resp, body, c.english)
	}
}

// Problem type URIs resolve to a page documenting the kind, on a base the
// operator may set (item 15).
func TestProblemTypesResolve(t *testing.T) {
	ts := httptest.NewServer(New(newFakeEngine(), Config{Logger: discardLogger()}).Handler())
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/nope")
	if err != nil {
		t.Fatal(err)
	}
	var pd problemDetails
	json.NewDecoder(resp.Body).Decode(&pd)
	resp.Body.Close()
	if pd.Type != "/problems/not-found" {
		t.Fatalf("type %q", pd.Type)
	}
	page, err := http.Get(ts.URL + pd.Type) // a reference resolved against the request URL
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != 200 || !bytes.Contains(b, []byte("未找到")) || !bytes.Contains(b, []byte("Not found")) {
		t.Errorf("GET %s: %d %.200s", pd.Type, page.StatusCode, b)
	}
	// Every kind classify can produce is documented: the kinds written in
	// errors.go are exactly those of the generated page.
	src, err := readSource("errors.go")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, d := range problemTypeDocs() {
		documented[d.kind] = true
	}
	for _, m := range regexp.MustCompile(`kind: "([a-z-]+)"`).FindAllStringSubmatch(src, -1) {
		if !documented[m[1]] {
			t.Errorf("kind %q is not documented at /problems/: add an error of that kind to representativeErrors", m[1])
		}
	}
	custom := httptest.NewServer(New(newFakeEngine(), Config{Logger: discardLogger(), ProblemTypeBase: "https://docs.example.gov.cn/gongwen/problems/"}).Handler())
	defer custom.Close()
	resp, err = http.Get(custom.URL + "/nope")
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&pd)
	resp.Body.Close()
	if pd.Type != "https://docs.example.gov.cn/gongwen/problems/not-found" {
		t.Errorf("configured base: type %q", pd.Type)
	}
}

func readSource(name string) (string, error) {
	b, err := io.ReadAll(must(openFile(name)))
	return string(b), err
}

// Text is compressed when accepted; PDFs are not (item 16).
func TestCompression(t *testing.T) {
	eng := newFakeEngine()
	ts := httptest.NewServer(New(eng, Config{Logger: discardLogger()}).Handler())
	defer ts.Close()
	tr := &http.Transport{DisableCompression: true} // see the wire, not a decoded body
	client := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()
	do := func(method, path, ctype string, body []byte, gz bool) (*http.Response, []byte) {
		req, _ := http.NewRequest(method, ts.URL+path, bytes.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if gz {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, b
	}
	for _, path := range []string{"/", "/assets/app.js", "/assets/app.css", "/api/v1/openapi.json", "/api/v1/templates/" + fakeTemplateID} {
		plain, pb := do("GET", path, "", nil, false)
		resp, b := do("GET", path, "", nil, true)
		if resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: Content-Encoding %q, Vary %q", path, resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"))
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		unz, _ := io.ReadAll(zr)
		if !bytes.Equal(unz, pb) || plain.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s: decompressed body differs from the plain one", path)
		}
		if len(b) >= len(pb) {
			t.Errorf("%s: %d compressed bytes for %d", path, len(b), len(pb))
		}
	}
	resp, _ := do("POST", "/api/v1/render?format=pdf", "application/json", eng.example, true)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("PDF: status %d, Content-Encoding %q (PDFs are compressed already)", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
}

// Client faults are client errors, never 499 and never ERROR in the log
// (item 27): a broken chunked body, a hang-up mid-upload, a body too slow
// for the read deadline.
func TestClientFaultsAreClientErrors(t *testing.T) {
	var logs syncBuffer
	s := New(newFakeEngine(), Config{Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		ReadTimeout: 300 * time.Millisecond})
	ts := httptest.NewUnstartedServer(s.Handler())
	ts.Config.ReadTimeout = 300 * time.Millisecond
	ts.Start()
	defer ts.Close()
	raw := func(request string, wait time.Duration) string {
		conn, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		io.WriteString(conn, request)
		time.Sleep(wait)
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			return "no answer: " + err.Error()
		}
		resp.Body.Close()
		return resp.Status
	}
	head := func(path, extra string) string {
		return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + extra
	}
	for _, path := range []string{"/api/v1/render", "/api/v1/validate", "/api/v1/batch"} {
		ctype := ""
		if path == "/api/v1/batch" {
			ctype = "Content-Type: application/x-ndjson\r\n"
		}
		h := head(path, ctype)
		if ctype != "" {
			h = strings.Replace(h, "Content-Type: application/json\r\n", "", 1)
		}
		if got := raw(h+"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 0); !strings.HasPrefix(got, "400") {
			t.Errorf("%s bad chunked body: %s, want 400", path, got)
		}
		if got := raw(h+"Content-Length: 1000\r\n\r\n{\"organ\":", time.Second); !strings.HasPrefix(got, "408") {
			t.Errorf("%s body slower than the read timeout: %s, want 408", path, got)
		}
		// A client hanging up mid-upload: nobody to answer, but no ERROR.
		if conn, err := net.Dial("tcp", ts.Listener.Addr().String()); err == nil {
			io.WriteString(conn, h+"Content-Length: 1000\r\n\r\n{\"organ\":")
			conn.Close()
		}
	}
	time.Sleep(100 * time.Millisecond) // the hang-ups' handlers log
	if strings.Contains(logs.String(), `"level":"ERROR"`) || strings.Contains(logs.String(), `"status":499`) {
		t.Errorf("client faults logged as errors or 499:\n%s", logs.String())
	}
}

func openFile(name string) (io.ReadCloser, error) { return os.Open(name) }

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A client trickling its upload holds no batch slot: another batch runs
// meanwhile, and the trickler is cut off with 408 (item 24).
func TestSlowUploaderHoldsNoBatchSlot(t *testing.T) {
	eng := newFakeEngine()
	s := New(eng, Config{Logger: discardLogger(), ReadTimeout: 400 * time.Millisecond, BatchMinRate: 1000, BatchConcurrency: 1})
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "POST /api/v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\nContent-Length: 100000\r\n\r\n")
	stop := make(chan struct{})
	go func() { // one byte every 50 ms: 20 B/s against a minimum of 1000
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				if _, err := conn.Write([]byte(" ")); err != nil {
					return
				}
			}
		}
	}()
	defer close(stop)
	time.Sleep(100 * time.Millisecond) // the trickle has begun
	line := bytes.ReplaceAll(eng.example, []byte("\n"), nil)
	resp, err := http.Post(ts.URL+"/api/v1/batch?format=docx", "application/x-ndjson", bytes.NewReader(append(line, '\n')))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("a batch beside a slow uploader: %d %.300s", resp.StatusCode, body)
	}
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	slow, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("slow uploader got no answer: %v", err)
	}
	slow.Body.Close()
	if slow.StatusCode != http.StatusRequestTimeout {
		t.Errorf("slow uploader: %d, want 408", slow.StatusCode)
	}
}

// A 10 KB report with every number 1e1000000 answers fast and small on
// every route that lists problems, a batch manifest included (item 23).
func TestHugeNumbersSmallAnswers(t *testing.T) {
	p := realEngine(t)
	raw, err := os.ReadFile("../report/testdata/huge-counts.json")
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(New(p, Config{Logger: discardLogger()}).Handler())
	defer ts.Close()
	for _, c := range []struct{ path, ctype string }{
		{"/api/v1/render?format=pdf", "application/json"},
		{"/api/v1/render?format=docx&allowProblems=true", "application/json"},
		{"/api/v1/validate", "application/json"},
		{"/api/v1/preview", "application/json"},
		{"/api/v1/batch?format=docx", "application/x-ndjson"},
	} {
		body := raw
		if c.ctype == "application/x-ndjson" {
			body = append(bytes.ReplaceAll(raw, []byte("\n"), nil), '\n')
		}
		start := time.Now()
		resp, err := http.Post(ts.URL+c.path, c.ctype, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if took := time.Since(start); took > time.Second || len(b) > 64<<10 {
			t.Errorf("%s: %d, %d bytes in %v; want < 64 KB well under a second", c.path, resp.StatusCode, len(b), took)
		}
		if !bytes.Contains(b, []byte("1e1000000")) && c.ctype != "application/x-ndjson" {
			t.Errorf("%s: the answer does not name the number: %.300s", c.path, b)
		}
	}
}

// A report that cannot be laid out is not told to add allowProblems (which
// it may have given); one that can still is (issue 14 item 13).
func TestUnrenderableReportHint(t *testing.T) {
	p := realEngine(t)
	example := realExample(t, p)
	ts := httptest.NewServer(New(p, Config{Logger: discardLogger()}).Handler())
	defer ts.Close()
	broken := mutate(t, example, func(m map[string]any) { delete(m, "overview"); m["proactive"] = "x" })
	ruleBroken := mutate(t, example, func(m map[string]any) {
		m["requests"].(map[string]any)["newlyReceived"].(map[string]any)["natural"] = 3
	})
	for _, c := range []struct {
		query    string
		body     []byte
		kind     string
		hintsAdd bool
	}{
		{"?format=docx&allowProblems=true", broken, "unrenderable-report", false},
		{"?format=docx", broken, "unrenderable-report", false},
		{"?format=docx", ruleBroken, "invalid-report", true},
	} {
		resp, err := http.Post(ts.URL+"/api/v1/render"+c.query, "application/json", bytes.NewReader(c.body))
		if err != nil {
			t.Fatal(err)
		}
		var pd problemDetails
		json.NewDecoder(resp.Body).Decode(&pd)
		resp.Body.Close()
		if resp.StatusCode != 422 || pd.Type != "/problems/"+c.kind || strings.Contains(pd.Detail, "请加参数 allowProblems") != c.hintsAdd {
			t.Errorf("%s: %d %s %q", c.query, resp.StatusCode, pd.Type, pd.Detail)
		}
	}
}
